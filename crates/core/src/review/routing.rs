//! RT: routing, per declared flow and per direction. The findings are the trace's: a flow blocked at a route
//! table, a gateway or the far network (RT-001, RT-002, RT-003), and a return path through other gateways than
//! the forward path (RT-004). Flows blocked because a tunnel cannot come up are not repeated here: the tunnel,
//! IKE or BGP finding that brings the tunnel down is the cause to fix.

use super::context::Context;
use super::{Finding, Severity};
use crate::model::flow::Flow;
use crate::trace::{Direction, Trace, Verdict};

/// The sources each routing code cites.
fn sources(code: &str) -> &'static [&'static str] {
    match code {
        "RT-004" => &["AZ2"],
        _ => &["AZ21", "AWS9"],
    }
}

pub fn check(context: &Context, traces: &[(&Flow, Option<Trace>)], findings: &mut Vec<Finding>) {
    for (flow, trace) in traces {
        let Some(trace) = trace else { continue };
        push_blocked(context, flow, trace, "RT-", findings);
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
    finding
}
