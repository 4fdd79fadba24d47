//! JSON paths in the `$.a.b[0].c` notation that people and tools (jq, JSONPath) read.

use std::borrow::Cow;
use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonPath(Vec<Segment>);

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Borrowed for the model's own field names, which the loader names by the hundred thousand.
    Key(Cow<'static, str>),
    Index(usize),
}

impl JsonPath {
    pub fn root() -> Self {
        JsonPath::default()
    }

    pub fn key(&self, key: &str) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Key(Cow::Owned(key.to_string())));
        next
    }

    /// [`key`](Self::key) for a field name of the model: no copy of the name.
    pub fn field(&self, name: &'static str) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Key(Cow::Borrowed(name)));
        next
    }

    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Index(index));
        next
    }

    pub(crate) fn segments(&self) -> &[Segment] {
        &self.0
    }

    pub(crate) fn push(&mut self, segment: Segment) {
        self.0.push(segment);
    }

    /// Converts serde_path_to_error's path into the same notation (the tests' oracle for `position::json_path_at`).
    #[cfg(test)]
    pub fn from_serde(path: &serde_path_to_error::Path) -> String {
        use serde_path_to_error::Segment as S;
        let mut out = JsonPath::root();
        for segment in path.iter() {
            out = match segment {
                S::Seq { index } => out.index(*index),
                S::Map { key } => out.key(key),
                S::Enum { variant } => out.key(variant),
                S::Unknown => out,
            };
        }
        out.to_string()
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.0 {
            match segment {
                Segment::Index(i) => write!(f, "[{i}]")?,
                Segment::Key(k) if is_plain(k) => write!(f, ".{k}")?,
                Segment::Key(k) => write!(f, "[{}]", serde_json::Value::String(k.to_string()))?,
            }
        }
        Ok(())
    }
}

fn is_plain(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_in_jsonpath_notation() {
        let path = JsonPath::root()
            .key("azure")
            .key("vnets")
            .index(0)
            .key("cidr");
        assert_eq!(path.to_string(), "$.azure.vnets[0].cidr");
        let odd = JsonPath::root().key("layout").key("nodes").key("vnet-1");
        assert_eq!(odd.to_string(), "$.layout.nodes[\"vnet-1\"]");
    }
}
