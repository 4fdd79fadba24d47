//! Addresses, prefixes and port ranges written as JSON strings in one piece.
//!
//! serde's and ipnet's own impls go through `Display` and `collect_str`: serde_json then scans each fragment the
//! formatter hands it (an IPv4 CIDR is nine of them: four octets, three dots, a slash, a length) for characters to
//! escape. A plan file is mostly addresses, so that was a fifth of writing one. Here the text is put together
//! in a stack buffer and handed over once. The bytes are `Display`'s (tests hold them equal).

use ipnet::IpNet;
use serde::{Serialize, Serializer};
use std::fmt::{self, Write};
use std::net::{IpAddr, Ipv4Addr};

/// Room for the longest text written here: an IPv6 CIDR (`ffff:…:ffff/128`, 43 bytes), with a margin.
const ROOM: usize = 48;

/// A short text on the stack.
pub(crate) struct Text {
    bytes: [u8; ROOM],
    len: usize,
}

impl Text {
    fn new() -> Self {
        Text {
            bytes: [0; ROOM],
            len: 0,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and punctuation, or text `Display` wrote as UTF-8, are ever pushed.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }

    fn push(&mut self, byte: u8) {
        if self.len < ROOM {
            self.bytes[self.len] = byte;
            self.len += 1;
        }
    }

    /// A number in decimal, without leading zeros.
    fn number(&mut self, value: u32) {
        for &d in decimal(u64::from(value), &mut [0; 20]).as_bytes() {
            self.push(d);
        }
    }

    fn ipv4(&mut self, address: Ipv4Addr) {
        for (i, octet) in address.octets().into_iter().enumerate() {
            if i > 0 {
                self.push(b'.');
            }
            self.number(u32::from(octet));
        }
    }
}

impl Write for Text {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.len + s.len() > ROOM {
            return Err(fmt::Error);
        }
        self.bytes[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
        self.len += s.len();
        Ok(())
    }
}

/// A whole number's digits, as `Display` writes them, put together in `digits` (without the formatter's
/// machinery: the exporters write hundreds of thousands of them).
pub(crate) fn decimal(mut value: u64, digits: &mut [u8; 20]) -> &str {
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    // ASCII digits only.
    std::str::from_utf8(&digits[i..]).unwrap_or_default()
}

/// Items separated by commas, written where they are shown (no joined string of their own).
pub(crate) struct Joined<'a, T>(pub &'a [T]);

impl<T: fmt::Display> fmt::Display for Joined<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            item.fmt(f)?;
        }
        Ok(())
    }
}

/// Values written as one text.
pub(crate) trait AsText {
    fn text(&self) -> Text;
}

impl AsText for Ipv4Addr {
    fn text(&self) -> Text {
        let mut text = Text::new();
        text.ipv4(*self);
        text
    }
}

impl AsText for IpAddr {
    fn text(&self) -> Text {
        match self {
            IpAddr::V4(v4) => v4.text(),
            IpAddr::V6(v6) => {
                let mut text = Text::new();
                // Rare in a plan; std's shortest form, which always fits.
                let _ = write!(text, "{v6}");
                text
            }
        }
    }
}

impl AsText for IpNet {
    fn text(&self) -> Text {
        match self {
            IpNet::V4(net) => {
                let mut text = Text::new();
                text.ipv4(net.addr());
                text.push(b'/');
                text.number(u32::from(net.prefix_len()));
                text
            }
            IpNet::V6(net) => {
                let mut text = Text::new();
                let _ = write!(text, "{net}");
                text
            }
        }
    }
}

impl AsText for super::common::PortRange {
    fn text(&self) -> Text {
        let mut text = Text::new();
        if self.is_all() {
            text.push(b'*');
        } else {
            text.number(u32::from(self.from));
            if self.to != self.from {
                text.push(b'-');
                text.number(u32::from(self.to));
            }
        }
        text
    }
}

/// Serialises one value as its text (`#[serde(serialize_with = "text::one")]`).
pub(crate) fn one<T: AsText, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.text().as_str())
}

/// An optional value: `null` or its text.
pub(crate) fn option<T: AsText, S: Serializer>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.serialize_some(&Item(value)),
        None => serializer.serialize_none(),
    }
}

/// A list of values, each as its text.
// `&Vec` because serde hands `serialize_with` a reference to the field's own type.
#[allow(clippy::ptr_arg)]
pub(crate) fn list<T: AsText, S: Serializer>(
    values: &Vec<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(values.iter().map(Item))
}

struct Item<'a, T>(&'a T);

impl<T: AsText> Serialize for Item<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        one(self.0, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::common::PortRange;
    use proptest::prelude::*;

    fn written<T: AsText>(value: &T) -> String {
        value.text().as_str().to_string()
    }

    proptest! {
        #[test]
        fn texts_are_display_s(bits in any::<u32>(), len in 0u8..=32, wide in any::<u128>(), len6 in 0u8..=128,
                               a in any::<u16>(), b in any::<u16>()) {
            let v4 = Ipv4Addr::from(bits);
            prop_assert_eq!(written(&v4), v4.to_string());
            let net = IpNet::new(IpAddr::V4(v4), len).unwrap();
            prop_assert_eq!(written(&net), net.to_string());
            let v6 = IpAddr::V6(std::net::Ipv6Addr::from(wide));
            prop_assert_eq!(written(&v6), v6.to_string());
            let net6 = IpNet::new(v6, len6).unwrap();
            prop_assert_eq!(written(&net6), net6.to_string());
            let ports = PortRange { from: a.min(b), to: a.max(b) };
            prop_assert_eq!(written(&ports), ports.to_string());
        }
    }

    #[test]
    fn the_longest_texts_fit() {
        let widest: IpNet = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"
            .parse()
            .unwrap();
        assert_eq!(written(&widest), widest.to_string());
        let v4: IpNet = "255.255.255.255/32".parse().unwrap();
        assert_eq!(written(&v4), "255.255.255.255/32");
        assert_eq!(written(&PortRange::ALL), "*");
        assert_eq!(written(&PortRange::single(0)), "0");
    }
}
