//! VPN Designer's web app: a Leptos client-side app over `vpn-designer-core`.
//!
//! The core crate owns the plan, its loading, layout and (later) review and exports; this crate owns only what a
//! browser needs: the editor state, the SVG canvas and the panels.

// The wasm builds compile Leptos with `--cfg erase_components` (.cargo/config.toml): without it the bundle grows by
// about 35 KB and nothing else fails. A RUSTFLAGS variable in the environment replaces that list, so say so here.
// (Not when rustdoc collects doctests: it reads the source without the target's rustflags.)
#[cfg(all(target_arch = "wasm32", not(erase_components), not(doctest)))]
compile_error!(
    "build the web app with `--cfg erase_components` (set in .cargo/config.toml; unset RUSTFLAGS, which replaces it)"
);

pub mod app;
pub mod browser;
pub mod canvas;
pub mod exporter;
pub mod panels;
pub mod state;
pub mod storage;

pub use app::{App, Editor};

/// Mounts the app on the page's body (the entry point of the trunk build).
pub fn start() {
    // The first-render benchmark (tools/bench-first-render.mjs) splits its figure here: before this mark is
    // loading and compiling the wasm, after it is the app building its state and drawing the design.
    browser::mark("vpn-designer:start");
    // Before any plan is read: the id indexes (loader, review, layout, exports) take a seed a share link's author
    // cannot know (std has no randomness to reach in the browser).
    let mut seed = [0u8; 8];
    browser::fill_random(&mut seed);
    vpn_designer_core::hash::seed_hashes(u64::from_le_bytes(seed));
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
