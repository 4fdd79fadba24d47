//! Address arithmetic the checks share: prefixes as ranges on one number line, sets of ranges (union, difference,
//! coverage), and the sort-and-sweep that finds every overlapping pair of prefixes in O(n log n + k).
//!
//! IPv4 addresses are placed at their IPv4-mapped IPv6 position (::ffff:a.b.c.d), so both families share one
//! number line. An IPv6 prefix short enough to contain that block (::/0 above all, as a rule's "any IPv6") would
//! then cover every IPv4 address, which no cloud does: a rule for ::/0 matches no IPv4 packet. So an IPv6 prefix
//! is taken without the block ::/80 that holds the mapped addresses (the rest of it is the unspecified, loopback
//! and IPv4-compatible addresses, reserved [RFC 4291] and never a network's): ::/0 is (2^48, 2^128 − 1). An IPv6
//! prefix inside ::/80 that would land on IPv4 (::ffff:10.0.0.0/104, which both clouds match as IPv6 only) is
//! moved off it (see `off_ipv4`).

use ipnet::IpNet;
use std::net::IpAddr;

/// An inclusive range of addresses on the shared number line.
pub type Range = (u128, u128);

const V4_BASE: u128 = 0xffff_0000_0000;
/// The first address past ::/80, the block that holds the IPv4-mapped addresses.
const PAST_MAPPED: u128 = 1 << 48;

pub fn address_number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => V4_BASE + u128::from(u32::from(v4)),
        IpAddr::V6(v6) => off_ipv4(u128::from(v6), u128::from(v6)).0,
    }
}

/// An IPv6 range kept off the block where IPv4 lives (see the module's comment). Inside ::/80: an IPv4-mapped
/// IPv6 range (::ffff:a.b.c.d, which both clouds match as IPv6, never as IPv4) moves down by the block's base,
/// onto the deprecated IPv4-compatible addresses, which are IPv6 too; one containing the block loses it and what
/// lies above it in ::/80. Past ::/80, a prefix that starts inside it starts at 2^48 instead.
fn off_ipv4(lo: u128, hi: u128) -> Range {
    let v4_end = V4_BASE + u128::from(u32::MAX);
    if hi < PAST_MAPPED {
        if lo >= V4_BASE && hi <= v4_end {
            (lo - V4_BASE, hi - V4_BASE)
        } else if lo <= V4_BASE && hi >= v4_end {
            (lo, V4_BASE - 1)
        } else {
            (lo, hi)
        }
    } else if lo < PAST_MAPPED {
        (PAST_MAPPED, hi)
    } else {
        (lo, hi)
    }
}

/// The addresses a prefix covers (host bits ignored, as the clouds would canonicalise it). Bit arithmetic rather
/// than `trunc()`: this runs for every prefix of every rule.
pub fn range(net: &IpNet) -> Range {
    match net {
        IpNet::V4(n) => {
            let bits = u32::from(n.addr());
            let mask = u32::MAX
                .checked_shl(32 - u32::from(n.prefix_len()))
                .unwrap_or(0);
            (
                V4_BASE + u128::from(bits & mask),
                V4_BASE + u128::from(bits | !mask),
            )
        }
        IpNet::V6(n) => {
            let bits = u128::from(n.addr());
            let mask = u128::MAX
                .checked_shl(128 - u32::from(n.prefix_len()))
                .unwrap_or(0);
            off_ipv4(bits & mask, bits | !mask)
        }
    }
}

/// Whether two prefixes share an address.
pub fn overlap(a: &IpNet, b: &IpNet) -> bool {
    let (a, b) = (range(a), range(b));
    a.0 <= b.1 && b.0 <= a.1
}

/// Whether two ranges are of one address family (a packet has one: an IPv4 source never meets an IPv6
/// destination).
pub fn same_family(a: Range, b: Range) -> bool {
    let v4 = |r: Range| ipv4_space().0 <= r.0 && r.1 <= ipv4_space().1;
    v4(a) == v4(b)
}

/// A network's IPv4 ranges: a virtual private gateway's tunnels carry IPv4 only [AWS1] [AWS3] [VPC2], so a
/// dual-stack network's IPv6 space is never routed into them. Borrowed as it is in the usual IPv4-only plan.
pub fn ipv4_only(space: &[IpNet]) -> std::borrow::Cow<'_, [IpNet]> {
    if space.iter().all(|n| n.addr().is_ipv4()) {
        std::borrow::Cow::Borrowed(space)
    } else {
        space
            .iter()
            .filter(|n| n.addr().is_ipv4())
            .copied()
            .collect()
    }
}

/// The whole IPv4 space on the number line.
pub fn ipv4_space() -> Range {
    (V4_BASE, V4_BASE + u128::from(u32::MAX))
}

/// A set of addresses as sorted, disjoint, non-adjacent ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RangeSet {
    ranges: Vec<Range>,
}

impl RangeSet {
    pub fn new(mut ranges: Vec<Range>) -> Self {
        ranges.sort_unstable();
        let mut merged: Vec<Range> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            match merged.last_mut() {
                // Adjacent ranges join, except across the end of the IPv4 block: the IPv6 range that starts right
                // after it (see `range`) is of the other family.
                Some(last) if lo <= last.1 || (lo == last.1 + 1 && lo != PAST_MAPPED) => {
                    last.1 = last.1.max(hi)
                }
                _ => merged.push((lo, hi)),
            }
        }
        RangeSet { ranges: merged }
    }

    pub fn of_prefixes<'p>(nets: impl IntoIterator<Item = &'p IpNet>) -> Self {
        RangeSet::new(nets.into_iter().map(range).collect())
    }

    /// Whether the union of `nets` covers every address of `r`, as `RangeSet::of_prefixes(nets).covers(r)`
    /// decides it, without building the set when one prefix alone covers `r` (the common case on hot paths).
    pub fn prefixes_cover(nets: &[IpNet], r: Range) -> bool {
        nets.iter().any(|n| {
            let x = range(n);
            x.0 <= r.0 && r.1 <= x.1
        }) || (nets.len() > 1 && RangeSet::of_prefixes(nets).covers(r))
    }

    pub fn ranges(&self) -> &[Range] {
        &self.ranges
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn contains(&self, value: u128) -> bool {
        self.covers((value, value))
    }

    /// Whether every address of `r` is in the set.
    pub fn covers(&self, r: Range) -> bool {
        let i = self.ranges.partition_point(|x| x.1 < r.0);
        self.ranges.get(i).is_some_and(|x| x.0 <= r.0 && r.1 <= x.1)
    }

    /// Whether any address of `r` is in the set.
    pub fn intersects(&self, r: Range) -> bool {
        let i = self.ranges.partition_point(|x| x.1 < r.0);
        self.ranges.get(i).is_some_and(|x| x.0 <= r.1)
    }

    pub fn union(&self, other: &RangeSet) -> RangeSet {
        RangeSet::new(self.ranges.iter().chain(&other.ranges).copied().collect())
    }

    /// The addresses of `self` not in `other`.
    pub fn minus(&self, other: &RangeSet) -> RangeSet {
        let mut out = Vec::new();
        for &(lo, hi) in &self.ranges {
            let mut start = lo;
            let mut done = false;
            let first = other.ranges.partition_point(|x| x.1 < lo);
            for &(olo, ohi) in &other.ranges[first..] {
                if olo > hi {
                    break;
                }
                if olo > start {
                    out.push((start, olo - 1));
                }
                if ohi >= hi {
                    done = true;
                    break;
                }
                start = ohi + 1;
            }
            if !done {
                out.push((start, hi));
            }
        }
        RangeSet { ranges: out }
    }

    /// The set written as the fewest CIDRs, for messages.
    pub fn to_cidrs(&self) -> Vec<IpNet> {
        self.ranges
            .iter()
            .flat_map(|r| range_to_cidrs(*r))
            .collect()
    }
}

/// The address at a point of the number line: IPv4 inside the mapped block, IPv6 elsewhere.
pub fn address_at(value: u128) -> IpAddr {
    number_to_ip(
        value,
        (V4_BASE..=V4_BASE + u128::from(u32::MAX)).contains(&value),
    )
}

fn number_to_ip(value: u128, v4: bool) -> IpAddr {
    if v4 {
        IpAddr::V4(((value - V4_BASE) as u32).into())
    } else {
        IpAddr::V6(value.into())
    }
}

/// A range as the prefixes that make it up, for people: "10.1.1.0/24", "10.1.1.0/25, 10.1.1.128/26".
pub fn cidrs_text(r: Range) -> String {
    range_to_cidrs(r)
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Splits an inclusive range into the fewest aligned prefixes.
pub fn range_to_cidrs((lo, hi): Range) -> Vec<IpNet> {
    let v4 = lo >= V4_BASE && hi <= V4_BASE + u128::from(u32::MAX);
    // An IPv6 range that starts where `range` cut ::/80 away began at :: (::/0 is written ::/0, not as the
    // eighty prefixes that make up the rest of it).
    let lo = if !v4 && lo == PAST_MAPPED && hi >= (PAST_MAPPED << 1) - 1 {
        0
    } else {
        lo
    };
    let (base, bits) = if v4 { (V4_BASE, 32u32) } else { (0, 128u32) };
    let (mut lo, hi) = (lo - base, hi - base);
    let mut out = Vec::new();
    loop {
        // The largest aligned block starting at `lo` that does not pass `hi`.
        let mut size_log = if lo == 0 {
            bits
        } else {
            lo.trailing_zeros().min(bits)
        };
        // A block of 2^128 addresses is ::/0 itself: it fits only when the range is the whole line.
        let fits = |size_log: u32| {
            if size_log >= 128 {
                lo == 0 && hi == u128::MAX
            } else {
                lo + ((1u128 << size_log) - 1) <= hi
            }
        };
        while size_log > 0 && !fits(size_log) {
            size_log -= 1;
        }
        let prefix = (bits - size_log) as u8;
        if let Ok(net) = IpNet::new(number_to_ip(lo + base, v4), prefix) {
            out.push(net);
        }
        let end = if size_log >= 128 {
            u128::MAX
        } else {
            lo + ((1u128 << size_log) - 1)
        };
        if end >= hi {
            break;
        }
        lo = end + 1;
    }
    out
}

/// Every pair (i, j), i < j, of entries whose prefixes overlap. Prefixes either nest or are disjoint, so after
/// sorting by start (widest first) a stack of the prefixes containing the current start holds exactly the
/// earlier prefixes it overlaps: O(n log n) plus the number of pairs.
pub fn overlapping_pairs(nets: &[IpNet]) -> Vec<(usize, usize)> {
    let mut order: Vec<(Range, usize)> = nets
        .iter()
        .enumerate()
        .map(|(i, n)| (range(n), i))
        .collect();
    order.sort_unstable_by(|a, b| {
        a.0 .0
            .cmp(&b.0 .0)
            .then(b.0 .1.cmp(&a.0 .1))
            .then(a.1.cmp(&b.1))
    });
    let mut stack: Vec<(Range, usize)> = Vec::new();
    let mut pairs = Vec::new();
    for (r, i) in order {
        while stack.last().is_some_and(|(top, _)| top.1 < r.0) {
            stack.pop();
        }
        for (_, j) in &stack {
            pairs.push(((*j).min(i), (*j).max(i)));
        }
        stack.push((r, i));
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> IpNet {
        text.parse().unwrap()
    }

    #[test]
    fn difference_and_cidrs_read_like_an_engineer_would_write_them() {
        let space = RangeSet::of_prefixes(&[n("10.2.0.0/16")]);
        let sent = RangeSet::of_prefixes(&[n("10.2.0.0/17")]);
        let missing = space.minus(&sent);
        assert_eq!(missing.to_cidrs(), vec![n("10.2.128.0/17")]);
        assert!(space.covers(range(&n("10.2.3.0/24"))));
        assert!(!sent.covers(range(&n("10.2.0.0/16"))));
        assert!(sent.intersects(range(&n("10.2.0.0/16"))));
        assert_eq!(
            RangeSet::of_prefixes(&[n("0.0.0.0/0")]).to_cidrs(),
            vec![n("0.0.0.0/0")]
        );
    }

    #[test]
    fn ranges_ignore_host_bits_at_every_length() {
        assert_eq!(range(&n("10.1.1.5/24")), range(&n("10.1.1.0/24")));
        assert_eq!(range(&n("0.0.0.0/0")), ipv4_space());
        let host = range(&n("10.1.1.5/32"));
        assert_eq!(host.0, host.1);
        let v6 = range(&n("fd00::1/126"));
        assert_eq!(v6.1 - v6.0, 3);
    }

    #[test]
    fn ipv4_and_ipv6_any_stay_apart_when_joined() {
        // A dual-stack "any" written back is the two prefixes, not eighty pieces of IPv6 glued to IPv4's end.
        let both = RangeSet::of_prefixes(&[n("0.0.0.0/0"), n("::/0")]);
        assert_eq!(both.to_cidrs(), vec![n("0.0.0.0/0"), n("::/0")]);
        assert!(both.covers(range(&n("10.0.0.0/8"))) && both.covers(range(&n("fd00::/8"))));
    }

    #[test]
    fn an_ipv6_prefix_never_covers_an_ipv4_address() {
        // A rule for ::/0 matches IPv6 only, in both clouds: on the shared number line it must not reach the
        // IPv4-mapped block where IPv4 lives.
        for v6 in ["::/0", "::/1", "::/16", "::/79"] {
            let r = range(&n(v6));
            assert!(!overlap(&n(v6), &n("10.0.0.0/8")), "{v6}");
            assert!(!RangeSet::new(vec![r]).intersects(ipv4_space()), "{v6}");
            // Written back as it was typed.
            assert_eq!(RangeSet::new(vec![r]).to_cidrs(), vec![n(v6)], "{v6}");
        }
        assert_eq!(range(&n("::/0")).1, u128::MAX);
        // Inside ::/80 too: an IPv4-mapped prefix or address is IPv6 to both clouds, and stays off IPv4.
        for inside in [
            "::ffff:0:0/96",
            "::ffff:10.0.0.0/104",
            "::1/128",
            "::/80",
            "::8000:0:0/81",
        ] {
            assert!(!overlap(&n(inside), &n("10.0.0.0/8")), "{inside}");
            assert!(
                !RangeSet::new(vec![range(&n(inside))]).intersects(ipv4_space()),
                "{inside}"
            );
        }
        let mapped: IpAddr = "::ffff:10.1.1.4".parse().unwrap();
        assert!(!RangeSet::new(vec![ipv4_space()]).contains(address_number(mapped)));
        let block = range(&n("::ffff:10.0.0.0/104"));
        assert!(block.0 <= address_number(mapped) && address_number(mapped) <= block.1);
        assert!(overlap(&n("::/0"), &n("fd00::/8")));
        assert!(overlap(&n("::/0"), &n("2001:db8::/32")));
        assert!(RangeSet::of_prefixes(&[n("::/0")]).covers(range(&n("fd00:1::/64"))));
        // IPv4's any is IPv4 only, too.
        assert!(!overlap(&n("0.0.0.0/0"), &n("fd00::/8")));
        // Everything but fd00::/8, written back: the pieces begin at :: as ::/0 did.
        let rest =
            RangeSet::of_prefixes(&[n("::/0")]).minus(&RangeSet::of_prefixes(&[n("fd00::/8")]));
        assert_eq!(rest.to_cidrs().first(), Some(&n("::/1")));
    }

    #[test]
    fn overlapping_pairs_finds_nested_and_equal_prefixes_only() {
        let nets = [
            n("10.0.0.0/8"),
            n("192.168.0.0/16"),
            n("10.1.0.0/16"),
            n("10.1.0.0/16"),
            n("10.2.0.0/16"),
        ];
        assert_eq!(
            overlapping_pairs(&nets),
            vec![(0, 2), (0, 3), (0, 4), (2, 3)]
        );
    }
}
