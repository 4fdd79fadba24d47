//! The clouds' limits and allowed values, as data. Every fact carries the source keys of
//! `shared/domain/azure-aws-vpn-facts.md` ([AZ2], [AWS1], ...), and review checks read these facts instead of
//! repeating numbers. When a cloud changes a limit, change it here (and in the facts sheet) and every check follows.
//!
//! Where the sources disagree, the value chosen follows the facts sheet's note and the constant says so, so that
//! flipping it is a one-line change.

pub mod aws;
pub mod azure;
pub mod ike;

use std::net::Ipv4Addr;

/// A value and the facts-sheet keys of the documents that state it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fact<T: 'static> {
    pub value: T,
    pub sources: &'static [&'static str],
}

impl<T> Fact<T> {
    pub const fn new(value: T, sources: &'static [&'static str]) -> Self {
        Fact { value, sources }
    }
}

/// An inclusive range of numbers (ASNs, seconds, prefix lengths).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub min: u64,
    pub max: u64,
}

impl Span {
    pub const fn new(min: u64, max: u64) -> Self {
        Span { min, max }
    }
    pub fn contains(&self, value: u64) -> bool {
        self.min <= value && value <= self.max
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.min == self.max {
            write!(f, "{}", self.min)
        } else if self.max == u64::MAX {
            write!(f, "at least {}", self.min)
        } else {
            write!(f, "{}–{}", self.min, self.max)
        }
    }
}

/// Whether a number falls in any of a list of ranges.
pub fn in_any(spans: &[Span], value: u64) -> bool {
    spans.iter().any(|s| s.contains(value))
}

/// Writes a list of ranges the way the documents do: `64512–65534, 4200000000–4294967294`.
pub fn describe(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An inclusive IPv4 address range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4Span {
    pub first: Ipv4Addr,
    pub last: Ipv4Addr,
}

impl Ipv4Span {
    pub fn contains(&self, address: Ipv4Addr) -> bool {
        self.first <= address && address <= self.last
    }
}

impl std::fmt::Display for Ipv4Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}–{}", self.first, self.last)
    }
}

/// IANA-reserved ASNs as Azure lists them [AZ2]. Azure prints "429496729", almost certainly a typo for
/// 4294967295 (facts sheet 1.2 note): the intended value is used. 23456 is AS_TRANS.
pub const IANA_RESERVED_ASNS: Fact<&[Span]> = Fact::new(
    &[
        Span::new(23456, 23456),
        Span::new(64496, 64511),
        Span::new(65535, 65551),
        Span::new(4_294_967_295, 4_294_967_295),
    ],
    &["AZ2"],
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_inclusive_and_print_like_the_documents() {
        let s = Span::new(64512, 65534);
        assert!(s.contains(64512) && s.contains(65534) && !s.contains(65535));
        assert_eq!(
            describe(aws::AMAZON_SIDE_ASNS.value),
            "64512–65534, 4200000000–4294967294"
        );
        assert!(in_any(IANA_RESERVED_ASNS.value, 23456));
        assert!(!in_any(IANA_RESERVED_ASNS.value, 65534));
    }
}
