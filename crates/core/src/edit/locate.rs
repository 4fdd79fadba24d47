//! Finds an object of the design by its id in the plan's compact JSON text: where its JSON starts and ends, and
//! its JSON path. A field edit parses, changes and writes back that object alone, then loads the whole text like
//! a plan file. Before, the edit turned the whole plan into a `serde_json::Value` tree twice and back (36 ms for
//! one field of a 100-network plan, natively), which is most of the time a person waits after pressing Enter.

use crate::load::{string_end, JsonPath};

/// An object's place in the text: `text[start..end]` is its JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    /// `$.design.azure.vnets[0]`: the path problems are reported under.
    pub path: JsonPath,
}

enum Frame {
    Object {
        start: usize,
        /// The current key, as it is written in the text (between its quotes, escapes and all).
        key: (usize, usize),
        /// Whether this object's own `id` is the one sought.
        found: bool,
    },
    Array {
        index: usize,
    },
}

/// The object of the plan's `design` whose own `id` field is `id`, in `text` (JSON as serde_json writes it).
/// Ids are unique in a loaded plan, so the first match is the match.
pub fn find_object(text: &str, id: &str) -> Option<Found> {
    // The id as serde_json writes it, quotes and escapes included, so it is compared with the text as is.
    let needle = serde_json::to_string(id).ok()?;
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut expecting_key = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                stack.push(Frame::Object {
                    start: i,
                    key: (0, 0),
                    found: false,
                });
                expecting_key = true;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                expecting_key = false;
            }
            b'}' => {
                if let Some(Frame::Object {
                    start, found: true, ..
                }) = stack.pop()
                {
                    // A match outside the design (none has an `id` field today) is passed over.
                    if let Some(path) = in_design(text, &stack) {
                        return Some(Found {
                            start,
                            end: i + 1,
                            path,
                        });
                    }
                }
                expecting_key = false;
            }
            b']' => {
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { .. }) => expecting_key = true,
                None => {}
            },
            b':' => expecting_key = false,
            b'"' => {
                let close = string_end(bytes, i);
                if let Some(Frame::Object { key, found, .. }) = stack.last_mut() {
                    if expecting_key {
                        *key = (i + 1, close.saturating_sub(1));
                        expecting_key = false;
                    } else if &text[key.0..key.1] == "id" && text.get(i..close) == Some(&needle) {
                        *found = true;
                    }
                }
                i = close;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The path of the object whose parents are `stack`, if it lies inside the plan's `design`.
fn in_design(text: &str, stack: &[Frame]) -> Option<JsonPath> {
    let mut path = JsonPath::root();
    for (depth, frame) in stack.iter().enumerate() {
        path = match frame {
            Frame::Object { key, .. } => {
                let raw = &text[key.0..key.1];
                // The model's keys are plain; a key with escapes is read as JSON.
                let name = if raw.contains('\\') {
                    serde_json::from_str::<String>(&text[key.0 - 1..key.1 + 1]).ok()?
                } else {
                    raw.to_string()
                };
                if depth == 0 && name != "design" {
                    return None;
                }
                path.key(&name)
            }
            Frame::Array { index } => path.index(*index),
        };
    }
    (!stack.is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::json::compact;
    use crate::templates::{template, TEMPLATE_NAMES};
    use serde_json::Value;

    /// Every object with an id, found by a walk of the JSON value: its path and its value.
    fn objects(value: &Value, path: JsonPath, out: &mut Vec<(String, JsonPath, Value)>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(id)) = map.get("id") {
                    out.push((id.clone(), path.clone(), value.clone()));
                }
                for (key, child) in map {
                    objects(child, path.key(key), out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    objects(child, path.index(i), out);
                }
            }
            _ => {}
        }
    }

    /// Every object of every template and of a generated plan is found at its path, and its text is its JSON.
    #[test]
    fn every_object_is_found_with_its_path() {
        let mut plans: Vec<_> = TEMPLATE_NAMES
            .iter()
            .map(|name| template(name).unwrap())
            .collect();
        plans.push(crate::review::generate::plan(6, 4));
        for plan in plans {
            let text = compact(&plan);
            let value: Value = serde_json::from_str(&text).unwrap();
            let mut all = Vec::new();
            objects(&value["design"], JsonPath::root().key("design"), &mut all);
            assert!(!all.is_empty() || plan.design.azure.vnets.is_empty());
            for (id, path, object) in all {
                let found = find_object(&text, &id).unwrap_or_else(|| panic!("{id} not found"));
                assert_eq!(found.path, path, "{id}");
                let parsed: Value = serde_json::from_str(&text[found.start..found.end]).unwrap();
                assert_eq!(parsed, object, "{id}");
            }
            assert_eq!(find_object(&text, "no-such-id"), None);
        }
    }

    /// Ids and keys with quotes, backslashes and non-ASCII characters; an `id` key that is not the object's own
    /// (inside a nested object) does not match; objects outside the design do not match.
    #[test]
    fn escapes_and_look_alikes() {
        let text = r#"{"layout":{"x":{"id":"b"}},"design":{"we\"ird":[{"name":"id","id":"q\"u\\ote é","n":{"id":"inner"}},{"id":"b"}]}}"#;
        let found = find_object(text, "q\"u\\ote é").unwrap();
        assert_eq!(found.path.to_string(), r#"$.design["we\"ird"][0]"#);
        let object: Value = serde_json::from_str(&text[found.start..found.end]).unwrap();
        assert_eq!(object["n"]["id"], "inner");
        assert_eq!(
            find_object(text, "inner").unwrap().path.to_string(),
            r#"$.design["we\"ird"][0].n"#
        );
        assert_eq!(
            find_object(text, "b").unwrap().path.to_string(),
            r#"$.design["we\"ird"][1]"#,
            "the same id in the layout, before the design, is passed over"
        );
        assert_eq!(find_object(text, "a"), None);
        assert_eq!(find_object(text, "id"), None, "a value named like the key");
    }
}
