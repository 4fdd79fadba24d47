//! Mermaid: a `flowchart` of the design. A subgraph per cloud and per network, the gateways, public IPs, local
//! network gateways and customer gateways, the tunnels with their inside addresses, and each declared flow as a
//! numbered path. Node ids derive from plan ids and objects come in plan order, so a small design change is a
//! small diff. No secrets; every label is escaped (`escape::mermaid_label`).

use super::escape::{mermaid_label, yaml_string};
use super::naming::{Namer, Style};
use super::topology::Index;
use crate::model::flow::FlowEndpoint;
use crate::model::{Design, Endpoint, Plan};
use ipnet::IpNet;
use std::fmt::Write;
use std::rc::Rc;

struct Ids<'a> {
    namer: Namer,
    ix: &'a Index<'a>,
    /// Where `prefix_key` is put together for a lookup.
    key: String,
}

impl Ids<'_> {
    /// Every node and subgraph id has a kind prefix, so no id is a Mermaid keyword (`end`, `graph`…).
    fn id(&mut self, prefix: &str, key: &str) -> Rc<str> {
        self.key.clear();
        self.key.push_str(prefix);
        self.key.push('_');
        self.key.push_str(key);
        self.namer.shared("node", &self.key)
    }
}

fn label(parts: &[String]) -> String {
    mermaid_label(&parts.join("\n"))
}

pub fn mermaid(plan: &Plan) -> String {
    mermaid_with(plan, &Index::new(&plan.design))
}

/// [`mermaid`] with the plan's index built by the caller (the review pack builds one for all its parts).
pub(crate) fn mermaid_with(plan: &Plan, ix: &Index<'_>) -> String {
    let d = &plan.design;
    let mut ids = Ids {
        namer: Namer::new(Style::Snake),
        ix,
        key: String::new(),
    };
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: {}\n---", yaml_string(&d.name));
    out.push_str("flowchart LR\n");
    azure(d, &mut ids, &mut out);
    aws(d, &mut ids, &mut out);
    links(d, &mut ids, &mut out);
    flows(d, &mut ids, &mut out);
    out
}

fn azure(d: &Design, ids: &mut Ids<'_>, out: &mut String) {
    let a = &d.azure;
    out.push_str("  subgraph cloud_azure [\"Azure\"]\n    direction TB\n");
    for vnet in &a.vnets {
        let id = ids.id("vnet", vnet.id.as_str());
        let space: Vec<String> = vnet.address_space.iter().map(|n| n.to_string()).collect();
        let _ = writeln!(
            out,
            "    subgraph {id} [\"{}\"]",
            label(&[
                format!("VNet {}", vnet.name),
                format!(
                    "{} · {} · {}",
                    space.join(", "),
                    vnet.region,
                    vnet.resource_group
                )
            ])
        );
        for subnet in &vnet.subnets {
            let sid = ids.id("subnet", subnet.id.as_str());
            let _ = writeln!(
                out,
                "      {sid}[\"{}\"]",
                label(&[subnet.name.clone(), subnet.cidr.to_string()])
            );
        }
        for gateway in a.vpn_gateways.iter().filter(|g| g.vnet == vnet.id) {
            gateway_node(gateway, ids, out, "      ");
        }
        out.push_str("    end\n");
    }
    for gateway in a
        .vpn_gateways
        .iter()
        .filter(|g| !a.vnets.iter().any(|v| v.id == g.vnet))
    {
        gateway_node(gateway, ids, out, "    ");
    }
    for pip in &a.public_ips {
        let id = ids.id("pip", pip.id.as_str());
        let address = pip.address.map_or_else(
            || "address assigned at deployment".to_string(),
            |ip| ip.to_string(),
        );
        let _ = writeln!(
            out,
            "    {id}([\"{}\"])",
            label(&[format!("public IP {}", pip.name), address])
        );
    }
    for lng in &a.local_network_gateways {
        let id = ids.id("lng", lng.id.as_str());
        let mut parts = vec![format!("local network gateway {}", lng.name)];
        if let Some(bgp) = &lng.bgp {
            parts.push(format!("BGP {} · ASN {}", bgp.peering_address, bgp.asn));
        }
        if !lng.address_prefixes.is_empty() {
            parts.push(join(&lng.address_prefixes));
        }
        let _ = writeln!(out, "    {id}[/\"{}\"/]", label(&parts));
    }
    out.push_str("  end\n");
}

fn gateway_node(
    gateway: &crate::model::azure::VpnGateway,
    ids: &mut Ids<'_>,
    out: &mut String,
    indent: &str,
) {
    let id = ids.id("azgw", gateway.id.as_str());
    let mode = if gateway.active_active {
        "active-active"
    } else {
        "active-standby"
    };
    let bgp = if gateway.bgp_enabled {
        format!("BGP ASN {}", gateway.asn)
    } else {
        "no BGP".to_string()
    };
    let _ = writeln!(
        out,
        "{indent}{id}{{{{\"{}\"}}}}",
        label(&[
            format!("VPN gateway {}", gateway.name),
            format!("{} · {mode} · {bgp}", gateway.sku.name())
        ])
    );
}

fn aws(d: &Design, ids: &mut Ids<'_>, out: &mut String) {
    let a = &d.aws;
    out.push_str("  subgraph cloud_aws [\"AWS\"]\n    direction TB\n");
    for vpc in &a.vpcs {
        let id = ids.id("vpc", vpc.id.as_str());
        let _ = writeln!(
            out,
            "    subgraph {id} [\"{}\"]",
            label(&[
                format!("VPC {}", vpc.name),
                format!("{} · {}", join(&vpc.cidr_blocks), vpc.region)
            ])
        );
        for subnet in &vpc.subnets {
            let sid = ids.id("subnet", subnet.id.as_str());
            let _ = writeln!(
                out,
                "      {sid}[\"{}\"]",
                label(&[
                    subnet.name.clone(),
                    format!("{} · {}", subnet.cidr, subnet.availability_zone)
                ])
            );
        }
        for vgw in a
            .vpn_gateways
            .iter()
            .filter(|g| g.vpc.as_ref() == Some(&vpc.id))
        {
            vgw_node(vgw, ids, out, "      ");
        }
        out.push_str("    end\n");
    }
    for vgw in a.vpn_gateways.iter().filter(|g| {
        !g.vpc
            .as_ref()
            .is_some_and(|v| a.vpcs.iter().any(|p| p.id == *v))
    }) {
        vgw_node(vgw, ids, out, "    ");
    }
    for cgw in &a.customer_gateways {
        let id = ids.id("cgw", cgw.id.as_str());
        let _ = writeln!(
            out,
            "    {id}[/\"{}\"/]",
            label(&[
                format!("customer gateway {}", cgw.name),
                format!("ASN {}", cgw.bgp_asn)
            ])
        );
    }
    out.push_str("  end\n");
}

fn vgw_node(
    vgw: &crate::model::aws::VpnGateway,
    ids: &mut Ids<'_>,
    out: &mut String,
    indent: &str,
) {
    let id = ids.id("vgw", vgw.id.as_str());
    let _ = writeln!(
        out,
        "{indent}{id}{{{{\"{}\"}}}}",
        label(&[
            format!("virtual private gateway {}", vgw.name),
            format!("ASN {}", vgw.amazon_side_asn)
        ])
    );
}

fn links(d: &Design, ids: &mut Ids<'_>, out: &mut String) {
    let a = &d.azure;
    // Gateways to their public IPs (one per instance).
    for gateway in &a.vpn_gateways {
        let gw = ids.id("azgw", gateway.id.as_str());
        for (index, config) in gateway.ip_configurations.iter().enumerate() {
            if ids.ix.public_ip(config.public_ip.as_str()).is_some() {
                let pip = ids.id("pip", config.public_ip.as_str());
                let mut parts = vec![format!("instance {index}")];
                if !config.apipa_addresses.is_empty() {
                    parts.push(format!("APIPA {}", join(&config.apipa_addresses)));
                }
                let _ = writeln!(out, "  {gw} ---|\"{}\"| {pip}", label(&parts));
            }
        }
    }
    // Azure connections: gateway to local network gateway.
    for connection in &a.connections {
        let known = ids.ix.gateway_of(connection).is_some()
            && ids.ix.local_network_gateway(connection).is_some();
        if known {
            let gw = ids.id("azgw", connection.vpn_gateway.as_str());
            let lng = ids.id("lng", connection.local_network_gateway.as_str());
            let _ = writeln!(
                out,
                "  {gw} -->|\"{}\"| {lng}",
                label(&[
                    format!("connection {}", connection.name),
                    connection.connection_protocol.name().to_string()
                ])
            );
        }
    }
    // AWS VPN connections: virtual private gateway to customer gateway.
    for connection in &d.aws.vpn_connections {
        let known = ids.ix.vgw(connection.vpn_gateway.as_str()).is_some()
            && ids
                .ix
                .customer_gateway(connection.customer_gateway.as_str())
                .is_some();
        if known {
            let vgw = ids.id("vgw", connection.vpn_gateway.as_str());
            let cgw = ids.id("cgw", connection.customer_gateway.as_str());
            let routing = if connection.static_routes_only {
                "static"
            } else {
                "BGP"
            };
            let _ = writeln!(
                out,
                "  {vgw} -->|\"{}\"| {cgw}",
                label(&[
                    format!("VPN connection {}", connection.name),
                    routing.to_string()
                ])
            );
        }
    }
    // The tunnels: from the Azure instance's public IP to the AWS gateway, with the inside addresses.
    for (index, pair) in ids.ix.tunnel_pairs().iter().enumerate() {
        let Some(t) = &pair.aws else { continue };
        let Some(vgw) = ids.ix.vgw(t.connection.vpn_gateway.as_str()) else {
            continue;
        };
        let cgw = ids
            .ix
            .customer_gateway(t.connection.customer_gateway.as_str());
        let azure_end = match cgw.map(|c| &c.ip_address) {
            Some(Endpoint::AzurePublicIp { public_ip })
                if ids.ix.public_ip(public_ip.as_str()).is_some() =>
            {
                ids.id("pip", public_ip.as_str())
            }
            Some(_) => ids.id("cgw", t.connection.customer_gateway.as_str()),
            None => continue,
        };
        let vgw_id = ids.id("vgw", vgw.id.as_str());
        let mut parts = vec![format!(
            "tunnel {}: {} #{}",
            index + 1,
            t.connection.name,
            t.number
        )];
        match t.tunnel.inside_cidr {
            Some(IpNet::V4(net)) => {
                let base = u32::from(net.network());
                parts.push(format!(
                    "{net} · AWS {} ⇄ Azure {}",
                    std::net::Ipv4Addr::from(base + 1),
                    std::net::Ipv4Addr::from(base + 2)
                ));
            }
            Some(net) => parts.push(net.to_string()),
            None => parts.push("inside CIDR chosen by AWS".to_string()),
        }
        let _ = writeln!(out, "  {azure_end} <==>|\"{}\"| {vgw_id}", label(&parts));
    }
    // What each side's peer object stands for.
    for lng in &a.local_network_gateways {
        if let Endpoint::AwsTunnelOutside { vpn_connection, .. } = &lng.gateway_address {
            if let Some(connection) = ids.ix.vpn_connection(vpn_connection.as_str()) {
                if ids.ix.vgw(connection.vpn_gateway.as_str()).is_some() {
                    let id = ids.id("lng", lng.id.as_str());
                    let vgw = ids.id("vgw", connection.vpn_gateway.as_str());
                    let _ = writeln!(out, "  {id} -.- {vgw}");
                }
            }
        }
    }
    for cgw in &d.aws.customer_gateways {
        if let Endpoint::AzurePublicIp { public_ip } = &cgw.ip_address {
            if ids.ix.public_ip(public_ip.as_str()).is_some() {
                let id = ids.id("cgw", cgw.id.as_str());
                let pip = ids.id("pip", public_ip.as_str());
                let _ = writeln!(out, "  {id} -.- {pip}");
            }
        }
    }
}

/// Each declared flow as a numbered path: source, the gateways it crosses, destination.
fn flows(d: &Design, ids: &mut Ids<'_>, out: &mut String) {
    for (index, flow) in d.flows.iter().enumerate() {
        let number = index + 1;
        let mut path: Vec<Rc<str>> = Vec::new();
        let endpoint = |ids: &mut Ids<'_>,
                        out: &mut String,
                        end: &FlowEndpoint,
                        role: &str|
         -> (Rc<str>, Option<Rc<str>>) {
            match end {
                FlowEndpoint::Subnet(subnet) => {
                    let gateway = gateway_of_subnet(ids, subnet);
                    if subnet_exists(ids, subnet) {
                        (ids.id("subnet", subnet.as_str()), gateway)
                    } else {
                        let id = ids.id("flowend", &format!("{}-{role}", flow.id));
                        let _ = writeln!(
                            out,
                            "  {id}((\"{}\"))",
                            label(&[format!("subnet {subnet}")])
                        );
                        (id, None)
                    }
                }
                FlowEndpoint::Cidr(net) => {
                    let id = ids.id("flowend", &format!("{}-{role}", flow.id));
                    let _ = writeln!(out, "  {id}((\"{}\"))", label(&[net.to_string()]));
                    (id, None)
                }
            }
        };
        let (source, source_gw) = endpoint(ids, out, &flow.source, "source");
        let (destination, destination_gw) = endpoint(ids, out, &flow.destination, "destination");
        path.push(source);
        path.extend(source_gw);
        path.extend(destination_gw);
        path.push(destination);
        path.dedup();
        let ports: Vec<String> = flow.ports.iter().map(|p| p.to_string()).collect();
        let what = if ports.is_empty() {
            flow.protocol.name().to_string()
        } else {
            format!("{} {}", flow.protocol.name(), ports.join(", "))
        };
        for (hop, pair) in path.windows(2).enumerate() {
            let text = if hop == 0 {
                label(&[format!("{number}. {}", flow.name), what.clone()])
            } else {
                mermaid_label(&format!("{number}."))
            };
            let _ = writeln!(out, "  {} -.->|\"{text}\"| {}", pair[0], pair[1]);
        }
    }
}

fn subnet_exists(ids: &Ids<'_>, subnet: &crate::model::ids::SubnetId) -> bool {
    ids.ix.vnet_of_subnet(subnet.as_str()).is_some()
        || ids.ix.vpc_of_subnet(subnet.as_str()).is_some()
}

/// The VPN gateway on the subnet's side: its VNet's Azure gateway, or its VPC's virtual private gateway.
fn gateway_of_subnet(ids: &mut Ids<'_>, subnet: &crate::model::ids::SubnetId) -> Option<Rc<str>> {
    if let Some(vnet) = ids.ix.vnet_of_subnet(subnet.as_str()) {
        let gateway = ids.ix.gateway_in_vnet(vnet.id.as_str())?;
        return Some(ids.id("azgw", gateway.id.as_str()));
    }
    let vpc = ids.ix.vpc_of_subnet(subnet.as_str())?;
    let vgw = ids.ix.vgw_of_vpc(vpc.id.as_str())?;
    Some(ids.id("vgw", vgw.id.as_str()))
}

fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
