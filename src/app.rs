//! The page: a toolbar, the palette, the design canvas, the side panel, and the dialogs for plans and exports.

use crate::canvas::Canvas;
use crate::panels::export::ExportPanel;
use crate::panels::palette::Palette;
use crate::panels::plans::{autosave, initial_plan, open_link, Keeping, PlansPanel, RefusedDialog};
use crate::panels::PropertiesPanel;
use crate::state::EditorState;
use crate::storage;
use leptos::prelude::*;
use vpn_designer_core::edit::add::duplicate;
use vpn_designer_core::edit::delete::delete;
use vpn_designer_core::edit::place::{move_nodes, GRID};
use vpn_designer_core::layout::resolve;
use vpn_designer_core::Plan;
use wasm_bindgen::JsCast;

/// The app as it opens: a share link's plan, else the plan open last (autosaved), else the reference design.
#[component]
pub fn App() -> impl IntoView {
    let (plan, slot, link, refused) = initial_plan();
    crate::browser::mark("vpn-designer:plan-ready");
    view! { <Editor plan=plan keep_as=slot link=link.unwrap_or_default() notice=refused.unwrap_or_default() /> }
}

/// The editor on a given plan. With `keep_as` (a saved-plan id), the plan is autosaved under it; with a `link`, the link's plan is
/// opened once the page is up; a `notice` is shown as a warning.
#[component]
pub fn Editor(
    plan: Plan,
    #[prop(optional, into)] keep_as: String,
    #[prop(optional, into)] link: String,
    /// A warning to show as the editor opens (the plan open last could not be opened).
    #[prop(optional, into)]
    notice: String,
) -> impl IntoView {
    let hint = EditorState::arrange_hint(&plan);
    let state = EditorState::new(plan);
    provide_context(state);
    if !hint.is_empty() {
        state.tell(hint.trim_start());
    }
    if !notice.is_empty() {
        state.warn(notice);
    }
    let slot = keep_as;
    let keeping = Keeping::new(slot.clone());
    provide_context(keeping);
    let restored = if slot.is_empty() {
        None
    } else {
        storage::load_view(&slot)
    };
    match restored {
        Some(view) => state.restore_view(view),
        None => state.fit_on_open(),
    }
    if !slot.is_empty() {
        autosave(state, keeping, !link.is_empty());
        // A share link pasted into this tab's address bar changes only the fragment: open it too.
        if let Some(window) = web_sys::window() {
            gloo::events::EventListener::new(&window, "hashchange", move |_| {
                let fragment = web_sys::window()
                    .and_then(|w| w.location().hash().ok())
                    .unwrap_or_default();
                if vpn_designer_core::edit::share::is_share_fragment(&fragment) {
                    open_link(state, keeping, fragment);
                }
            })
            .forget();
        }
    }
    if !link.is_empty() {
        open_link(state, keeping, link);
    }
    let plans_open = RwSignal::new(false);
    let export_open = RwSignal::new(false);
    let zoom_label = move || format!("{:.0}%", state.viewport.get().zoom * 100.0);
    let design_name = move || state.plan.with(|p| p.design.name.clone());
    let undo_title = move || {
        state.history.with(|h| match h.undo_label() {
            Some(label) => format!("Undo {label} (Ctrl+Z)"),
            None => "Nothing to undo".into(),
        })
    };
    let redo_title = move || {
        state.history.with(|h| match h.redo_label() {
            Some(label) => format!("Redo {label} (Ctrl+Shift+Z)"),
            None => "Nothing to redo".into(),
        })
    };

    // On the window, not the editor's element: an edit that moves or removes the focused node (a network
    // following the layout, a deleted object) re-creates or drops its element, focus falls back to the page's
    // body, and a listener on the editor would no longer hear Ctrl+Z.
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        // A dialog hears its own Escape; this one is for when focus has left it (its button was removed, or the
        // person clicked the page), and closes the dialog on top.
        if event.key() == "Escape" && !event.default_prevented() {
            for (open, opener) in [(export_open, "open-export"), (plans_open, "open-plans")] {
                if open.get_untracked() {
                    crate::panels::dialog::close_on_escape(open, opener)(event);
                    return;
                }
            }
        }
        shortcuts(state, event)
    });
    on_cleanup(move || keys.remove());

    view! {
        <div class="app">
            <header class="toolbar" role="toolbar" aria-label="Editor tools">
                <div class="brand">
                    <span class="brand-mark" aria-hidden="true">"⇄"</span>
                    <span class="brand-name">"VPN Designer"</span>
                    <span class="design-name" data-testid="design-name" title=design_name>{design_name}</span>
                </div>
                <div class="tools">
                    <button
                        data-testid="review-badge"
                        class=move || format!("review-badge {}", state.review_state())
                        title="Show the review"
                        aria-label=move || format!("Review: {}", state.review_line())
                        on:click=move |_| state.select(None)
                    >
                        {move || state.review_line()}
                    </button>
                    <span class="separator" aria-hidden="true"></span>
                    <button data-testid="undo" aria-label=undo_title title=undo_title
                        disabled=move || state.history.with(|h| h.undo_label().is_none())
                        on:click=move |_| state.undo()>"↶ Undo"</button>
                    <button data-testid="redo" aria-label=redo_title title=redo_title
                        disabled=move || state.history.with(|h| h.redo_label().is_none())
                        on:click=move |_| state.redo()>"↷ Redo"</button>
                    <span class="separator" aria-hidden="true"></span>
                    <button data-testid="zoom-out" aria-label="Zoom out" title="Zoom out (-)"
                        on:click=move |_| state.zoom_about_centre(1.0 / 1.25)>"−"</button>
                    <span class="zoom-level" data-testid="zoom-level" aria-live="polite">{zoom_label}</span>
                    <button data-testid="zoom-in" aria-label="Zoom in" title="Zoom in (+)"
                        on:click=move |_| state.zoom_about_centre(1.25)>"+"</button>
                    <button data-testid="zoom-fit" aria-label="Fit design to screen" title="Fit to screen (0)"
                        on:click=move |_| state.fit()>"Fit"</button>
                    <button data-testid="arrange" aria-label="Arrange: lay the whole design out again, forgetting moves"
                        title="Arrange: lay the whole design out again (undoable)"
                        on:click=move |_| state.arrange()>"Arrange"</button>
                    <span class="separator" aria-hidden="true"></span>
                    <button data-testid="open-plans" aria-label="Plans: keep, import, share" on:click=move |_| plans_open.update(|o| *o = !*o)>"Plans"</button>
                    <button class="primary" data-testid="open-export" aria-label="Export"
                        on:pointerenter=move |_| crate::panels::export::prefetch()
                        on:focus=move |_| crate::panels::export::prefetch()
                        on:click=move |_| export_open.update(|o| *o = !*o)>"Export"</button>
                </div>
            </header>
            <Show when=move || state.painted.get()>
                <PlansPanel open=plans_open />
            </Show>
            <main class="workspace">
                <Palette />
                <Canvas />
                // The panel's place is kept until it comes, so the canvas does not move when it does.
                <Show when=move || state.painted.get() fallback=|| view! { <aside class="side-panel"></aside> }>
                    <PropertiesPanel />
                </Show>
            </main>
            <footer class="status-bar" role="status" aria-live="polite" data-testid="status">
                {move || state.notice.get().map(|n| view! { <span class:error=n.error>{n.text}</span> })}
            </footer>
            <Show when=move || state.painted.get()>
                <ExportPanel open=export_open />
                <RefusedDialog />
            </Show>
        </div>
    }
}

/// Keyboard shortcuts anywhere in the editor but in a text field: undo and redo, delete, and nudging the
/// selection by the grid (Shift for five steps).
fn shortcuts(state: EditorState, event: web_sys::KeyboardEvent) {
    let target = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let tag = target.as_ref().map(|e| e.tag_name().to_ascii_lowercase());
    if matches!(tag.as_deref(), Some("input" | "select" | "textarea")) {
        // A choice box of the inspector has no text to take back: Ctrl+Z there is the editor's (QA s19: it did
        // nothing), but not with AltGr (Ctrl+Alt), whose characters are typing. The other panels' boxes (export
        // format, trace ends, Connect) choose, they do not edit the plan. Text fields decide for themselves
        // (`undo_keys`), and every other key stays the field's own.
        let field_choice = tag.as_deref() == Some("select")
            && target
                .and_then(|e| e.get_attribute("data-testid"))
                .is_some_and(|t| t.starts_with("field-"));
        if field_choice && !event.alt_key() {
            undo_keys(state, &event);
        }
        return;
    }
    // Undo and redo keep the focus where it was themselves.
    if undo_keys(state, &event) {
        return;
    }
    let command = event.ctrl_key() || event.meta_key();
    let key = event.key();
    // An edit can re-create the focused node's element (it moved, or its network followed the layout) or remove
    // it; focus would fall back to the page's body, and the canvas's keys (zoom, Tab order) with it.
    if matches!(
        key.as_str(),
        "Delete" | "Backspace" | "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown"
    ) || (command && matches!(key.as_str(), "d" | "D"))
    {
        keep_focus();
    }
    // Delete, nudges and duplicates act on the selection. Focus on another object of the canvas (Tab moves it
    // without selecting) would make them act on something out of sight: say so instead.
    let acts_on_selection = matches!(
        key.as_str(),
        "Delete" | "Backspace" | "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown"
    ) || (command && matches!(key.as_str(), "d" | "D"));
    if acts_on_selection {
        if let Some(focused) = focused_object() {
            if !state.selected_ids().contains(&focused) {
                event.prevent_default();
                state.tell(format!(
                    "{key} acts on the selection: press Enter to select {focused} first"
                ));
                return;
            }
        }
    }
    match key.as_str() {
        "Delete" | "Backspace" => {
            let ids = state.selected_ids();
            if !ids.is_empty() {
                event.prevent_default();
                state.edit("Delete", |p| delete(p, &ids));
            }
        }
        "d" | "D" if command => {
            if let Some(id) = state.selection.get_untracked() {
                event.prevent_default();
                if let Some(copy) = state.edit("Duplicate", |p| duplicate(p, &id)) {
                    state.select(Some(copy));
                }
            }
        }
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" => {
            let ids = state.selected_ids();
            if ids.is_empty() {
                return;
            }
            event.prevent_default();
            let step = if event.shift_key() { GRID * 5.0 } else { GRID };
            let (dx, dy) = match key.as_str() {
                "ArrowLeft" => (-step, 0.0),
                "ArrowRight" => (step, 0.0),
                "ArrowUp" => (0.0, -step),
                _ => (0.0, step),
            };
            state.edit("Nudge", |p| {
                let start = resolve(p);
                move_nodes(p, &start, &ids, dx, dy);
                Ok(())
            });
        }
        _ => {}
    }
}

/// The canvas object (node, tunnel or connection line) that has the keyboard focus, by its id.
fn focused_object() -> Option<String> {
    web_sys::window()?
        .document()?
        .active_element()?
        .get_attribute("data-id")
}

/// Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo, keeping the focus where it was (the element may be drawn
/// anew by the step). Whether the keys were these.
pub fn undo_keys(state: EditorState, event: &web_sys::KeyboardEvent) -> bool {
    if !(event.ctrl_key() || event.meta_key()) {
        return false;
    }
    let redo = match event.key().as_str() {
        "z" | "Z" => event.shift_key(),
        "y" | "Y" => true,
        _ => return false,
    };
    event.prevent_default();
    keep_focus();
    if redo {
        state.redo();
    } else {
        state.undo();
    }
    true
}

/// After the edit a key made has reached the page, puts focus back on the element that had it (by its test id),
/// or on the canvas if that element is gone.
fn keep_focus() {
    let document = web_sys::window().and_then(|w| w.document());
    let Some(before) = document
        .as_ref()
        .and_then(|d| d.active_element())
        .and_then(|e| e.get_attribute("data-testid"))
    else {
        return;
    };
    request_animation_frame(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let lost = document
            .active_element()
            .is_none_or(|e| document.body().is_some_and(|b| e == *b));
        if !lost {
            return;
        }
        let find = |test_id: &str| {
            document
                .query_selector(&format!("[data-testid=\"{test_id}\"]"))
                .ok()
                .flatten()
        };
        // Ids are plain (the loader refuses others); a quote would end the selector early. The element may be
        // gone or refuse focus (a button the edit disabled): then the canvas takes it.
        let back = !before.contains(['"', '\\'])
            && find(&before).is_some_and(|e| crate::browser::focus(&e));
        if !back {
            if let Some(canvas) = find("canvas") {
                crate::browser::focus(&canvas);
            }
        }
    });
}
