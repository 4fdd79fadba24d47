//! Stable, unique names for generated objects (Terraform resource names, CloudFormation logical ids, Mermaid
//! node ids), derived from plan ids so that a small design change is a small diff.

use super::escape::identifier;
use crate::hash::FastMap;
use std::rc::Rc;

/// Hands out one name per (namespace, key), unique within the namespace. The first key to ask for a name gets the
/// plain form, later colliding keys get `_2`, `_3`…; generation order is fixed, so names are deterministic.
/// Hash maps are only looked up, never iterated, so they cannot make the output depend on hashing.
#[derive(Default)]
pub struct Namer {
    /// One entry per namespace, in the order they were first asked for (a few dozen at most).
    spaces: Vec<Space>,
    /// (address, length) of each namespace string seen → its entry in `spaces`.
    by_address: Vec<((usize, usize), usize)>,
    /// A direct-mapped cache in front of `by_address`, indexed by the namespace's address: exporters alternate
    /// between a few namespaces (an association, then the two resources it references), and a search through
    /// a few dozen entries per name was a measurable share of Terraform's time.
    recent: [Option<((usize, usize), usize)>; 32],
    /// Where a name is put together, kept from name to name.
    scratch: Vec<u8>,
    /// Applied to every name: identifier() for Terraform and Mermaid, alphanumeric CamelCase for CloudFormation.
    style: Style,
}

/// One namespace: every name handed out, each with the key that owns it. One map instead of two (key → name
/// and the set of names used): a key's name is its plain form or the first free numbered form after it, and
/// names are never taken back, so looking a key up is walking that sequence until a name the key owns (or a
/// free one, which it then takes). A hit costs one hash, a new name one allocation; keys live in one buffer.
#[derive(Default)]
struct Space {
    namespace: Box<str>,
    /// Name → (start, end) of its owner's key in `keys`.
    names: FastMap<Rc<str>, (usize, usize)>,
    keys: String,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub enum Style {
    #[default]
    Snake,
    /// Letters and digits only, starting with a letter (CloudFormation logical ids).
    Camel,
}

impl Namer {
    pub fn new(style: Style) -> Self {
        Namer {
            style,
            ..Namer::default()
        }
    }

    pub fn name(&mut self, namespace: &'static str, key: &str) -> String {
        self.shared(namespace, key).to_string()
    }

    fn space(&mut self, namespace: &'static str) -> usize {
        // A namespace is a `'static` string, never freed: its address names it, and comparing addresses is
        // cheaper than comparing the text (Terraform's resource types share long prefixes).
        let address = (namespace.as_ptr() as usize, namespace.len());
        let slot = (address.0 ^ (address.0 >> 6) ^ address.1) % self.recent.len();
        if let Some((a, index)) = self.recent[slot] {
            if a == address {
                return index;
            }
        }
        let index = match self.by_address.iter().find(|(a, _)| *a == address) {
            Some(&(_, index)) => index,
            None => {
                let index = match self.spaces.iter().position(|s| &*s.namespace == namespace) {
                    Some(i) => i,
                    None => {
                        self.spaces.push(Space {
                            namespace: namespace.into(),
                            ..Space::default()
                        });
                        self.spaces.len() - 1
                    }
                };
                self.by_address.push((address, index));
                index
            }
        };
        self.recent[slot] = Some((address, index));
        index
    }

    /// Makes room for `additional` more names in a namespace, so that a large plan's names do not grow the
    /// maps step by step.
    pub fn reserve(&mut self, namespace: &'static str, additional: usize) {
        let index = self.space(namespace);
        let space = &mut self.spaces[index];
        space.names.reserve(additional);
        space.keys.reserve(additional * 16);
    }

    /// The name as a shared string: no allocation when the name was handed out before.
    pub fn shared(&mut self, namespace: &'static str, key: &str) -> Rc<str> {
        let style = self.style;
        let index = self.space(namespace);
        // The plain form, put together in a buffer kept from name to name.
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        match style {
            Style::Snake
                if key.is_ascii()
                    && key.as_bytes().first().is_some_and(|b| !b.is_ascii_digit()) =>
            {
                // identifier(key) for an ASCII key: each byte kept or made `_`, in place (pushing chars into a
                // String one by one cost more than the hash lookup that follows).
                bytes.extend_from_slice(key.as_bytes());
                for b in bytes.iter_mut() {
                    if !(b.is_ascii_alphanumeric() || *b == b'_') {
                        *b = b'_';
                    }
                }
            }
            Style::Snake => bytes.extend_from_slice(identifier(key).as_bytes()),
            Style::Camel => bytes.extend_from_slice(camel(key).as_bytes()),
        }
        // Only ASCII bytes were changed, into ASCII: still UTF-8.
        let base = std::str::from_utf8(&bytes).unwrap_or_default();
        let space = &mut self.spaces[index];
        let mut n = 1;
        let name = loop {
            let candidate: std::borrow::Cow<str> = if n == 1 {
                std::borrow::Cow::Borrowed(base)
            } else {
                std::borrow::Cow::Owned(match style {
                    Style::Snake => format!("{base}_{n}"),
                    Style::Camel => format!("{base}{n}"),
                })
            };
            match space.names.get_key_value(&*candidate) {
                Some((name, &(start, end))) => {
                    if &space.keys[start..end] == key {
                        break name.clone();
                    }
                }
                None => {
                    // Free: the key has no name yet (it would own this one or one before it), so it takes this.
                    let name: Rc<str> = Rc::from(&*candidate);
                    let start = space.keys.len();
                    space.keys.push_str(key);
                    space.names.insert(name.clone(), (start, space.keys.len()));
                    break name;
                }
            }
            n += 1;
        };
        self.scratch = bytes;
        name
    }
}

/// `aws-vpn-1` → `AwsVpn1`: letters and digits only, starting with a letter.
pub fn camel(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut upper = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'X');
    }
    out
}

/// The key a route's resource is named from: its table and what tells it apart (a name, a destination); its place
/// in the table for a second route with the same (which the review reports, RT-005).
pub(crate) fn route_key(
    table: &str,
    what: &str,
    index: usize,
    taken: &mut std::collections::HashSet<String>,
) -> String {
    let key = format!("{table}-route-{what}");
    if taken.insert(key.clone()) {
        key
    } else {
        format!("{table}-route-{}", index + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn colliding_keys_get_distinct_stable_names() {
        let mut namer = Namer::new(Style::Snake);
        assert_eq!(namer.name("vnet", "a.b"), "a_b");
        assert_eq!(namer.name("vnet", "a_b"), "a_b_2");
        assert_eq!(namer.name("vnet", "a.b"), "a_b");
        assert_eq!(namer.name("subnet", "a_b"), "a_b");
        let mut camel = Namer::new(Style::Camel);
        assert_eq!(camel.name("", "aws-vpn-1"), "AwsVpn1");
        assert_eq!(camel.name("", "aws.vpn.1"), "AwsVpn12");
        assert_eq!(camel.name("", "9x"), "X9x");
    }

    /// The one-map namer against the plain two-map algorithm it replaced (key → name, and the set of names
    /// used), on keys chosen to collide: plain forms, numbered forms of each other, repeats, several
    /// namespaces, both styles.
    #[test]
    fn names_are_those_of_the_two_map_algorithm() {
        fn reference(
            given: &mut HashMap<(String, String), String>,
            used: &mut HashSet<(String, String)>,
            style: Style,
            namespace: &str,
            key: &str,
        ) -> String {
            if let Some(name) = given.get(&(namespace.to_string(), key.to_string())) {
                return name.clone();
            }
            let base = match style {
                Style::Snake => identifier(key),
                Style::Camel => camel(key),
            };
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert((namespace.to_string(), name.clone())) {
                name = match style {
                    Style::Snake => format!("{base}_{n}"),
                    Style::Camel => format!("{base}{n}"),
                };
                n += 1;
            }
            given.insert((namespace.to_string(), key.to_string()), name.clone());
            name
        }
        let pieces = [
            "a", "a_2", "a-2", "a.b", "a_b", "a_b_2", "2", "é", "A", "a2", "_", "-", "a_2_2",
        ];
        for style in [Style::Snake, Style::Camel] {
            let mut namer = Namer::new(style);
            let (mut given, mut used) = (HashMap::new(), HashSet::new());
            let mut state = 7u64;
            for _ in 0..3000 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let mut key = String::new();
                for i in 0..1 + (state >> 60) as usize % 3 {
                    key.push_str(pieces[(state >> (8 * i + 8)) as usize % pieces.len()]);
                }
                let namespace = if state >> 63 == 0 { "one" } else { "two" };
                assert_eq!(
                    namer.name(namespace, &key),
                    reference(&mut given, &mut used, style, namespace, &key),
                    "{key} in {namespace}"
                );
            }
        }
    }
}
