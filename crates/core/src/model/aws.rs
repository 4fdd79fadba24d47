//! AWS objects, named and shaped as the EC2 API names and shapes them.

use super::common::{cloud_enum, Asn, Endpoint, PortRange, Protocol};
use super::ids::*;
use super::inline::InlineStr;
use super::secrets::Secret;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsSide {
    #[serde(default)]
    pub vpcs: Vec<Vpc>,
    #[serde(default)]
    pub vpn_gateways: Vec<VpnGateway>,
    #[serde(default)]
    pub customer_gateways: Vec<CustomerGateway>,
    #[serde(default)]
    pub vpn_connections: Vec<VpnConnection>,
    #[serde(default)]
    pub route_tables: Vec<RouteTable>,
    #[serde(default)]
    pub security_groups: Vec<SecurityGroup>,
    /// Network ACLs beyond each VPC's default one; left out of the file when there are none, so plans without
    /// them read and write exactly as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_acls: Vec<NetworkAcl>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vpc {
    pub id: VpcId,
    pub name: InlineStr,
    pub region: InlineStr,
    /// The primary CIDR block first, then secondary ones.
    #[serde(serialize_with = "super::text::list")]
    pub cidr_blocks: Vec<IpNet>,
    #[serde(default)]
    pub subnets: Vec<Subnet>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    pub id: SubnetId,
    pub name: InlineStr,
    #[serde(serialize_with = "super::text::one")]
    pub cidr: IpNet,
    pub availability_zone: InlineStr,
    /// The route table associated with the subnet; `None` means the VPC's main route table.
    #[serde(default)]
    pub route_table: Option<RouteTableId>,
    /// Security groups attached to the workloads (network interfaces) in this subnet.
    #[serde(default)]
    pub security_groups: Vec<SecurityGroupId>,
}

/// A virtual private gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpnGateway {
    pub id: VgwId,
    pub name: InlineStr,
    /// Immutable after creation. Default 64512.
    pub amazon_side_asn: Asn,
    /// The VPC it is attached to (one VGW per VPC at a time).
    #[serde(default)]
    pub vpc: Option<VpcId>,
}

/// The remote device as AWS sees it: for Azure, one per Azure gateway public IP.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerGateway {
    pub id: CustomerGatewayId,
    pub name: InlineStr,
    /// For Azure: the public IP of the gateway instance this customer gateway stands for.
    pub ip_address: Endpoint,
    /// For Azure: the Azure VPN gateway's ASN.
    pub bgp_asn: Asn,
    #[serde(default)]
    pub device_name: InlineStr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TunnelBandwidth {
    Standard,
    Large,
}

/// A Site-to-Site VPN connection: always exactly two tunnels, each ending in a different AWS availability zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpnConnection {
    pub id: VpnConnectionId,
    pub name: InlineStr,
    pub vpn_gateway: VgwId,
    pub customer_gateway: CustomerGatewayId,
    /// Static routing (`true`) or dynamic routing with BGP (`false`).
    pub static_routes_only: bool,
    /// With static routing: the prefixes AWS sends into this connection.
    #[serde(default)]
    #[serde(serialize_with = "super::text::list")]
    pub static_routes: Vec<IpNet>,
    #[serde(serialize_with = "super::text::one")]
    pub local_ipv4_network_cidr: IpNet,
    #[serde(serialize_with = "super::text::one")]
    pub remote_ipv4_network_cidr: IpNet,
    pub tunnel_bandwidth: TunnelBandwidth,
    pub tunnels: [Tunnel; 2],
}

cloud_enum!(IkeVersion { IkeV1 = "ikev1", IkeV2 = "ikev2" });
cloud_enum!(
    /// Phase 1 and phase 2 encryption algorithms.
    Encryption {
        Aes128 = "AES128",
        Aes256 = "AES256",
        Aes128Gcm16 = "AES128-GCM-16",
        Aes256Gcm16 = "AES256-GCM-16",
    }
);
cloud_enum!(
    /// Phase 1 and phase 2 integrity algorithms.
    Integrity {
        Sha1 = "SHA1",
        Sha2_256 = "SHA2-256",
        Sha2_384 = "SHA2-384",
        Sha2_512 = "SHA2-512",
    }
);
cloud_enum!(DpdTimeoutAction { Clear = "clear", None = "none", Restart = "restart" });
cloud_enum!(StartupAction { Add = "add", Start = "start" });

/// One tunnel's options, as `ModifyVpnTunnelOptions` names them. Lists are what AWS will propose and accept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tunnel {
    /// A /30 in 169.254.0.0/16; AWS takes the first host, the customer gateway the second.
    #[serde(default)]
    #[serde(serialize_with = "super::text::option")]
    pub inside_cidr: Option<IpNet>,
    /// A secret: left out of share links and exports unless the user asks.
    #[serde(default)]
    pub pre_shared_key: Option<Secret>,
    /// The outside address, where it is already known (AWS assigns it at deployment).
    #[serde(default)]
    #[serde(serialize_with = "super::text::option")]
    pub outside_ip: Option<Ipv4Addr>,
    pub ike_versions: Vec<IkeVersion>,
    pub phase1_encryption: Vec<Encryption>,
    pub phase1_integrity: Vec<Integrity>,
    /// Diffie-Hellman group numbers.
    pub phase1_dh_groups: Vec<u8>,
    pub phase2_encryption: Vec<Encryption>,
    pub phase2_integrity: Vec<Integrity>,
    pub phase2_dh_groups: Vec<u8>,
    pub phase1_lifetime_seconds: u32,
    pub phase2_lifetime_seconds: u32,
    pub rekey_margin_time_seconds: u32,
    pub rekey_fuzz_percentage: u32,
    pub replay_window_size: u32,
    pub dpd_timeout_seconds: u32,
    pub dpd_timeout_action: DpdTimeoutAction,
    pub startup_action: StartupAction,
    pub enable_tunnel_lifecycle_control: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteTable {
    pub id: RouteTableId,
    pub name: InlineStr,
    pub vpc: VpcId,
    /// Whether this is the VPC's main route table (used by subnets with no explicit association).
    #[serde(default)]
    pub main: bool,
    /// Virtual private gateways whose routes are propagated into this table.
    #[serde(default)]
    pub propagating_vgws: Vec<VgwId>,
    /// Routes besides the implicit local route for the VPC's CIDR blocks.
    #[serde(default)]
    pub routes: Vec<Route>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    #[serde(serialize_with = "super::text::one")]
    pub destination: IpNet,
    pub target: RouteTarget,
}

/// Where a VPC route sends traffic. Targets outside the plan's model are named by their AWS id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RouteTarget {
    VpnGateway(VgwId),
    InternetGateway(String),
    NatGateway(String),
    NetworkInterface(String),
    TransitGateway(String),
    VpcPeering(String),
    Blackhole,
}

/// A security group: allow rules only, stateful.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroup {
    pub id: SecurityGroupId,
    pub name: InlineStr,
    pub vpc: VpcId,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub ingress: Vec<SecurityGroupRule>,
    #[serde(default)]
    pub egress: Vec<SecurityGroupRule>,
}

/// One rule: for ingress `cidr` is the source, for egress the destination.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupRule {
    pub id: RuleId,
    pub protocol: Protocol,
    pub ports: PortRange,
    #[serde(serialize_with = "super::text::one")]
    pub cidr: IpNet,
    #[serde(default)]
    pub description: String,
}

cloud_enum!(
    /// What a network ACL entry does with the traffic it matches (`RuleAction`).
    NaclAction { Allow = "allow", Deny = "deny" }
);

/// A network ACL: stateless, numbered entries per direction evaluated from the lowest number up, first match
/// wins, ending with the implicit `*` entry that denies everything else [VPC4]. A subnet associated with no ACL
/// of the plan uses its VPC's default network ACL, which allows all traffic both ways.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkAcl {
    pub id: NetworkAclId,
    pub name: InlineStr,
    pub vpc: VpcId,
    /// The subnets associated with this ACL (one ACL can serve many subnets [VPC1]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<SubnetId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingress: Vec<NetworkAclEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub egress: Vec<NetworkAclEntry>,
}

/// One entry: for ingress `cidr` is the source, for egress the destination; `ports` are destination ports and
/// mean something for TCP and UDP only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkAclEntry {
    /// 1–32766; AWS reserves 32767–65535 [VPC4]. The review reports a number outside 1–32766 (SEC-007).
    pub rule_number: u16,
    pub action: NaclAction,
    pub protocol: Protocol,
    #[serde(default = "all_ports", skip_serializing_if = "PortRange::is_all")]
    pub ports: PortRange,
    #[serde(serialize_with = "super::text::one")]
    pub cidr: IpNet,
}

fn all_ports() -> PortRange {
    PortRange::ALL
}
