//! What the Plans and Export dialogs share: focus moves into a dialog when it opens, so the keyboard is where the
//! person's attention is; Escape closes it and gives focus back to the toolbar button that opened it.

use leptos::html::Section;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Focuses the dialog each time it is drawn (it is drawn when it opens).
pub fn focus_when_drawn(dialog: NodeRef<Section>) {
    Effect::new(move |_| {
        if let Some(element) = dialog.get() {
            let _ = element.focus();
        }
    });
}

/// The dialog's keydown handler: Escape closes it and focuses the button with `data-testid` `opener`.
pub fn close_on_escape(
    open: RwSignal<bool>,
    opener: &'static str,
) -> impl Fn(web_sys::KeyboardEvent) + Copy {
    move |ev: web_sys::KeyboardEvent| {
        if ev.key() != "Escape" {
            return;
        }
        // The editor's own Escape (cancel a gesture, clear the selection) is not meant.
        ev.stop_propagation();
        open.set(false);
        let button = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector(&format!("[data-testid=\"{opener}\"]"))
                    .ok()
                    .flatten()
            })
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(button) = button {
            let _ = button.focus();
        }
    }
}

/// Whether a dialog is open on the page.
pub fn any_open() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".dialog[role=\"dialog\"]").ok().flatten())
        .is_some()
}
