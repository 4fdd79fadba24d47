//! Tab on the canvas in reading order (`layout::tab_order`): network by network, each line after both its ends.
//! The document order serves painting (lines under nodes, containers under their contents), which is not the
//! order a person reads a design in, so the canvas moves the focus itself between its own objects and hands
//! it back to the browser at either end.

use crate::browser::focus;
use crate::state::EditorState;
use leptos::prelude::*;
use vpn_designer_core::layout::tab_order::{tab_order, Stop};
use wasm_bindgen::JsCast;

/// Moves the focus from the canvas object that has it to the next one in reading order (the previous with
/// Shift). Returns whether it did: `false` leaves Tab to the browser, which then leaves the canvas (from its last
/// object, the browser's next stop would be another object of the canvas, so the focus goes to the control after
/// it instead, and `true` is returned).
pub fn move_focus(
    state: EditorState,
    order: StoredValue<Option<Vec<String>>>,
    svg: &web_sys::Element,
    backward: bool,
) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(active) = document.active_element() else {
        return false;
    };
    let on_canvas = active == *svg;
    let current = active.get_attribute("data-testid");
    // Worked out on the first Tab after a change of the drawing (`invalidate_on_change`), not on each.
    let ids = cached(state, order);
    let position = if on_canvas {
        None
    } else {
        match current
            .as_deref()
            .and_then(|c| ids.iter().position(|i| i == c))
        {
            Some(p) => Some(p),
            // Not one of the canvas's stops: leave Tab to the browser.
            None => return false,
        }
    };
    let candidates: Box<dyn Iterator<Item = &String>> = match (position, backward) {
        (None, false) => Box::new(ids.iter()),
        (None, true) => return false,
        (Some(p), false) => Box::new(ids[p + 1..].iter()),
        (Some(p), true) => Box::new(ids[..p].iter().rev()),
    };
    if focus_first(svg, candidates) {
        return true;
    }
    if backward {
        // Before the first object: the canvas itself, as the browser would go from its first child.
        return focus(svg);
    }
    // After the last object: the first control after the canvas.
    let Ok(all) = document.query_selector_all(
        "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, a[href], [tabindex=\"0\"]",
    ) else {
        return false;
    };
    for i in 0..all.length() {
        let Some(element) = all
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let after = svg.compare_document_position(&element)
            & web_sys::Node::DOCUMENT_POSITION_FOLLOWING
            != 0;
        if after && !svg.contains(Some(&element)) && focus(&element) {
            return true;
        }
    }
    false
}

/// The test ids of the canvas's Tab stops in reading order.
fn stops(state: EditorState) -> Vec<String> {
    let links = state.folded_links.get_untracked();
    let ends: Vec<(&str, &str)> = links
        .iter()
        .map(|l| (l.gateway.as_str(), l.vgw.as_str()))
        .collect();
    state.diagram.with_untracked(|d| {
        tab_order(d, &ends)
            .into_iter()
            .map(|stop| match stop {
                Stop::Node(i) => format!("node-{}", d.nodes[i].id),
                Stop::Edge(i) => format!("edge-{}", d.edges[i].id),
                Stop::Extra(i) => format!("link-{}-{}", links[i].gateway, links[i].vgw),
            })
            .collect()
    })
}

/// A cache of the Tab order, dropped whenever the drawing or its collapsed links change (cheap: a drag changes
/// the drawing every frame, and the order is worked out again only when Tab is pressed).
pub fn invalidate_on_change(state: EditorState) -> StoredValue<Option<Vec<String>>> {
    let order = StoredValue::new(None);
    Effect::new(move |_| {
        state.diagram.track();
        state.folded_links.track();
        order.set_value(None);
    });
    order
}

/// Shift+Tab from the control after the canvas: the browser lands on the canvas's last object in document order
/// (painting order), not on the last in reading order, where Tab left. Moves the focus there. A pointer press
/// just before means the object was clicked, and is left alone.
pub fn entered_backwards(
    state: EditorState,
    order: StoredValue<Option<Vec<String>>>,
    svg: &web_sys::Element,
    event: &web_sys::FocusEvent,
    pointer_pressed: bool,
) {
    if pointer_pressed {
        return;
    }
    let Some(from) = event
        .related_target()
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
    else {
        return;
    };
    let came_from_after =
        svg.compare_document_position(&from) & web_sys::Node::DOCUMENT_POSITION_FOLLOWING != 0;
    if !came_from_after || svg.contains(Some(&from)) {
        return;
    }
    // Where Shift+Tab lands: the last object in document order. Focus given to any other (by a script, or by a
    // click the pointer check missed) is left where it was given.
    let last_in_document = svg
        .query_selector_all("[tabindex=\"0\"]")
        .ok()
        .and_then(|all| all.length().checked_sub(1).and_then(|i| all.item(i)));
    let target = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
    if last_in_document.is_none() || last_in_document != target {
        return;
    }
    let ids = cached(state, order);
    // Not from inside this focus event: moving the focus now would fire the canvas's focus handler again while
    // it runs.
    let svg = svg.clone();
    request_animation_frame(move || {
        focus_first(&svg, ids.iter().rev());
    });
}

/// The Tab order, worked out if the drawing changed since it last was.
fn cached(state: EditorState, order: StoredValue<Option<Vec<String>>>) -> Vec<String> {
    if order.with_value(Option::is_none) {
        order.set_value(Some(stops(state)));
    }
    order.get_value().unwrap_or_default()
}

/// Focuses the first of these canvas objects (by test id) that takes the focus; whether one did.
fn focus_first<'a>(svg: &web_sys::Element, ids: impl Iterator<Item = &'a String>) -> bool {
    for id in ids {
        // Ids are plain (the loader refuses others); a quote would end the selector early.
        if id.contains(['"', '\\']) {
            continue;
        }
        let element = svg
            .query_selector(&format!("[data-testid=\"{id}\"]"))
            .ok()
            .flatten();
        if element.is_some_and(|e| focus(&e)) {
            return true;
        }
    }
    false
}
