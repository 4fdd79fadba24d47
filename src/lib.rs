//! VPN Designer's web app: a Leptos client-side app over `vpn-designer-core`.
//!
//! The core crate owns the plan, its loading, layout and (later) review and exports; this crate owns only what a
//! browser needs: the editor state, the SVG canvas and the panels.

pub mod app;
pub mod browser;
pub mod canvas;
pub mod panels;
pub mod state;
pub mod storage;

pub use app::{App, Editor};

/// Mounts the app on the page's body (the entry point of the trunk build).
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
