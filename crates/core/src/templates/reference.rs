//! The reference design: Azure VNet 10.1.0.0/16 ⇄ AWS VPC 10.2.0.0/16 over four IPsec tunnels.

use crate::model::aws::{self, *};
use crate::model::azure::{self, *};
use crate::model::common::{AddressPrefix, Asn, Endpoint, PortRange, Protocol};
use crate::model::flow::{Flow, FlowEndpoint};
use crate::model::ids::*;
use crate::model::Design;
use ipnet::IpNet;
use std::net::Ipv4Addr;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Routing {
    Bgp,
    Static,
}

fn net(text: &str) -> IpNet {
    text.parse().expect("template CIDRs are valid")
}

fn ip(text: &str) -> Ipv4Addr {
    text.parse().expect("template addresses are valid")
}

const AZURE_ASN: u32 = 65515;
const AWS_ASN: u32 = 64512;
const AZURE_SPACE: &str = "10.1.0.0/16";
const AWS_SPACE: &str = "10.2.0.0/16";
const AZURE_APP: &str = "10.1.1.0/24";
const AWS_APP: &str = "10.2.1.0/24";

/// One AWS tunnel and the Azure objects that stand for its far end.
struct TunnelPlan {
    vpn: &'static str,
    number: u8,
    /// The AWS inside /30: AWS takes .1, Azure .2 (tutorial table, facts sheet 3.7).
    inside: &'static str,
    aws_inside: &'static str,
    azure_inside: &'static str,
}

const TUNNELS: [TunnelPlan; 4] = [
    TunnelPlan {
        vpn: "aws-vpn-1",
        number: 1,
        inside: "169.254.21.0/30",
        aws_inside: "169.254.21.1",
        azure_inside: "169.254.21.2",
    },
    TunnelPlan {
        vpn: "aws-vpn-1",
        number: 2,
        inside: "169.254.22.0/30",
        aws_inside: "169.254.22.1",
        azure_inside: "169.254.22.2",
    },
    TunnelPlan {
        vpn: "aws-vpn-2",
        number: 1,
        inside: "169.254.21.4/30",
        aws_inside: "169.254.21.5",
        azure_inside: "169.254.21.6",
    },
    TunnelPlan {
        vpn: "aws-vpn-2",
        number: 2,
        inside: "169.254.22.4/30",
        aws_inside: "169.254.22.5",
        azure_inside: "169.254.22.6",
    },
];

pub fn design(routing: Routing) -> Design {
    let bgp = routing == Routing::Bgp;
    Design {
        name: if bgp {
            "Azure ⇄ AWS reference (BGP)".into()
        } else {
            "Azure ⇄ AWS reference (static routing)".into()
        },
        description: "Azure VNet 10.1.0.0/16 and AWS VPC 10.2.0.0/16 joined by an active-active Azure VPN \
                      gateway and two AWS VPN connections: four IPsec tunnels, IKEv2, pinned proposals."
            .into(),
        azure: azure_side(bgp),
        aws: aws_side(bgp),
        flows: vec![
            flow("flow-azure-to-aws", "Azure app → AWS app (HTTPS)", "az-snet-app", "aws-snet-app"),
            flow("flow-aws-to-azure", "AWS app → Azure app (HTTPS)", "aws-snet-app", "az-snet-app"),
        ],
    }
}

fn flow(id: &str, name: &str, from: &str, to: &str) -> Flow {
    Flow {
        id: FlowId::new(id),
        name: name.into(),
        source: FlowEndpoint::Subnet(SubnetId::new(from)),
        destination: FlowEndpoint::Subnet(SubnetId::new(to)),
        protocol: Protocol::Tcp,
        ports: vec![PortRange::single(443)],
    }
}

fn azure_side(bgp: bool) -> AzureSide {
    let instances = [("az-pip-1", "pip-vpngw-1"), ("az-pip-2", "pip-vpngw-2")];
    let public_ips = instances
        .iter()
        .map(|(id, name)| PublicIp {
            id: PublicIpId::new(*id),
            name: (*name).into(),
            sku: PublicIpSku::Standard,
            allocation_method: AllocationMethod::Static,
            address: None,
        })
        .collect();
    // Instance 0 terminates AWS connection 1, instance 1 connection 2: each needs both tunnels' APIPA addresses.
    let apipa = |vpn: &str| -> Vec<Ipv4Addr> {
        if !bgp {
            return Vec::new();
        }
        TUNNELS
            .iter()
            .filter(|t| t.vpn == vpn)
            .map(|t| ip(t.azure_inside))
            .collect()
    };
    let ip_configurations = vec![
        GatewayIpConfiguration {
            name: "vnetGatewayConfig0".into(),
            public_ip: PublicIpId::new("az-pip-1"),
            apipa_addresses: apipa("aws-vpn-1"),
        },
        GatewayIpConfiguration {
            name: "vnetGatewayConfig1".into(),
            public_ip: PublicIpId::new("az-pip-2"),
            apipa_addresses: apipa("aws-vpn-2"),
        },
    ];
    let local_network_gateways = TUNNELS
        .iter()
        .map(|t| LocalNetworkGateway {
            id: LocalNetworkGatewayId::new(lng_id(t)),
            name: format!(
                "lng-{}-tunnel{}",
                t.vpn.trim_start_matches("aws-"),
                t.number
            )
            .into(),
            gateway_address: Endpoint::AwsTunnelOutside {
                vpn_connection: VpnConnectionId::new(t.vpn),
                tunnel: t.number,
            },
            address_prefixes: if bgp {
                Vec::new()
            } else {
                vec![net(AWS_SPACE)]
            },
            bgp: bgp.then(|| LocalNetworkGatewayBgp {
                asn: Asn(AWS_ASN),
                peering_address: ip(t.aws_inside).into(),
                peer_weight: None,
            }),
        })
        .collect();
    let connections = TUNNELS
        .iter()
        .map(|t| {
            // Primary applies to instance 0, secondary to instance 1; each tunnel uses the address of the
            // instance its AWS connection terminates on, paired with the twin address on the other instance.
            let (primary, secondary) = if t.number == 1 {
                ("169.254.21.2", "169.254.21.6")
            } else {
                ("169.254.22.2", "169.254.22.6")
            };
            Connection {
                id: ConnectionId::new(format!(
                    "az-conn-{}-t{}",
                    t.vpn.trim_start_matches("aws-"),
                    t.number
                )),
                name: format!(
                    "conn-{}-tunnel{}",
                    t.vpn.trim_start_matches("aws-"),
                    t.number
                )
                .into(),
                vpn_gateway: VpnGatewayId::new("az-vpngw"),
                local_network_gateway: LocalNetworkGatewayId::new(lng_id(t)),
                shared_key: None,
                connection_protocol: ConnectionProtocol::IkeV2,
                bgp_enabled: bgp,
                custom_bgp_addresses: bgp.then(|| CustomBgpAddresses {
                    primary_address: ip(primary),
                    secondary_address: Some(ip(secondary)),
                }),
                ipsec_policy: Some(pinned_azure_policy()),
                dpd_timeout_seconds: 45,
                connection_mode: ConnectionMode::Default,
                use_policy_based_traffic_selectors: false,
                traffic_selector_policies: Vec::new(),
            }
        })
        .collect();
    AzureSide {
        vnets: vec![Vnet {
            id: VnetId::new("az-vnet"),
            name: "vnet-app".into(),
            region: "westeurope".into(),
            resource_group: "rg-vpn-app".into(),
            address_space: vec![net(AZURE_SPACE)],
            subnets: vec![
                azure::Subnet {
                    id: SubnetId::new("az-snet-app"),
                    name: "snet-app".into(),
                    cidr: net(AZURE_APP),
                    nsg: Some(NsgId::new("az-nsg-app")),
                    route_table: Some(RouteTableId::new("az-rt-app")),
                },
                azure::Subnet {
                    id: SubnetId::new("az-snet-gateway"),
                    name: GATEWAY_SUBNET_NAME.into(),
                    cidr: net("10.1.255.0/27"),
                    nsg: None,
                    route_table: None,
                },
            ],
        }],
        public_ips,
        vpn_gateways: vec![azure::VpnGateway {
            id: VpnGatewayId::new("az-vpngw"),
            name: "vpngw-app".into(),
            vnet: VnetId::new("az-vnet"),
            sku: GatewaySku::VpnGw2Az,
            generation: GatewayGeneration::Generation2,
            vpn_type: VpnType::RouteBased,
            active_active: true,
            ip_configurations,
            bgp_enabled: bgp,
            asn: Asn(AZURE_ASN),
        }],
        local_network_gateways,
        connections,
        nsgs: vec![Nsg {
            id: NsgId::new("az-nsg-app"),
            name: "nsg-app".into(),
            rules: vec![
                nsg_rule(
                    "az-nsg-app-in-443",
                    "Allow-AWS-app-HTTPS-in",
                    Direction::Inbound,
                    AWS_APP,
                    AZURE_APP,
                ),
                nsg_rule(
                    "az-nsg-app-out-443",
                    "Allow-AWS-app-HTTPS-out",
                    Direction::Outbound,
                    AZURE_APP,
                    AWS_APP,
                ),
                deny_rest_of_vpc(),
            ],
        }],
        route_tables: vec![azure::RouteTable {
            id: RouteTableId::new("az-rt-app"),
            name: "rt-app".into(),
            bgp_route_propagation: true,
            routes: Vec::new(),
        }],
    }
}

fn lng_id(t: &TunnelPlan) -> String {
    format!("az-lng-{}-t{}", t.vpn.trim_start_matches("aws-"), t.number)
}

fn nsg_rule(id: &str, name: &str, direction: Direction, from: &str, to: &str) -> NsgRule {
    NsgRule {
        id: RuleId::new(id),
        name: name.into(),
        priority: 100,
        direction,
        access: Access::Allow,
        protocol: Protocol::Tcp,
        source_prefixes: vec![AddressPrefix::Cidr(net(from))],
        source_ports: vec![PortRange::ALL],
        destination_prefixes: vec![AddressPrefix::Cidr(net(to))],
        destination_ports: vec![PortRange::single(443)],
        description: "Declared flow: HTTPS between the app subnets".into(),
    }
}

/// Azure's default `AllowVNetInBound` (65000) admits everything from `VirtualNetwork`, and that tag takes in
/// every prefix learned over the VPN [AZ18]: without this rule the whole AWS VPC reaches the app subnet on any
/// port (SEC-008). The declared flow's allow, at 100, comes first.
fn deny_rest_of_vpc() -> NsgRule {
    NsgRule {
        id: RuleId::new("az-nsg-app-in-deny-aws"),
        name: "Deny-AWS-other-in".into(),
        priority: 4000,
        direction: Direction::Inbound,
        access: Access::Deny,
        protocol: Protocol::Any,
        source_prefixes: vec![AddressPrefix::Cidr(net(AWS_SPACE))],
        source_ports: vec![PortRange::ALL],
        destination_prefixes: vec![AddressPrefix::Any],
        destination_ports: vec![PortRange::ALL],
        description: "Whatever else the AWS VPC sends: AllowVNetInBound would admit it".into(),
    }
}

/// Facts sheet 5.1's recommended set, Azure's names: IKEv2, AES256 / SHA256 / DHGroup14, AES256 / SHA256 /
/// PFS2048. Lifetimes are Azure's defaults: they are local to each end and need not match AWS's [AZ5].
pub fn pinned_azure_policy() -> IpsecPolicy {
    IpsecPolicy {
        ike_encryption: Some(IkeEncryption::Aes256),
        ike_integrity: Some(IkeIntegrity::Sha256),
        dh_group: Some(DhGroup::DhGroup14),
        ipsec_encryption: Some(IpsecEncryption::Aes256),
        ipsec_integrity: Some(IpsecIntegrity::Sha256),
        pfs_group: Some(PfsGroup::Pfs2048),
        sa_lifetime_seconds: Some(27_000),
        sa_data_size_kilobytes: Some(102_400_000),
    }
}

/// The same set in AWS's names, each list pinned to one value so both ends choose it (facts sheet 3.4 note).
/// AWS initiates (`start`, IKEv2 only [AWS11]) and restarts the tunnel when dead peer detection fires.
pub fn pinned_aws_tunnel(inside: &str) -> Tunnel {
    Tunnel {
        inside_cidr: Some(net(inside)),
        pre_shared_key: None,
        outside_ip: None,
        ike_versions: vec![IkeVersion::IkeV2],
        phase1_encryption: vec![Encryption::Aes256],
        phase1_integrity: vec![Integrity::Sha2_256],
        phase1_dh_groups: vec![14],
        phase2_encryption: vec![Encryption::Aes256],
        phase2_integrity: vec![Integrity::Sha2_256],
        phase2_dh_groups: vec![14],
        phase1_lifetime_seconds: 28_800,
        phase2_lifetime_seconds: 3_600,
        rekey_margin_time_seconds: 540,
        rekey_fuzz_percentage: 100,
        replay_window_size: 1024,
        dpd_timeout_seconds: 30,
        dpd_timeout_action: DpdTimeoutAction::Restart,
        startup_action: StartupAction::Start,
        enable_tunnel_lifecycle_control: false,
    }
}

fn aws_side(bgp: bool) -> AwsSide {
    let customer_gateways = [("aws-cgw-1", "az-pip-1", 0), ("aws-cgw-2", "az-pip-2", 1)]
        .iter()
        .map(|(id, pip, instance)| CustomerGateway {
            id: CustomerGatewayId::new(*id),
            name: format!("cgw-azure-instance{instance}").into(),
            ip_address: Endpoint::AzurePublicIp {
                public_ip: PublicIpId::new(*pip),
            },
            bgp_asn: Asn(AZURE_ASN),
            device_name: format!("Azure vpngw-app instance {instance}").into(),
        })
        .collect();
    let vpn_connections = [("aws-vpn-1", "aws-cgw-1"), ("aws-vpn-2", "aws-cgw-2")]
        .iter()
        .map(|(id, cgw)| {
            let inside: Vec<&str> = TUNNELS
                .iter()
                .filter(|t| t.vpn == *id)
                .map(|t| t.inside)
                .collect();
            VpnConnection {
                id: VpnConnectionId::new(*id),
                name: format!("vpn-azure-{}", id.trim_start_matches("aws-")).into(),
                vpn_gateway: VgwId::new("aws-vgw"),
                customer_gateway: CustomerGatewayId::new(*cgw),
                static_routes_only: !bgp,
                static_routes: if bgp {
                    Vec::new()
                } else {
                    vec![net(AZURE_SPACE)]
                },
                local_ipv4_network_cidr: net("0.0.0.0/0"),
                remote_ipv4_network_cidr: net("0.0.0.0/0"),
                tunnel_bandwidth: TunnelBandwidth::Standard,
                tunnels: [pinned_aws_tunnel(inside[0]), pinned_aws_tunnel(inside[1])],
            }
        })
        .collect();
    let sg_rule = |id: &str, cidr: &str, description: &str| SecurityGroupRule {
        id: RuleId::new(id),
        protocol: Protocol::Tcp,
        ports: PortRange::single(443),
        cidr: net(cidr),
        description: description.into(),
    };
    AwsSide {
        vpcs: vec![Vpc {
            id: VpcId::new("aws-vpc"),
            name: "vpc-app".into(),
            region: "eu-central-1".into(),
            cidr_blocks: vec![net(AWS_SPACE)],
            subnets: vec![aws::Subnet {
                id: SubnetId::new("aws-snet-app"),
                name: "subnet-app".into(),
                cidr: net(AWS_APP),
                availability_zone: "eu-central-1a".into(),
                route_table: Some(RouteTableId::new("aws-rt-app")),
                security_groups: vec![SecurityGroupId::new("aws-sg-app")],
            }],
        }],
        vpn_gateways: vec![aws::VpnGateway {
            id: VgwId::new("aws-vgw"),
            name: "vgw-app".into(),
            amazon_side_asn: Asn(AWS_ASN),
            vpc: Some(VpcId::new("aws-vpc")),
        }],
        customer_gateways,
        vpn_connections,
        route_tables: vec![aws::RouteTable {
            id: RouteTableId::new("aws-rt-app"),
            name: "rt-app".into(),
            vpc: VpcId::new("aws-vpc"),
            main: false,
            propagating_vgws: if bgp {
                vec![VgwId::new("aws-vgw")]
            } else {
                Vec::new()
            },
            routes: if bgp {
                Vec::new()
            } else {
                vec![aws::Route {
                    destination: net(AZURE_SPACE),
                    target: RouteTarget::VpnGateway(VgwId::new("aws-vgw")),
                }]
            },
        }],
        security_groups: vec![SecurityGroup {
            id: SecurityGroupId::new("aws-sg-app"),
            name: "app-sg".into(),
            vpc: VpcId::new("aws-vpc"),
            description: "App tier: HTTPS to and from the Azure app subnet".into(),
            ingress: vec![sg_rule(
                "aws-sg-app-in-443",
                AZURE_APP,
                "HTTPS from Azure app subnet",
            )],
            egress: vec![sg_rule(
                "aws-sg-app-out-443",
                AZURE_APP,
                "HTTPS to Azure app subnet",
            )],
        }],
        network_acls: Vec::new(),
    }
}
