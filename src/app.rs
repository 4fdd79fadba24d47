//! The page: a toolbar, the design canvas, and the side panel with the selected object's properties.

use crate::canvas::Canvas;
use crate::panels::PropertiesPanel;
use crate::state::EditorState;
use leptos::prelude::*;
use vpn_designer_core::{templates, Plan};

/// The app as it opens: the editor on the reference design.
#[component]
pub fn App() -> impl IntoView {
    view! { <Editor plan=templates::reference() /> }
}

/// The editor on a given plan.
#[component]
pub fn Editor(plan: Plan) -> impl IntoView {
    let state = EditorState::new(plan);
    provide_context(state);
    let zoom_label = move || format!("{:.0}%", state.viewport.get().zoom * 100.0);
    let design_name = move || state.plan.with(|p| p.design.name.clone());

    view! {
        <div class="app">
            <header class="toolbar" role="toolbar" aria-label="Canvas tools">
                <div class="brand">
                    <span class="brand-mark" aria-hidden="true">"⇄"</span>
                    <span class="brand-name">"VPN Designer"</span>
                    <span class="design-name" data-testid="design-name">{design_name}</span>
                </div>
                <div class="tools">
                    <button
                        data-testid="zoom-out"
                        aria-label="Zoom out"
                        title="Zoom out (-)"
                        on:click=move |_| state.zoom_about_centre(1.0 / 1.25)
                    >
                        "−"
                    </button>
                    <span class="zoom-level" data-testid="zoom-level" aria-live="polite">
                        {zoom_label}
                    </span>
                    <button
                        data-testid="zoom-in"
                        aria-label="Zoom in"
                        title="Zoom in (+)"
                        on:click=move |_| state.zoom_about_centre(1.25)
                    >
                        "+"
                    </button>
                    <button
                        data-testid="zoom-fit"
                        aria-label="Fit design to screen"
                        title="Fit to screen (0)"
                        on:click=move |_| state.fit()
                    >
                        "Fit"
                    </button>
                </div>
            </header>
            <main class="workspace">
                <Canvas />
                <PropertiesPanel />
            </main>
        </div>
    }
}
