//! Autosave and named plans in the browser's local storage.
//!
//! Each plan lives under its own key with an index of names beside it, and the open plan's view (pan and zoom)
//! under another, so a reload restores both. Storage can be full or switched off: every write reports failure to
//! the caller, which tells the user; nothing is lost silently (the plan stays in memory and can be exported).

use serde::{Deserialize, Serialize};
use vpn_designer_core::viewport::Viewport;

const INDEX: &str = "vpn-designer/plans";
const CURRENT: &str = "vpn-designer/current";

fn plan_key(id: &str) -> String {
    format!("vpn-designer/plan/{id}")
}

/// Whether a storage key (a `storage` event's) is where plan `id` is kept.
pub fn is_plan_key(key: &str, id: &str) -> bool {
    key == plan_key(id)
}

fn view_key(id: &str) -> String {
    format!("vpn-designer/view/{id}")
}

/// One saved plan in the index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub id: String,
    pub name: String,
}

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| "this browser does not allow local storage here".to_string())
}

fn get(key: &str) -> Option<String> {
    storage().ok()?.get_item(key).ok().flatten()
}

fn set(key: &str, value: &str) -> Result<(), String> {
    storage()?.set_item(key, value).map_err(|_| {
        "the browser's local storage is full or blocked; export the plan file to keep your work"
            .to_string()
    })
}

/// The saved plans, in the order they were first saved.
pub fn index() -> Vec<Saved> {
    get(INDEX)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write_index(index: &[Saved]) -> Result<(), String> {
    set(INDEX, &serde_json::to_string(index).unwrap_or_default())
}

/// The id of the plan open last, if any.
pub fn current() -> Option<String> {
    get(CURRENT)
}

pub fn set_current(id: &str) -> Result<(), String> {
    set(CURRENT, id)
}

/// The stored text of a plan (validated by the caller's loader).
pub fn load(id: &str) -> Option<String> {
    get(&plan_key(id))
}

/// Saves a plan's JSON under `id`, named `name` in the index.
pub fn save(id: &str, name: &str, json: &str) -> Result<(), String> {
    set(&plan_key(id), json)?;
    let mut index = index();
    match index.iter_mut().find(|s| s.id == id) {
        Some(entry) if entry.name == name => return Ok(()),
        Some(entry) => entry.name = name.to_string(),
        None => index.push(Saved {
            id: id.to_string(),
            name: name.to_string(),
        }),
    }
    write_index(&index)
}

pub fn remove(id: &str) -> Result<(), String> {
    let storage = storage()?;
    let _ = storage.remove_item(&plan_key(id));
    let _ = storage.remove_item(&view_key(id));
    let index: Vec<Saved> = index().into_iter().filter(|s| s.id != id).collect();
    write_index(&index)
}

/// A fresh id for a new saved plan.
pub fn new_id() -> String {
    let taken = index();
    let mut n = taken.len() + 1;
    while taken.iter().any(|s| s.id == format!("plan-{n}")) {
        n += 1;
    }
    format!("plan-{n}")
}

/// How a plan is looked at, kept apart from the plan: the pan and zoom, and which links are drawn as one line
/// (QA s18: that was forgotten on reload, and carried over into the next plan opened).
pub struct SavedView {
    pub viewport: Viewport,
    pub collapsed: std::collections::BTreeSet<String>,
}

/// `x y zoom` on the first line, then one collapsed link's key per line.
pub fn save_view(
    id: &str,
    view: Viewport,
    collapsed: &std::collections::BTreeSet<String>,
) -> Result<(), String> {
    let mut text = format!("{} {} {}", view.x, view.y, view.zoom);
    for key in collapsed.iter().filter(|k| !k.contains('\n')) {
        text.push('\n');
        text.push_str(key);
    }
    set(&view_key(id), &text)
}

pub fn load_view(id: &str) -> Option<SavedView> {
    let text = get(&view_key(id))?;
    let mut lines = text.split('\n');
    let mut parts = lines.next()?.split(' ').map(|p| p.parse::<f64>().ok());
    let (x, y, zoom) = (parts.next()??, parts.next()??, parts.next()??);
    (x.is_finite() && y.is_finite() && zoom.is_finite() && zoom > 0.0).then(|| SavedView {
        viewport: Viewport { x, y, zoom },
        collapsed: lines
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    })
}
