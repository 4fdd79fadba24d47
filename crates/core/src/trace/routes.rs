//! Route lookup with each cloud's precedence, and the walk from a subnet through its gateway and tunnels to the
//! far network.
//!
//! Azure [AZ21]: longest prefix; on a tie user routes beat BGP/gateway routes beat system routes; system routes
//! for the VNet's own space win even over more specific gateway routes. AWS [AWS9]: longest prefix; the local
//! route wins over more specific propagated routes; static routes beat propagated ones on a tie.

use super::{selectors, Block, Direction, Hop, Hops, Tracer};
use crate::model::aws::RouteTarget;
use crate::model::azure::NextHopType;
use crate::review::context::{Network, SubnetRef};
use crate::review::prefixes::cidrs_text;
use crate::review::prefixes::{range, Range, RangeSet};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Borrowed from the plan where possible: tables are built for every traced flow.
#[derive(Clone, Debug, PartialEq)]
enum Target<'a> {
    /// Into the VPN through this gateway (Azure VPN gateway or AWS VGW id).
    Vpn(&'a str),
    Local,
    Elsewhere(Cow<'static, str>),
}

#[derive(Clone, Debug)]
struct Candidate<'a> {
    range: Range,
    prefix_len: u8,
    /// Lower wins a tie of prefix length: 0 user/static, 1 gateway/BGP/propagated, 2 system.
    rank: u8,
    origin: &'static str,
    target: Target<'a>,
    text: String,
}

impl Candidate<'_> {
    fn covers(&self, r: Range) -> bool {
        self.range.0 <= r.0 && r.1 <= self.range.1
    }
}

struct Table<'a> {
    id: Option<&'a str>,
    candidates: Vec<Candidate<'a>>,
    /// Whether gateway routes reach this table (Azure propagation on; AWS propagating an attached VGW).
    propagation: bool,
    /// The gateway of the subnet's network, if any.
    gateway: Option<&'a str>,
    /// The local routes (own address space), which beat more specific gateway routes.
    local: &'a [ipnet::IpNet],
}

fn candidate<'a>(
    net: &ipnet::IpNet,
    rank: u8,
    origin: &'static str,
    target: Target<'a>,
    text: String,
) -> Candidate<'a> {
    Candidate {
        range: range(net),
        prefix_len: net.prefix_len(),
        rank,
        origin,
        target,
        text,
    }
}

impl<'c, 'a> Tracer<'c, 'a> {
    fn table(&self, subnet: SubnetRef<'a>) -> Table<'a> {
        let cx = self.context;
        let explain = self.explain;
        // Route descriptions are written only when the trace is explained.
        macro_rules! cand {
            ($net:expr, $rank:expr, $origin:expr, $target:expr, $text:expr $(,)?) => {
                candidate(
                    $net,
                    $rank,
                    $origin,
                    $target,
                    if explain { $text } else { String::new() },
                )
            };
        }
        match subnet {
            SubnetRef::Azure(vnet, s) => {
                let table = s
                    .route_table
                    .as_ref()
                    .and_then(|id| cx.azure_route_tables.get(id.as_str()));
                let propagation = table.is_none_or(|t| t.bgp_route_propagation);
                let gateway = cx.gateway_by_vnet.get(vnet.id.as_str()).copied();
                let mut candidates = Vec::new();
                for space in &vnet.address_space {
                    candidates.push(cand!(
                        space,
                        2,
                        "system",
                        Target::Local,
                        format!("system route {space} (VnetLocal)"),
                    ));
                }
                {
                    let default = ipnet::IpNet::V4(ipnet::Ipv4Net::default());
                    candidates.push(cand!(
                        &default,
                        2,
                        "system",
                        Target::Elsewhere(Cow::Borrowed("the internet")),
                        "system route 0.0.0.0/0 (Internet)".into(),
                    ));
                }
                if let (Some(g), true) = (gateway, propagation) {
                    for link in cx.links_of_gateway(g.id.as_str()) {
                        for p in &link.lng.address_prefixes {
                            candidates.push(cand!(
                                p,
                                1,
                                "gateway",
                                Target::Vpn(g.id.as_str()),
                                format!(
                                    "gateway route {p} (local network gateway {})",
                                    link.lng.id
                                ),
                            ));
                        }
                        if link.azure_bgp() && link.aws_bgp() {
                            if let Some(vpc) = link.vpc {
                                for p in &vpc.cidr_blocks {
                                    candidates.push(cand!(
                                        p,
                                        1,
                                        "BGP",
                                        Target::Vpn(g.id.as_str()),
                                        format!(
                                            "BGP route {p} learned over {}",
                                            link.connection.id
                                        ),
                                    ));
                                }
                            }
                        }
                    }
                }
                if let Some(t) = table {
                    for r in &t.routes {
                        let target = match r.next_hop_type {
                            NextHopType::VirtualNetworkGateway => match gateway {
                                Some(g) => Target::Vpn(g.id.as_str()),
                                None => Target::Elsewhere(Cow::Borrowed(
                                    "a virtual network gateway the VNet does not have",
                                )),
                            },
                            NextHopType::VnetLocal => Target::Local,
                            NextHopType::Internet => {
                                Target::Elsewhere(Cow::Borrowed("the internet"))
                            }
                            NextHopType::VirtualAppliance => {
                                Target::Elsewhere(Cow::Owned(format!(
                                    "virtual appliance {}",
                                    r.next_hop_ip.map(|i| i.to_string()).unwrap_or_default()
                                )))
                            }
                            NextHopType::None => {
                                Target::Elsewhere(Cow::Borrowed("nowhere (next hop None drops it)"))
                            }
                        };
                        candidates.push(cand!(
                            &r.address_prefix,
                            0,
                            "user",
                            target,
                            format!(
                                "user route {} {} → {}",
                                r.name,
                                r.address_prefix,
                                r.next_hop_type.name()
                            ),
                        ));
                    }
                }
                Table {
                    id: table.map(|t| t.id.as_str()),
                    candidates,
                    propagation,
                    gateway: gateway.map(|g| g.id.as_str()),
                    local: &vnet.address_space,
                }
            }
            SubnetRef::Aws(vpc, s) => {
                let table = match &s.route_table {
                    Some(id) => cx.aws_route_tables.get(id.as_str()).copied(),
                    None => cx.main_route_tables.get(vpc.id.as_str()).copied(),
                };
                let vgw = cx.vgw_by_vpc.get(vpc.id.as_str()).copied();
                let mut candidates = Vec::new();
                for block in &vpc.cidr_blocks {
                    candidates.push(cand!(
                        block,
                        0,
                        "local",
                        Target::Local,
                        format!("local route {block}"),
                    ));
                }
                let mut propagation = false;
                if let Some(t) = table {
                    for r in &t.routes {
                        let target = match &r.target {
                            RouteTarget::VpnGateway(id) if vgw.is_some_and(|v| &v.id == id) => {
                                Target::Vpn(id.as_str())
                            }
                            RouteTarget::VpnGateway(id) => Target::Elsewhere(Cow::Owned(format!(
                                "virtual private gateway {id}, not attached to this VPC"
                            ))),
                            RouteTarget::Blackhole => {
                                Target::Elsewhere(Cow::Borrowed("a blackhole"))
                            }
                            RouteTarget::InternetGateway(id) => {
                                Target::Elsewhere(Cow::Owned(format!("internet gateway {id}")))
                            }
                            RouteTarget::NatGateway(id) => {
                                Target::Elsewhere(Cow::Owned(format!("NAT gateway {id}")))
                            }
                            RouteTarget::NetworkInterface(id) => {
                                Target::Elsewhere(Cow::Owned(format!("network interface {id}")))
                            }
                            RouteTarget::TransitGateway(id) => {
                                Target::Elsewhere(Cow::Owned(format!("transit gateway {id}")))
                            }
                            RouteTarget::VpcPeering(id) => {
                                Target::Elsewhere(Cow::Owned(format!("peering {id}")))
                            }
                        };
                        candidates.push(cand!(
                            &r.destination,
                            0,
                            "static",
                            target,
                            format!("static route {}", r.destination),
                        ));
                    }
                    if let Some(v) = vgw.filter(|v| t.propagating_vgws.contains(&v.id)) {
                        propagation = true;
                        for link in cx.links_of_vgw(v.id.as_str()).iter().map(|i| &cx.links[*i]) {
                            let learned: &[ipnet::IpNet] = if link.vpn.static_routes_only {
                                &link.vpn.static_routes
                            } else if link.azure_bgp() {
                                link.vnet.map(|n| n.address_space.as_slice()).unwrap_or(&[])
                            } else {
                                &[]
                            };
                            for p in learned {
                                candidates.push(cand!(
                                    p,
                                    1,
                                    "propagated",
                                    Target::Vpn(v.id.as_str()),
                                    format!("propagated route {p} from {}", link.vpn.id),
                                ));
                            }
                        }
                    }
                }
                Table {
                    id: table.map(|t| t.id.as_str()),
                    candidates,
                    propagation,
                    gateway: vgw.map(|v| v.id.as_str()),
                    local: &vpc.cidr_blocks,
                }
            }
        }
    }

    /// Follows packets from `src` to `dst` from `subnet` through routing, gateway and tunnels. `Ok(None)` when
    /// the destination is in the subnet's own network; `Ok(Some(links))` with the links that carry it through the
    /// VPN.
    pub(super) fn route(
        &self,
        subnet: SubnetRef<'a>,
        src: Range,
        dst: Range,
        direction: Direction,
        hops: &mut Hops,
    ) -> Result<Option<BTreeSet<usize>>, Block> {
        let cx = self.context;
        let table = self.table(subnet);
        let own = subnet.network();
        // Words for people: a quiet trace (the review's) is re-run explained when it has something to report.
        let table_name = if self.explain {
            table
                .id
                .map(|id| cx.label(id))
                .unwrap_or_else(|| "(default routes)".into())
        } else {
            String::new()
        };
        // Split the destination at every route boundary: inside a piece one route wins throughout.
        let relevant: Vec<&Candidate> = table
            .candidates
            .iter()
            .filter(|c| c.range.0 <= dst.1 && dst.0 <= c.range.1)
            .collect();
        let mut cuts: BTreeSet<u128> = BTreeSet::new();
        cuts.insert(dst.0);
        for c in &relevant {
            if c.range.0 > dst.0 {
                cuts.insert(c.range.0);
            }
            if c.range.1 < dst.1 {
                cuts.insert(c.range.1 + 1);
            }
        }
        let cuts: Vec<u128> = cuts.into_iter().collect();
        let mut used_links: BTreeSet<usize> = BTreeSet::new();
        let mut any_vpn = false;
        for (i, start) in cuts.iter().enumerate() {
            let end = cuts.get(i + 1).map(|n| n - 1).unwrap_or(dst.1);
            let piece = (*start, end);
            let covering: Vec<&&Candidate> = relevant.iter().filter(|c| c.covers(piece)).collect();
            // Longest prefix, then the better origin; among equals the first declared, so the text is stable.
            let mut winner = covering.iter().copied().reduce(|best, c| {
                if (c.prefix_len, std::cmp::Reverse(c.rank))
                    > (best.prefix_len, std::cmp::Reverse(best.rank))
                {
                    c
                } else {
                    best
                }
            });
            // The local exception: the network's own space beats more specific gateway/propagated routes.
            if let Some(w) = winner {
                if w.rank == 1 && RangeSet::prefixes_cover(table.local, piece) {
                    winner = covering
                        .iter()
                        .find(|c| c.target == Target::Local)
                        .copied()
                        .or(winner);
                }
            }
            let piece_text = if self.explain {
                cidrs_text(piece)
            } else {
                String::new()
            };
            let lost_vpn = covering.iter().any(|c| matches!(c.target, Target::Vpn(_)));
            let Some(winner) = winner else {
                return Err(self.no_route(
                    &table,
                    subnet,
                    &table_name,
                    &piece_text,
                    direction,
                    hops,
                ));
            };
            match &winner.target {
                Target::Local => {
                    let dst_network = cx.network_covering(piece);
                    if dst_network.is_none_or(|n| n.id() == own.id()) {
                        hops.push(|| Hop {
                            direction,
                            hop: "route table".into(),
                            object: table.id.map(str::to_string),
                            passed: true,
                            detail: format!(
                                "{table_name}: {piece_text} matches {} ({}), delivered inside {}",
                                winner.text,
                                winner.origin,
                                cx.label(own.id())
                            ),
                        });
                        continue;
                    }
                    // A user route to VnetLocal keeps traffic in the VNet by itself; only a system route
                    // does so because the address spaces overlap.
                    let user = winner.origin == "user";
                    let reason = format!(
                        "{table_name}: {piece_text} matches {}, which keeps it inside {} although it belongs to {}{}",
                        winner.text,
                        cx.label(own.id()),
                        cx.label(dst_network.map(|n| n.id()).unwrap_or("")),
                        if user { "" } else { " (the address spaces overlap)" }
                    );
                    let change = if user {
                        format!(
                            "{}: remove or change the {}",
                            table.id.unwrap_or_default(),
                            winner.text
                        )
                    } else {
                        format!(
                            "make the address spaces of {} and the destination network disjoint",
                            own.id()
                        )
                    };
                    return Err(self.blocked_route(
                        &table,
                        subnet,
                        reason,
                        "RT-003",
                        direction,
                        hops,
                        vec![change],
                    ));
                }
                Target::Elsewhere(where_to) => {
                    let code = if lost_vpn {
                        "RT-003"
                    } else if !table.propagation && table.gateway.is_some() {
                        "RT-002"
                    } else {
                        "RT-001"
                    };
                    let reason = format!(
                        "{table_name}: {piece_text} matches {} ({}), which sends it to {where_to}{}",
                        winner.text,
                        winner.origin,
                        if lost_vpn { ", not through the VPN" } else { "; no route leads through the VPN" }
                    );
                    let changes = if lost_vpn {
                        vec![format!(
                            "{}: remove or narrow the {}",
                            table.id.unwrap_or_default(),
                            winner.text
                        )]
                    } else {
                        self.route_changes(&table, subnet, &piece_text)
                    };
                    return Err(
                        self.blocked_route(&table, subnet, reason, code, direction, hops, changes)
                    );
                }
                Target::Vpn(gateway) => {
                    any_vpn = true;
                    hops.push(|| Hop {
                        direction,
                        hop: "route table".into(),
                        object: table.id.map(str::to_string),
                        passed: true,
                        detail: format!(
                            "{table_name}: {piece_text} matches {} ({}, longest prefix /{}) → gateway {}",
                            winner.text,
                            winner.origin,
                            winner.prefix_len,
                            cx.label(gateway)
                        ),
                    });
                    used_links.extend(self.through_gateway(
                        own,
                        gateway,
                        src,
                        piece,
                        &piece_text,
                        direction,
                        hops,
                    )?);
                }
            }
        }
        Ok(any_vpn.then_some(used_links))
    }

    fn route_changes(&self, table: &Table, subnet: SubnetRef<'a>, piece: &str) -> Vec<String> {
        // A gateway with no tunnel paired with the other cloud has nothing to learn from: connecting it is the
        // change (an AWS VPN connection no Azure connection answers is TUN-011's).
        let linked = |g: &str| {
            !self.context.links_of_gateway_indices(g).is_empty()
                || !self.context.links_of_vgw(g).is_empty()
        };
        match (subnet, &table.gateway) {
            (SubnetRef::Azure(..) | SubnetRef::Aws(..), Some(g)) if !linked(g) => vec![format!(
                "gateway {g}: no tunnel of it is paired with the other cloud; connect it to a gateway there"
            )],
            (SubnetRef::Azure(..), Some(g)) => vec![match &table.id {
                Some(t) if !table.propagation => format!("route table {t}: enable BGP route propagation, or add a user route {piece} → VirtualNetworkGateway"),
                _ => format!("gateway {g}: learn {piece} (BGP, or the local network gateway's address prefixes)"),
            }],
            (SubnetRef::Aws(..), Some(v)) => vec![match &table.id {
                Some(t) if !table.propagation => format!("route table {t}: propagate routes from {v}, or add a static route {piece} → {v}"),
                Some(_) => format!("gateway {v}: learn {piece} (BGP from Azure, or a static route of its VPN connections)"),
                None => format!("associate a route table that routes {piece} to {v}"),
            }],
            (_, None) => vec![format!("network {}: add a VPN gateway", subnet.network().id())],
        }
    }

    fn no_route(
        &self,
        table: &Table,
        subnet: SubnetRef<'a>,
        table_name: &str,
        piece: &str,
        direction: Direction,
        hops: &mut Hops,
    ) -> Block {
        let code = if !table.propagation && table.gateway.is_some() {
            "RT-002"
        } else {
            "RT-001"
        };
        let reason = format!(
            "{table_name}: no route matches {piece}{}",
            if code == "RT-002" {
                " (route propagation is off and no static route covers it)"
            } else {
                ""
            }
        );
        let changes = self.route_changes(table, subnet, piece);
        self.blocked_route(table, subnet, reason, code, direction, hops, changes)
    }

    #[allow(clippy::too_many_arguments)]
    fn blocked_route(
        &self,
        table: &Table,
        subnet: SubnetRef<'a>,
        reason: String,
        code: &'static str,
        direction: Direction,
        hops: &mut Hops,
        changes: Vec<String>,
    ) -> Block {
        hops.push(|| Hop {
            direction,
            hop: "route table".into(),
            object: table.id.map(str::to_string),
            passed: false,
            detail: reason.clone(),
        });
        let mut subjects = vec![subnet.id().to_string()];
        subjects.extend(table.id.map(str::to_string));
        Block {
            hop: "route table",
            reason,
            code: Some(code),
            subjects,
            changes,
        }
    }

    /// From a gateway: the links that carry `piece`, those of them able to come up, whose traffic selectors admit
    /// packets from `src` to `piece`, and the far network.
    #[allow(clippy::too_many_arguments)]
    fn through_gateway(
        &self,
        own: Network<'a>,
        gateway: &str,
        src: Range,
        piece: Range,
        piece_text: &str,
        direction: Direction,
        hops: &mut Hops,
    ) -> Result<BTreeSet<usize>, Block> {
        let cx = self.context;
        let azure_side = matches!(own, Network::Azure(_));
        let from_gateway: Vec<usize> = if azure_side {
            cx.links_of_gateway_indices(gateway).to_vec()
        } else {
            cx.links_of_vgw(gateway).to_vec()
        };
        let carrying: Vec<usize> = from_gateway
            .into_iter()
            .map(|i| (i, &cx.links[i]))
            .filter(|(_, l)| {
                let bgp = l.azure_bgp() && l.aws_bgp() && l.lng.bgp.is_some();
                if azure_side {
                    l.connection.vpn_gateway.as_str() == gateway
                        && (RangeSet::prefixes_cover(&l.lng.address_prefixes, piece)
                            || (bgp
                                && l.vpc.is_some_and(|vpc| {
                                    RangeSet::prefixes_cover(&vpc.cidr_blocks, piece)
                                })))
                } else {
                    l.vpn.vpn_gateway.as_str() == gateway
                        && if l.vpn.static_routes_only {
                            RangeSet::prefixes_cover(&l.vpn.static_routes, piece)
                        } else {
                            bgp && l
                                .vnet
                                .is_some_and(|v| RangeSet::prefixes_cover(&v.address_space, piece))
                        }
                }
            })
            .map(|(i, _)| i)
            .collect();
        if carrying.is_empty() {
            let reason = format!(
                "gateway {} knows no tunnel for {piece_text}: {}",
                cx.label(gateway),
                if azure_side {
                    "no BGP route and no local network gateway prefix covers it"
                } else {
                    "no BGP-learned prefix and no static route of its VPN connections covers it"
                }
            );
            hops.push(|| Hop {
                direction,
                hop: "gateway".into(),
                object: Some(gateway.to_string()),
                passed: false,
                detail: reason.clone(),
            });
            return Err(Block {
                hop: "gateway",
                reason,
                code: Some("RT-001"),
                subjects: vec![gateway.to_string()],
                changes: vec![if azure_side {
                    format!("a local network gateway of {gateway}: add {piece_text} to its address prefixes, or run BGP")
                } else {
                    format!("a VPN connection of {gateway}: add {piece_text} to its static routes, or run BGP")
                }],
            });
        }
        let names = |links: &[usize]| -> String {
            links
                .iter()
                .map(|i| cx.links[*i].tunnel_label(cx))
                .collect::<Vec<_>>()
                .join("; ")
        };
        hops.push(|| Hop {
            direction,
            hop: "gateway".into(),
            object: Some(gateway.to_string()),
            passed: true,
            detail: format!(
                "gateway {} sends {piece_text} into {}",
                cx.label(gateway),
                names(&carrying)
            ),
        });
        let up: Vec<usize> = carrying
            .iter()
            .copied()
            .filter(|i| self.down.get(*i).is_none_or(|c| c.is_empty()))
            .collect();
        if up.is_empty() {
            let why: Vec<String> = carrying
                .iter()
                .map(|i| {
                    format!(
                        "{} ({})",
                        cx.links[*i].tunnel_label(cx),
                        self.down[*i].join(", ")
                    )
                })
                .collect();
            let reason = format!("no tunnel can come up: {}", why.join("; "));
            hops.push(|| Hop {
                direction,
                hop: "tunnel".into(),
                object: None,
                passed: false,
                detail: reason.clone(),
            });
            let mut subjects = Vec::new();
            for i in &carrying {
                subjects.push(cx.links[*i].connection.id.as_str().to_string());
                subjects.push(cx.links[*i].vpn.id.as_str().to_string());
            }
            subjects.dedup();
            return Err(Block {
                hop: "tunnel",
                reason,
                code: None,
                subjects,
                changes: vec!["fix the findings listed for these tunnels".into()],
            });
        }
        let up = self.within_selectors(azure_side, src, piece, piece_text, &up, direction, hops)?;
        hops.push(|| Hop {
            direction,
            hop: "tunnel".into(),
            object: Some(cx.links[up[0]].vpn.id.as_str().to_string()),
            passed: true,
            detail: format!("up: {}", names(&up)),
        });
        // The far end: the partner network must hold the destination.
        let far: Option<Network> = if azure_side {
            cx.links[up[0]].vpc.map(Network::Aws)
        } else {
            cx.links[up[0]].vnet.map(Network::Azure)
        };
        match far {
            Some(n) if RangeSet::prefixes_cover(n.spaces(), piece) => {
                hops.push(|| Hop {
                    direction,
                    hop: "far network".into(),
                    object: Some(n.id().to_string()),
                    passed: true,
                    detail: format!(
                        "{} receives {piece_text} and delivers it locally",
                        cx.label(n.id())
                    ),
                });
                Ok(up.into_iter().collect())
            }
            other => {
                let reason = format!(
                    "the far network {} does not hold {piece_text}",
                    other
                        .map(|n| cx.label(n.id()))
                        .unwrap_or_else(|| "(none)".into())
                );
                hops.push(|| Hop {
                    direction,
                    hop: "far network".into(),
                    object: other.map(|n| n.id().to_string()),
                    passed: false,
                    detail: reason.clone(),
                });
                Err(Block {
                    hop: "far network",
                    reason,
                    code: Some("RT-001"),
                    subjects: other.map(|n| vec![n.id().to_string()]).unwrap_or_default(),
                    changes: vec![format!("route {piece_text} to the network that holds it")],
                })
            }
        }
    }
    /// The tunnels that are up, when the negotiated traffic selectors of every one of them admit packets from
    /// `src` to `piece` (see `selectors`). A tunnel that is up takes its share of what the gateway sends (Azure
    /// spreads flows over its tunnels; a VGW chooses one [AWS9]), so one whose SA leaves the packets out loses
    /// them: blocked at the tunnel, TUN-014, naming those tunnels, what their SAs carry and which end narrows them.
    #[allow(clippy::too_many_arguments)]
    fn within_selectors(
        &self,
        azure_side: bool,
        src: Range,
        piece: Range,
        piece_text: &str,
        up: &[usize],
        direction: Direction,
        hops: &mut Hops,
    ) -> Result<Vec<usize>, Block> {
        let cx = self.context;
        let (azure, aws) = if azure_side {
            (src, piece)
        } else {
            (piece, src)
        };
        if !(selectors::is_ipv4(azure) && selectors::is_ipv4(aws)) {
            return Err(self.ipv6_through_vgw(src, piece_text, up, direction, hops));
        }
        let excluded: Vec<(usize, (bool, bool))> = up
            .iter()
            .filter_map(|i| {
                selectors::excluded_by(&cx.links[*i], azure, aws)
                    .err()
                    .map(|why| (*i, why))
            })
            .collect();
        if excluded.is_empty() {
            return Ok(up.to_vec());
        }
        // Tunnels grouped by what their SA carries: four tunnels usually say one thing.
        let mut carried: Vec<(String, Vec<String>)> = Vec::new();
        for (i, _) in &excluded {
            let link = &cx.links[*i];
            let sa = selectors::describe(link);
            match carried.iter_mut().find(|(d, _)| *d == sa) {
                Some((_, tunnels)) => tunnels.push(link.tunnel_label(cx)),
                None => carried.push((sa, vec![link.tunnel_label(cx)])),
            }
        }
        let what: Vec<String> = carried
            .iter()
            .map(|(sa, tunnels)| {
                format!(
                    "{} carr{} {sa}",
                    tunnels.join(", "),
                    if tunnels.len() == 1 { "ies" } else { "y" }
                )
            })
            .collect();
        let packets = format!("{} → {piece_text}", cidrs_text(src));
        let reason = if excluded.len() == up.len() {
            format!(
                "the traffic selectors of the tunnels that are up do not include {packets}: {}",
                what.join("; ")
            )
        } else {
            let others: Vec<String> = up
                .iter()
                .filter(|i| !excluded.iter().any(|(e, _)| e == *i))
                .map(|i| cx.links[*i].tunnel_label(cx))
                .collect();
            format!(
                "some tunnels that are up leave {packets} out of their traffic selectors ({}), so what the \
                 gateway sends into them is lost; only {} would carry it",
                what.join("; "),
                others.join(", ")
            )
        };
        hops.push(|| Hop {
            direction,
            hop: "tunnel".into(),
            // The VPN connection, as for a tunnel that passes: it is drawn as a node, the Azure connection only
            // as a line.
            object: Some(cx.links[excluded[0].0].vpn.id.as_str().to_string()),
            passed: false,
            detail: reason.clone(),
        });
        let mut subjects = Vec::new();
        let (mut by_azure, mut by_aws): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
        for (i, (azure_narrows, aws_narrows)) in &excluded {
            let link = &cx.links[*i];
            subjects.push(link.connection.id.as_str().to_string());
            subjects.push(link.vpn.id.as_str().to_string());
            if *azure_narrows {
                by_azure.push(link.connection.id.as_str());
            }
            if *aws_narrows {
                by_aws.push(link.vpn.id.as_str());
            }
        }
        subjects.sort();
        subjects.dedup();
        by_azure.sort_unstable();
        by_azure.dedup();
        by_aws.sort_unstable();
        by_aws.dedup();
        let mut changes = Vec::new();
        if !by_azure.is_empty() {
            changes.push(format!(
                "connection{} {}: use route-based traffic selectors, or a selector pair that covers the flow",
                if by_azure.len() == 1 { "" } else { "s" },
                by_azure.join(", ")
            ));
        }
        if !by_aws.is_empty() {
            changes.push(format!(
                "VPN connection{} {}: local and remote IPv4 network CIDRs that cover the flow (0.0.0.0/0 each by \
                 default)",
                if by_aws.len() == 1 { "" } else { "s" },
                by_aws.join(", ")
            ));
        }
        Err(Block {
            hop: "tunnel",
            reason,
            code: Some("TUN-014"),
            subjects,
            changes,
        })
    }
}

impl<'c, 'a> Tracer<'c, 'a> {
    /// IPv6 packets at tunnels to a virtual private gateway: a VGW has no IPv6 VPN (that needs a transit gateway)
    /// [AWS1] [AWS3], and the review's VPN connections all end at one, so their SAs are IPv4 only. TUN-014, at the
    /// tunnel.
    fn ipv6_through_vgw(
        &self,
        src: Range,
        piece_text: &str,
        up: &[usize],
        direction: Direction,
        hops: &mut Hops,
    ) -> Block {
        let cx = self.context;
        let reason = format!(
            "{} → {piece_text} is IPv6, and the VPN connections to a virtual private gateway carry IPv4 only (an \
             IPv6 VPN needs a transit gateway)",
            cidrs_text(src)
        );
        hops.push(|| Hop {
            direction,
            hop: "tunnel".into(),
            object: Some(cx.links[up[0]].vpn.id.as_str().to_string()),
            passed: false,
            detail: reason.clone(),
        });
        let mut subjects: Vec<String> = up
            .iter()
            .map(|i| cx.links[*i].vpn.id.as_str().to_string())
            .collect();
        subjects.sort();
        subjects.dedup();
        Block {
            hop: "tunnel",
            reason,
            code: Some("TUN-014"),
            subjects,
            changes: vec![
                "declare the flow between IPv4 subnets; IPv6 across the VPN needs a transit gateway, which this \
                 design does not have"
                    .into(),
            ],
        }
    }
}
