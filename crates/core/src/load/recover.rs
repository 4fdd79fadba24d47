//! Past the first problem in the plan's shape. serde stops at the first missing field, unknown field or unknown
//! enumeration value; a person fixing a hand-edited file by hand would then meet the problems one load at a
//! time. After each one, the object it is in (the innermost element of a list of objects: a subnet, a rule, a
//! VPN connection) is set aside and the rest is read again, so every such object is reported in one load.
//!
//! Setting an element aside shifts the ones after it, so the paths reported later are mapped back to the file's
//! own indices.

use super::path::{JsonPath, Segment};
use serde_json::Value;

/// At most this many rounds of the typed read: each reads the whole plan again, and a hostile file could hold
/// a broken object in every element of a long list.
pub const MAX_SHAPE_PROBLEMS: usize = 20;

/// The typed read goes over at most this many bytes in all: a file near [`super::MAX_PLAN_BYTES`] gets two
/// rounds, not twenty (each round reads the whole text again, and the browser waits for it).
const MAX_BYTES_READ: usize = 64 * 1024 * 1024;

/// How many rounds of the typed read a plan of `len` bytes (written compact) gets: at least one.
pub fn rounds_for(len: usize) -> usize {
    (MAX_BYTES_READ / len.max(1)).clamp(1, MAX_SHAPE_PROBLEMS)
}

/// Lists whose elements can be set aside without the list's own shape breaking: not `tunnels`, which holds
/// exactly two (setting one aside would be reported as a problem of its own).
fn droppable(list_key: Option<&Segment>) -> bool {
    !matches!(list_key, Some(Segment::Key(k)) if k == "tunnels")
}

/// The elements set aside so far, by their path in the file as written.
#[derive(Default)]
pub struct SetAside {
    /// (list path in the file, index in the file), in the order they were set aside.
    removed: Vec<(JsonPath, usize)>,
}

impl SetAside {
    /// `path`, read in the document with elements set aside, as a path in the file as written.
    pub fn in_file(&self, path: &JsonPath) -> JsonPath {
        let mut original = JsonPath::root();
        for segment in path.segments() {
            let segment = match segment {
                Segment::Index(i) => Segment::Index(self.index_in_file(&original, *i)),
                other => other.clone(),
            };
            original.push(segment);
        }
        original
    }

    /// The index in the file of the `i`-th element still in list `list` (a path in the file): the `i`-th of the
    /// file's indices that were not set aside.
    fn index_in_file(&self, list: &JsonPath, i: usize) -> usize {
        let mut gone: Vec<usize> = self
            .removed
            .iter()
            .filter(|(l, _)| l == list)
            .map(|(_, index)| *index)
            .collect();
        gone.sort_unstable();
        gone.into_iter()
            .fold(i, |index, g| if g <= index { index + 1 } else { index })
    }

    /// Sets aside the innermost object element of a list on `path` (a path in `value`), else the innermost element
    /// of any list (a number where an object belongs: review s19), and says whether there was one. Past the
    /// root's own fields, nothing can be set aside and the typed read cannot go further.
    pub fn set_aside(&mut self, value: &mut Value, path: &JsonPath) -> bool {
        let segments = path.segments();
        // Walk down the path, remembering the last list element that is an object, and the last of any kind.
        let mut node = &*value;
        let mut candidate: Option<usize> = None;
        let mut any_element: Option<usize> = None;
        for (depth, segment) in segments.iter().enumerate() {
            let Some(next) = child(node, segment) else {
                break;
            };
            if matches!(segment, Segment::Index(_))
                && droppable(depth.checked_sub(1).map(|d| &segments[d]))
            {
                if next.is_object() {
                    candidate = Some(depth);
                }
                any_element = Some(depth);
            }
            node = next;
        }
        let Some(depth) = candidate.or(any_element) else {
            return false;
        };
        let Segment::Index(index) = segments[depth] else {
            return false;
        };
        let mut list_path = JsonPath::root();
        let mut list = &mut *value;
        for segment in &segments[..depth] {
            list_path.push(segment.clone());
            let Some(next) = child_mut(list, segment) else {
                return false;
            };
            list = next;
        }
        let Value::Array(items) = list else {
            return false;
        };
        if index >= items.len() {
            return false;
        }
        items.remove(index);
        let file_list = self.in_file(&list_path);
        let file_index = self.index_in_file(&file_list, index);
        self.removed.push((file_list, file_index));
        true
    }
}

fn child<'v>(node: &'v Value, segment: &Segment) -> Option<&'v Value> {
    match (segment, node) {
        (Segment::Key(k), Value::Object(map)) => map.get(k.as_ref()),
        (Segment::Index(i), Value::Array(items)) => items.get(*i),
        _ => None,
    }
}

fn child_mut<'v>(node: &'v mut Value, segment: &Segment) -> Option<&'v mut Value> {
    match (segment, node) {
        (Segment::Key(k), Value::Object(map)) => map.get_mut(k.as_ref()),
        (Segment::Index(i), Value::Array(items)) => items.get_mut(*i),
        _ => None,
    }
}
