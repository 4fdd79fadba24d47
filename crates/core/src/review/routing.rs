//! RT: routing, per declared flow and per direction. The findings are the trace's: a flow blocked at a route
//! table, a gateway or the far network (RT-001, RT-002, RT-003), and a return path through other gateways than
//! the forward path (RT-004). Flows blocked because a tunnel cannot come up are not repeated here: the tunnel,
//! IKE or BGP finding that brings the tunnel down is the cause to fix. A flow that reaches tunnels which are up
//! but whose traffic selectors leave it out is reported here too, as TUN-014, since only following the flow finds
//! it.

use super::context::Context;
use super::Change;
use super::{Finding, Severity};
use crate::model::azure::NextHopType;
use crate::model::flow::Flow;
use crate::trace::{Direction, Trace, Verdict};

/// The sources each routing code cites.
fn sources(code: &str) -> &'static [&'static str] {
    match code {
        "RT-004" => &["AZ2"],
        "RT-005" => &["AZ21"],
        "RT-005-aws" => &["AWS9"],
        "TUN-014" => &["AZ5", "AWS10"],
        "RT-006" => &["AZ2", "AZ22", "VPC2"],
        _ => &["AZ21", "AWS9"],
    }
}

pub fn check(context: &Context, traces: &[(&Flow, Option<Trace>)], findings: &mut Vec<Finding>) {
    for (flow, trace) in traces {
        let Some(trace) = trace else { continue };
        push_blocked(context, flow, trace, "RT-", findings);
        // A flow the tunnels' selectors leave out is found by following it, so it is reported with the routes.
        push_blocked(context, flow, trace, "TUN-014", findings);
        for warning in &trace.warnings {
            findings.push(
                Finding::new(
                    "RT-004",
                    Severity::Warning,
                    format!(
                        "Flow {}: {warning}. Stateful rules and tunnels may drop replies that come back another way.",
                        context.label(flow.id.as_str())
                    ),
                )
                .subject(flow.id.as_str())
                .sources(sources("RT-004")),
            );
        }
    }
}

/// RT-005 (beyond the catalogue, like TUN-011): routes a cloud refuses to create, whatever the flows. Two routes of
/// one table for the same prefix (AWS answers `RouteAlreadyExists`; the design would not say which applies), two
/// Azure routes of one table with one name (a route is a named child of its table), and an Azure route whose next
/// hop does not match its type: `VirtualAppliance` needs the appliance's address [AZ21], and azurerm allows an
/// address on no other type (`next_hop_in_ip_address`).
pub fn route_tables(context: &Context, findings: &mut Vec<Finding>) {
    let refused = |table: &str, aws: bool, message: String| {
        Finding::new(
            "RT-005",
            Severity::Error,
            format!("Route table {}: {message}", context.label(table)),
        )
        .subject(table)
        .sources(sources(if aws { "RT-005-aws" } else { "RT-005" }))
    };
    for table in &context.design.azure.route_tables {
        let id = table.id.as_str();
        for (j, route) in table.routes.iter().enumerate() {
            let earlier = &table.routes[..j];
            if let Some(i) = earlier
                .iter()
                .position(|r| r.address_prefix == route.address_prefix)
            {
                findings.push(refused(id, false,
                    format!(
                        "routes[{i}] and routes[{j}] are both for {}. Expected: one route per prefix; remove one or \
                         change its prefix.",
                        route.address_prefix
                    ),
                ));
            } else if let Some(i) = earlier
                .iter()
                .position(|r| r.name.as_str().eq_ignore_ascii_case(route.name.as_str()))
            {
                findings.push(refused(id, false,
                    format!(
                        "routes[{i}] and routes[{j}] are both named {} (Azure ignores case in names); a table names each route once. \
                         Expected: another name for routes[{j}].",
                        route.name
                    ),
                ));
            }
            match (route.next_hop_type == NextHopType::VirtualAppliance, route.next_hop_ip) {
                (true, None) => findings.push(refused(id, false,
                    format!(
                        "routes[{j}] ({} to {}) sends traffic to a virtual appliance but names no appliance \
                         address. Expected: next_hop_ip, the appliance's private address.",
                        route.name, route.address_prefix
                    ),
                )),
                (false, Some(ip)) => findings.push(
                    refused(id, false,
                        format!(
                            "routes[{j}] ({} to {}) has next hop {} and a next-hop address, {ip}; only a \
                             VirtualAppliance route has one. Expected: no next_hop_ip.",
                            route.name,
                            route.address_prefix,
                            route.next_hop_type.name()
                        ),
                    )
                    .fix(
                        format!("Clear next_hop_ip of routes[{j}]"),
                        vec![Change::new(id, format!("routes[{j}].next_hop_ip"), serde_json::Value::Null)],
                    ),
                ),
                _ => {}
            }
        }
    }
    for table in &context.design.aws.route_tables {
        for (j, route) in table.routes.iter().enumerate() {
            if let Some(i) = table.routes[..j]
                .iter()
                .position(|r| r.destination == route.destination)
            {
                findings.push(refused(table.id.as_str(), true,
                    format!(
                        "routes[{i}] and routes[{j}] are both for {}; AWS refuses a second route to a destination \
                         (RouteAlreadyExists). Expected: one route per destination; remove one or change it.",
                        route.destination
                    ),
                ));
            }
        }
    }
}

/// A finding for a flow the trace stopped, shared with the security family.
/// The finding for a flow the trace blocked with a code of this family (RT- here, SEC- in `security`).
pub(crate) fn push_blocked(
    context: &Context,
    flow: &Flow,
    trace: &Trace,
    family: &str,
    findings: &mut Vec<Finding>,
) {
    if let Verdict::Blocked {
        direction,
        hop,
        reason,
        code: Some(code),
        subjects,
        changes,
    } = &trace.verdict
    {
        if code.starts_with(family) {
            findings.push(blocked(
                context, flow, *direction, hop, reason, code, subjects, changes,
            ));
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn blocked(
    context: &Context,
    flow: &Flow,
    direction: Direction,
    hop: &str,
    reason: &str,
    code: &str,
    subjects: &[String],
    changes: &[String],
) -> Finding {
    let way = match direction {
        Direction::Forward => "forward",
        Direction::Return => "return path",
    };
    let mut finding = Finding::new(
        code,
        Severity::Error,
        format!(
            "Flow {} ({} {}) is blocked on its {way} at the {hop}: {reason}. To let it through: {}.",
            context.label(flow.id.as_str()),
            flow.protocol.name(),
            flow.ports.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(","),
            changes.join("; ")
        ),
    )
    .subject(flow.id.as_str())
    .sources(match code {
        "SEC-001" => &["AZ18"],
        // A network ACL's block (the trace names it as such) cites the NACL facts; a security group's, VPC3.
        "SEC-002" if reason.starts_with("network ACL") => &["VPC4"],
        "SEC-002" => &["VPC3"],
        other => sources(other),
    });
    for s in subjects {
        finding = finding.subject(s);
    }
    match (code, propagation_fix(context, subjects)) {
        ("RT-002", Some((label, change))) => finding.fix(label, vec![change]),
        _ => finding,
    }
}

/// RT-002's fix: turn route propagation on in the route table that blocked the flow (the trace names it after
/// the subnet). An Azure table then takes the gateway's BGP and local network gateway routes [AZ21]; an AWS table
/// the routes of the VPC's virtual private gateway, BGP-learned or its VPN connections' static routes [AWS9].
fn propagation_fix(context: &Context, subjects: &[String]) -> Option<(String, Change)> {
    let table = subjects.get(1)?.as_str();
    if context.azure_route_tables.contains_key(table) {
        return Some((
            format!("Turn on BGP route propagation in {}", context.label(table)),
            Change::new(table, "bgp_route_propagation", true),
        ));
    }
    let t = context.aws_route_tables.get(table)?;
    let vgw = context.vgw_by_vpc.get(t.vpc.as_str())?;
    let mut propagating: Vec<String> = t
        .propagating_vgws
        .iter()
        .map(|v| v.as_str().to_string())
        .collect();
    propagating.push(vgw.id.as_str().to_string());
    Some((
        format!(
            "Propagate the routes of {} into {}",
            context.label(vgw.id.as_str()),
            context.label(table)
        ),
        Change::new(table, "propagating_vgws", propagating),
    ))
}
