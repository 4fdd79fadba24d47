//! What the exports need to know about how the plan's objects hang together: which Azure connection is the far
//! end of which AWS tunnel, which VNet or VPC each object lives beside, which key a tunnel shares.

use crate::model::aws::{Tunnel, VpnConnection};
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
            (None, Some(az)) => az.name.clone(),
            (None, None) => String::new(),
        }
    }
}

/// Every tunnel of the design: AWS connections in plan order, tunnel 1 then 2, each with the Azure connection
/// that ends it; then the Azure connections that end no AWS tunnel of the plan.
pub fn tunnel_pairs(design: &Design) -> Vec<TunnelPair<'_>> {
    let mut pairs = Vec::new();
    let mut matched = vec![false; design.azure.connections.len()];
    for connection in &design.aws.vpn_connections {
        for (index, tunnel) in connection.tunnels.iter().enumerate() {
            let number = index as u8 + 1;
            let azure = design.azure.connections.iter().enumerate().find(|(i, c)| {
                !matched[*i] && connection_ends_tunnel(design, c, connection, number, tunnel)
            });
            if let Some((i, _)) = azure {
                matched[i] = true;
            }
            pairs.push(TunnelPair {
                aws: Some(AwsTunnel {
                    connection,
                    number,
                    tunnel,
                }),
                azure: azure.map(|(_, c)| c),
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

fn connection_ends_tunnel(
    design: &Design,
    azure: &Connection,
    aws: &VpnConnection,
    number: u8,
    tunnel: &Tunnel,
) -> bool {
    let Some(lng) = local_network_gateway(design, azure) else {
        return false;
    };
    match &lng.gateway_address {
        Endpoint::AwsTunnelOutside {
            vpn_connection,
            tunnel: n,
        } => *vpn_connection == aws.id && *n == number,
        Endpoint::Literal { ip } => tunnel.outside_ip.is_some_and(|o| IpAddr::V4(o) == *ip),
        Endpoint::AzurePublicIp { .. } => false,
    }
}

pub fn local_network_gateway<'a>(
    design: &'a Design,
    connection: &Connection,
) -> Option<&'a LocalNetworkGateway> {
    design
        .azure
        .local_network_gateways
        .iter()
        .find(|l| l.id == connection.local_network_gateway)
}

pub fn azure_gateway<'a>(design: &'a Design, connection: &Connection) -> Option<&'a VpnGateway> {
    design
        .azure
        .vpn_gateways
        .iter()
        .find(|g| g.id == connection.vpn_gateway)
}

pub fn vnet<'a>(design: &'a Design, id: &crate::model::ids::VnetId) -> Option<&'a Vnet> {
    design.azure.vnets.iter().find(|v| v.id == *id)
}

pub fn public_ip<'a>(
    design: &'a Design,
    id: &crate::model::ids::PublicIpId,
) -> Option<&'a PublicIp> {
    design.azure.public_ips.iter().find(|p| p.id == *id)
}

/// Where an Azure object without a VNet of its own is deployed: the VNet of the gateway that uses it, or of the
/// subnets it is associated with, or else the first VNet of the plan.
pub struct AzureHomes<'a> {
    design: &'a Design,
}

impl<'a> AzureHomes<'a> {
    pub fn new(design: &'a Design) -> Self {
        AzureHomes { design }
    }

    fn first(&self) -> Option<&'a Vnet> {
        self.design.azure.vnets.first()
    }

    pub fn of_gateway(&self, gateway: &VpnGateway) -> Option<&'a Vnet> {
        vnet(self.design, &gateway.vnet).or_else(|| self.first())
    }

    pub fn of_public_ip(&self, id: &crate::model::ids::PublicIpId) -> Option<&'a Vnet> {
        self.design
            .azure
            .vpn_gateways
            .iter()
            .find(|g| g.ip_configurations.iter().any(|c| c.public_ip == *id))
            .and_then(|g| vnet(self.design, &g.vnet))
            .or_else(|| self.first())
    }

    pub fn of_local_network_gateway(
        &self,
        id: &crate::model::ids::LocalNetworkGatewayId,
    ) -> Option<&'a Vnet> {
        self.design
            .azure
            .connections
            .iter()
            .find(|c| c.local_network_gateway == *id)
            .and_then(|c| azure_gateway(self.design, c))
            .and_then(|g| vnet(self.design, &g.vnet))
            .or_else(|| self.first())
    }

    pub fn of_connection(&self, connection: &Connection) -> Option<&'a Vnet> {
        azure_gateway(self.design, connection)
            .and_then(|g| vnet(self.design, &g.vnet))
            .or_else(|| self.first())
    }

    pub fn of_nsg(&self, id: &crate::model::ids::NsgId) -> Option<&'a Vnet> {
        self.design
            .azure
            .vnets
            .iter()
            .find(|v| v.subnets.iter().any(|s| s.nsg.as_ref() == Some(id)))
            .or_else(|| self.first())
    }

    pub fn of_route_table(&self, id: &crate::model::ids::RouteTableId) -> Option<&'a Vnet> {
        self.design
            .azure
            .vnets
            .iter()
            .find(|v| v.subnets.iter().any(|s| s.route_table.as_ref() == Some(id)))
            .or_else(|| self.first())
    }
}

/// The AWS region an object is deployed in: its VPC's, through the VGW for gateways and connections. `None` when
/// the plan does not say (no VPC attached), and the provider's default region applies.
pub struct AwsRegions<'a> {
    design: &'a Design,
}

impl<'a> AwsRegions<'a> {
    pub fn new(design: &'a Design) -> Self {
        AwsRegions { design }
    }

    pub fn default_region(&self) -> Option<&'a str> {
        self.design.aws.vpcs.first().map(|v| v.region.as_str())
    }

    pub fn of_vpc(&self, id: &crate::model::ids::VpcId) -> Option<&'a str> {
        self.design
            .aws
            .vpcs
            .iter()
            .find(|v| v.id == *id)
            .map(|v| v.region.as_str())
    }

    pub fn of_vgw(&self, id: &crate::model::ids::VgwId) -> Option<&'a str> {
        self.design
            .aws
            .vpn_gateways
            .iter()
            .find(|g| g.id == *id)
            .and_then(|g| g.vpc.as_ref())
            .and_then(|vpc| self.of_vpc(vpc))
    }

    pub fn of_customer_gateway(
        &self,
        id: &crate::model::ids::CustomerGatewayId,
    ) -> Option<&'a str> {
        self.design
            .aws
            .vpn_connections
            .iter()
            .find(|c| c.customer_gateway == *id)
            .and_then(|c| self.of_vgw(&c.vpn_gateway))
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

/// The characters AWS accepts in a security group's name and description and in a rule's description
/// (EC2 API: `a-zA-Z0-9`, spaces and `._-:/()#,@[]+=&;{}!$*`).
pub fn aws_security_group_text_ok(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c))
}

/// A security group text AWS accepts: the plan's text with every other character replaced by `_`, at most 255
/// characters. The full text stays in the `Name` or `Description` tag, which takes any character.
pub fn aws_security_group_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(255)
        .collect()
}
