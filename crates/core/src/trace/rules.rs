//! Security rules as sets: a rule matches a box of (protocol, source address, source port, destination address,
//! destination port); a flow is a box too. NSGs are evaluated in priority order, first match wins, by carving the
//! flow box with each rule; security groups are allow-only, so a flow passes when their rules cover it.

use crate::model::common::{AddressPrefix, PortRange, Protocol};
use crate::review::prefixes::{range, Range, RangeSet};

/// A box of packets. Dimensions: 0 protocol, 1 source address, 2 source port, 3 destination address,
/// 4 destination port.
///
/// Addresses need 128 bits (IPv6 and IPv4-mapped numbers); protocols and ports fit in 16. Kept apart, a cube
/// takes 80 bytes instead of the 160 of five 128-bit ranges: the NSGs compiled for a review of 10,000 networks
/// hold a few hundred thousand cubes, and they were most of the fresh memory that review touched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cube {
    /// Source and destination addresses.
    addresses: [Range; 2],
    /// Protocol, source port and destination port.
    small: [(u16, u16); 3],
}

/// Where dimension `d` lives: (true, index into `addresses`) or (false, index into `small`).
const PLACE: [(bool, usize); 5] = [(false, 0), (true, 0), (false, 1), (true, 1), (false, 2)];

impl Cube {
    /// A cube from its five ranges. Protocol and port bounds above 65,535 are clamped: no protocol number or
    /// port goes that high, so the cube holds the same packets.
    pub fn new(ranges: [Range; 5]) -> Self {
        let mut cube = Cube {
            addresses: [(0, 0); 2],
            small: [(0, 0); 3],
        };
        for (d, r) in ranges.into_iter().enumerate() {
            cube.set(d, r);
        }
        cube
    }

    /// The range of dimension `d`.
    pub fn get(&self, d: usize) -> Range {
        match PLACE[d] {
            (true, i) => self.addresses[i],
            (false, i) => (u128::from(self.small[i].0), u128::from(self.small[i].1)),
        }
    }

    fn set(&mut self, d: usize, (lo, hi): Range) {
        match PLACE[d] {
            (true, i) => self.addresses[i] = (lo, hi),
            (false, i) => {
                // Only an upper bound may go past 16 bits (an "everything" range): a lower one would turn an
                // empty range into a non-empty one when clamped.
                debug_assert!(lo <= u128::from(u16::MAX), "dimension {d} starts at {lo}");
                self.small[i] = (narrow(lo), narrow(hi))
            }
        }
    }
}

fn narrow(n: u128) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

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
    // Each kind of dimension in its own width: this is the trace's and the shadow check's innermost loop.
    let mut out = *a;
    for i in 0..3 {
        out.small[i] = clip(a.small[i], b.small[i])?;
    }
    for i in 0..2 {
        out.addresses[i] = clip(a.addresses[i], b.addresses[i])?;
    }
    Some(out)
}

/// The common part of two ranges, if any.
fn clip<T: Ord + Copy>(a: (T, T), b: (T, T)) -> Option<(T, T)> {
    let (lo, hi) = (a.0.max(b.0), a.1.min(b.1));
    (lo <= hi).then_some((lo, hi))
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
        let (r, c) = (rest.get(d), common.get(d));
        if r.0 < c.0 {
            let mut piece = rest;
            piece.set(d, (r.0, c.0 - 1));
            out.push(piece);
        }
        if c.1 < r.1 {
            let mut piece = rest;
            piece.set(d, (c.1 + 1, r.1));
            out.push(piece);
        }
        rest.set(d, c);
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

/// The first cube of `uncovered(cubes.to_vec(), cover)`, found depth first without computing the rest: the
/// pieces of each cube are followed through the remaining covers in the order `uncovered` lists them.
pub fn first_uncovered(cubes: &[Cube], cover: &[Cube]) -> Option<Cube> {
    let mut stack: Vec<(Cube, usize)> = cubes.iter().rev().map(|c| (*c, 0)).collect();
    let mut pieces = Vec::new();
    while let Some((cube, mut k)) = stack.pop() {
        // A cover that misses the cube leaves it whole.
        while k < cover.len() && intersect(&cube, &cover[k]).is_none() {
            k += 1;
        }
        if k == cover.len() {
            return Some(cube);
        }
        pieces.clear();
        subtract_into(&cube, &cover[k], &mut pieces);
        stack.extend(pieces.iter().rev().map(|p| (*p, k + 1)));
    }
    None
}

/// What an NSG's service tags and `*` stand for, for the VNet the NSG protects.
pub struct TagSets {
    /// VNet space, peered and VPN-connected spaces (AZ18: VirtualNetwork includes connected on-premises spaces).
    pub virtual_network: RangeSet,
    pub azure_load_balancer: RangeSet,
    /// Everything outside `virtual_network`, computed once rather than for every rule naming `Internet`.
    internet: RangeSet,
}

impl TagSets {
    /// The tags of a VNet whose `VirtualNetwork` tag stands for `virtual_network`; `AzureLoadBalancer` is the
    /// platform's fixed address [AZ18].
    pub fn new(virtual_network: RangeSet) -> Self {
        let lb = crate::review::prefixes::address_number(std::net::IpAddr::V4(
            crate::facts::azure::AZURE_LOAD_BALANCER_VIP.value,
        ));
        TagSets {
            internet: RangeSet::new(vec![ALL]).minus(&virtual_network),
            virtual_network,
            azure_load_balancer: RangeSet::new(vec![(lb, lb)]),
        }
    }

    pub fn ranges(&self, prefix: &AddressPrefix) -> Vec<Range> {
        let mut out = Vec::new();
        self.extend_ranges(prefix, &mut out);
        out
    }

    /// How many ranges `extend_ranges` appends for a prefix.
    pub fn range_count(&self, prefix: &AddressPrefix) -> usize {
        match prefix {
            AddressPrefix::Any | AddressPrefix::Cidr(_) => 1,
            AddressPrefix::Tag(tag) => match tag.as_str() {
                "VirtualNetwork" => self.virtual_network.ranges().len(),
                "AzureLoadBalancer" => self.azure_load_balancer.ranges().len(),
                "Internet" => self.internet.ranges().len(),
                _ => 0,
            },
        }
    }

    /// Appends the ranges a prefix stands for to `out`.
    pub fn extend_ranges(&self, prefix: &AddressPrefix, out: &mut Vec<Range>) {
        match prefix {
            AddressPrefix::Any => out.push(ALL),
            AddressPrefix::Cidr(net) => out.push(range(net)),
            AddressPrefix::Tag(tag) => match tag.as_str() {
                "VirtualNetwork" => out.extend_from_slice(self.virtual_network.ranges()),
                "AzureLoadBalancer" => out.extend_from_slice(self.azure_load_balancer.ranges()),
                // Internet: everything outside the VirtualNetwork tag (approximation of "public address space
                // outside the VNet" [AZ18]).
                "Internet" => out.extend_from_slice(self.internet.ranges()),
                _ => {}
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
    let mut out = Vec::new();
    nsg_rule_cubes_into(
        protocol,
        sources,
        source_ports,
        destinations,
        destination_ports,
        tags,
        &mut Vec::new(),
        &mut out,
    );
    out
}

/// The cubes one NSG rule matches, appended to `out`; `addresses` is scratch space.
#[allow(clippy::too_many_arguments)]
fn nsg_rule_cubes_into(
    protocol: Protocol,
    sources: &[AddressPrefix],
    source_ports: &[PortRange],
    destinations: &[AddressPrefix],
    destination_ports: &[PortRange],
    tags: &TagSets,
    addresses: &mut Vec<Range>,
    out: &mut Vec<Cube>,
) {
    // An NSG rule of any protocol ("*") that names ports matches them for TCP and UDP only: Azure writes the
    // ports into the rule (the exports pass them on), and ICMP, ESP and AH carry none to match. With every port
    // on both sides it matches every protocol. (AWS's "-1" is different: all protocols and all ports, whatever
    // ports are given, so security groups and network ACLs keep `ports_for`.)
    let any_with_ports = protocol == Protocol::Any
        && !(source_ports.iter().any(PortRange::is_all)
            && destination_ports.iter().any(PortRange::is_all));
    let p = if any_with_ports {
        (
            protocol_range(Protocol::Tcp).0,
            protocol_range(Protocol::Udp).1,
        )
    } else {
        protocol_range(protocol)
    };
    let ports = |range: PortRange| {
        if any_with_ports {
            port_range(range)
        } else {
            ports_for(protocol, range)
        }
    };
    // One buffer for both address lists: sources first, then destinations.
    addresses.clear();
    for s in sources {
        tags.extend_ranges(s, addresses);
    }
    let split = addresses.len();
    for d in destinations {
        tags.extend_ranges(d, addresses);
    }
    let (src, dst) = addresses.split_at(split);
    out.reserve(src.len() * dst.len() * source_ports.len() * destination_ports.len());
    for s in src {
        for d in dst {
            for a in source_ports {
                for b in destination_ports {
                    out.push(Cube::new([p, *s, ports(*a), *d, ports(*b)]));
                }
            }
        }
    }
}

pub fn any_intersect(a: &[Cube], b: &[Cube]) -> bool {
    a.iter()
        .any(|x| b.iter().any(|y| intersect(x, y).is_some()))
}

/// One of the default rules every NSG ends with [AZ18], as cubes.
pub struct DefaultNsgRule {
    pub name: &'static str,
    pub priority: u32,
    pub allow: bool,
    pub cubes: Vec<Cube>,
}

/// An NSG compiled once per review for the VNet it guards (its tags depend on the VNet): every rule's cubes, the
/// rules of each direction in evaluation order, and the default rules. The trace and the security checks share it.
pub struct CompiledNsg {
    /// Every rule's cubes back to back, in the NSG's declaration order (one allocation per NSG).
    cubes: Vec<Cube>,
    /// Where each rule's cubes end in `cubes`.
    ends: Vec<usize>,
    /// Indices of the inbound rules, by priority (ties keep declaration order).
    pub inbound: Vec<usize>,
    /// Indices of the outbound rules, by priority (ties keep declaration order).
    pub outbound: Vec<usize>,
    pub default_inbound: [DefaultNsgRule; 3],
    pub default_outbound: [DefaultNsgRule; 3],
}

impl CompiledNsg {
    /// The cubes of rule `i` (its index in the NSG's `rules`).
    pub fn cubes(&self, i: usize) -> &[Cube] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.cubes[start..self.ends[i]]
    }

    pub fn new(nsg: &crate::model::azure::Nsg, tags: &TagSets) -> Self {
        use crate::model::azure::Direction as D;
        // Sized up front: grown by doubling, the vector was copied as it grew and left up to half its room
        // unused, fresh memory a large review paid page faults for.
        let range_count = |prefixes: &[AddressPrefix]| -> usize {
            prefixes.iter().map(|p| tags.range_count(p)).sum()
        };
        let count = nsg
            .rules
            .iter()
            .map(|r| {
                range_count(&r.source_prefixes)
                    * range_count(&r.destination_prefixes)
                    * r.source_ports.len()
                    * r.destination_ports.len()
            })
            .sum();
        let mut cubes = Vec::with_capacity(count);
        let mut ends = Vec::with_capacity(nsg.rules.len());
        let mut addresses = Vec::new();
        for r in &nsg.rules {
            nsg_rule_cubes_into(
                r.protocol,
                &r.source_prefixes,
                &r.source_ports,
                &r.destination_prefixes,
                &r.destination_ports,
                tags,
                &mut addresses,
                &mut cubes,
            );
            ends.push(cubes.len());
        }
        debug_assert_eq!(
            cubes.len(),
            count,
            "range_count disagrees with extend_ranges"
        );
        let ordered = |want: D| {
            let mut list: Vec<usize> = (0..nsg.rules.len())
                .filter(|i| nsg.rules[*i].direction == want)
                .collect();
            list.sort_by_key(|i| nsg.rules[*i].priority);
            list
        };
        let [p0, p1, p2] = crate::facts::azure::NSG_DEFAULT_PRIORITIES.value;
        let vnet = AddressPrefix::Tag("VirtualNetwork".into());
        let all = [PortRange::ALL];
        let default =
            |name, priority, allow, src: &AddressPrefix, dst: &AddressPrefix| DefaultNsgRule {
                name,
                priority,
                allow,
                cubes: nsg_rule_cubes(
                    Protocol::Any,
                    std::slice::from_ref(src),
                    &all,
                    std::slice::from_ref(dst),
                    &all,
                    tags,
                ),
            };
        let any = AddressPrefix::Any;
        CompiledNsg {
            cubes,
            ends,
            inbound: ordered(D::Inbound),
            outbound: ordered(D::Outbound),
            default_inbound: [
                default("AllowVNetInBound", p0, true, &vnet, &vnet),
                default(
                    "AllowAzureLoadBalancerInBound",
                    p1,
                    true,
                    &AddressPrefix::Tag("AzureLoadBalancer".into()),
                    &any,
                ),
                default("DenyAllInBound", p2, false, &any, &any),
            ],
            default_outbound: [
                default("AllowVnetOutBound", p0, true, &vnet, &vnet),
                default(
                    "AllowInternetOutBound",
                    p1,
                    true,
                    &any,
                    &AddressPrefix::Tag("Internet".into()),
                ),
                default("DenyAllOutBound", p2, false, &any, &any),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_cube_is_half_of_five_wide_ranges() {
        assert_eq!(std::mem::size_of::<Cube>(), 80);
    }

    #[test]
    fn protocol_and_port_bounds_past_16_bits_are_clamped() {
        let cube = Cube::new([(0, u128::MAX), ALL, (7, 1 << 20), ALL, (80, 80)]);
        assert_eq!(cube.get(0), (0, 65535));
        assert_eq!(cube.get(1), ALL);
        assert_eq!(cube.get(2), (7, 65535));
        assert_eq!(cube.get(4), (80, 80));
    }

    fn ranges() -> impl Strategy<Value = [Range; 5]> {
        let span = |max: u128| (0..max, 0..max).prop_map(|(a, b)| (a.min(b), a.max(b)));
        [
            span(6),
            span(u128::MAX),
            span(65536),
            span(u128::MAX),
            span(65536),
        ]
    }

    proptest! {
        /// The packed cube keeps each dimension as given, and intersects as five independent ranges do.
        #[test]
        fn packing_keeps_every_dimension(a in ranges(), b in ranges()) {
            let (x, y) = (Cube::new(a), Cube::new(b));
            for (d, range) in a.iter().enumerate() {
                prop_assert_eq!(x.get(d), *range);
            }
            let expected: Option<[Range; 5]> = (0..5)
                .map(|d| {
                    let (lo, hi) = (a[d].0.max(b[d].0), a[d].1.min(b[d].1));
                    (lo <= hi).then_some((lo, hi))
                })
                .collect::<Option<Vec<_>>>()
                .map(|v| v.try_into().unwrap());
            prop_assert_eq!(intersect(&x, &y), expected.map(Cube::new));
        }
    }
}
