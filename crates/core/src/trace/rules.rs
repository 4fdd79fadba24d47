//! Security rules as sets: a rule matches a box of (protocol, source address, source port, destination address,
//! destination port); a flow is a box too. NSGs are evaluated in priority order, first match wins, by carving the
//! flow box with each rule; security groups are allow-only, so a flow passes when their rules cover it.

use crate::model::common::{AddressPrefix, PortRange, Protocol};
use crate::review::prefixes::{range, Range, RangeSet};

/// Dimensions: 0 protocol, 1 source address, 2 source port, 3 destination address, 4 destination port.
pub type Cube = [Range; 5];

pub const ALL: Range = (0, u128::MAX);
const PROTOCOL_OTHER: u128 = 5;

pub fn protocol_range(protocol: Protocol) -> Range {
    match protocol {
        Protocol::Tcp => (0, 0),
        Protocol::Udp => (1, 1),
        Protocol::Icmp => (2, 2),
        Protocol::Esp => (3, 3),
        Protocol::Ah => (4, 4),
        Protocol::Any => (0, PROTOCOL_OTHER),
    }
}

pub fn port_range(ports: PortRange) -> Range {
    (u128::from(ports.from), u128::from(ports.to))
}

/// Ports only mean something for TCP and UDP: for other protocols a rule's or flow's ports cover everything.
pub fn ports_for(protocol: Protocol, ports: PortRange) -> Range {
    if matches!(protocol, Protocol::Tcp | Protocol::Udp) {
        port_range(ports)
    } else {
        (0, 65535)
    }
}

pub fn intersect(a: &Cube, b: &Cube) -> Option<Cube> {
    let mut out = *a;
    for d in 0..5 {
        let lo = a[d].0.max(b[d].0);
        let hi = a[d].1.min(b[d].1);
        if lo > hi {
            return None;
        }
        out[d] = (lo, hi);
    }
    Some(out)
}

/// `a` minus `b`, as disjoint cubes.
pub fn subtract(a: &Cube, b: &Cube) -> Vec<Cube> {
    let mut out = Vec::new();
    subtract_into(a, b, &mut out);
    out
}

/// `a` minus `b`, appended to `out` (no allocation when `out` has room).
pub fn subtract_into(a: &Cube, b: &Cube, out: &mut Vec<Cube>) {
    let Some(common) = intersect(a, b) else {
        out.push(*a);
        return;
    };
    let mut rest = *a;
    for d in 0..5 {
        if rest[d].0 < common[d].0 {
            let mut piece = rest;
            piece[d] = (rest[d].0, common[d].0 - 1);
            out.push(piece);
        }
        if common[d].1 < rest[d].1 {
            let mut piece = rest;
            piece[d] = (common[d].1 + 1, rest[d].1);
            out.push(piece);
        }
        rest[d] = common[d];
    }
}

/// The parts of `cubes` not covered by `cover`.
pub fn uncovered(cubes: Vec<Cube>, cover: &[Cube]) -> Vec<Cube> {
    let mut remaining = cubes;
    let mut next = Vec::with_capacity(remaining.len());
    for c in cover {
        if remaining.is_empty() {
            break;
        }
        next.clear();
        for r in &remaining {
            subtract_into(r, c, &mut next);
        }
        std::mem::swap(&mut remaining, &mut next);
    }
    remaining
}

/// What an NSG's service tags and `*` stand for, for the VNet the NSG protects.
pub struct TagSets {
    /// VNet space, peered and VPN-connected spaces (AZ18: VirtualNetwork includes connected on-premises spaces).
    pub virtual_network: RangeSet,
    pub azure_load_balancer: RangeSet,
}

impl TagSets {
    pub fn ranges(&self, prefix: &AddressPrefix) -> Vec<Range> {
        match prefix {
            AddressPrefix::Any => vec![ALL],
            AddressPrefix::Cidr(net) => vec![range(net)],
            AddressPrefix::Tag(tag) => match tag.as_str() {
                "VirtualNetwork" => self.virtual_network.ranges().to_vec(),
                "AzureLoadBalancer" => self.azure_load_balancer.ranges().to_vec(),
                // Internet: everything outside the VirtualNetwork tag (approximation of "public address space
                // outside the VNet" [AZ18]).
                "Internet" => RangeSet::new(vec![ALL])
                    .minus(&self.virtual_network)
                    .ranges()
                    .to_vec(),
                _ => Vec::new(),
            },
        }
    }
}

/// The cubes one NSG rule matches.
pub fn nsg_rule_cubes(
    protocol: Protocol,
    sources: &[AddressPrefix],
    source_ports: &[PortRange],
    destinations: &[AddressPrefix],
    destination_ports: &[PortRange],
    tags: &TagSets,
) -> Vec<Cube> {
    let p = protocol_range(protocol);
    let src: Vec<Range> = sources.iter().flat_map(|s| tags.ranges(s)).collect();
    let dst: Vec<Range> = destinations.iter().flat_map(|s| tags.ranges(s)).collect();
    let sp: Vec<Range> = source_ports
        .iter()
        .map(|r| ports_for(protocol, *r))
        .collect();
    let dp: Vec<Range> = destination_ports
        .iter()
        .map(|r| ports_for(protocol, *r))
        .collect();
    let mut out = Vec::with_capacity(src.len() * dst.len() * sp.len() * dp.len());
    for s in &src {
        for d in &dst {
            for a in &sp {
                for b in &dp {
                    out.push([p, *s, *a, *d, *b]);
                }
            }
        }
    }
    out
}

pub fn any_intersect(a: &[Cube], b: &[Cube]) -> bool {
    a.iter()
        .any(|x| b.iter().any(|y| intersect(x, y).is_some()))
}
