//! Address arithmetic the checks share: prefixes as ranges on one number line, sets of ranges (union, difference,
//! coverage), and the sort-and-sweep that finds every overlapping pair of prefixes in O(n log n + k).
//!
//! IPv4 addresses are placed at their IPv4-mapped IPv6 position (::ffff:a.b.c.d), so both families share one
//! number line and never collide in practice.

use ipnet::IpNet;
use std::net::IpAddr;

/// An inclusive range of addresses on the shared number line.
pub type Range = (u128, u128);

const V4_BASE: u128 = 0xffff_0000_0000;

pub fn address_number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => V4_BASE + u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
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
            (bits & mask, bits | !mask)
        }
    }
}

/// Whether two prefixes share an address.
pub fn overlap(a: &IpNet, b: &IpNet) -> bool {
    let (a, b) = (range(a), range(b));
    a.0 <= b.1 && b.0 <= a.1
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
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
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

fn number_to_ip(value: u128, v4: bool) -> IpAddr {
    if v4 {
        IpAddr::V4(((value - V4_BASE) as u32).into())
    } else {
        IpAddr::V6(value.into())
    }
}

/// Splits an inclusive range into the fewest aligned prefixes.
pub fn range_to_cidrs((lo, hi): Range) -> Vec<IpNet> {
    let v4 = lo >= V4_BASE && hi <= V4_BASE + u128::from(u32::MAX);
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
        while size_log > 0 && (size_log >= 128 || lo + ((1u128 << size_log) - 1) > hi) {
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
        assert_eq!(range(&n("::/0")), (0, u128::MAX));
        let v6 = range(&n("fd00::1/126"));
        assert_eq!(v6.1 - v6.0, 3);
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
