//! Azure VPN Gateway, VNet and NSG facts (facts sheet sections 1 and 2).

use super::{Fact, Ipv4Span, Span};
use crate::model::azure::{GatewayGeneration, GatewaySku};
use std::net::Ipv4Addr;

/// The longest NSG rule name Azure accepts; the name must also start with a word character (letter, digit, `_`),
/// end with one, and hold only word characters, `.` and `-` [AZ18] (facts sheet 2.1).
pub const NSG_RULE_NAME_MAX_CHARS: Fact<usize> = Fact::new(80, &["AZ18"]);

/// The gateway subnet must be named exactly this [AZ2] [AZ12].
pub const GATEWAY_SUBNET_NAME: Fact<&str> = Fact::new("GatewaySubnet", &["AZ2", "AZ12"]);
/// The smallest gateway subnet Azure accepts [AZ2] [AZ12].
pub const GATEWAY_SUBNET_MIN_PREFIX: Fact<u8> = Fact::new(29, &["AZ2", "AZ12"]);
/// The size Azure recommends, /27 or larger [AZ2] [AZ12].
pub const GATEWAY_SUBNET_RECOMMENDED_PREFIX: Fact<u8> = Fact::new(27, &["AZ2", "AZ12"]);

/// ASNs Azure reserves (public 8074, 8075, 12076; private 65515, 65517–65520) [AZ2] [AZ3]. 65516 is in neither
/// Azure's reserved list nor its usable ranges (facts sheet 1.2 note): following the sheet's recommendation it is
/// treated as reserved.
pub const AZURE_RESERVED_ASNS: Fact<&[Span]> = Fact::new(
    &[
        Span::new(8074, 8075),
        Span::new(12076, 12076),
        Span::new(65515, 65520),
    ],
    &["AZ2", "AZ3"],
);
/// Azure's own default ASN: valid on the Azure gateway, reserved for every peer [AZ2] [AZ3].
pub const DEFAULT_GATEWAY_ASN: Fact<u32> = Fact::new(65515, &["AZ2", "AZ3"]);

/// The range custom APIPA BGP addresses must come from [AZ1] [AZ3].
pub const APIPA_RANGE: Fact<Ipv4Span> = Fact::new(
    Ipv4Span {
        first: Ipv4Addr::new(169, 254, 21, 0),
        last: Ipv4Addr::new(169, 254, 22, 255),
    },
    &["AZ1", "AZ3"],
);
/// An active-standby gateway supports one custom APIPA address, so it cannot terminate several AWS tunnels [AZ1].
pub const ACTIVE_STANDBY_MAX_APIPA: Fact<usize> = Fact::new(1, &["AZ1"]);

/// Prefixes Azure accepts from one BGP peer before it drops the session [AZ2].
pub const MAX_PREFIXES_FROM_PEER: Fact<usize> = Fact::new(4000, &["AZ2"]);

/// Site-to-site tunnels per gateway, by SKU (table of 06/08/2026) [AZ10]. The legacy Standard and
/// HighPerformance SKUs are migrated to VpnGw1AZ / VpnGw2AZ [AZ2], so they get those limits. CONFLICT: the 2019
/// table gave 30 for VpnGw4/5; the current one says 100.
pub fn max_tunnels(sku: GatewaySku) -> Fact<usize> {
    use GatewaySku::*;
    let value = match sku {
        Basic => 10,
        VpnGw1 | VpnGw2 | VpnGw3 | VpnGw1Az | VpnGw2Az | VpnGw3Az | Standard | HighPerformance => {
            30
        }
        VpnGw4 | VpnGw5 | VpnGw4Az | VpnGw5Az => 100,
    };
    Fact::new(value, &["AZ10"])
}

/// The generations each SKU is offered in (the SKU table of 06/08/2026) [AZ10]: Generation1 has Basic and
/// VpnGw1–3(AZ), Generation2 VpnGw2–5(AZ). The legacy Standard and HighPerformance SKUs predate generations and
/// are Generation1.
pub fn generations(sku: GatewaySku) -> Fact<&'static [GatewayGeneration]> {
    use GatewayGeneration::*;
    use GatewaySku::*;
    let value: &'static [GatewayGeneration] = match sku {
        Basic | VpnGw1 | VpnGw1Az | Standard | HighPerformance => &[Generation1],
        VpnGw2 | VpnGw3 | VpnGw2Az | VpnGw3Az => &[Generation1, Generation2],
        VpnGw4 | VpnGw5 | VpnGw4Az | VpnGw5Az => &[Generation2],
    };
    Fact::new(value, &["AZ10"])
}

/// SKUs Azure no longer creates, with what it migrated them to: the legacy Standard and HighPerformance SKUs are
/// retired and moved to VpnGw1AZ / VpnGw2AZ [AZ2]. The non-zone-redundant VpnGw1–5 are being migrated to their AZ
/// twins and "should not be used to create new VPN gateways" [AZ10]. `(replacement, retired)`: retired SKUs
/// cannot be created at all.
pub fn sku_successor(sku: GatewaySku) -> Option<Fact<(GatewaySku, bool)>> {
    use GatewaySku::*;
    Some(match sku {
        Standard => Fact::new((VpnGw1Az, true), &["AZ2"]),
        HighPerformance => Fact::new((VpnGw2Az, true), &["AZ2"]),
        VpnGw1 => Fact::new((VpnGw1Az, false), &["AZ10"]),
        VpnGw2 => Fact::new((VpnGw2Az, false), &["AZ10"]),
        VpnGw3 => Fact::new((VpnGw3Az, false), &["AZ10"]),
        VpnGw4 => Fact::new((VpnGw4Az, false), &["AZ10"]),
        VpnGw5 => Fact::new((VpnGw5Az, false), &["AZ10"]),
        Basic | VpnGw1Az | VpnGw2Az | VpnGw3Az | VpnGw4Az | VpnGw5Az => return None,
    })
}

/// What the Basic SKU lacks: BGP, custom IPsec/IKE policies, active-active, IKEv1 on route-based [AZ2] [AZ7]
/// [AZ10] [AZ14].
pub const BASIC_SKU_LIMITS: Fact<&str> = Fact::new(
    "Basic supports no BGP, no custom IPsec/IKE policy, no active-active and no IKEv1 on route-based gateways",
    &["AZ2", "AZ10", "AZ14"],
);

/// What the policy-based VPN type allows: Basic SKU only, IKEv1 only, one site-to-site tunnel, no BGP; active-active
/// is route-based only [AZ2] [AZ15] [AZ10] [AZ14].
pub const POLICY_BASED_LIMITS: Fact<&str> = Fact::new(
    "A policy-based gateway is Basic SKU only, IKEv1 only, with one site-to-site tunnel and no BGP; active-active \
     is route-based only",
    &["AZ2", "AZ15", "AZ10", "AZ14"],
);

/// Active-active gateways need exactly two public IPs, both Standard SKU and Static [AZ14].
pub const ACTIVE_ACTIVE_PUBLIC_IPS: Fact<usize> = Fact::new(2, &["AZ14"]);

/// Connection DPD timeout, seconds [AZ2] [AZ4].
pub const DPD_TIMEOUT: Fact<Span> = Fact::new(Span::new(9, 3600), &["AZ2", "AZ4"]);
/// Quick-mode (phase 2) SA lifetime, seconds: minimum 300, no documented maximum [AZ4].
pub const QM_LIFETIME_SECONDS: Fact<Span> = Fact::new(Span::new(300, u64::MAX), &["AZ4"]);
/// Quick-mode SA lifetime, kilobytes: minimum 1,024 [AZ4].
pub const QM_LIFETIME_KILOBYTES: Fact<Span> = Fact::new(Span::new(1024, u64::MAX), &["AZ4"]);

/// Characters Azure refuses in a shared key (besides non-printable ones) and the length it allows [AZ2] [AZ17].
pub const PSK_FORBIDDEN_CHARS: Fact<&[char]> = Fact::new(&[' ', '-', '~'], &["AZ2"]);
pub const PSK_LENGTH: Fact<Span> = Fact::new(Span::new(1, 128), &["AZ2", "AZ17"]);

/// Address ranges a VNet may not use [AZ22].
pub const FORBIDDEN_VNET_RANGES: Fact<&[&str]> = Fact::new(
    &[
        "224.0.0.0/4",
        "255.255.255.255/32",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "168.63.129.16/32",
    ],
    &["AZ22"],
);

/// Subnet prefix lengths: IPv4 /29 at the smallest [AZ22]. The largest is a CONFLICT: the current FAQ says /2,
/// the older one /8; the current text is followed.
pub const SUBNET_PREFIX_V4: Fact<Span> = Fact::new(Span::new(2, 29), &["AZ22"]);
/// IPv6 subnets are exactly /64 [AZ22].
pub const SUBNET_PREFIX_V6: Fact<Span> = Fact::new(Span::new(64, 64), &["AZ22"]);

/// NSG rule priorities [AZ18].
pub const NSG_PRIORITY: Fact<Span> = Fact::new(Span::new(100, 4096), &["AZ18"]);
/// Rules per NSG [AZ18] [AZ20].
pub const NSG_MAX_RULES: Fact<usize> = Fact::new(1000, &["AZ18"]);
/// The default rules every NSG holds, below all user rules [AZ18].
pub const NSG_DEFAULT_PRIORITIES: Fact<[u32; 3]> = Fact::new([65000, 65001, 65500], &["AZ18"]);
/// The host VIP behind the `AzureLoadBalancer` tag [AZ18] [AZ23].
pub const AZURE_LOAD_BALANCER_VIP: Fact<Ipv4Addr> =
    Fact::new(Ipv4Addr::new(168, 63, 129, 16), &["AZ18", "AZ23"]);

/// The names Azure Resource Manager accepts for the network resources a plan makes: letters, digits, `_`, `.` and
/// `-`, starting with a letter or a digit and ending with a letter, a digit or `_`; 2–64 characters for a virtual
/// network, 1–80 for a subnet, gateway, public IP, local network gateway, connection, NSG, route table or route.
/// NOT in the facts sheet, which has only NSG rule names (AZ18): from Microsoft Learn, "Naming rules and
/// restrictions for Azure resources" (resource-name-rules, Microsoft.Network). A facts-sheet row should replace
/// this reference.
pub const VNET_NAME_LENGTH: Fact<Span> = Fact::new(Span::new(2, 64), &[]);
/// See [`VNET_NAME_LENGTH`].
pub const NETWORK_NAME_LENGTH: Fact<Span> = Fact::new(Span::new(1, 80), &[]);
/// Resource group names: 1–90 characters of letters (Unicode letters too), digits, `_`, `(`, `)`, `-` and `.`,
/// not ending with `.`. NOT in the facts sheet: Microsoft Learn, resource-name-rules (Microsoft.Resources).
pub const RESOURCE_GROUP_NAME_LENGTH: Fact<Span> = Fact::new(Span::new(1, 90), &[]);
