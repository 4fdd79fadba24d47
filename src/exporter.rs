//! The bridge to the exporters, which live in a second wasm module (crates/exporter) that the app fetches the
//! first time they are wanted: they are about a tenth of the first download and most visits never export
//! (docs/benchmarks.md, session 12). The plan crosses as its plan-file JSON.
//!
//! Trunk builds the module beside the app; scripts/hash-exporter.sh names its files after their content and
//! writes that name into the page's `vpn-designer-exporter` meta tag, so a browser never pairs a cached exporter
//! with a newer app.

use vpn_designer_core::export::{ExportFile, Format};
use vpn_designer_core::Plan;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
let loading = null;
let exporter = null;
let attempts = 0;
function url(suffix) {
  const meta = document.querySelector('meta[name="vpn-designer-exporter"]');
  // The hook writes the name with trunk's public URL in front (`/vpn-designer-exporter-…`).
  return new URL((meta ? meta.content : 'vpn-designer-exporter') + suffix, document.baseURI).href;
}
export function loadExporter() {
  if (!loading) {
    // The browser remembers a failed module import for the page's lifetime: a retry asks for a new URL.
    const retry = attempts++ ? `?attempt=${attempts}` : '';
    loading = import(url('.js') + retry)
      .then(async (module) => {
        await module.default({ module_or_path: url('_bg.wasm') });
        const seed = crypto.getRandomValues(new Uint32Array(2));
        module.seed(seed[0], seed[1]);
        exporter = module;
      })
      // A failed fetch (offline, a server error) may be retried: the next call starts again.
      .catch((error) => { loading = null; throw error; });
  }
  return loading;
}
export function exporterReady() { return exporter !== null; }
export function runExport(plan, format, secrets) {
  try {
    return exporter.export_files(plan, format, secrets);
  } catch (error) {
    // A trap leaves that instance unusable: drop it, so the next export loads a fresh one.
    if (error instanceof WebAssembly.RuntimeError) { exporter = null; loading = null; }
    throw error;
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = loadExporter, catch)]
    async fn load_exporter() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = exporterReady)]
    fn exporter_ready() -> bool;
    #[wasm_bindgen(js_name = runExport, catch)]
    fn run_export(plan: &str, format: &str, secrets: bool) -> Result<js_sys::Array, JsValue>;
}

/// Whether the exporters are loaded, so [`export`] can run now.
pub fn ready() -> bool {
    exporter_ready()
}

/// Fetches and starts the exporters (once: later calls wait for the same load, or retry a failed one).
pub async fn load() -> Result<(), String> {
    load_exporter().await.map(drop).map_err(|e| {
        format!(
            "could not load the exporters: {}",
            crate::browser::error_text(&e)
        )
    })
}

/// Runs one export. The plan file needs no exporter (the app writes plan files itself); every other format needs
/// [`load`] to have finished.
pub fn export(
    plan: &Plan,
    format: Format,
    include_secrets: bool,
) -> Result<Vec<ExportFile>, String> {
    if format == Format::Plan {
        return Ok(vec![ExportFile {
            name: "plan.json".to_string(),
            contents: vpn_designer_core::export::plan_file::export_plan(plan, include_secrets),
        }]);
    }
    // The whole plan, keys included: the exporters leave them out of what they write unless asked (`Options`),
    // but the review pack and the sheet still compare them (TUN-005 to TUN-007), as the command line does. The
    // module runs in this page; nothing leaves the browser.
    let flat = run_export(&plan.to_json(), format.name(), include_secrets)
        .map_err(|e| format!("the export failed: {}", crate::browser::error_text(&e)))?;
    let mut strings = flat.iter().map(|v| v.as_string().unwrap_or_default());
    let mut files = Vec::new();
    while let (Some(name), Some(contents)) = (strings.next(), strings.next()) {
        files.push(ExportFile { name, contents });
    }
    Ok(files)
}
