//! Flow trace: a packet (or a whole declared flow, as a set of packets) followed hop by hop in both directions,
//! the way AWS Reachability Analyzer explains a path. Forward: the source's outbound rules, its route table (which
//! route won and why), the gateway and the tunnels that carry the destination (and whether the review lets them
//! come up), the far network, the destination's inbound rules. Return: the destination's route table back to the
//! source, and whether the reply leaves through the same tunnels. NSGs and security groups are stateful, so the
//! return path checks routing and the stateless AWS network ACLs, which see replies as traffic to the client's
//! ephemeral ports.
//!
//! The verdict is "delivered" or "blocked" at a named hop, with the reason, the review code it corresponds to, and
//! every setting that would have to change.

mod ends;
mod routes;
pub mod rules;
mod selectors;

use crate::model::common::{PortRange, Protocol};
use crate::model::flow::{Flow, FlowEndpoint};
use crate::model::{ObjectId, Plan};
use crate::review::context::{Context, SubnetRef};
use crate::review::prefixes::{address_number, range, Range};
use crate::review::{Finding, Severity};
use rules::Cube;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::net::IpAddr;

/// Where a traced packet starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Any address of a subnet of the plan.
    Subnet(String),
    /// One address, inside a subnet of the plan.
    Address(IpAddr),
}

/// What to trace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub from: Source,
    pub to: IpAddr,
    pub protocol: Protocol,
    #[serde(default)]
    pub port: Option<u16>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Forward,
    Return,
}

/// One step of the path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hop {
    pub direction: Direction,
    /// What the hop is: "source outbound rules", "route table", "gateway", "tunnel", "far network",
    /// "destination inbound rules".
    pub hop: String,
    /// The object deciding at this hop, if any.
    pub object: Option<ObjectId>,
    pub passed: bool,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Delivered,
    Blocked {
        direction: Direction,
        hop: String,
        reason: String,
        /// The review code this block corresponds to; `None` when the review already reports the cause under
        /// another code (a tunnel that cannot come up).
        code: Option<String>,
        /// Ids of the objects to change.
        subjects: Vec<ObjectId>,
        /// Every setting that would have to change for the packet to pass.
        changes: Vec<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub hops: Vec<Hop>,
    pub verdict: Verdict,
    /// Warnings met on a delivered path (an asymmetric return path, RT-004).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Trace {
    pub fn delivered(&self) -> bool {
        self.verdict == Verdict::Delivered
    }
}

/// Traces every declared flow of the plan (the review's RT codes, SEC-001 and SEC-002 come from these), given the review's
/// tunnel findings. A flow whose ends no machine can use is blocked at that end (RT-006); `None` only for a flow
/// naming a subnet the plan lacks, which the loader refuses.
pub(crate) fn trace_flows<'p>(
    context: &Context<'p>,
    findings: &[Finding],
) -> Vec<(&'p Flow, Option<Trace>)> {
    let down = tunnels_down(context, findings);
    let tracer = Tracer {
        context,
        down: &down,
        explain: false,
    };
    let explaining = Tracer {
        context,
        down: &down,
        explain: true,
    };
    // Traces run quietly; a flow with something to report is traced again with its explanation.
    context
        .design
        .flows
        .iter()
        .map(|f| {
            let quiet = tracer.flow(f);
            match quiet {
                Some(t) if !t.delivered() || !t.warnings.is_empty() => (f, explaining.flow(f)),
                other => (f, other),
            }
        })
        .collect()
}

/// Runs `f` with an explaining tracer over `plan`: the context and the tunnels' health (from the review's tunnel,
/// IKE and BGP checks, so trace and review always agree) built once, as every public entry point needs them.
fn with_tracer<R>(plan: &Plan, f: impl FnOnce(&Tracer) -> R) -> R {
    let context = Context::new(plan);
    let down = tunnels_down(&context, &crate::review::review_tunnels(&context));
    f(&Tracer {
        context: &context,
        down: &down,
        explain: true,
    })
}

/// Traces one declared flow by id, as the review does.
pub fn trace_flow(plan: &Plan, flow: &str) -> Option<Trace> {
    with_tracer(plan, |tracer| {
        let flow = tracer
            .context
            .design
            .flows
            .iter()
            .find(|f| f.id.as_str() == flow)?;
        tracer.flow(flow)
    })
}

/// Traces every declared flow, explained, in the plan's order: one context and one tunnel review for all of them
/// (the editor's flow list; tracing them one by one with `trace_flow` would repeat that work per flow).
pub fn trace_declared_flows(plan: &Plan) -> Vec<(String, Option<Trace>)> {
    with_tracer(plan, |tracer| {
        tracer
            .context
            .design
            .flows
            .iter()
            .map(|f| (f.id.as_str().to_string(), tracer.flow(f)))
            .collect()
    })
}

/// Traces one packet (or a subnet's worth of them) through the plan.
pub fn trace(plan: &Plan, query: &Query) -> Trace {
    with_tracer(plan, |tracer| trace_query(tracer, query))
}

fn trace_query(tracer: &Tracer, query: &Query) -> Trace {
    let context = tracer.context;
    let (source, src_range) = match &query.from {
        Source::Subnet(id) => match context.subnets.get(id.as_str()) {
            Some(s) => (Some(*s), range(&s.cidr())),
            None => (None, (0, 0)),
        },
        Source::Address(ip) => (subnet_containing(context, *ip), {
            let n = address_number(*ip);
            (n, n)
        }),
    };
    let Some(source) = source else {
        return unknown_source(&query.from);
    };
    // A subnet's reserved addresses (the first four and the last, in both clouds [AZ22] [VPC2]) are no host's.
    if let Source::Address(ip) = &query.from {
        if let Some(why) = reserved_in(context, source, *ip) {
            return refused_source(why);
        }
    }
    // The GatewaySubnet holds the VPN gateway and nothing else [AZ2]: no machine sends from it or receives in it,
    // and the gateway's own traffic (IKE, BGP) is not what a flow trace follows.
    let in_gateway_subnet =
        |s: SubnetRef| matches!(s, SubnetRef::Azure(_, s) if s.is_gateway_subnet());
    let gateway_subnet = crate::facts::azure::GATEWAY_SUBNET_NAME.value;
    if in_gateway_subnet(source) {
        return refused_source(match &query.from {
            Source::Subnet(id) => format!(
                "subnet {id} is the {gateway_subnet}, which holds only the VPN gateway: trace from a subnet where \
                 machines run"
            ),
            Source::Address(ip) => format!(
                "{ip} is in the {gateway_subnet}, which holds only the VPN gateway: trace from a subnet where \
                 machines run"
            ),
        });
    }
    // An address inside a network of the plan but in none of its subnets: no machine can hold it (both clouds
    // give addresses only from subnets), so there is nothing to trace to.
    let to = address_number(query.to);
    match subnet_containing(context, query.to) {
        Some(d) if in_gateway_subnet(d) => {
            return refused(
                "destination",
                format!(
                    "{} is in the {gateway_subnet} of {}, which holds only the VPN gateway: trace to a subnet \
                     where machines run",
                    query.to,
                    context.label(d.network().id())
                ),
            );
        }
        Some(d) => {
            if let Some(why) = reserved_in(context, d, query.to) {
                return refused("destination", why);
            }
        }
        None => {
            if let Some(network) = context.network_covering((to, to)) {
                return refused(
                    "destination",
                    format!(
                        "no subnet of {} holds {}: nothing there can receive it. Trace to an address inside one \
                         of its subnets",
                        context.label(network.id()),
                        query.to
                    ),
                );
            }
        }
    }
    // An IPv4 packet cannot be addressed to an IPv6 host, nor the other way round: no hop would say why.
    let family = |v4: bool| if v4 { 4 } else { 6 };
    let (from_v4, to_v4) = (source.cidr().addr().is_ipv4(), query.to.is_ipv4());
    if from_v4 != to_v4 {
        return refused_source(format!(
            "{} is IPv{} and {} is IPv{}: a packet has one address family",
            match &query.from {
                Source::Subnet(id) => format!("subnet {id}"),
                Source::Address(ip) => ip.to_string(),
            },
            family(from_v4),
            query.to,
            family(to_v4)
        ));
    }
    let ports = match query.port {
        Some(p) => vec![PortRange::single(p)],
        None => vec![PortRange::ALL],
    };
    let probe = Probe {
        src: src_range,
        dst: (to, to),
        protocol: query.protocol,
        ports,
    };
    tracer.run(source, &probe)
}

fn unknown_source(from: &Source) -> Trace {
    refused_source(match from {
        Source::Subnet(id) => format!("subnet {id} is not in the plan"),
        Source::Address(ip) => format!("{ip} is in no subnet of the plan"),
    })
}

/// Why `ip` can be no host's address in `subnet`, if it is one of the addresses both clouds keep there: the first
/// four and the last of an IPv4 subnet [AZ22] [VPC2].
fn reserved_in(context: &Context, subnet: SubnetRef, ip: IpAddr) -> Option<String> {
    let cidr = subnet.cidr();
    if !cidr.addr().is_ipv4() {
        return None;
    }
    let (low, high) = range(&cidr);
    let n = address_number(ip);
    (n < low + 4 || n == high).then(|| {
        format!(
            "{ip} is one of the addresses {} reserves in subnet {} (the first four and the last of {cidr}): no \
             machine has it. Use a host address such as {}",
            match subnet {
                SubnetRef::Azure(..) => "Azure",
                SubnetRef::Aws(..) => "AWS",
            },
            context.label(subnet.id()),
            crate::review::prefixes::address_at(low + 4)
        )
    })
}

/// A query that cannot be traced: blocked at its source, with the reason and no hop.
fn refused_source(what: String) -> Trace {
    refused("source", what)
}

/// A query that cannot be traced for what its `end` ("source" or "destination") is: the reason, and no hop.
fn refused(end: &str, what: String) -> Trace {
    Trace {
        hops: Vec::new(),
        verdict: Verdict::Blocked {
            direction: Direction::Forward,
            hop: end.into(),
            reason: what,
            code: None,
            subjects: Vec::new(),
            changes: Vec::new(),
        },
        warnings: Vec::new(),
    }
}

/// A set of packets: every source in `src`, every destination in `dst`, on `ports`.
pub(crate) struct Probe {
    pub src: Range,
    pub dst: Range,
    pub protocol: Protocol,
    pub ports: Vec<PortRange>,
}

impl Probe {
    fn cubes(&self, src: Range, dst: Range) -> Vec<Cube> {
        let p = rules::protocol_range(self.protocol);
        self.ports
            .iter()
            .map(|ports| {
                Cube::new([
                    p,
                    src,
                    (0, 65535),
                    dst,
                    rules::ports_for(self.protocol, *ports),
                ])
            })
            .collect()
    }
}

pub(crate) fn subnet_containing<'a>(context: &Context<'a>, ip: IpAddr) -> Option<SubnetRef<'a>> {
    let n = address_number(ip);
    context.subnet_covering((n, n))
}

fn subnet_covering<'a>(context: &Context<'a>, r: Range) -> Option<SubnetRef<'a>> {
    context.subnet_covering(r)
}

/// Links the review finds unable to come up, with the codes that say why: errors of the tunnel, IKE and BGP
/// families (except IKE-003: an extra value the other cloud lacks does not stop a tunnel whose other values
/// match; and TUN-014, which is about a flow, not the tunnel).
///
/// Which links an error stops depends on what it names. An Azure connection or local network gateway stands for
/// one tunnel, so an error naming one (a key or proposal mismatch on tunnel 1, which also names the AWS VPN
/// connection) stops only the links through it: the VPN connection's other tunnel is still up. An error naming a
/// VPN connection or customer gateway and no Azure object of a tunnel (an inside CIDR AWS refuses, a key AWS
/// rejects) stops every tunnel of it. And a BGP error about gateways alone (both ends with one ASN, a reserved
/// ASN) stops every link running BGP between the gateways it names: no session, no routes.
pub(crate) fn tunnels_down(context: &Context, findings: &[Finding]) -> Vec<Vec<String>> {
    // Per error: whether it names an Azure object of one tunnel, and whether it names nothing but gateways (the
    // gateways it names, then).
    let is_gateway =
        |s: &str| context.azure_gateways.contains_key(s) || context.vgws.contains_key(s);
    let relevant: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter(|f| {
            ["TUN-", "IKE-", "BGP-"]
                .iter()
                .any(|p| f.code.starts_with(p))
        })
        .filter(|f| f.code != "IKE-003" && f.code != "TUN-014")
        .collect();
    // A plan the tunnel families find nothing wrong with (the usual case) has every link up.
    if relevant.is_empty() {
        return vec![Vec::new(); context.links.len()];
    }
    // The Azure objects that stand for one tunnel: connections and local network gateways.
    let per_tunnel: crate::hash::FastSet<&str> = context
        .design
        .azure
        .connections
        .iter()
        .map(|c| c.id.as_str())
        .chain(context.lngs.keys().copied())
        .collect();
    let errors: Vec<(&Finding, bool, bool)> = relevant
        .into_iter()
        .map(|f| {
            let names_tunnel = f.subjects.iter().any(|s| per_tunnel.contains(s.as_str()));
            let only_gateways =
                !f.subjects.is_empty() && f.subjects.iter().all(|s| is_gateway(s.as_str()));
            (f, names_tunnel, only_gateways)
        })
        .collect();
    // The errors naming each object, so that a link looks up its own objects' errors instead of testing every
    // error: a plan whose every tunnel has an error (all on a reserved /30, say) was links × errors, minutes at
    // 4,000 networks.
    let mut naming: crate::hash::FastMap<&str, Vec<usize>> =
        crate::hash::map_with_capacity(errors.len());
    for (i, (f, _, _)) in errors.iter().enumerate() {
        for s in f.subjects.iter().filter(|s| !s.is_empty()) {
            let list = naming.entry(s.as_str()).or_default();
            // A finding naming one object twice is listed once.
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let naming_any = |ids: &[&str]| -> Vec<usize> {
        ids.iter()
            .filter(|id| !id.is_empty())
            .filter_map(|id| naming.get(id))
            .flatten()
            .copied()
            .collect()
    };
    context
        .links
        .iter()
        .map(|link| {
            let tunnel = [link.connection.id.as_str(), link.lng.id.as_str()];
            let aws = [
                link.vpn.id.as_str(),
                link.cgw.map(|c| c.id.as_str()).unwrap_or(""),
            ];
            let gateways = [
                link.gateway.map(|g| g.id.as_str()).unwrap_or(""),
                link.vgw.map(|g| g.id.as_str()).unwrap_or(""),
            ];
            let bgp = link.azure_bgp() && link.aws_bgp();
            // An error naming this tunnel's Azure objects stops it.
            let mut stopping = naming_any(&tunnel);
            // An error naming its VPN connection or customer gateway and no Azure object of one tunnel stops
            // every tunnel of the connection.
            stopping.extend(naming_any(&aws).into_iter().filter(|&i| !errors[i].1));
            // A BGP error about the gateways alone (one ASN on both ends names both; a reserved ASN, one) stops
            // the links between the gateways it names: every one it names must be an end of the link.
            if bgp {
                stopping.extend(naming_any(&gateways).into_iter().filter(|&i| {
                    let (f, _, only_gateways) = errors[i];
                    only_gateways
                        && f.code.starts_with("BGP-")
                        && f.subjects.iter().all(|s| gateways.contains(&s.as_str()))
                }));
            }
            let mut codes: Vec<String> = stopping
                .into_iter()
                .map(|i| errors[i].0.code.clone())
                .collect();
            codes.sort();
            codes.dedup();
            codes
        })
        .collect()
}

pub(crate) struct Tracer<'c, 'a> {
    pub context: &'c Context<'a>,
    pub down: &'c [Vec<String>],
    /// Whether to write each hop's explanation: the review only needs verdicts, people need the hops.
    pub explain: bool,
}

/// The hops of a trace, written only when someone will read them.
pub(crate) struct Hops {
    explain: bool,
    list: Vec<Hop>,
}

impl Hops {
    fn push(&mut self, hop: impl FnOnce() -> Hop) {
        if self.explain {
            self.list.push(hop());
        }
    }
}

/// A blocked outcome under construction.
struct Block {
    hop: &'static str,
    reason: String,
    code: Option<&'static str>,
    subjects: Vec<String>,
    changes: Vec<String>,
}

impl<'c, 'a> Tracer<'c, 'a> {
    /// Traces a declared flow (RT-006 when its ends cannot be traced); `None` only for a subnet the plan lacks.
    pub fn flow(&self, flow: &Flow) -> Option<Trace> {
        // The loader refuses a flow naming a subnet the plan lacks; should one get here, there is nothing to trace.
        for end in [&flow.source, &flow.destination] {
            if let FlowEndpoint::Subnet(id) = end {
                self.context.subnets.get(id.as_str())?;
            }
        }
        if let Some(refused) = ends::unusable(self.context, flow) {
            return Some(refused);
        }
        let source = match &flow.source {
            FlowEndpoint::Subnet(id) => self.context.subnets.get(id.as_str()).copied()?,
            FlowEndpoint::Cidr(net) => subnet_covering(self.context, range(net))?,
        };
        let src = match &flow.source {
            FlowEndpoint::Subnet(_) => range(&source.cidr()),
            FlowEndpoint::Cidr(net) => range(net),
        };
        let dst = match &flow.destination {
            FlowEndpoint::Subnet(id) => range(&self.context.subnets.get(id.as_str())?.cidr()),
            FlowEndpoint::Cidr(net) => range(net),
        };
        let ports = if flow.ports.is_empty() || !flow.protocol.has_ports() {
            vec![PortRange::ALL]
        } else {
            flow.ports.clone()
        };
        Some(self.run(
            source,
            &Probe {
                src,
                dst,
                protocol: flow.protocol,
                ports,
            },
        ))
    }

    fn run(&self, source: SubnetRef<'a>, probe: &Probe) -> Trace {
        let mut hops = Hops {
            explain: self.explain,
            list: Vec::new(),
        };
        let mut warnings = Vec::new();
        let result = self.walk(source, probe, &mut hops, &mut warnings);
        let verdict = match result {
            Ok(()) => Verdict::Delivered,
            Err((direction, b)) => Verdict::Blocked {
                direction,
                hop: b.hop.to_string(),
                reason: b.reason,
                code: b.code.map(str::to_string),
                subjects: b.subjects,
                changes: b.changes,
            },
        };
        Trace {
            hops: hops.list,
            verdict,
            warnings,
        }
    }

    fn walk(
        &self,
        source: SubnetRef<'a>,
        probe: &Probe,
        hops: &mut Hops,
        warnings: &mut Vec<String>,
    ) -> Result<(), (Direction, Block)> {
        let fwd = Direction::Forward;
        let cubes = probe.cubes(probe.src, probe.dst);
        // 1. The source's outbound rules, then (AWS) the source subnet's network ACL.
        self.rules_hop(source, &cubes, false, fwd, hops)
            .map_err(|b| (fwd, b))?;
        let destination = subnet_covering(self.context, probe.dst);
        // Network ACLs filter traffic crossing a subnet's boundary, not traffic inside one subnet; a plan without
        // any leaves every subnet on its VPC's default ACL, which allows all.
        let crosses = !self.context.nacls_by_subnet.is_empty()
            && destination.is_none_or(|d| d.id() != source.id());
        if crosses {
            self.nacl_hop(source, &cubes, false, false, fwd, hops)
                .map_err(|b| (fwd, b))?;
        }
        // 2. Route table, gateway, tunnels, far network.
        let forward_links = self
            .route(source, probe.src, probe.dst, fwd, hops)
            .map_err(|b| (fwd, b))?;
        // 3. The destination's inbound rules.
        let Some(destination) = destination else {
            hops.push(|| Hop {
                direction: fwd,
                hop: "destination".into(),
                object: None,
                passed: true,
                detail: "the destination lies in no subnet of the plan: delivered to its network"
                    .into(),
            });
            return Ok(());
        };
        if crosses {
            self.nacl_hop(destination, &cubes, true, false, fwd, hops)
                .map_err(|b| (fwd, b))?;
        }
        self.rules_hop(destination, &cubes, true, fwd, hops)
            .map_err(|b| (fwd, b))?;
        // 4. The return path: routing, and the network ACLs, which are stateless and see the replies as new
        // traffic to the client's ephemeral ports [VPC4]; security groups and NSGs are stateful.
        let back = Direction::Return;
        let replies = if crosses {
            reply_cubes(probe, &cubes)
        } else {
            Vec::new()
        };
        if crosses {
            self.nacl_hop(destination, &replies, false, true, back, hops)
                .map_err(|b| (back, b))?;
        }
        let return_links = self
            .route(destination, probe.dst, probe.src, back, hops)
            .map_err(|b| (back, b))?;
        if crosses {
            self.nacl_hop(source, &replies, true, true, back, hops)
                .map_err(|b| (back, b))?;
        }
        // Replies must come back through the tunnels the requests went out on: the VGW and the Azure gateway
        // keep no state across tunnels [AZ2].
        if let (Some(f), Some(r)) = (forward_links, return_links) {
            if f != r {
                let names = |links: &BTreeSet<usize>| -> String {
                    links
                        .iter()
                        .map(|i| self.context.links[*i].tunnel_label(self.context))
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                warnings.push(format!(
                    "the forward path uses {} but the return path uses {}",
                    names(&f),
                    names(&r)
                ));
            }
        }
        Ok(())
    }

    /// Rules at one end: NSG of an Azure subnet, security groups of an AWS subnet.
    fn rules_hop(
        &self,
        subnet: SubnetRef<'a>,
        cubes: &[Cube],
        inbound: bool,
        direction: Direction,
        hops: &mut Hops,
    ) -> Result<(), Block> {
        let hop = if inbound {
            "destination inbound rules"
        } else {
            "source outbound rules"
        };
        match subnet {
            SubnetRef::Azure(vnet, s) => {
                let Some(nsg) = s
                    .nsg
                    .as_ref()
                    .and_then(|id| self.context.nsgs.get(id.as_str()))
                else {
                    hops.push(|| Hop {
                        direction,
                        hop: hop.into(),
                        object: Some(s.id.as_str().to_string()),
                        passed: true,
                        detail: format!("subnet {} has no NSG", self.context.label(s.id.as_str())),
                    });
                    return Ok(());
                };
                let compiled = self.context.compiled_nsg(nsg, Some(vnet.id.as_str()));
                match evaluate_nsg(nsg, &compiled, inbound, cubes) {
                    NsgOutcome::Allowed(by) => {
                        hops.push(|| Hop {
                            direction,
                            hop: hop.into(),
                            object: Some(nsg.id.as_str().to_string()),
                            passed: true,
                            detail: format!(
                                "NSG {} allows it ({})",
                                self.context.label(nsg.id.as_str()),
                                by.iter()
                                    .map(|(name, priority)| format!("{name} ({priority})"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        });
                        Ok(())
                    }
                    NsgOutcome::Denied {
                        rule_id,
                        name,
                        priority,
                    } => {
                        let reason = format!(
                            "NSG {} denies it {} at rule {name} (priority {priority})",
                            self.context.label(nsg.id.as_str()),
                            if inbound { "inbound" } else { "outbound" }
                        );
                        hops.push(|| Hop {
                            direction,
                            hop: hop.into(),
                            object: Some(nsg.id.as_str().to_string()),
                            passed: false,
                            detail: reason.clone(),
                        });
                        let mut subjects = vec![nsg.id.as_str().to_string()];
                        subjects.extend(rule_id.clone());
                        Err(Block {
                            hop,
                            reason,
                            code: Some("SEC-001"),
                            subjects,
                            changes: vec![format!(
                                "NSG {}: add an {} Allow rule for this traffic with a priority below {priority}{}",
                                nsg.id,
                                if inbound { "Inbound" } else { "Outbound" },
                                rule_id.map(|r| format!(", or change rule {r}")).unwrap_or_default()
                            )],
                        })
                    }
                }
            }
            SubnetRef::Aws(_, s) => {
                let groups: Vec<&crate::model::aws::SecurityGroup> = s
                    .security_groups
                    .iter()
                    .filter_map(|id| self.context.security_groups.get(id.as_str()).copied())
                    .collect();
                if groups.is_empty() {
                    // The VPC's default security group: all outbound, inbound only from itself [VPC3].
                    if !inbound {
                        hops.push(|| Hop {
                            direction,
                            hop: hop.into(),
                            object: Some(s.id.as_str().to_string()),
                            passed: true,
                            detail: "the default security group allows all outbound traffic".into(),
                        });
                        return Ok(());
                    }
                }
                let cover: Vec<Cube> = groups
                    .iter()
                    .flat_map(|g| if inbound { &g.ingress } else { &g.egress })
                    .map(|r| {
                        let peer = range(&r.cidr);
                        let p = rules::protocol_range(r.protocol);
                        let ports = rules::ports_for(r.protocol, r.ports);
                        Cube::new(if inbound {
                            [p, peer, (0, 65535), rules::ALL, ports]
                        } else {
                            [p, rules::ALL, (0, 65535), peer, ports]
                        })
                    })
                    .collect();
                let left = rules::uncovered(cubes.to_vec(), &cover);
                let names = || -> Vec<String> {
                    groups
                        .iter()
                        .map(|g| self.context.label(g.id.as_str()))
                        .collect()
                };
                if left.is_empty() {
                    hops.push(|| Hop {
                        direction,
                        hop: hop.into(),
                        object: groups.first().map(|g| g.id.as_str().to_string()),
                        passed: true,
                        detail: format!("security groups {} allow it", names().join(", ")),
                    });
                    return Ok(());
                }
                let sample = sample(&left[0]);
                let reason = if groups.is_empty() {
                    // Only inbound gets here: the default group allows all outbound (above).
                    format!(
                        "subnet {} has no security group, so its machines are in the VPC's default security group, \
                         which admits inbound traffic only from itself; for example {sample} is refused",
                        self.context.label(s.id.as_str())
                    )
                } else {
                    format!(
                        "no {} rule of security group{} {} allows this traffic, for example {sample}",
                        if inbound { "inbound" } else { "outbound" },
                        if groups.len() == 1 { "" } else { "s" },
                        names().join(", ")
                    )
                };
                hops.push(|| Hop {
                    direction,
                    hop: hop.into(),
                    object: groups.first().map(|g| g.id.as_str().to_string()),
                    passed: false,
                    detail: reason.clone(),
                });
                let mut subjects: Vec<String> =
                    groups.iter().map(|g| g.id.as_str().to_string()).collect();
                subjects.push(s.id.as_str().to_string());
                Err(Block {
                    hop,
                    reason,
                    code: Some("SEC-002"),
                    subjects,
                    changes: vec![format!(
                        "add an {} rule for this traffic to {}",
                        if inbound { "ingress" } else { "egress" },
                        groups
                            .first()
                            .map(|g| g.id.as_str().to_string())
                            .unwrap_or_else(|| format!("a security group of subnet {}", s.id))
                    )],
                })
            }
        }
    }
}

/// The replies to a set of packets: source and destination swapped, from the service's port to the client's
/// ephemeral ports (for TCP and UDP).
fn reply_cubes(probe: &Probe, cubes: &[Cube]) -> Vec<Cube> {
    let ephemeral = crate::facts::aws::CLIENT_EPHEMERAL_PORTS.value;
    let ephemeral = PortRange {
        from: ephemeral.min as u16,
        to: ephemeral.max as u16,
    };
    cubes
        .iter()
        .map(|c| {
            Cube::new([
                c.get(0),
                c.get(3),
                c.get(4),
                c.get(1),
                rules::ports_for(probe.protocol, ephemeral),
            ])
        })
        .collect()
}

/// How one network ACL decides a set of packets in one direction: lowest rule number first, first match wins,
/// then the implicit `*` entry denies the rest [VPC4]. `Err` holds the deciding entry's number (`None`: `*`).
fn evaluate_nacl(
    acl: &crate::model::aws::NetworkAcl,
    inbound: bool,
    cubes: &[Cube],
) -> Result<(), Option<u16>> {
    use crate::model::aws::NaclAction;
    let mut entries: Vec<&crate::model::aws::NetworkAclEntry> =
        if inbound { &acl.ingress } else { &acl.egress }
            .iter()
            .collect();
    entries.sort_by_key(|e| e.rule_number);
    let mut remaining = cubes.to_vec();
    for e in entries {
        if remaining.is_empty() {
            break;
        }
        let p = rules::protocol_range(e.protocol);
        let ports = rules::ports_for(e.protocol, e.ports);
        let peer = range(&e.cidr);
        // Entries match the peer address and the destination port; never the source port.
        let cube = Cube::new(if inbound {
            [p, peer, (0, 65535), rules::ALL, ports]
        } else {
            [p, rules::ALL, (0, 65535), peer, ports]
        });
        let cover = [cube];
        if !rules::any_intersect(&remaining, &cover) {
            continue;
        }
        if e.action == NaclAction::Deny {
            return Err(Some(e.rule_number));
        }
        remaining = rules::uncovered(remaining, &cover);
    }
    if remaining.is_empty() {
        Ok(())
    } else {
        Err(None)
    }
}

impl<'c, 'a> Tracer<'c, 'a> {
    /// The network ACL hop of an AWS subnet (nothing for Azure subnets): every ACL associated with the subnet
    /// must let the packets through; a subnet with none uses the VPC's default ACL, which allows all [VPC4].
    /// `reply`: the packets are replies on the return path.
    fn nacl_hop(
        &self,
        subnet: SubnetRef<'a>,
        cubes: &[Cube],
        inbound: bool,
        reply: bool,
        direction: Direction,
        hops: &mut Hops,
    ) -> Result<(), Block> {
        let SubnetRef::Aws(_, s) = subnet else {
            return Ok(());
        };
        let hop = if inbound == reply {
            "source network ACL"
        } else {
            "destination network ACL"
        };
        let way = if inbound { "inbound" } else { "outbound" };
        let what = if reply {
            "the replies (to the client's ephemeral ports)"
        } else {
            "it"
        };
        // No associated ACL: the VPC's default ACL allows everything both ways, and the hop is left out of the
        // explanation so plans without network ACLs trace exactly as before.
        let Some(acls) = self.context.nacls_by_subnet.get(s.id.as_str()) else {
            return Ok(());
        };
        for acl in acls {
            match evaluate_nacl(acl, inbound, cubes) {
                Ok(()) => hops.push(|| Hop {
                    direction,
                    hop: hop.into(),
                    object: Some(acl.id.as_str().to_string()),
                    passed: true,
                    detail: format!(
                        "network ACL {} allows {what} {way}",
                        self.context.label(acl.id.as_str())
                    ),
                }),
                Err(entry) => {
                    let at = entry
                        .map(|n| format!("entry {n}"))
                        .unwrap_or_else(|| "the default * entry (no entry allows it)".into());
                    let reason = format!(
                        "network ACL {} denies {what} {way} at {at}",
                        self.context.label(acl.id.as_str())
                    );
                    hops.push(|| Hop {
                        direction,
                        hop: hop.into(),
                        object: Some(acl.id.as_str().to_string()),
                        passed: false,
                        detail: reason.clone(),
                    });
                    return Err(Block {
                        hop,
                        reason,
                        // The catalogue's code for AWS rules that do not let a declared flow through (SEC-002
                        // names security groups; a network ACL is the other AWS filter on the path). Its own
                        // source, VPC4, is chosen where the finding is made.
                        code: Some("SEC-002"),
                        subjects: vec![acl.id.as_str().to_string(), s.id.as_str().to_string()],
                        changes: vec![format!(
                            "network ACL {}: add an {way} allow entry for this traffic{}{}",
                            acl.id,
                            if reply {
                                " (stateless: replies need their own entry)"
                            } else {
                                ""
                            },
                            entry
                                .map(|n| format!(" numbered below {n}, or change entry {n}"))
                                .unwrap_or_default()
                        )],
                    });
                }
            }
        }
        Ok(())
    }
}

fn sample(cube: &Cube) -> String {
    let ip = |n: u128| crate::review::prefixes::address_at(n).to_string();
    // Written as a packet, with its article, so an address is not read as a range that lost its prefix length.
    let protocol = cube.get(0).0;
    let what = match protocol {
        0 => "a TCP packet",
        1 => "a UDP packet",
        2 => "an ICMP packet",
        3 => "an ESP packet",
        4 => "an AH packet",
        _ => "a packet",
    };
    // A host a machine could have: both clouds reserve a subnet's first four addresses and its last [AZ22]
    // [VPC2], so the fifth when the range has eight or more (a /29, the smallest Azure subnet), else past the
    // network address when it can.
    let host = |(low, high): (u128, u128)| {
        ip(if high - low >= 7 {
            low + 4
        } else if high - low >= 2 {
            low + 1
        } else {
            low
        })
    };
    let (from, to) = (host(cube.get(1)), host(cube.get(3)));
    match (protocol <= 1, cube.get(4)) {
        (true, (0, 65535)) => format!("{what} from {from} to {to}, any port"),
        (true, (low, _)) => format!("{what} from {from} to {to} port {}", low.max(1)),
        (false, _) => format!("{what} from {from} to {to}"),
    }
}

pub(crate) enum NsgOutcome<'r> {
    /// The rules that allowed it: (name, priority).
    Allowed(Vec<(&'r str, u32)>),
    Denied {
        rule_id: Option<String>,
        name: String,
        priority: u32,
    },
}

/// One NSG, one direction, first match wins over the user rules by priority and then the default rules (65000
/// AllowVNet, 65001 AllowAzureLoadBalancer / AllowInternetOutBound, 65500 DenyAll) [AZ18].
pub(crate) fn evaluate_nsg<'r>(
    nsg: &'r crate::model::azure::Nsg,
    compiled: &'r rules::CompiledNsg,
    inbound: bool,
    cubes: &[Cube],
) -> NsgOutcome<'r> {
    use crate::model::azure::Access;
    let (order, defaults) = if inbound {
        (&compiled.inbound, &compiled.default_inbound)
    } else {
        (&compiled.outbound, &compiled.default_outbound)
    };
    let p2 = crate::facts::azure::NSG_DEFAULT_PRIORITIES.value[2];
    let mut remaining = cubes.to_vec();
    let mut allowed_by = Vec::new();
    let user = order.iter().map(|i| {
        let r = &nsg.rules[*i];
        (
            Some(r),
            r.name.as_str(),
            r.priority,
            r.access == Access::Allow,
            compiled.cubes(*i),
        )
    });
    let implied = defaults
        .iter()
        .map(|d| (None, d.name, d.priority, d.allow, d.cubes.as_slice()));
    for (rule, name, priority, allow, rule_cubes) in user.chain(implied) {
        if remaining.is_empty() {
            break;
        }
        if !rules::any_intersect(&remaining, rule_cubes) {
            continue;
        }
        if !allow {
            return NsgOutcome::Denied {
                rule_id: rule.map(|r| r.id.as_str().to_string()),
                name: name.to_string(),
                priority,
            };
        }
        allowed_by.push((name, priority));
        remaining = rules::uncovered(remaining, rule_cubes);
    }
    if remaining.is_empty() {
        NsgOutcome::Allowed(allowed_by)
    } else {
        NsgOutcome::Denied {
            rule_id: None,
            name: "DenyAll".into(),
            priority: p2,
        }
    }
}
