//! The plan indexed for the checks: objects by id, display labels, the tunnels paired across the clouds
//! ([`Link`]), and which networks are connected (directly or transitively, through tunnels).

use super::prefixes::{range, Range};
use crate::hash::{map_with_capacity, FastMap};
use crate::model::aws::{self, CustomerGateway, Tunnel, Vpc, VpnConnection};
use crate::model::azure::{self, Connection, LocalNetworkGateway, PublicIp, Vnet};
use crate::model::common::Endpoint;
use crate::model::{Design, Plan};
use crate::trace::rules::{CompiledNsg, TagSets};
use ipnet::IpNet;
use std::cell::RefCell;
use std::rc::Rc;

use std::net::IpAddr;

/// A network of either cloud.
#[derive(Clone, Copy, Debug)]
pub enum Network<'a> {
    Azure(&'a Vnet),
    Aws(&'a Vpc),
}

impl<'a> Network<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            Network::Azure(v) => v.id.as_str(),
            Network::Aws(v) => v.id.as_str(),
        }
    }
    pub fn name(&self) -> &'a str {
        match self {
            Network::Azure(v) => &v.name,
            Network::Aws(v) => &v.name,
        }
    }
    pub fn spaces(&self) -> &'a [IpNet] {
        match self {
            Network::Azure(v) => &v.address_space,
            Network::Aws(v) => &v.cidr_blocks,
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Network::Azure(_) => "Azure VNet",
            Network::Aws(_) => "AWS VPC",
        }
    }
}

/// A subnet of either cloud, with its network.
#[derive(Clone, Copy, Debug)]
pub enum SubnetRef<'a> {
    Azure(&'a Vnet, &'a azure::Subnet),
    Aws(&'a Vpc, &'a aws::Subnet),
}

impl<'a> SubnetRef<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            SubnetRef::Azure(_, s) => s.id.as_str(),
            SubnetRef::Aws(_, s) => s.id.as_str(),
        }
    }
    pub fn cidr(&self) -> IpNet {
        match self {
            SubnetRef::Azure(_, s) => s.cidr,
            SubnetRef::Aws(_, s) => s.cidr,
        }
    }
    pub fn network(&self) -> Network<'a> {
        match self {
            SubnetRef::Azure(v, _) => Network::Azure(v),
            SubnetRef::Aws(v, _) => Network::Aws(v),
        }
    }
}

/// One IPsec tunnel seen from both clouds: an Azure connection (and its local network gateway) paired with the
/// AWS tunnel the local network gateway points at.
#[derive(Clone, Copy, Debug)]
pub struct Link<'a> {
    pub connection: &'a Connection,
    pub lng: &'a LocalNetworkGateway,
    pub gateway: Option<&'a azure::VpnGateway>,
    pub vpn: &'a VpnConnection,
    /// 0 for tunnel 1, 1 for tunnel 2.
    pub tunnel_index: usize,
    pub tunnel: &'a Tunnel,
    pub cgw: Option<&'a CustomerGateway>,
    pub vgw: Option<&'a aws::VpnGateway>,
    /// The Azure gateway instance (index into `ip_configurations`) the AWS customer gateway stands for.
    pub instance: Option<usize>,
    /// The VNet of the Azure gateway (`vnet_of_gateway`) and the VPC of the AWS gateway (`vpc_of_vgw`), looked
    /// up once when the tunnels are paired.
    pub vnet: Option<&'a Vnet>,
    pub vpc: Option<&'a Vpc>,
}

impl Link<'_> {
    /// The JSON path of a tunnel field relative to its VPN connection.
    pub fn tunnel_field(&self, field: &str) -> String {
        format!("tunnels[{}].{field}", self.tunnel_index)
    }
    /// "tunnel 1 of aws-vpn-1", for a fix's summary (the finding's message names the objects in full).
    pub fn tunnel_label_short(&self) -> String {
        format!(
            "tunnel {} of {}",
            self.tunnel_index + 1,
            self.vpn.id.as_str()
        )
    }
    /// "tunnel 1 of vpn-azure-1 (aws-vpn-1)".
    pub fn tunnel_label(&self, context: &Context) -> String {
        format!(
            "tunnel {} of {}",
            self.tunnel_index + 1,
            context.label(self.vpn.id.as_str())
        )
    }
    /// Whether the AWS side routes with BGP.
    pub fn aws_bgp(&self) -> bool {
        !self.vpn.static_routes_only
    }
    /// Whether the Azure side runs BGP on this connection (both the gateway and the connection enable it).
    pub fn azure_bgp(&self) -> bool {
        self.connection.bgp_enabled && self.gateway.is_some_and(|g| g.bgp_enabled)
    }
}

/// An NSG (by address) and the VNet whose tags it is compiled with.
type NsgKey<'a> = (usize, Option<&'a str>);

/// An Azure gateway and a VGW, between which tunnel inside /30s must be unique; `None` for the whole plan.
pub(crate) type InsideScope<'a> = Option<(&'a str, &'a str)>;

pub struct Context<'a> {
    pub plan: &'a Plan,
    pub design: &'a Design,
    /// Display names of the objects no other index holds (connections, rules, flows), built on first use.
    names: std::cell::OnceCell<FastMap<&'a str, &'a str>>,
    /// The first free tunnel inside /30 between an Azure gateway and a VGW, or in the whole plan (`None`), found
    /// once per review and scope (`review::tunnels::inside_fix`): a plan may have an inside-CIDR fix per tunnel.
    pub(crate) first_free_inside: std::cell::RefCell<FastMap<InsideScope<'a>, Option<IpNet>>>,
    /// The VPN connections on each VGW and on each Azure gateway, for those fixes: built on the first one.
    pub(crate) inside_scopes: std::cell::OnceCell<super::tunnels::InsideScopes<'a>>,
    /// How many BGP tunnels each active-standby gateway asked about terminates (`bgp_tunnels_of`), counted once.
    bgp_tunnel_counts: std::cell::RefCell<FastMap<&'a str, usize>>,
    pub networks: Vec<Network<'a>>,
    network_index: FastMap<&'a str, usize>,
    pub subnets: FastMap<&'a str, SubnetRef<'a>>,
    pub public_ips: FastMap<&'a str, &'a PublicIp>,
    pub azure_gateways: FastMap<&'a str, &'a azure::VpnGateway>,
    pub lngs: FastMap<&'a str, &'a LocalNetworkGateway>,
    pub nsgs: FastMap<&'a str, &'a azure::Nsg>,
    pub azure_route_tables: FastMap<&'a str, &'a azure::RouteTable>,
    pub vgws: FastMap<&'a str, &'a aws::VpnGateway>,
    pub cgws: FastMap<&'a str, &'a CustomerGateway>,
    pub vpn_connections: FastMap<&'a str, &'a VpnConnection>,
    pub aws_route_tables: FastMap<&'a str, &'a aws::RouteTable>,
    pub security_groups: FastMap<&'a str, &'a aws::SecurityGroup>,
    pub network_acls: FastMap<&'a str, &'a aws::NetworkAcl>,
    pub links: Vec<Link<'a>>,
    /// Union-find parents over `networks`: connected networks share a root.
    component: Vec<usize>,
    // Indexes, so every check stays near-linear on plans of thousands of networks.
    pub gateway_by_vnet: FastMap<&'a str, &'a azure::VpnGateway>,
    pub vgw_by_vpc: FastMap<&'a str, &'a aws::VpnGateway>,
    pub vpn_connections_by_cgw: FastMap<&'a str, Vec<&'a VpnConnection>>,
    /// Azure connections by the id of their VPN gateway, in plan order.
    pub connections_by_gateway: FastMap<&'a str, Vec<&'a Connection>>,
    pub nsg_subnets: FastMap<&'a str, Vec<(&'a Vnet, &'a azure::Subnet)>>,
    pub sg_subnets: FastMap<&'a str, Vec<&'a aws::Subnet>>,
    /// The network ACLs associated with each AWS subnet (by subnet id), in plan order. A subnet missing here
    /// uses its VPC's default network ACL, which allows everything [VPC4].
    pub nacls_by_subnet: FastMap<&'a str, Vec<&'a aws::NetworkAcl>>,
    pub main_route_tables: FastMap<&'a str, &'a aws::RouteTable>,
    links_by_gateway: FastMap<&'a str, Vec<usize>>,
    links_by_vgw: FastMap<&'a str, Vec<usize>>,
    link_by_tunnel: FastMap<(&'a str, usize), usize>,
    public_ip_owner: FastMap<&'a str, (&'a azure::VpnGateway, usize)>,
    public_ip_by_address: FastMap<IpAddr, &'a str>,
    component_members: FastMap<usize, Vec<usize>>,
    /// Every network address space, sorted by start: (range, network index).
    spaces_sorted: Vec<(Range, usize)>,
    /// Each VNet's tags and each NSG compiled for the VNet it guards, built on first use and shared by the trace
    /// and the security checks.
    tag_sets: RefCell<FastMap<Option<&'a str>, Rc<TagSets>>>,
    compiled_nsgs: RefCell<FastMap<NsgKey<'a>, Rc<CompiledNsg>>>,
}

impl<'a> Context<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        let d = &plan.design;
        macro_rules! index {
            ($list:expr) => {{
                let mut map = FastMap::with_capacity_and_hasher($list.len(), Default::default());
                for object in &$list {
                    map.insert(object.id.as_str(), object);
                }
                map
            }};
        }
        let public_ips = index!(d.azure.public_ips);
        let azure_gateways = index!(d.azure.vpn_gateways);
        let lngs = index!(d.azure.local_network_gateways);
        let nsgs = index!(d.azure.nsgs);
        let azure_route_tables = index!(d.azure.route_tables);
        let vgws = index!(d.aws.vpn_gateways);
        let cgws = index!(d.aws.customer_gateways);
        let vpn_connections = index!(d.aws.vpn_connections);
        let aws_route_tables = index!(d.aws.route_tables);
        let security_groups = index!(d.aws.security_groups);
        let network_acls = index!(d.aws.network_acls);
        let subnet_count = d.azure.vnets.iter().map(|v| v.subnets.len()).sum::<usize>()
            + d.aws.vpcs.iter().map(|v| v.subnets.len()).sum::<usize>();
        let mut networks = Vec::with_capacity(d.azure.vnets.len() + d.aws.vpcs.len());
        let mut subnets = FastMap::with_capacity_and_hasher(subnet_count, Default::default());
        for v in &d.azure.vnets {
            networks.push(Network::Azure(v));
            for s in &v.subnets {
                subnets.insert(s.id.as_str(), SubnetRef::Azure(v, s));
            }
        }
        for v in &d.aws.vpcs {
            networks.push(Network::Aws(v));
            for s in &v.subnets {
                subnets.insert(s.id.as_str(), SubnetRef::Aws(v, s));
            }
        }
        let network_count = networks.len();
        let network_index = networks
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id(), i))
            .collect();
        let mut context = Context {
            plan,
            design: d,
            names: std::cell::OnceCell::new(),
            first_free_inside: Default::default(),
            inside_scopes: Default::default(),
            bgp_tunnel_counts: Default::default(),
            component: (0..networks.len()).collect(),
            networks,
            network_index,
            subnets,
            public_ips,
            azure_gateways,
            lngs,
            nsgs,
            azure_route_tables,
            vgws,
            cgws,
            vpn_connections,
            aws_route_tables,
            security_groups,
            network_acls,
            links: Vec::new(),
            // Each index sized for the most keys it can get (see `map_with_capacity`).
            gateway_by_vnet: map_with_capacity(d.azure.vpn_gateways.len()),
            vgw_by_vpc: map_with_capacity(d.aws.vpn_gateways.len()),
            vpn_connections_by_cgw: map_with_capacity(d.aws.customer_gateways.len()),
            connections_by_gateway: map_with_capacity(d.azure.vpn_gateways.len()),
            nsg_subnets: map_with_capacity(d.azure.nsgs.len()),
            sg_subnets: map_with_capacity(d.aws.security_groups.len()),
            nacls_by_subnet: map_with_capacity(
                d.aws.network_acls.iter().map(|a| a.subnets.len()).sum(),
            ),
            main_route_tables: map_with_capacity(d.aws.vpcs.len()),
            links_by_gateway: map_with_capacity(d.azure.vpn_gateways.len()),
            links_by_vgw: map_with_capacity(d.aws.vpn_gateways.len()),
            link_by_tunnel: map_with_capacity(d.azure.connections.len()),
            public_ip_owner: map_with_capacity(
                d.azure
                    .vpn_gateways
                    .iter()
                    .map(|g| g.ip_configurations.len())
                    .sum(),
            ),
            public_ip_by_address: map_with_capacity(d.azure.public_ips.len()),
            component_members: map_with_capacity(network_count),
            spaces_sorted: Vec::new(),
            // One entry per VNet (and one for NSGs guarding nothing), one per NSG and the VNet it guards: sized
            // up front, as growing them rehashed thousands of entries on large plans.
            tag_sets: RefCell::new(map_with_capacity(d.azure.vnets.len() + 1)),
            compiled_nsgs: RefCell::new(map_with_capacity(d.azure.nsgs.len())),
        };
        context.build_indexes();
        context.links = context.pair_tunnels();
        for (i, link) in context.links.iter().enumerate() {
            context
                .links_by_gateway
                .entry(link.connection.vpn_gateway.as_str())
                .or_default()
                .push(i);
            context
                .links_by_vgw
                .entry(link.vpn.vpn_gateway.as_str())
                .or_default()
                .push(i);
            context
                .link_by_tunnel
                .entry((link.vpn.id.as_str(), link.tunnel_index))
                .or_insert(i);
        }
        for i in 0..context.links.len() {
            let link = context.links[i];
            if let (Some(gw), Some(vpc)) = (link.gateway, link.vgw.and_then(|v| v.vpc.as_ref())) {
                context.union(gw.vnet.as_str(), vpc.as_str());
            }
        }
        for i in 0..context.networks.len() {
            let root = context.root(i);
            context.component_members.entry(root).or_default().push(i);
        }
        context
    }

    fn build_indexes(&mut self) {
        let d = self.design;
        for g in &d.azure.vpn_gateways {
            self.gateway_by_vnet.entry(g.vnet.as_str()).or_insert(g);
            for (i, config) in g.ip_configurations.iter().enumerate() {
                self.public_ip_owner
                    .entry(config.public_ip.as_str())
                    .or_insert((g, i));
            }
        }
        for p in &d.azure.public_ips {
            if let Some(a) = p.address {
                self.public_ip_by_address.entry(a).or_insert(p.id.as_str());
            }
        }
        for v in &d.aws.vpn_gateways {
            if let Some(vpc) = &v.vpc {
                self.vgw_by_vpc.entry(vpc.as_str()).or_insert(v);
            }
        }
        for c in &d.azure.connections {
            self.connections_by_gateway
                .entry(c.vpn_gateway.as_str())
                .or_default()
                .push(c);
        }
        for c in &d.aws.vpn_connections {
            self.vpn_connections_by_cgw
                .entry(c.customer_gateway.as_str())
                .or_default()
                .push(c);
        }
        for v in &d.azure.vnets {
            for s in &v.subnets {
                if let Some(n) = &s.nsg {
                    self.nsg_subnets.entry(n.as_str()).or_default().push((v, s));
                }
            }
        }
        for v in &d.aws.vpcs {
            for s in &v.subnets {
                for g in &s.security_groups {
                    self.sg_subnets.entry(g.as_str()).or_default().push(s);
                }
            }
        }
        for acl in &d.aws.network_acls {
            for s in &acl.subnets {
                self.nacls_by_subnet
                    .entry(s.as_str())
                    .or_default()
                    .push(acl);
            }
        }
        for t in d.aws.route_tables.iter().filter(|t| t.main) {
            self.main_route_tables.entry(t.vpc.as_str()).or_insert(t);
        }
        let mut spaces: Vec<(Range, usize)> = self
            .networks
            .iter()
            .enumerate()
            .flat_map(|(i, n)| n.spaces().iter().map(move |s| (range(s), i)))
            .collect();
        spaces.sort_unstable();
        self.spaces_sorted = spaces;
    }

    /// The network whose address space holds all of `r` (the most recent start at or before it).
    pub fn network_covering(&self, r: Range) -> Option<Network<'a>> {
        let end = self.spaces_sorted.partition_point(|(s, _)| s.0 <= r.0);
        self.spaces_sorted[..end]
            .iter()
            .rev()
            .find(|(s, _)| s.0 <= r.0 && r.1 <= s.1)
            .map(|(_, i)| self.networks[*i])
    }

    /// The most specific subnet holding all of `r`.
    pub fn subnet_covering(&self, r: Range) -> Option<SubnetRef<'a>> {
        let covers = |cidr: &IpNet| {
            let sr = range(cidr);
            sr.0 <= r.0 && r.1 <= sr.1
        };
        // Of equally specific subnets (a plan the review flags), the last, as `max_by_key` picks.
        match self.network_covering(r)? {
            Network::Azure(v) => v
                .subnets
                .iter()
                .filter(|s| covers(&s.cidr))
                .max_by_key(|s| s.cidr.prefix_len())
                .map(|s| SubnetRef::Azure(v, s)),
            Network::Aws(v) => v
                .subnets
                .iter()
                .filter(|s| covers(&s.cidr))
                .max_by_key(|s| s.cidr.prefix_len())
                .map(|s| SubnetRef::Aws(v, s)),
        }
    }

    /// Networks connected to `id` (itself included).
    pub fn component_networks(&self, id: &str) -> Vec<Network<'a>> {
        let Some(&i) = self.network_index.get(id) else {
            return Vec::new();
        };
        self.component_members
            .get(&self.root(i))
            .map(|m| m.iter().map(|j| self.networks[*j]).collect())
            .unwrap_or_default()
    }

    /// What Azure's `VirtualNetwork` tag stands for in a VNet: its space, every network connected to it, and the
    /// prefixes of its gateway's local network gateways [AZ18].
    pub fn virtual_network_space(&self, vnet: &str) -> Vec<Range> {
        let mut spaces: Vec<Range> = self
            .component_networks(vnet)
            .iter()
            .flat_map(|n| n.spaces().iter().map(range))
            .collect();
        if let Some(g) = self.gateway_by_vnet.get(vnet) {
            for link in self.links_of_gateway(g.id.as_str()) {
                spaces.extend(link.lng.address_prefixes.iter().map(range));
            }
        }
        spaces
    }

    /// What the NSG service tags stand for in a VNet (`None`: an NSG guarding no subnet, whose
    /// `VirtualNetwork` tag stands for nothing).
    pub fn tag_sets(&self, vnet: Option<&'a str>) -> Rc<TagSets> {
        if let Some(tags) = self.tag_sets.borrow().get(&vnet) {
            return tags.clone();
        }
        let spaces = vnet
            .map(|v| self.virtual_network_space(v))
            .unwrap_or_default();
        let tags = Rc::new(TagSets::new(super::prefixes::RangeSet::new(spaces)));
        self.tag_sets.borrow_mut().insert(vnet, tags.clone());
        tags
    }

    /// An NSG compiled for the VNet it guards: built once per review.
    pub fn compiled_nsg(&self, nsg: &'a azure::Nsg, vnet: Option<&'a str>) -> Rc<CompiledNsg> {
        // Keyed by the NSG's address, not its id: a plan the loader would reject may repeat an id.
        let key = (nsg as *const azure::Nsg as usize, vnet);
        if let Some(compiled) = self.compiled_nsgs.borrow().get(&key) {
            return compiled.clone();
        }
        let compiled = Rc::new(CompiledNsg::new(nsg, &self.tag_sets(vnet)));
        self.compiled_nsgs
            .borrow_mut()
            .insert(key, compiled.clone());
        compiled
    }

    /// Whether no AWS tunnel is the far end of two links (each tunnel's index holds one link per tunnel).
    pub(crate) fn every_tunnel_answered_once(&self) -> bool {
        self.link_by_tunnel.len() == self.links.len()
    }

    /// The link for tunnel `index` of an AWS VPN connection.
    pub fn link_of_tunnel(&self, vpn: &str, index: usize) -> Option<&Link<'a>> {
        self.link_by_tunnel
            .get(&(vpn, index))
            .map(|i| &self.links[*i])
    }

    /// Indices of the links of an Azure VPN gateway.
    pub fn links_of_gateway_indices(&self, gateway: &str) -> &[usize] {
        self.links_by_gateway
            .get(gateway)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Indices of the links on an AWS virtual private gateway.
    pub fn links_of_vgw(&self, vgw: &str) -> &[usize] {
        self.links_by_vgw.get(vgw).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Pairs each Azure connection with the AWS tunnel its local network gateway points at: by reference to the
    /// tunnel's outside address, or by a literal address equal to a tunnel's known outside IP.
    fn pair_tunnels(&self) -> Vec<Link<'a>> {
        let d = self.design;
        let mut by_outside_ip: FastMap<IpAddr, (&VpnConnection, usize)> =
            map_with_capacity(d.aws.vpn_connections.len() * 2);
        for vpn in &d.aws.vpn_connections {
            for (i, t) in vpn.tunnels.iter().enumerate() {
                if let Some(ip) = t.outside_ip {
                    by_outside_ip.insert(IpAddr::V4(ip), (vpn, i));
                }
            }
        }
        let mut links = Vec::with_capacity(d.azure.connections.len());
        for connection in &d.azure.connections {
            let Some(lng) = self.lngs.get(connection.local_network_gateway.as_str()) else {
                continue;
            };
            let target = match &lng.gateway_address {
                Endpoint::AwsTunnelOutside {
                    vpn_connection,
                    tunnel,
                } => self
                    .vpn_connections
                    .get(vpn_connection.as_str())
                    .filter(|_| (1..=2).contains(tunnel))
                    .map(|vpn| (*vpn, usize::from(*tunnel) - 1)),
                Endpoint::Literal { ip } => by_outside_ip.get(ip).copied(),
                Endpoint::AzurePublicIp { .. } => None,
            };
            let Some((vpn, tunnel_index)) = target else {
                continue;
            };
            let gateway = self
                .azure_gateways
                .get(connection.vpn_gateway.as_str())
                .copied();
            let cgw = self.cgws.get(vpn.customer_gateway.as_str()).copied();
            let instance = match (gateway, cgw) {
                (Some(g), Some(c)) => self.instance_of(g, &c.ip_address),
                _ => None,
            };
            let vgw = self.vgws.get(vpn.vpn_gateway.as_str()).copied();
            links.push(Link {
                connection,
                lng,
                gateway,
                vpn,
                tunnel_index,
                tunnel: &vpn.tunnels[tunnel_index],
                cgw,
                vgw,
                instance,
                vnet: gateway.and_then(|g| self.vnet_of_gateway(g)),
                vpc: vgw.and_then(|v| self.vpc_of_vgw(v)),
            });
        }
        links
    }

    /// Which instance of an Azure gateway an address (a customer gateway's) stands for.
    pub fn instance_of(&self, gateway: &azure::VpnGateway, address: &Endpoint) -> Option<usize> {
        self.gateway_of_public_ip(address)
            .filter(|(g, _)| g.id == gateway.id)
            .map(|(_, i)| i)
    }

    /// The Azure gateway (and instance) owning a public IP.
    pub fn gateway_of_public_ip(
        &self,
        address: &Endpoint,
    ) -> Option<(&'a azure::VpnGateway, usize)> {
        let public_ip = match address {
            Endpoint::AzurePublicIp { public_ip } => public_ip.as_str(),
            Endpoint::Literal { ip } => *self.public_ip_by_address.get(ip)?,
            Endpoint::AwsTunnelOutside { .. } => return None,
        };
        self.public_ip_owner.get(public_ip).copied()
    }

    /// The display name of any object, from the index that holds its kind.
    fn name_of(&self, id: &str) -> Option<&'a str> {
        if let Some(s) = self.subnets.get(id) {
            return Some(match s {
                SubnetRef::Azure(_, s) => s.name.as_str(),
                SubnetRef::Aws(_, s) => s.name.as_str(),
            });
        }
        if let Some(n) = self.network(id) {
            return Some(n.name());
        }
        macro_rules! from {
            ($($map:ident),*) => {$(
                if let Some(o) = self.$map.get(id) {
                    return Some(o.name.as_str());
                }
            )*};
        }
        from!(
            nsgs,
            security_groups,
            network_acls,
            azure_gateways,
            vgws,
            cgws,
            vpn_connections,
            lngs,
            public_ips,
            azure_route_tables,
            aws_route_tables
        );
        let d = self.design;
        self.names
            .get_or_init(|| {
                let mut names = FastMap::default();
                for c in &d.azure.connections {
                    names.insert(c.id.as_str(), c.name.as_str());
                }
                for f in &d.flows {
                    names.insert(f.id.as_str(), f.name.as_str());
                }
                for r in d.azure.nsgs.iter().flat_map(|n| &n.rules) {
                    names.insert(r.id.as_str(), r.name.as_str());
                }
                names
            })
            .get(id)
            .copied()
    }

    /// "display-name (id)", or the bare id for an object the plan does not hold.
    /// The Azure connections of a VPN gateway, in plan order.
    pub fn connections_of(&self, gateway: &str) -> &[&'a Connection] {
        self.connections_by_gateway
            .get(gateway)
            .map_or(&[], Vec::as_slice)
    }

    pub fn label(&self, id: &str) -> String {
        match self.name_of(id) {
            Some(name) if !name.is_empty() && name != id => format!("{name} ({id})"),
            _ => id.to_string(),
        }
    }

    pub fn network(&self, id: &str) -> Option<Network<'a>> {
        self.network_index.get(id).map(|i| self.networks[*i])
    }

    fn root(&self, mut i: usize) -> usize {
        while self.component[i] != i {
            i = self.component[i];
        }
        i
    }

    fn union(&mut self, a: &str, b: &str) {
        let (Some(&a), Some(&b)) = (self.network_index.get(a), self.network_index.get(b)) else {
            return;
        };
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            // Attach the larger index under the smaller so the root is stable whatever the link order.
            let (low, high) = (ra.min(rb), ra.max(rb));
            self.component[high] = low;
        }
    }

    /// Whether two networks reach each other through tunnels, directly or transitively.
    pub fn connected(&self, a: &str, b: &str) -> bool {
        match (self.network_index.get(a), self.network_index.get(b)) {
            (Some(&a), Some(&b)) => self.root(a) == self.root(b),
            _ => false,
        }
    }

    /// The VNet an Azure gateway sits in.
    pub fn vnet_of_gateway(&self, gateway: &azure::VpnGateway) -> Option<&'a Vnet> {
        match self.network(gateway.vnet.as_str()) {
            Some(Network::Azure(v)) => Some(v),
            _ => None,
        }
    }

    /// The VPC a virtual private gateway is attached to.
    pub fn vpc_of_vgw(&self, vgw: &aws::VpnGateway) -> Option<&'a Vpc> {
        match vgw.vpc.as_ref().and_then(|id| self.network(id.as_str())) {
            Some(Network::Aws(v)) => Some(v),
            _ => None,
        }
    }

    /// How many AWS tunnels an Azure gateway runs BGP over (both ends BGP), each inside /30 once: each needs its
    /// own custom APIPA address, of which an active-standby gateway holds one [AZ1]. GW-006 reports more than
    /// that, and BGP-006 then offers no fix; counted once per gateway and review.
    pub fn bgp_tunnels_of(&self, gateway: &str) -> usize {
        if let Some(n) = self.bgp_tunnel_counts.borrow().get(gateway) {
            return *n;
        }
        // The cache keeps the plan's own id (the index's key), not the caller's borrow.
        let Some((&gateway, _)) = self.azure_gateways.get_key_value(gateway) else {
            return 0;
        };
        let count = self.bgp_tunnel_nets(gateway).len();
        self.bgp_tunnel_counts.borrow_mut().insert(gateway, count);
        count
    }

    /// The inside /30s of the AWS tunnels an Azure gateway runs BGP over (both ends BGP), each once.
    pub fn bgp_tunnel_nets(&self, gateway: &str) -> std::collections::BTreeSet<IpNet> {
        self.links_of_gateway(gateway)
            .filter(|l| l.azure_bgp() && l.aws_bgp())
            .filter_map(|l| l.tunnel.inside_cidr.map(|n| n.trunc()))
            .collect()
    }

    /// Links whose Azure gateway is `gateway`.
    pub fn links_of_gateway<'s>(
        &'s self,
        gateway: &'s str,
    ) -> impl Iterator<Item = &'s Link<'a>> + 's {
        self.links_by_gateway
            .get(gateway)
            .into_iter()
            .flatten()
            .map(|i| &self.links[*i])
    }
}
