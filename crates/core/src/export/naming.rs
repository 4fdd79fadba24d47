//! Stable, unique names for generated objects (Terraform resource names, CloudFormation logical ids, Mermaid
//! node ids), derived from plan ids so that a small design change is a small diff.

use super::escape::identifier;
use std::collections::{BTreeMap, BTreeSet};

/// Hands out one name per (namespace, key), unique within the namespace. The first key to ask for a name gets the
/// plain form, later colliding keys get `_2`, `_3`…; generation order is fixed, so names are deterministic.
#[derive(Default)]
pub struct Namer {
    given: BTreeMap<(String, String), String>,
    used: BTreeMap<String, BTreeSet<String>>,
    /// Applied to every name: identifier() for Terraform and Mermaid, alphanumeric CamelCase for CloudFormation.
    style: Style,
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

    pub fn name(&mut self, namespace: &str, key: &str) -> String {
        let slot = (namespace.to_string(), key.to_string());
        if let Some(name) = self.given.get(&slot) {
            return name.clone();
        }
        let base = match self.style {
            Style::Snake => identifier(key),
            Style::Camel => camel(key),
        };
        let used = self.used.entry(namespace.to_string()).or_default();
        let mut name = base.clone();
        let mut n = 2;
        while used.contains(&name) {
            name = match self.style {
                Style::Snake => format!("{base}_{n}"),
                Style::Camel => format!("{base}{n}"),
            };
            n += 1;
        }
        used.insert(name.clone());
        self.given.insert(slot, name.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
