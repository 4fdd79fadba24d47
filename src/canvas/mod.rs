//! The SVG design canvas: clouds, networks, subnets, gateways and the tunnels between them. Pan by dragging the
//! background, zoom with the wheel about the cursor (or the toolbar), select by click or keyboard.

mod edge;
mod node;
mod tab;
mod trace_overlay;

use crate::state::use_editor;
use edge::{EdgeView, LinkView};
use gloo::events::{EventListener, EventListenerOptions};
use leptos::prelude::*;
use node::NodeView;
use std::collections::{BTreeMap, HashSet};
use trace_overlay::TraceOverlay;
use vpn_designer_core::edit::connect::Routing;
use vpn_designer_core::edit::place::{move_nodes, snap, with_contents};
use vpn_designer_core::layout::resolve;
use vpn_designer_core::model::Rect;
use vpn_designer_core::viewport::Viewport;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A press that moves less than this (in screen pixels) is a click, not a pan.
const CLICK_SLOP: f64 = 4.0;

#[derive(Clone, Copy)]
struct PanGesture {
    start_x: f64,
    start_y: f64,
    start: Viewport,
    moved: bool,
}

/// Dragging nodes: drawn as an offset while the pointer moves, applied to the layout once on release (one undo
/// step), cancelled by Escape.
#[derive(Clone)]
struct NodeDrag {
    ids: Vec<String>,
    start_x: f64,
    start_y: f64,
    start: BTreeMap<String, Rect>,
    moving: HashSet<String>,
    moved: bool,
    dx: f64,
    dy: f64,
}

/// Dragging from a gateway's connect handle: a line follows the pointer (design units) until it is released
/// over a gateway of the other cloud, which connects the two, or anywhere else, which does nothing.
#[derive(Clone, Debug, PartialEq)]
struct ConnectDrag {
    /// The gateway the drag started from.
    from: String,
    from_azure: bool,
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
}

/// The gateway whose connect handle is under an event's target, if any.
fn handle_under(event: &web_sys::PointerEvent) -> Option<String> {
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let handle = target.closest("[data-connect]").ok()??;
    handle.get_attribute("data-connect")
}

/// The selectable node under an event's target, if any (its `data-id`).
fn node_under(event: &web_sys::PointerEvent) -> Option<String> {
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let node = target.closest("[data-id]").ok()??;
    node.get_attribute("data-id")
}

#[component]
pub fn Canvas() -> impl IntoView {
    let state = use_editor();
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let pan = StoredValue::new(None::<PanGesture>);
    let node_drag = StoredValue::new(None::<NodeDrag>);
    let marquee = RwSignal::new(None::<(f64, f64, f64, f64)>);
    let connecting = RwSignal::new(None::<ConnectDrag>);
    // The pointer's position on the canvas, in screen pixels from its top left.
    let local = move |event: &web_sys::PointerEvent| -> (f64, f64) {
        let rect = svg_ref.get_untracked().map(|svg| {
            svg.unchecked_into::<web_sys::Element>()
                .get_bounding_client_rect()
        });
        let (left, top) = rect.map_or((0.0, 0.0), |r| (r.left(), r.top()));
        (
            f64::from(event.client_x()) - left,
            f64::from(event.client_y()) - top,
        )
    };

    // Measure the canvas, fit the design once, and keep the size current on resize. The wheel listener is added
    // by hand because Leptos's listeners are passive for wheel events, and a passive listener cannot stop the
    // page from scrolling.
    Effect::new(move |_| {
        let Some(svg) = svg_ref.get() else { return };
        let element: web_sys::Element = svg.unchecked_into();
        let measure = {
            let element = element.clone();
            move || {
                let rect = element.get_bounding_client_rect();
                let size = (rect.width(), rect.height());
                if state.canvas_size.get_untracked() != size {
                    state.canvas_size.set(size);
                }
            }
        };
        measure();
        // A restored view (autosave) is kept; a view fitted before the mount is fitted again only if the canvas
        // is not the size expected.
        state.measured_on_open();
        // The first-render benchmark (tools/bench-first-render.mjs) reads this mark: the design is in the DOM.
        crate::browser::mark("vpn-designer:first-render");
        // The panels beside the canvas come once the design is on screen (after the next frame has been
        // painted), and the review once they are.
        let after_paint = |then: Box<dyn FnOnce()>| {
            request_animation_frame(move || set_timeout(then, std::time::Duration::ZERO))
        };
        after_paint(Box::new(move || {
            state.painted.set(true);
            after_paint(Box::new(move || state.reviewed.set(true)));
        }));
        // The canvas changes size with the window and with what the page shows around it (the share link's
        // banner above the workspace): observed, so Fit and zooming about the centre use the size on screen.
        let observed = Closure::<dyn FnMut()>::new(measure);
        if let Ok(observer) = web_sys::ResizeObserver::new(observed.as_ref().unchecked_ref()) {
            observer.observe(&element);
        }
        observed.forget();
        let wheel_target = element.clone();
        EventListener::new_with_options(
            &element,
            "wheel",
            EventListenerOptions::enable_prevent_default(),
            move |event| {
                let Some(event) = event.dyn_ref::<web_sys::WheelEvent>() else {
                    return;
                };
                event.prevent_default();
                let rect = wheel_target.get_bounding_client_rect();
                let (x, y) = (
                    f64::from(event.client_x()) - rect.left(),
                    f64::from(event.client_y()) - rect.top(),
                );
                // Pixel-mode deltas from mice and trackpads alike; line mode (Firefox) is roughly 16× smaller.
                let delta = match event.delta_mode() {
                    web_sys::WheelEvent::DOM_DELTA_LINE => event.delta_y() * 16.0,
                    _ => event.delta_y(),
                };
                let factor = (-delta * 0.0015).exp();
                state.viewport.update(|v| *v = v.zoom_at(x, y, factor));
            },
        )
        .forget();
    });

    // When the last pointer press on the canvas was, for telling a click from Shift+Tab when focus comes in.
    let pressed_at = StoredValue::new(f64::NEG_INFINITY);
    let on_pointer_down = move |event: web_sys::PointerEvent| {
        pressed_at.set_value(event.time_stamp());
        if event.button() != 0 {
            return;
        }
        if let Some(gateway) = handle_under(&event) {
            let start = state.diagram.with_untracked(|d| {
                d.node(&gateway)
                    .map(|n| (n.kind, node::connect_handle(n.kind, n.rect)))
            });
            if let Some((kind, (x, y))) = start {
                // Touch input captures the pointer to the handle on press; released so the element under the
                // finger at the end is the drop target.
                if let Some(target) = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                {
                    let _ = target.release_pointer_capture(event.pointer_id());
                }
                event.prevent_default();
                // Escape must reach the canvas's key handler to cancel the drag, wherever focus was before.
                if let Some(svg) = svg_ref.get_untracked() {
                    let _ = svg.focus();
                }
                connecting.set(Some(ConnectDrag {
                    from: gateway,
                    from_azure: kind == vpn_designer_core::layout::NodeKind::AzureVpnGateway,
                    x1: x,
                    y1: y,
                    x2: x,
                    y2: y,
                }));
                return;
            }
        }
        let under = node_under(&event);
        let on_container = under.as_ref().is_some_and(|id| {
            state
                .diagram
                .with_untracked(|d| d.node(id).is_some_and(|n| n.kind.is_container()))
        });
        if event.shift_key() && (under.is_none() || on_container) {
            // Shift-drag on the background (or inside a network) draws a marquee; what lies wholly inside it is
            // selected. A Shift-click without a drag is left to the node's click (toggle).
            let (x, y) = local(&event);
            marquee.set(Some((x, y, x, y)));
            return;
        }
        if let Some(id) = under {
            // Dragging one of several selected objects moves them all.
            let selected = state.selected_ids();
            let ids = if selected.len() > 1 && selected.contains(&id) {
                selected
            } else {
                vec![id]
            };
            let (start, moving) = state
                .plan
                .with_untracked(|p| (resolve(p), with_contents(&p.design, &ids)));
            node_drag.set_value(Some(NodeDrag {
                ids,
                start_x: f64::from(event.client_x()),
                start_y: f64::from(event.client_y()),
                start,
                moving,
                moved: false,
                dx: 0.0,
                dy: 0.0,
            }));
            return;
        }
        pan.set_value(Some(PanGesture {
            start_x: f64::from(event.client_x()),
            start_y: f64::from(event.client_y()),
            start: state.viewport.get_untracked(),
            moved: false,
        }));
    };
    let on_pointer_move = move |event: web_sys::PointerEvent| {
        if connecting.with_untracked(Option::is_some) {
            let (x, y) = local(&event);
            let (x2, y2) = state.viewport.get_untracked().to_world(x, y);
            connecting.update(|line| {
                if let Some(line) = line {
                    (line.x2, line.y2) = (x2, y2);
                }
            });
            return;
        }
        if let Some((x0, y0, _, _)) = marquee.get_untracked() {
            let (x, y) = local(&event);
            if let Some(target) = event
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let _ = target.set_pointer_capture(event.pointer_id());
            }
            marquee.set(Some((x0, y0, x, y)));
            return;
        }
        if let Some(mut drag) = node_drag.get_value() {
            let sx = f64::from(event.client_x()) - drag.start_x;
            let sy = f64::from(event.client_y()) - drag.start_y;
            if !drag.moved && sx.hypot(sy) < CLICK_SLOP {
                return;
            }
            if !drag.moved {
                if let Some(target) = event
                    .current_target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                {
                    let _ = target.set_pointer_capture(event.pointer_id());
                }
            }
            // Screen pixels to design units, snapped so the dragged node lands on the grid.
            let zoom = state.viewport.get_untracked().zoom;
            let origin = drag
                .start
                .get(&drag.ids[0])
                .copied()
                .unwrap_or(Rect::new(0.0, 0.0, 0.0, 0.0));
            drag.dx = snap(origin.x + sx / zoom) - origin.x;
            drag.dy = snap(origin.y + sy / zoom) - origin.y;
            drag.moved = true;
            state.drag.set(Some(crate::state::DragPreview {
                ids: drag.moving.clone(),
                dx: drag.dx,
                dy: drag.dy,
            }));
            node_drag.set_value(Some(drag));
            return;
        }
        let Some(mut gesture) = pan.get_value() else {
            return;
        };
        let dx = f64::from(event.client_x()) - gesture.start_x;
        let dy = f64::from(event.client_y()) - gesture.start_y;
        if !gesture.moved && dx.hypot(dy) < CLICK_SLOP {
            return;
        }
        if !gesture.moved {
            // Capture only once this is a pan: capturing on press would retarget the click to the canvas, and
            // a click on a node must still select it.
            if let Some(target) = event
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let _ = target.set_pointer_capture(event.pointer_id());
            }
        }
        gesture.moved = true;
        pan.set_value(Some(gesture));
        state.viewport.set(gesture.start.pan(dx, dy));
    };
    let on_pointer_up = move |event: web_sys::PointerEvent| {
        if let Some(line) = connecting.get_untracked() {
            connecting.set(None);
            let from = line.from;
            let target = node_under(&event).filter(|id| *id != from);
            let wanted = if line.from_azure {
                vpn_designer_core::layout::NodeKind::Vgw
            } else {
                vpn_designer_core::layout::NodeKind::AzureVpnGateway
            };
            let hit = target.filter(|id| {
                state
                    .diagram
                    .with_untracked(|d| d.node(id).is_some_and(|n| n.kind == wanted))
            });
            match hit {
                Some(other) => {
                    let (gateway, vgw) = if line.from_azure {
                        (from, other)
                    } else {
                        (other, from)
                    };
                    let routing = state.plan.with_untracked(|p| {
                        let bgp = p
                            .design
                            .azure
                            .vpn_gateways
                            .iter()
                            .any(|g| g.id.as_str() == gateway && g.bgp_enabled);
                        if bgp {
                            Routing::Bgp
                        } else {
                            Routing::Static
                        }
                    });
                    state.connect_gateways(&gateway, &vgw, routing);
                }
                None if (line.x2 - line.x1).hypot(line.y2 - line.y1) > CLICK_SLOP => {
                    state.tell(if line.from_azure {
                        "To connect, drop on an AWS virtual private gateway"
                    } else {
                        "To connect, drop on an Azure VPN gateway"
                    });
                }
                None => {}
            }
            return;
        }
        if let Some((x0, y0, x1, y1)) = marquee.get_untracked() {
            marquee.set(None);
            if (x1 - x0).hypot(y1 - y0) < CLICK_SLOP {
                return;
            }
            let view = state.viewport.get_untracked();
            let (ax, ay) = view.to_world(x0.min(x1), y0.min(y1));
            let (bx, by) = view.to_world(x0.max(x1), y0.max(y1));
            let inside = state.diagram.with_untracked(|d| {
                d.nodes
                    .iter()
                    .filter(|n| n.kind != vpn_designer_core::layout::NodeKind::Cloud)
                    .filter(|n| {
                        n.rect.x >= ax
                            && n.rect.y >= ay
                            && n.rect.x + n.rect.w <= bx
                            && n.rect.y + n.rect.h <= by
                    })
                    .map(|n| n.id.clone())
                    .collect::<Vec<_>>()
            });
            state.select_many(inside);
            // The keys act on the selection: focus leaves the object it was on for the canvas, or Delete would
            // refuse, that object not being selected any more.
            if let Some(svg) = svg_ref.get_untracked() {
                let _ = svg.unchecked_into::<web_sys::SvgElement>().focus();
            }
            return;
        }
        if let Some(drag) = node_drag.get_value() {
            node_drag.set_value(None);
            state.drag.set(None);
            if drag.moved && (drag.dx != 0.0 || drag.dy != 0.0) {
                state.edit("Move", |p| {
                    move_nodes(p, &drag.start, &drag.ids, drag.dx, drag.dy);
                    Ok(())
                });
            }
            return;
        }
        if let Some(gesture) = pan.get_value() {
            if !gesture.moved {
                // A click on empty canvas clears the selection.
                state.select(None);
            }
        }
        pan.set_value(None);
    };
    let on_pointer_cancel = move |_event: web_sys::PointerEvent| {
        connecting.set(None);
        marquee.set(None);
        node_drag.set_value(None);
        state.drag.set(None);
        if let Some(gesture) = pan.get_value() {
            state.viewport.set(gesture.start);
        }
        pan.set_value(None);
    };
    let tab_order = tab::invalidate_on_change(state);
    let on_key_down = move |event: web_sys::KeyboardEvent| match event.key().as_str() {
        // One Escape does one thing: cancel a gesture, else close an open dialog (the window's listener, in
        // src/app.rs, which skips an Escape handled here), else clear the selection.
        "Escape" => {
            if connecting.with_untracked(Option::is_some) {
                connecting.set(None);
            } else if node_drag.get_value().is_some() {
                node_drag.set_value(None);
                state.drag.set(None);
            } else if let Some(gesture) = pan.get_value() {
                state.viewport.set(gesture.start);
                pan.set_value(None);
            } else if crate::panels::dialog::any_open() {
                return;
            } else {
                state.select(None);
            }
            event.prevent_default();
        }
        "Tab" if !event.ctrl_key() && !event.alt_key() && !event.meta_key() => {
            let moved = svg_ref
                .get_untracked()
                .is_some_and(|svg| tab::move_focus(state, tab_order, &svg, event.shift_key()));
            if moved {
                event.prevent_default();
            }
        }
        "+" | "=" => state.zoom_about_centre(1.25),
        "-" | "_" => state.zoom_about_centre(1.0 / 1.25),
        "0" => state.fit(),
        _ => {}
    };

    let nodes = move || state.diagram.get().nodes;
    let edges = move || state.diagram.with(edge::drawn_edges);
    let transform = move || state.viewport.get().transform();
    let zoom = move || format!("{:.4}", state.viewport.get().zoom);

    view! {
        <section
            class="canvas-area"
            aria-label="Design canvas"
            on:dragover=move |event: web_sys::DragEvent| event.prevent_default()
            on:drop=move |event: web_sys::DragEvent| {
                event.prevent_default();
                let files = event.data_transfer().and_then(|d| d.files());
                let count = files.as_ref().map_or(0, |f| f.length());
                if let Some(file) = files.and_then(|f| f.get(0)) {
                    crate::panels::plans::import_file(state, crate::panels::plans::use_keeping(), file, count);
                }
            }
        >
            <svg
                node_ref=svg_ref
                class="canvas"
                data-testid="canvas"
                data-zoom=zoom
                class:connecting-azure=move || connecting.with(|c| c.as_ref().is_some_and(|c| c.from_azure))
                class:connecting-aws=move || connecting.with(|c| c.as_ref().is_some_and(|c| !c.from_azure))
                role="group"
                aria-label="Design canvas: drag to pan, wheel to zoom, Tab to move between objects, drag an object to move it, Shift-drag to select several"
                tabindex="0"
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_up
                on:pointercancel=on_pointer_cancel
                on:pointerleave=move |_| connecting.set(None)
                on:keydown=on_key_down
                on:focusin=move |event: web_sys::FocusEvent| {
                    if let Some(svg) = svg_ref.get_untracked() {
                        let pressed = event.time_stamp() - pressed_at.get_value() < 500.0;
                        tab::entered_backwards(state, tab_order, &svg, &event, pressed);
                    }
                }
            >
                <defs>
                    <pattern id="grid" width="20" height="20" patternUnits="userSpaceOnUse">
                        <path d="M 20 0 L 0 0 0 20" class="grid-line" />
                    </pattern>
                    // Arrowheads along a drawn trace, in the colour of the line they sit on.
                    <marker id="trace-arrow" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" fill="context-stroke" />
                    </marker>
                </defs>
                <g data-testid="viewport" transform=transform>
                    <rect class="grid" x="-5000" y="-5000" width="10000" height="10000" fill="url(#grid)" />
                    <For
                        each=move || nodes().into_iter().filter(|n| n.kind.is_container())
                        key=node::node_key
                        children=move |n| view! { <NodeView node=n /> }
                    />
                    <For each=edges key=edge::edge_key children=move |e| view! { <EdgeView edge=e /> } />
                    <For
                        each=move || state.folded_links.get()
                        key=|l| l.key.clone()
                        children=move |l| view! { <LinkView link=l /> }
                    />
                    <For
                        each=move || nodes().into_iter().filter(|n| !n.kind.is_container())
                        key=node::node_key
                        children=move |n| view! { <NodeView node=n /> }
                    />
                    <TraceOverlay />
                    {move || connecting.get().map(|c| view! {
                        <line class="connect-preview" data-testid="connect-preview" x1=c.x1 y1=c.y1 x2=c.x2 y2=c.y2 />
                    })}
                </g>
                {move || {
                    marquee
                        .get()
                        .map(|(x0, y0, x1, y1)| {
                            view! {
                                <rect
                                    class="marquee"
                                    data-testid="marquee"
                                    x=x0.min(x1)
                                    y=y0.min(y1)
                                    width=(x1 - x0).abs()
                                    height=(y1 - y0).abs()
                                />
                            }
                        })
                }}
            </svg>
        </section>
    }
}
