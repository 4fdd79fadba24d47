//! Azure objects, named and shaped as Azure Resource Manager names and shapes them.

use super::common::{cloud_enum, AddressPrefix, Asn, Endpoint, PortRange, Protocol};
use super::ids::*;
use super::inline::InlineStr;
use super::secrets::Secret;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AzureSide {
    #[serde(default)]
    pub vnets: Vec<Vnet>,
    #[serde(default)]
    pub public_ips: Vec<PublicIp>,
    #[serde(default)]
    pub vpn_gateways: Vec<VpnGateway>,
    #[serde(default)]
    pub local_network_gateways: Vec<LocalNetworkGateway>,
    #[serde(default)]
    pub connections: Vec<Connection>,
    #[serde(default)]
    pub nsgs: Vec<Nsg>,
    #[serde(default)]
    pub route_tables: Vec<RouteTable>,
}

impl AzureSide {
    /// The public IP an address stands for: the one it names, or the one whose known address it is (a customer
    /// gateway may hold either).
    pub fn public_ip_of<'a>(&'a self, address: &'a Endpoint) -> Option<&'a PublicIpId> {
        match address {
            Endpoint::AzurePublicIp { public_ip } => Some(public_ip),
            Endpoint::Literal { ip } => self
                .public_ips
                .iter()
                .find(|p| p.address == Some(*ip))
                .map(|p| &p.id),
            Endpoint::AwsTunnelOutside { .. } => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vnet {
    pub id: VnetId,
    pub name: InlineStr,
    pub region: InlineStr,
    pub resource_group: InlineStr,
    #[serde(serialize_with = "super::text::list")]
    pub address_space: Vec<IpNet>,
    #[serde(default)]
    pub subnets: Vec<Subnet>,
}

/// A VNet subnet. The gateway subnet is the one named exactly `GatewaySubnet`, as Azure requires.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    pub id: SubnetId,
    pub name: InlineStr,
    #[serde(serialize_with = "super::text::one")]
    pub cidr: IpNet,
    /// The NSG associated with the subnet (Azure allows at most one).
    #[serde(default)]
    pub nsg: Option<NsgId>,
    /// The route table associated with the subnet (at most one).
    #[serde(default)]
    pub route_table: Option<RouteTableId>,
}

pub const GATEWAY_SUBNET_NAME: &str = "GatewaySubnet";

/// Subnets Azure reserves for a service that takes no NSG: the gateway's [AZ12], and Azure Firewall's data and
/// management subnets (Azure Firewall does not support NSGs on them; Azure Landing Zones' "subnets must have an
/// NSG" policy exempts exactly these three, Azure/Enterprise-Scale#456).
pub const SUBNETS_WITHOUT_NSG: [&str; 3] = [
    GATEWAY_SUBNET_NAME,
    "AzureFirewallSubnet",
    "AzureFirewallManagementSubnet",
];

impl Subnet {
    pub fn is_gateway_subnet(&self) -> bool {
        self.name == GATEWAY_SUBNET_NAME
    }

    /// Whether Azure expects this subnet to have no NSG (see [`SUBNETS_WITHOUT_NSG`]).
    pub fn takes_no_nsg(&self) -> bool {
        SUBNETS_WITHOUT_NSG.contains(&self.name.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PublicIpSku {
    Basic,
    Standard,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AllocationMethod {
    Static,
    Dynamic,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicIp {
    pub id: PublicIpId,
    pub name: InlineStr,
    pub sku: PublicIpSku,
    pub allocation_method: AllocationMethod,
    /// The address, where the user already knows it; otherwise Azure assigns it at deployment.
    #[serde(default)]
    #[serde(serialize_with = "super::text::option")]
    pub address: Option<IpAddr>,
}

cloud_enum!(
    /// Gateway SKUs, current and legacy (legacy ones still appear in existing designs).
    GatewaySku {
        Basic = "Basic",
        VpnGw1 = "VpnGw1",
        VpnGw2 = "VpnGw2",
        VpnGw3 = "VpnGw3",
        VpnGw4 = "VpnGw4",
        VpnGw5 = "VpnGw5",
        VpnGw1Az = "VpnGw1AZ",
        VpnGw2Az = "VpnGw2AZ",
        VpnGw3Az = "VpnGw3AZ",
        VpnGw4Az = "VpnGw4AZ",
        VpnGw5Az = "VpnGw5AZ",
        Standard = "Standard",
        HighPerformance = "HighPerformance",
    }
);

cloud_enum!(GatewayGeneration { Generation1 = "Generation1", Generation2 = "Generation2" });
cloud_enum!(VpnType { RouteBased = "RouteBased", PolicyBased = "PolicyBased" });

/// An Azure virtual network gateway of type VPN, in the GatewaySubnet of its VNet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpnGateway {
    pub id: VpnGatewayId,
    pub name: InlineStr,
    pub vnet: VnetId,
    pub sku: GatewaySku,
    pub generation: GatewayGeneration,
    pub vpn_type: VpnType,
    pub active_active: bool,
    /// One IP configuration per gateway instance: instance 0 first, instance 1 second when active-active.
    pub ip_configurations: Vec<GatewayIpConfiguration>,
    pub bgp_enabled: bool,
    /// The gateway's ASN. Azure assigns 65515 whether or not BGP is enabled.
    pub asn: Asn,
}

/// One gateway instance: its public IP and its custom APIPA BGP addresses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayIpConfiguration {
    pub name: InlineStr,
    pub public_ip: PublicIpId,
    /// "Custom Azure APIPA BGP IP address" list of this instance.
    #[serde(default)]
    #[serde(serialize_with = "super::text::list")]
    pub apipa_addresses: Vec<Ipv4Addr>,
}

/// The remote device as Azure sees it: for AWS, one per AWS tunnel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalNetworkGateway {
    pub id: LocalNetworkGatewayId,
    pub name: InlineStr,
    /// The peer's public address: for AWS, the tunnel's outside IP (never its inside address).
    pub gateway_address: Endpoint,
    /// Prefixes reached through this peer (static routes). May be empty with BGP.
    #[serde(default)]
    #[serde(serialize_with = "super::text::list")]
    pub address_prefixes: Vec<IpNet>,
    #[serde(default)]
    pub bgp: Option<LocalNetworkGatewayBgp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalNetworkGatewayBgp {
    pub asn: Asn,
    #[serde(serialize_with = "super::text::one")]
    pub peering_address: IpAddr,
    #[serde(default)]
    pub peer_weight: Option<u32>,
}

cloud_enum!(ConnectionProtocol { IkeV1 = "IKEv1", IkeV2 = "IKEv2" });
cloud_enum!(ConnectionMode {
    Default = "Default",
    InitiatorOnly = "InitiatorOnly",
    ResponderOnly = "ResponderOnly",
});

/// A site-to-site connection (type IPsec) from a VPN gateway to a local network gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    pub id: ConnectionId,
    pub name: InlineStr,
    pub vpn_gateway: VpnGatewayId,
    pub local_network_gateway: LocalNetworkGatewayId,
    /// The pre-shared key. A secret: left out of share links and exports unless the user asks.
    #[serde(default)]
    pub shared_key: Option<Secret>,
    pub connection_protocol: ConnectionProtocol,
    pub bgp_enabled: bool,
    /// Which custom APIPA address each gateway instance uses for this connection.
    #[serde(default)]
    pub custom_bgp_addresses: Option<CustomBgpAddresses>,
    /// A custom IPsec/IKE policy; `None` means Azure's default proposals.
    #[serde(default)]
    pub ipsec_policy: Option<IpsecPolicy>,
    pub dpd_timeout_seconds: u32,
    pub connection_mode: ConnectionMode,
    pub use_policy_based_traffic_selectors: bool,
    #[serde(default)]
    pub traffic_selector_policies: Vec<TrafficSelectorPolicy>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomBgpAddresses {
    /// Used by instance 0.
    #[serde(serialize_with = "super::text::one")]
    pub primary_address: Ipv4Addr,
    /// Used by instance 1 (active-active only).
    #[serde(default)]
    #[serde(serialize_with = "super::text::option")]
    pub secondary_address: Option<Ipv4Addr>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficSelectorPolicy {
    #[serde(serialize_with = "super::text::list")]
    pub local_prefixes: Vec<IpNet>,
    #[serde(serialize_with = "super::text::list")]
    pub remote_prefixes: Vec<IpNet>,
}

cloud_enum!(IkeEncryption {
    Aes128 = "AES128",
    Aes192 = "AES192",
    Aes256 = "AES256",
    GcmAes128 = "GCMAES128",
    GcmAes256 = "GCMAES256",
    Des = "DES",
    Des3 = "DES3",
});
cloud_enum!(IkeIntegrity {
    Md5 = "MD5",
    Sha1 = "SHA1",
    Sha256 = "SHA256",
    Sha384 = "SHA384",
    GcmAes128 = "GCMAES128",
    GcmAes256 = "GCMAES256",
});
cloud_enum!(DhGroup {
    None = "None",
    DhGroup1 = "DHGroup1",
    DhGroup2 = "DHGroup2",
    DhGroup14 = "DHGroup14",
    DhGroup2048 = "DHGroup2048",
    Ecp256 = "ECP256",
    Ecp384 = "ECP384",
    DhGroup24 = "DHGroup24",
});
cloud_enum!(IpsecEncryption {
    None = "None",
    Des = "DES",
    Des3 = "DES3",
    Aes128 = "AES128",
    Aes192 = "AES192",
    Aes256 = "AES256",
    GcmAes128 = "GCMAES128",
    GcmAes192 = "GCMAES192",
    GcmAes256 = "GCMAES256",
});
cloud_enum!(IpsecIntegrity {
    Md5 = "MD5",
    Sha1 = "SHA1",
    Sha256 = "SHA256",
    GcmAes128 = "GCMAES128",
    GcmAes192 = "GCMAES192",
    GcmAes256 = "GCMAES256",
});
cloud_enum!(PfsGroup {
    None = "None",
    Pfs1 = "PFS1",
    Pfs2 = "PFS2",
    Pfs14 = "PFS14",
    Pfs2048 = "PFS2048",
    Pfs24 = "PFS24",
    Ecp256 = "ECP256",
    Ecp384 = "ECP384",
    PfsMm = "PFSMM",
});

/// A custom IPsec/IKE policy. Azure requires every field; they are optional here so that a partial policy can be
/// represented, loaded and reported (review code IKE-008) rather than rejected as a broken file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpsecPolicy {
    pub ike_encryption: Option<IkeEncryption>,
    pub ike_integrity: Option<IkeIntegrity>,
    pub dh_group: Option<DhGroup>,
    pub ipsec_encryption: Option<IpsecEncryption>,
    pub ipsec_integrity: Option<IpsecIntegrity>,
    pub pfs_group: Option<PfsGroup>,
    pub sa_lifetime_seconds: Option<u32>,
    pub sa_data_size_kilobytes: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nsg {
    pub id: NsgId,
    pub name: InlineStr,
    #[serde(default)]
    pub rules: Vec<NsgRule>,
}

cloud_enum!(Direction { Inbound = "Inbound", Outbound = "Outbound" });
cloud_enum!(Access { Allow = "Allow", Deny = "Deny" });

/// A security rule. Azure's default rules (65000, 65001, 65500) are implied, not stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NsgRule {
    pub id: RuleId,
    pub name: InlineStr,
    pub priority: u32,
    pub direction: Direction,
    pub access: Access,
    pub protocol: Protocol,
    pub source_prefixes: Vec<AddressPrefix>,
    pub source_ports: Vec<PortRange>,
    pub destination_prefixes: Vec<AddressPrefix>,
    pub destination_ports: Vec<PortRange>,
    #[serde(default)]
    pub description: String,
}

cloud_enum!(NextHopType {
    VirtualNetworkGateway = "VirtualNetworkGateway",
    VnetLocal = "VnetLocal",
    Internet = "Internet",
    VirtualAppliance = "VirtualAppliance",
    None = "None",
});

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteTable {
    pub id: RouteTableId,
    pub name: InlineStr,
    /// Whether gateway (BGP and local network gateway) routes are propagated to the associated subnets.
    pub bgp_route_propagation: bool,
    #[serde(default)]
    pub routes: Vec<Route>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub name: InlineStr,
    #[serde(serialize_with = "super::text::one")]
    pub address_prefix: IpNet,
    pub next_hop_type: NextHopType,
    /// Required for `VirtualAppliance`.
    #[serde(default)]
    #[serde(serialize_with = "super::text::option")]
    pub next_hop_ip: Option<IpAddr>,
}
