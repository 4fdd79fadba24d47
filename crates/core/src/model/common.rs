//! Value types shared by both clouds: ASNs, port ranges, protocols, rule address prefixes, and endpoints whose
//! address is only known after deployment.

use super::ids::{PublicIpId, VpnConnectionId};
use ipnet::IpNet;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An enumeration whose values serialise exactly as the cloud spells them, with the list of all values (for the
/// editor's choices and the facts tables) and the cloud's spelling of each.
macro_rules! cloud_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value as the cloud spells it.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }
    };
}
pub(crate) use cloud_enum;

/// A BGP autonomous system number (2- or 4-byte, written in decimal as both clouds do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Asn(pub u32);

impl fmt::Display for Asn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An inclusive range of ports, written as both clouds write them: `443`, `1024-65535`, or `*` for all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };

    pub fn single(port: u16) -> Self {
        PortRange {
            from: port,
            to: port,
        }
    }

    pub fn is_all(&self) -> bool {
        *self == Self::ALL
    }

    pub fn contains(&self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            f.write_str("*")
        } else if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

impl FromStr for PortRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text == "*" {
            return Ok(Self::ALL);
        }
        let port = |part: &str| -> Result<u16, String> {
            part.trim()
                .parse::<u16>()
                .map_err(|_| format!("'{part}' is not a port number from 0 to 65535"))
        };
        match text.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (port(from)?, port(to)?);
                if from > to {
                    return Err(format!("port range '{text}' starts after it ends"));
                }
                Ok(PortRange { from, to })
            }
            None => port(text).map(PortRange::single),
        }
    }
}

impl Serialize for PortRange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::text::one(self, serializer)
    }
}

impl<'de> Deserialize<'de> for PortRange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// An IP protocol as a security rule or a flow names it. ESP and AH exist in Azure NSGs (ARM only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Protocol {
    #[serde(rename = "tcp")]
    Tcp,
    #[serde(rename = "udp")]
    Udp,
    #[serde(rename = "icmp")]
    Icmp,
    #[serde(rename = "esp")]
    Esp,
    #[serde(rename = "ah")]
    Ah,
    #[serde(rename = "any")]
    Any,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::Esp => "esp",
            Protocol::Ah => "ah",
            Protocol::Any => "any",
        }
    }

    /// The protocol as an AWS security group rule names it (ESP and AH by number, any as -1).
    pub fn aws_ip_protocol(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::Esp => "50",
            Protocol::Ah => "51",
            Protocol::Any => "-1",
        }
    }

    /// The IANA protocol number, as network ACL entries take it (`-1`: every protocol).
    pub fn iana_number(self) -> i16 {
        match self {
            Protocol::Tcp => 6,
            Protocol::Udp => 17,
            Protocol::Icmp => 1,
            Protocol::Esp => 50,
            Protocol::Ah => 51,
            Protocol::Any => -1,
        }
    }

    /// Whether the protocol carries ports (so a rule's or flow's port ranges mean something).
    pub fn has_ports(self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp | Protocol::Any)
    }
}

/// An Azure service tag usable as an NSG rule's source or destination (the ones that matter to a VPN design).
pub const SERVICE_TAGS: &[&str] = &["VirtualNetwork", "Internet", "AzureLoadBalancer"];

/// The source or destination of an NSG rule: a prefix, a service tag, or `*` (any).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AddressPrefix {
    Any,
    Cidr(IpNet),
    Tag(String),
}

impl fmt::Display for AddressPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressPrefix::Any => f.write_str("*"),
            AddressPrefix::Cidr(net) => write!(f, "{net}"),
            AddressPrefix::Tag(tag) => f.write_str(tag),
        }
    }
}

impl FromStr for AddressPrefix {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text == "*" {
            return Ok(AddressPrefix::Any);
        }
        if let Some(tag) = SERVICE_TAGS.iter().find(|tag| **tag == text) {
            return Ok(AddressPrefix::Tag(tag.to_string()));
        }
        parse_cidr(text).map(AddressPrefix::Cidr).map_err(|why| {
            format!(
                "{why}; expected a CIDR, '*' or a service tag ({})",
                SERVICE_TAGS.join(", ")
            )
        })
    }
}

impl Serialize for AddressPrefix {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AddressPrefix::Any => serializer.serialize_str("*"),
            AddressPrefix::Cidr(net) => super::text::one(net, serializer),
            AddressPrefix::Tag(tag) => serializer.serialize_str(tag),
        }
    }
}

impl<'de> Deserialize<'de> for AddressPrefix {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// Parses a CIDR strictly, keeping host bits (so the review can say `10.1.1.5/24` should be `10.1.1.0/24`), and
/// explains what is wrong in words an engineer recognises.
pub fn parse_cidr(text: &str) -> Result<IpNet, String> {
    let Some((address, prefix)) = text.split_once('/') else {
        return Err(format!(
            "'{text}' is not a CIDR: it has no '/prefix-length'"
        ));
    };
    let address: IpAddr = address
        .parse()
        .map_err(|_| format!("'{text}' is not a CIDR: '{address}' is not an IP address"))?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    // Named when it is not a number at all (`16;10.5.0.0/16`, an invisible character after it), so the person
    // sees what was read as the prefix length.
    let prefix: u8 = match prefix.parse::<u8>() {
        Ok(length) if length <= max => length,
        Ok(_) => {
            return Err(format!(
                "'{text}' is not a CIDR: the prefix length must be 0 to {max}"
            ))
        }
        Err(_) => {
            return Err(format!(
                "'{text}' is not a CIDR: '{}' is not a prefix length (0 to {max})",
                prefix.escape_default()
            ))
        }
    };
    IpNet::new(address, prefix).map_err(|_| format!("'{text}' is not a CIDR"))
}

/// Parses an IP address with a readable error.
pub fn parse_ip(text: &str) -> Result<IpAddr, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not an IP address"))
}

/// An address that may only be known after deployment: Azure assigns the gateway's public IPs, AWS the tunnels'
/// outside IPs. A plan refers to the object that will own the address, or holds a literal the user knows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Endpoint {
    /// An address the user already knows.
    Literal {
        #[serde(serialize_with = "super::text::one")]
        ip: IpAddr,
    },
    /// The address Azure will give a public IP resource.
    AzurePublicIp { public_ip: PublicIpId },
    /// The outside address AWS will give tunnel 1 or 2 of a VPN connection.
    AwsTunnelOutside {
        vpn_connection: VpnConnectionId,
        tunnel: u8,
    },
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Literal { ip } => write!(f, "{ip}"),
            Endpoint::AzurePublicIp { public_ip } => write!(f, "address of public IP {public_ip}"),
            Endpoint::AwsTunnelOutside {
                vpn_connection,
                tunnel,
            } => write!(f, "outside IP of {vpn_connection} tunnel {tunnel}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_ranges_parse_and_print_as_the_clouds_write_them() {
        for text in ["443", "1024-65535", "*", "0-10"] {
            assert_eq!(text.parse::<PortRange>().unwrap().to_string(), text);
        }
        assert_eq!("0-65535".parse::<PortRange>().unwrap().to_string(), "*");
        assert!("70000".parse::<PortRange>().is_err());
        assert!("20-10"
            .parse::<PortRange>()
            .unwrap_err()
            .contains("starts after"));
        assert!("http".parse::<PortRange>().is_err());
    }

    #[test]
    fn cidrs_keep_host_bits_and_explain_errors() {
        let net = parse_cidr("10.1.1.5/24").unwrap();
        assert_eq!(net.to_string(), "10.1.1.5/24");
        assert!(parse_cidr("10.1.1.0")
            .unwrap_err()
            .contains("no '/prefix-length'"));
        assert!(parse_cidr("10.1.1.0/33").unwrap_err().contains("0 to 32"));
        assert!(parse_cidr("10.1.300.0/24")
            .unwrap_err()
            .contains("not an IP address"));
        assert!(parse_cidr("fd00::/126").is_ok());
    }

    #[test]
    fn address_prefixes_accept_cidrs_tags_and_any() {
        assert_eq!("*".parse::<AddressPrefix>().unwrap(), AddressPrefix::Any);
        assert_eq!(
            "VirtualNetwork".parse::<AddressPrefix>().unwrap(),
            AddressPrefix::Tag("VirtualNetwork".into())
        );
        assert!("Virtualnetwork".parse::<AddressPrefix>().is_err());
    }
}
