//! Where the canvas draws each object, and what it draws between them.
//!
//! `auto_layout` places every object of a design in a readable, deterministic arrangement: Azure on the left,
//! AWS on the right, the tunnels crossing the gap between them. A plan's stored layout overrides it node by node
//! (`resolve`), so the user's moves are kept and new objects still get a place. `diagram` turns a plan into the
//! nodes and edges the canvas draws; it holds no browser code so it is tested natively.

pub(crate) mod draw;
pub mod trace_path;

use crate::hash::{FastMap, FastSet};
use crate::model::{Design, Layout, Plan, Rect};
use std::collections::BTreeMap;

pub const SUBNET_W: f64 = 200.0;
pub const SUBNET_H: f64 = 64.0;
pub const NODE_W: f64 = 210.0;
/// Gateways carry more on their detail line (SKU, mode, ASN).
pub const GATEWAY_W: f64 = 250.0;
pub const NODE_H: f64 = 40.0;
const GAP: f64 = 20.0;
const HEADER: f64 = 44.0;
const NETWORK_W: f64 = 2.0 * SUBNET_W + 3.0 * GAP;
const AZURE_X: f64 = 40.0;
/// Wide enough a gap between the clouds for the tunnels' inside-CIDR labels.
const AWS_X: f64 = 1240.0;
const TOP: f64 = 80.0;

/// What kind of thing a node is: the canvas styles and labels it by this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Cloud,
    Vnet,
    AzureSubnet,
    GatewaySubnet,
    AzureVpnGateway,
    PublicIp,
    LocalNetworkGateway,
    Nsg,
    AzureRouteTable,
    Vpc,
    AwsSubnet,
    Vgw,
    CustomerGateway,
    VpnConnection,
    AwsRouteTable,
    SecurityGroup,
    NetworkAcl,
}

impl NodeKind {
    /// How a person names this kind of object (also the start of the node's accessible name).
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Cloud => "Cloud",
            NodeKind::Vnet => "Azure virtual network",
            NodeKind::AzureSubnet => "Azure subnet",
            NodeKind::GatewaySubnet => "Azure gateway subnet",
            NodeKind::AzureVpnGateway => "Azure VPN gateway",
            NodeKind::PublicIp => "Azure public IP",
            NodeKind::LocalNetworkGateway => "Azure local network gateway",
            NodeKind::Nsg => "Azure network security group",
            NodeKind::AzureRouteTable => "Azure route table",
            NodeKind::Vpc => "AWS VPC",
            NodeKind::AwsSubnet => "AWS subnet",
            NodeKind::Vgw => "AWS virtual private gateway",
            NodeKind::CustomerGateway => "AWS customer gateway",
            NodeKind::VpnConnection => "AWS VPN connection",
            NodeKind::AwsRouteTable => "AWS route table",
            NodeKind::SecurityGroup => "AWS security group",
            NodeKind::NetworkAcl => "AWS network ACL",
        }
    }

    /// Containers are drawn behind the nodes inside them.
    pub fn is_container(self) -> bool {
        matches!(self, NodeKind::Cloud | NodeKind::Vnet | NodeKind::Vpc)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CloudSide {
    Azure,
    Aws,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: String,
    pub kind: NodeKind,
    pub cloud: CloudSide,
    /// The object's name.
    pub label: String,
    /// A second line: a CIDR, an ASN, an address.
    pub detail: String,
    pub rect: Rect,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// A gateway's public IP, a VGW's VPC, a subnet's NSG or route table.
    Attachment,
    /// An Azure connection (gateway → local network gateway) or an AWS VPN connection's link to its gateways.
    Connection,
    /// An IPsec tunnel between the clouds.
    Tunnel,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Unique among edges; for an object drawn as an edge (an Azure connection) its id.
    pub id: String,
    pub kind: EdgeKind,
    pub from: String,
    pub to: String,
    pub label: String,
    /// The object selected when the edge is clicked.
    pub selects: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagram {
    /// Containers first (clouds, then networks), so later nodes draw on top.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Where each node is in `nodes`, by id: the canvas looks up both ends of every link on each redraw, and a
    /// 200-network plan draws about 4,000 nodes.
    index: NodeIndex,
}

/// Positions in [`Diagram::nodes`] by id. It is derived from the nodes, so it takes no part in equality.
#[derive(Clone, Debug, Default)]
struct NodeIndex(FastMap<String, usize>);

impl PartialEq for NodeIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Diagram {
    pub fn new(nodes: Vec<Node>, edges: Vec<Edge>) -> Self {
        let mut index = FastMap::with_capacity_and_hasher(nodes.len(), Default::default());
        for (i, node) in nodes.iter().enumerate() {
            // The first node of an id wins, as a search from the front would find it (a design may use an id
            // the drawing uses for a cloud, `cloud-azure`).
            index.entry(node.id.clone()).or_insert(i);
        }
        Diagram {
            nodes,
            edges,
            index: NodeIndex(index),
        }
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        match self.index.0.get(id).and_then(|i| self.nodes.get(*i)) {
            Some(node) if node.id == id => Some(node),
            // `nodes` is public: a caller that changed it gets a search rather than a stale answer.
            _ => self.nodes.iter().find(|n| n.id == id),
        }
    }

    /// The rectangle enclosing everything, for "fit to screen".
    pub fn bounds(&self) -> Option<Rect> {
        self.nodes.iter().map(|n| n.rect).reduce(|a, b| a.union(&b))
    }
}

/// Places every object of the design.
pub fn auto_layout(design: &Design) -> Layout {
    Layout {
        nodes: place(design)
            .into_iter()
            .map(|(id, rect)| (id.to_string(), rect))
            .collect(),
    }
}

/// The auto layout, by id borrowed from the design: what the diagram looks its nodes up in (a hash map, where
/// the plan file's sorted map would compare strings on every lookup).
fn place(design: &Design) -> FastMap<&str, Rect> {
    let mut placer = Placer {
        nodes: FastMap::default(),
        groups: Groups::new(design),
    };
    place_azure(design, &mut placer);
    place_aws(design, &mut placer);
    placer.nodes
}

/// The auto layout with the plan's stored positions on top.
pub fn resolve(plan: &Plan) -> BTreeMap<String, Rect> {
    placed(plan)
        .into_iter()
        .map(|(id, rect)| (id.to_string(), rect))
        .collect()
}

/// [`resolve`], by borrowed id.
pub(crate) fn placed(plan: &Plan) -> FastMap<&str, Rect> {
    let mut nodes = place(&plan.design);
    for (id, rect) in &plan.layout.nodes {
        if let Some(slot) = nodes.get_mut(id.as_str()) {
            *slot = *rect;
        }
    }
    nodes
}

/// Objects grouped by the object they belong to, in plan order, built in one pass: looking them up by scanning
/// every list once per network made laying out a plan of a thousand networks quadratic.
struct Groups<'a> {
    gateway_by_vnet: FastMap<&'a str, &'a crate::model::azure::VpnGateway>,
    connections_by_gateway: FastMap<&'a str, Vec<&'a crate::model::azure::Connection>>,
    vgw_by_vpc: FastMap<&'a str, &'a crate::model::aws::VpnGateway>,
    /// Security groups, then route tables, then network ACLs of each VPC.
    policies_by_vpc: FastMap<&'a str, Vec<&'a str>>,
    vpn_connections_by_vgw: FastMap<&'a str, Vec<&'a crate::model::aws::VpnConnection>>,
}

impl<'a> Groups<'a> {
    fn new(design: &'a Design) -> Self {
        let (az, aws) = (&design.azure, &design.aws);
        let mut groups = Groups {
            gateway_by_vnet: FastMap::default(),
            connections_by_gateway: FastMap::default(),
            vgw_by_vpc: FastMap::default(),
            policies_by_vpc: FastMap::default(),
            vpn_connections_by_vgw: FastMap::default(),
        };
        for g in &az.vpn_gateways {
            groups.gateway_by_vnet.entry(g.vnet.as_str()).or_insert(g);
        }
        for c in &az.connections {
            groups
                .connections_by_gateway
                .entry(c.vpn_gateway.as_str())
                .or_default()
                .push(c);
        }
        for g in &aws.vpn_gateways {
            if let Some(vpc) = &g.vpc {
                groups.vgw_by_vpc.entry(vpc.as_str()).or_insert(g);
            }
        }
        let policies = aws
            .security_groups
            .iter()
            .map(|g| (g.vpc.as_str(), g.id.as_str()))
            .chain(
                aws.route_tables
                    .iter()
                    .map(|r| (r.vpc.as_str(), r.id.as_str())),
            )
            .chain(
                aws.network_acls
                    .iter()
                    .map(|a| (a.vpc.as_str(), a.id.as_str())),
            );
        for (vpc, id) in policies {
            groups.policies_by_vpc.entry(vpc).or_default().push(id);
        }
        for c in &aws.vpn_connections {
            groups
                .vpn_connections_by_vgw
                .entry(c.vpn_gateway.as_str())
                .or_default()
                .push(c);
        }
        groups
    }
}

struct Placer<'a> {
    nodes: FastMap<&'a str, Rect>,
    groups: Groups<'a>,
}

impl<'a> Placer<'a> {
    fn put(&mut self, id: &'a str, rect: Rect) {
        self.nodes.entry(id).or_insert(rect);
    }

    fn has(&self, id: &str) -> bool {
        self.nodes.contains_key(id)
    }

    /// A column of small nodes from (x, y); returns the y below it.
    fn column(&mut self, ids: impl IntoIterator<Item = &'a str>, x: f64, mut y: f64) -> f64 {
        for id in ids {
            if !self.has(id) {
                self.put(id, Rect::new(x, y, NODE_W, NODE_H));
                y += NODE_H + GAP;
            }
        }
        y
    }

    /// Lays a network box with its subnets in two columns, an optional gateway row and a row of policy objects
    /// (NSGs, security groups, route tables). Returns the y below the box.
    fn network(
        &mut self,
        id: &'a str,
        x: f64,
        y: f64,
        gateway: Option<&'a str>,
        subnets: &[&'a str],
        policies: &[&'a str],
    ) -> f64 {
        let mut cursor = y + HEADER;
        if let Some(gateway) = gateway {
            self.put(gateway, Rect::new(x + GAP, cursor, GATEWAY_W, NODE_H + 4.0));
            cursor += NODE_H + 4.0 + GAP;
        }
        for (i, subnet) in subnets.iter().enumerate() {
            let col = (i % 2) as f64;
            let row = (i / 2) as f64;
            let sx = x + GAP + col * (SUBNET_W + GAP);
            self.put(
                subnet,
                Rect::new(sx, cursor + row * (SUBNET_H + GAP), SUBNET_W, SUBNET_H),
            );
        }
        cursor += subnets.len().div_ceil(2) as f64 * (SUBNET_H + GAP);
        let per_row = 2;
        for (i, policy) in policies.iter().enumerate() {
            let col = (i % per_row) as f64;
            let row = (i / per_row) as f64;
            let px = x + GAP + col * (SUBNET_W + GAP);
            self.put(
                policy,
                Rect::new(px, cursor + row * (NODE_H + 12.0), SUBNET_W, NODE_H),
            );
        }
        cursor += policies.len().div_ceil(per_row) as f64 * (NODE_H + 12.0);
        let height = (cursor - y).max(HEADER + SUBNET_H) + GAP / 2.0;
        self.put(id, Rect::new(x, y, NETWORK_W, height));
        y + height
    }
}

fn unique<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = FastSet::default();
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
}

fn place_azure<'a>(design: &'a Design, placer: &mut Placer<'a>) {
    let az = &design.azure;
    let pip_x = AZURE_X + NETWORK_W + 40.0;
    let lng_x = pip_x + NODE_W + 40.0;
    let mut y = TOP;
    let mut lng_y = TOP;
    for vnet in &az.vnets {
        let gateway = placer.groups.gateway_by_vnet.get(vnet.id.as_str()).copied();
        let subnets: Vec<&str> = vnet.subnets.iter().map(|s| s.id.as_str()).collect();
        let policies = unique(vnet.subnets.iter().flat_map(|s| {
            let nsg = s.nsg.as_ref().map(|n| n.as_str());
            let rt = s.route_table.as_ref().map(|r| r.as_str());
            nsg.into_iter().chain(rt)
        }));
        let top = y;
        y = placer.network(
            vnet.id.as_str(),
            AZURE_X,
            y,
            gateway.map(|g| g.id.as_str()),
            &subnets,
            &policies,
        ) + 40.0;
        if let Some(gateway) = gateway {
            let pips = gateway
                .ip_configurations
                .iter()
                .map(|c| c.public_ip.as_str());
            placer.column(pips, pip_x, top + HEADER);
            let lngs = unique(
                placer
                    .groups
                    .connections_by_gateway
                    .get(gateway.id.as_str())
                    .into_iter()
                    .flatten()
                    .map(|c| c.local_network_gateway.as_str()),
            );
            lng_y = placer.column(lngs, lng_x, lng_y.max(top)) + GAP;
        }
    }
    // Whatever no network claimed (a gateway whose VNet is missing, unused NSGs…) goes below.
    let rest = az
        .vpn_gateways
        .iter()
        .map(|g| g.id.as_str())
        .chain(az.public_ips.iter().map(|p| p.id.as_str()))
        .chain(az.nsgs.iter().map(|n| n.id.as_str()))
        .chain(az.route_tables.iter().map(|r| r.id.as_str()))
        .collect::<Vec<_>>();
    placer.column(rest, pip_x, y.max(lng_y));
    let lngs = az.local_network_gateways.iter().map(|l| l.id.as_str());
    placer.column(lngs, lng_x, lng_y);
}

fn place_aws<'a>(design: &'a Design, placer: &mut Placer<'a>) {
    let aws = &design.aws;
    let conn_x = AWS_X + NODE_W + 40.0;
    let vpc_x = conn_x + NODE_W + 40.0;
    let mut y = TOP;
    let mut cgw_y = TOP;
    for vpc in &aws.vpcs {
        let vgw = placer.groups.vgw_by_vpc.get(vpc.id.as_str()).copied();
        let subnets: Vec<&str> = vpc.subnets.iter().map(|s| s.id.as_str()).collect();
        let policies = unique(
            placer
                .groups
                .policies_by_vpc
                .get(vpc.id.as_str())
                .into_iter()
                .flatten()
                .copied(),
        );
        let top = y;
        y = placer.network(
            vpc.id.as_str(),
            vpc_x,
            y,
            vgw.map(|g| g.id.as_str()),
            &subnets,
            &policies,
        ) + 40.0;
        if let Some(vgw) = vgw {
            let conns = placer
                .groups
                .vpn_connections_by_vgw
                .get(vgw.id.as_str())
                .cloned()
                .unwrap_or_default();
            let mut conn_y = top + HEADER;
            for conn in conns {
                if !placer.has(conn.id.as_str()) {
                    placer.put(conn.id.as_str(), Rect::new(conn_x, conn_y, NODE_W, NODE_H));
                    conn_y += NODE_H + GAP;
                }
                let cgw = conn.customer_gateway.as_str();
                if !placer.has(cgw) {
                    placer.put(
                        cgw,
                        Rect::new(AWS_X, cgw_y.max(conn_y - NODE_H - GAP), NODE_W, NODE_H),
                    );
                    cgw_y = cgw_y.max(conn_y - NODE_H - GAP) + NODE_H + GAP;
                }
            }
            cgw_y = cgw_y.max(conn_y);
        }
    }
    let rest = aws
        .vpn_gateways
        .iter()
        .map(|g| g.id.as_str())
        .chain(aws.vpn_connections.iter().map(|c| c.id.as_str()))
        .chain(aws.security_groups.iter().map(|s| s.id.as_str()))
        .chain(aws.route_tables.iter().map(|r| r.id.as_str()))
        .chain(aws.network_acls.iter().map(|a| a.id.as_str()))
        .collect::<Vec<_>>();
    placer.column(rest, conn_x, y.max(cgw_y));
    let cgws = aws.customer_gateways.iter().map(|c| c.id.as_str());
    placer.column(cgws, AWS_X, cgw_y);
}

/// The segment an edge is drawn along: between facing sides when the boxes are side by side, else between
/// the top and bottom edges, so lines do not cross the nodes they join.
pub fn connector(a: &Rect, b: &Rect) -> (f64, f64, f64, f64) {
    let (acx, acy) = a.center();
    let (bcx, bcy) = b.center();
    if a.x + a.w <= b.x {
        (a.x + a.w, acy, b.x, bcy)
    } else if b.x + b.w <= a.x {
        (a.x, acy, b.x + b.w, bcy)
    } else if a.y + a.h <= b.y {
        (acx, a.y + a.h, bcx, b.y)
    } else if b.y + b.h <= a.y {
        (acx, a.y, bcx, b.y + b.h)
    } else {
        (acx, acy, bcx, bcy)
    }
}

/// The nodes and edges the canvas draws for a plan.
pub fn diagram(plan: &Plan) -> Diagram {
    let placed = placed(plan);
    let mut collect = Collect {
        nodes: Vec::with_capacity(placed.len() + 2),
        edges: Vec::with_capacity(placed.len() * 2),
        clouds: Vec::with_capacity(2),
    };
    draw::walk(&plan.design, &placed, &mut collect);
    // The clouds enclose their nodes, and come first so they are drawn underneath.
    let mut nodes = collect.clouds;
    nodes.append(&mut collect.nodes);
    Diagram::new(nodes, collect.edges)
}

/// The walk's objects kept as the editor's [`Diagram`].
struct Collect {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    clouds: Vec<Node>,
}

impl<'a> draw::Draw<'a> for Collect {
    fn node(&mut self, node: draw::NodeRef<'a, '_>) {
        let target = if node.kind == NodeKind::Cloud {
            &mut self.clouds
        } else {
            &mut self.nodes
        };
        target.push(Node {
            id: node.id.to_string(),
            kind: node.kind,
            cloud: node.cloud,
            label: node.label.to_string(),
            detail: node.detail.to_string(),
            rect: node.rect,
        });
    }

    fn edge(&mut self, edge: draw::EdgeRef<'a, '_>) {
        self.edges.push(Edge {
            id: edge.id.to_string(),
            kind: edge.kind,
            from: edge.from.to_string(),
            to: edge.to.to_string(),
            label: edge.label.to_string(),
            selects: edge.selects.map(String::from),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates;

    /// Edges are kept when both ends are placed (`edges`), which is right only if every placed object is drawn.
    #[test]
    fn every_placed_object_is_a_node() {
        for plan in [
            templates::reference(),
            templates::template("static").unwrap(),
            crate::review::generate::plan(12, 3),
        ] {
            let diagram = diagram(&plan);
            let placed = placed(&plan);
            let drawn: FastSet<&str> = diagram
                .nodes
                .iter()
                .filter(|n| n.kind != NodeKind::Cloud)
                .map(|n| n.id.as_str())
                .collect();
            assert_eq!(drawn.len(), placed.len());
            assert!(placed.keys().all(|id| drawn.contains(id)));
        }
    }

    /// `Diagram::node` answers from its index as a search would, and a diagram whose nodes were changed after
    /// it was built still answers right.
    #[test]
    fn node_lookup_agrees_with_a_search() {
        let mut diagram = diagram(&crate::review::generate::plan(6, 2));
        for node in &diagram.nodes {
            assert_eq!(diagram.node(&node.id), Some(node));
        }
        assert_eq!(diagram.node("not-drawn"), None);
        let first = diagram.nodes.remove(0);
        let moved = diagram.nodes[0].id.clone();
        assert_eq!(diagram.node(&moved).map(|n| &n.id), Some(&moved));
        assert_eq!(diagram.node(&first.id), None);
    }

    #[test]
    fn every_object_of_the_reference_is_drawn_once_and_nothing_overlaps_outside_its_container() {
        let plan = templates::reference();
        let diagram = diagram(&plan);
        let ids: Vec<&str> = diagram.nodes.iter().map(|n| n.id.as_str()).collect();
        let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(ids.len(), unique.len(), "a node is drawn twice");
        for expected in [
            "az-vnet",
            "az-snet-app",
            "az-snet-gateway",
            "az-vpngw",
            "az-pip-1",
            "az-pip-2",
            "az-lng-vpn-1-t1",
            "az-lng-vpn-2-t2",
            "az-nsg-app",
            "az-rt-app",
            "aws-vpc",
            "aws-snet-app",
            "aws-vgw",
            "aws-cgw-1",
            "aws-cgw-2",
            "aws-vpn-1",
            "aws-vpn-2",
            "aws-sg-app",
            "aws-rt-app",
        ] {
            assert!(unique.contains(expected), "{expected} is not drawn");
        }
        // Leaf nodes do not overlap each other.
        let leaves: Vec<&Node> = diagram
            .nodes
            .iter()
            .filter(|n| !n.kind.is_container())
            .collect();
        for (i, a) in leaves.iter().enumerate() {
            for b in &leaves[i + 1..] {
                let overlap = a.rect.x < b.rect.x + b.rect.w
                    && b.rect.x < a.rect.x + a.rect.w
                    && a.rect.y < b.rect.y + b.rect.h
                    && b.rect.y < a.rect.y + a.rect.h;
                assert!(!overlap, "{} overlaps {}", a.id, b.id);
            }
        }
        // Subnets sit inside their network.
        let inside = |child: &str, parent: &str| {
            let c = diagram.node(child).unwrap().rect;
            let p = diagram.node(parent).unwrap().rect;
            p.contains_point(c.x, c.y) && p.contains_point(c.x + c.w, c.y + c.h)
        };
        assert!(inside("az-snet-app", "az-vnet"));
        assert!(inside("az-vpngw", "az-vnet"));
        assert!(inside("aws-snet-app", "aws-vpc"));
        assert!(inside("aws-vgw", "aws-vpc"));
    }

    /// Text is not clipped: an estimate of each line's width (system-ui: about 0.55 em a character for the
    /// 11.5 px detail line, 0.6 em for the 13 px semibold title, plus the glyph) fits its box.
    #[test]
    fn labels_of_the_reference_fit_their_boxes() {
        for name in ["reference", "static"] {
            let diagram = diagram(&templates::template(name).unwrap());
            for node in diagram.nodes.iter().filter(|n| !n.kind.is_container()) {
                let title = node.label.chars().count() as f64 * 13.0 * 0.6 + 36.0;
                let detail = node.detail.chars().count() as f64 * 11.5 * 0.55 + 20.0;
                assert!(
                    title <= node.rect.w,
                    "{name}: title of {} ({}) overflows",
                    node.id,
                    node.label
                );
                assert!(
                    detail <= node.rect.w,
                    "{name}: detail of {} ({}) overflows",
                    node.id,
                    node.detail
                );
            }
        }
    }

    #[test]
    fn the_reference_draws_four_tunnels_across_the_gap_and_four_azure_connections() {
        let diagram = diagram(&templates::reference());
        let tunnels: Vec<&Edge> = diagram
            .edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Tunnel)
            .collect();
        assert_eq!(tunnels.len(), 4);
        assert!(tunnels
            .iter()
            .any(|t| t.label == "169.254.21.0/30" && t.selects.as_deref() == Some("aws-vpn-1")));
        let connections = diagram
            .edges
            .iter()
            .filter(|e| e.id.starts_with("az-conn-"))
            .count();
        assert_eq!(connections, 4);
        for tunnel in tunnels {
            let from = diagram.node(&tunnel.from).unwrap();
            let to = diagram.node(&tunnel.to).unwrap();
            assert_eq!((from.cloud, to.cloud), (CloudSide::Azure, CloudSide::Aws));
            assert!(
                from.rect.x + from.rect.w < to.rect.x,
                "tunnel {} does not cross the gap",
                tunnel.id
            );
        }
    }

    #[test]
    fn stored_positions_override_the_auto_layout_and_new_objects_still_get_one() {
        let mut plan = templates::reference();
        plan.layout.nodes.clear();
        plan.layout
            .nodes
            .insert("az-vpngw".into(), Rect::new(5.0, 6.0, 7.0, 8.0));
        let rects = resolve(&plan);
        assert_eq!(rects["az-vpngw"], Rect::new(5.0, 6.0, 7.0, 8.0));
        assert!(rects.contains_key("aws-vpc"));
    }

    #[test]
    fn auto_layout_is_deterministic_and_places_orphans() {
        let mut design = templates::reference().design;
        design.azure.vnets.clear();
        design.aws.vpcs.clear();
        let a = auto_layout(&design);
        assert_eq!(a, auto_layout(&design));
        assert!(
            a.nodes.contains_key("az-vpngw"),
            "a gateway without its VNet is still placed"
        );
        assert!(a.nodes.contains_key("aws-vgw"));
    }
}
