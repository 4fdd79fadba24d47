//! Where in a plan the typed phase of loading failed. serde_json says where it stopped as a byte offset; this
//! walks the document's structure up to that offset and names the field it was reading, in the notation of
//! [`JsonPath`]. It replaces tracking the path during deserialisation, which wrapped every visitor of the model
//! and doubled the model's deserialisation code in the browser's bundle (`tests::paths_match_path_tracking`
//! holds the two together).

use super::path::JsonPath;

enum Frame {
    /// The key being read or last read; `None` before the first.
    Object(Option<String>),
    /// The index of the element being read; `None` before the first.
    Array(Option<usize>),
}

/// The path of the value serde_json was reading when it stopped at byte `offset` of `text` (JSON text that
/// parsed as a JSON value: the loader only asks about such text).
pub(crate) fn json_path_at(text: &str, offset: usize) -> JsonPath {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut expecting_key = false;
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                expecting_key = true;
            }
            b'[' => {
                stack.push(Frame::Array(None));
                expecting_key = false;
                // An element starts unless the array is empty.
                if next_significant(bytes, i + 1) != Some(b']') {
                    if let Some(Frame::Array(index)) = stack.last_mut() {
                        *index = Some(0);
                    }
                }
            }
            b'}' | b']' => {
                // Stopped right at the closing bracket (a missing field is reported there): the path is the
                // container's own.
                if i + 1 >= end {
                    match stack.last_mut() {
                        Some(Frame::Object(key)) => *key = None,
                        Some(Frame::Array(index)) => *index = None,
                        None => {}
                    }
                    break;
                }
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index = Some(index.map_or(0, |n| n + 1)),
                Some(Frame::Object(_)) => expecting_key = true,
                None => {}
            },
            b':' => expecting_key = false,
            b'"' => {
                let close = string_end(bytes, i);
                if expecting_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        let raw = &text[i..close.min(bytes.len())];
                        *key = Some(serde_json::from_str::<String>(raw).unwrap_or_default());
                    }
                    expecting_key = false;
                }
                i = close;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = JsonPath::root();
    for frame in &stack {
        path = match frame {
            Frame::Object(Some(key)) => path.key(key),
            Frame::Array(Some(index)) => path.index(*index),
            _ => path,
        };
    }
    path
}

/// The index just past the closing quote of the JSON string starting at `start` (the edit locator uses it too).
pub(crate) fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn next_significant(bytes: &[u8], from: usize) -> Option<u8> {
    bytes[from.min(bytes.len())..]
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_at(text: &str, offset: usize) -> String {
        json_path_at(text, offset).to_string()
    }
    use crate::model::Plan;
    use serde_json::Value;

    /// Every way of breaking one place of a plan: a value of another JSON type, a field removed, an unknown
    /// field added.
    fn mutations(value: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<(Vec<Step>, Edit)>>) {
        let wrong = match value {
            Value::String(_) => Value::from(7),
            Value::Number(_) => Value::from("seven"),
            Value::Bool(_) => Value::from("yes"),
            Value::Array(_) => Value::from(false),
            Value::Object(_) => Value::from(3),
            Value::Null => Value::from(true),
        };
        out.push(vec![(at.clone(), Edit::Set(wrong))]);
        match value {
            Value::Object(map) => {
                out.push(vec![(at.clone(), Edit::Add)]);
                for (key, child) in map {
                    out.push(vec![(at.clone(), Edit::Remove(key.clone()))]);
                    at.push(Step::Key(key.clone()));
                    mutations(child, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    at.push(Step::Index(i));
                    mutations(child, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    #[derive(Clone)]
    enum Step {
        Key(String),
        Index(usize),
    }

    enum Edit {
        Set(Value),
        Remove(String),
        Add,
    }

    fn apply(mut value: Value, at: &[Step], edit: &Edit) -> Value {
        let mut cursor = &mut value;
        for step in at {
            cursor = match step {
                Step::Key(k) => &mut cursor[k.as_str()],
                Step::Index(i) => &mut cursor[*i],
            };
        }
        match edit {
            Edit::Set(v) => *cursor = v.clone(),
            Edit::Remove(key) => {
                if let Value::Object(map) = cursor {
                    map.remove(key);
                }
            }
            Edit::Add => {
                if let Value::Object(map) = cursor {
                    map.insert("surplus \"field\"".into(), Value::from(1));
                }
            }
        }
        value
    }

    #[test]
    fn paths_match_path_tracking() {
        let plans = [
            crate::templates::reference(),
            crate::templates::template("static").unwrap(),
            crate::review::generate::plan(2, 5),
        ];
        let mut compared = 0;
        let mut accepted = 0;
        let mut differ = Vec::new();
        for plan in &plans {
            let value = serde_json::to_value(plan).unwrap();
            let mut all = Vec::new();
            mutations(&value, &mut Vec::new(), &mut all);
            for edits in all {
                let (at, edit) = &edits[0];
                let broken = apply(value.clone(), at, edit);
                let tracked = serde_path_to_error::deserialize::<_, Plan>(&broken);
                let text = serde_json::to_string(&broken).unwrap();
                let read = serde_json::from_str::<Plan>(&text);
                let (Err(tracked), Err(read)) = (tracked, read) else {
                    // The loader skips the leaf checks for a plan the typed read accepts: they must agree.
                    if serde_json::from_str::<Plan>(&text).is_ok() {
                        let leaves = crate::load::leaves::check(&broken);
                        assert!(leaves.is_empty(), "{leaves:?}");
                        accepted += 1;
                    }
                    continue;
                };
                compared += 1;
                let expected = JsonPath::from_serde(tracked.path());
                let found = path_at(&text, read.column());
                // Inside an externally tagged enum (`{"subnet": …}`) path tracking stops at the enum; the
                // position names its variant too, which says more.
                let variant = found.strip_prefix(expected.as_str()).is_some_and(|rest| {
                    rest.starts_with(['.', '[']) && rest[1..].find(['.', '[']).is_none()
                });
                if expected != found && !variant {
                    differ.push(format!("{expected} vs {found}: {read}"));
                }
            }
        }
        assert!(compared > 1000, "only {compared} broken plans compared");
        assert!(accepted > 100, "only {accepted} changed plans accepted");
        assert!(
            differ.is_empty(),
            "{} of {compared} differ:\n{}",
            differ.len(),
            differ[..differ.len().min(30)].join("\n")
        );
    }

    #[test]
    fn paths_in_brief() {
        let text = r#"{"a":{"b":[1,{"c":"x"}],"d":{}},"e":[]}"#;
        let at = |needle: &str| text.find(needle).unwrap() + needle.len();
        assert_eq!(path_at(text, at(r#""c":"x""#)), "$.a.b[1].c");
        assert_eq!(path_at(text, at(r#"[1"#)), "$.a.b[0]");
        assert_eq!(path_at(text, at(r#""d":{}"#)), "$.a.d");
        assert_eq!(path_at(text, at(r#""e":["#)), "$.e");
        assert_eq!(path_at(text, 0), "$");
    }
}
