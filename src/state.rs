//! Editor state: the plan (design + layout) and, apart from it, what only the editor cares about: the camera and
//! the selection. Shared through Leptos context; every field is a signal so views update narrowly.

use leptos::prelude::*;
use vpn_designer_core::layout::{diagram, Diagram};
use vpn_designer_core::templates;
use vpn_designer_core::viewport::Viewport;
use vpn_designer_core::Plan;

#[derive(Clone, Copy)]
pub struct EditorState {
    pub plan: RwSignal<Plan>,
    pub viewport: RwSignal<Viewport>,
    pub selection: RwSignal<Option<String>>,
    /// The canvas's size on screen, for zooming about its centre and fitting.
    pub canvas_size: RwSignal<(f64, f64)>,
    /// Derived from the plan: the nodes and edges to draw.
    pub diagram: Memo<Diagram>,
}

impl EditorState {
    pub fn new(plan: Plan) -> Self {
        let plan = RwSignal::new(plan);
        EditorState {
            plan,
            viewport: RwSignal::new(Viewport::default()),
            selection: RwSignal::new(None),
            canvas_size: RwSignal::new((1000.0, 700.0)),
            diagram: Memo::new(move |_| plan.with(diagram)),
        }
    }

    /// The app opens on the reference design.
    pub fn with_reference() -> Self {
        Self::new(templates::reference())
    }

    pub fn fit(&self) {
        let (width, height) = self.canvas_size.get_untracked();
        if let Some(bounds) = self.diagram.with_untracked(|d| d.bounds()) {
            self.viewport
                .set(Viewport::fit(bounds, width, height, 32.0));
        }
    }

    pub fn zoom_about_centre(&self, factor: f64) {
        let (width, height) = self.canvas_size.get_untracked();
        self.viewport
            .update(|v| *v = v.zoom_at(width / 2.0, height / 2.0, factor));
    }

    pub fn select(&self, id: Option<String>) {
        self.selection.set(id);
    }
}

pub fn use_editor() -> EditorState {
    expect_context::<EditorState>()
}
