//! What the exports need to know about how the plan's objects hang together: which Azure connection is the far
//! end of which AWS tunnel, which VNet or VPC each object lives beside, which key a tunnel shares.

use crate::hash::FastMap as HashMap;
use crate::model::aws::{self, CustomerGateway, Tunnel, Vpc, VpnConnection};
use crate::model::azure::{Connection, LocalNetworkGateway, PublicIp, Vnet, VpnGateway};
use crate::model::{Design, Endpoint};
use std::net::IpAddr;

/// One IPsec tunnel as both clouds see it: the AWS tunnel, the Azure connection, or both when they are the two
/// ends of the same tunnel (the connection's local network gateway points at the tunnel's outside address).
#[derive(Clone, Copy)]
pub struct TunnelPair<'a> {
    pub aws: Option<AwsTunnel<'a>>,
    pub azure: Option<&'a Connection>,
}

#[derive(Clone, Copy)]
pub struct AwsTunnel<'a> {
    pub connection: &'a VpnConnection,
    /// 1 or 2, as AWS numbers them.
    pub number: u8,
    pub tunnel: &'a Tunnel,
}

impl<'a> TunnelPair<'a> {
    /// A key for names derived from this tunnel: `<vpn connection id>-tunnel<N>`, or the Azure connection's id.
    pub fn key(&self) -> String {
        match (&self.aws, self.azure) {
            (Some(aws), _) => format!("{}-tunnel{}", aws.connection.id, aws.number),
            (None, Some(connection)) => connection.id.to_string(),
            (None, None) => String::new(),
        }
    }

    /// A readable title: `vpn-azure-1 tunnel 1 ⇄ conn-vpn-1-tunnel1`.
    pub fn title(&self) -> String {
        match (&self.aws, self.azure) {
            (Some(aws), Some(az)) => format!(
                "{} tunnel {} ⇄ {}",
                aws.connection.name, aws.number, az.name
            ),
            (Some(aws), None) => format!("{} tunnel {}", aws.connection.name, aws.number),
            (None, Some(az)) => az.name.to_string(),
            (None, None) => String::new(),
        }
    }
}

/// The plan indexed by id, so that exports of a 1,000-network plan look objects up instead of scanning lists.
/// Maps are only ever looked up, never iterated: output order always follows the plan's own lists.
pub struct Index<'a> {
    pub design: &'a Design,
    vnets: HashMap<&'a str, &'a Vnet>,
    public_ips: HashMap<&'a str, &'a PublicIp>,
    azure_gateways: HashMap<&'a str, &'a VpnGateway>,
    local_network_gateways: HashMap<&'a str, &'a LocalNetworkGateway>,
    vpcs: HashMap<&'a str, &'a Vpc>,
    vgws: HashMap<&'a str, &'a aws::VpnGateway>,
    customer_gateways: HashMap<&'a str, &'a CustomerGateway>,
    vpn_connections: HashMap<&'a str, &'a VpnConnection>,
    /// The first object (in plan order) related to a key.
    gateway_of_public_ip: HashMap<&'a str, &'a VpnGateway>,
    gateway_of_vnet: HashMap<&'a str, &'a VpnGateway>,
    vgw_of_vpc: HashMap<&'a str, &'a aws::VpnGateway>,
    connection_of_lng: HashMap<&'a str, &'a Connection>,
    vnet_of_nsg: HashMap<&'a str, &'a Vnet>,
    vnet_of_route_table: HashMap<&'a str, &'a Vnet>,
    vpn_of_customer_gateway: HashMap<&'a str, &'a VpnConnection>,
    vnet_of_subnet: HashMap<&'a str, &'a Vnet>,
    vpc_of_subnet: HashMap<&'a str, &'a Vpc>,
    /// Azure connections (plan positions) whose local network gateway points at an AWS tunnel, or at a literal.
    connections_to_tunnel: HashMap<(&'a str, u8), Vec<usize>>,
    connections_to_address: HashMap<IpAddr, Vec<usize>>,
}

fn by_id<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, &'a T> {
    let mut map = HashMap::with_capacity_and_hasher(items.len(), Default::default());
    for item in items {
        map.entry(id(item)).or_insert(item);
    }
    map
}

impl<'a> Index<'a> {
    pub fn new(design: &'a Design) -> Self {
        let a = &design.azure;
        let w = &design.aws;
        let mut ix = Index {
            design,
            vnets: by_id(&a.vnets, |v| v.id.as_str()),
            public_ips: by_id(&a.public_ips, |p| p.id.as_str()),
            azure_gateways: by_id(&a.vpn_gateways, |g| g.id.as_str()),
            local_network_gateways: by_id(&a.local_network_gateways, |l| l.id.as_str()),
            vpcs: by_id(&w.vpcs, |v| v.id.as_str()),
            vgws: by_id(&w.vpn_gateways, |g| g.id.as_str()),
            customer_gateways: by_id(&w.customer_gateways, |c| c.id.as_str()),
            vpn_connections: by_id(&w.vpn_connections, |c| c.id.as_str()),
            gateway_of_public_ip: HashMap::default(),
            gateway_of_vnet: by_id(&a.vpn_gateways, |g| g.vnet.as_str()),
            vgw_of_vpc: HashMap::default(),
            connection_of_lng: by_id(&a.connections, |c| c.local_network_gateway.as_str()),
            vnet_of_nsg: HashMap::default(),
            vnet_of_route_table: HashMap::default(),
            vpn_of_customer_gateway: by_id(&w.vpn_connections, |c| c.customer_gateway.as_str()),
            vnet_of_subnet: HashMap::default(),
            vpc_of_subnet: HashMap::default(),
            connections_to_tunnel: HashMap::default(),
            connections_to_address: HashMap::default(),
        };
        for gateway in &a.vpn_gateways {
            for config in &gateway.ip_configurations {
                ix.gateway_of_public_ip
                    .entry(config.public_ip.as_str())
                    .or_insert(gateway);
            }
        }
        for vgw in &w.vpn_gateways {
            if let Some(vpc) = &vgw.vpc {
                ix.vgw_of_vpc.entry(vpc.as_str()).or_insert(vgw);
            }
        }
        for vnet in &a.vnets {
            for subnet in &vnet.subnets {
                ix.vnet_of_subnet.entry(subnet.id.as_str()).or_insert(vnet);
                if let Some(nsg) = &subnet.nsg {
                    ix.vnet_of_nsg.entry(nsg.as_str()).or_insert(vnet);
                }
                if let Some(table) = &subnet.route_table {
                    ix.vnet_of_route_table.entry(table.as_str()).or_insert(vnet);
                }
            }
        }
        for vpc in &w.vpcs {
            for subnet in &vpc.subnets {
                ix.vpc_of_subnet.entry(subnet.id.as_str()).or_insert(vpc);
            }
        }
        for (position, connection) in a.connections.iter().enumerate() {
            match ix
                .local_network_gateway(connection)
                .map(|l| &l.gateway_address)
            {
                Some(Endpoint::AwsTunnelOutside {
                    vpn_connection,
                    tunnel,
                }) => ix
                    .connections_to_tunnel
                    .entry((vpn_connection.as_str(), *tunnel))
                    .or_default()
                    .push(position),
                Some(Endpoint::Literal { ip }) => ix
                    .connections_to_address
                    .entry(*ip)
                    .or_default()
                    .push(position),
                _ => {}
            }
        }
        ix
    }

    pub fn vnet(&self, id: &str) -> Option<&'a Vnet> {
        self.vnets.get(id).copied()
    }
    pub fn public_ip(&self, id: &str) -> Option<&'a PublicIp> {
        self.public_ips.get(id).copied()
    }
    pub fn azure_gateway(&self, id: &str) -> Option<&'a VpnGateway> {
        self.azure_gateways.get(id).copied()
    }
    pub fn lng(&self, id: &str) -> Option<&'a LocalNetworkGateway> {
        self.local_network_gateways.get(id).copied()
    }
    pub fn vpc(&self, id: &str) -> Option<&'a Vpc> {
        self.vpcs.get(id).copied()
    }
    pub fn vgw(&self, id: &str) -> Option<&'a aws::VpnGateway> {
        self.vgws.get(id).copied()
    }
    pub fn customer_gateway(&self, id: &str) -> Option<&'a CustomerGateway> {
        self.customer_gateways.get(id).copied()
    }
    pub fn vpn_connection(&self, id: &str) -> Option<&'a VpnConnection> {
        self.vpn_connections.get(id).copied()
    }
    pub fn local_network_gateway(
        &self,
        connection: &Connection,
    ) -> Option<&'a LocalNetworkGateway> {
        self.lng(connection.local_network_gateway.as_str())
    }
    pub fn gateway_of(&self, connection: &Connection) -> Option<&'a VpnGateway> {
        self.azure_gateway(connection.vpn_gateway.as_str())
    }
    /// The Azure VPN gateway that uses a public IP (the first, in plan order).
    pub fn gateway_using_public_ip(&self, id: &str) -> Option<&'a VpnGateway> {
        self.gateway_of_public_ip.get(id).copied()
    }
    /// The Azure VPN gateway in a VNet (the first, if a broken plan has several).
    pub fn gateway_in_vnet(&self, vnet: &str) -> Option<&'a VpnGateway> {
        self.gateway_of_vnet.get(vnet).copied()
    }
    /// The virtual private gateway attached to a VPC.
    pub fn vgw_of_vpc(&self, vpc: &str) -> Option<&'a aws::VpnGateway> {
        self.vgw_of_vpc.get(vpc).copied()
    }
    pub fn vnet_of_subnet(&self, subnet: &str) -> Option<&'a Vnet> {
        self.vnet_of_subnet.get(subnet).copied()
    }
    pub fn vpc_of_subnet(&self, subnet: &str) -> Option<&'a Vpc> {
        self.vpc_of_subnet.get(subnet).copied()
    }
    /// Whether a VGW exists and is attached to a VPC of the plan.
    pub fn vgw_attached(&self, vgw: &str) -> bool {
        self.vgw(vgw)
            .and_then(|g| g.vpc.as_ref())
            .is_some_and(|vpc| self.vpc(vpc.as_str()).is_some())
    }

    /// Every tunnel of the design: AWS connections in plan order, tunnel 1 then 2, each with the Azure
    /// connection that ends it (the first in plan order not yet taken); then the Azure connections that end no
    /// AWS tunnel of the plan.
    pub fn tunnel_pairs(&self) -> Vec<TunnelPair<'a>> {
        let design = self.design;
        let mut pairs = Vec::new();
        let mut matched = vec![false; design.azure.connections.len()];
        let none = Vec::new();
        for connection in &design.aws.vpn_connections {
            for (index, tunnel) in connection.tunnels.iter().enumerate() {
                let number = index as u8 + 1;
                let by_reference = self
                    .connections_to_tunnel
                    .get(&(connection.id.as_str(), number))
                    .unwrap_or(&none);
                let by_address = tunnel
                    .outside_ip
                    .and_then(|ip| self.connections_to_address.get(&IpAddr::V4(ip)))
                    .unwrap_or(&none);
                let first = by_reference
                    .iter()
                    .chain(by_address)
                    .copied()
                    .filter(|i| !matched[*i])
                    .min();
                if let Some(i) = first {
                    matched[i] = true;
                }
                pairs.push(TunnelPair {
                    aws: Some(AwsTunnel {
                        connection,
                        number,
                        tunnel,
                    }),
                    azure: first.map(|i| &design.azure.connections[i]),
                });
            }
        }
        for (i, connection) in design.azure.connections.iter().enumerate() {
            if !matched[i] {
                pairs.push(TunnelPair {
                    aws: None,
                    azure: Some(connection),
                });
            }
        }
        pairs
    }

    // Where an Azure object without a VNet of its own is deployed: the VNet of the gateway that uses it, or of
    // the subnets it is associated with, or else the first VNet of the plan.

    fn first_vnet(&self) -> Option<&'a Vnet> {
        self.design.azure.vnets.first()
    }
    pub fn home_of_gateway(&self, gateway: &VpnGateway) -> Option<&'a Vnet> {
        self.vnet(gateway.vnet.as_str())
            .or_else(|| self.first_vnet())
    }
    pub fn home_of_public_ip(&self, id: &str) -> Option<&'a Vnet> {
        self.gateway_of_public_ip
            .get(id)
            .and_then(|g| self.vnet(g.vnet.as_str()))
            .or_else(|| self.first_vnet())
    }
    pub fn home_of_local_network_gateway(&self, id: &str) -> Option<&'a Vnet> {
        self.connection_of_lng
            .get(id)
            .and_then(|c| self.gateway_of(c))
            .and_then(|g| self.vnet(g.vnet.as_str()))
            .or_else(|| self.first_vnet())
    }
    pub fn home_of_connection(&self, connection: &Connection) -> Option<&'a Vnet> {
        self.gateway_of(connection)
            .and_then(|g| self.vnet(g.vnet.as_str()))
            .or_else(|| self.first_vnet())
    }
    pub fn home_of_nsg(&self, id: &str) -> Option<&'a Vnet> {
        self.vnet_of_nsg
            .get(id)
            .copied()
            .or_else(|| self.first_vnet())
    }
    pub fn home_of_route_table(&self, id: &str) -> Option<&'a Vnet> {
        self.vnet_of_route_table
            .get(id)
            .copied()
            .or_else(|| self.first_vnet())
    }

    // The AWS region an object is deployed in: its VPC's, through the VGW for gateways and connections. `None`
    // when the plan does not say (no VPC attached), and the provider's default region applies.

    pub fn default_region(&self) -> Option<&'a str> {
        self.design.aws.vpcs.first().map(|v| v.region.as_str())
    }
    pub fn region_of_vpc(&self, id: &str) -> Option<&'a str> {
        self.vpc(id).map(|v| v.region.as_str())
    }
    pub fn region_of_vgw(&self, id: &str) -> Option<&'a str> {
        self.vgw(id)
            .and_then(|g| g.vpc.as_ref())
            .and_then(|vpc| self.region_of_vpc(vpc.as_str()))
    }
    pub fn region_of_customer_gateway(&self, id: &str) -> Option<&'a str> {
        self.vpn_of_customer_gateway
            .get(id)
            .and_then(|c| self.region_of_vgw(c.vpn_gateway.as_str()))
    }
    /// Whether every AWS object is in the default region, so that no resource needs a region of its own.
    pub fn single_region(&self) -> bool {
        let default = self.default_region();
        self.design
            .aws
            .vpcs
            .iter()
            .all(|v| Some(v.region.as_str()) == default)
    }
}

/// Every tunnel of the design (see [`Index::tunnel_pairs`]).
pub fn tunnel_pairs(design: &Design) -> Vec<TunnelPair<'_>> {
    Index::new(design).tunnel_pairs()
}

/// The characters AWS accepts in a security group's name and description and in a rule's description
/// (EC2 API: `a-zA-Z0-9`, spaces and `._-:/()#,@[]+=&;{}!$*`).
pub fn aws_security_group_text_ok(text: &str) -> bool {
    text.bytes().all(aws_text_byte)
}

/// One of the characters AWS accepts in security group texts (every one of them is ASCII).
fn aws_text_byte(b: u8) -> bool {
    const ALLOWED: [bool; 128] = {
        let punctuation = b" ._-:/()#,@[]+=&;{}!$*";
        let mut table = [false; 128];
        let mut i = 0;
        while i < punctuation.len() {
            table[punctuation[i] as usize] = true;
            i += 1;
        }
        table
    };
    b.is_ascii_alphanumeric() || (b < 128 && ALLOWED[b as usize])
}

/// A security group text AWS accepts: the plan's text with every other character replaced by `_`, at most 255
/// characters. The full text stays in the `Name` or `Description` tag, which takes any character.
pub fn aws_security_group_text(text: &str) -> String {
    if text.len() <= 255 && aws_security_group_text_ok(text) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_ascii() && aws_text_byte(c as u8) {
                c
            } else {
                '_'
            }
        })
        .take(255)
        .collect()
}

/// A security group rule's description as AWS will hold it: the plan's, on AWS's characters, or one made from
/// the rule (its id, protocol, ports and CIDR) when the plan has none, so every rule says what it is for.
pub fn aws_rule_description(rule: &crate::model::aws::SecurityGroupRule) -> String {
    if rule.description.is_empty() {
        use std::fmt::Write;
        let mut text = String::with_capacity(64);
        text.push_str("VPN Designer rule ");
        text.push_str(rule.id.as_str());
        text.push_str(": ");
        text.push_str(rule.protocol.name());
        text.push(' ');
        let _ = write!(text, "{}", rule.ports);
        text.push(' ');
        super::escape::push_net(&mut text, &rule.cidr);
        if aws_security_group_text_ok(&text) && text.len() <= 255 {
            text
        } else {
            aws_security_group_text(&text)
        }
    } else {
        aws_security_group_text(&rule.description)
    }
}
