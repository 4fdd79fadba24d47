//! ADDR: the address plan. Overlaps between networks (sort-and-sweep, severity by connectivity), subnets against
//! their network, prefix sizes, canonical CIDRs, ranges the clouds forbid, and static routes against the partner's
//! address space. The canonical form of the rule sets' CIDRs (ADDR-005) is checked here too, but called from the
//! security family's pass over the rule sets, so `check` alone does not cover it.

use super::context::{Context, Link, Network};
use super::prefixes::{overlapping_pairs, range, Range, RangeSet};
use super::{Change, Finding, Severity};
use crate::facts::{aws as aws_facts, azure as azure_facts, Fact, Span};
use crate::hash::FastSet;
use crate::model::aws::SecurityGroup;
use crate::model::aws::Vpc;
use crate::model::azure::{Nsg, Vnet};
use crate::model::common::AddressPrefix;
use ipnet::IpNet;
use std::collections::BTreeMap;

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    network_checks(context, findings);
    let mut static_routes = StaticRoutes::new(context);
    for link in &context.links {
        static_routes.link(context, link, findings);
    }
}

/// Everything but ADDR-007, which the review runs in its one pass over the links ([`StaticRoutes`]), and ADDR-005
/// on the rule sets' CIDRs, which the security family's pass over the rule sets reports.
pub(crate) fn network_checks(context: &Context, findings: &mut Vec<Finding>) {
    overlapping_networks(context, findings);
    let forbidden = Forbidden::new();
    for network in &context.networks {
        network_addresses(context, *network, &forbidden, findings);
    }
    other_host_bits(context, findings);
}

pub(crate) fn list(nets: &[IpNet]) -> String {
    if nets.is_empty() {
        return "nothing".into();
    }
    nets.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// ADDR-001. Overlapping address spaces of two networks: an error when the networks reach each other (routing
/// cannot tell them apart), a warning otherwise (connecting them later will fail) [AZ2] [AWS9].
pub fn overlapping_networks(context: &Context, findings: &mut Vec<Finding>) {
    let mut owners = Vec::new();
    let mut nets = Vec::new();
    for (n, network) in context.networks.iter().enumerate() {
        for space in network.spaces() {
            owners.push(n);
            nets.push(*space);
        }
    }
    let mut by_pair: BTreeMap<(usize, usize), Vec<(IpNet, IpNet)>> = BTreeMap::new();
    let mut within: BTreeMap<usize, Vec<(IpNet, IpNet)>> = BTreeMap::new();
    for (i, j) in overlapping_pairs(&nets) {
        let (a, b) = (owners[i], owners[j]);
        if a == b {
            within
                .entry(a)
                .or_default()
                .push((nets[i.min(j)], nets[i.max(j)]));
            continue;
        }
        let (first, second) = if a < b { (i, j) } else { (j, i) };
        by_pair
            .entry((a.min(b), a.max(b)))
            .or_default()
            .push((nets[first], nets[second]));
    }
    for ((a, b), overlaps) in by_pair {
        let (na, nb) = (context.networks[a], context.networks[b]);
        let connected = context.connected(na.id(), nb.id());
        let what = overlaps
            .iter()
            .map(|(x, y)| format!("{x} and {y}"))
            .collect::<Vec<_>>()
            .join("; ");
        let (severity, why) = if connected {
            (
                Severity::Error,
                "they are connected through the VPN, so neither side can route to the overlapping addresses",
            )
        } else {
            (
                Severity::Warning,
                "they are not connected today, but connecting them later would fail",
            )
        };
        findings.push(
            Finding::new(
                "ADDR-001",
                severity,
                format!(
                    "The address spaces of {} {} and {} {} overlap ({what}): {why}. Expected: disjoint address \
                     spaces.",
                    na.kind(),
                    context.label(na.id()),
                    nb.kind(),
                    context.label(nb.id())
                ),
            )
            .subject(na.id())
            .subject(nb.id())
            .sources(&["AZ2", "AWS9"]),
        );
    }
    for (n, overlaps) in within {
        overlapping_own_prefixes(context, context.networks[n], &overlaps, findings);
    }
}

/// ADDR-001 within one network: two prefixes of its own address space overlap, or one is listed twice. A VPC
/// refuses a secondary CIDR block that overlaps one it has [VPC2]. A VNet's address prefixes must be disjoint too:
/// ARM refuses the deployment (not a row of the facts sheet, so only VPC2 is cited). Terraform would otherwise ask
/// for both. The fix keeps each address once (see below).
fn overlapping_own_prefixes(
    context: &Context,
    network: Network,
    overlaps: &[(IpNet, IpNet)],
    findings: &mut Vec<Finding>,
) {
    let (field, spaces) = match network {
        Network::Azure(v) => ("address_space", &v.address_space),
        Network::Aws(v) => ("cidr_blocks", &v.cidr_blocks),
    };
    let mut said: Vec<String> = Vec::new();
    for (x, y) in overlaps {
        let text = if x == y {
            format!("{x} more than once")
        } else {
            format!("{x} and {y}")
        };
        if !said.contains(&text) {
            said.push(text);
        }
    }
    let what = said.join("; ");
    // Each address once: a prefix goes when a wider one of its family covers it, or an equal one comes earlier.
    // The subnets inside stay inside. When that drops a VPC's first block (its primary, under a wider secondary),
    // the fix says so: a deployed VPC would be replaced.
    let mut kept: Vec<IpNet> = Vec::new();
    for (i, p) in spaces.iter().enumerate() {
        let covered = spaces.iter().enumerate().any(|(j, q)| {
            j != i
                && q.addr().is_ipv4() == p.addr().is_ipv4()
                && q.contains(&p.network())
                && (q.prefix_len() < p.prefix_len() || (q.prefix_len() == p.prefix_len() && j < i))
        });
        if !covered {
            kept.push(*p);
        }
    }
    let new_primary = matches!(network, Network::Aws(_)) && kept.first() != spaces.first();
    let kept: Vec<String> = kept.iter().map(|p| p.to_string()).collect();
    let id = network.id();
    findings.push(
        Finding::new(
            "ADDR-001",
            Severity::Error,
            format!(
                "The address space of {} {} lists overlapping prefixes ({what}): {} refuses a network whose \
                 prefixes overlap. Expected: each address once, as {}.",
                network.kind(),
                context.label(id),
                match network {
                    Network::Azure(_) => "Azure",
                    Network::Aws(_) => "AWS",
                },
                kept.join(", ")
            ),
        )
        .subject(id)
        // AWS documents it for a VPC's blocks [VPC2]; for a VNet's prefixes the facts sheet has no row (ARM
        // refuses them as overlapping address prefixes), so no source is cited rather than an AWS one.
        .sources(match network {
            Network::Azure(_) => &[],
            Network::Aws(_) => &["VPC2"],
        })
        .fix(
            if new_primary {
                format!(
                    "Keep {} ({} becomes the primary block: a deployed VPC would be replaced)",
                    kept.join(", "),
                    kept.first().cloned().unwrap_or_default()
                )
            } else {
                format!("Keep {}", kept.join(", "))
            },
            vec![Change::new(id, field, kept.clone())],
        ),
    );
}

/// ADDR-002 to ADDR-006 for one network and its subnets: one pass over the networks, every check of a network
/// in turn. On a plan of thousands of networks the subnets are past the cache, and each check's own pass over all
/// of them (five passes once) fetched them from memory again: most of the 10,000-network review's growth beyond
/// ten times the 1,000-network one's (issue 3, docs/benchmarks.md).
fn network_addresses(
    context: &Context,
    network: Network,
    forbidden: &Forbidden,
    findings: &mut Vec<Finding>,
) {
    match network {
        Network::Azure(vnet) => {
            host_bits_in_list(
                context,
                vnet.id.as_str(),
                "address_space",
                &vnet.address_space,
                findings,
            );
            forbidden.vnet(context, vnet, findings);
            for s in &vnet.subnets {
                let fact = if s.cidr.addr().is_ipv4() {
                    azure_facts::SUBNET_PREFIX_V4
                } else {
                    azure_facts::SUBNET_PREFIX_V6
                };
                prefix_size(
                    context,
                    s.id.as_str(),
                    "Azure subnet",
                    &s.cidr,
                    fact,
                    findings,
                );
            }
        }
        Network::Aws(vpc) => {
            host_bits_in_list(
                context,
                vpc.id.as_str(),
                "cidr_blocks",
                &vpc.cidr_blocks,
                findings,
            );
            // IPv6 VPC blocks are allocated by AWS at fixed sizes: only IPv4 sizes are the designer's choice.
            for block in vpc.cidr_blocks.iter().filter(|b| b.addr().is_ipv4()) {
                let what = "AWS VPC CIDR block of";
                prefix_size(
                    context,
                    vpc.id.as_str(),
                    what,
                    block,
                    aws_facts::VPC_PREFIX,
                    findings,
                );
            }
            forbidden.vpc(context, vpc, findings);
            for s in vpc.subnets.iter().filter(|s| s.cidr.addr().is_ipv4()) {
                prefix_size(
                    context,
                    s.id.as_str(),
                    "AWS subnet",
                    &s.cidr,
                    aws_facts::SUBNET_PREFIX,
                    findings,
                );
            }
        }
    }
    let subnets = subnet_cidrs(network);
    for &(id, cidr) in &subnets {
        push_host_bits(context, id, "cidr", cidr, findings);
    }
    subnets_outside_network(context, network, &subnets, findings);
    overlapping_subnets(context, network, &subnets, findings);
}

fn subnet_cidrs<'a>(network: Network<'a>) -> Vec<(&'a str, IpNet)> {
    match network {
        Network::Azure(v) => v.subnets.iter().map(|s| (s.id.as_str(), s.cidr)).collect(),
        Network::Aws(v) => v.subnets.iter().map(|s| (s.id.as_str(), s.cidr)).collect(),
    }
}

/// ADDR-002. A subnet must lie inside its network's address space [AZ22] [VPC2].
fn subnets_outside_network(
    context: &Context,
    network: Network,
    subnets: &[(&str, IpNet)],
    findings: &mut Vec<Finding>,
) {
    let space = RangeSet::of_prefixes(network.spaces());
    for &(id, cidr) in subnets {
        if !space.covers(range(&cidr)) {
            findings.push(
                Finding::new(
                    "ADDR-002",
                    Severity::Error,
                    format!(
                        "Subnet {} ({cidr}) is not inside the address space of {} {} ({}).",
                        context.label(id),
                        network.kind(),
                        context.label(network.id()),
                        list(network.spaces())
                    ),
                )
                .subject(id)
                .subject(network.id())
                .sources(&["AZ22", "VPC2"]),
            );
        }
    }
}

/// ADDR-003. Subnets of one network may not overlap [AZ22] [VPC2].
fn overlapping_subnets(
    context: &Context,
    network: Network,
    subnets: &[(&str, IpNet)],
    findings: &mut Vec<Finding>,
) {
    let nets: Vec<IpNet> = subnets.iter().map(|s| s.1).collect();
    for (i, j) in overlapping_pairs(&nets) {
        let ((a, ca), (b, cb)) = (subnets[i], subnets[j]);
        findings.push(
            Finding::new(
                "ADDR-003",
                Severity::Error,
                format!(
                    "Subnets {} ({ca}) and {} ({cb}) of {} overlap. Expected: disjoint subnets.",
                    context.label(a),
                    context.label(b),
                    context.label(network.id())
                ),
            )
            .subject(a)
            .subject(b)
            .subject(network.id())
            .sources(&["AZ22", "VPC2"]),
        );
    }
}

/// ADDR-004. Prefix lengths the clouds accept: VPC CIDRs and AWS subnets /16–/28 [VPC2]; Azure IPv4 subnets /29
/// or larger, IPv6 subnets /64 [AZ22].
fn prefix_size(
    context: &Context,
    id: &str,
    what: &str,
    cidr: &IpNet,
    allowed: Fact<Span>,
    findings: &mut Vec<Finding>,
) {
    let span = allowed.value;
    if span.contains(u64::from(cidr.prefix_len())) {
        return;
    }
    findings.push(
        Finding::new(
            "ADDR-004",
            Severity::Error,
            format!(
                "{what} {} is {cidr}, a /{}; the cloud accepts prefix lengths /{} to /{}.",
                context.label(id),
                cidr.prefix_len(),
                span.min,
                span.max
            ),
        )
        .subject(id)
        .sources(allowed.sources),
    );
}

/// ADDR-005. A CIDR with host bits set: the API canonicalises it (100.68.0.18/18 becomes 100.68.0.0/18), so the
/// design would not say what gets deployed [VPC2]. Tunnel inside CIDRs are TUN-001's. Networks and subnets are
/// checked in [`network_addresses`]; the CIDRs of NSG and security group rules by [`nsg_rule_host_bits`] and
/// [`sg_rule_host_bits`], which the security family calls on each rule set it walks (the rule sets are most of
/// a large plan, and a pass of this check's own over them read them all from memory once more). This is the rest:
/// local network gateways, route tables, VPN connections and flows.
fn other_host_bits(context: &Context, findings: &mut Vec<Finding>) {
    let d = context.design;
    let mut routes = |id: &str, field: &str, nets: &mut dyn Iterator<Item = IpNet>| {
        for (i, net) in nets.enumerate() {
            if net.trunc() != net {
                push_host_bits(context, id, &format!("routes[{i}].{field}"), net, findings);
            }
        }
    };
    for rt in &d.azure.route_tables {
        let id = rt.id.as_str();
        routes(
            id,
            "address_prefix",
            &mut rt.routes.iter().map(|r| r.address_prefix),
        );
    }
    for rt in &d.aws.route_tables {
        let id = rt.id.as_str();
        routes(
            id,
            "destination",
            &mut rt.routes.iter().map(|r| r.destination),
        );
    }
    for l in &d.azure.local_network_gateways {
        let id = l.id.as_str();
        host_bits_in_list(
            context,
            id,
            "address_prefixes",
            &l.address_prefixes,
            findings,
        );
    }
    for c in &d.azure.connections {
        let id = c.id.as_str();
        for (i, policy) in c.traffic_selector_policies.iter().enumerate() {
            for (side, nets) in [
                ("local_prefixes", &policy.local_prefixes),
                ("remote_prefixes", &policy.remote_prefixes),
            ] {
                if nets.iter().any(|n| n.trunc() != *n) {
                    host_bits_in_list(
                        context,
                        id,
                        &format!("traffic_selector_policies[{i}].{side}"),
                        nets,
                        findings,
                    );
                }
            }
        }
    }
    for c in &d.aws.vpn_connections {
        let id = c.id.as_str();
        host_bits_in_list(context, id, "static_routes", &c.static_routes, findings);
        for (field, net) in [
            ("local_ipv4_network_cidr", c.local_ipv4_network_cidr),
            ("remote_ipv4_network_cidr", c.remote_ipv4_network_cidr),
        ] {
            push_host_bits(context, id, field, net, findings);
        }
    }
    for f in &d.flows {
        for (field, end) in [("source", &f.source), ("destination", &f.destination)] {
            if let crate::model::FlowEndpoint::Cidr(net) = end {
                if net.trunc() != *net {
                    push_host_bits(
                        context,
                        f.id.as_str(),
                        &format!("{field}.cidr"),
                        *net,
                        findings,
                    );
                }
            }
        }
    }
}

/// ADDR-005 for each CIDR of a list field (`address_space[1]`); the field's path is built only for a finding.
fn host_bits_in_list(
    context: &Context,
    id: &str,
    field: &str,
    nets: &[IpNet],
    findings: &mut Vec<Finding>,
) {
    for (i, net) in nets.iter().enumerate() {
        if net.trunc() != *net {
            push_host_bits(context, id, &format!("{field}[{i}]"), *net, findings);
        }
    }
}

/// ADDR-005 for the address prefixes of an NSG's rules.
pub(crate) fn nsg_rule_host_bits(context: &Context, nsg: &Nsg, findings: &mut Vec<Finding>) {
    for r in &nsg.rules {
        for (field, list) in [
            ("source_prefixes", &r.source_prefixes),
            ("destination_prefixes", &r.destination_prefixes),
        ] {
            for (i, p) in list.iter().enumerate() {
                if let AddressPrefix::Cidr(net) = p {
                    if net.trunc() != *net {
                        let field = format!("{field}[{i}]");
                        push_host_bits(context, r.id.as_str(), &field, *net, findings);
                    }
                }
            }
        }
    }
}

/// ADDR-005 for the CIDRs of a security group's rules.
pub(crate) fn sg_rule_host_bits(
    context: &Context,
    sg: &SecurityGroup,
    findings: &mut Vec<Finding>,
) {
    for r in sg.ingress.iter().chain(&sg.egress) {
        if r.cidr.trunc() != r.cidr {
            push_host_bits(context, r.id.as_str(), "cidr", r.cidr, findings);
        }
    }
}

fn push_host_bits(
    context: &Context,
    object: &str,
    field: &str,
    net: IpNet,
    findings: &mut Vec<Finding>,
) {
    let canonical = net.trunc();
    if canonical == net {
        return;
    }
    findings.push(
        Finding::new(
            "ADDR-005",
            Severity::Error,
            format!(
                "{} `{field}` is {net}, which has host bits set; its canonical form is {canonical}.",
                context.label(object)
            ),
        )
        .subject(object)
        .sources(&["VPC2"])
        .fix(
            format!("Set {field} to {canonical}"),
            vec![Change::new(object, field, canonical.to_string())],
        ),
    );
}

fn nets(texts: &[&str]) -> Vec<IpNet> {
    texts.iter().filter_map(|t| t.parse().ok()).collect()
}

/// ADDR-006: ranges a VNet may not use [AZ22], and secondary VPC CIDRs AWS refuses given the primary [VPC2]. The
/// facts' tables, parsed once per review rather than for every network.
struct Forbidden {
    vnet_ranges: Vec<IpNet>,
    /// (range of primaries, the secondaries refused for a primary in it).
    secondary: Vec<(Range, Vec<IpNet>)>,
    /// Refused for a primary in none of those ranges.
    secondary_other: Vec<IpNet>,
}

impl Forbidden {
    fn new() -> Self {
        Forbidden {
            vnet_ranges: nets(azure_facts::FORBIDDEN_VNET_RANGES.value),
            secondary: aws_facts::SECONDARY_CIDR_RESTRICTIONS
                .value
                .iter()
                .filter_map(|(within, refused)| {
                    let within = within.parse::<IpNet>().ok()?;
                    Some((range(&within), nets(refused)))
                })
                .collect(),
            secondary_other: nets(aws_facts::SECONDARY_CIDR_RESTRICTIONS_OTHER.value),
        }
    }

    fn vnet(&self, context: &Context, vnet: &Vnet, findings: &mut Vec<Finding>) {
        for space in &vnet.address_space {
            for bad in self
                .vnet_ranges
                .iter()
                .filter(|f| super::prefixes::overlap(f, space))
            {
                findings.push(
                    Finding::new(
                        "ADDR-006",
                        Severity::Error,
                        format!(
                            "Azure VNet {} uses {space}, which includes {bad}: Azure does not allow {} in a \
                             virtual network.",
                            context.label(vnet.id.as_str()),
                            list(&self.vnet_ranges)
                        ),
                    )
                    .subject(vnet.id.as_str())
                    .sources(azure_facts::FORBIDDEN_VNET_RANGES.sources),
                );
            }
        }
    }

    fn vpc(&self, context: &Context, vpc: &Vpc, findings: &mut Vec<Finding>) {
        let Some(primary) = vpc.cidr_blocks.first().filter(|p| p.addr().is_ipv4()) else {
            return;
        };
        if vpc.cidr_blocks.len() < 2 {
            return;
        }
        // Rows whose range holds the primary all apply (10.0.0.0/15 adds to 10.0.0.0/8); a primary in none of
        // them (public, 100.64.0.0/10) gets the general restriction [VPC2].
        let p = range(primary);
        let mut refused: Vec<IpNet> = self
            .secondary
            .iter()
            .filter(|(w, _)| w.0 <= p.0 && p.1 <= w.1)
            .flat_map(|(_, refused)| refused.iter().copied())
            .collect();
        if refused.is_empty() {
            refused = self.secondary_other.clone();
        }
        for secondary in vpc.cidr_blocks.iter().skip(1) {
            for bad in refused
                .iter()
                .filter(|r| super::prefixes::overlap(r, secondary))
            {
                findings.push(
                    Finding::new(
                        "ADDR-006",
                        Severity::Error,
                        format!(
                            "AWS VPC {} has primary CIDR {primary} and secondary CIDR {secondary}, which falls in \
                             {bad}: AWS refuses that secondary range for a primary in this range.",
                            context.label(vpc.id.as_str())
                        ),
                    )
                    .subject(vpc.id.as_str())
                    .sources(aws_facts::SECONDARY_CIDR_RESTRICTIONS.sources),
                );
            }
        }
    }
}

/// ADDR-007. With static routing, what each side sends into the tunnel must be exactly the partner's address
/// space: missing part of it drops traffic, including the sender's own space loops it, and anything wider
/// attracts traffic the partner cannot deliver [AZ2] [AWS9]. Checked link by link; each local network gateway
/// and VPN connection is compared once, however many links use it.
pub(crate) struct StaticRoutes<'a> {
    seen_lng: FastSet<&'a str>,
    seen_vpn: FastSet<&'a str>,
}

impl<'a> StaticRoutes<'a> {
    pub(crate) fn new(context: &Context) -> Self {
        StaticRoutes {
            seen_lng: crate::hash::set_with_capacity(context.links.len()),
            seen_vpn: crate::hash::set_with_capacity(context.links.len()),
        }
    }

    pub(crate) fn link(&mut self, context: &Context, link: &Link<'a>, findings: &mut Vec<Finding>) {
        let (Some(vnet), Some(vpc)) = (link.vnet, link.vpc) else {
            return;
        };
        // Ends that disagree on routing are BGP-007's, whose fix sets the Azure end to the AWS end's mode: the
        // local network gateway's prefixes compared first got a fix that BGP-007's then made moot, and left a
        // static prefix beside BGP (QA s19). The AWS end keeps its mode, so its static routes are still compared.
        let modes_agree = (link.azure_bgp() && link.lng.bgp.is_some()) == link.aws_bgp();
        if modes_agree && !link.azure_bgp() && self.seen_lng.insert(link.lng.id.as_str()) {
            compare_static(
                context,
                findings,
                link.lng.id.as_str(),
                "address_prefixes",
                &link.lng.address_prefixes,
                (vpc.id.as_str(), &vpc.cidr_blocks),
                (vnet.id.as_str(), &vnet.address_space),
            );
        }
        if link.vpn.static_routes_only && self.seen_vpn.insert(link.vpn.id.as_str()) {
            compare_static(
                context,
                findings,
                link.vpn.id.as_str(),
                "static_routes",
                &link.vpn.static_routes,
                (vnet.id.as_str(), &vnet.address_space),
                (vpc.id.as_str(), &vpc.cidr_blocks),
            );
        }
    }
}

fn compare_static(
    context: &Context,
    findings: &mut Vec<Finding>,
    object: &str,
    field: &str,
    sent: &[IpNet],
    (partner, partner_space): (&str, &[IpNet]),
    (own, own_space): (&str, &[IpNet]),
) {
    // A virtual private gateway's tunnels carry IPv4 only [AWS1] [AWS3] [VPC2]: a dual-stack network's IPv6 space
    // is not the partner's to route into the tunnel, and asking for it wrote IPv6 routes into the VPN connection.
    let (partner_space, own_space) = (
        super::prefixes::ipv4_only(partner_space),
        super::prefixes::ipv4_only(own_space),
    );
    let (partner_space, own_space) = (&partner_space[..], &own_space[..]);
    let sent_set = RangeSet::of_prefixes(sent);
    let partner_set = RangeSet::of_prefixes(partner_space);
    let own_set = RangeSet::of_prefixes(own_space);
    let missing = partner_set.minus(&sent_set);
    let canonical: Vec<String> = partner_space
        .iter()
        .map(|n| n.trunc().to_string())
        .collect();
    let fix = |f: Finding| {
        f.fix(
            format!("Set {field} to the partner's address space"),
            vec![Change::new(object, field, &canonical)],
        )
    };
    let subject = |f: Finding| f.subject(object).subject(partner).sources(&["AZ2", "AWS9"]);
    if !missing.is_empty() {
        findings.push(fix(subject(Finding::new(
            "ADDR-007",
            Severity::Error,
            format!(
                "{} routes {} into the tunnel, which misses {} of {}'s address space ({}): traffic to it is \
                 dropped. Expected: {}.",
                context.label(object),
                list(sent),
                list(&missing.to_cidrs()),
                context.label(partner),
                list(partner_space),
                canonical.join(", ")
            ),
        ))));
    }
    let looped = sent_set.minus(&sent_set.minus(&own_set));
    if !looped.is_empty() {
        findings.push(fix(subject(Finding::new(
            "ADDR-007",
            Severity::Error,
            format!(
                "{} routes {} into the tunnel, including {} of its own side's address space ({} {}). Expected: \
                 only {}.",
                context.label(object),
                list(sent),
                list(&looped.to_cidrs()),
                context.label(own),
                list(own_space),
                canonical.join(", ")
            ),
        ))
        .subject(own)));
    } else {
        let extra = sent_set.minus(&partner_set);
        if !extra.is_empty() {
            // IPv6 prefixes are not "wider" space: the tunnel cannot carry them at all (QA s18).
            let (v4, v6): (Vec<IpNet>, Vec<IpNet>) = extra
                .to_cidrs()
                .into_iter()
                .partition(|n| n.addr().is_ipv4());
            let mut why = Vec::new();
            if !v4.is_empty() {
                why.push(format!(
                    "wider than {}'s address space ({}): {} is not needed",
                    context.label(partner),
                    list(partner_space),
                    list(&v4)
                ));
            }
            if !v6.is_empty() {
                why.push(format!(
                    "including {}, IPv6, which a virtual private gateway's tunnels do not carry",
                    list(&v6)
                ));
            }
            findings.push(fix(subject(Finding::new(
                "ADDR-007",
                Severity::Warning,
                format!(
                    "{} routes {} into the tunnel, {}.",
                    context.label(object),
                    list(sent),
                    why.join("; ")
                ),
            ))));
        }
    }
}
