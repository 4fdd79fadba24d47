//! Deleting objects, with everything that cannot exist without them.
//!
//! What goes with an object follows the model's references: a VNet takes its subnets and gateway, a gateway its
//! public IPs, connections and the AWS side of its links, an AWS VPN connection its customer gateway (when no other
//! connection uses it), the local network gateways and connections standing for its tunnels, and the APIPA
//! addresses its tunnels held on the Azure gateway. Optional references to a deleted object (a subnet's NSG, a
//! security group in a subnet's list) are cleared; flows from or to a deleted subnet go too.

use super::place::{auto_places, place_new};
use super::{refuse, EditError};
use crate::model::common::Endpoint;
use crate::model::flow::FlowEndpoint;
use crate::model::{Design, Plan};
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// Everything deleting `roots` deletes, roots included.
pub fn closure(design: &Design, roots: &[String]) -> BTreeSet<String> {
    let mut gone: BTreeSet<String> = roots.iter().cloned().collect();
    loop {
        let before = gone.len();
        let has = |id: &str| gone.contains(id);
        let mut more: Vec<String> = Vec::new();
        let az = &design.azure;
        let aws = &design.aws;
        for vnet in &az.vnets {
            if has(vnet.id.as_str()) {
                more.extend(vnet.subnets.iter().map(|s| s.id.as_str().to_string()));
            }
        }
        for gw in &az.vpn_gateways {
            if has(gw.vnet.as_str()) {
                more.push(gw.id.as_str().to_string());
            }
            if has(gw.id.as_str()) {
                more.extend(
                    gw.ip_configurations
                        .iter()
                        .map(|c| c.public_ip.as_str().to_string()),
                );
            }
        }
        for conn in &az.connections {
            if has(conn.vpn_gateway.as_str()) || has(conn.local_network_gateway.as_str()) {
                more.push(conn.id.as_str().to_string());
            }
        }
        for lng in &az.local_network_gateways {
            if let Endpoint::AwsTunnelOutside { vpn_connection, .. } = &lng.gateway_address {
                if has(vpn_connection.as_str()) {
                    more.push(lng.id.as_str().to_string());
                }
            }
        }
        for cgw in &aws.customer_gateways {
            if let Endpoint::AzurePublicIp { public_ip } = &cgw.ip_address {
                if has(public_ip.as_str()) {
                    more.push(cgw.id.as_str().to_string());
                }
            }
        }
        for vpc in &aws.vpcs {
            if has(vpc.id.as_str()) {
                more.extend(vpc.subnets.iter().map(|s| s.id.as_str().to_string()));
            }
        }
        for vgw in &aws.vpn_gateways {
            if vgw.vpc.as_ref().is_some_and(|v| has(v.as_str())) {
                more.push(vgw.id.as_str().to_string());
            }
        }
        for rt in &aws.route_tables {
            if has(rt.vpc.as_str()) {
                more.push(rt.id.as_str().to_string());
            }
        }
        for sg in &aws.security_groups {
            if has(sg.vpc.as_str()) {
                more.push(sg.id.as_str().to_string());
            }
        }
        for acl in &aws.network_acls {
            if has(acl.vpc.as_str()) {
                more.push(acl.id.as_str().to_string());
            }
        }
        for vpn in &aws.vpn_connections {
            if has(vpn.vpn_gateway.as_str()) || has(vpn.customer_gateway.as_str()) {
                more.push(vpn.id.as_str().to_string());
            }
        }
        // A customer gateway made for links goes when its last connection goes.
        for cgw in &aws.customer_gateways {
            let users: Vec<&str> = aws
                .vpn_connections
                .iter()
                .filter(|v| v.customer_gateway == cgw.id)
                .map(|v| v.id.as_str())
                .collect();
            if !users.is_empty() && users.iter().all(|u| has(u)) {
                more.push(cgw.id.as_str().to_string());
            }
        }
        for flow in &design.flows {
            let ends = [&flow.source, &flow.destination];
            if ends
                .iter()
                .any(|e| matches!(e, FlowEndpoint::Subnet(s) if has(s.as_str())))
            {
                more.push(flow.id.as_str().to_string());
            }
        }
        gone.extend(more);
        if gone.len() == before {
            return gone;
        }
    }
}

/// Deletes `ids` and everything that goes with them, and their places on the canvas.
pub fn delete(plan: &mut Plan, ids: &[String]) -> Result<(), EditError> {
    let before = auto_places(plan);
    let known = super::names::taken_ids(&plan.design);
    if let Some(missing) = ids.iter().find(|id| !known.contains(*id)) {
        return refuse(format!("no object `{missing}`"));
    }
    let gone = closure(&plan.design, ids);
    let has = |id: &str| gone.contains(id);
    let d = &mut plan.design;

    // APIPA addresses held on Azure gateways for deleted tunnels: the customer (Azure) host of each inside /30, on
    // the instance (named by its public IP) the tunnel's customer gateway stands for. Inside /30s are unique per
    // gateway pair, not across the plan, so another gateway may hold the same address for a tunnel of its own:
    // only the instance the tunnel ended on gives it up, and only when no tunnel that stays ends there with it.
    let instance_of = |cgw: &str| -> Option<String> {
        let c = d
            .aws
            .customer_gateways
            .iter()
            .find(|c| c.id.as_str() == cgw)?;
        d.azure
            .public_ip_of(&c.ip_address)
            .map(|p| p.as_str().to_string())
    };
    let held = |deleted: bool| -> Vec<(String, Ipv4Addr)> {
        d.aws
            .vpn_connections
            .iter()
            .filter(|v| has(v.id.as_str()) == deleted)
            .filter_map(|v| Some((instance_of(v.customer_gateway.as_str())?, v)))
            .flat_map(|(pip, v)| {
                v.tunnels.iter().filter_map(move |t| {
                    let net = t.inside_cidr?;
                    let host =
                        super::names::host(&net, crate::facts::aws::INSIDE_HOST_CUSTOMER.value);
                    Some((pip.clone(), host))
                })
            })
            .collect()
    };
    let staying = held(false);
    let freed: Vec<(String, Ipv4Addr)> = held(true)
        .into_iter()
        .filter(|f| !staying.contains(f))
        .collect();

    d.azure.vnets.retain(|v| !has(v.id.as_str()));
    for vnet in &mut d.azure.vnets {
        vnet.subnets.retain(|s| !has(s.id.as_str()));
        for s in &mut vnet.subnets {
            if s.nsg.as_ref().is_some_and(|n| has(n.as_str())) {
                s.nsg = None;
            }
            if s.route_table.as_ref().is_some_and(|r| has(r.as_str())) {
                s.route_table = None;
            }
        }
    }
    d.azure.public_ips.retain(|p| !has(p.id.as_str()));
    d.azure.vpn_gateways.retain(|g| !has(g.id.as_str()));
    for gw in &mut d.azure.vpn_gateways {
        // An instance whose public IP goes goes with it. A connection names its custom APIPA address per
        // instance (primary for the first, secondary for the second), so when the first goes the second's
        // address moves up, and the connections keep the addresses of the instance that is left.
        let gone_instances: Vec<usize> = gw
            .ip_configurations
            .iter()
            .enumerate()
            .filter(|(_, c)| has(c.public_ip.as_str()))
            .map(|(i, _)| i)
            .collect();
        if !gone_instances.is_empty() {
            for conn in &mut d.azure.connections {
                if conn.vpn_gateway.as_str() != gw.id.as_str() {
                    continue;
                }
                let Some(custom) = &mut conn.custom_bgp_addresses else {
                    continue;
                };
                let mut kept = [Some(custom.primary_address), custom.secondary_address]
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| !gone_instances.contains(i))
                    .filter_map(|(_, a)| a);
                match kept.next() {
                    Some(first) => {
                        custom.primary_address = first;
                        custom.secondary_address = kept.next();
                    }
                    None => conn.custom_bgp_addresses = None,
                }
            }
        }
        gw.ip_configurations.retain(|c| !has(c.public_ip.as_str()));
        for config in &mut gw.ip_configurations {
            let pip = config.public_ip.as_str();
            config
                .apipa_addresses
                .retain(|a| !freed.iter().any(|(p, f)| p == pip && f == a));
        }
    }
    d.azure
        .local_network_gateways
        .retain(|l| !has(l.id.as_str()));
    d.azure.connections.retain(|c| !has(c.id.as_str()));
    d.azure.nsgs.retain(|n| !has(n.id.as_str()));
    for nsg in &mut d.azure.nsgs {
        nsg.rules.retain(|r| !has(r.id.as_str()));
    }
    d.azure.route_tables.retain(|r| !has(r.id.as_str()));

    d.aws.vpcs.retain(|v| !has(v.id.as_str()));
    for vpc in &mut d.aws.vpcs {
        vpc.subnets.retain(|s| !has(s.id.as_str()));
        for s in &mut vpc.subnets {
            if s.route_table.as_ref().is_some_and(|r| has(r.as_str())) {
                s.route_table = None;
            }
            s.security_groups.retain(|g| !has(g.as_str()));
        }
    }
    d.aws.vpn_gateways.retain(|g| !has(g.id.as_str()));
    d.aws.customer_gateways.retain(|c| !has(c.id.as_str()));
    d.aws.vpn_connections.retain(|c| !has(c.id.as_str()));
    d.aws.route_tables.retain(|r| !has(r.id.as_str()));
    for rt in &mut d.aws.route_tables {
        rt.propagating_vgws.retain(|g| !has(g.as_str()));
        rt.routes.retain(|r| {
            !matches!(&r.target, crate::model::aws::RouteTarget::VpnGateway(g) if has(g.as_str()))
        });
    }
    d.aws.security_groups.retain(|g| !has(g.id.as_str()));
    for sg in &mut d.aws.security_groups {
        sg.ingress.retain(|r| !has(r.id.as_str()));
        sg.egress.retain(|r| !has(r.id.as_str()));
    }
    d.aws.network_acls.retain(|a| !has(a.id.as_str()));
    for acl in &mut d.aws.network_acls {
        acl.subnets.retain(|s| !has(s.as_str()));
    }
    d.flows.retain(|f| !has(f.id.as_str()));
    // The layout forgets what went, and what the user never moved closes up behind it.
    place_new(plan, &before);
    Ok(())
}
