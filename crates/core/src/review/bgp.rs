//! BGP: ASNs per role, the ASNs each cloud's stand-in object must carry, APIPA addresses, peer addresses against
//! each tunnel's inside /30, routing mode agreement and prefix limits.

use super::context::{Context, Link};
use super::{Change, Finding, Severity};
use crate::facts::{aws as aws_facts, azure as azure_facts, describe, in_any, IANA_RESERVED_ASNS};
use crate::hash::{set_with_capacity, FastSet};
use crate::model::azure::CustomBgpAddresses;
use crate::model::Endpoint;
use ipnet::IpNet;
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let mut links = Checks::new(context);
    for link in &context.links {
        links.link(context, link, findings);
    }
    links.finish(context, findings);
}

/// The family's checks: [`Checks::link`] for each link, with what it carries from link to link, then
/// [`Checks::finish`] for the gateways and connections on their own. The review runs every family's `link` in one
/// pass over the links (`review_tunnels`): on a large plan the objects a link points at are past the cache, and
/// each further pass fetched them from memory again.
pub(crate) struct Checks<'a> {
    sessions: FastSet<(&'a str, &'a str)>,
    lngs: FastSet<&'a str>,
    prefixes: PrefixLimits<'a>,
}

impl<'a> Checks<'a> {
    pub(crate) fn new(context: &Context) -> Self {
        Checks {
            sessions: set_with_capacity(context.links.len()),
            lngs: set_with_capacity(context.links.len()),
            prefixes: PrefixLimits::new(context.links.len()),
        }
    }

    pub(crate) fn link(&mut self, context: &Context, link: &Link<'a>, findings: &mut Vec<Finding>) {
        if bgp_link(link) {
            same_asn(context, link, &mut self.sessions, findings);
            peer_addresses(context, link, findings);
            self.prefixes.toward_aws(context, link, findings);
            self.prefixes.toward_azure(context, link, findings);
        }
        local_network_gateway_asn(context, link, &mut self.lngs, findings);
        routing_mode(context, link, findings);
    }

    /// The checks of the gateways and connections themselves.
    pub(crate) fn finish(self, context: &Context, findings: &mut Vec<Finding>) {
        reserved_asns(context, findings);
        customer_gateway_asn(context, findings);
        apipa_range(context, findings);
        apipa_repeated(context, findings);
    }
}

/// Both ends of the link run BGP.
fn bgp_link(link: &Link) -> bool {
    link.azure_bgp() && link.aws_bgp()
}

/// BGP-001. The two ends of a session must use different ASNs [AZ2].
fn same_asn<'a>(
    context: &Context,
    link: &Link<'a>,
    seen: &mut FastSet<(&'a str, &'a str)>,
    findings: &mut Vec<Finding>,
) {
    let (Some(gw), Some(vgw)) = (link.gateway, link.vgw) else {
        return;
    };
    if gw.asn == vgw.amazon_side_asn && seen.insert((gw.id.as_str(), vgw.id.as_str())) {
        findings.push(
            Finding::new(
                "BGP-001",
                Severity::Error,
                format!(
                    "Azure VPN gateway {} and AWS virtual private gateway {} both use ASN {}: the two ends of \
                     a BGP session must use different ASNs.",
                    context.label(gw.id.as_str()),
                    context.label(vgw.id.as_str()),
                    gw.asn
                ),
            )
            .subject(gw.id.as_str())
            .subject(vgw.id.as_str())
            .sources(&["AZ2", "AZ1"]),
        );
    }
}

fn asn_finding(
    context: &Context,
    id: &str,
    what: &str,
    asn: u32,
    why: String,
    sources: &[&str],
) -> Finding {
    Finding::new(
        "BGP-002",
        Severity::Error,
        format!("{what} {} uses ASN {asn}: {why}.", context.label(id)),
    )
    .subject(id)
    .sources(sources)
}

/// BGP-002. Reserved or out-of-range ASNs for each role: the Azure gateway (Azure- and IANA-reserved, 65515
/// allowed) [AZ2]; a local network gateway (Azure- and IANA-reserved, 65515 included) [AZ2] [AZ3]; a VGW
/// (Amazon-side private ranges) [AWS7]; a customer gateway (range and AWS-reserved, by Region) [AWS5] [AWS13].
pub fn reserved_asns(context: &Context, findings: &mut Vec<Finding>) {
    let azure_reserved = azure_facts::AZURE_RESERVED_ASNS;
    let iana = IANA_RESERVED_ASNS;
    for gw in context
        .design
        .azure
        .vpn_gateways
        .iter()
        .filter(|g| g.bgp_enabled)
    {
        let asn = gw.asn.0;
        let reserved_here = in_any(azure_reserved.value, u64::from(asn))
            && asn != azure_facts::DEFAULT_GATEWAY_ASN.value;
        let aws_reserved = aws_reserved_for_peers(context, gw);
        let why = if let Some(region) = aws_reserved.filter(|_| !reserved_here) {
            // Its customer gateways must carry its ASN (BGP-003), and AWS refuses this one for them.
            Some((
                format!(
                    "its AWS customer gateways must carry its ASN, and AWS reserves {asn} for customer gateways{}",
                    region.map(|r| format!(" in {r}")).unwrap_or_default()
                ),
                aws_facts::CUSTOMER_GATEWAY_RESERVED_ASNS.sources,
            ))
        } else if reserved_here || in_any(iana.value, u64::from(asn)) || asn == 0 {
            Some((
                format!(
                    "Azure reserves {} (65515 only for its own gateway) and IANA reserves {}",
                    describe(azure_reserved.value),
                    describe(iana.value)
                ),
                &["AZ2", "AZ3"][..],
            ))
        } else {
            None
        };
        if let Some((why, sources)) = why {
            findings.push(asn_finding(
                context,
                gw.id.as_str(),
                "Azure VPN gateway",
                asn,
                why,
                sources,
            ));
        }
    }
    for lng in &context.design.azure.local_network_gateways {
        let Some(bgp) = &lng.bgp else { continue };
        let asn = bgp.asn.0;
        if in_any(azure_reserved.value, u64::from(asn))
            || in_any(iana.value, u64::from(asn))
            || asn == 0
        {
            findings.push(asn_finding(
                context,
                lng.id.as_str(),
                "Local network gateway",
                asn,
                format!(
                    "a peer of Azure may not use the ASNs Azure reserves ({}) or IANA reserves ({})",
                    describe(azure_reserved.value),
                    describe(iana.value)
                ),
                &["AZ2", "AZ3"],
            ));
        }
    }
    let amazon = aws_facts::AMAZON_SIDE_ASNS;
    for vgw in &context.design.aws.vpn_gateways {
        let asn = vgw.amazon_side_asn.0;
        // The links are searched only for an ASN Azure reserves (rare), not for every VGW.
        if in_any(amazon.value, u64::from(asn))
            && in_any(azure_reserved.value, u64::from(asn))
            && context
                .links_of_vgw(vgw.id.as_str())
                .iter()
                .any(|&i| context.links[i].aws_bgp())
        {
            // Valid for AWS, but the local network gateways standing for its tunnels must carry it (BGP-004),
            // and Azure refuses it for a peer [AZ2] [AZ3] (audit s18: BGP-004's fix copied 65517 across).
            findings.push(asn_finding(
                context,
                vgw.id.as_str(),
                "AWS virtual private gateway",
                asn,
                format!(
                    "its Azure local network gateways must carry its ASN, and Azure reserves {} for peers",
                    describe(azure_reserved.value)
                ),
                azure_reserved.sources,
            ));
        } else if !in_any(amazon.value, u64::from(asn)) {
            findings.push(asn_finding(
                context,
                vgw.id.as_str(),
                "AWS virtual private gateway",
                asn,
                format!(
                    "the Amazon-side ASN must be private, {}",
                    describe(amazon.value)
                ),
                amazon.sources,
            ));
        }
    }
    let range = aws_facts::CUSTOMER_GATEWAY_ASNS;
    let reserved = aws_facts::CUSTOMER_GATEWAY_RESERVED_ASNS;
    for cgw in &context.design.aws.customer_gateways {
        let asn = cgw.bgp_asn.0;
        let regions = regions_of_customer_gateway(context, cgw.id.as_str());
        let why = if !range.value.contains(u64::from(asn)) {
            Some((
                format!("a customer gateway ASN must be {}", range.value),
                range.sources,
            ))
        } else if let Some(region) = cgw_reserved(asn, &regions) {
            Some((
                format!(
                    "AWS reserves it for customer gateways{}",
                    region.map(|r| format!(" in {r}")).unwrap_or_default()
                ),
                reserved.sources,
            ))
        } else if in_any(iana.value, u64::from(asn)) {
            Some((
                format!("IANA reserves {}", describe(iana.value)),
                iana.sources,
            ))
        } else {
            None
        };
        if let Some((why, sources)) = why {
            findings.push(asn_finding(
                context,
                cgw.id.as_str(),
                "AWS customer gateway",
                asn,
                why,
                sources,
            ));
        }
    }
}

/// Whether AWS reserves `asn` for customer gateways in any of `regions` [AWS5] [AWS6]: `Some(None)` everywhere,
/// `Some(Some(region))` in that region.
fn cgw_reserved<'f>(asn: u32, regions: &BTreeSet<&str>) -> Option<Option<&'f str>> {
    aws_facts::CUSTOMER_GATEWAY_RESERVED_ASNS
        .value
        .iter()
        .find(|(r, region)| *r == asn && region.is_none_or(|region| regions.contains(region)))
        .map(|(_, region)| *region)
}

/// Whether AWS reserves the Azure gateway's ASN for the customer gateways that must carry it (BGP-003): only
/// when the gateway peers with AWS over BGP, in the regions it peers in (a gateway at 7224 peering on premises
/// only is no concern of AWS's, review s18). `Some(region)` as [`cgw_reserved`] says it.
fn aws_reserved_for_peers<'f>(
    context: &Context,
    gw: &crate::model::azure::VpnGateway,
) -> Option<Option<&'f str>> {
    let asn = gw.asn.0;
    // Only an ASN AWS reserves somewhere needs the regions.
    if !aws_facts::CUSTOMER_GATEWAY_RESERVED_ASNS
        .value
        .iter()
        .any(|(r, _)| *r == asn)
    {
        return None;
    }
    let regions = bgp_regions_of_gateway(context, gw.id.as_str());
    if regions.is_empty() {
        return None;
    }
    cgw_reserved(asn, &regions)
}

/// The regions of the VPCs whose VPN connections use a customer gateway: where it lives.
fn regions_of_customer_gateway<'c>(context: &Context<'c>, cgw: &str) -> BTreeSet<&'c str> {
    context
        .vpn_connections_by_cgw
        .get(cgw)
        .into_iter()
        .flatten()
        .filter_map(|c| context.vgws.get(c.vpn_gateway.as_str()))
        .filter_map(|v| context.vpc_of_vgw(v))
        .map(|vpc| vpc.region.as_str())
        .collect()
}

/// The regions of the VPCs an Azure gateway peers with over BGP: where its customer gateways live. From the
/// gateway's own links (indexed), so asking for every gateway stays linear.
fn bgp_regions_of_gateway<'c>(context: &Context<'c>, gateway: &str) -> BTreeSet<&'c str> {
    context
        .links_of_gateway(gateway)
        .filter(|l| l.aws_bgp())
        .filter_map(|l| l.vpc)
        .map(|vpc| vpc.region.as_str())
        .collect()
}

/// BGP-003. A customer gateway stands for an Azure gateway instance, so it carries that gateway's ASN [AZ1].
pub fn customer_gateway_asn(context: &Context, findings: &mut Vec<Finding>) {
    for cgw in &context.design.aws.customer_gateways {
        let dynamic = context
            .vpn_connections_by_cgw
            .get(cgw.id.as_str())
            .is_some_and(|list| list.iter().any(|c| !c.static_routes_only));
        let Some((gw, instance)) = context.gateway_of_public_ip(&cgw.ip_address) else {
            continue;
        };
        if !dynamic || cgw.bgp_asn == gw.asn {
            continue;
        }
        // An ASN AWS refuses for a customer gateway is BGP-002's, on the Azure gateway: copying it fixes nothing.
        if aws_reserved_for_peers(context, gw).is_some() {
            continue;
        }
        findings.push(
            Finding::new(
                "BGP-003",
                Severity::Error,
                format!(
                    "AWS customer gateway {} stands for instance {instance} of Azure VPN gateway {} but has BGP ASN \
                     {}; it must equal the Azure gateway's ASN, {} (the BGP OPEN would carry the wrong peer AS).",
                    context.label(cgw.id.as_str()),
                    context.label(gw.id.as_str()),
                    cgw.bgp_asn,
                    gw.asn
                ),
            )
            .subject(cgw.id.as_str())
            .subject(gw.id.as_str())
            .sources(&["AZ1"])
            .fix(
                format!("Set the customer gateway's BGP ASN to {}", gw.asn),
                vec![Change::new(cgw.id.as_str(), "bgp_asn", gw.asn.0)],
            ),
        );
    }
}

/// BGP-004. A local network gateway stands for an AWS tunnel, so it carries the VGW's Amazon-side ASN [AZ1].
fn local_network_gateway_asn<'a>(
    context: &Context,
    link: &Link<'a>,
    seen: &mut FastSet<&'a str>,
    findings: &mut Vec<Finding>,
) {
    let (Some(bgp), Some(vgw)) = (&link.lng.bgp, link.vgw) else {
        return;
    };
    // An Amazon-side ASN outside its allowed ranges is BGP-002's: copying it to the LNG fixes nothing.
    // One Azure reserves for peers is BGP-002's too, on the VGW.
    let vgw_valid = in_any(
        aws_facts::AMAZON_SIDE_ASNS.value,
        u64::from(vgw.amazon_side_asn.0),
    ) && !in_any(
        azure_facts::AZURE_RESERVED_ASNS.value,
        u64::from(vgw.amazon_side_asn.0),
    );
    if bgp.asn == vgw.amazon_side_asn || !vgw_valid || !seen.insert(link.lng.id.as_str()) {
        return;
    }
    findings.push(
        Finding::new(
            "BGP-004",
            Severity::Error,
            format!(
                "Local network gateway {} stands for {} on AWS virtual private gateway {} but has BGP ASN {}; \
                 it must equal the Amazon-side ASN, {}.",
                context.label(link.lng.id.as_str()),
                link.tunnel_label(context),
                context.label(vgw.id.as_str()),
                bgp.asn,
                vgw.amazon_side_asn
            ),
        )
        .subject(link.lng.id.as_str())
        .subject(vgw.id.as_str())
        .sources(&["AZ1"])
        .fix(
            format!("Set the local network gateway's BGP ASN to {}", vgw.amazon_side_asn),
            vec![Change::new(link.lng.id.as_str(), "bgp.asn", vgw.amazon_side_asn.0)],
        ),
    );
}

/// BGP-009 (beyond the catalogue). An APIPA address listed twice on one Azure gateway: twice in one instance's
/// list, or on both instances. Each instance terminates its own tunnels, and APIPA addresses must not overlap
/// between the devices and gateways of a connection [AZ1] [AZ3]; an address on both instances gives two BGP
/// speakers one address (QA s17b: swapped customer gateways, "fixed" one address at a time, ended there with no
/// finding). Twice in one list is fixed by keeping the first; on both instances the tunnels' wiring decides which
/// instance keeps it, so there is no fix.
fn apipa_repeated(context: &Context, findings: &mut Vec<Finding>) {
    for gateway in &context.design.azure.vpn_gateways {
        let gid = gateway.id.as_str();
        for (i, config) in gateway.ip_configurations.iter().enumerate() {
            let list = &config.apipa_addresses;
            let mut kept: Vec<Ipv4Addr> = Vec::with_capacity(list.len());
            for a in list {
                if !kept.contains(a) {
                    kept.push(*a);
                }
            }
            if kept.len() < list.len() {
                findings.push(
                    Finding::new(
                        "BGP-009",
                        Severity::Error,
                        format!(
                            "Instance {i} of Azure VPN gateway {} lists an APIPA address twice ({}).",
                            context.label(gid),
                            listed(list)
                        ),
                    )
                    .subject(gid)
                    .sources(&["AZ1", "AZ3"])
                    .fix(
                        format!("Keep each of instance {i}'s APIPA addresses once"),
                        vec![Change::new(
                            gid,
                            format!("ip_configurations[{i}].apipa_addresses"),
                            kept,
                        )],
                    ),
                );
            }
        }
        if let [first, second, ..] = gateway.ip_configurations.as_slice() {
            let mut both: Vec<Ipv4Addr> = first
                .apipa_addresses
                .iter()
                .filter(|a| second.apipa_addresses.contains(a))
                .copied()
                .collect();
            both.sort();
            both.dedup();
            if !both.is_empty() {
                findings.push(
                    Finding::new(
                        "BGP-009",
                        Severity::Error,
                        format!(
                            "Both instances of Azure VPN gateway {} hold the APIPA address {}: each instance is \
                             its own BGP speaker and terminates its own tunnels, so an address belongs to one. \
                             Check which instance each customer gateway stands for (its public IP) before moving \
                             addresses.",
                            context.label(gid),
                            listed(&both)
                        ),
                    )
                    .subject(gid)
                    .sources(&["AZ1", "AZ3"]),
                );
            }
        }
    }
}

/// BGP-005. Custom APIPA addresses come from 169.254.21.0–169.254.22.255 [AZ1] [AZ3].
pub fn apipa_range(context: &Context, findings: &mut Vec<Finding>) {
    let fact = azure_facts::APIPA_RANGE;
    let finding = |id: &str, field: &str, address: Ipv4Addr| {
        Finding::new(
            "BGP-005",
            Severity::Error,
            format!(
                "{} `{field}` is {address}, outside Azure's APIPA range for VPN, {}.",
                context.label(id),
                fact.value
            ),
        )
        .subject(id)
        .sources(fact.sources)
    };
    // The Azure half of each BGP tunnel's /30: an address out of range that a tunnel's /30 implies is reported once,
    // on the tunnel (`peer_addresses`), whose fix moves the tunnel and its addresses. Built only when an address
    // is out of range (this runs on every review).
    let implied = std::cell::OnceCell::new();
    let implied_by_a_tunnel = |a: Ipv4Addr| {
        implied
            .get_or_init(|| {
                context
                    .links
                    .iter()
                    .filter(|l| l.azure_bgp() && l.aws_bgp())
                    .filter_map(|l| inside_addresses(l.tunnel.inside_cidr).map(|(_, z)| z))
                    .collect::<crate::hash::FastSet<Ipv4Addr>>()
            })
            .contains(&a)
    };
    for gw in &context.design.azure.vpn_gateways {
        for (i, config) in gw.ip_configurations.iter().enumerate() {
            if config
                .apipa_addresses
                .iter()
                .all(|a| fact.value.contains(*a))
            {
                continue;
            }
            // The fix keeps the addresses in range.
            let kept: Vec<Ipv4Addr> = config
                .apipa_addresses
                .iter()
                .copied()
                .filter(|a| fact.value.contains(*a))
                .collect();
            for (j, a) in config.apipa_addresses.iter().enumerate() {
                if fact.value.contains(*a) || implied_by_a_tunnel(*a) {
                    continue;
                }
                findings.push(
                    finding(
                        gw.id.as_str(),
                        &format!("ip_configurations[{i}].apipa_addresses[{j}]"),
                        *a,
                    )
                    .fix(
                        format!("Keep only instance {i}'s addresses within the range"),
                        vec![Change::new(
                            gw.id.as_str(),
                            format!("ip_configurations[{i}].apipa_addresses"),
                            kept.clone(),
                        )],
                    ),
                );
            }
        }
    }
    for c in &context.design.azure.connections {
        let Some(custom) = &c.custom_bgp_addresses else {
            continue;
        };
        let slots = [
            (
                "custom_bgp_addresses.primary_address",
                Some(custom.primary_address),
            ),
            (
                "custom_bgp_addresses.secondary_address",
                custom.secondary_address,
            ),
        ];
        for (field, address) in slots {
            let Some(address) = address.filter(|a| !fact.value.contains(*a)) else {
                continue;
            };
            if implied_by_a_tunnel(address) {
                continue;
            }
            // The addresses that follow from the connection's tunnel, when its /30 gives Azure one in range.
            let fixed = context
                .links_of_gateway_indices(c.vpn_gateway.as_str())
                .iter()
                .map(|i| &context.links[*i])
                .find(|l| l.connection.id == c.id)
                .and_then(|l| {
                    let (_, azure) = inside_addresses(l.tunnel.inside_cidr)?;
                    fact.value.contains(azure).then_some(())?;
                    custom_addresses_with(l, l.gateway?, l.instance?, azure)
                })
                .filter(|f| {
                    fact.value.contains(f.primary_address)
                        && f.secondary_address.is_none_or(|s| fact.value.contains(s))
                });
            let mut f = finding(c.id.as_str(), field, address);
            if let Some(fixed) = &fixed {
                f = f.fix(
                    "Use the addresses of the connection's tunnel",
                    vec![Change::new(c.id.as_str(), "custom_bgp_addresses", fixed)],
                );
            }
            findings.push(f);
        }
    }
}

/// The AWS and customer (Azure) inside addresses of a tunnel: first and second host of its /30 [AWS12] [AZ1].
pub fn inside_addresses(inside: Option<IpNet>) -> Option<(Ipv4Addr, Ipv4Addr)> {
    match inside {
        Some(IpNet::V4(net)) if net.prefix_len() == 30 && net.trunc() == net => {
            let base = u32::from(net.network());
            Some((
                Ipv4Addr::from(base + aws_facts::INSIDE_HOST_AWS.value),
                Ipv4Addr::from(base + aws_facts::INSIDE_HOST_CUSTOMER.value),
            ))
        }
        _ => None,
    }
}

/// An optional prefix as text (nothing for `None`), formatted only when a message uses it.
struct OptionalNet(Option<ipnet::IpNet>);

impl std::fmt::Display for OptionalNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(net) => write!(f, "{net}"),
            None => Ok(()),
        }
    }
}

/// The Azure half of each tunnel's inside /30 that ends on `gw`'s instance `instance`.
fn tunnel_addresses<'c, 'p>(
    context: &'c Context<'p>,
    gw: &crate::model::azure::VpnGateway,
    instance: usize,
) -> impl Iterator<Item = Ipv4Addr> + use<'c, 'p> {
    context
        .links_of_gateway_indices(gw.id.as_str())
        .iter()
        .map(|i| &context.links[*i])
        .filter(move |l| l.instance == Some(instance))
        .filter_map(|l| inside_addresses(l.tunnel.inside_cidr).map(|(_, azure)| azure))
}

/// The APIPA addresses of `gw`'s instance `instance` that something uses: the Azure half of each tunnel ending on
/// it, and each connection's custom address for that instance (a connection names one per instance, the other
/// for a tunnel it does not carry). A fix may replace any other address of the list, never one of these.
pub(crate) fn apipa_in_use(
    context: &Context,
    gw: &crate::model::azure::VpnGateway,
    instance: usize,
) -> Vec<Ipv4Addr> {
    let gateway = gw.id.as_str();
    let mut used: Vec<Ipv4Addr> = tunnel_addresses(context, gw, instance).collect();
    used.extend(
        context
            .connections_of(gateway)
            .iter()
            .filter_map(|c| c.custom_bgp_addresses.as_ref())
            .filter_map(|c| {
                if instance == 0 {
                    Some(c.primary_address)
                } else {
                    c.secondary_address
                }
            }),
    );
    used
}

/// The connection's custom BGP addresses with `address` as `instance`'s (the primary for instance 0, the secondary
/// for instance 1 [AZ1]), and the other instance's kept when it is one of that instance's APIPA addresses, else
/// that instance's first. `None` when no valid primary can be had: an address for instance 1 while instance 0
/// holds no APIPA address.
pub(crate) fn custom_addresses_with(
    link: &Link,
    gw: &crate::model::azure::VpnGateway,
    instance: usize,
    address: Ipv4Addr,
) -> Option<CustomBgpAddresses> {
    let own = |i: usize| {
        gw.ip_configurations
            .get(i)
            .map_or(&[][..], |c| c.apipa_addresses.as_slice())
    };
    let current = link.connection.custom_bgp_addresses.as_ref();
    let keep_or_first = |i: usize, value: Option<Ipv4Addr>| {
        value
            .filter(|v| own(i).contains(v))
            .or_else(|| own(i).first().copied())
    };
    Some(if instance == 0 {
        CustomBgpAddresses {
            primary_address: address,
            secondary_address: if gw.ip_configurations.len() > 1 {
                keep_or_first(1, current.and_then(|c| c.secondary_address))
            } else {
                None
            },
        }
    } else {
        CustomBgpAddresses {
            primary_address: keep_or_first(0, current.map(|c| c.primary_address))?,
            secondary_address: Some(address),
        }
    })
}

fn listed(addresses: &[Ipv4Addr]) -> String {
    if addresses.is_empty() {
        return "none".into();
    }
    addresses
        .iter()
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// BGP-006 (and BGP-005 for a /30 outside Azure's range), but not on a tunnel whose inside /30 another tunnel
/// of its gateways uses: that is TUN-003's, whose fix moves the tunnel and its addresses together. Moving the
/// addresses onto the shared /30 instead put one address on both instances (audit s18, BGP-009). Checked only
/// once a finding is made, so a clean plan never builds the index.
fn peer_addresses(context: &Context, link: &Link, findings: &mut Vec<Finding>) {
    let before = findings.len();
    peer_addresses_of(context, link, findings);
    if findings.len() == before {
        return;
    }
    if context
        .inside_scopes
        .get_or_init(|| super::tunnels::InsideScopes::new(context))
        .shares_inside(link)
    {
        findings.truncate(before);
        return;
    }
    // An active-standby gateway asked to run BGP over several tunnels is GW-006's: no address fits them all, and
    // each BGP-006 fix only moved the mismatch to another tunnel. The findings stay, without fixes.
    if link.gateway.is_some_and(|gw| {
        !gw.active_active
            && context.bgp_tunnels_of(gw.id.as_str()) > azure_facts::ACTIVE_STANDBY_MAX_APIPA.value
    }) {
        for f in &mut findings[before..] {
            f.fix = None;
        }
    }
}

/// BGP-006. Peer addresses must match the tunnel's inside /30: the local network gateway peers with AWS's
/// address (first host); the Azure instance the tunnel ends on uses the second host, as its custom APIPA
/// address and as the connection's address for that instance [AZ1] [AWS12].
fn peer_addresses_of(context: &Context, link: &Link, findings: &mut Vec<Finding>) {
    let sources = &["AZ1", "AWS12"];
    let Some((aws_ip, azure_ip)) = inside_addresses(link.tunnel.inside_cidr) else {
        return;
    };
    // A local network gateway pointing at a tunnel another connection of its gateway answers: its address is what
    // is wrong (TUN-004, with the fix that points it back), not its BGP settings, whose fixes would move them onto
    // the wrong tunnel (QA s17b).
    if super::tunnels::misdirected(context, link) {
        return;
    }
    // Written out only into the messages of findings that are produced.
    let inside = OptionalNet(link.tunnel.inside_cidr);
    // The addresses follow from the /30 only when Azure can hold its half. A /30 AWS reserves is TUN-002's, and
    // one outside Azure's APIPA range [AZ1] [AZ3] is reported once here: either way the fix moves the tunnel and
    // its addresses together. Fixes setting Azure's addresses from such a /30 led to BGP-005 with no way out.
    let apipa = azure_facts::APIPA_RANGE;
    if !apipa.value.contains(azure_ip) {
        // Outside 169.254.0.0/16 it is TUN-001's, reserved TUN-002's: one finding per cause.
        let within_aws_range = aws_facts::INSIDE_CIDR_RANGE
            .value
            .parse::<IpNet>()
            .is_ok_and(|r| link.tunnel.inside_cidr.is_some_and(|n| r.contains(&n)));
        if within_aws_range
            && link
                .tunnel
                .inside_cidr
                .is_some_and(|n| !super::tunnels::reserved_by_aws(&n))
        {
            let finding = Finding::new(
                "BGP-005",
                Severity::Error,
                format!(
                    "{} has inside CIDR {inside}, which would give Azure the BGP address {azure_ip}, outside \
                     its APIPA range for VPN, {}.",
                    link.tunnel_label(context),
                    apipa.value
                ),
            )
            .subject(link.vpn.id.as_str())
            .subject(link.connection.id.as_str())
            .sources(apipa.sources);
            findings.push(super::tunnels::inside_fix(
                context,
                finding,
                link.vpn.id.as_str(),
                link.tunnel_index,
            ));
        }
        return;
    }
    let lng = link.lng.id.as_str();
    if let Some(bgp) = &link.lng.bgp {
        if bgp.peering_address != IpAddr::V4(aws_ip) {
            findings.push(
                Finding::new(
                    "BGP-006",
                    Severity::Error,
                    format!(
                        "Local network gateway {} peers with {}, but {} has inside CIDR {inside}: AWS's BGP \
                         address is the first host, {aws_ip}.",
                        context.label(lng),
                        bgp.peering_address,
                        link.tunnel_label(context)
                    ),
                )
                .subject(lng)
                .subject(link.vpn.id.as_str())
                .sources(sources)
                .fix(
                    format!("Set the BGP peering address to {aws_ip}"),
                    vec![Change::new(lng, "bgp.peering_address", aws_ip.to_string())],
                ),
            );
        }
    }
    let (Some(instance), Some(gw)) = (link.instance, link.gateway) else {
        return;
    };
    if reached_through_the_other_instance(context, link, gw, instance, azure_ip, &inside, findings)
    {
        return;
    }
    let cid = link.connection.id.as_str();
    let used = link.connection.custom_bgp_addresses.as_ref().and_then(|c| {
        if instance == 0 {
            Some(c.primary_address)
        } else {
            c.secondary_address
        }
    });
    if used != Some(azure_ip) {
        let mut finding = Finding::new(
                "BGP-006",
                Severity::Error,
                format!(
                    "Connection {} reaches {} (inside CIDR {inside}) from instance {instance} of {} using {}; \
                     Azure must use the second host, {azure_ip} ({aws_ip} is AWS's).",
                    context.label(cid),
                    link.tunnel_label(context),
                    context.label(gw.id.as_str()),
                    used.map(|a| a.to_string())
                        .unwrap_or_else(|| "no custom APIPA address".into())
                ),
            )
            .subject(cid)
            .subject(link.vpn.id.as_str())
            .sources(sources);
        if let Some(custom) = custom_addresses_with(link, gw, instance, azure_ip) {
            finding = finding.fix(
                format!("Use {azure_ip} for instance {instance}"),
                vec![Change::new(cid, "custom_bgp_addresses", custom)],
            );
        }
        findings.push(finding);
    }
    // The connection's address for the other instance must be one of that instance's APIPA addresses too: Azure
    // gives the primary to instance 0 and the secondary to instance 1 [AZ1], and refuses one the instance lacks.
    let other = 1 - instance.min(1);
    let other_value = link.connection.custom_bgp_addresses.as_ref().and_then(|c| {
        if other == 0 {
            Some(c.primary_address)
        } else {
            c.secondary_address
        }
    });
    if let (Some(value), Some(config)) = (other_value, gw.ip_configurations.get(other)) {
        if !config.apipa_addresses.contains(&value) {
            let mut finding = Finding::new(
                "BGP-006",
                Severity::Error,
                format!(
                    "Connection {} gives instance {other} of {} the custom APIPA address {value}, which is not \
                     one of that instance's ({}): Azure takes the {} address from instance {other}'s list.",
                    context.label(cid),
                    context.label(gw.id.as_str()),
                    listed(&config.apipa_addresses),
                    if other == 0 { "primary" } else { "secondary" }
                ),
            )
            .subject(cid)
            .subject(gw.id.as_str())
            .sources(sources);
            // When a tunnel of that instance has its Azure half at this address, the connection is right and the
            // instance's list is what lacks it: that tunnel's own BGP-006 puts it in the list. Taking an address
            // from the list instead adopted a mistyped one, which the other instance held too (QA s19: BGP-009
            // with no fix).
            let a_tunnel_needs_it = tunnel_addresses(context, gw, other).any(|a| a == value);
            if !a_tunnel_needs_it {
                if let Some(custom) = custom_addresses_with(link, gw, instance, azure_ip) {
                    finding = finding.fix(
                        format!("Use instance {other}'s own address"),
                        vec![Change::new(cid, "custom_bgp_addresses", custom)],
                    );
                }
            }
            findings.push(finding);
        }
    }
    if let Some(config) = gw.ip_configurations.get(instance) {
        if !config.apipa_addresses.contains(&azure_ip) {
            // In place of an address nothing uses any more (the one this tunnel had before its /30 changed, or
            // one out of range), else beside the others.
            let used = apipa_in_use(context, gw, instance);
            let mut list = config.apipa_addresses.clone();
            match list.iter().position(|a| !used.contains(a)) {
                Some(stale) => list[stale] = azure_ip,
                None => list.push(azure_ip),
            }
            // An active-standby gateway holds one address [AZ1]: adding another is GW-006's error, not a fix.
            let room =
                gw.active_active || list.len() <= azure_facts::ACTIVE_STANDBY_MAX_APIPA.value;
            findings.push(
                Finding::new(
                    "BGP-006",
                    Severity::Error,
                    format!(
                        "Instance {instance} of Azure VPN gateway {} terminates {} (inside CIDR {inside}) but \
                         its custom APIPA addresses ({}) lack {azure_ip}.",
                        context.label(gw.id.as_str()),
                        link.tunnel_label(context),
                        config
                            .apipa_addresses
                            .iter()
                            .map(|a| a.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .subject(gw.id.as_str())
                .subject(link.vpn.id.as_str())
                .subject(link.connection.id.as_str())
                .sources(sources)
                .fix_if(room.then(|| {
                    (
                        format!("Give instance {instance} the APIPA address {azure_ip}"),
                        vec![Change::new(
                            gw.id.as_str(),
                            format!("ip_configurations[{instance}].apipa_addresses"),
                            list,
                        )],
                    )
                })),
            );
        }
    }
}

/// BGP-006, when the tunnel's Azure address belongs to the other instance of its gateway: the tunnel is reached
/// through a customer gateway with the wrong instance's public IP (swapped customer gateways, say). Moving the
/// addresses to this instance would put one address on both instances, which Azure refuses (BGP-009), so the fix
/// points the customer gateway at the instance that holds the addresses instead (review s17). True when reported.
fn reached_through_the_other_instance(
    context: &Context,
    link: &Link,
    gw: &crate::model::azure::VpnGateway,
    instance: usize,
    azure_ip: Ipv4Addr,
    inside: &OptionalNet,
    findings: &mut Vec<Finding>,
) -> bool {
    let listed_on = |i: usize, address: Ipv4Addr| {
        gw.ip_configurations
            .get(i)
            .is_some_and(|c| c.apipa_addresses.contains(&address))
    };
    let other = 1 - instance.min(1);
    let (false, true, Some(holder), Some(cgw)) = (
        listed_on(instance, azure_ip),
        listed_on(other, azure_ip),
        gw.ip_configurations.get(other),
        link.cgw,
    ) else {
        return false;
    };
    let mut finding = Finding::new(
        "BGP-006",
        Severity::Error,
        format!(
            "{} (inside CIDR {inside}) ends on instance {instance} of Azure VPN gateway {}, whose public IP its \
             customer gateway {} has, but Azure's address {azure_ip} is a custom APIPA address of instance {other} \
             ({}): the customer gateway most likely has the wrong instance's public IP.",
            link.tunnel_label(context),
            context.label(gw.id.as_str()),
            context.label(cgw.id.as_str()),
            listed(&holder.apipa_addresses),
        ),
    )
    .subject(cgw.id.as_str())
    .subject(gw.id.as_str())
    .subject(link.vpn.id.as_str())
    .sources(&["AZ1", "AWS12"]);
    // The customer gateway may serve other VPN connections too (Connect shares one per instance between VGWs):
    // pointing it elsewhere is right only if every tunnel through it has its Azure address on the other instance,
    // else the fixes would undo each other (review s18).
    let whole = context
        .vpn_connections_by_cgw
        .get(cgw.id.as_str())
        .into_iter()
        .flatten()
        .flat_map(|vpn| vpn.tunnels.iter())
        .filter_map(|t| inside_addresses(t.inside_cidr).map(|(_, azure)| azure))
        .all(|azure| listed_on(other, azure) && !listed_on(instance, azure));
    // A reference is pointed at the other public IP; a typed address stays typed, and is only offered when the
    // other public IP's address is known.
    let endpoint = match cgw.ip_address {
        Endpoint::AzurePublicIp { .. } => Some(Endpoint::AzurePublicIp {
            public_ip: holder.public_ip.clone(),
        }),
        Endpoint::Literal { .. } => context
            .public_ips
            .get(holder.public_ip.as_str())
            .and_then(|p| p.address)
            .map(|ip| Endpoint::Literal { ip }),
        Endpoint::AwsTunnelOutside { .. } => None,
    };
    if let Some(endpoint) = endpoint.filter(|_| whole) {
        finding = finding.fix(
            format!(
                "Point {} at public IP {}",
                context.label(cgw.id.as_str()),
                context.label(holder.public_ip.as_str())
            ),
            vec![Change::new(cgw.id.as_str(), "ip_address", endpoint)],
        );
    }
    findings.push(finding);
    true
}

/// BGP-007. Both ends route the same way: BGP on both or static on both [AWS9] [AZ2].
fn routing_mode(context: &Context, link: &Link, findings: &mut Vec<Finding>) {
    let azure = link.azure_bgp() && link.lng.bgp.is_some();
    let aws = link.aws_bgp();
    // Both ends static, but the Azure connection enables BGP that its gateway or local network gateway cannot
    // run: Azure refuses the connection (BGP needs it on the gateway and a peer in the local network gateway
    // [AZ2]), and the exports would carry the contradiction (QA s17b).
    let half_bgp = !aws && link.connection.bgp_enabled && !azure;
    if azure == aws && !half_bgp {
        return;
    }
    let azure_why = if azure {
        "BGP".to_string()
    } else if link.connection.bgp_enabled && !link.gateway.is_some_and(|g| g.bgp_enabled) {
        "static (the connection enables BGP but the gateway does not)".into()
    } else if link.connection.bgp_enabled {
        "static (the connection enables BGP but the local network gateway has no BGP settings)"
            .into()
    } else {
        "static".into()
    };
    let message = if half_bgp {
        format!(
            "Connection {} enables BGP, but {}, while {} routes statically: Azure refuses BGP on a connection \
             whose gateway or local network gateway cannot run it. Expected: BGP off on the connection, as on the \
             AWS end.",
            context.label(link.connection.id.as_str()),
            if link.gateway.is_some_and(|g| g.bgp_enabled) {
                "its local network gateway has no BGP settings"
            } else {
                "its gateway does not"
            },
            link.tunnel_label(context),
        )
    } else {
        format!(
            "Connection {} routes {azure_why} while {} routes {}: both ends must use the same routing mode.",
                context.label(link.connection.id.as_str()),
            link.tunnel_label(context),
            if aws { "dynamically (BGP)" } else { "statically" }
        )
    };
    findings.push(
        Finding::new("BGP-007", Severity::Error, message)
            .subject(link.connection.id.as_str())
            .subject(link.vpn.id.as_str())
            .sources(&["AWS9", "AZ2"])
            .fix_if(routing_mode_fix(context, link, aws)),
    );
}

/// BGP-007's fix: this tunnel's Azure end (its connection and local network gateway, which stand for this tunnel
/// alone) takes the routing mode of the AWS VPN connection, which decides for both of its tunnels. To BGP: the
/// gateway and the connection enable it and the local network gateway peers with AWS's inside address under the
/// VGW's ASN, as Connect sets them up. To static: BGP off on the connection and the local network gateway, which
/// then needs the VPC's ranges as its prefixes. None when the values are not known (no valid inside /30, no VGW).
fn routing_mode_fix(
    context: &Context,
    link: &Link,
    aws_bgp: bool,
) -> Option<(String, Vec<Change>)> {
    let connection = link.connection.id.as_str();
    let lng = link.lng.id.as_str();
    let mut changes = Vec::new();
    if aws_bgp {
        let (aws_ip, azure_ip) = inside_addresses(link.tunnel.inside_cidr)?;
        let asn = link.vgw?.amazon_side_asn;
        let gateway = link.gateway?;
        // A Basic or policy-based gateway runs no BGP [AZ2]: turning it on would trade this error for GW-004.
        if gateway.sku == crate::model::azure::GatewaySku::Basic
            || gateway.vpn_type == crate::model::azure::VpnType::PolicyBased
        {
            return None;
        }
        // An active-standby gateway holds one custom APIPA address [AZ1]: BGP on a second tunnel would only
        // trade this error for GW-006.
        let apipa_limit = azure_facts::ACTIVE_STANDBY_MAX_APIPA.value;
        if !gateway.active_active
            && context.links_of_gateway_indices(gateway.id.as_str()).len() > apipa_limit
        {
            return None;
        }
        if !gateway.bgp_enabled {
            changes.push(Change::new(gateway.id.as_str(), "bgp_enabled", true));
        }
        if !link.connection.bgp_enabled {
            changes.push(Change::new(connection, "bgp_enabled", true));
        }
        if link.lng.bgp.is_none() {
            changes.push(Change::new(
                lng,
                "bgp",
                serde_json::json!({ "asn": asn, "peering_address": aws_ip.to_string() }),
            ));
        }
        // Static prefixes beside BGP are routes Azure still installs, and with BGP on ADDR-007 no longer looks at
        // them: Connect leaves a BGP local network gateway's list empty, and so does this (QA s19 found one left).
        if !link.lng.address_prefixes.is_empty() {
            changes.push(Change::new(
                lng,
                "address_prefixes",
                serde_json::Value::Array(Vec::new()),
            ));
        }
        // Azure's end of the session: the tunnel's second host, in its instance's APIPA list and as the
        // connection's custom address for that instance [AZ1], as Connect sets them (else BGP-006 follows).
        if let Some(instance) = link.instance {
            // The gateway as it will be: the address added to its instance's list, once.
            let mut with_address = gateway.clone();
            if let Some(config) = with_address.ip_configurations.get_mut(instance) {
                if !config.apipa_addresses.contains(&azure_ip) {
                    config.apipa_addresses.push(azure_ip);
                    changes.push(Change::new(
                        gateway.id.as_str(),
                        format!("ip_configurations[{instance}].apipa_addresses"),
                        &config.apipa_addresses,
                    ));
                }
            }
            if let Some(custom) = custom_addresses_with(link, &with_address, instance, azure_ip) {
                if link.connection.custom_bgp_addresses.as_ref() != Some(&custom) {
                    changes.push(Change::new(connection, "custom_bgp_addresses", &custom));
                }
            }
        }
        let summary = format!(
            "Run BGP on the Azure end of {}: {}peer with {aws_ip} (ASN {asn}){}",
            link.tunnel_label_short(),
            if gateway.bgp_enabled {
                ""
            } else {
                "enable BGP on the gateway, "
            },
            if link.lng.address_prefixes.is_empty() {
                ""
            } else {
                ", and drop its static prefixes"
            }
        );
        return (!changes.is_empty()).then_some((summary, changes));
    }
    if link.connection.bgp_enabled {
        changes.push(Change::new(connection, "bgp_enabled", false));
    }
    // Custom BGP addresses mean nothing without BGP; Connect makes a static connection without them.
    if link.connection.custom_bgp_addresses.is_some() {
        changes.push(Change::new(
            connection,
            "custom_bgp_addresses",
            serde_json::Value::Null,
        ));
    }
    if link.lng.bgp.is_some() {
        changes.push(Change::new(lng, "bgp", serde_json::Value::Null));
    }
    if link.lng.address_prefixes.is_empty() {
        let vpc = link.vpc?;
        changes.push(Change::new(
            lng,
            "address_prefixes",
            super::prefixes::ipv4_only(&vpc.cidr_blocks).into_owned(),
        ));
    }
    let summary = format!(
        "Route the Azure end of {} statically, as its VPN connection does",
        link.tunnel_label_short()
    );
    (!changes.is_empty()).then_some((summary, changes))
}

/// BGP-008. Prefixes advertised into a session above the receiver's limit: 100 into one AWS VPN connection
/// [AWS8], 4,000 into Azure [AZ2]. Azure advertises its VNet, every connected local network gateway's prefixes and
/// what it learns over its other BGP sessions [AZ2].
///
/// The state over the links: the VPN connections and local network gateways already counted, and one
/// buffer for every connection's prefixes, sorted and deduplicated to count them (a set per connection was an
/// allocation per node on plans of thousands of tunnels).
struct PrefixLimits<'a> {
    vpns: FastSet<&'a str>,
    lngs: FastSet<&'a str>,
    advertised: Vec<IpNet>,
}

impl<'a> PrefixLimits<'a> {
    fn new(links: usize) -> Self {
        PrefixLimits {
            vpns: set_with_capacity(links),
            lngs: set_with_capacity(links),
            advertised: Vec::new(),
        }
    }

    /// What Azure advertises into the link's VPN connection, once per connection.
    fn toward_aws(&mut self, context: &Context, link: &Link<'a>, findings: &mut Vec<Finding>) {
        let to_aws = aws_facts::MAX_ROUTES_INTO_VPN_CONNECTION;
        let Some(gw) = link.gateway else { return };
        if !self.vpns.insert(link.vpn.id.as_str()) {
            return;
        }
        self.advertised.clear();
        if let Some(vnet) = link.vnet {
            self.advertised
                .extend(vnet.address_space.iter().map(|n| n.trunc()));
        }
        for other in context.links_of_gateway(gw.id.as_str()) {
            self.advertised
                .extend(other.lng.address_prefixes.iter().map(|n| n.trunc()));
            if other.vpn.vpn_gateway != link.vpn.vpn_gateway && bgp_link(other) {
                if let Some(vpc) = other.vpc {
                    self.advertised
                        .extend(vpc.cidr_blocks.iter().map(|n| n.trunc()));
                }
            }
        }
        self.advertised.sort_unstable();
        self.advertised.dedup();
        if self.advertised.len() > to_aws.value {
            findings.push(
                Finding::new(
                    "BGP-008",
                    Severity::Error,
                    format!(
                        "Azure VPN gateway {} advertises {} prefixes into AWS VPN connection {}; AWS accepts at most \
                         {} and resets the session above that. Summarise, or advertise fewer prefixes.",
                        context.label(gw.id.as_str()),
                        self.advertised.len(),
                        context.label(link.vpn.id.as_str()),
                        to_aws.value
                    ),
                )
                .subject(link.vpn.id.as_str())
                .subject(gw.id.as_str())
                .sources(to_aws.sources),
            );
        }
    }

    /// What AWS advertises to Azure over the link's local network gateway, once per gateway.
    fn toward_azure(&mut self, context: &Context, link: &Link<'a>, findings: &mut Vec<Finding>) {
        let to_azure = azure_facts::MAX_PREFIXES_FROM_PEER;
        let Some(vpc) = link.vpc else {
            return;
        };
        if !self.lngs.insert(link.lng.id.as_str()) {
            return;
        }
        self.advertised.clear();
        self.advertised
            .extend(vpc.cidr_blocks.iter().map(|n| n.trunc()));
        self.advertised.sort_unstable();
        self.advertised.dedup();
        if self.advertised.len() > to_azure.value {
            findings.push(
                Finding::new(
                    "BGP-008",
                    Severity::Error,
                    format!(
                        "AWS advertises {} prefixes to Azure over {}; Azure accepts at most {} from a peer.",
                        self.advertised.len(),
                        context.label(link.lng.id.as_str()),
                        to_azure.value
                    ),
                )
                .subject(link.lng.id.as_str())
                .sources(to_azure.sources),
            );
        }
    }
}
