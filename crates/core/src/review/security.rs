//! SEC: security rules. Declared flows denied by an NSG (SEC-001), not allowed by security groups (SEC-002) or
//! denied by a network ACL (SEC-002, forward or on the replies) come from the trace; rule hygiene is checked here
//! by set reasoning over addresses, protocols and ports: priorities (SEC-003), shadowed NSG rules (SEC-004), rules
//! broader than the declared flows they serve (SEC-005), ranges outside the plan (SEC-006), rules the cloud does
//! not support (SEC-007), cross-cloud traffic no flow needs (SEC-008) and quotas (SEC-009).
//!
//! SEC-007 fires for network ACL rule numbers outside 1–32766 and for NSG rule names Azure refuses (the rule
//! cannot be created, so `terraform apply` fails on it). Its other case, a deny in a security group, cannot
//! arise: security group rules have no access field in the plan schema.

use super::context::{Context, Network};
use super::prefixes::{range, same_family, Range, RangeSet};
use super::{Change, Finding, Severity};
use crate::facts::{aws as aws_facts, azure as azure_facts};
use crate::model::aws::{SecurityGroup, SecurityGroupRule};
use crate::model::azure::{Access, Direction, Nsg, NsgRule};
use crate::model::common::{AddressPrefix, Protocol};
use crate::model::flow::{Flow, FlowEndpoint};
use crate::trace::rules::{self, CompiledNsg, Cube};
use crate::trace::Trace;
use std::collections::BTreeMap;

/// SEC-001 and SEC-002: the declared flows the traces found blocked by a rule. A flow no security group rule
/// lets through gets a fix: the rule it needs, added to the group the trace stopped at.
pub fn flows(context: &Context, traces: &[(&Flow, Option<Trace>)], findings: &mut Vec<Finding>) {
    // Every id of the plan, gathered once (the whole design is walked) and only when a fix needs new rule ids.
    let mut ids = None;
    for (flow, trace) in traces {
        let Some(trace) = trace else { continue };
        let before = findings.len();
        super::routing::push_blocked(context, flow, trace, "SEC-", findings);
        if findings.len() > before {
            if let Some((summary, change)) = security_group_fix(context, flow, trace, &mut ids) {
                if let Some(last) = findings.pop() {
                    findings.push(last.fix(summary, vec![change]));
                }
            }
        }
    }
}

/// SEC-002's fix, when a security group (not a network ACL) stopped the flow: the group's rules with one more per
/// port range of the flow, from (ingress) or to (egress) the flow's other end, on its protocol.
fn security_group_fix(
    context: &Context,
    flow: &Flow,
    trace: &Trace,
    ids: &mut Option<std::collections::HashSet<String>>,
) -> Option<(String, Change)> {
    let crate::trace::Verdict::Blocked {
        hop,
        reason,
        code: Some(code),
        subjects,
        ..
    } = &trace.verdict
    else {
        return None;
    };
    if code != "SEC-002" || !reason.contains("rule of security group") {
        return None;
    }
    let group = context.security_groups.get(subjects.first()?.as_str())?;
    let inbound = hop == "destination inbound rules";
    let end = |e: &FlowEndpoint| match e {
        FlowEndpoint::Subnet(id) => context.subnets.get(id.as_str()).map(|s| s.cidr()),
        FlowEndpoint::Cidr(net) => Some(*net),
    };
    let peer = if inbound {
        end(&flow.source)?
    } else {
        end(&flow.destination)?
    };
    let ports = if flow.ports.is_empty() || !flow.protocol.has_ports() {
        vec![crate::model::common::PortRange::ALL]
    } else {
        flow.ports.clone()
    };
    let ids = ids.get_or_insert_with(|| crate::edit::names::taken_ids(context.design));
    let way = if inbound { "in" } else { "out" };
    let mut rules: Vec<SecurityGroupRule> = if inbound {
        group.ingress.clone()
    } else {
        group.egress.clone()
    };
    for p in ports {
        rules.push(SecurityGroupRule {
            id: crate::edit::names::unique(ids, &format!("{}-{way}-{}", group.id, flow.id))
                .as_str()
                .into(),
            protocol: flow.protocol,
            ports: p,
            cidr: peer,
            description: format!("Declared flow {}", flow.name),
        });
    }
    let (field, kind) = if inbound {
        ("ingress", "an ingress")
    } else {
        ("egress", "an egress")
    };
    Some((
        format!(
            "Add {kind} rule for this flow to {}",
            context.label(group.id.as_str())
        ),
        Change::new(group.id.as_str(), field, rules),
    ))
}

/// The checks of the rule sets themselves, which need no trace (SEC-003 to SEC-009), and the canonical form of
/// their CIDRs (ADDR-005, the addressing family's check).
///
/// One pass over each kind of rule set, every check of it in turn: on a large plan the rule sets are past the
/// cache, and each further pass over all of them read them from memory again. The review runs this before it
/// traces the flows, so an NSG is compiled here, right after its rules were read, and the traces find it
/// compiled (callgrind, 10,000 networks: see docs/benchmarks.md, session 8).
pub fn rule_sets(context: &Context, findings: &mut Vec<Finding>) {
    let flows = FlowIndex::new(context);
    let known = known_space(context);
    for nsg in &context.design.azure.nsgs {
        let guarded = context
            .nsg_subnets
            .get(nsg.id.as_str())
            .map_or(&[][..], Vec::as_slice);
        // The VNet an NSG protects (the first subnet associated with it) decides what its tags mean.
        let vnet = guarded.first().map(|(vnet, _)| vnet.id.as_str());
        let compiled = context.compiled_nsg(nsg, vnet);
        let flows = flows.for_networks(guarded.iter().map(|(v, _)| v.id.as_str()));
        priorities(context, nsg, findings);
        shadowed(context, nsg, &compiled, findings);
        broad_nsg_rules(context, nsg, &compiled, &flows, findings);
        nsg_beyond_intent(context, nsg, &compiled, &flows, findings);
        unknown_nsg_ranges(context, &known, nsg, findings);
        nsg_rule_names(context, nsg, findings);
        nsg_tag_lists(context, nsg, vnet, findings);
        nsg_quota(context, nsg, findings);
        super::addressing::nsg_rule_host_bits(context, nsg, findings);
    }
    unguarded_subnets(context, &flows, findings);
    for sg in &context.design.aws.security_groups {
        let flows = flows.for_networks(std::iter::once(sg.vpc.as_str()));
        broad_sg_rules(context, sg, &flows, findings);
        sg_beyond_intent(context, sg, &flows, findings);
        unknown_sg_ranges(context, &known, sg, findings);
        sg_quota(context, sg, findings);
        super::addressing::sg_rule_host_bits(context, sg, findings);
    }
    acl_rule_numbers(context, findings);
}

/// Why Azure refuses `name` as an NSG rule name, if it does [AZ18]: at most 80 characters, only word characters
/// (ASCII letters, digits, `_`), `.` and `-`, starting and ending with a word character.
pub fn nsg_rule_name_problem(name: &str) -> Option<String> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let max = azure_facts::NSG_RULE_NAME_MAX_CHARS.value;
    if name.is_empty() {
        return Some("is empty".into());
    }
    if let Some(bad) = name.chars().find(|&c| !(word(c) || c == '.' || c == '-')) {
        return Some(format!(
            "contains {}, which Azure does not allow (letters, digits, `_`, `.` and `-` only)",
            crate::quote::character(bad)
        ));
    }
    if name.chars().count() > max {
        return Some(format!("is longer than {max} characters"));
    }
    if !name.starts_with(word) {
        return Some("must start with a letter, a digit or `_`".into());
    }
    if !name.ends_with(word) {
        return Some("must end with a letter, a digit or `_`".into());
    }
    None
}

/// A name Azure accepts, as close to `name` as it can be: other characters become `-`, the ends are trimmed to
/// word characters, the length is cut to 80; `fallback` when nothing is left. Never one of `taken`.
pub fn nsg_rule_name_fixed(name: &str, fallback: &str, taken: &[&str]) -> String {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let max = azure_facts::NSG_RULE_NAME_MAX_CHARS.value;
    let mapped: String = name
        .chars()
        .map(|c| if word(c) || c == '.' { c } else { '-' })
        .collect();
    let trim = |s: &str| s.trim_matches(|c: char| !word(c)).to_string();
    let mut base = trim(&mapped.chars().take(max).collect::<String>());
    if base.is_empty() {
        base = fallback.to_string();
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate.as_str()) {
        let suffix = format!("-{n}");
        let stem: String = base.chars().take(max - suffix.len()).collect();
        candidate = format!("{}{suffix}", trim(&stem));
        n += 1;
    }
    candidate
}

/// SEC-007 (NSGs). A rule whose name Azure refuses [AZ18].
fn nsg_rule_names(context: &Context, nsg: &Nsg, findings: &mut Vec<Finding>) {
    for (i, rule) in nsg.rules.iter().enumerate() {
        let Some(problem) = nsg_rule_name_problem(&rule.name) else {
            continue;
        };
        // Only a rule that needs renaming needs the others' names (this runs on every review).
        let names: Vec<&str> = nsg.rules.iter().map(|r| r.name.as_str()).collect();
        let fixed = nsg_rule_name_fixed(&rule.name, &format!("rule-{}", rule.priority), &names);
        let field = format!("rules[{i}].name");
        findings.push(
            Finding::new(
                "SEC-007",
                Severity::Error,
                format!(
                    "Rule {} (priority {}) of NSG {} is named {}, which Azure refuses: the name {problem}. \
                     Expected at most {} characters of letters, digits, `_`, `.` and `-`, starting and ending \
                     with a letter, a digit or `_`.",
                    rule.id,
                    rule.priority,
                    context.label(nsg.id.as_str()),
                    crate::quote::quoted(&rule.name),
                    azure_facts::NSG_RULE_NAME_MAX_CHARS.value
                ),
            )
            .subject(nsg.id.as_str())
            .sources(azure_facts::NSG_RULE_NAME_MAX_CHARS.sources)
            .fix(
                format!("Rename the rule {fixed}"),
                vec![Change::new(nsg.id.as_str(), &field, fixed.as_str())],
            ),
        );
    }
}

/// SEC-007 (NSGs). A service tag among other sources or destinations: Azure takes a tag only as a rule's single
/// address prefix; the plural fields (`sourceAddressPrefixes`, `destinationAddressPrefixes`) hold address ranges
/// only [AZ18], so the rule cannot be deployed. The fix keeps the tag alone when it already covers the ranges
/// listed beside it (the same traffic); otherwise the rule must be split by hand.
fn nsg_tag_lists<'a>(
    context: &Context<'a>,
    nsg: &Nsg,
    vnet: Option<&'a str>,
    findings: &mut Vec<Finding>,
) {
    for (i, rule) in nsg.rules.iter().enumerate() {
        for (side, list) in [
            ("source", &rule.source_prefixes),
            ("destination", &rule.destination_prefixes),
        ] {
            // "*" among others is every address, written as "*" alone by the exports.
            if list.len() < 2 || list.contains(&AddressPrefix::Any) {
                continue;
            }
            let tags: Vec<&AddressPrefix> = list
                .iter()
                .filter(|p| matches!(p, AddressPrefix::Tag(_)))
                .collect();
            let Some(&tag) = tags.first() else { continue };
            let field = format!("rules[{i}].{side}_prefixes");
            let listed = list
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            // The tag alone means the same when it is the only tag and covers every range beside it.
            let fix = (tags.len() == 1)
                .then(|| {
                    let tag_sets = context.tag_sets(vnet);
                    let mut covered = Vec::new();
                    tag_sets.extend_ranges(tag, &mut covered);
                    let covered = RangeSet::new(covered);
                    list.iter()
                        .all(|p| match p {
                            AddressPrefix::Cidr(net) => covered.covers(range(net)),
                            _ => true,
                        })
                        .then(|| {
                            (
                                format!("Keep only the service tag {tag}, which covers the ranges beside it"),
                                vec![Change::new(nsg.id.as_str(), &field, [tag])],
                            )
                        })
                })
                .flatten();
            findings.push(
                Finding::new(
                    "SEC-007",
                    Severity::Error,
                    format!(
                        "Rule {} of NSG {} lists the service tag {tag} with other {side}s ({listed}): Azure takes \
                         a service tag only as a rule's single {side}, and its lists of {side}s hold address \
                         ranges only, so the NSG cannot be deployed. Expected: the tag alone, or one rule for the \
                         tag and one for the ranges.",
                        crate::quote::quoted(&rule.name),
                        context.label(nsg.id.as_str()),
                    ),
                )
                .subject(nsg.id.as_str())
                .subject(rule.id.as_str())
                .sources(&["AZ18"])
                .fix_if(fix),
            );
        }
    }
}

/// SEC-007 (network ACLs). An entry numbered outside 1–32766: AWS refuses it (32767–65535 are reserved, the
/// implicit `*` entry is 32767) [VPC4].
fn acl_rule_numbers(context: &Context, findings: &mut Vec<Finding>) {
    let fact = aws_facts::NACL_RULE_NUMBER;
    for acl in &context.design.aws.network_acls {
        for (way, field, entries) in [
            ("Inbound", "ingress", &acl.ingress),
            ("Outbound", "egress", &acl.egress),
        ] {
            // Two entries of one direction with one number: AWS refuses the second (the number identifies the
            // entry), and the exports would name two resources alike [VPC4].
            let mut numbers: crate::hash::FastMap<u16, usize> = Default::default();
            for (i, entry) in entries.iter().enumerate() {
                let Some(first) = numbers.insert(entry.rule_number, i) else {
                    continue;
                };
                numbers.insert(entry.rule_number, first);
                let used: Vec<u64> = entries.iter().map(|e| u64::from(e.rule_number)).collect();
                let free = (u64::from(entry.rule_number) + 1..=fact.value.max)
                    .chain((fact.value.min..u64::from(entry.rule_number)).rev())
                    .find(|n| !used.contains(n));
                let finding = Finding::new(
                    "SEC-007",
                    Severity::Error,
                    format!(
                        "{way} entries {field}[{first}] and {field}[{i}] of network ACL {} both have rule number \
                         {}; AWS refuses a second entry with a number in use.",
                        context.label(acl.id.as_str()),
                        entry.rule_number
                    ),
                )
                .subject(acl.id.as_str())
                .sources(fact.sources);
                findings.push(match free {
                    Some(n) => finding.fix(
                        format!("Number {field}[{i}] {n}"),
                        vec![Change::new(
                            acl.id.as_str(),
                            format!("{field}[{i}].rule_number"),
                            n,
                        )],
                    ),
                    None => finding,
                });
            }
            for (i, entry) in entries.iter().enumerate() {
                if fact.value.contains(u64::from(entry.rule_number)) {
                    continue;
                }
                findings.push(
                    Finding::new(
                        "SEC-007",
                        Severity::Error,
                        format!(
                            "{way} entry {field}[{i}] of network ACL {} has rule number {}; AWS accepts {} \
                             (32767–65535 are reserved).",
                            context.label(acl.id.as_str()),
                            entry.rule_number,
                            fact.value
                        ),
                    )
                    .subject(acl.id.as_str())
                    .sources(fact.sources),
                );
            }
        }
    }
}

fn endpoint_range(context: &Context, end: &FlowEndpoint) -> Option<Range> {
    match end {
        FlowEndpoint::Subnet(id) => context.subnets.get(id.as_str()).map(|s| range(&s.cidr())),
        FlowEndpoint::Cidr(net) => Some(range(net)),
    }
}

/// Declared flows as cubes, by the networks they start or end in, so each rule is compared only with the flows
/// that can reach it (flows spanning several networks are compared everywhere).
struct FlowIndex<'a> {
    by_network: crate::hash::FastMap<&'a str, Vec<Cube>>,
    everywhere: Vec<Cube>,
}

impl<'a> FlowIndex<'a> {
    fn new(context: &Context<'a>) -> Self {
        let mut index = FlowIndex {
            // At most every network: sized up front, as growing it rehashed on large plans.
            by_network: crate::hash::map_with_capacity(context.networks.len()),
            everywhere: Vec::new(),
        };
        for f in &context.design.flows {
            let cubes = flow_cubes(context, f);
            let (Some(src), Some(dst)) = (
                endpoint_range(context, &f.source),
                endpoint_range(context, &f.destination),
            ) else {
                continue;
            };
            match (context.network_covering(src), context.network_covering(dst)) {
                (Some(a), Some(b)) => {
                    index
                        .by_network
                        .entry(a.id())
                        .or_default()
                        .extend(cubes.iter().copied());
                    if a.id() != b.id() {
                        index.by_network.entry(b.id()).or_default().extend(cubes);
                    }
                }
                _ => index.everywhere.extend(cubes),
            }
        }
        index
    }

    fn for_networks<'i>(&self, networks: impl Iterator<Item = &'i str>) -> Vec<Cube> {
        let mut seen = crate::hash::FastSet::default();
        let mut out = self.everywhere.clone();
        for n in networks {
            if seen.insert(n) {
                out.extend(self.by_network.get(n).into_iter().flatten().copied());
            }
        }
        out
    }
}

/// One declared flow as cubes (protocol, source, any source port, destination, destination ports).
fn flow_cubes(context: &Context, f: &Flow) -> Vec<Cube> {
    let mut out = Vec::new();
    {
        let (Some(src), Some(dst)) = (
            endpoint_range(context, &f.source),
            endpoint_range(context, &f.destination),
        ) else {
            return out;
        };
        let p = rules::protocol_range(f.protocol);
        if f.ports.is_empty() || !f.protocol.has_ports() {
            out.push(Cube::new([p, src, (0, 65535), dst, (0, 65535)]));
        }
        for ports in f.ports.iter().filter(|_| f.protocol.has_ports()) {
            out.push(Cube::new([
                p,
                src,
                (0, 65535),
                dst,
                rules::ports_for(f.protocol, *ports),
            ]));
        }
    }
    out
}

/// SEC-003. Priorities 100–4096, unique per direction [AZ18].
fn priorities(context: &Context, nsg: &Nsg, findings: &mut Vec<Finding>) {
    let fact = azure_facts::NSG_PRIORITY;
    let mut by_priority: BTreeMap<(u32, &str), Vec<&NsgRule>> = BTreeMap::new();
    for rule in &nsg.rules {
        if !fact.value.contains(u64::from(rule.priority)) {
            findings.push(
                Finding::new(
                    "SEC-003",
                    Severity::Error,
                    format!(
                        "Rule {} of NSG {} has priority {}; Azure allows {}.",
                        context.label(rule.id.as_str()),
                        context.label(nsg.id.as_str()),
                        rule.priority,
                        fact.value
                    ),
                )
                .subject(rule.id.as_str())
                .subject(nsg.id.as_str())
                .sources(fact.sources),
            );
        }
        by_priority
            .entry((rule.priority, rule.direction.name()))
            .or_default()
            .push(rule);
    }
    for ((priority, direction), rules) in by_priority.into_iter().filter(|(_, r)| r.len() > 1) {
        let mut f = Finding::new(
            "SEC-003",
            Severity::Error,
            format!(
                "NSG {} has {} {direction} rules with priority {priority} ({}); Azure refuses two rules with the same \
                 priority and direction.",
                context.label(nsg.id.as_str()),
                rules.len(),
                rules.iter().map(|r| context.label(r.id.as_str())).collect::<Vec<_>>().join(", ")
            ),
        );
        for r in &rules {
            f = f.subject(r.id.as_str());
        }
        findings.push(f.subject(nsg.id.as_str()).sources(fact.sources));
    }
}

/// SEC-004. A rule every packet of which an earlier (higher-priority) rule of the same direction already
/// decides: it can never match. Decided on sets, so `10.0.0.0/8` shadows `10.2.1.0/24` and `*` shadows `443`.
fn shadowed(context: &Context, nsg: &Nsg, compiled: &CompiledNsg, findings: &mut Vec<Finding>) {
    for order in [&compiled.inbound, &compiled.outbound] {
        let ordered: Vec<&NsgRule> = order.iter().map(|i| &nsg.rules[*i]).collect();
        let cubes: Vec<&[Cube]> = order.iter().map(|i| compiled.cubes(*i)).collect();
        for (i, rule) in ordered.iter().enumerate() {
            let earlier = (0..i).filter(|j| ordered[*j].priority < rule.priority);
            if i == 0 || cubes[i].is_empty() || !(0..i).any(|j| ordered[j].priority < rule.priority)
            {
                continue;
            }
            let mut left = cubes[i].to_vec();
            let mut shadows = Vec::new();
            for j in earlier {
                if rules::any_intersect(&left, cubes[j]) {
                    shadows.push(ordered[j]);
                    left = rules::uncovered(left, cubes[j]);
                }
                if left.is_empty() {
                    break;
                }
            }
            if left.is_empty() {
                let mut f = Finding::new(
                    "SEC-004",
                    Severity::Warning,
                    format!(
                        "Rule {} (priority {}) of NSG {} can never match: {} decide all of its traffic first.",
                        context.label(rule.id.as_str()),
                        rule.priority,
                        context.label(nsg.id.as_str()),
                        shadows
                            .iter()
                            .map(|r| format!("{} (priority {}, {})", context.label(r.id.as_str()), r.priority, r.access.name()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .subject(rule.id.as_str());
                for r in &shadows {
                    f = f.subject(r.id.as_str());
                }
                findings.push(f.subject(nsg.id.as_str()).sources(&["AZ18"]));
            }
        }
    }
}

fn opens_any_source(prefixes: &[AddressPrefix]) -> bool {
    prefixes.iter().any(|p| match p {
        AddressPrefix::Any => true,
        AddressPrefix::Cidr(n) => n.prefix_len() == 0,
        AddressPrefix::Tag(t) => t == "Internet",
    })
}

/// SEC-005 (NSG). An allow rule serving a declared flow, but from any source or on all ports [AZ18].
fn broad_nsg_rules(
    context: &Context,
    nsg: &Nsg,
    compiled: &CompiledNsg,
    flows: &[Cube],
    findings: &mut Vec<Finding>,
) {
    for (i, rule) in nsg
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.access == Access::Allow)
    {
        let cubes = compiled.cubes(i);
        let (peer, local_ports) = match rule.direction {
            Direction::Inbound => (&rule.source_prefixes, &rule.destination_ports),
            Direction::Outbound => (&rule.destination_prefixes, &rule.destination_ports),
        };
        let any_peer = opens_any_source(peer);
        let all_ports = rule.protocol.has_ports() && local_ports.iter().any(|p| p.is_all());
        if !(any_peer || all_ports) || !rules::any_intersect(cubes, flows) {
            continue;
        }
        let message = format!(
            "Rule {} of NSG {} allows {}{}{}",
            context.label(rule.id.as_str()),
            context.label(nsg.id.as_str()),
            if any_peer {
                format!(
                    "any {}",
                    if rule.direction == Direction::Inbound {
                        "source"
                    } else {
                        "destination"
                    }
                )
            } else {
                String::new()
            },
            if any_peer && all_ports { " and " } else { "" },
            if all_ports { "all ports" } else { "" }
        );
        push_broad_rule(findings, message, rule.id.as_str(), nsg.id.as_str(), "AZ18");
    }
}

/// A SEC-005 finding: `what` says which rule allows what; the rest is the same for both clouds.
fn push_broad_rule(findings: &mut Vec<Finding>, what: String, rule: &str, set: &str, source: &str) {
    findings.push(
        Finding::new(
            "SEC-005",
            Severity::Warning,
            format!(
                "{what} while the declared flows it serves are narrower. Expected: the flows' own prefixes and \
                 ports."
            ),
        )
        .subject(rule)
        .subject(set)
        .sources(&[source]),
    );
}

/// The subnets (as ranges) whose workloads carry a security group.
fn sg_members(context: &Context, sg: &str) -> Vec<Range> {
    context
        .sg_subnets
        .get(sg)
        .map(|list| list.iter().map(|s| range(&s.cidr)).collect())
        .unwrap_or_default()
}

fn sg_rule_cubes(
    context: &Context,
    sg: &str,
    rule: &crate::model::aws::SecurityGroupRule,
    ingress: bool,
) -> Vec<Cube> {
    let p = rules::protocol_range(rule.protocol);
    let ports = rules::ports_for(rule.protocol, rule.ports);
    sg_members(context, sg)
        .into_iter()
        .map(|member| {
            if ingress {
                Cube::new([p, range(&rule.cidr), (0, 65535), member, ports])
            } else {
                Cube::new([p, member, (0, 65535), range(&rule.cidr), ports])
            }
        })
        .collect()
}

/// SEC-005 (security groups). A rule serving a declared flow, but for 0.0.0.0/0 or all ports [VPC3].
fn broad_sg_rules(
    context: &Context,
    sg: &SecurityGroup,
    flows: &[Cube],
    findings: &mut Vec<Finding>,
) {
    for (ingress, list) in [(true, &sg.ingress), (false, &sg.egress)] {
        for rule in list {
            let any_peer = rule.cidr.prefix_len() == 0;
            let all_ports = matches!(rule.protocol, Protocol::Tcp | Protocol::Udp | Protocol::Any)
                && rule.ports.is_all();
            if !(any_peer || all_ports)
                || !rules::any_intersect(
                    &sg_rule_cubes(context, sg.id.as_str(), rule, ingress),
                    flows,
                )
            {
                continue;
            }
            let message = format!(
                "{} rule {} of security group {} allows {} on {}",
                if ingress { "Inbound" } else { "Outbound" },
                rule.id,
                context.label(sg.id.as_str()),
                rule.cidr,
                if all_ports {
                    "all ports".to_string()
                } else {
                    format!("port {}", rule.ports)
                }
            );
            push_broad_rule(findings, message, rule.id.as_str(), sg.id.as_str(), "VPC3");
        }
    }
}

/// Addresses of the networks on the other side of the VPN from `network`.
fn partner_space(context: &Context, network: &str) -> RangeSet {
    let own_cloud = matches!(context.network(network), Some(Network::Azure(_)));
    RangeSet::new(
        context
            .component_networks(network)
            .iter()
            .filter(|n| n.id() != network && matches!(n, Network::Azure(_)) != own_cloud)
            .flat_map(|n| n.spaces().iter().map(range))
            .collect(),
    )
}

fn describe(cube: &Cube) -> String {
    let cidrs = super::prefixes::cidrs_text;
    let proto = ["tcp", "udp", "icmp", "esp", "ah", "other"];
    let p = if cube.get(0).0 == cube.get(0).1 {
        proto
            .get(cube.get(0).0 as usize)
            .copied()
            .unwrap_or("other")
            .to_string()
    } else {
        "several protocols".to_string()
    };
    let ports = if cube.get(4) == (0, 65535) {
        "all ports".to_string()
    } else if cube.get(4).0 == cube.get(4).1 {
        format!("port {}", cube.get(4).0)
    } else {
        format!("ports {}-{}", cube.get(4).0, cube.get(4).1)
    };
    format!(
        "{p} from {} to {} on {ports}",
        cidrs(cube.get(1)),
        cidrs(cube.get(3))
    )
}

/// SEC-008. Cross-cloud traffic the NSG admits into its subnets that no declared flow needs, counting the default
/// AllowVNetInBound, whose VirtualNetwork tag includes every VPN-connected prefix [AZ18].
fn nsg_beyond_intent(
    context: &Context,
    nsg: &Nsg,
    compiled: &CompiledNsg,
    flows: &[Cube],
    findings: &mut Vec<Finding>,
) {
    let mut vnets: Vec<&crate::model::azure::Vnet> = context
        .nsg_subnets
        .get(nsg.id.as_str())
        .map(|l| l.iter().map(|(v, _)| *v).collect())
        .unwrap_or_default();
    vnets.dedup_by(|a, b| a.id == b.id);
    for vnet in vnets {
        let partner = partner_space(context, vnet.id.as_str());
        if partner.is_empty() {
            continue;
        }
        // One finding per NSG and VNet, over all the subnets it guards: worth knowing once, not per subnet.
        let subnets: Vec<&crate::model::azure::Subnet> = vnet
            .subnets
            .iter()
            .filter(|s| s.nsg.as_ref() == Some(&nsg.id))
            .collect();
        let region: Vec<Cube> = subnets
            .iter()
            .flat_map(|subnet| from_partner(&partner, &subnet.cidr))
            .collect();
        let Some((sample, by)) = nsg_allowed_beyond(nsg, &region, compiled, flows) else {
            continue;
        };
        let reached: Vec<&&crate::model::azure::Subnet> = subnets
            .iter()
            .filter(|s| {
                let r = range(&s.cidr);
                sample.get(3).0 <= r.1 && r.0 <= sample.get(3).1
            })
            .collect();
        let mut finding = Finding::new(
            "SEC-008",
            Severity::Info,
            format!(
                "NSG {} admits into {} traffic from the other cloud that no declared flow needs, for example {}, \
                 through {}.",
                context.label(nsg.id.as_str()),
                if reached.len() == 1 {
                    format!("subnet {}", context.label(reached[0].id.as_str()))
                } else {
                    format!("{} subnets of {}", reached.len(), context.label(vnet.id.as_str()))
                },
                describe(&sample),
                by
            ),
        )
        .subject(nsg.id.as_str());
        for subnet in reached {
            finding = finding.subject(subnet.id.as_str());
        }
        findings.push(finding);
    }
}

/// All traffic from the other cloud (`partner`) into a subnet: any protocol, any ports.
fn from_partner<'r>(
    partner: &'r RangeSet,
    subnet: &ipnet::IpNet,
) -> impl Iterator<Item = Cube> + 'r {
    let into = range(subnet);
    partner
        .ranges()
        .iter()
        .filter(move |p| same_family(**p, into))
        .map(move |p| {
            Cube::new([
                rules::protocol_range(Protocol::Any),
                *p,
                (0, 65535),
                into,
                (0, 65535),
            ])
        })
}

/// The first traffic in `region` that the NSG's inbound rules allow (first match wins) and no declared flow
/// needs, with the rule that allows it: enough for one finding, so the walk stops there.
fn nsg_allowed_beyond(
    nsg: &Nsg,
    region: &[Cube],
    compiled: &CompiledNsg,
    flows: &[Cube],
) -> Option<(Cube, String)> {
    let mut remaining = region.to_vec();
    let default = &compiled.default_inbound[0];
    // Names are written only for the rule that is reported.
    let user = compiled.inbound.iter().map(|i| {
        let r = &nsg.rules[*i];
        (
            (r.name.as_str(), r.priority),
            r.access == Access::Allow,
            compiled.cubes(*i),
        )
    });
    let implied = std::iter::once((
        (default.name, default.priority),
        default.allow,
        default.cubes.as_slice(),
    ));
    for ((name, priority), allow, cubes) in user.chain(implied) {
        if remaining.is_empty() {
            break;
        }
        if allow {
            for r in &remaining {
                for c in cubes {
                    if let Some(hit) = rules::intersect(r, c) {
                        if let Some(extra) = rules::first_uncovered(&[hit], flows) {
                            return Some((extra, format!("{name} ({priority})")));
                        }
                    }
                }
            }
        }
        if rules::any_intersect(&remaining, cubes) {
            remaining = rules::uncovered(remaining, cubes);
        }
    }
    None
}

/// SEC-008 for subnets with no NSG at all. Azure then filters nothing: every protocol and port from the other
/// cloud reaches them, which is more than a partial NSG admits, and that case is reported too [AZ18]. One finding
/// per VNet, as for an NSG. Subnets that take no NSG (GatewaySubnet, where GW-003 is about putting one, and Azure
/// Firewall's) are left out: the advice to add one would be wrong there.
fn unguarded_subnets(context: &Context, flows: &FlowIndex, findings: &mut Vec<Finding>) {
    for vnet in &context.design.azure.vnets {
        let bare: Vec<&crate::model::azure::Subnet> = vnet
            .subnets
            .iter()
            // A GatewaySubnet spelt in another case is GW-001's to name; the advice to give it an NSG would be
            // wrong once it is spelt right (QA s17b).
            .filter(|s| {
                s.nsg.is_none()
                    && !crate::model::azure::SUBNETS_WITHOUT_NSG
                        .iter()
                        .any(|n| n.eq_ignore_ascii_case(&s.name))
            })
            .collect();
        if bare.is_empty() {
            continue;
        }
        let partner = partner_space(context, vnet.id.as_str());
        if partner.is_empty() {
            continue;
        }
        let needed = flows.for_networks(std::iter::once(vnet.id.as_str()));
        let mut sample = None;
        let mut reached = Vec::new();
        for subnet in bare {
            let region: Vec<Cube> = from_partner(&partner, &subnet.cidr).collect();
            if let Some(extra) = rules::first_uncovered(&region, &needed) {
                sample.get_or_insert(extra);
                reached.push(subnet.id.as_str());
            }
        }
        let Some(sample) = sample else { continue };
        let (which, them) = match reached.as_slice() {
            [one] => (
                format!(
                    "Subnet {} of VNet {} has",
                    context.label(one),
                    context.label(vnet.id.as_str())
                ),
                "it",
            ),
            many => (
                format!(
                    "Subnets {} of VNet {} have",
                    many.iter()
                        .map(|s| context.label(s))
                        .collect::<Vec<_>>()
                        .join(", "),
                    context.label(vnet.id.as_str())
                ),
                "them",
            ),
        };
        let mut finding = Finding::new(
            "SEC-008",
            Severity::Info,
            format!(
                "{which} no NSG, so everything from the other cloud reaches {them}, including traffic no declared \
                 flow needs, for example {}. Expected: an NSG that allows the declared flows.",
                describe(&sample)
            ),
        )
        .sources(&["AZ18"]);
        for subnet in reached {
            finding = finding.subject(subnet);
        }
        findings.push(finding.subject(vnet.id.as_str()));
    }
}

/// SEC-008 (security groups). Ingress from the other cloud that no declared flow needs, once per group.
fn sg_beyond_intent(
    context: &Context,
    sg: &SecurityGroup,
    flows: &[Cube],
    findings: &mut Vec<Finding>,
) {
    let partner = partner_space(context, sg.vpc.as_str());
    let mut sample = None;
    let mut wide_rules = Vec::new();
    let members = sg_members(context, sg.id.as_str());
    for rule in &sg.ingress {
        // The rule's traffic that comes from the other cloud, into the group's subnets.
        let p = rules::protocol_range(rule.protocol);
        let ports = rules::ports_for(rule.protocol, rule.ports);
        let src = range(&rule.cidr);
        // The region's cubes in order, each checked as it comes: the first one with traffic no flow needs
        // gives the same sample as checking the whole region at once.
        let extra = members.iter().find_map(|member| {
            partner.ranges().iter().find_map(|peer| {
                let (lo, hi) = (src.0.max(peer.0), src.1.min(peer.1));
                (lo <= hi && same_family((lo, hi), *member))
                    .then(|| {
                        rules::first_uncovered(
                            &[Cube::new([p, (lo, hi), (0, 65535), *member, ports])],
                            flows,
                        )
                    })
                    .flatten()
            })
        });
        if let Some(extra) = extra {
            sample.get_or_insert(extra);
            wide_rules.push(rule.id.as_str());
        }
    }
    let Some(sample) = sample else { return };
    let mut finding = Finding::new(
        "SEC-008",
        Severity::Info,
        format!(
            "Security group {} admits traffic from the other cloud that no declared flow needs through inbound \
             rule(s) {}, for example {}.",
            context.label(sg.id.as_str()),
            wide_rules.join(", "),
            describe(&sample)
        ),
    )
    .subject(sg.id.as_str());
    for r in wide_rules {
        finding = finding.subject(r);
    }
    findings.push(finding);
}

/// Every network address space of the plan, for SEC-006.
fn known_space(context: &Context) -> RangeSet {
    RangeSet::new(
        context
            .networks
            .iter()
            .flat_map(|n| n.spaces().iter().map(range))
            .collect(),
    )
}

fn unknown_nsg_ranges(context: &Context, known: &RangeSet, nsg: &Nsg, findings: &mut Vec<Finding>) {
    for rule in &nsg.rules {
        for p in rule
            .source_prefixes
            .iter()
            .chain(&rule.destination_prefixes)
        {
            if let AddressPrefix::Cidr(net) = p {
                unknown_range(
                    context,
                    known,
                    rule.id.as_str(),
                    nsg.id.as_str(),
                    net,
                    findings,
                );
            }
        }
    }
}

fn unknown_sg_ranges(
    context: &Context,
    known: &RangeSet,
    sg: &SecurityGroup,
    findings: &mut Vec<Finding>,
) {
    for rule in sg.ingress.iter().chain(&sg.egress) {
        unknown_range(
            context,
            known,
            rule.id.as_str(),
            sg.id.as_str(),
            &rule.cidr,
            findings,
        );
    }
}

/// SEC-006. A rule naming a range that belongs to no network of the plan (neither cloud's address spaces):
/// a typo, or a network the design forgot.
fn unknown_range(
    context: &Context,
    known: &RangeSet,
    rule: &str,
    owner: &str,
    net: &ipnet::IpNet,
    findings: &mut Vec<Finding>,
) {
    if net.prefix_len() == 0 || known.intersects(range(net)) {
        return;
    }
    findings.push(
        Finding::new(
            "SEC-006",
            Severity::Warning,
            format!(
                "Rule {} of {} names {net}, which belongs to no network of the plan.",
                context.label(rule),
                context.label(owner)
            ),
        )
        .subject(rule)
        .subject(owner),
    );
}

/// SEC-009. Rule-count quotas: 60 inbound or outbound rules per security group, IPv4 and IPv6 rules counted
/// separately [VPC1]; 1,000 per NSG [AZ18].
fn sg_quota(context: &Context, sg: &SecurityGroup, findings: &mut Vec<Finding>) {
    let sg_limit = aws_facts::SG_MAX_RULES_PER_DIRECTION;
    let count = |rules: &[SecurityGroupRule], v4: bool| {
        rules
            .iter()
            .filter(|r| r.cidr.addr().is_ipv4() == v4)
            .count()
    };
    for (what, rules) in [("inbound", &sg.ingress), ("outbound", &sg.egress)] {
        for (family, v4) in [("IPv4", true), ("IPv6", false)] {
            let count = count(rules, v4);
            if count <= sg_limit.value {
                continue;
            }
            findings.push(
                Finding::new(
                    "SEC-009",
                    Severity::Error,
                    format!(
                        "Security group {} has {count} {family} {what} rules; the quota is {} per direction \
                         for each address family.",
                        context.label(sg.id.as_str()),
                        sg_limit.value
                    ),
                )
                .subject(sg.id.as_str())
                .sources(sg_limit.sources),
            );
        }
    }
}

fn nsg_quota(context: &Context, nsg: &Nsg, findings: &mut Vec<Finding>) {
    let nsg_limit = azure_facts::NSG_MAX_RULES;
    if nsg.rules.len() > nsg_limit.value {
        findings.push(
            Finding::new(
                "SEC-009",
                Severity::Error,
                format!(
                    "NSG {} has {} rules; the quota is {} per NSG.",
                    context.label(nsg.id.as_str()),
                    nsg.rules.len(),
                    nsg_limit.value
                ),
            )
            .subject(nsg.id.as_str())
            .sources(nsg_limit.sources),
        );
    }
}
