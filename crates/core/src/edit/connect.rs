//! Connecting an Azure VPN gateway to an AWS virtual private gateway: the whole, consistent link in one step, as
//! Microsoft's AWS tutorial builds it by hand [AZ1] (facts sheet 3.7), and its removal.
//!
//! Per Azure gateway instance (two when active-active): one AWS customer gateway for the instance's public IP and
//! one AWS VPN connection of two tunnels. Per AWS tunnel: one Azure local network gateway for its outside address
//! and one Azure connection. Inside /30s come from Azure's APIPA range, avoiding AWS's reserved blocks and every
//! /30 in use; AWS takes host 1, Azure host 2 [AWS12]. Keys are generated once per tunnel and set on both ends.
//! IKE/IPsec parameters are pinned to the set both clouds accept (facts sheet 5.1).

use super::delete::delete;
use super::keys::generate_key;
use super::names::{free_inside_cidrs_between, host, numbered, taken_ids, unique};
use super::place::{auto_places, place_new};
use super::{refuse, EditError};
use crate::facts::aws as aws_facts;
use crate::model::aws::{CustomerGateway, TunnelBandwidth, VpnConnection};
use crate::model::azure::{
    Connection, ConnectionMode, ConnectionProtocol, CustomBgpAddresses, LocalNetworkGateway,
    LocalNetworkGatewayBgp,
};
use crate::model::common::Endpoint;
use crate::model::ids::*;
use crate::model::{Asn, Design, Plan};
use crate::review::prefixes::ipv4_only;
use crate::templates::{pinned_aws_tunnel, pinned_azure_policy};
use ipnet::IpNet;

/// How the link exchanges routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    Bgp,
    Static,
}

/// Azure's default dead peer detection timeout for a connection, in seconds [AZ2] [AZ4].
const AZURE_DPD_SECONDS: u32 = 45;

/// The AWS VPN connections that join `gateway` (through customer gateways on its public IPs) to `vgw`.
pub fn link_connections(design: &Design, gateway: &str, vgw: &str) -> Vec<String> {
    let Some(gw) = design
        .azure
        .vpn_gateways
        .iter()
        .find(|g| g.id.as_str() == gateway)
    else {
        return Vec::new();
    };
    let pips: Vec<&PublicIpId> = gw.ip_configurations.iter().map(|c| &c.public_ip).collect();
    let cgws: Vec<&CustomerGatewayId> = design
        .aws
        .customer_gateways
        .iter()
        .filter(|c| matches!(&c.ip_address, Endpoint::AzurePublicIp { public_ip } if pips.contains(&public_ip)))
        .map(|c| &c.id)
        .collect();
    design
        .aws
        .vpn_connections
        .iter()
        .filter(|c| c.vpn_gateway.as_str() == vgw && cgws.contains(&&c.customer_gateway))
        .map(|c| c.id.as_str().to_string())
        .collect()
}

/// A customer gateway of the design standing for `public_ip` with `asn`, in `region`: one whose VPN connections
/// all reach VGWs of VPCs in that region (customer gateways are regional).
fn reusable_customer_gateway(
    design: &Design,
    public_ip: &PublicIpId,
    asn: Asn,
    region: &str,
) -> Option<String> {
    let region_of_vgw = |vgw: &VgwId| {
        let vpc = design
            .aws
            .vpn_gateways
            .iter()
            .find(|g| &g.id == vgw)?
            .vpc
            .as_ref()?;
        design
            .aws
            .vpcs
            .iter()
            .find(|v| &v.id == vpc)
            .map(|v| v.region.as_str())
    };
    design
        .aws
        .customer_gateways
        .iter()
        // A typed address that is the public IP's own is the same gateway to AWS.
        .filter(|c| c.bgp_asn == asn && design.azure.public_ip_of(&c.ip_address) == Some(public_ip))
        .find(|c| {
            // One with no connection has no region yet: left alone (the editor removes such; a plan file may
            // hold one for a reason of its own).
            let mut users = design
                .aws
                .vpn_connections
                .iter()
                .filter(|v| v.customer_gateway == c.id)
                .peekable();
            users.peek().is_some() && users.all(|v| region_of_vgw(&v.vpn_gateway) == Some(region))
        })
        .map(|c| c.id.as_str().to_string())
}

/// Creates the link; returns the ids of the AWS VPN connections made (the link's tunnels are theirs).
pub fn connect(
    plan: &mut Plan,
    gateway: &str,
    vgw: &str,
    routing: Routing,
    random: &mut dyn FnMut(&mut [u8]),
) -> Result<Vec<String>, EditError> {
    let before = auto_places(plan);
    let design = &plan.design;
    let Some(gw) = design
        .azure
        .vpn_gateways
        .iter()
        .find(|g| g.id.as_str() == gateway)
        .cloned()
    else {
        return refuse(format!("no Azure VPN gateway `{gateway}`"));
    };
    let Some(aws_gw) = design
        .aws
        .vpn_gateways
        .iter()
        .find(|g| g.id.as_str() == vgw)
        .cloned()
    else {
        return refuse(format!("no AWS virtual private gateway `{vgw}`"));
    };
    let Some(vpc) = aws_gw
        .vpc
        .as_ref()
        .and_then(|v| design.aws.vpcs.iter().find(|x| &x.id == v))
        .cloned()
    else {
        return refuse(format!(
            "{} is not attached to a VPC; attach it first",
            aws_gw.name
        ));
    };
    let Some(vnet) = design.azure.vnets.iter().find(|v| v.id == gw.vnet).cloned() else {
        return refuse(format!("{} has no VNet", gw.name));
    };
    if !link_connections(design, gateway, vgw).is_empty() {
        return refuse(format!(
            "{} and {} are already connected",
            gw.name, aws_gw.name
        ));
    }
    let instances = gw.ip_configurations.len();
    if instances == 0 {
        return refuse(format!("{} has no public IP configuration", gw.name));
    }
    let per_connection = 2;
    // Each AWS tunnel needs its own custom APIPA address on the Azure instance it ends on, and an active-standby
    // gateway supports only one [AZ1]: BGP to a VPN connection's two tunnels needs active-active (GW-006).
    if routing == Routing::Bgp && !gw.active_active {
        return refuse(format!(
            "{} is active-standby, which supports one custom APIPA address; each of an AWS VPN connection's two \
             tunnels needs its own for BGP. Make the gateway active-active (a second public IP), or connect with \
             static routing",
            gw.name
        ));
    }
    // Unique per VGW and per Azure gateway (TUN-003), not across the plan: other gateway pairs may reuse a /30.
    let inside = free_inside_cidrs_between(design, gateway, vgw, instances * per_connection);
    if inside.len() < instances * per_connection {
        return refuse(format!(
            "no free tunnel inside /30 is left in Azure's APIPA range 169.254.21.0–169.254.22.255 for tunnels \
             between {} and {}: each of their tunnels needs its own",
            gw.name, aws_gw.name
        ));
    }
    let bgp = routing == Routing::Bgp;
    let inside_of = |instance: usize, tunnel: usize| inside[instance * per_connection + tunnel];
    let aws_host = aws_facts::INSIDE_HOST_AWS.value;
    let azure_host = aws_facts::INSIDE_HOST_CUSTOMER.value;

    let mut ids = taken_ids(design);
    let mut names: std::collections::HashSet<String> = design
        .aws
        .customer_gateways
        .iter()
        .map(|c| c.name.to_string())
        .chain(
            design
                .aws
                .vpn_connections
                .iter()
                .map(|c| c.name.to_string()),
        )
        .chain(
            design
                .azure
                .local_network_gateways
                .iter()
                .map(|c| c.name.to_string()),
        )
        .chain(design.azure.connections.iter().map(|c| c.name.to_string()))
        .flat_map(|n| [n.to_ascii_lowercase(), n])
        .collect();
    let mut created = Vec::new();
    let mut cgws = Vec::new();
    let mut vpns = Vec::new();
    let mut lngs = Vec::new();
    let mut conns = Vec::new();
    for (i, config) in gw.ip_configurations.iter().enumerate() {
        // AWS keeps one customer gateway per type, address and ASN in a region: creating the same one again
        // returns the existing one [AWS5], so two resources in the exports would own one gateway. An instance
        // already linked to another VGW of this region uses the customer gateway made then.
        let cgw_id = match reusable_customer_gateway(design, &config.public_ip, gw.asn, &vpc.region)
        {
            Some(existing) => existing,
            None => {
                let cgw_id = numbered(&mut ids, "aws-cgw");
                cgws.push(CustomerGateway {
                    id: CustomerGatewayId::new(cgw_id.clone()),
                    name: unique(&mut names, &format!("cgw-{}-instance{i}", gw.name)).into(),
                    ip_address: Endpoint::AzurePublicIp {
                        public_ip: config.public_ip.clone(),
                    },
                    bgp_asn: gw.asn,
                    device_name: format!("Azure {} instance {i}", gw.name).into(),
                });
                cgw_id
            }
        };
        let vpn_id = numbered(&mut ids, "aws-vpn");
        let short = vpn_id.trim_start_matches("aws-").to_string();
        let mut tunnels = [0, 1].map(|t| {
            let mut tunnel = pinned_aws_tunnel(&inside_of(i, t).to_string());
            tunnel.pre_shared_key = Some(generate_key(random));
            tunnel
        });
        for (t, tunnel) in tunnels.iter_mut().enumerate() {
            let number = t as u8 + 1;
            let net: IpNet = inside_of(i, t);
            let lng_id = unique(&mut ids, &format!("az-lng-{short}-t{number}"));
            lngs.push(LocalNetworkGateway {
                id: LocalNetworkGatewayId::new(lng_id.clone()),
                name: unique(&mut names, &format!("lng-{short}-tunnel{number}")).into(),
                gateway_address: Endpoint::AwsTunnelOutside {
                    vpn_connection: VpnConnectionId::new(vpn_id.clone()),
                    tunnel: number,
                },
                address_prefixes: if bgp {
                    Vec::new()
                } else {
                    ipv4_only(&vpc.cidr_blocks).into_owned()
                },
                bgp: bgp.then(|| LocalNetworkGatewayBgp {
                    asn: aws_gw.amazon_side_asn,
                    peering_address: host(&net, aws_host).into(),
                    peer_weight: None,
                }),
            });
            // Primary applies to instance 0, secondary to instance 1 [AZ1]: this tunnel's twin on each instance.
            let custom = bgp.then(|| CustomBgpAddresses {
                primary_address: host(&inside_of(0, t), azure_host),
                secondary_address: (instances > 1).then(|| host(&inside_of(1, t), azure_host)),
            });
            conns.push(Connection {
                id: ConnectionId::new(unique(&mut ids, &format!("az-conn-{short}-t{number}"))),
                name: unique(&mut names, &format!("conn-{short}-tunnel{number}")).into(),
                vpn_gateway: gw.id.clone(),
                local_network_gateway: LocalNetworkGatewayId::new(lng_id),
                shared_key: tunnel.pre_shared_key.clone(),
                connection_protocol: ConnectionProtocol::IkeV2,
                bgp_enabled: bgp,
                custom_bgp_addresses: custom,
                ipsec_policy: Some(pinned_azure_policy()),
                dpd_timeout_seconds: AZURE_DPD_SECONDS,
                connection_mode: ConnectionMode::Default,
                use_policy_based_traffic_selectors: false,
                traffic_selector_policies: Vec::new(),
            });
        }
        vpns.push(VpnConnection {
            id: VpnConnectionId::new(vpn_id.clone()),
            name: unique(&mut names, &format!("vpn-{}-{}", gw.name, i + 1)).into(),
            vpn_gateway: aws_gw.id.clone(),
            customer_gateway: CustomerGatewayId::new(cgw_id),
            static_routes_only: !bgp,
            static_routes: if bgp {
                Vec::new()
            } else {
                ipv4_only(&vnet.address_space).into_owned()
            },
            local_ipv4_network_cidr: "0.0.0.0/0".parse().expect("a valid CIDR"),
            remote_ipv4_network_cidr: "0.0.0.0/0".parse().expect("a valid CIDR"),
            tunnel_bandwidth: TunnelBandwidth::Standard,
            tunnels,
        });
        created.push(vpn_id);
    }

    let design = &mut plan.design;
    if let Some(g) = design
        .azure
        .vpn_gateways
        .iter_mut()
        .find(|g| g.id.as_str() == gateway)
    {
        if bgp {
            g.bgp_enabled = true;
            for (i, config) in g.ip_configurations.iter_mut().enumerate() {
                for t in 0..per_connection {
                    config
                        .apipa_addresses
                        .push(host(&inside_of(i, t), azure_host));
                }
            }
        }
    }
    // The VPC's route tables learn the link's routes (BGP, or the connection's static routes) from the gateway.
    for rt in design
        .aws
        .route_tables
        .iter_mut()
        .filter(|r| r.vpc == vpc.id)
    {
        if !rt.propagating_vgws.contains(&aws_gw.id) {
            rt.propagating_vgws.push(aws_gw.id.clone());
        }
    }
    design.aws.customer_gateways.extend(cgws);
    design.aws.vpn_connections.extend(vpns);
    design.azure.local_network_gateways.extend(lngs);
    design.azure.connections.extend(conns);
    place_new(plan, &before);
    Ok(created)
}

/// Removes the link between two gateways: its VPN connections and everything made for them.
pub fn disconnect(plan: &mut Plan, gateway: &str, vgw: &str) -> Result<(), EditError> {
    let vpns = link_connections(&plan.design, gateway, vgw);
    if vpns.is_empty() {
        return refuse("the two gateways are not connected");
    }
    delete(plan, &vpns)
}
