//! TUN: tunnels. Inside /30s (shape, AWS's reserved blocks, uniqueness), which addresses each end points at,
//! pre-shared keys (never printed), who initiates IKE, DPD timeouts, and options a VGW does not support.

use super::context::{Context, Link};
use super::prefixes::{overlapping_pairs, range, Range, RangeSet};
use super::{Change, Finding, Severity};
use crate::facts::{aws as aws_facts, azure as azure_facts};
use crate::hash::{FastMap, FastSet};
use crate::model::aws::{IkeVersion, StartupAction, TunnelBandwidth};
use crate::model::azure::{self, ConnectionMode, ConnectionProtocol, VpnType};
use crate::model::common::Endpoint;
use crate::model::ids::PublicIpId;
use crate::model::Design;
use crate::model::Secret;
use ipnet::{IpNet, Ipv4Net};
use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let mut links = Checks::new(context);
    for link in &context.links {
        links.link(context, link, findings);
    }
    links.finish(context, findings);
}

/// The family's checks: [`Checks::link`] for each link (grouping the tunnels for TUN-003 as the links go by), then
/// [`Checks::finish`] for the groups and every check of the tunnels and their ends on their own. The review runs
/// every family's `link` in one pass over the links (`review_tunnels`).
pub(crate) struct Checks<'a> {
    inside: InsideGroups<'a>,
}

impl<'a> Checks<'a> {
    pub(crate) fn new(context: &Context<'a>) -> Self {
        Checks {
            inside: InsideGroups::new(context),
        }
    }

    pub(crate) fn link(&mut self, context: &Context, link: &Link<'a>, findings: &mut Vec<Finding>) {
        self.inside.link(link);
        link_pairing(context, link, findings);
        pre_shared_key_mismatch(context, link, findings);
        initiation(context, link, findings);
        policy_selectors(context, link, findings);
    }

    pub(crate) fn finish(self, context: &Context, findings: &mut Vec<Finding>) {
        self.inside.finish(context, findings);
        one_ended(context, findings);
        tunnel_claimed_twice(context, findings);
        inside_cidr_shape(context, findings);
        reserved_inside_cidrs(context, findings);
        endpoints(context, findings);
        pre_shared_key_rules(context, findings);
        pre_shared_key_reuse(context, findings);
        dpd_timeouts(context, findings);
        vgw_options(context, findings);
        selector_agreement(context, findings);
        customer_gateway_regions(context, findings);
        duplicate_customer_gateways(context, findings);
    }
}

/// TUN-016 (beyond the catalogue). AWS makes one customer gateway of a type, IP address and ASN per region: asking
/// for another returns the one it has, unless the device names differ [AWS5]. Two such customer gateways in a plan
/// are one in AWS, declared twice by the exports (destroying either takes the other's VPN connections' gateway).
/// Connect shares an instance's customer gateway within a region, but a VPC moved into the region of another VPC
/// its Azure gateway reaches brings a second (QA s19). The fix names the second device apart, which AWS honours.
fn duplicate_customer_gateways(context: &Context, findings: &mut Vec<Finding>) {
    // The address as AWS will see it: a typed address that is a public IP's known address is that public IP.
    let address = |endpoint| {
        context
            .design
            .azure
            .public_ip_of(endpoint)
            .map(|pip| pip.as_str())
            .ok_or(endpoint)
    };
    let mut first: FastMap<_, &str> = Default::default();
    let mut reported = FastSet::default();
    for (vpn, region) in vpn_regions(context) {
        let Some(cgw) = context.cgws.get(vpn.customer_gateway.as_str()) else {
            continue;
        };
        let id = cgw.id.as_str();
        let own = address(&cgw.ip_address);
        let key = (region, own, cgw.bgp_asn.0, cgw.device_name.as_str());
        let earlier = *first.entry(key).or_insert(id);
        // Recorded in every region it serves (a third in another region is found too), reported once.
        if earlier == id || !reported.insert(id) {
            continue;
        }
        let device = if cgw.device_name.is_empty() {
            cgw.name.to_string()
        } else {
            format!("{} ({})", cgw.device_name, cgw.name)
        };
        let taken = context.design.aws.customer_gateways.iter().any(|c| {
            c.device_name.as_str() == device
                && c.bgp_asn == cgw.bgp_asn
                && address(&c.ip_address) == own
        });
        let finding = Finding::new(
            "TUN-016",
            Severity::Error,
            format!(
                "Customer gateways {} and {} in {region} have the same IP address, ASN {} and device name \
                 ({}): AWS keeps one customer gateway of these values per region and returns {earlier} when \
                 asked for {id}, so the exports would declare one customer gateway twice. Share {earlier}, or \
                 give {id} a device name of its own.",
                context.label(earlier),
                context.label(id),
                cgw.bgp_asn.0,
                if cgw.device_name.is_empty() {
                    "none".to_string()
                } else {
                    crate::quote::quoted(&cgw.device_name)
                },
            ),
        )
        .subject(id)
        .subject(earlier)
        .sources(&["AWS5"]);
        findings.push(finding.fix_if((!taken).then(|| {
            (
                format!(
                    "Give {id} the device name {}",
                    crate::quote::quoted(&device)
                ),
                vec![Change::new(id, "device_name", device.as_str())],
            )
        })));
    }
}

/// Each VPN connection with the region it lives in: its VGW's VPC's (where its customer gateway must be too).
fn vpn_regions<'c, 'p>(
    context: &'c Context<'p>,
) -> impl Iterator<Item = (&'p crate::model::aws::VpnConnection, &'p str)> + use<'c, 'p> {
    context.design.aws.vpn_connections.iter().filter_map(|vpn| {
        let vgw = context.vgws.get(vpn.vpn_gateway.as_str())?;
        Some((vpn, context.vpc_of_vgw(vgw)?.region.as_str()))
    })
}

/// TUN-015 (beyond the catalogue). A customer gateway is an object of one AWS region (AWS counts them per Region
/// [AWS8]) and a VPN connection uses one of its own region, so one whose VPN connections reach VGWs in two regions
/// cannot be deployed: Connect shares an instance's customer gateway within a region, and a VPC moved to another
/// region afterwards takes its connections with it.
fn customer_gateway_regions(context: &Context, findings: &mut Vec<Finding>) {
    let mut first: crate::hash::FastMap<&str, (&str, &str)> = Default::default();
    let mut reported = crate::hash::FastSet::default();
    for (vpn, region) in vpn_regions(context) {
        let cgw = vpn.customer_gateway.as_str();
        let (other_region, other_vpn) = *first.entry(cgw).or_insert((region, vpn.id.as_str()));
        if other_region == region || !reported.insert((cgw, region)) {
            continue;
        }
        findings.push(
            Finding::new(
                "TUN-015",
                Severity::Error,
                format!(
                    "Customer gateway {} serves VPN connection {} in {other_region} and {} in {region}; a \
                     customer gateway belongs to one region, so {} needs a customer gateway of its own in {region} \
                     (remove the link and connect again to make one).",
                    context.label(cgw),
                    context.label(other_vpn),
                    context.label(vpn.id.as_str()),
                    vpn.id.as_str()
                ),
            )
            .subject(vpn.id.as_str())
            .subject(cgw)
            .sources(&["AWS8", "AWS5"]),
        );
    }
}

fn parse(text: &str) -> Option<IpNet> {
    text.parse().ok()
}

/// Every tunnel inside /30 already in the plan, and every APIPA address Azure gateways hold.
fn used_inside(design: &Design) -> Vec<IpNet> {
    let mut used: Vec<IpNet> = design
        .aws
        .vpn_connections
        .iter()
        .flat_map(|c| c.tunnels.iter().filter_map(|t| t.inside_cidr))
        .collect();
    for gw in &design.azure.vpn_gateways {
        used.extend(apipa_of(gw));
    }
    used
}

fn apipa_of(gw: &crate::model::azure::VpnGateway) -> impl Iterator<Item = IpNet> + '_ {
    gw.ip_configurations.iter().flat_map(|config| {
        config
            .apipa_addresses
            .iter()
            .map(|a| IpNet::from(Ipv4Net::from(*a)))
    })
}

/// The /30s a new tunnel between Azure gateway `gateway` and virtual private gateway `vgw` must avoid: those of
/// every tunnel on that VGW (inside CIDRs are unique per VGW [AWS1]) and of every tunnel ending on that Azure
/// gateway, with the APIPA addresses it holds (they must not collide on one gateway [AZ1] [AZ3]). Tunnels between
/// other gateways may reuse a /30, as TUN-003 allows, so a plan is not limited to the 128 /30s of the range.
fn used_between(design: &Design, gateway: &str, vgw: &str) -> Vec<IpNet> {
    let gw = design
        .azure
        .vpn_gateways
        .iter()
        .find(|g| g.id.as_str() == gateway);
    let pips: Vec<&str> = gw
        .iter()
        .flat_map(|g| g.ip_configurations.iter().map(|c| c.public_ip.as_str()))
        .collect();
    let on_gateway: Vec<&str> = design
        .aws
        .customer_gateways
        .iter()
        .filter(|c| {
            design
                .azure
                .public_ip_of(&c.ip_address)
                .is_some_and(|p| pips.contains(&p.as_str()))
        })
        .map(|c| c.id.as_str())
        .collect();
    let mut used: Vec<IpNet> = design
        .aws
        .vpn_connections
        .iter()
        .filter(|c| {
            c.vpn_gateway.as_str() == vgw || on_gateway.contains(&c.customer_gateway.as_str())
        })
        .flat_map(|c| c.tunnels.iter().filter_map(|t| t.inside_cidr))
        .collect();
    if let Some(gw) = gw {
        used.extend(apipa_of(gw));
    }
    used
}

/// [`used_between`] through the review's indexes: the VPN connections on each VGW and on each Azure gateway (through
/// their customer gateways' public IPs), built once per review. A plan with an inside-CIDR fix on every tunnel has
/// a scope per gateway pair, and a scan of the plan per scope made its review quadratic (review s17).
pub(crate) struct InsideScopes<'a> {
    by_vgw: FastMap<&'a str, Vec<&'a crate::model::aws::VpnConnection>>,
    by_gateway: FastMap<&'a str, Vec<&'a crate::model::aws::VpnConnection>>,
    /// The inside /30s that more than one tunnel of a scope uses (TUN-003's), by scope: 0 a VGW, 1 an Azure
    /// gateway.
    shared: FastSet<(u8, &'a str, IpNet)>,
}

impl<'a> InsideScopes<'a> {
    pub(crate) fn new(context: &Context<'a>) -> Self {
        let mut by_vgw: FastMap<&str, Vec<_>> = Default::default();
        let mut by_gateway: FastMap<&str, Vec<_>> = Default::default();
        for vpn in &context.design.aws.vpn_connections {
            by_vgw
                .entry(vpn.vpn_gateway.as_str())
                .or_default()
                .push(vpn);
            let gateway = context
                .cgws
                .get(vpn.customer_gateway.as_str())
                .and_then(|c| context.gateway_of_public_ip(&c.ip_address));
            if let Some((gateway, _)) = gateway {
                by_gateway.entry(gateway.id.as_str()).or_default().push(vpn);
            }
        }
        // The same groups as TUN-003's (`InsideGroups`): every VPN connection of a VGW, and the tunnels the links
        // of an Azure gateway reach (each tunnel once), so a finding left to TUN-003 is one TUN-003 makes.
        let mut seen: FastSet<(u8, &str, IpNet)> = FastSet::default();
        let mut shared: FastSet<(u8, &str, IpNet)> = FastSet::default();
        let mut count = |key: (u8, &'a str, IpNet)| {
            if !seen.insert(key) {
                shared.insert(key);
            }
        };
        for (vgw, vpns) in &by_vgw {
            for net in vpns
                .iter()
                .flat_map(|v| v.tunnels.iter().filter_map(|t| t.inside_cidr))
            {
                count((0, *vgw, net.trunc()));
            }
        }
        let mut reached: FastSet<(&str, &str, usize)> = FastSet::default();
        for link in &context.links {
            let gateway = link.connection.vpn_gateway.as_str();
            if let Some(net) = link.tunnel.inside_cidr {
                if reached.insert((gateway, link.vpn.id.as_str(), link.tunnel_index)) {
                    count((1, gateway, net.trunc()));
                }
            }
        }
        InsideScopes {
            by_vgw,
            by_gateway,
            shared,
        }
    }

    /// Whether the link's tunnel has an inside /30 another tunnel of its VGW or Azure gateway uses too: TUN-003
    /// reports it, and its fix moves the tunnel with its BGP addresses.
    pub(crate) fn shares_inside(&self, link: &Link) -> bool {
        let Some(net) = link.tunnel.inside_cidr.map(|n| n.trunc()) else {
            return false;
        };
        self.shared
            .contains(&(0, link.vpn.vpn_gateway.as_str(), net))
            || self
                .shared
                .contains(&(1, link.connection.vpn_gateway.as_str(), net))
    }

    fn used_between(&self, context: &Context, gateway: &str, vgw: &str) -> Vec<IpNet> {
        let mut used: Vec<IpNet> = [self.by_vgw.get(vgw), self.by_gateway.get(gateway)]
            .into_iter()
            .flatten()
            .flatten()
            .flat_map(|c| c.tunnels.iter().filter_map(|t| t.inside_cidr))
            .collect();
        if let Some(gw) = context.azure_gateways.get(gateway) {
            used.extend(apipa_of(gw));
        }
        used
    }
}

/// `count` free tunnel inside /30s anywhere in the plan: from Azure's custom APIPA range (169.254.21.0–169.254.22.255
/// [AZ1] [AZ3]), which lies inside AWS's 169.254.0.0/16 [AWS1]; never one of AWS's reserved /30s [AWS2] [AWS3];
/// never a /30 already used by a tunnel or holding an APIPA address of a gateway.
pub fn free_inside_cidrs(design: &Design, count: usize) -> Vec<IpNet> {
    free_of(used_inside(design), count)
}

/// `count` free tunnel inside /30s for tunnels between `gateway` and `vgw` (see [`used_between`]), from the same
/// range as [`free_inside_cidrs`].
pub fn free_inside_cidrs_between(
    design: &Design,
    gateway: &str,
    vgw: &str,
    count: usize,
) -> Vec<IpNet> {
    free_of(used_between(design, gateway, vgw), count)
}

fn free_of(mut used: Vec<IpNet>, count: usize) -> Vec<IpNet> {
    let apipa = azure_facts::APIPA_RANGE.value;
    let first = u32::from(apipa.first);
    let last = u32::from(apipa.last);
    used.extend(
        aws_facts::RESERVED_INSIDE_CIDRS
            .value
            .iter()
            .filter_map(|c| parse(c)),
    );
    let used = RangeSet::of_prefixes(&used);
    let prefix = aws_facts::INSIDE_CIDR_PREFIX.value;
    let mut out = Vec::new();
    let mut start = first;
    while out.len() < count && start.saturating_add(3) <= last {
        if let Ok(net) = Ipv4Net::new(Ipv4Addr::from(start), prefix) {
            let net = IpNet::from(net);
            let r: Range = range(&net);
            if !used.intersects(r) {
                out.push(net);
            }
        }
        start += 4;
    }
    out
}

/// The one-click fix for TUN-001/002/003: the next free /30, as Connect allocates it; and on a BGP link the
/// addresses that follow from it [AZ1]: the local network gateway's peer (AWS's first host), and Azure's second
/// host as the connection's address for its instance and in that instance's APIPA list, in place of the old one.
/// Changing the /30 alone left three BGP-006 errors behind it.
pub(crate) fn inside_fix(context: &Context, finding: Finding, vpn: &str, index: usize) -> Finding {
    // The tunnel's own scope when both its gateways are known (the tunnel's current /30 counts as used, so the fix
    // always moves it), else the whole plan. Found once per scope: a plan may have a fix per tunnel.
    let gateway = context
        .link_of_tunnel(vpn, index)
        .and_then(|l| l.gateway)
        .map(|g| g.id.as_str());
    let vgw = context
        .vpn_connections
        .get(vpn)
        .map(|v| v.vpn_gateway.as_str());
    let scope = gateway.zip(vgw);
    let free = *context
        .first_free_inside
        .borrow_mut()
        .entry(scope)
        .or_insert_with(|| {
            match scope {
                Some((gateway, vgw)) => free_of(
                    context
                        .inside_scopes
                        .get_or_init(|| InsideScopes::new(context))
                        .used_between(context, gateway, vgw),
                    1,
                ),
                None => free_inside_cidrs(context.design, 1),
            }
            .into_iter()
            .next()
        });
    let Some(free) = free else {
        return finding;
    };
    let Some((aws_ip, azure_ip)) = super::bgp::inside_addresses(Some(free)) else {
        return finding;
    };
    let mut changes = vec![Change::new(
        vpn,
        format!("tunnels[{index}].inside_cidr"),
        free.to_string(),
    )];
    let link = context
        .link_of_tunnel(vpn, index)
        .filter(|l| l.azure_bgp() && l.aws_bgp());
    if let Some(link) = link {
        let old = super::bgp::inside_addresses(link.tunnel.inside_cidr).map(|(_, azure)| azure);
        if link.lng.bgp.is_some() {
            changes.push(Change::new(
                link.lng.id.as_str(),
                "bgp.peering_address",
                aws_ip.to_string(),
            ));
        }
        if let (Some(instance), Some(gw)) = (link.instance, link.gateway) {
            let custom = super::bgp::custom_addresses_with(link, gw, instance, azure_ip);
            if let Some(custom) = &custom {
                changes.push(Change::new(
                    link.connection.id.as_str(),
                    "custom_bgp_addresses",
                    custom,
                ));
            }
            if let Some(config) = gw.ip_configurations.get(instance) {
                // The old address goes unless something else still uses it: another tunnel on this instance, or
                // another connection naming it for this instance. This tunnel's own uses move with it.
                let mut used = super::bgp::apipa_in_use(context, gw, instance);
                let own_slot = link.connection.custom_bgp_addresses.as_ref().and_then(|c| {
                    if instance == 0 {
                        Some(c.primary_address)
                    } else {
                        c.secondary_address
                    }
                });
                for mine in [old, own_slot.filter(|a| Some(*a) == old)]
                    .into_iter()
                    .flatten()
                {
                    if let Some(i) = used.iter().position(|a| *a == mine) {
                        used.remove(i);
                    }
                }
                let mut list = config.apipa_addresses.clone();
                match old.and_then(|o| list.iter().position(|a| *a == o)) {
                    Some(i) if !used.contains(&list[i]) => list[i] = azure_ip,
                    _ if !list.contains(&azure_ip) => list.push(azure_ip),
                    _ => {}
                }
                changes.push(Change::new(
                    gw.id.as_str(),
                    format!("ip_configurations[{instance}].apipa_addresses"),
                    list,
                ));
            }
        }
    }
    finding.fix(format!("Use the next free /30, {free}"), changes)
}

fn tunnels<'a>(
    context: &Context<'a>,
) -> impl Iterator<
    Item = (
        &'a crate::model::aws::VpnConnection,
        usize,
        &'a crate::model::aws::Tunnel,
    ),
> + 'a {
    let design = context.design;
    design
        .aws
        .vpn_connections
        .iter()
        .flat_map(|c| c.tunnels.iter().enumerate().map(move |(i, t)| (c, i, t)))
}

/// TUN-001. An inside CIDR is a /30 network address within 169.254.0.0/16 [AWS1] [AWS3].
pub fn inside_cidr_shape(context: &Context, findings: &mut Vec<Finding>) {
    let within = parse(aws_facts::INSIDE_CIDR_RANGE.value)
        .map(|n| RangeSet::of_prefixes([&n]))
        .unwrap_or_default();
    let want = aws_facts::INSIDE_CIDR_PREFIX.value;
    for (vpn, i, tunnel) in tunnels(context) {
        let Some(IpNet::V4(net)) = tunnel.inside_cidr else {
            continue;
        };
        let in_range = within.covers(range(&IpNet::V4(net)));
        let canonical = net.trunc() == net;
        if in_range && canonical && net.prefix_len() == want {
            continue;
        }
        let finding = Finding::new(
            "TUN-001",
            Severity::Error,
            format!(
                "Tunnel {} of {} has inside CIDR {net}; AWS requires a /{want} network address within {}.",
                i + 1,
                context.label(vpn.id.as_str()),
                aws_facts::INSIDE_CIDR_RANGE.value
            ),
        )
        .subject(vpn.id.as_str())
        .sources(aws_facts::INSIDE_CIDR_RANGE.sources);
        findings.push(if in_range && net.prefix_len() == want {
            finding.fix(
                format!("Use the canonical /30, {}", net.trunc()),
                vec![Change::new(
                    vpn.id.as_str(),
                    format!("tunnels[{i}].inside_cidr"),
                    net.trunc().to_string(),
                )],
            )
        } else {
            inside_fix(context, finding, vpn.id.as_str(), i)
        });
    }
}

/// Whether AWS reserves any of `inside` (TUN-002).
pub(crate) fn reserved_by_aws(inside: &IpNet) -> bool {
    aws_facts::RESERVED_INSIDE_CIDRS
        .value
        .iter()
        .filter_map(|t| parse(t))
        .any(|r| super::prefixes::overlap(&r, inside))
}

/// TUN-002. AWS rejects 169.254.0.0/30 … 169.254.5.0/30 and 169.254.169.252/30 [AWS2] [AWS3].
pub fn reserved_inside_cidrs(context: &Context, findings: &mut Vec<Finding>) {
    let reserved: Vec<IpNet> = aws_facts::RESERVED_INSIDE_CIDRS
        .value
        .iter()
        .filter_map(|t| parse(t))
        .collect();
    for (vpn, i, tunnel) in tunnels(context) {
        let Some(inside) = tunnel.inside_cidr.filter(|n| n.addr().is_ipv4()) else {
            continue;
        };
        if let Some(hit) = reserved
            .iter()
            .find(|r| super::prefixes::overlap(r, &inside))
        {
            let finding = Finding::new(
                "TUN-002",
                Severity::Error,
                format!(
                    "Tunnel {} of {} uses inside CIDR {inside}, which falls in {hit}, reserved by AWS.",
                    i + 1,
                    context.label(vpn.id.as_str())
                ),
            )
            .subject(vpn.id.as_str())
            .sources(aws_facts::RESERVED_INSIDE_CIDRS.sources);
            findings.push(inside_fix(context, finding, vpn.id.as_str(), i));
        }
    }
}

/// Groups of tunnels that must not share addresses (TUN-003): per VGW, and per Azure gateway through the links.
/// Each member carries its inside CIDR: looking the tunnel up again by id cost a hash probe per tunnel.
/// Tunnels without one cannot clash and stay out.
struct InsideGroups<'a> {
    groups: FastMap<(u8, &'a str), Members<'a>>,
}

type Members<'a> = Vec<(&'a str, usize, IpNet)>;

impl<'a> InsideGroups<'a> {
    /// The VGW groups, from the VPN connections.
    fn new(context: &Context<'a>) -> Self {
        let mut groups: FastMap<(u8, &str), Members> = crate::hash::map_with_capacity(
            context.design.aws.vpn_gateways.len() + context.design.azure.vpn_gateways.len(),
        );
        for (vpn, i, t) in tunnels(context) {
            if let Some(net) = t.inside_cidr {
                groups
                    .entry((0, vpn.vpn_gateway.as_str()))
                    .or_default()
                    .push((vpn.id.as_str(), i, net));
            }
        }
        InsideGroups { groups }
    }

    /// An Azure gateway's group gets the tunnel of each of its links.
    fn link(&mut self, link: &Link<'a>) {
        if let Some(net) = link.tunnel.inside_cidr {
            self.groups
                .entry((1, link.connection.vpn_gateway.as_str()))
                .or_default()
                .push((link.vpn.id.as_str(), link.tunnel_index, net));
        }
    }

    fn finish(self, context: &Context, findings: &mut Vec<Finding>) {
        duplicate_inside_cidrs(context, self.groups, findings);
    }
}

/// TUN-003. Inside CIDRs are unique on a VGW [AWS1], and the /30s of tunnels ending on one Azure gateway cannot
/// overlap either: Azure's APIPA addresses must not collide [AZ1] [AZ3].
fn duplicate_inside_cidrs(
    context: &Context,
    groups: FastMap<(u8, &str), Members>,
    findings: &mut Vec<Finding>,
) {
    // Any order: members are sorted within each group, and the review sorts findings at the end.
    // VGW groups first, so a pair both groups see is reported against the VGW.
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut reported = FastSet::default();
    for ((kind, owner), mut members) in groups {
        if members.len() < 2 {
            continue;
        }
        members.sort_unstable();
        members.dedup();
        let nets: Vec<IpNet> = members.iter().map(|m| m.2).collect();
        for (a, b) in overlapping_pairs(&nets) {
            let ((va, ia, na), (vb, ib, nb)) = (members[a], members[b]);
            if !reported.insert(((va, ia), (vb, ib))) {
                continue;
            }
            let on = if kind == 0 {
                format!("AWS virtual private gateway {}", context.label(owner))
            } else {
                format!("Azure VPN gateway {}", context.label(owner))
            };
            let finding = Finding::new(
                "TUN-003",
                Severity::Error,
                format!(
                    "Tunnel {} of {} ({na}) and tunnel {} of {} ({nb}) end on {on} with {} inside CIDRs; each \
                     tunnel needs its own /30.",
                    ia + 1,
                    context.label(va),
                    ib + 1,
                    context.label(vb),
                    if na.trunc() == nb.trunc() { "the same" } else { "overlapping" }
                ),
            )
            .subject(vb)
            .subject(va)
            .subject(owner)
            .sources(&["AWS1", "AZ1"]);
            // A tunnel whose /30 was edited onto another's goes back to the one its Azure end is still set for;
            // else the later tunnel moves to a free /30. (QA s19: the fix moved the tunnel nobody had touched,
            // and the Azure address the edited one had was left in its instance's list.)
            let back = back_to_its_azure_end(context, vb, ib)
                .or_else(|| back_to_its_azure_end(context, va, ia));
            findings.push(match back {
                Some((summary, changes)) => finding.fix(summary, changes),
                None => inside_fix(context, finding, vb, ib),
            });
        }
    }
}

/// TUN-003's fix for a tunnel whose inside /30 is not the one its Azure end is set for, when that one is free:
/// the local network gateway peers with its first host, and the gateway instance and the connection hold its
/// second [AWS12] [AZ1]. Only the tunnel's inside CIDR changes.
fn back_to_its_azure_end(
    context: &Context,
    vpn: &str,
    index: usize,
) -> Option<(String, Vec<Change>)> {
    let link = context.link_of_tunnel(vpn, index)?;
    let IpAddr::V4(peer) = link.lng.bgp.as_ref()?.peering_address else {
        return None;
    };
    let set_for = IpNet::from(
        Ipv4Net::new(peer, aws_facts::INSIDE_CIDR_PREFIX.value)
            .ok()?
            .trunc(),
    );
    let (aws_ip, azure_ip) = super::bgp::inside_addresses(Some(set_for))?;
    if aws_ip != peer
        || link.tunnel.inside_cidr == Some(set_for)
        || !azure_facts::APIPA_RANGE.value.contains(azure_ip)
        || reserved_by_aws(&set_for)
    {
        return None;
    }
    let (instance, gw) = (link.instance?, link.gateway?);
    let holds = |i: usize| {
        gw.ip_configurations
            .get(i)
            .is_some_and(|c| c.apipa_addresses.contains(&azure_ip))
    };
    let custom = link.connection.custom_bgp_addresses.as_ref().and_then(|c| {
        if instance == 0 {
            Some(c.primary_address)
        } else {
            c.secondary_address
        }
    });
    if !holds(instance) || holds(1 - instance.min(1)) || custom != Some(azure_ip) {
        return None;
    }
    // No tunnel between the two gateways' groups has it (the APIPA addresses, /32s, are the Azure ends checked
    // above).
    let vgw = context.vpn_connections.get(vpn)?.vpn_gateway.as_str();
    let taken = context
        .inside_scopes
        .get_or_init(|| InsideScopes::new(context))
        .used_between(context, gw.id.as_str(), vgw)
        .iter()
        .filter(|n| n.prefix_len() < 32)
        .any(|n| super::prefixes::overlap(n, &set_for));
    if taken {
        return None;
    }
    Some((
        format!(
            "Put tunnel {} of {vpn} back on {set_for}, which its Azure end is set for",
            index + 1
        ),
        vec![Change::new(
            vpn,
            format!("tunnels[{index}].inside_cidr"),
            set_for.to_string(),
        )],
    ))
}

fn is_link_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    }
}

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_loopback() || v4.is_link_local(),
        IpAddr::V6(v6) => v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00,
    }
}

/// TUN-004. Each end must point at the other's public address: a local network gateway at the AWS tunnel's
/// outside IP (never its inside address), a customer gateway at the Azure public IP it stands for [AZ1].
pub fn endpoints(context: &Context, findings: &mut Vec<Finding>) {
    let sources = &["AZ1"];
    for lng in &context.design.azure.local_network_gateways {
        let id = lng.id.as_str();
        let problem = match &lng.gateway_address {
            Endpoint::Literal { ip } if is_link_local(*ip) => {
                // The inside address of a tunnel: point at that tunnel's outside address instead. Inside /30s are
                // unique per gateway pair only, so the tunnel must end on the gateway of a connection using this
                // local network gateway, and be the only such one (else there is no fix to offer).
                let gateways: Vec<&str> = context
                    .design
                    .azure
                    .connections
                    .iter()
                    .filter(|c| c.local_network_gateway == lng.id)
                    .map(|c| c.vpn_gateway.as_str())
                    .collect();
                let on_gateway = |vpn: &crate::model::aws::VpnConnection| {
                    context
                        .cgws
                        .get(vpn.customer_gateway.as_str())
                        .and_then(|c| context.gateway_of_public_ip(&c.ip_address))
                        .is_some_and(|(g, _)| gateways.contains(&g.id.as_str()))
                };
                let mut found = tunnels(context).filter(|(vpn, _, t)| {
                    t.inside_cidr.is_some_and(|n| {
                        RangeSet::of_prefixes([&n]).contains(super::prefixes::address_number(*ip))
                    }) && on_gateway(vpn)
                });
                let tunnel = match (found.next(), found.next()) {
                    (Some(one), None) => Some(one),
                    _ => None,
                };
                Some((
                    format!("{ip}, a link-local (tunnel inside) address"),
                    tunnel.map(|(vpn, i, _)| Endpoint::AwsTunnelOutside {
                        vpn_connection: vpn.id.clone(),
                        tunnel: i as u8 + 1,
                    }),
                ))
            }
            Endpoint::Literal { ip } if is_private(*ip) => {
                Some((format!("{ip}, a private address"), None))
            }
            Endpoint::AzurePublicIp { public_ip } => Some((
                format!(
                    "the address of Azure public IP {}, Azure's own side",
                    context.label(public_ip.as_str())
                ),
                None,
            )),
            _ => None,
        };
        if let Some((what, fix)) = problem {
            let mut finding = Finding::new(
                "TUN-004",
                Severity::Error,
                format!(
                    "Local network gateway {} points at {what}; it must be the AWS tunnel's outside (public) IP.",
                    context.label(id)
                ),
            )
            .subject(id)
            .sources(sources);
            if let Some(endpoint) = fix {
                finding = finding.fix(
                    format!("Point at the {endpoint}"),
                    vec![Change::new(id, "gateway_address", endpoint)],
                );
            }
            findings.push(finding);
        }
    }
    // The Azure gateways whose connections reach each customer gateway's tunnels: built only when a customer
    // gateway holds a literal address that is no known public IP's (rare; most point at a public IP resource).
    let mut reached: Option<FastMap<&str, Vec<&azure::VpnGateway>>> = None;
    for cgw in &context.design.aws.customer_gateways {
        let id = cgw.id.as_str();
        let mut fix = None;
        let what = match &cgw.ip_address {
            Endpoint::Literal { ip }
                if !is_private(*ip) && context.gateway_of_public_ip(&cgw.ip_address).is_none() =>
            {
                let reached = reached.get_or_insert_with(|| gateways_reaching_cgws(context));
                let gateways = reached.get(id).map_or(&[][..], Vec::as_slice);
                gateways.iter().find_map(|gw| {
                    let known = known_public_ips(context, gw)?;
                    fix = instance_without_cgw(context, gw).map(|public_ip| {
                        (
                            context.label(public_ip.as_str()),
                            Endpoint::AzurePublicIp { public_ip },
                        )
                    });
                    Some(format!(
                        "{ip}, which is none of the public IPs of Azure VPN gateway {} ({}), whose connections \
                         reach its tunnels: AWS would wait for IKE from an address that never sends it",
                        context.label(gw.id.as_str()),
                        known
                    ))
                })
            }
            Endpoint::AwsTunnelOutside { .. } => {
                Some(format!("{}, AWS's own side", cgw.ip_address))
            }
            Endpoint::Literal { ip } if is_private(*ip) => {
                Some(format!("{ip}, not a public address"))
            }
            Endpoint::AzurePublicIp { public_ip }
                if context.gateway_of_public_ip(&cgw.ip_address).is_none() =>
            {
                Some(format!(
                    "Azure public IP {}, which belongs to no Azure VPN gateway",
                    context.label(public_ip.as_str())
                ))
            }
            _ => None,
        };
        if let Some(what) = what {
            let mut finding = Finding::new(
                "TUN-004",
                Severity::Error,
                format!(
                    "AWS customer gateway {} points at {what}; it must be the public IP of the Azure gateway \
                     instance it stands for.",
                    context.label(id)
                ),
            )
            .subject(id)
            .sources(sources);
            if let Some((label, endpoint)) = fix {
                finding = finding.fix(
                    format!("Point at public IP {label}"),
                    vec![Change::new(id, "ip_address", endpoint)],
                );
            }
            findings.push(finding);
        }
    }
}

/// For each customer gateway, the Azure gateways whose connections reach one of its tunnels.
fn gateways_reaching_cgws<'a>(
    context: &Context<'a>,
) -> FastMap<&'a str, Vec<&'a azure::VpnGateway>> {
    let mut reached: FastMap<&str, Vec<&azure::VpnGateway>> = FastMap::default();
    for link in &context.links {
        if let (Some(cgw), Some(gw)) = (link.cgw, link.gateway) {
            let list = reached.entry(cgw.id.as_str()).or_default();
            if !list.iter().any(|g| g.id == gw.id) {
                list.push(gw);
            }
        }
    }
    reached
}

/// The addresses of a gateway's public IPs, written for people, when every one of them is known (Azure assigns
/// them at deployment, so a plan may not know them yet; then no literal can be said to be wrong).
fn known_public_ips(context: &Context, gw: &azure::VpnGateway) -> Option<String> {
    let addresses = gw
        .ip_configurations
        .iter()
        .map(|c| {
            context
                .public_ips
                .get(c.public_ip.as_str())
                .and_then(|p| p.address)
                .map(|a| a.to_string())
        })
        .collect::<Option<Vec<_>>>()?;
    (!addresses.is_empty()).then(|| addresses.join(", "))
}

/// The one public IP of `gw` that no customer gateway stands for yet, if exactly one is left: where a customer
/// gateway with a wrong literal address should point.
fn instance_without_cgw(context: &Context, gw: &azure::VpnGateway) -> Option<PublicIpId> {
    let mut free = gw
        .ip_configurations
        .iter()
        .map(|c| &c.public_ip)
        .filter(|pip| {
            !context.design.aws.customer_gateways.iter().any(|c| {
                context
                    .gateway_of_public_ip(&c.ip_address)
                    .is_some_and(|(owner, i)| {
                        owner.id == gw.id && owner.ip_configurations[i].public_ip == **pip
                    })
            })
        });
    let first = free.next()?;
    free.next().is_none().then(|| first.clone())
}

/// TUN-004 on the pairing itself: the tunnel an Azure connection reaches must be one whose customer gateway
/// stands for that connection's own Azure gateway [AZ1].
fn link_pairing(context: &Context, link: &Link, findings: &mut Vec<Finding>) {
    let sources = &["AZ1"];
    let (Some(gw), Some(cgw)) = (link.gateway, link.cgw) else {
        return;
    };
    if let Some((owner, _)) = context.gateway_of_public_ip(&cgw.ip_address) {
        if owner.id != gw.id {
            findings.push(
                Finding::new(
                    "TUN-004",
                    Severity::Error,
                    format!(
                        "Connection {} of Azure VPN gateway {} reaches {}, whose customer gateway {} stands for \
                         another Azure gateway, {}.",
                        context.label(link.connection.id.as_str()),
                        context.label(gw.id.as_str()),
                        link.tunnel_label(context),
                        context.label(cgw.id.as_str()),
                        context.label(owner.id.as_str())
                    ),
                )
                .subject(link.connection.id.as_str())
                .subject(cgw.id.as_str())
                .sources(sources),
            );
        }
    }
}

/// What is wrong with a key under each cloud's rules, without ever quoting the key.
pub fn key_problems(key: &str) -> Vec<(String, &'static [&'static str])> {
    let mut problems = Vec::new();
    let length = key.chars().count();
    let aws_len = aws_facts::PSK_LENGTH;
    if !aws_len.value.contains(length as u64) {
        problems.push((
            format!("AWS requires {} characters, it has {length}", aws_len.value),
            aws_len.sources,
        ));
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
    {
        problems.push((
            "AWS allows only letters, digits, `.` and `_`".to_string(),
            aws_len.sources,
        ));
    }
    if key.starts_with('0') {
        problems.push((
            "AWS refuses a key starting with `0`".to_string(),
            aws_len.sources,
        ));
    }
    let forbidden = azure_facts::PSK_FORBIDDEN_CHARS;
    if key
        .chars()
        .any(|c| !c.is_ascii_graphic() && c != ' ' || forbidden.value.contains(&c))
    {
        problems.push((
            "Azure allows printable ASCII only, without space, `-` or `~`".to_string(),
            forbidden.sources,
        ));
    }
    if !azure_facts::PSK_LENGTH.value.contains(length as u64) {
        problems.push((
            format!("Azure allows {} characters", azure_facts::PSK_LENGTH.value),
            azure_facts::PSK_LENGTH.sources,
        ));
    }
    problems
}

/// TUN-005. A key must be valid on both clouds, since both ends hold the same key [AWS1] [AWS3] [AZ2].
pub fn pre_shared_key_rules(context: &Context, findings: &mut Vec<Finding>) {
    let mut report = |id: &str, field: String, key: &Secret| {
        let problems = key_problems(key.expose());
        if problems.is_empty() {
            return;
        }
        let mut finding = Finding::new(
            "TUN-005",
            Severity::Error,
            format!(
                "The pre-shared key in {} `{field}` breaks the clouds' rules: {}. Both ends hold the same key, so it \
                 must satisfy both (8–64 of A–Z, a–z, 0–9, `.`, `_`, not starting with 0, is safe everywhere).",
                context.label(id),
                problems.iter().map(|p| p.0.as_str()).collect::<Vec<_>>().join("; ")
            ),
        )
        .subject(id);
        for (_, sources) in &problems {
            finding = finding.sources(sources);
        }
        findings.push(finding);
    };
    for c in &context.design.azure.connections {
        if let Some(key) = &c.shared_key {
            report(c.id.as_str(), "shared_key".into(), key);
        }
    }
    for (vpn, i, t) in tunnels(context) {
        if let Some(key) = &t.pre_shared_key {
            report(vpn.id.as_str(), format!("tunnels[{i}].pre_shared_key"), key);
        }
    }
}

/// TUN-006. Both ends of a tunnel hold the same key; unset on both means "supplied at deployment" [AZ1].
fn pre_shared_key_mismatch(context: &Context, link: &Link, findings: &mut Vec<Finding>) {
    let azure = link.connection.shared_key.as_ref();
    let aws = link.tunnel.pre_shared_key.as_ref();
    let why = match (azure, aws) {
        (Some(a), Some(b)) if a != b => "hold different pre-shared keys",
        (Some(_), None) => {
            "disagree: the Azure connection sets a pre-shared key and the AWS tunnel none"
        }
        (None, Some(_)) => {
            "disagree: the AWS tunnel sets a pre-shared key and the Azure connection none"
        }
        _ => return,
    };
    findings.push(
        Finding::new(
            "TUN-006",
            Severity::Error,
            format!(
                "Connection {} and {} {why}; IKE authentication fails unless both ends hold the same key.",
                context.label(link.connection.id.as_str()),
                link.tunnel_label(context)
            ),
        )
        .subject(link.connection.id.as_str())
        .subject(link.vpn.id.as_str())
        .sources(&["AZ1"]),
    );
}

/// TUN-007. One key for several tunnels: a leak of one opens them all. (No cloud rule; guidance.)
pub fn pre_shared_key_reuse(context: &Context, findings: &mut Vec<Finding>) {
    // A tunnel is identified by its AWS side when it has one, so the two ends of one link count once.
    let has_keys = context
        .design
        .azure
        .connections
        .iter()
        .any(|c| c.shared_key.is_some())
        || tunnels(context).any(|(_, _, t)| t.pre_shared_key.is_some());
    if !has_keys {
        return;
    }
    let mut uses: BTreeMap<&str, BTreeSet<(String, String)>> = BTreeMap::new();
    let linked: BTreeMap<&str, (String, usize)> = context
        .links
        .iter()
        .map(|l| {
            (
                l.connection.id.as_str(),
                (l.vpn.id.as_str().to_string(), l.tunnel_index),
            )
        })
        .collect();
    for (vpn, i, t) in tunnels(context) {
        if let Some(key) = &t.pre_shared_key {
            uses.entry(key.expose())
                .or_default()
                .insert((vpn.id.as_str().to_string(), format!("tunnel {}", i + 1)));
        }
    }
    for c in &context.design.azure.connections {
        if let Some(key) = &c.shared_key {
            let identity = match linked.get(c.id.as_str()) {
                Some((vpn, i)) => (vpn.clone(), format!("tunnel {}", i + 1)),
                None => (c.id.as_str().to_string(), String::new()),
            };
            uses.entry(key.expose()).or_default().insert(identity);
        }
    }
    for (_, tunnels) in uses.into_iter().filter(|(_, t)| t.len() > 1) {
        let names: Vec<String> = tunnels
            .iter()
            .map(|(id, t)| {
                if t.is_empty() {
                    context.label(id)
                } else {
                    format!("{t} of {}", context.label(id))
                }
            })
            .collect();
        let mut finding = Finding::new(
            "TUN-007",
            Severity::Warning,
            format!(
                "{} tunnels share one pre-shared key ({}): a key that leaks opens all of them. Expected: a distinct \
                 key per tunnel.",
                tunnels.len(),
                names.join(", ")
            ),
        );
        for (id, _) in &tunnels {
            finding = finding.subject(id);
        }
        findings.push(finding);
    }
}

/// TUN-008. Somebody must initiate IKE: Azure ResponderOnly with AWS `add` leaves both waiting [AZ13] [AWS11];
/// AWS `start` initiates with IKEv2 only [AWS11].
fn initiation(context: &Context, link: &Link, findings: &mut Vec<Finding>) {
    let (cid, vid) = (link.connection.id.as_str(), link.vpn.id.as_str());
    let t = link.tunnel;
    // The connection mode governs only route-based gateways with IKEv2 [AZ13]: otherwise Azure dials as well.
    let mode_applies = link.connection.connection_protocol == ConnectionProtocol::IkeV2
        && link
            .gateway
            .is_none_or(|g| g.vpn_type == VpnType::RouteBased);
    if mode_applies
        && link.connection.connection_mode == ConnectionMode::ResponderOnly
        && t.startup_action == StartupAction::Add
    {
        findings.push(
            Finding::new(
                "TUN-008",
                Severity::Error,
                format!(
                    "Connection {} is ResponderOnly and {} has startup action `add`: each end waits for the \
                     other, so the tunnel never comes up. Set the AWS startup action to `start` (IKEv2) or the \
                     Azure connection mode to Default.",
                    context.label(cid),
                    link.tunnel_label(context)
                ),
            )
            .subject(cid)
            .subject(vid)
            .sources(&["AZ13", "AWS11"])
            .fix(
                "Let AWS initiate (startup action start)",
                vec![Change::new(vid, link.tunnel_field("startup_action"), "start")],
            ),
        );
    }
    // KB31: AWS initiates with IKEv2 only, so `start` needs IKEv2 among the tunnel's versions [AWS11]. (With an
    // IKEv1 Azure connection and both versions on AWS, Azure initiates IKEv1 and AWS answers: IKE-007's warning.)
    if t.startup_action == StartupAction::Start && !t.ike_versions.contains(&IkeVersion::IkeV2) {
        findings.push(
            Finding::new(
                "TUN-008",
                Severity::Error,
                format!(
                    "{} has startup action `start`, but its IKE versions ({}) leave out IKEv2: AWS initiates \
                     with IKEv2 only.",
                    link.tunnel_label(context),
                    t.ike_versions.iter().map(|v| v.name()).collect::<Vec<_>>().join(", "),
                ),
            )
            .subject(vid)
            .subject(cid)
            .sources(&["AWS11"]),
        );
    }
}

/// TUN-009. DPD timeouts: AWS at least 30 s [AWS1]; Azure 9–3600 s [AZ4].
pub fn dpd_timeouts(context: &Context, findings: &mut Vec<Finding>) {
    let aws = aws_facts::DPD_TIMEOUT;
    for (vpn, i, t) in tunnels(context) {
        if !aws.value.contains(u64::from(t.dpd_timeout_seconds)) {
            findings.push(
                Finding::new(
                    "TUN-009",
                    Severity::Error,
                    format!(
                        "Tunnel {} of {} has a DPD timeout of {} s; AWS requires {} s.",
                        i + 1,
                        context.label(vpn.id.as_str()),
                        t.dpd_timeout_seconds,
                        aws.value
                    ),
                )
                .subject(vpn.id.as_str())
                .sources(aws.sources)
                .fix(
                    format!("Set the DPD timeout to {} s", aws.value.min),
                    vec![Change::new(
                        vpn.id.as_str(),
                        format!("tunnels[{i}].dpd_timeout_seconds"),
                        aws.value.min,
                    )],
                ),
            );
        }
    }
    let azure = azure_facts::DPD_TIMEOUT;
    for c in &context.design.azure.connections {
        let value = u64::from(c.dpd_timeout_seconds);
        if !azure.value.contains(value) {
            let nearest = value.clamp(azure.value.min, azure.value.max);
            findings.push(
                Finding::new(
                    "TUN-009",
                    Severity::Error,
                    format!(
                        "Connection {} has a DPD timeout of {value} s; Azure allows {} s.",
                        context.label(c.id.as_str()),
                        azure.value
                    ),
                )
                .subject(c.id.as_str())
                .sources(azure.sources)
                .fix(
                    format!("Set the DPD timeout to {nearest} s"),
                    vec![Change::new(c.id.as_str(), "dpd_timeout_seconds", nearest)],
                ),
            );
        }
    }
}

/// Why a link's Azure end belongs to AWS tunnel `j` of its VPN connection: its BGP peer is that tunnel's AWS
/// address, or its connection holds that tunnel's pre-shared key. `None` without either.
fn evidence_for(link: &Link, j: usize) -> Option<&'static str> {
    let tunnel = link.vpn.tunnels.get(j)?;
    let aws = super::bgp::inside_addresses(tunnel.inside_cidr).map(|(aws, _)| aws);
    let peer = link
        .lng
        .bgp
        .as_ref()
        .is_some_and(|b| aws.is_some_and(|a| b.peering_address == IpAddr::V4(a)));
    if peer {
        return Some("its BGP peer is that tunnel's AWS address");
    }
    let key = matches!(
        (&link.connection.shared_key, &tunnel.pre_shared_key),
        (Some(a), Some(b)) if a == b
    );
    key.then_some("its connection holds that tunnel's pre-shared key")
}

/// The links of one Azure gateway that reach the same AWS tunnel as `link` (itself included), when there are
/// several of different local network gateways; empty otherwise (the usual plan, checked in O(1)).
fn sharing_tunnel<'c, 'a>(context: &'c Context<'a>, link: &Link) -> Vec<&'c Link<'a>> {
    let Some(gateway) = link.gateway else {
        return Vec::new();
    };
    if context.every_tunnel_answered_once() {
        return Vec::new();
    }
    let group: Vec<&Link> = context
        .links_of_gateway_indices(gateway.id.as_str())
        .iter()
        .map(|i| &context.links[*i])
        .filter(|l| l.vpn.id == link.vpn.id && l.tunnel_index == link.tunnel_index)
        .collect();
    // Two connections on one local network gateway are one address, not two that disagree.
    let lngs_differ = group.iter().any(|l| l.lng.id != group[0].lng.id);
    if group.len() > 1 && lngs_differ {
        group
    } else {
        Vec::new()
    }
}

/// Of links reaching one tunnel, the one that belongs there: the first with evidence for it.
fn keeper(group: &[&Link]) -> Option<usize> {
    group
        .iter()
        .position(|l| evidence_for(l, l.tunnel_index).is_some())
}

/// Whether `link` is one TUN-004 reports as pointing at a tunnel another connection of its gateway answers (its
/// BGP settings are then not what is wrong: BGP-006 leaves it alone).
pub(crate) fn misdirected(context: &Context, link: &Link) -> bool {
    let group = sharing_tunnel(context, link);
    !group.is_empty() && keeper(&group).is_none_or(|k| group[k].connection.id != link.connection.id)
}

/// TUN-004, one AWS tunnel answered twice: local network gateways of one Azure gateway pointing at the same AWS
/// tunnel, so all but one hold the wrong address (each AWS tunnel has one peer, and an Azure connection stands
/// for one tunnel [AZ1]); the tunnel they should point at is left unanswered (TUN-011). The one with evidence for
/// the tunnel (its BGP peer is the tunnel's AWS address, or its connection holds the tunnel's key) keeps it; the
/// fix points each other one at the unanswered tunnel of its VPN connection it has evidence for. Without evidence
/// either way the finding names them all and offers no fix. Before, only TUN-011 was said, and BGP-006's fixes
/// moved a connection's addresses onto the wrong tunnel (QA s17b).
fn tunnel_claimed_twice(context: &Context, findings: &mut Vec<Finding>) {
    // The usual plan: nothing to group (this runs in every review).
    if context.every_tunnel_answered_once() {
        return;
    }
    let mut claimed: FastMap<(&str, &str, usize), Vec<&Link>> = FastMap::default();
    for link in &context.links {
        let Some(gateway) = link.gateway else {
            continue;
        };
        claimed
            .entry((gateway.id.as_str(), link.vpn.id.as_str(), link.tunnel_index))
            .or_default()
            .push(link);
    }
    let answered: FastSet<(&str, &str, usize)> = claimed.keys().copied().collect();
    let mut groups: Vec<_> = claimed
        .into_iter()
        .filter(|(_, l)| l.len() > 1 && l.iter().any(|x| x.lng.id != l[0].lng.id))
        .collect();
    // Sorted by ids, so findings come out in the same order every time (a hash map's order is seeded).
    groups.sort_by_key(|(key, _)| *key);
    for ((gateway, vpn, index), links) in groups {
        let names = || {
            links
                .iter()
                .map(|l| context.label(l.lng.id.as_str()))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let Some(kept) = keeper(&links) else {
            let mut f = Finding::new(
                "TUN-004",
                Severity::Error,
                format!(
                    "Local network gateways {} of Azure VPN gateway {} all point at tunnel {} of {}: an AWS \
                     tunnel has one peer, so all but one hold the wrong address. Neither a BGP peer nor a \
                     pre-shared key says which belongs there.",
                    names(),
                    context.label(gateway),
                    index + 1,
                    context.label(vpn),
                ),
            )
            .sources(&["AZ1"]);
            for l in &links {
                f = f.subject(l.lng.id.as_str());
            }
            findings.push(f.subject(vpn));
            continue;
        };
        for link in links
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != kept)
            .map(|(_, l)| l)
        {
            // The tunnel of this VPN connection no connection of the gateway answers, that this one has
            // evidence for.
            let target = (0..link.vpn.tunnels.len())
                .filter(|&j| !answered.contains(&(gateway, vpn, j)))
                .find_map(|j| evidence_for(link, j).map(|why| (j, why)));
            let lng = link.lng.id.as_str();
            let moved = target.map(|(j, _)| {
                // Where the address is typed and the tunnel's is known, it stays typed.
                let value = match (&link.lng.gateway_address, link.vpn.tunnels[j].outside_ip) {
                    (Endpoint::Literal { .. }, Some(ip)) => {
                        serde_json::json!({ "kind": "literal", "ip": ip.to_string() })
                    }
                    _ => serde_json::json!({
                        "kind": "aws_tunnel_outside",
                        "vpn_connection": vpn,
                        "tunnel": j + 1,
                    }),
                };
                (
                    format!("Point {lng} at tunnel {} of {vpn}", j + 1),
                    vec![Change::new(lng, "gateway_address", value)],
                )
            });
            findings.push(
                Finding::new(
                    "TUN-004",
                    Severity::Error,
                    format!(
                        "Local network gateways {} of Azure VPN gateway {} all point at tunnel {} of {}: an AWS \
                         tunnel has one peer, and {} belongs there, so {} holds the wrong address{}.",
                        names(),
                        context.label(gateway),
                        index + 1,
                        context.label(vpn),
                        context.label(links[kept].lng.id.as_str()),
                        context.label(lng),
                        match target {
                            Some((j, why)) => format!(" (tunnel {}: {why})", j + 1),
                            None => String::new(),
                        }
                    ),
                )
                .subject(lng)
                .subject(links[kept].lng.id.as_str())
                .subject(vpn)
                .sources(&["AZ1"])
                .fix_if(moved),
            );
        }
    }
}

/// TUN-011. An AWS tunnel towards an Azure gateway that no Azure connection answers (its local network gateway
/// and connection were deleted, or never made): AWS keeps it configured, but it can never come up, and the link
/// carries fewer tunnels than it shows. Left alone: a VPN connection whose customer gateway is no Azure gateway's
/// address (another site), and a gateway with a connection the review could not pair with any tunnel (its local
/// network gateway holds another address, or a typed one while the tunnels' outside addresses are not known yet):
/// that connection may be this tunnel's other end, and TUN-004 reports an address it can tell is wrong.
fn one_ended(context: &Context, findings: &mut Vec<Finding>) {
    // The gateways with a connection no link came from; built only once a tunnel is found unanswered, which a
    // sound plan never has (this runs in every review).
    let mut unpaired: Option<FastSet<&str>> = None;
    let unpaired_gateways = || -> FastSet<&str> {
        let paired: FastSet<&str> = context
            .links
            .iter()
            .map(|l| l.connection.id.as_str())
            .collect();
        context
            .design
            .azure
            .connections
            .iter()
            .filter(|c| !paired.contains(c.id.as_str()))
            .map(|c| c.vpn_gateway.as_str())
            .collect()
    };
    for vpn in &context.design.aws.vpn_connections {
        let Some((gateway, _)) = context
            .cgws
            .get(vpn.customer_gateway.as_str())
            .and_then(|cgw| context.gateway_of_public_ip(&cgw.ip_address))
        else {
            continue;
        };
        let id = vpn.id.as_str();
        for (index, tunnel) in vpn.tunnels.iter().enumerate() {
            if context.link_of_tunnel(id, index).is_some()
                || unpaired
                    .get_or_insert_with(unpaired_gateways)
                    .contains(gateway.id.as_str())
            {
                continue;
            }
            let outside = tunnel
                .outside_ip
                .map_or_else(|| "assigned at deployment".to_string(), |ip| ip.to_string());
            findings.push(
                Finding::new(
                    "TUN-011",
                    Severity::Warning,
                    format!(
                        "Tunnel {} of {} (outside address {outside}) has no Azure end: no connection of Azure VPN \
                         gateway {} reaches it through a local network gateway, so it can never come up and the \
                         link has one tunnel fewer than it shows. Expected: a local network gateway for this \
                         tunnel and a connection to it (VPN Designer's Connect makes both), or no VPN connection.",
                        index + 1,
                        context.label(id),
                        context.label(gateway.id.as_str())
                    ),
                )
                .subject(id)
                .subject(gateway.id.as_str())
                .sources(&["AZ1", "AWS1"]),
            );
        }
    }
}

/// The IPv4 selector pairs a policy-based connection proposes, and how they arise (for messages): its custom
/// selector policies' local × remote prefixes, or else the VNet's address space × the local network gateway's
/// (the peer must define every combination) [AZ5]. A virtual private gateway carries IPv4 only [AWS6], so only
/// IPv4 pairs count. `None` for a route-based connection (it proposes any to any), and for a responder-only one
/// with custom policies: Azure proposes custom selectors only when it initiates, and otherwise accepts the
/// peer's [AZ5].
pub(crate) fn proposed_pairs(link: &Link) -> Option<(Vec<(IpNet, IpNet)>, String)> {
    let connection = link.connection;
    if !connection.use_policy_based_traffic_selectors {
        return None;
    }
    let custom = &connection.traffic_selector_policies;
    if !custom.is_empty() && connection.connection_mode == ConnectionMode::ResponderOnly {
        return None;
    }
    let v4 = |nets: &[IpNet]| -> Vec<IpNet> {
        nets.iter()
            .filter(|n| matches!(n, IpNet::V4(_)))
            .copied()
            .collect()
    };
    Some(if custom.is_empty() {
        let locals = v4(link.vnet.map_or(&[], |v| &v.address_space));
        // A local network gateway that lists no prefixes (as with BGP) leaves the VPC's behind its tunnel.
        let remotes = v4(if link.lng.address_prefixes.is_empty() {
            link.vpc.map_or(&[], |v| &v.cidr_blocks)
        } else {
            &link.lng.address_prefixes
        });
        let how = format!(
            "the VNet's {} IPv4 prefix{} × the other side's {}",
            locals.len(),
            if locals.len() == 1 { "" } else { "es" },
            remotes.len()
        );
        (cross(&locals, &remotes), how)
    } else {
        let mut pairs: Vec<(IpNet, IpNet)> = custom
            .iter()
            .flat_map(|p| cross(&v4(&p.local_prefixes), &v4(&p.remote_prefixes)))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let how = format!(
            "its {} traffic selector polic{}",
            custom.len(),
            if custom.len() == 1 { "y" } else { "ies" }
        );
        (pairs, how)
    })
}

/// TUN-012 (beyond the catalogue, like TUN-011). AWS brings up one SA pair per tunnel [AWS10], so a policy-based
/// connection proposing more than one pair (see [`proposed_pairs`]) gets one of them through and the rest of the
/// traffic has no tunnel (KB33); proposing none (an empty list, no network behind a gateway), nothing does. The
/// fix goes back to route-based any-to-any selectors, which is what a VGW connection expects, and drops the
/// custom policies with it.
fn policy_selectors(context: &Context, link: &Link, findings: &mut Vec<Finding>) {
    let Some((pairs, how)) = proposed_pairs(link) else {
        return;
    };
    if pairs.len() == 1 {
        return;
    }
    let what = if pairs.is_empty() {
        format!(
            "which give no IPv4 SA pair on {} (from {how}), so no traffic",
            link.tunnel_label(context)
        )
    } else {
        format!(
            "which give {} SA pairs on {} (from {how}), but AWS brings up one SA pair per tunnel, so only one of \
             them carries traffic",
            pairs.len(),
            link.tunnel_label(context)
        )
    };
    let cid = link.connection.id.as_str();
    findings.push(
        Finding::new(
            "TUN-012",
            Severity::Error,
            format!(
                "Connection {} uses policy-based traffic selectors, {what}. Expected: route-based selectors (any \
                 to any), or one local and one remote IPv4 prefix.",
                context.label(cid)
            ),
        )
        .subject(cid)
        .subject(link.vpn.id.as_str())
        .sources(&["AWS10", "AZ5"])
        .fix(
            "Use route-based traffic selectors",
            vec![
                Change::new(cid, "use_policy_based_traffic_selectors", false),
                Change::new(cid, "traffic_selector_policies", Vec::<()>::new()),
            ],
        ),
    );
}

/// TUN-013 (beyond the catalogue). Selectors must match on both ends [AZ5]. An AWS VPN connection has one local
/// IPv4 network CIDR (the customer gateway's side, here Azure's) and one remote (the VPC's) for both its tunnels,
/// so the Azure connections of its two tunnels must propose the same pair: a policy-based one its single pair, a
/// route-based one any to any, which is what AWS's default 0.0.0.0/0 each way is for (KB33: keep route-based any
/// to any) [AWS10]. Agreeing connections with the AWS side set otherwise get a fix that sets it; connections that
/// disagree get none, since no AWS setting serves both.
fn selector_agreement(context: &Context, findings: &mut Vec<Finding>) {
    let any: IpNet = IpNet::V4(Ipv4Net::default());
    for vpn in &context.design.aws.vpn_connections {
        let id = vpn.id.as_str();
        // What each tunnel's Azure end proposes; a connection with several or no pairs is TUN-012's.
        let mut wanted: Vec<(&str, (IpNet, IpNet))> = Vec::new();
        for index in 0..vpn.tunnels.len() {
            let Some(link) = context.link_of_tunnel(id, index) else {
                continue;
            };
            // A ResponderOnly connection never proposes: it accepts what AWS proposes [AZ5], so it cannot
            // disagree.
            if link.connection.connection_mode == ConnectionMode::ResponderOnly {
                continue;
            }
            let pair = match proposed_pairs(link) {
                None => (any, any),
                Some((pairs, _)) => match pairs.as_slice() {
                    [one] => *one,
                    _ => continue,
                },
            };
            wanted.push((link.connection.id.as_str(), pair));
        }
        let aws = (vpn.local_ipv4_network_cidr, vpn.remote_ipv4_network_cidr);
        let Some((_, first)) = wanted.first() else {
            continue;
        };
        let agree = wanted.iter().all(|(_, p)| p == first);
        if agree && *first == aws {
            continue;
        }
        let describe = |(l, r): (IpNet, IpNet)| {
            if (l, r) == (any, any) {
                "any ⇄ any (route-based)".to_string()
            } else {
                format!("{l} ⇄ {r}")
            }
        };
        let proposals = wanted
            .iter()
            .map(|(c, p)| format!("{} proposes {}", context.label(c), describe(*p)))
            .collect::<Vec<_>>()
            .join("; ");
        let mut finding = Finding::new(
            "TUN-013",
            Severity::Warning,
            if agree {
                format!(
                    "{} expects {} ⇄ {} (its local and remote IPv4 network CIDRs), but {proposals}: the selectors \
                     must match on both ends, or the SA is not negotiated. Expected: the AWS connection's local \
                     CIDR {} (Azure's side) and remote CIDR {} (the VPC's).",
                    context.label(id),
                    aws.0,
                    aws.1,
                    first.0,
                    first.1
                )
            } else {
                format!(
                    "The tunnels of {} ({} ⇄ {}, one pair for both) are answered by connections that disagree: \
                     {proposals}. Expected: the same selectors on both, route-based (any to any) or one pair \
                     that is also the AWS connection's local and remote CIDRs.",
                    context.label(id),
                    aws.0,
                    aws.1
                )
            },
        );
        for (c, _) in &wanted {
            finding = finding.subject(c);
        }
        finding = finding.subject(id).sources(&["AZ5", "AWS10"]);
        if agree {
            finding = finding.fix(
                format!("Set the AWS connection's selectors to {}", describe(*first)),
                vec![
                    Change::new(id, "local_ipv4_network_cidr", first.0.to_string()),
                    Change::new(id, "remote_ipv4_network_cidr", first.1.to_string()),
                ],
            );
        }
        findings.push(finding);
    }
}

/// Every pair of one prefix from each list, duplicates counted once (a prefix listed twice proposes one SA).
fn cross(locals: &[IpNet], remotes: &[IpNet]) -> Vec<(IpNet, IpNet)> {
    let mut pairs: Vec<(IpNet, IpNet)> = locals
        .iter()
        .flat_map(|l| remotes.iter().map(move |r| (*l, *r)))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// TUN-010. A virtual private gateway supports neither large tunnel bandwidth [AWS14] nor IPv6 inside CIDRs
/// (those need a transit gateway) [AWS1] [AWS6].
pub fn vgw_options(context: &Context, findings: &mut Vec<Finding>) {
    for vpn in &context.design.aws.vpn_connections {
        let id = vpn.id.as_str();
        if vpn.tunnel_bandwidth == TunnelBandwidth::Large {
            findings.push(
                Finding::new(
                    "TUN-010",
                    Severity::Error,
                    format!(
                        "VPN connection {} asks for `large` tunnel bandwidth on virtual private gateway {}; large \
                         tunnels need a transit gateway. Expected: standard (up to 1.25 Gbps per tunnel).",
                        context.label(id),
                        context.label(vpn.vpn_gateway.as_str())
                    ),
                )
                .subject(id)
                .sources(&["AWS14"])
                .fix("Use standard tunnel bandwidth", vec![Change::new(id, "tunnel_bandwidth", "standard")]),
            );
        }
        for (i, t) in vpn.tunnels.iter().enumerate() {
            if let Some(inside @ IpNet::V6(_)) = t.inside_cidr {
                findings.push(
                    Finding::new(
                        "TUN-010",
                        Severity::Error,
                        format!(
                            "Tunnel {} of {} has IPv6 inside CIDR {inside}; virtual private gateways do not support \
                             IPv6 VPN (a transit gateway does).",
                            i + 1,
                            context.label(id)
                        ),
                    )
                    .subject(id)
                    .sources(&["AWS1", "AWS6"]),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The review's indexed scope and the allocator's scan of the plan find the same /30s in use, so a fix never
    /// offers a /30 Connect would not (and the other way round).
    #[test]
    fn the_indexed_scope_holds_what_the_plan_scan_holds() {
        let mut plans = vec![
            crate::templates::reference(),
            crate::review::generate::plan(12, 7),
        ];
        // A customer gateway typed as the public IP's address, and a VPN connection moved to another VGW.
        let mut typed = crate::review::generate::plan(6, 3);
        let ip: IpAddr = "20.1.2.3".parse().unwrap();
        typed.design.azure.public_ips[0].address = Some(ip);
        let pip = typed.design.azure.public_ips[0].id.clone();
        for c in &mut typed.design.aws.customer_gateways {
            if c.ip_address
                == (Endpoint::AzurePublicIp {
                    public_ip: pip.clone(),
                })
            {
                c.ip_address = Endpoint::Literal { ip };
            }
        }
        let other_vgw = typed.design.aws.vpn_gateways[1].id.clone();
        typed.design.aws.vpn_connections[0].vpn_gateway = other_vgw;
        plans.push(typed);
        for plan in &plans {
            let context = Context::new(plan);
            let scopes = InsideScopes::new(&context);
            let sorted = |mut v: Vec<IpNet>| {
                v.sort();
                v.dedup();
                v
            };
            let mut pairs = 0;
            for gw in &plan.design.azure.vpn_gateways {
                for vgw in &plan.design.aws.vpn_gateways {
                    let (gw, vgw) = (gw.id.as_str(), vgw.id.as_str());
                    assert_eq!(
                        sorted(scopes.used_between(&context, gw, vgw)),
                        sorted(used_between(&plan.design, gw, vgw)),
                        "{gw} / {vgw}"
                    );
                    pairs += 1;
                }
            }
            assert!(pairs > 0);
        }
    }
}
