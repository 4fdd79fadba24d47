//! Mermaid: a `flowchart` of the design. A subgraph per cloud and per network, the gateways, public IPs, local
//! network gateways and customer gateways, the tunnels with their inside addresses, and each declared flow as a
//! numbered path. Node ids derive from plan ids and objects come in plan order, so a small design change is a
//! small diff. No secrets; every label is escaped (`escape::mermaid_label`).

use super::escape::{mermaid_label_into, yaml_string};
use super::naming::{Namer, Style};
use super::topology::Index;
use crate::model::flow::FlowEndpoint;
use crate::model::text::Joined;
use crate::model::{Design, Endpoint, Plan};
use ipnet::IpNet;
use std::collections::HashMap;
use std::fmt::{self, Write};
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

/// The diagram being written, with a buffer for one label line at a time: labels are escaped straight into the
/// text, not put together, joined and escaped as strings of their own (a 1,000-network diagram has 30,000).
struct Out {
    text: String,
    line: String,
}

impl Out {
    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// One line of a label, escaped: lines after the first start with Mermaid's line break, as the escaped form
    /// of the label's lines joined by newlines would (`escape::mermaid_label`).
    fn label_line(&mut self, first: bool, line: fmt::Arguments<'_>) {
        if !first {
            self.text.push_str("<br/>");
        }
        self.line.clear();
        let _ = self.line.write_fmt(line);
        mermaid_label_into(&mut self.text, &self.line);
    }

    /// A label of lines.
    fn label(&mut self, lines: &[fmt::Arguments<'_>]) {
        for (i, line) in lines.iter().enumerate() {
            self.label_line(i == 0, *line);
        }
    }
}

impl Write for Out {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
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
    // About 150 bytes per object drawn: one allocation for most diagrams.
    let objects = d
        .azure
        .vnets
        .iter()
        .map(|v| v.subnets.len() + 4)
        .sum::<usize>()
        + d.aws
            .vpcs
            .iter()
            .map(|v| v.subnets.len() + 4)
            .sum::<usize>()
        + d.azure.connections.len() * 2
        + d.aws.vpn_connections.len() * 4
        + d.flows.len() * 2;
    let mut out = Out {
        text: String::with_capacity(256 + objects * 150),
        line: String::new(),
    };
    let _ = writeln!(out, "---\ntitle: {}\n---", yaml_string(&d.name));
    out.push("flowchart LR\n");
    azure(d, &mut ids, &mut out);
    aws(d, &mut ids, &mut out);
    links(d, &mut ids, &mut out);
    flows(d, &mut ids, &mut out);
    out.text
}

/// Items grouped by the network they belong to, in plan order, and those whose network is not in the plan.
fn by_network<T>(
    items: &[T],
    network: impl Fn(&T) -> Option<&str>,
    known: impl Fn(&str) -> bool,
) -> (HashMap<&str, Vec<&T>>, Vec<&T>) {
    let (mut grouped, mut homeless) = (HashMap::<&str, Vec<&T>>::new(), Vec::new());
    for item in items {
        match network(item) {
            Some(id) if known(id) => grouped.entry(id).or_default().push(item),
            _ => homeless.push(item),
        }
    }
    (grouped, homeless)
}

fn azure(d: &Design, ids: &mut Ids<'_>, out: &mut Out) {
    let a = &d.azure;
    out.push("  subgraph cloud_azure [\"Azure\"]\n    direction TB\n");
    let (gateways, homeless) = by_network(
        &a.vpn_gateways,
        |g| Some(g.vnet.as_str()),
        |id| ids.ix.vnet(id).is_some(),
    );
    for vnet in &a.vnets {
        let id = ids.id("vnet", vnet.id.as_str());
        let _ = write!(out, "    subgraph {id} [\"");
        out.label(&[
            format_args!("VNet {}", vnet.name),
            format_args!(
                "{} · {} · {}",
                Joined(&vnet.address_space),
                vnet.region,
                vnet.resource_group
            ),
        ]);
        out.push("\"]\n");
        for subnet in &vnet.subnets {
            let sid = ids.id("subnet", subnet.id.as_str());
            let _ = write!(out, "      {sid}[\"");
            out.label(&[
                format_args!("{}", subnet.name),
                format_args!("{}", subnet.cidr),
            ]);
            out.push("\"]\n");
        }
        for gateway in gateways.get(vnet.id.as_str()).into_iter().flatten() {
            gateway_node(gateway, ids, out, "      ");
        }
        out.push("    end\n");
    }
    for gateway in homeless {
        gateway_node(gateway, ids, out, "    ");
    }
    for pip in &a.public_ips {
        let id = ids.id("pip", pip.id.as_str());
        let _ = write!(out, "    {id}([\"");
        out.label_line(true, format_args!("public IP {}", pip.name));
        match pip.address {
            Some(ip) => out.label_line(false, format_args!("{ip}")),
            None => out.label_line(false, format_args!("address assigned at deployment")),
        }
        out.push("\"])\n");
    }
    for lng in &a.local_network_gateways {
        let id = ids.id("lng", lng.id.as_str());
        let _ = write!(out, "    {id}[/\"");
        out.label_line(true, format_args!("local network gateway {}", lng.name));
        if let Some(bgp) = &lng.bgp {
            out.label_line(
                false,
                format_args!("BGP {} · ASN {}", bgp.peering_address, bgp.asn),
            );
        }
        if !lng.address_prefixes.is_empty() {
            out.label_line(false, format_args!("{}", Joined(&lng.address_prefixes)));
        }
        out.push("\"/]\n");
    }
    out.push("  end\n");
}

fn gateway_node(
    gateway: &crate::model::azure::VpnGateway,
    ids: &mut Ids<'_>,
    out: &mut Out,
    indent: &str,
) {
    let id = ids.id("azgw", gateway.id.as_str());
    let mode = if gateway.active_active {
        "active-active"
    } else {
        "active-standby"
    };
    let _ = write!(out, "{indent}{id}{{{{\"");
    out.label_line(true, format_args!("VPN gateway {}", gateway.name));
    if gateway.bgp_enabled {
        out.label_line(
            false,
            format_args!("{} · {mode} · BGP ASN {}", gateway.sku.name(), gateway.asn),
        );
    } else {
        out.label_line(
            false,
            format_args!("{} · {mode} · no BGP", gateway.sku.name()),
        );
    }
    out.push("\"}}\n");
}

fn aws(d: &Design, ids: &mut Ids<'_>, out: &mut Out) {
    let a = &d.aws;
    out.push("  subgraph cloud_aws [\"AWS\"]\n    direction TB\n");
    let (vgws, homeless) = by_network(
        &a.vpn_gateways,
        |g| g.vpc.as_ref().map(|v| v.as_str()),
        |id| ids.ix.vpc(id).is_some(),
    );
    for vpc in &a.vpcs {
        let id = ids.id("vpc", vpc.id.as_str());
        let _ = write!(out, "    subgraph {id} [\"");
        out.label(&[
            format_args!("VPC {}", vpc.name),
            format_args!("{} · {}", Joined(&vpc.cidr_blocks), vpc.region),
        ]);
        out.push("\"]\n");
        for subnet in &vpc.subnets {
            let sid = ids.id("subnet", subnet.id.as_str());
            let _ = write!(out, "      {sid}[\"");
            out.label(&[
                format_args!("{}", subnet.name),
                format_args!("{} · {}", subnet.cidr, subnet.availability_zone),
            ]);
            out.push("\"]\n");
        }
        for vgw in vgws.get(vpc.id.as_str()).into_iter().flatten() {
            vgw_node(vgw, ids, out, "      ");
        }
        out.push("    end\n");
    }
    for vgw in homeless {
        vgw_node(vgw, ids, out, "    ");
    }
    for cgw in &a.customer_gateways {
        let id = ids.id("cgw", cgw.id.as_str());
        let _ = write!(out, "    {id}[/\"");
        out.label(&[
            format_args!("customer gateway {}", cgw.name),
            format_args!("ASN {}", cgw.bgp_asn),
        ]);
        out.push("\"/]\n");
    }
    out.push("  end\n");
}

fn vgw_node(vgw: &crate::model::aws::VpnGateway, ids: &mut Ids<'_>, out: &mut Out, indent: &str) {
    let id = ids.id("vgw", vgw.id.as_str());
    let _ = write!(out, "{indent}{id}{{{{\"");
    out.label(&[
        format_args!("virtual private gateway {}", vgw.name),
        format_args!("ASN {}", vgw.amazon_side_asn),
    ]);
    out.push("\"}}\n");
}

fn links(d: &Design, ids: &mut Ids<'_>, out: &mut Out) {
    let a = &d.azure;
    // Gateways to their public IPs (one per instance).
    for gateway in &a.vpn_gateways {
        let gw = ids.id("azgw", gateway.id.as_str());
        for (index, config) in gateway.ip_configurations.iter().enumerate() {
            if ids.ix.public_ip(config.public_ip.as_str()).is_some() {
                let pip = ids.id("pip", config.public_ip.as_str());
                let _ = write!(out, "  {gw} ---|\"");
                out.label_line(true, format_args!("instance {index}"));
                if !config.apipa_addresses.is_empty() {
                    out.label_line(
                        false,
                        format_args!("APIPA {}", Joined(&config.apipa_addresses)),
                    );
                }
                let _ = writeln!(out, "\"| {pip}");
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
            let _ = write!(out, "  {gw} -->|\"");
            out.label(&[
                format_args!("connection {}", connection.name),
                format_args!("{}", connection.connection_protocol.name()),
            ]);
            let _ = writeln!(out, "\"| {lng}");
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
            let _ = write!(out, "  {vgw} -->|\"");
            out.label(&[
                format_args!("VPN connection {}", connection.name),
                format_args!("{routing}"),
            ]);
            let _ = writeln!(out, "\"| {cgw}");
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
        let _ = write!(out, "  {azure_end} <==>|\"");
        out.label_line(
            true,
            format_args!("tunnel {}: {} #{}", index + 1, t.connection.name, t.number),
        );
        match t.tunnel.inside_cidr {
            Some(IpNet::V4(net)) => {
                let base = u32::from(net.network());
                out.label_line(
                    false,
                    format_args!(
                        "{net} · AWS {} ⇄ Azure {}",
                        std::net::Ipv4Addr::from(base + 1),
                        std::net::Ipv4Addr::from(base + 2)
                    ),
                );
            }
            Some(net) => out.label_line(false, format_args!("{net}")),
            None => out.label_line(false, format_args!("inside CIDR chosen by AWS")),
        }
        let _ = writeln!(out, "\"| {vgw_id}");
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
fn flows(d: &Design, ids: &mut Ids<'_>, out: &mut Out) {
    let mut key = String::new();
    for (index, flow) in d.flows.iter().enumerate() {
        let number = index + 1;
        let mut path: Vec<Rc<str>> = Vec::new();
        let mut endpoint = |ids: &mut Ids<'_>,
                            out: &mut Out,
                            end: &FlowEndpoint,
                            role: &str|
         -> (Rc<str>, Option<Rc<str>>) {
            match end {
                FlowEndpoint::Subnet(subnet) => {
                    let gateway = gateway_of_subnet(ids, subnet);
                    if subnet_exists(ids, subnet) {
                        (ids.id("subnet", subnet.as_str()), gateway)
                    } else {
                        key.clear();
                        let _ = write!(key, "{}-{role}", flow.id);
                        let id = ids.id("flowend", &key);
                        let _ = write!(out, "  {id}((\"");
                        out.label_line(true, format_args!("subnet {subnet}"));
                        out.push("\"))\n");
                        (id, None)
                    }
                }
                FlowEndpoint::Cidr(net) => {
                    key.clear();
                    let _ = write!(key, "{}-{role}", flow.id);
                    let id = ids.id("flowend", &key);
                    let _ = write!(out, "  {id}((\"");
                    out.label_line(true, format_args!("{net}"));
                    out.push("\"))\n");
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
        for (hop, pair) in path.windows(2).enumerate() {
            let _ = write!(out, "  {} -.->|\"", pair[0]);
            if hop == 0 {
                out.label_line(true, format_args!("{number}. {}", flow.name));
                if flow.ports.is_empty() {
                    out.label_line(false, format_args!("{}", flow.protocol.name()));
                } else {
                    out.label_line(
                        false,
                        format_args!("{} {}", flow.protocol.name(), Joined(&flow.ports)),
                    );
                }
            } else {
                out.label_line(true, format_args!("{number}."));
            }
            let _ = writeln!(out, "\"| {}", pair[1]);
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
