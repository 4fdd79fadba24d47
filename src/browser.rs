//! The few browser services the editor needs beyond the DOM: a cryptographic random source, file download,
//! the clipboard, and raw DEFLATE through the browser's own Compression Streams (so no compressor is shipped in
//! the bundle). Kept in one place so the rest of the app stays plain Rust.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export async function deflate(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
// Reads at most `limit` inflated bytes: a link that inflates beyond it is refused as soon as it does, before it
// can exhaust memory.
export async function inflate(bytes, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new Error('the plan in the link is larger than ' + limit + ' bytes');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return new TextDecoder('utf-8', { fatal: true }).decode(out);
}
export function download(name, type, data) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
export async function copyText(text) { await navigator.clipboard.writeText(text); }
export function randomBytes(buffer) { crypto.getRandomValues(buffer); }
export function errorText(e) { return (e && e.message) ? e.message : String(e); }
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn deflate(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn inflate(bytes: &[u8], limit: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = download)]
    fn download_js(name: &str, mime: &str, text: &str);
    #[wasm_bindgen(js_name = download)]
    fn download_bytes_js(name: &str, mime: &str, bytes: &[u8]);
    #[wasm_bindgen(js_name = copyText, catch)]
    async fn copy_text(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = randomBytes)]
    fn random_bytes(buffer: &mut [u8]);
    /// The message of a JavaScript error (or the value itself, as text).
    #[wasm_bindgen(js_name = errorText)]
    pub fn error_text(error: &JsValue) -> String;
}

/// Runs `work` and records its duration as a `name` performance measure, which the in-browser benchmarks
/// (tools/bench-editor.mjs) read. The timeline keeps the last 500 of each.
pub fn measured<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return work();
    };
    let start = format!("{name}-start");
    let _ = performance.mark(&start);
    let out = work();
    let _ = performance.measure_with_start_mark(name, &start);
    performance.clear_marks_with_mark_name(&start);
    if performance.get_entries_by_name(name).length() > 500 {
        performance.clear_measures_with_measure_name(name);
    }
    out
}

/// Records a `name` performance mark (read by the journeys and benchmarks).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Fills `buffer` from `crypto.getRandomValues`.
pub fn fill_random(buffer: &mut [u8]) {
    random_bytes(buffer);
}

/// Compresses text with raw DEFLATE.
pub async fn compress(text: &str) -> Result<Vec<u8>, String> {
    let value = deflate(text).await.map_err(|e| error_text(&e))?;
    Ok(js_sys::Uint8Array::new(&value).to_vec())
}

/// Inflates raw DEFLATE to text, refusing more than `limit` bytes.
pub async fn decompress(bytes: &[u8], limit: usize) -> Result<String, String> {
    let value = inflate(bytes, limit.min(u32::MAX as usize) as u32)
        .await
        .map_err(|e| error_text(&e))?;
    value
        .as_string()
        .ok_or_else(|| "the link did not hold text".to_string())
}

/// Offers `text` as a file download.
pub fn download(name: &str, mime: &str, text: &str) {
    download_js(name, mime, text);
}

/// Offers bytes (an archive) as a file download.
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) {
    download_bytes_js(name, mime, bytes);
}

pub async fn copy(text: &str) -> Result<(), String> {
    copy_text(text).await.map(drop).map_err(|e| error_text(&e))
}

/// Reads a picked or dropped file as text.
pub async fn read_file(file: web_sys::File) -> Result<String, String> {
    let promise = file.text();
    let value = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| error_text(&e))?;
    value
        .as_string()
        .ok_or_else(|| "the file is not text".to_string())
}

/// After an action whose control the page then removes or disables (an applied fix, a removed link, a made
/// connection), the focus would fall to the page's body, where a keyboard or screen reader user loses their
/// place. Over the next few frames (the page redraws after the action), if it did, or if the focused control is
/// now disabled, the first of these elements (by `data-testid`) that takes focus gets it.
pub fn keep_focus_near(candidates: Vec<String>) {
    keep_focus_near_for(candidates, 4);
}

fn keep_focus_near_for(candidates: Vec<String>, frames: u8) {
    leptos::prelude::request_animation_frame(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let lost = document.active_element().is_none_or(|e| {
            document.body().is_some_and(|b| e == *b) || e.matches(":disabled").unwrap_or(false)
        });
        // The element to take it may not be drawn yet: try again in the next frame.
        if (!lost || !focus_first(&document, &candidates)) && frames > 1 {
            keep_focus_near_for(candidates, frames - 1);
        }
    });
}

/// After the next render, moves the focus to the first of `candidates` (by `data-testid`) that is drawn and
/// enabled, wherever the focus is: for a control whose row moves in a list redrawn in a new order (the focused
/// element then belongs to another row, QA s18).
pub fn move_focus_to(candidates: Vec<String>) {
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::request_animation_frame(move || {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                focus_first(&document, &candidates);
            }
        })
    });
}

/// Focuses the first of `candidates` (by `data-testid`) that is drawn, enabled and takes the focus; whether one
/// did. A disabled control keeps the focus it had for a moment, but cannot keep it.
fn focus_first(document: &web_sys::Document, candidates: &[String]) -> bool {
    candidates
        .iter()
        .filter(|id| !id.contains(['"', '\\']))
        .filter_map(|id| {
            document
                .query_selector(&format!("[data-testid=\"{id}\"]"))
                .ok()
                .flatten()
        })
        .any(|element| !element.matches(":disabled").unwrap_or(false) && focus(&element))
}

/// Gives an element of the page (HTML or SVG) the focus; whether it took it (a disabled or removed one does not).
pub fn focus(element: &web_sys::Element) -> bool {
    if let Some(html) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = html.focus();
    } else if let Some(svg) = element.dyn_ref::<web_sys::SvgElement>() {
        let _ = svg.focus();
    }
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .as_ref()
        == Some(element)
}
