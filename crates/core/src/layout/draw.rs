//! The walk over what the diagram shows: each object as a node where the layout placed it, the clouds around
//! them, and the edges between placed objects. It hands each one out borrowed, with its detail line as format
//! arguments: the editor's [`super::Diagram`] keeps owned copies, and the review pack's SVG writes them straight
//! into the page (a 1,000-network diagram has 20,000 nodes and 30,000 edges; owned strings for each were most of
//! the SVG's time).

use super::{CloudSide, EdgeKind, NodeKind};
use crate::hash::FastMap;
use crate::model::azure::LocalNetworkGateway;
use crate::model::common::Endpoint;
use crate::model::text::Joined;
use crate::model::{Design, Rect};
use std::fmt;

/// A node as the walk hands it out.
pub(crate) struct NodeRef<'a, 'f> {
    pub id: &'a str,
    pub kind: NodeKind,
    pub cloud: CloudSide,
    pub label: &'a str,
    pub detail: fmt::Arguments<'f>,
    pub rect: Rect,
}

/// An edge between two placed nodes, with their rectangles.
pub(crate) struct EdgeRef<'a, 'f> {
    pub id: fmt::Arguments<'f>,
    pub kind: EdgeKind,
    pub from: &'a str,
    pub to: &'a str,
    pub from_rect: Rect,
    pub to_rect: Rect,
    pub label: fmt::Arguments<'f>,
    pub selects: Option<&'a str>,
}

/// Where the walk's objects go. Calls come in this order: every object's node (plan order, kind by kind), the
/// clouds (Azure, then AWS; only a cloud with nodes), then the edges.
pub(crate) trait Draw<'a> {
    fn node(&mut self, node: NodeRef<'a, '_>);
    fn edge(&mut self, edge: EdgeRef<'a, '_>);
}

/// The plural ending of a count's noun: "1 route", "2 routes".
fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn on_off(flag: bool) -> &'static str {
    if flag {
        "on"
    } else {
        "off"
    }
}

/// Hands the nodes to `out` (those the layout placed), tracking each cloud's bounds.
struct Nodes<'a, 'o, D> {
    placed: &'o FastMap<&'a str, Rect>,
    out: &'o mut D,
    bounds: [Option<Rect>; 2],
}

impl<'a, D: Draw<'a>> Nodes<'a, '_, D> {
    fn push(
        &mut self,
        id: &'a str,
        kind: NodeKind,
        cloud: CloudSide,
        label: &'a str,
        detail: fmt::Arguments<'_>,
    ) {
        let Some(rect) = self.placed.get(id).copied() else {
            return;
        };
        let slot = &mut self.bounds[cloud as usize];
        *slot = Some(match slot {
            Some(bounds) => bounds.union(&rect),
            None => rect,
        });
        self.out.node(NodeRef {
            id,
            kind,
            cloud,
            label,
            detail,
            rect,
        });
    }
}

/// Walks the design: nodes, clouds, edges (see [`Draw`]).
pub(crate) fn walk<'a>(
    design: &'a Design,
    placed: &FastMap<&'a str, Rect>,
    out: &mut impl Draw<'a>,
) {
    use CloudSide::{Aws, Azure};
    let az = &design.azure;
    let aws = &design.aws;
    let mut nodes = Nodes {
        placed,
        out: &mut *out,
        bounds: [None, None],
    };
    for v in &az.vnets {
        let detail = Joined(&v.address_space);
        nodes.push(
            v.id.as_str(),
            NodeKind::Vnet,
            Azure,
            &v.name,
            format_args!("{detail}"),
        );
    }
    for v in &aws.vpcs {
        let detail = Joined(&v.cidr_blocks);
        nodes.push(
            v.id.as_str(),
            NodeKind::Vpc,
            Aws,
            &v.name,
            format_args!("{detail}"),
        );
    }
    for v in &az.vnets {
        for s in &v.subnets {
            let kind = if s.is_gateway_subnet() {
                NodeKind::GatewaySubnet
            } else {
                NodeKind::AzureSubnet
            };
            nodes.push(
                s.id.as_str(),
                kind,
                Azure,
                &s.name,
                format_args!("{}", s.cidr),
            );
        }
    }
    for g in &az.vpn_gateways {
        let mode = if g.active_active {
            "active-active"
        } else {
            "active-standby"
        };
        nodes.push(
            g.id.as_str(),
            NodeKind::AzureVpnGateway,
            Azure,
            &g.name,
            format_args!("{} · {mode} · ASN {}", g.sku.name(), g.asn),
        );
    }
    for p in &az.public_ips {
        let (id, name) = (p.id.as_str(), p.name.as_str());
        match p.address {
            Some(a) => nodes.push(id, NodeKind::PublicIp, Azure, name, format_args!("{a}")),
            None => nodes.push(
                id,
                NodeKind::PublicIp,
                Azure,
                name,
                format_args!("assigned at deployment"),
            ),
        }
    }
    for l in &az.local_network_gateways {
        let (id, kind, name) = (
            l.id.as_str(),
            NodeKind::LocalNetworkGateway,
            l.name.as_str(),
        );
        match &l.bgp {
            Some(bgp) => nodes.push(
                id,
                kind,
                Azure,
                name,
                format_args!("ASN {} · peer {}", bgp.asn, bgp.peering_address),
            ),
            None => {
                let prefixes = Joined(&l.address_prefixes);
                nodes.push(id, kind, Azure, name, format_args!("{prefixes}"));
            }
        }
    }
    for n in &az.nsgs {
        nodes.push(
            n.id.as_str(),
            NodeKind::Nsg,
            Azure,
            &n.name,
            format_args!("{} rule{}", n.rules.len(), plural(n.rules.len())),
        );
    }
    for r in &az.route_tables {
        nodes.push(
            r.id.as_str(),
            NodeKind::AzureRouteTable,
            Azure,
            &r.name,
            format_args!(
                "{} route{} · propagation {}",
                r.routes.len(),
                plural(r.routes.len()),
                on_off(r.bgp_route_propagation)
            ),
        );
    }
    for v in &aws.vpcs {
        for s in &v.subnets {
            nodes.push(
                s.id.as_str(),
                NodeKind::AwsSubnet,
                Aws,
                &s.name,
                format_args!("{} · {}", s.cidr, s.availability_zone),
            );
        }
    }
    for g in &aws.vpn_gateways {
        nodes.push(
            g.id.as_str(),
            NodeKind::Vgw,
            Aws,
            &g.name,
            format_args!("ASN {}", g.amazon_side_asn),
        );
    }
    for c in &aws.customer_gateways {
        nodes.push(
            c.id.as_str(),
            NodeKind::CustomerGateway,
            Aws,
            &c.name,
            format_args!("ASN {}", c.bgp_asn),
        );
    }
    for c in &aws.vpn_connections {
        let routing = if c.static_routes_only {
            "static"
        } else {
            "BGP"
        };
        nodes.push(
            c.id.as_str(),
            NodeKind::VpnConnection,
            Aws,
            &c.name,
            format_args!("2 tunnels · {routing}"),
        );
    }
    for s in &aws.security_groups {
        nodes.push(
            s.id.as_str(),
            NodeKind::SecurityGroup,
            Aws,
            &s.name,
            format_args!("{} in · {} out", s.ingress.len(), s.egress.len()),
        );
    }
    for a in &aws.network_acls {
        nodes.push(
            a.id.as_str(),
            NodeKind::NetworkAcl,
            Aws,
            &a.name,
            format_args!(
                "{} in · {} out · stateless",
                a.ingress.len(),
                a.egress.len()
            ),
        );
    }
    for r in &aws.route_tables {
        nodes.push(
            r.id.as_str(),
            NodeKind::AwsRouteTable,
            Aws,
            &r.name,
            format_args!(
                "{} route{} · {} propagating",
                r.routes.len(),
                plural(r.routes.len()),
                r.propagating_vgws.len()
            ),
        );
    }

    // The clouds around their nodes.
    let bounds = nodes.bounds;
    for (cloud, id, label) in [
        (Azure, "cloud-azure", "Microsoft Azure"),
        (Aws, "cloud-aws", "Amazon Web Services"),
    ] {
        if let Some(bounds) = bounds[cloud as usize] {
            let rect = cloud_rect(cloud, bounds);
            out.node(NodeRef {
                id,
                kind: NodeKind::Cloud,
                cloud,
                label,
                detail: format_args!(""),
                rect,
            });
        }
    }
    edges(design, placed, out);
}

/// A cloud's rectangle around the bounds of what it holds, with room for its title on the side away from the other
/// cloud, where no tunnel crosses it.
pub(crate) fn cloud_rect(cloud: CloudSide, bounds: Rect) -> Rect {
    let pad = 24.0;
    let (above, below) = if super::cloud_title_below(cloud) {
        (pad, pad + 24.0)
    } else {
        (pad + 24.0, pad)
    };
    Rect::new(
        bounds.x - pad,
        bounds.y - above,
        bounds.w + 2.0 * pad,
        bounds.h + above + below,
    )
}

/// Hands an edge to `out` when both its ends are placed (every placed object is drawn; no edge joins a cloud).
fn edge<'a>(
    placed: &FastMap<&'a str, Rect>,
    out: &mut impl Draw<'a>,
    id: fmt::Arguments<'_>,
    kind: EdgeKind,
    (from, to): (&'a str, &'a str),
    label: fmt::Arguments<'_>,
    selects: Option<&'a str>,
) {
    if let (Some(&from_rect), Some(&to_rect)) = (placed.get(from), placed.get(to)) {
        out.edge(EdgeRef {
            id,
            kind,
            from,
            to,
            from_rect,
            to_rect,
            label,
            selects,
        });
    }
}

fn edges<'a>(design: &'a Design, placed: &FastMap<&'a str, Rect>, out: &mut impl Draw<'a>) {
    let az = &design.azure;
    let aws = &design.aws;
    for v in &az.vnets {
        for s in &v.subnets {
            for policy in s
                .nsg
                .iter()
                .map(|n| n.as_str())
                .chain(s.route_table.iter().map(|r| r.as_str()))
            {
                edge(
                    placed,
                    out,
                    format_args!("{}~{policy}", s.id),
                    EdgeKind::Attachment,
                    (s.id.as_str(), policy),
                    format_args!(""),
                    None,
                );
            }
        }
    }
    for g in &az.vpn_gateways {
        for c in &g.ip_configurations {
            let pip = c.public_ip.as_str();
            edge(
                placed,
                out,
                format_args!("{}~{pip}", g.id),
                EdgeKind::Attachment,
                (g.id.as_str(), pip),
                format_args!("{}", c.name),
                None,
            );
        }
    }
    for c in &az.connections {
        edge(
            placed,
            out,
            format_args!("{}", c.id),
            EdgeKind::Connection,
            (c.vpn_gateway.as_str(), c.local_network_gateway.as_str()),
            format_args!("{}", c.name),
            Some(c.id.as_str()),
        );
    }
    for v in &aws.vpcs {
        for s in &v.subnets {
            let policies = s
                .route_table
                .iter()
                .map(|r| r.as_str())
                .chain(s.security_groups.iter().map(|g| g.as_str()));
            for policy in policies {
                edge(
                    placed,
                    out,
                    format_args!("{}~{policy}", s.id),
                    EdgeKind::Attachment,
                    (s.id.as_str(), policy),
                    format_args!(""),
                    None,
                );
            }
        }
    }
    for acl in &aws.network_acls {
        for s in &acl.subnets {
            edge(
                placed,
                out,
                format_args!("{s}~{}", acl.id),
                EdgeKind::Attachment,
                (s.as_str(), acl.id.as_str()),
                format_args!(""),
                None,
            );
        }
    }
    // The LNG standing for each tunnel's AWS end, found in one pass (the first in plan order, as a search
    // would): a search per tunnel was 4 million comparisons on a 1,000-network plan.
    let mut lng_of_tunnel: FastMap<(&str, u8), &LocalNetworkGateway> = FastMap::default();
    for l in &az.local_network_gateways {
        if let Endpoint::AwsTunnelOutside {
            vpn_connection,
            tunnel,
        } = &l.gateway_address
        {
            lng_of_tunnel
                .entry((vpn_connection.as_str(), *tunnel))
                .or_insert(l);
        }
    }
    for c in &aws.vpn_connections {
        let id = c.id.as_str();
        edge(
            placed,
            out,
            format_args!("{id}~cgw"),
            EdgeKind::Connection,
            (c.customer_gateway.as_str(), id),
            format_args!(""),
            Some(id),
        );
        edge(
            placed,
            out,
            format_args!("{id}~vgw"),
            EdgeKind::Connection,
            (id, c.vpn_gateway.as_str()),
            format_args!(""),
            Some(id),
        );
        // Each tunnel joins the Azure object standing for its AWS end (the LNG whose address is this tunnel's
        // outside IP) to the AWS object standing for the Azure end (the customer gateway).
        for (index, tunnel) in c.tunnels.iter().enumerate() {
            let number = index as u8 + 1;
            let Some(lng) = lng_of_tunnel.get(&(id, number)) else {
                continue;
            };
            let ends = (lng.id.as_str(), c.customer_gateway.as_str());
            match tunnel.inside_cidr {
                Some(cidr) => edge(
                    placed,
                    out,
                    format_args!("{id}-tunnel{number}"),
                    EdgeKind::Tunnel,
                    ends,
                    format_args!("{cidr}"),
                    Some(id),
                ),
                None => edge(
                    placed,
                    out,
                    format_args!("{id}-tunnel{number}"),
                    EdgeKind::Tunnel,
                    ends,
                    format_args!("inside CIDR unset"),
                    Some(id),
                ),
            }
        }
    }
}
