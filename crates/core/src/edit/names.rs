//! Unique ids and names for new objects, and the next free address block.

use crate::model::common::parse_cidr;
use crate::model::{Design, Plan};
use crate::review::prefixes::{range, RangeSet};
use ipnet::IpNet;
use serde_json::Value;
use std::collections::HashSet;
use std::net::Ipv4Addr;

/// Every id in the design (objects, nested subnets, rules, flows): new ids must avoid them all.
pub fn taken_ids(design: &Design) -> HashSet<String> {
    fn walk(value: &Value, out: &mut HashSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(id)) = map.get("id") {
                    out.insert(id.clone());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    // Walking the serialised design keeps this in step with the model: a new kind of object is covered unseen.
    if let Ok(value) = serde_json::to_value(design) {
        walk(&value, &mut out);
    }
    out
}

/// `stem`, or `stem-2`, `stem-3`… : the first not in `taken`. Records the result as taken.
pub fn unique(taken: &mut HashSet<String>, stem: &str) -> String {
    // Names are compared ignoring ASCII case where the clouds compare them so (Azure's resource names, AWS's
    // security group names: NAME-001); a set of names holds each name's lowercase form too (`with_lowercase`).
    let free = |taken: &HashSet<String>, c: &str| {
        !taken.contains(c) && !taken.contains(&c.to_ascii_lowercase())
    };
    let mut candidate = stem.to_string();
    let mut n = 2;
    while !free(taken, &candidate) {
        candidate = format!("{stem}-{n}");
        n += 1;
    }
    taken.insert(candidate.to_ascii_lowercase());
    taken.insert(candidate.clone());
    candidate
}

/// A set of names for [`unique`]: each name and its lowercase form.
pub fn with_lowercase<'a>(names: impl Iterator<Item = &'a str>) -> HashSet<String> {
    let mut set = HashSet::new();
    for name in names {
        set.insert(name.to_ascii_lowercase());
        set.insert(name.to_string());
    }
    set
}

/// `stem-1`, `stem-2`… : numbered from one, for objects that come in series (vnet-1, vnet-2).
pub fn numbered(taken: &mut HashSet<String>, stem: &str) -> String {
    let mut n = 1;
    loop {
        let candidate = format!("{stem}-{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// Every network address space in the plan, both clouds.
pub fn network_spaces(design: &Design) -> Vec<IpNet> {
    let azure = design
        .azure
        .vnets
        .iter()
        .flat_map(|v| v.address_space.iter());
    let aws = design.aws.vpcs.iter().flat_map(|v| v.cidr_blocks.iter());
    azure.chain(aws).copied().collect()
}

/// The first /16 of the private ranges (10/8, then 172.16/12, then 192.168/16) that overlaps no network of the
/// plan, so a new VNet or VPC never starts with ADDR-001.
pub fn next_free_network(plan: &Plan) -> Option<IpNet> {
    let used = RangeSet::of_prefixes(&network_spaces(&plan.design));
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
        .iter()
        .filter_map(|base| parse_cidr(base).ok())
        .flat_map(|base| base.subnets(16).into_iter().flatten())
        // 10.0.0.0/16 is where too many on-premises networks live; start at 10.1.
        .filter(|net| net.to_string() != "10.0.0.0/16")
        .find(|net| !used.intersects(range(net)))
}

/// The first block of `prefix` inside `spaces` that overlaps none of `used`. `from_top` searches from the end of
/// each space (where GatewaySubnet conventionally lives, out of the way of application subnets).
pub fn next_free_block(
    spaces: &[IpNet],
    used: &[IpNet],
    prefix: u8,
    from_top: bool,
) -> Option<IpNet> {
    let used = RangeSet::of_prefixes(used);
    for space in spaces {
        if space.prefix_len() > prefix {
            continue;
        }
        let Ok(blocks) = space.subnets(prefix) else {
            continue;
        };
        let found = if from_top {
            blocks
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .find(|b| !used.intersects(range(b)))
        } else {
            blocks.into_iter().find(|b| !used.intersects(range(b)))
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

// Connect allocates inside /30s as the review's one-click fixes do: one allocator for both.
pub use crate::review::tunnels::{free_inside_cidrs, free_inside_cidrs_between};

/// The `n`th host of an IPv4 block (AWS takes host 1 of an inside /30, the customer gateway host 2).
pub fn host(net: &IpNet, n: u32) -> Ipv4Addr {
    match net {
        IpNet::V4(v4) => Ipv4Addr::from(u32::from(v4.network()) + n),
        IpNet::V6(_) => Ipv4Addr::UNSPECIFIED,
    }
}
