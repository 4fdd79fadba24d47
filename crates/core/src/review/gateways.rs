//! GW: gateways. The Azure gateway subnet (name, size, what is attached to it), SKU features and capacity,
//! APIPA limits of active-standby gateways, redundancy of each site pair, and active-active public IPs.

use super::context::{Context, Link};
use super::{Change, Finding, Severity};
use crate::facts::{aws as aws_facts, azure as azure_facts};
use crate::hash::FastMap;
use crate::model::azure::{AllocationMethod, ConnectionProtocol, GatewaySku, PublicIpSku, VpnType};
use std::collections::BTreeSet;

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let mut redundancy = Redundancy::new(context);
    for (i, link) in context.links.iter().enumerate() {
        redundancy.link(i, link);
    }
    redundancy.finish(context, findings);
    gateway_checks(context, findings);
}

/// The checks of the gateways themselves (GW-007's per-link part is [`Redundancy`]).
pub(crate) fn gateway_checks(context: &Context, findings: &mut Vec<Finding>) {
    gateway_subnet_missing(context, findings);
    gateway_subnet_size(context, findings);
    gateway_subnet_attachments(context, findings);
    sku_features(context, findings);
    retired_skus(context, findings);
    capacity(context, findings);
    active_standby_apipa(context, findings);
    active_active_public_ips(context, findings);
}

fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// GW-001. A VNet with a VPN gateway needs a subnet named exactly `GatewaySubnet` [AZ2]. A subnet whose name
/// differs only in case or punctuation (`gateway-subnet`, `Gatewaysubnet`) is the one meant: the fix renames it.
pub fn gateway_subnet_missing(context: &Context, findings: &mut Vec<Finding>) {
    let name = azure_facts::GATEWAY_SUBNET_NAME;
    for gateway in &context.design.azure.vpn_gateways {
        let Some(vnet) = context.vnet_of_gateway(gateway) else {
            continue;
        };
        if vnet.subnets.iter().any(|s| s.name == name.value) {
            continue;
        }
        let near = vnet
            .subnets
            .iter()
            .find(|s| squash(&s.name) == squash(name.value));
        let mut finding = Finding::new(
            "GW-001",
            Severity::Error,
            format!(
                "Azure VNet {} holds VPN gateway {} but has no subnet named exactly `{}`{}.",
                context.label(vnet.id.as_str()),
                context.label(gateway.id.as_str()),
                name.value,
                near.map(|s| format!(" (subnet {} is named `{}`)", s.id, s.name))
                    .unwrap_or_default()
            ),
        )
        .subject(vnet.id.as_str())
        .subject(gateway.id.as_str())
        .sources(name.sources);
        if let Some(s) = near {
            finding = finding.subject(s.id.as_str()).fix(
                format!("Rename subnet {} to {}", s.id, name.value),
                vec![Change::new(s.id.as_str(), "name", name.value)],
            );
        }
        findings.push(finding);
    }
}

/// GW-002. GatewaySubnet at least /29 (error) and /27 or larger as recommended (warning) [AZ2] [AZ12].
pub fn gateway_subnet_size(context: &Context, findings: &mut Vec<Finding>) {
    let min = azure_facts::GATEWAY_SUBNET_MIN_PREFIX;
    let recommended = azure_facts::GATEWAY_SUBNET_RECOMMENDED_PREFIX;
    for vnet in &context.design.azure.vnets {
        for subnet in vnet
            .subnets
            .iter()
            .filter(|s| s.is_gateway_subnet() && s.cidr.addr().is_ipv4())
        {
            let len = subnet.cidr.prefix_len();
            let (severity, expected, sources) = if len > min.value {
                (
                    Severity::Error,
                    format!("Azure requires /{} or larger", min.value),
                    min.sources,
                )
            } else if len > recommended.value {
                (
                    Severity::Warning,
                    format!("Azure recommends /{} or larger", recommended.value),
                    recommended.sources,
                )
            } else {
                continue;
            };
            findings.push(
                Finding::new(
                    "GW-002",
                    severity,
                    format!(
                        "GatewaySubnet {} of {} is {}, a /{len}: {expected}.",
                        context.label(subnet.id.as_str()),
                        context.label(vnet.id.as_str()),
                        subnet.cidr
                    ),
                )
                .subject(subnet.id.as_str())
                .subject(vnet.id.as_str())
                .sources(sources),
            );
        }
    }
}

/// GW-003. No NSG on GatewaySubnet, no 0.0.0.0/0 user route, and BGP route propagation left on [AZ12] [AZ21].
pub fn gateway_subnet_attachments(context: &Context, findings: &mut Vec<Finding>) {
    for vnet in &context.design.azure.vnets {
        for subnet in vnet.subnets.iter().filter(|s| s.is_gateway_subnet()) {
            let sid = subnet.id.as_str();
            if let Some(nsg) = &subnet.nsg {
                findings.push(
                    Finding::new(
                        "GW-003",
                        Severity::Error,
                        format!(
                            "GatewaySubnet {} has NSG {} associated: Azure blocks creating a gateway in a \
                             GatewaySubnet with an NSG. Expected: no NSG.",
                            context.label(sid),
                            context.label(nsg.as_str())
                        ),
                    )
                    .subject(sid)
                    .subject(nsg.as_str())
                    .sources(&["AZ12"])
                    .fix("Remove the NSG from GatewaySubnet", vec![Change::new(sid, "nsg", ())]),
                );
            }
            let Some(table) = subnet
                .route_table
                .as_ref()
                .and_then(|id| context.azure_route_tables.get(id.as_str()))
            else {
                continue;
            };
            let tid = table.id.as_str();
            for (i, route) in table.routes.iter().enumerate() {
                if route.address_prefix.prefix_len() == 0 {
                    findings.push(
                        Finding::new(
                            "GW-003",
                            Severity::Error,
                            format!(
                                "Route table {} on GatewaySubnet {} has user route `{}` for {} (next hop {}): \
                                 0.0.0.0/0 user routes on GatewaySubnet are not supported and block the gateway.",
                                context.label(tid),
                                context.label(sid),
                                route.name,
                                route.address_prefix,
                                route.next_hop_type.name()
                            ),
                        )
                        .subject(sid)
                        .subject(tid)
                        .sources(&["AZ12"])
                        .fix(
                            format!("Delete route {} (routes[{i}])", route.name),
                            vec![Change::new(
                                tid,
                                "routes",
                                table
                                    .routes
                                    .iter()
                                    .enumerate()
                                    .filter(|(j, _)| *j != i)
                                    .map(|(_, r)| r)
                                    .collect::<Vec<_>>(),
                            )],
                        ),
                    );
                }
            }
            if !table.bgp_route_propagation {
                findings.push(
                    Finding::new(
                        "GW-003",
                        Severity::Error,
                        format!(
                            "Route table {} on GatewaySubnet {} has BGP route propagation disabled: the gateway \
                             won't function. Expected: propagation enabled.",
                            context.label(tid),
                            context.label(sid)
                        ),
                    )
                    .subject(sid)
                    .subject(tid)
                    .sources(&["AZ12", "AZ21"])
                    .fix(
                        "Enable BGP route propagation",
                        vec![Change::new(tid, "bgp_route_propagation", true)],
                    ),
                );
            }
        }
    }
}

/// GW-009 (beyond the catalogue). A SKU Azure retired (Standard, HighPerformance: an error, it cannot be created)
/// or is migrating away from (the non-AZ VpnGw1–5: a warning, "should not be used to create new VPN gateways")
/// [AZ2] [AZ10]. The fix is the SKU Azure moves it to, which comes in the same generation.
fn retired_skus(context: &Context, findings: &mut Vec<Finding>) {
    for gateway in &context.design.azure.vpn_gateways {
        let Some(successor) = azure_facts::sku_successor(gateway.sku) else {
            continue;
        };
        let (to, retired) = successor.value;
        let gid = gateway.id.as_str();
        findings.push(
            Finding::new(
                "GW-009",
                if retired {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                if retired {
                    format!(
                        "Azure VPN gateway {} uses the {} SKU, which Azure has retired and migrated to {}: a new \
                         gateway cannot be created with it.",
                        context.label(gid),
                        gateway.sku.name(),
                        to.name()
                    )
                } else {
                    format!(
                        "Azure VPN gateway {} uses the {} SKU, which Azure is migrating to {} and says should not \
                         be used to create new VPN gateways.",
                        context.label(gid),
                        gateway.sku.name(),
                        to.name()
                    )
                },
            )
            .subject(gid)
            .sources(successor.sources)
            .fix(
                format!("Use {} for {gid}", to.name()),
                vec![Change::new(gid, "sku", to.name())],
            ),
        );
    }
}

/// GW-004. Features the SKU or VPN type lacks: Basic has no BGP, custom policy, active-active or IKEv1 on
/// route-based gateways [AZ2] [AZ10] [AZ14]; a policy-based gateway is Basic only, IKEv1 only, with one
/// site-to-site tunnel, no BGP and no active-active [AZ2] [AZ15] [AZ10] [AZ14].
pub fn sku_features(context: &Context, findings: &mut Vec<Finding>) {
    let basic = azure_facts::BASIC_SKU_LIMITS;
    let policy_based = azure_facts::POLICY_BASED_LIMITS;
    for gateway in &context.design.azure.vpn_gateways {
        let gid = gateway.id.as_str();
        let connections = context.connections_of(gid);
        let mut unsupported: Vec<(String, Vec<&str>, crate::facts::Fact<&str>)> = Vec::new();
        let generations = azure_facts::generations(gateway.sku);
        if let [only] = generations.value {
            if *only != gateway.generation {
                findings.push(
                    Finding::new(
                        "GW-004",
                        Severity::Error,
                        format!(
                            "Azure VPN gateway {} is a {} of {}, which Azure does not offer: the {} SKU comes in \
                             {} only.",
                            context.label(gid),
                            gateway.sku.name(),
                            gateway.generation.name(),
                            gateway.sku.name(),
                            only.name()
                        ),
                    )
                    .subject(gid)
                    .sources(generations.sources)
                    .fix(
                        format!("Make {gid} a {} gateway", only.name()),
                        vec![Change::new(gid, "generation", only.name())],
                    ),
                );
            }
        }
        if gateway.sku == GatewaySku::Basic {
            if gateway.bgp_enabled {
                unsupported.push(("BGP".into(), vec![], basic));
            }
            if gateway.active_active {
                unsupported.push(("active-active".into(), vec![], basic));
            }
            for c in connections {
                if c.ipsec_policy.is_some() {
                    unsupported.push((
                        format!(
                            "a custom IPsec/IKE policy on connection {}",
                            context.label(c.id.as_str())
                        ),
                        vec![c.id.as_str()],
                        basic,
                    ));
                }
                if gateway.vpn_type == VpnType::RouteBased
                    && c.connection_protocol == ConnectionProtocol::IkeV1
                {
                    unsupported.push((
                        format!("IKEv1 on connection {}", context.label(c.id.as_str())),
                        vec![c.id.as_str()],
                        basic,
                    ));
                }
            }
        }
        if gateway.vpn_type == VpnType::PolicyBased {
            if gateway.bgp_enabled {
                unsupported.push(("BGP on a policy-based gateway".into(), vec![], policy_based));
            }
            if gateway.sku != GatewaySku::Basic {
                unsupported.push((
                    format!(
                        "the policy-based VPN type on the {} SKU",
                        gateway.sku.name()
                    ),
                    vec![],
                    policy_based,
                ));
            }
            if gateway.active_active {
                unsupported.push((
                    "active-active on a policy-based gateway".into(),
                    vec![],
                    policy_based,
                ));
            }
            for c in connections {
                if c.connection_protocol == ConnectionProtocol::IkeV2 {
                    unsupported.push((
                        format!(
                            "IKEv2 on connection {} of a policy-based gateway",
                            context.label(c.id.as_str())
                        ),
                        vec![c.id.as_str()],
                        policy_based,
                    ));
                }
            }
            if connections.len() > 1 {
                unsupported.push((
                    format!(
                        "{} site-to-site connections on a policy-based gateway",
                        connections.len()
                    ),
                    connections.iter().map(|c| c.id.as_str()).collect(),
                    policy_based,
                ));
            }
        }
        for (feature, subjects, limits) in unsupported {
            let mut f = Finding::new(
                "GW-004",
                Severity::Error,
                format!(
                    "Azure VPN gateway {} ({} {}, {}) uses {feature}, which it does not support. {}.",
                    context.label(gid),
                    gateway.sku.name(),
                    gateway.generation.name(),
                    gateway.vpn_type.name(),
                    limits.value
                ),
            )
            .subject(gid)
            .sources(limits.sources);
            for s in subjects {
                f = f.subject(s);
            }
            findings.push(f);
        }
    }
}

/// GW-005. Tunnels above the SKU's limit [AZ10]; more VPN connections on one VGW than the quota [AWS8].
/// An active-active gateway builds one tunnel per instance for every connection [AZ14].
pub fn capacity(context: &Context, findings: &mut Vec<Finding>) {
    for gateway in &context.design.azure.vpn_gateways {
        let connections = context.connections_of(gateway.id.as_str()).len();
        let tunnels = connections * if gateway.active_active { 2 } else { 1 };
        let limit = azure_facts::max_tunnels(gateway.sku);
        if tunnels > limit.value {
            findings.push(
                Finding::new(
                    "GW-005",
                    Severity::Error,
                    format!(
                        "Azure VPN gateway {} ({}) would carry {tunnels} tunnels ({connections} connections{}); \
                         the SKU allows {}.",
                        context.label(gateway.id.as_str()),
                        gateway.sku.name(),
                        if gateway.active_active { " on two active-active instances" } else { "" },
                        limit.value
                    ),
                )
                .subject(gateway.id.as_str())
                .sources(limit.sources),
            );
        }
    }
    let mut per_vgw: FastMap<&str, Vec<&str>> =
        crate::hash::map_with_capacity(context.design.aws.vpn_gateways.len());
    for c in &context.design.aws.vpn_connections {
        per_vgw
            .entry(c.vpn_gateway.as_str())
            .or_default()
            .push(c.id.as_str());
    }
    let quota = aws_facts::MAX_VPN_CONNECTIONS_PER_VGW;
    for vgw in &context.design.aws.vpn_gateways {
        let Some(connections) = per_vgw.get(vgw.id.as_str()) else {
            continue;
        };
        if connections.len() > quota.value {
            findings.push(
                Finding::new(
                    "GW-005",
                    Severity::Error,
                    format!(
                        "AWS virtual private gateway {} has {} VPN connections; the quota is {} per virtual private \
                         gateway.",
                        context.label(vgw.id.as_str()),
                        connections.len(),
                        quota.value
                    ),
                )
                .subject(vgw.id.as_str())
                .sources(quota.sources),
            );
        }
    }
}

/// GW-006. An active-standby gateway supports one custom APIPA address, so it cannot terminate several AWS
/// tunnels (each needs its own /30) [AZ1].
pub fn active_standby_apipa(context: &Context, findings: &mut Vec<Finding>) {
    let limit = azure_facts::ACTIVE_STANDBY_MAX_APIPA;
    for gateway in context
        .design
        .azure
        .vpn_gateways
        .iter()
        .filter(|g| !g.active_active)
    {
        let mut addresses: BTreeSet<std::net::Ipv4Addr> = gateway
            .ip_configurations
            .iter()
            .flat_map(|c| c.apipa_addresses.iter().copied())
            .collect();
        for c in context.connections_of(gateway.id.as_str()) {
            if let Some(custom) = &c.custom_bgp_addresses {
                addresses.insert(custom.primary_address);
            }
        }
        // Each BGP tunnel needs Azure's address from its own /30, so several BGP tunnels need several addresses
        // even before any is written down (audit s18: one address and two tunnels had no GW-006 until BGP-006's
        // fixes added the second address).
        let tunnels = context.bgp_tunnels_of(gateway.id.as_str());
        if addresses.len() <= limit.value && tunnels > limit.value {
            // Named in the message: the /30s of those tunnels (only now, for a gateway in error).
            let list: Vec<String> = context
                .bgp_tunnel_nets(gateway.id.as_str())
                .iter()
                .map(|n| n.to_string())
                .collect();
            findings.push(
                Finding::new(
                    "GW-006",
                    Severity::Error,
                    format!(
                        "Azure VPN gateway {} is active-standby but runs BGP over {} AWS tunnels ({}), each needing \
                         its own custom APIPA address from its /30: an active-standby gateway supports only {}. \
                         Enable active-active, or route these tunnels statically.",
                        context.label(gateway.id.as_str()),
                        tunnels,
                        list.join(", "),
                        limit.value
                    ),
                )
                .subject(gateway.id.as_str())
                .sources(limit.sources),
            );
        } else if addresses.len() > limit.value {
            let list: Vec<String> = addresses.iter().map(|a| a.to_string()).collect();
            findings.push(
                Finding::new(
                    "GW-006",
                    Severity::Error,
                    format!(
                        "Azure VPN gateway {} is active-standby but uses {} custom APIPA addresses ({}): an \
                         active-standby gateway supports only {}. Enable active-active to terminate several AWS \
                         tunnels.",
                        context.label(gateway.id.as_str()),
                        addresses.len(),
                        list.join(", "),
                        limit.value
                    ),
                )
                .subject(gateway.id.as_str())
                .sources(limit.sources),
            );
        }
    }
}

/// The links grouped by site pair (Azure gateway, AWS gateway) for GW-007, in the order the pairs first appear,
/// which keeps the reading of each pair's links in step with the pass over the links rather than in hash order.
pub(crate) struct Redundancy<'a> {
    pair_index: FastMap<(&'a str, &'a str), usize>,
    pairs: Vec<((&'a str, &'a str), Vec<usize>)>,
}

impl<'a> Redundancy<'a> {
    pub(crate) fn new(context: &Context) -> Self {
        Redundancy {
            pair_index: crate::hash::map_with_capacity(context.links.len()),
            pairs: Vec::new(),
        }
    }

    /// Link `i` of the context's links.
    pub(crate) fn link(&mut self, i: usize, link: &Link<'a>) {
        let key = (
            link.connection.vpn_gateway.as_str(),
            link.vpn.vpn_gateway.as_str(),
        );
        let pairs = &mut self.pairs;
        let at = *self.pair_index.entry(key).or_insert_with(|| {
            pairs.push((key, Vec::new()));
            pairs.len() - 1
        });
        pairs[at].1.push(i);
    }

    pub(crate) fn finish(self, context: &Context, findings: &mut Vec<Finding>) {
        redundancy(context, self.pairs, findings);
    }
}

/// GW-007. A site pair (Azure gateway, AWS gateway) carried by a single tunnel, a single AWS VPN connection or
/// a single Azure instance has no redundancy [AZ14] [AWS1].
fn redundancy(
    context: &Context,
    pairs: Vec<((&str, &str), Vec<usize>)>,
    findings: &mut Vec<Finding>,
) {
    for ((gateway_id, vgw_id), links) in pairs {
        // Whether the pair's links all share one VPN connection, and all one instance: compared with the first,
        // without collecting sets (a plan of thousands of networks has thousands of pairs).
        let first = &context.links[links[0]];
        let one_vpn = links
            .iter()
            .all(|i| context.links[*i].vpn.id == first.vpn.id);
        let one_instance = links
            .iter()
            .all(|i| context.links[*i].instance == first.instance);
        let active_active = first.gateway.is_some_and(|g| g.active_active);
        if links.len() > 1 && !one_vpn && active_active && !one_instance {
            continue;
        }
        let mut weak = Vec::new();
        if links.len() == 1 {
            weak.push("a single tunnel".to_string());
        }
        if one_vpn {
            weak.push(format!(
                "a single AWS VPN connection ({})",
                first.vpn.id.as_str()
            ));
        }
        if !active_active || one_instance {
            weak.push("a single Azure gateway instance".to_string());
        }
        findings.push(
            Finding::new(
                "GW-007",
                Severity::Warning,
                format!(
                    "The path between Azure VPN gateway {} and AWS gateway {} rests on {}: one failure or \
                     maintenance event cuts it. Expected: two AWS VPN connections of two tunnels each, to an \
                     active-active Azure gateway.",
                    context.label(gateway_id),
                    context.label(vgw_id),
                    weak.join(", ")
                ),
            )
            .subject(gateway_id)
            .subject(vgw_id)
            .sources(&["AZ14", "AWS1"]),
        );
    }
}

/// GW-008. Active-active needs two public IPs, both Standard SKU and Static [AZ14]; an active-standby gateway is
/// one instance with one IP configuration (its second public IP and what points at it serve nothing).
pub fn active_active_public_ips(context: &Context, findings: &mut Vec<Finding>) {
    let fact = azure_facts::ACTIVE_ACTIVE_PUBLIC_IPS;
    for gateway in context
        .design
        .azure
        .vpn_gateways
        .iter()
        .filter(|g| !g.active_active && g.ip_configurations.len() > 1)
    {
        let gid = gateway.id.as_str();
        let mut f = Finding::new(
            "GW-008",
            Severity::Error,
            format!(
                "Azure VPN gateway {} is active-standby with {} IP configurations: an active-standby gateway has \
                 one instance and one IP configuration, so Azure refuses the others and the tunnels of instance \
                 1 have no gateway. Expected: active-active, or one IP configuration (remove the links of \
                 instance 1 first).",
                context.label(gid),
                gateway.ip_configurations.len(),
            ),
        )
        .subject(gid)
        .sources(fact.sources);
        // Back to active-active is the one change that leaves every tunnel a gateway; going down to one
        // instance means removing links, which is not a field change.
        // Basic and policy-based gateways cannot be active-active [AZ2] [AZ14] (GW-004 would follow).
        if gateway.ip_configurations.len() == fact.value
            && gateway.sku != GatewaySku::Basic
            && gateway.vpn_type != VpnType::PolicyBased
        {
            f = f.fix(
                format!("Make {gid} active-active again"),
                vec![Change::new(gid, "active_active", true)],
            );
        }
        findings.push(f);
    }
    for gateway in context
        .design
        .azure
        .vpn_gateways
        .iter()
        .filter(|g| g.active_active)
    {
        let gid = gateway.id.as_str();
        if gateway.ip_configurations.len() != fact.value {
            findings.push(
                Finding::new(
                    "GW-008",
                    Severity::Error,
                    format!(
                        "Azure VPN gateway {} is active-active with {} IP configuration(s); active-active needs \
                         exactly {} public IPs, Standard SKU and Static.",
                        context.label(gid),
                        gateway.ip_configurations.len(),
                        fact.value
                    ),
                )
                .subject(gid)
                .sources(fact.sources),
            );
        }
        let mut seen = BTreeSet::new();
        for config in &gateway.ip_configurations {
            let Some(pip) = context.public_ips.get(config.public_ip.as_str()) else {
                continue;
            };
            if !seen.insert(pip.id.as_str()) {
                findings.push(
                    Finding::new(
                        "GW-008",
                        Severity::Error,
                        format!(
                            "Azure VPN gateway {} uses public IP {} for both instances: active-active needs two \
                             distinct public IPs.",
                            context.label(gid),
                            context.label(pip.id.as_str())
                        ),
                    )
                    .subject(gid)
                    .subject(pip.id.as_str())
                    .sources(fact.sources),
                );
            }
            if pip.sku != PublicIpSku::Standard || pip.allocation_method != AllocationMethod::Static
            {
                findings.push(
                    Finding::new(
                        "GW-008",
                        Severity::Error,
                        format!(
                            "Public IP {} of active-active gateway {} is {} / {}; active-active needs Standard \
                             SKU and Static allocation.",
                            context.label(pip.id.as_str()),
                            context.label(gid),
                            match pip.sku {
                                PublicIpSku::Basic => "Basic",
                                PublicIpSku::Standard => "Standard",
                            },
                            match pip.allocation_method {
                                AllocationMethod::Static => "Static",
                                AllocationMethod::Dynamic => "Dynamic",
                            }
                        ),
                    )
                    .subject(gid)
                    .subject(pip.id.as_str())
                    .sources(fact.sources)
                    .fix(
                        "Make the public IP Standard and Static",
                        vec![
                            Change::new(pip.id.as_str(), "sku", "Standard"),
                            Change::new(pip.id.as_str(), "allocation_method", "Static"),
                        ],
                    ),
                );
            }
        }
    }
}
