//! Phase 3 of loading: the format of every address, ASN and port in the file, found by the field that holds it.
//!
//! serde stops at the first bad value; this pass walks the raw JSON and reports them all. The field names are
//! the model's own (see `model`), and `tests::every_leaf_field_is_checked` breaks each kind in a real template to
//! prove the table and the model agree.

use super::path::JsonPath;
use super::{kind_of, Problem};
use crate::model::common::{parse_cidr, parse_ip, AddressPrefix, PortRange};
use serde_json::Value;
use std::net::IpAddr;

#[derive(Clone, Copy)]
pub(super) enum Leaf {
    Cidr,
    Ip,
    Ipv4,
    Asn,
    Port,
    Prefix,
    /// A network ACL entry's rule number: the loader checks it is a whole number AWS's field can hold (0–65535);
    /// the review reports one outside the accepted 1–32766 (SEC-007) [VPC4].
    RuleNumber,
}

#[derive(Clone, Copy)]
pub(super) enum Shape {
    One,
    List,
}

/// Which field holds which kind of value. A field holding a value of another JSON type (an object where a
/// flow's `destination` holds an endpoint, say) is left to the typed phase.
pub(super) fn leaf_of(key: &str) -> Option<(Leaf, Shape)> {
    use Leaf::*;
    use Shape::*;
    Some(match key {
        "cidr"
        | "address_prefix"
        | "destination"
        | "inside_cidr"
        | "local_ipv4_network_cidr"
        | "remote_ipv4_network_cidr" => (Cidr, One),
        "address_space" | "address_prefixes" | "cidr_blocks" | "static_routes"
        | "local_prefixes" | "remote_prefixes" => (Cidr, List),
        "address" | "ip" | "peering_address" | "next_hop_ip" => (Ip, One),
        "outside_ip" | "primary_address" | "secondary_address" => (Ipv4, One),
        "apipa_addresses" => (Ipv4, List),
        "asn" | "amazon_side_asn" | "bgp_asn" => (Asn, One),
        "ports" | "source_ports" | "destination_ports" => (Port, One),
        "source_prefixes" | "destination_prefixes" => (Prefix, List),
        "rule_number" => (RuleNumber, One),
        _ => return None,
    })
}

pub fn check(value: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    // The layout's keys are object ids, not field names: skip it here (its values are plain numbers).
    if let Value::Object(map) = value {
        for (key, child) in map {
            if key != "layout" {
                walk(child, &JsonPath::root().key(key), &mut problems);
            }
        }
    }
    problems
}

fn walk(value: &Value, path: &JsonPath, problems: &mut Vec<Problem>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = path.key(key);
                match leaf_of(key) {
                    Some((leaf, shape)) => check_field(leaf, shape, child, &child_path, problems),
                    None => walk(child, &child_path, problems),
                }
                // An AWS VPN connection has exactly two tunnels [AWS1]: serde says only "trailing characters"
                // or "invalid length" at the element it stopped on.
                if let ("tunnels", Value::Array(items)) = (key.as_str(), child) {
                    if items.len() != 2 {
                        problems.push(Problem::new(
                            child_path.to_string(),
                            format!(
                                "a VPN connection has exactly two tunnels (AWS builds two for each); this one \
                                 lists {}",
                                items.len()
                            ),
                        ));
                    }
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(item, &path.index(index), problems);
            }
        }
        _ => {}
    }
}

fn check_field(
    leaf: Leaf,
    shape: Shape,
    value: &Value,
    path: &JsonPath,
    problems: &mut Vec<Problem>,
) {
    match (shape, value) {
        // Optional fields hold null; a missing required one is the typed phase's to report.
        (_, Value::Null) => {}
        // A port field holds one range (security group rule) or a list (NSG rule, flow).
        (_, Value::Array(items)) if matches!(shape, Shape::List) || matches!(leaf, Leaf::Port) => {
            for (index, item) in items.iter().enumerate() {
                check_one(leaf, item, &path.index(index), problems);
            }
        }
        (Shape::List, other) => problems.push(Problem::new(
            path.to_string(),
            format!("expected a list, not {}", kind_of(other)),
        )),
        (Shape::One, Value::Object(_)) => walk(value, path, problems),
        (Shape::One, item) => check_one(leaf, item, path, problems),
    }
}

fn check_one(leaf: Leaf, value: &Value, path: &JsonPath, problems: &mut Vec<Problem>) {
    if let Err(message) = check_value(leaf, value) {
        problems.push(Problem::new(path.to_string(), message));
    }
}

fn check_value(leaf: Leaf, value: &Value) -> Result<(), String> {
    if let Leaf::Asn = leaf {
        return match value {
            Value::Number(n) if n.as_u64().is_some_and(|v| v <= u64::from(u32::MAX)) => Ok(()),
            Value::Number(n) => Err(format!(
                "ASN {n} is not valid: an ASN is a whole number from 0 to 4294967295"
            )),
            other => Err(format!(
                "an ASN is a whole number (like 65515), not {}",
                kind_of(other)
            )),
        };
    }
    if let Leaf::RuleNumber = leaf {
        return match value {
            Value::Number(n) if n.as_u64().is_some_and(|v| v <= u64::from(u16::MAX)) => Ok(()),
            Value::Number(n) => Err(format!(
                "rule number {n} is not valid: a network ACL rule number is a whole number from 0 to 65535 \
                 (AWS accepts 1 to 32766)"
            )),
            other => Err(format!(
                "a rule number is a whole number (like 100), not {}",
                kind_of(other)
            )),
        };
    }
    let Value::String(text) = value else {
        return Err(format!("expected a string, not {}", kind_of(value)));
    };
    match leaf {
        Leaf::Cidr => parse_cidr(text).map(drop),
        Leaf::Ip => parse_ip(text).map(drop),
        Leaf::Ipv4 => match parse_ip(text)? {
            IpAddr::V4(_) => Ok(()),
            IpAddr::V6(_) => Err(format!("'{text}' must be an IPv4 address")),
        },
        Leaf::Port => text
            .parse::<PortRange>()
            .map(drop)
            .map_err(|why| format!("{why} (a port, a range like 1024-65535, or *)")),
        Leaf::Prefix => text.parse::<AddressPrefix>().map(drop),
        Leaf::Asn | Leaf::RuleNumber => Ok(()),
    }
}
