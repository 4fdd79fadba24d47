//! Keys written twice in one JSON object. JSON leaves their meaning open (RFC 8259, 4: "the names within an
//! object SHOULD be unique"): serde_json's value keeps the last, a person reading the file sees the first, and
//! other tools may refuse the file. The loader refuses it too and says where, rather than pick one silently.

use super::path::JsonPath;
use super::position::string_end;
use std::collections::HashSet;

/// The first key that appears twice in one object.
#[derive(Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The object holding both, as a JSON path.
    pub path: String,
    pub key: String,
    /// Where the second one starts, 1-based.
    pub line: usize,
    pub column: usize,
}

enum Frame {
    Object {
        keys: HashSet<String>,
        /// The key whose value is being read: the path's segment into a nested value.
        current: Option<String>,
    },
    Array {
        index: usize,
    },
}

/// Deeper than serde_json reads (its recursion limit), the file is refused as JSON anyway: the scan stops there,
/// so a hostile file of nested brackets costs neither memory nor time.
const MAX_DEPTH: usize = 128;

/// Scans `text` for a key written twice in one object, outside the layout (a position written twice changes no
/// design, and the typed read keeps the last, as it does when the rest of the file is sound). Meant for text the
/// JSON parser accepts; other text is scanned as far as it goes.
pub fn first_duplicate_key(text: &str) -> Option<Duplicate> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = string_end(bytes, i);
                let mut next = end;
                while next < bytes.len() && bytes[next].is_ascii_whitespace() {
                    next += 1;
                }
                if bytes.get(next) == Some(&b':') {
                    if let Some(Frame::Object { keys, current }) = stack.last_mut() {
                        let raw = &text[i..end];
                        // Escapes spell the same key other ways ("n\u0061me" is "name").
                        let key = if raw.contains('\\') {
                            serde_json::from_str::<String>(raw).ok()?
                        } else {
                            raw[1..raw.len().saturating_sub(1)].to_string()
                        };
                        if !keys.insert(key.clone()) {
                            let path = path_of(&stack);
                            if path == "$.layout" || path.starts_with("$.layout.") {
                                i = end;
                                continue;
                            }
                            let (line, column) = line_and_column(text, i);
                            return Some(Duplicate {
                                path,
                                key,
                                line,
                                column,
                            });
                        }
                        *current = Some(key);
                    }
                }
                i = end;
                continue;
            }
            b'{' | b'[' if stack.len() >= MAX_DEPTH => return None,
            b'{' => stack.push(Frame::Object {
                keys: HashSet::new(),
                current: None,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Frame::Array { index }) = stack.last_mut() {
                    *index += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The path of the innermost object: each frame below it contributes the step into the next.
fn path_of(stack: &[Frame]) -> String {
    let mut path = JsonPath::root();
    for frame in &stack[..stack.len().saturating_sub(1)] {
        path = match frame {
            Frame::Object {
                current: Some(key), ..
            } => path.key(key),
            Frame::Object { current: None, .. } => path,
            Frame::Array { index } => path.index(*index),
        };
    }
    path.to_string()
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.chars().count(), |n| before[n + 1..].chars().count())
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_second_key_and_names_its_object() {
        let text = "{\"a\": [1, {\"b\": 2}], \"c\": [{}, {\"x\": 1,\n  \"y\": {\"z\": [\"z\", \"z\"]}, \"x\": 3}]}";
        assert_eq!(
            first_duplicate_key(text),
            Some(Duplicate {
                path: "$.c[1]".into(),
                key: "x".into(),
                line: 2,
                column: 27,
            })
        );
        // Escaped spellings of one key are one key; equal values, strings in arrays and keys of sibling objects
        // are not duplicates.
        let escaped = r#"{"name": 1, "n\u0061me": 2}"#;
        assert_eq!(first_duplicate_key(escaped).unwrap().key, "name");
        for fine in [
            r#"{"a": "a", "b": ["a", "a"], "c": {"a": 1}, "d": [{"a": 1}, {"a": 2}]}"#,
            r#"{"a": "x\"y", "b": "\"a\": 1"}"#,
            "[1, 2",
            "",
            "{\"a\": ",
        ] {
            assert_eq!(first_duplicate_key(fine), None, "{fine}");
        }
        assert_eq!(
            first_duplicate_key(r#"{"a": 1, "a": 2}"#).unwrap().path,
            "$"
        );
        // Positions written twice are let be.
        assert_eq!(
            first_duplicate_key(r#"{"layout": {"nodes": {"x": 1, "x": 2}}, "design": {}}"#),
            None
        );
    }

    #[test]
    fn deep_nesting_stops_the_scan_at_json_readers_depth() {
        // Review s16: 40,000 levels took two minutes (the path was copied at each level) and 8 million brackets
        // 600 MB; serde_json refuses anything deeper than 128 levels anyway.
        let deep = format!(
            "{}{{\"x\":1,\"x\":2}}{}",
            "{\"a\":".repeat(40_000),
            "}".repeat(40_000)
        );
        assert_eq!(first_duplicate_key(&deep), None);
        let brackets = "[".repeat(8_000_000);
        assert_eq!(first_duplicate_key(&brackets), None);
        let shallow = format!(
            "{}{{\"x\":1,\"x\":2}}{}",
            "{\"a\":".repeat(100),
            "}".repeat(100)
        );
        assert!(first_duplicate_key(&shallow).is_some());
    }
}
