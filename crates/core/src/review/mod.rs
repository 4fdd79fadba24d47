//! The review: every check of `shared/domain/review-rules.md`, as pure functions from a plan to findings.
//!
//! One module per family, each owning its codes: [`addressing`] (ADDR), [`gateways`] (GW), [`bgp`] (BGP),
//! [`tunnels`] (TUN), [`ike`] (IKE), [`routing`] (RT) and [`security`] (SEC). They share one [`Context`]: the
//! plan indexed by id, the tunnels paired across the two clouds, and which networks reach which.
//!
//! Checks never panic on a plan the loader would reject (dangling references, odd sizes): they skip what they
//! cannot resolve, because reporting broken references is the loader's job.

pub mod addressing;
pub mod bgp;
pub mod catalogue;
pub mod context;
pub mod gateways;
pub mod generate;
pub mod ike;
pub mod names;
pub mod places;
pub mod prefixes;
pub mod routing;
pub mod security;
pub mod tunnels;

#[cfg(test)]
mod tests;

pub use context::{Context, Link};

use crate::model::{Flow, ObjectId, Plan};
use crate::trace::Trace;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding: what is wrong, where, why (the facts-sheet sources) and, when unambiguous, the fix as data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub title: String,
    /// Names the objects (display name and id), the values involved and what is expected.
    pub message: String,
    /// Ids of the objects the finding is about, most specific first.
    pub subjects: Vec<ObjectId>,
    /// Facts-sheet source keys ([AZ1] is "AZ1").
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// A fix an editor can apply in one click: set each field of each object to a value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    /// What the fix does, in words.
    pub summary: String,
    pub changes: Vec<Change>,
}

/// Sets `field` (a JSON path relative to the object, like `tunnels[1].inside_cidr`) of the object with id
/// `object` to `value` (in the plan file's JSON form).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub object: ObjectId,
    pub field: String,
    pub value: serde_json::Value,
}

impl Finding {
    /// A finding with the catalogue's title for its code.
    pub fn new(code: &str, severity: Severity, message: impl Into<String>) -> Self {
        Finding {
            code: code.to_string(),
            severity,
            title: catalogue::title(code).to_string(),
            message: message.into(),
            subjects: Vec::new(),
            sources: Vec::new(),
            fix: None,
        }
    }

    pub fn subject(mut self, id: impl AsRef<str>) -> Self {
        let id = id.as_ref().to_string();
        if !self.subjects.contains(&id) {
            self.subjects.push(id);
        }
        self
    }

    pub fn sources(mut self, keys: &[&str]) -> Self {
        for key in keys {
            if !self.sources.iter().any(|k| k == key) {
                self.sources.push(key.to_string());
            }
        }
        self
    }

    pub fn fix(mut self, summary: impl Into<String>, changes: Vec<Change>) -> Self {
        self.fix = Some(Fix {
            summary: summary.into(),
            changes,
        });
        self
    }

    /// [`fix`](Self::fix) when there is one.
    pub fn fix_if(self, fix: Option<(String, Vec<Change>)>) -> Self {
        match fix {
            Some((summary, changes)) => self.fix(summary, changes),
            None => self,
        }
    }
}

impl Change {
    pub fn new(object: impl AsRef<str>, field: impl Into<String>, value: impl Serialize) -> Self {
        Change {
            object: object.as_ref().to_string(),
            field: field.into(),
            value: serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// Reviews a plan: every check of every family, findings in a stable order (by code, then subjects, then
/// message), so two runs over the same plan print the same thing and diffs in CI stay quiet. Routing findings and
/// blocked declared flows (SEC-001, SEC-002) come from tracing every declared flow, after the tunnel checks have
/// said which tunnels can come up; the rule sets' own checks need no trace.
pub fn review(plan: &Plan) -> Vec<Finding> {
    review_with_traces(&Context::new(plan)).0
}

/// The review's findings, sorted, and the trace of every declared flow: what [`review`] does, with the traces
/// kept (the review pack prints them).
pub(crate) fn review_with_traces<'p>(
    context: &Context<'p>,
) -> (Vec<Finding>, Vec<(&'p Flow, Option<Trace>)>) {
    let mut findings = review_tunnels(context);
    // The rule sets first, while nothing else has read them (see `security::rule_sets`); their findings join
    // the others after the traces, which read only the tunnel families' findings.
    let mut rule_findings = Vec::new();
    security::rule_sets(context, &mut rule_findings);
    let traces = crate::trace::trace_flows(context, &findings);
    routing::check(context, &traces, &mut findings);
    routing::route_tables(context, &mut findings);
    security::flows(context, &traces, &mut findings);
    names::check(context, &mut findings);
    places::check(context, &mut findings);
    findings.append(&mut rule_findings);
    sort(&mut findings);
    (findings, traces)
}

/// The families that decide whether tunnels can come up (and the address plan they rest on): everything but
/// routing and security. ADDR-005 on the CIDRs of rules is reported by the security family's pass over the rule
/// sets (`security::rule_sets`), not here.
///
/// Every family's per-link checks run in one pass over the links: on a plan of thousands of networks the objects
/// a link points at (connection, local network gateway, VPN connection, tunnel, gateways) are past the cache, and
/// a pass per family fetched them all from memory again, which made the 10,000-network review grow faster than
/// ten times the 1,000-network one (issue 3, docs/benchmarks.md). What needs the links grouped first (GW-007's
/// site pairs, TUN-003's gateways, TUN-007's key uses) reads them again afterwards. Each family's `check` runs its
/// part alone.
pub(crate) fn review_tunnels(context: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    addressing::network_checks(context, &mut findings);
    let mut static_routes = addressing::StaticRoutes::new(context);
    let mut redundancy = gateways::Redundancy::new(context);
    let mut bgp = bgp::Checks::new(context);
    let mut tunnels = tunnels::Checks::new(context);
    for (i, link) in context.links.iter().enumerate() {
        static_routes.link(context, link, &mut findings);
        redundancy.link(i, link);
        bgp.link(context, link, &mut findings);
        tunnels.link(context, link, &mut findings);
        ike::link_checks(context, link, &mut findings);
    }
    redundancy.finish(context, &mut findings);
    gateways::gateway_checks(context, &mut findings);
    bgp.finish(context, &mut findings);
    tunnels.finish(context, &mut findings);
    ike::connection_checks(context, &mut findings);
    findings
}

/// The stable order of findings.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.code, &a.subjects, &a.message).cmp(&(&b.code, &b.subjects, &b.message))
    });
}

/// Counts of findings per severity: (errors, warnings, infos).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    )
}
