//! The canvas camera: pan and zoom as plain math, tested natively. Screen = world × zoom + offset.

use crate::model::Rect;

pub const MIN_ZOOM: f64 = 0.1;
pub const MAX_ZOOM: f64 = 4.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

impl Viewport {
    pub fn to_world(&self, screen_x: f64, screen_y: f64) -> (f64, f64) {
        (
            (screen_x - self.x) / self.zoom,
            (screen_y - self.y) / self.zoom,
        )
    }

    pub fn to_screen(&self, world_x: f64, world_y: f64) -> (f64, f64) {
        (world_x * self.zoom + self.x, world_y * self.zoom + self.y)
    }

    /// Zooms by `factor` keeping the world point under the screen point still (the cursor, for the wheel).
    pub fn zoom_at(&self, screen_x: f64, screen_y: f64, factor: f64) -> Viewport {
        if !factor.is_finite() || factor <= 0.0 {
            return *self;
        }
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let (world_x, world_y) = self.to_world(screen_x, screen_y);
        Viewport {
            x: screen_x - world_x * zoom,
            y: screen_y - world_y * zoom,
            zoom,
        }
    }

    pub fn pan(&self, dx: f64, dy: f64) -> Viewport {
        Viewport {
            x: self.x + dx,
            y: self.y + dy,
            ..*self
        }
    }

    /// The viewport that shows `bounds` whole and centred in a `width` × `height` screen, with a margin.
    pub fn fit(bounds: Rect, width: f64, height: f64, margin: f64) -> Viewport {
        if bounds.w <= 0.0 || bounds.h <= 0.0 || width <= 2.0 * margin || height <= 2.0 * margin {
            return Viewport::default();
        }
        let zoom = ((width - 2.0 * margin) / bounds.w)
            .min((height - 2.0 * margin) / bounds.h)
            .clamp(MIN_ZOOM, MAX_ZOOM);
        let (cx, cy) = bounds.center();
        Viewport {
            x: width / 2.0 - cx * zoom,
            y: height / 2.0 - cy * zoom,
            zoom,
        }
    }

    /// The SVG `transform` attribute for the world group.
    pub fn transform(&self) -> String {
        format!(
            "translate({:.2} {:.2}) scale({:.4})",
            self.x, self.y, self.zoom
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fit_centres_the_bounds_with_a_margin() {
        let v = Viewport::fit(Rect::new(100.0, 100.0, 2000.0, 1000.0), 1000.0, 600.0, 50.0);
        let (left, top) = v.to_screen(100.0, 100.0);
        let (right, bottom) = v.to_screen(2100.0, 1100.0);
        assert!((left - 50.0).abs() < 1e-9 && (right - 950.0).abs() < 1e-9);
        assert!(((top + bottom) / 2.0 - 300.0).abs() < 1e-9);
        // A tiny design is not blown up past the zoom limit.
        let tiny = Viewport::fit(Rect::new(0.0, 0.0, 10.0, 10.0), 1000.0, 600.0, 50.0);
        assert_eq!(tiny.zoom, MAX_ZOOM);
        assert_eq!(
            Viewport::fit(Rect::new(0.0, 0.0, 0.0, 0.0), 10.0, 10.0, 1.0),
            Viewport::default()
        );
    }

    #[test]
    fn zoom_is_clamped_and_ignores_nonsense() {
        let v = Viewport::default();
        assert_eq!(v.zoom_at(0.0, 0.0, 100.0).zoom, MAX_ZOOM);
        assert_eq!(v.zoom_at(0.0, 0.0, 0.0001).zoom, MIN_ZOOM);
        assert_eq!(v.zoom_at(0.0, 0.0, f64::NAN), v);
        assert_eq!(v.zoom_at(0.0, 0.0, -2.0), v);
    }

    proptest! {
        #[test]
        fn the_point_under_the_cursor_stays_put(
            x in -500.0..500.0f64, y in -500.0..500.0f64, zoom in 0.2..3.0f64,
            sx in 0.0..1200.0f64, sy in 0.0..800.0f64, factor in 0.5..2.0f64,
        ) {
            let v = Viewport { x, y, zoom };
            let before = v.to_world(sx, sy);
            let after = v.zoom_at(sx, sy, factor).to_world(sx, sy);
            prop_assert!((before.0 - after.0).abs() < 1e-6 && (before.1 - after.1).abs() < 1e-6);
        }
    }
}
