//! Where the canvas draws each object, and what it draws between them.
//!
//! `auto_layout` places every object of a design in a readable, deterministic arrangement: the Azure cloud above,
//! the AWS cloud below, the tunnels crossing the gap between them from a row of ends on each side. Stacked, the
//! reference design fits a 1280×720 window at about twice the zoom it had with the clouds side by side (six
//! columns, 2,200 units wide, on a canvas wider than it is tall). A plan's stored layout overrides it node by node
//! (`resolve`), so the user's moves are kept and new objects still get a place. `diagram` turns a plan into the
//! nodes and edges the canvas draws; it holds no browser code so it is tested natively.

pub(crate) mod draw;
pub mod tab_order;
pub mod trace_path;

use crate::edit::place::snap;
use crate::hash::{FastMap, FastSet};
use crate::model::common::Endpoint;
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
const LEFT: f64 = 40.0;
const TOP: f64 = 80.0;
/// From one small node to the next in a row.
const PITCH: f64 = NODE_W + GAP;
/// Between one network's block and the next in its cloud's row.
const BLOCK_GAP: f64 = 60.0;
/// Between a network and the row of tunnel ends beside it (local network gateways below a VNet, VPN connections
/// above a VPC), and between public IPs and their VNet.
const ROW_GAP: f64 = 40.0;
/// Between the customer gateways and the VPN connections under them.
const AWS_ROW_GAP: f64 = 30.0;
/// Between the clouds: room for the tunnels and their inside-CIDR labels.
const TUNNEL_GAP: f64 = 100.0;

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

/// Whether a cloud's title is written along its bottom edge: the AWS cloud is drawn below the Azure one, and the
/// tunnels come into it from above.
pub fn cloud_title_below(cloud: CloudSide) -> bool {
    cloud == CloudSide::Aws
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
    let top = place_azure(design, &mut placer).map_or(TOP, |bottom| bottom + TUNNEL_GAP);
    place_aws(design, &mut placer, top);
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

    /// Lays a network box with its subnets in two columns, a row of policy objects (NSGs, security groups, route
    /// tables) and, when it has one, its gateway centred in the row facing the other cloud. Returns the y below
    /// the box.
    fn network(
        &mut self,
        id: &'a str,
        x: f64,
        y: f64,
        gateway: Option<(&'a str, GatewayRow)>,
        subnets: &[&'a str],
        policies: &[&'a str],
    ) -> f64 {
        let gateway_x = x + (NETWORK_W - GATEWAY_W) / 2.0;
        let mut cursor = y + HEADER;
        if let Some((gateway, GatewayRow::First)) = gateway {
            self.put(
                gateway,
                Rect::new(gateway_x, cursor, GATEWAY_W, NODE_H + 4.0),
            );
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
        if let Some((gateway, GatewayRow::Last)) = gateway {
            // Below the policies by the same gap as between subnet rows.
            cursor += GAP - 12.0;
            self.put(
                gateway,
                Rect::new(gateway_x, cursor, GATEWAY_W, NODE_H + 4.0),
            );
            cursor += NODE_H + 4.0 + 12.0;
        }
        let height = (cursor - y).max(HEADER + SUBNET_H) + GAP / 2.0;
        self.put(id, Rect::new(x, y, NETWORK_W, height));
        y + height
    }
}

fn unique<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = FastSet::default();
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
}

/// Which row of its network box a gateway takes: the one facing the other cloud.
#[derive(Clone, Copy, PartialEq)]
enum GatewayRow {
    /// Above the subnets (an AWS VPC, below the Azure cloud).
    First,
    /// Below the subnets and policies (an Azure VNet, above the AWS cloud).
    Last,
}

/// Puts `ids` (those not yet placed) in a row from `x`, in order of their wished-for centres (those with none
/// last, in the order given), each at its centre when there is room and else right of the one before. Returns
/// whether anything was placed.
fn row<'a>(placer: &mut Placer<'a>, ids: Vec<(&'a str, Option<f64>)>, x: f64, y: f64) -> bool {
    let mut cursor = x;
    let mut placed_any = false;
    for i in by_centre(ids.iter().map(|(_, c)| *c)) {
        let (id, centre) = ids[i];
        if placer.has(id) {
            continue;
        }
        let left = centre.map_or(cursor, |c| snap(c - NODE_W / 2.0).max(cursor));
        placer.put(id, Rect::new(left, y, NODE_W, NODE_H));
        cursor = left + PITCH;
        placed_any = true;
    }
    placed_any
}

/// The positions of `centres` in increasing order, `None` last and ties in the order given. One sort routine
/// for every row (a sort per element type would each add their code to the wasm bundle).
fn by_centre(centres: impl Iterator<Item = Option<f64>>) -> Vec<usize> {
    let mut keyed: Vec<(f64, usize)> = centres
        .enumerate()
        .map(|(i, c)| (c.unwrap_or(f64::INFINITY), i))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// The centre (x) of a placed node.
fn centre_x(placer: &Placer, id: &str) -> Option<f64> {
    placer.nodes.get(id).map(|r| r.x + r.w / 2.0)
}

/// The mean of some centres, if there are any.
fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Lays out the Azure cloud from the top: the VNets side by side, each with its gateway in its bottom row and the
/// gateway's public IPs beside it; below them a row of local network gateways, each VNet's under it, which the
/// tunnels leave from. Returns the y below the cloud, or `None` when it is empty.
fn place_azure<'a>(design: &'a Design, placer: &mut Placer<'a>) -> Option<f64> {
    let az = &design.azure;
    let mut x = LEFT;
    let mut bottom: Option<f64> = None;
    let mut blocks: Vec<(f64, Vec<&str>)> = Vec::with_capacity(az.vnets.len());
    for vnet in &az.vnets {
        let gateway = placer.groups.gateway_by_vnet.get(vnet.id.as_str()).copied();
        let subnets: Vec<&str> = vnet.subnets.iter().map(|s| s.id.as_str()).collect();
        let policies = unique(vnet.subnets.iter().flat_map(|s| {
            let nsg = s.nsg.as_ref().map(|n| n.as_str());
            let rt = s.route_table.as_ref().map(|r| r.as_str());
            nsg.into_iter().chain(rt)
        }));
        let mut block_bottom = placer.network(
            vnet.id.as_str(),
            x,
            TOP,
            gateway.map(|g| (g.id.as_str(), GatewayRow::Last)),
            &subnets,
            &policies,
        );
        let mut right = x + NETWORK_W;
        let mut lngs = Vec::new();
        if let Some(gateway) = gateway {
            let pips: Vec<&str> = unique(
                gateway
                    .ip_configurations
                    .iter()
                    .map(|c| c.public_ip.as_str()),
            )
            .into_iter()
            .filter(|p| !placer.has(p))
            .collect();
            if let (Some(g), false) = (
                placer.nodes.get(gateway.id.as_str()).copied(),
                pips.is_empty(),
            ) {
                // Beside the gateway, outside the network they are not part of, the last level with it: the
                // column does not reach below the gateway, where its connections leave for the row of tunnel ends.
                let above = (pips.len() - 1) as f64 * (NODE_H + GAP);
                let top = (g.y + (g.h - NODE_H) / 2.0 - above).max(TOP + HEADER);
                let pip_x = x + NETWORK_W + ROW_GAP;
                block_bottom = block_bottom.max(placer.column(pips, pip_x, top) - GAP);
                right = pip_x + NODE_W;
            }
            lngs = unique(
                placer
                    .groups
                    .connections_by_gateway
                    .get(gateway.id.as_str())
                    .into_iter()
                    .flatten()
                    .map(|c| c.local_network_gateway.as_str()),
            );
        }
        bottom = Some(bottom.map_or(block_bottom, |b: f64| b.max(block_bottom)));
        let lng_width = lngs.len() as f64 * PITCH - GAP;
        blocks.push((x, lngs));
        x = right.max(x + lng_width) + BLOCK_GAP;
    }
    // The tunnels' Azure ends, one row below every VNet, each VNet's from its left edge.
    let row_y = bottom.map_or(TOP, |b| b + ROW_GAP);
    let mut cursor = LEFT;
    let mut lngs_placed = false;
    for (block_x, lngs) in blocks {
        let mut lx = block_x.max(cursor);
        for lng in lngs {
            if !placer.has(lng) {
                placer.put(lng, Rect::new(lx, row_y, NODE_W, NODE_H));
                lx += PITCH;
                lngs_placed = true;
            }
        }
        cursor = lx;
    }
    for lng in &az.local_network_gateways {
        if !placer.has(lng.id.as_str()) {
            placer.put(lng.id.as_str(), Rect::new(cursor, row_y, NODE_W, NODE_H));
            cursor += PITCH;
            lngs_placed = true;
        }
    }
    if lngs_placed {
        bottom = Some(row_y + NODE_H);
    }
    // Whatever no network claimed (a gateway whose VNet is missing, unused NSGs…) goes in a column to the right.
    let rest = az
        .vpn_gateways
        .iter()
        .map(|g| g.id.as_str())
        .chain(az.public_ips.iter().map(|p| p.id.as_str()))
        .chain(az.nsgs.iter().map(|n| n.id.as_str()))
        .chain(az.route_tables.iter().map(|r| r.id.as_str()))
        .filter(|id| !placer.has(id))
        .collect::<Vec<_>>();
    if !rest.is_empty() {
        let rest_bottom = placer.column(rest, x.max(cursor - GAP + BLOCK_GAP), TOP) - GAP;
        bottom = Some(bottom.map_or(rest_bottom, |b| b.max(rest_bottom)));
    }
    bottom
}

/// Lays out the AWS cloud from `top`, facing the Azure cloud above it: a row of customer gateways, each under the
/// local network gateways its tunnels come from; a row of VPN connections, each under its customer gateway; then
/// the VPCs side by side, each under its connections, with its virtual private gateway in its top row.
fn place_aws<'a>(design: &'a Design, placer: &mut Placer<'a>, top: f64) {
    let (az, aws) = (&design.azure, &design.aws);
    // Where the Azure end of each tunnel (vpn connection, tunnel number) is drawn.
    let mut lng_centre: FastMap<(&str, u8), f64> = FastMap::default();
    for lng in &az.local_network_gateways {
        if let Endpoint::AwsTunnelOutside {
            vpn_connection,
            tunnel,
        } = &lng.gateway_address
        {
            if let Some(cx) = centre_x(placer, lng.id.as_str()) {
                lng_centre
                    .entry((vpn_connection.as_str(), *tunnel))
                    .or_insert(cx);
            }
        }
    }
    let mut y = top;
    let mut cgw_ends: FastMap<&str, Vec<f64>> = FastMap::default();
    for c in &aws.vpn_connections {
        let ends = (1..=2).filter_map(|t| lng_centre.get(&(c.id.as_str(), t)).copied());
        cgw_ends
            .entry(c.customer_gateway.as_str())
            .or_default()
            .extend(ends);
    }
    let cgws = aws
        .customer_gateways
        .iter()
        .map(|c| {
            let id = c.id.as_str();
            (id, cgw_ends.get(id).and_then(|e| mean(e.iter().copied())))
        })
        .collect();
    if row(placer, cgws, LEFT, y) {
        y += NODE_H + AWS_ROW_GAP;
    }
    let vpns = aws
        .vpn_connections
        .iter()
        .map(|c| (c.id.as_str(), centre_x(placer, c.customer_gateway.as_str())))
        .collect();
    if row(placer, vpns, LEFT, y) {
        y += NODE_H + ROW_GAP;
    }
    // The VPCs, each centred under its connections when there is room, in order of those centres.
    let centres: Vec<Option<f64>> = aws
        .vpcs
        .iter()
        .map(|vpc| {
            let vgw = placer.groups.vgw_by_vpc.get(vpc.id.as_str())?;
            let conns = placer.groups.vpn_connections_by_vgw.get(vgw.id.as_str())?;
            mean(conns.iter().filter_map(|c| centre_x(placer, c.id.as_str())))
        })
        .collect();
    let mut x = LEFT;
    for i in by_centre(centres.iter().copied()) {
        let (vpc, centre) = (&aws.vpcs[i], centres[i]);
        if placer.has(vpc.id.as_str()) {
            continue;
        }
        let vgw = placer.groups.vgw_by_vpc.get(vpc.id.as_str()).copied();
        let left = centre.map_or(x, |c| snap(c - NETWORK_W / 2.0).max(x));
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
        placer.network(
            vpc.id.as_str(),
            left,
            y,
            vgw.map(|g| (g.id.as_str(), GatewayRow::First)),
            &subnets,
            &policies,
        );
        x = left + NETWORK_W + BLOCK_GAP;
    }
    // Whatever no VPC claimed (a gateway without a VPC, security groups of a missing VPC…) goes to the right.
    let rest = aws
        .vpn_gateways
        .iter()
        .map(|g| g.id.as_str())
        .chain(aws.security_groups.iter().map(|s| s.id.as_str()))
        .chain(aws.route_tables.iter().map(|r| r.id.as_str()))
        .chain(aws.network_acls.iter().map(|a| a.id.as_str()))
        .filter(|id| !placer.has(id))
        .collect::<Vec<_>>();
    let right = placer
        .nodes
        .values()
        .filter(|r| r.y >= top)
        .map(|r| r.x + r.w)
        .fold(x - BLOCK_GAP, f64::max);
    placer.column(rest, right + BLOCK_GAP, y);
}

/// A vertical gap at least this wide makes an edge leave and arrive through the top and bottom edges.
const CLEARLY_ABOVE: f64 = 30.0;

/// The segment an edge is drawn along, so lines do not cross the nodes they join: between the bottom and top
/// edges when one box is clearly above the other, else between facing sides when the boxes are side by side, else
/// between the top and bottom edges.
///
/// Vertical first because the layout puts rows of tunnel ends a clear gap above or below what they join (local
/// network gateways under their VPN gateway): a line to the far end of such a row drawn between facing sides
/// would pass through every node of the row on the way. A small gap (a policy below its subnet, a public IP
/// beside its gateway) still gets a side-to-side line.
pub fn connector(a: &Rect, b: &Rect) -> (f64, f64, f64, f64) {
    let (acx, acy) = a.center();
    let (bcx, bcy) = b.center();
    if a.y + a.h + CLEARLY_ABOVE <= b.y {
        (acx, a.y + a.h, bcx, b.y)
    } else if b.y + b.h + CLEARLY_ABOVE <= a.y {
        (acx, a.y, bcx, b.y + b.h)
    } else if a.x + a.w <= b.x {
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

    /// Pairs of objects (not containers) drawn on top of each other, by id.
    fn overlapping_leaves(diagram: &Diagram) -> Vec<(String, String)> {
        let leaves: Vec<&Node> = diagram
            .nodes
            .iter()
            .filter(|n| !n.kind.is_container())
            .collect();
        let mut out = Vec::new();
        for (i, a) in leaves.iter().enumerate() {
            for b in leaves[i + 1..].iter().filter(|b| a.rect.overlaps(&b.rect)) {
                out.push((a.id.clone(), b.id.clone()));
            }
        }
        out
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
        assert_eq!(overlapping_leaves(&diagram), Vec::<(String, String)>::new());
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
                from.rect.y + from.rect.h < to.rect.y,
                "tunnel {} does not cross the gap",
                tunnel.id
            );
        }
    }

    /// The canvas a 1280×720 window leaves (the palette takes 150 px and the side panel 360 across; the toolbar
    /// 48 px and the status line 26 down), and the margin "fit to screen" keeps.
    const CANVAS_1280_720: (f64, f64) = (770.0, 646.0);
    const FIT_MARGIN: f64 = 32.0;

    /// Issue 5, section 4: readable at 1280×720. Fitted, the reference opened at 32 % zoom with the clouds side by
    /// side (node titles about 4 px high); stacked, the node titles are at least 8 px.
    #[test]
    fn the_reference_fits_a_1280_by_720_window_at_a_readable_zoom() {
        for name in ["reference", "static"] {
            let diagram = diagram(&templates::template(name).unwrap());
            let bounds = diagram.bounds().unwrap();
            let (w, h) = CANVAS_1280_720;
            let zoom = crate::viewport::Viewport::fit(bounds, w, h, FIT_MARGIN).zoom;
            assert!(
                13.0 * zoom >= 8.0,
                "{name}: fitted at {zoom:.3}, titles are {:.1} px",
                13.0 * zoom
            );
        }
    }

    /// Whether the segment from (x1, y1) to (x2, y2) passes through the inside of `r` (Liang–Barsky clipping).
    fn segment_crosses(r: &Rect, (x1, y1, x2, y2): (f64, f64, f64, f64)) -> bool {
        let (dx, dy) = (x2 - x1, y2 - y1);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, x1 - r.x),
            (dx, r.x + r.w - x1),
            (-dy, y1 - r.y),
            (dy, r.y + r.h - y1),
        ] {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        t0 < t1
    }

    /// Lines are drawn between the nodes they join, never through another one, and the tunnels' labels do not
    /// overlap: what makes a diagram readable once it is large enough.
    #[test]
    fn no_line_of_the_templates_crosses_a_node_and_no_tunnel_labels_overlap() {
        // In the generated plans every subnet of a network shares one NSG or security group, drawn below all ten
        // subnets: a straight line from the first one must cross the others, so there only the links between
        // the clouds are held to it.
        let plans = [
            ("reference", templates::reference(), true),
            ("static", templates::template("static").unwrap(), true),
            (
                "generated, 4 networks",
                crate::review::generate::plan(4, 1),
                false,
            ),
            (
                "generated, 10 networks",
                crate::review::generate::plan(10, 7),
                false,
            ),
        ];
        for (name, plan, every_edge) in plans {
            let diagram = diagram(&plan);
            let leaves: Vec<&Node> = diagram
                .nodes
                .iter()
                .filter(|n| !n.kind.is_container())
                .collect();
            let mut labels: Vec<Rect> = Vec::new();
            for edge in &diagram.edges {
                if !every_edge && edge.kind == EdgeKind::Attachment {
                    continue;
                }
                let (a, b) = (
                    diagram.node(&edge.from).unwrap(),
                    diagram.node(&edge.to).unwrap(),
                );
                let segment = connector(&a.rect, &b.rect);
                for node in &leaves {
                    if node.id == edge.from || node.id == edge.to {
                        continue;
                    }
                    // Shrunk by a pixel, so a line along a node's edge does not count.
                    let inner = Rect::new(
                        node.rect.x + 1.0,
                        node.rect.y + 1.0,
                        node.rect.w - 2.0,
                        node.rect.h - 2.0,
                    );
                    assert!(
                        !segment_crosses(&inner, segment),
                        "{name}: the line of {} crosses {}",
                        edge.id,
                        node.id
                    );
                }
                if edge.kind == EdgeKind::Tunnel {
                    // As the canvas draws it: 11 px semibold, centred 6 px above the middle of the line.
                    let width = edge.label.chars().count() as f64 * 11.0 * 0.62;
                    let (x1, y1, x2, y2) = segment;
                    let label = Rect::new(
                        (x1 + x2) / 2.0 - width / 2.0,
                        (y1 + y2) / 2.0 - 17.0,
                        width,
                        13.0,
                    );
                    assert!(
                        labels.iter().all(|other| !label.overlaps(other)),
                        "{name}: the label of {} overlaps another",
                        edge.id
                    );
                    labels.push(label);
                }
            }
        }
    }

    /// Generated plans of every size up to 12 networks: no two objects drawn on top of each other, every subnet,
    /// gateway and policy inside its network, and the clouds one above the other.
    #[test]
    fn generated_plans_are_laid_out_without_overlaps() {
        for networks in 1..=12 {
            for seed in 0..3 {
                let plan = crate::review::generate::plan(networks, seed);
                let diagram = diagram(&plan);
                assert_eq!(
                    overlapping_leaves(&diagram),
                    Vec::<(String, String)>::new(),
                    "{networks}/{seed}"
                );
                for (child, parent) in crate::edit::place::parents(&plan.design) {
                    let (Some(c), Some(p)) = (diagram.node(&child), diagram.node(&parent)) else {
                        continue;
                    };
                    let (c, p) = (c.rect, p.rect);
                    assert!(
                        p.contains_point(c.x, c.y) && p.contains_point(c.x + c.w, c.y + c.h),
                        "{networks}/{seed}: {child} is outside {parent}"
                    );
                }
                let (azure, aws) = (
                    diagram.node("cloud-azure").unwrap(),
                    diagram.node("cloud-aws").unwrap(),
                );
                assert!(
                    azure.rect.y + azure.rect.h < aws.rect.y,
                    "{networks}/{seed}"
                );
            }
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
        // Orphans, a customer gateway no connection uses, a VGW without a VPC: none drawn on another.
        let mut plan = templates::reference();
        plan.design = design;
        plan.design.aws.vpn_connections.clear();
        plan.layout.nodes.clear();
        let drawn = diagram(&plan);
        assert_eq!(overlapping_leaves(&drawn), Vec::<(String, String)>::new());
        assert!(drawn.node("aws-cgw-1").is_some() && drawn.node("az-lng-vpn-1-t1").is_some());
        // One cloud only, and nothing at all.
        let mut azure_only = templates::reference();
        azure_only.design.aws = Default::default();
        azure_only.layout.nodes.clear();
        for plan in [templates::template("blank").unwrap(), azure_only] {
            assert_eq!(
                overlapping_leaves(&diagram(&plan)),
                Vec::<(String, String)>::new()
            );
        }
    }
}
