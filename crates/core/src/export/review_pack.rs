//! The review pack: one document for an architecture review, in Markdown and in self-contained HTML. What the
//! design is, the diagram, the review's findings with codes and fixes, each declared flow with its trace
//! verdict, the IKE/IPsec parameter sheet, and the fingerprint of the plan it was made from.
//!
//! No secrets: the findings and the sheet never show a key, and the fingerprint is taken over the plan's
//! canonical JSON without them (`vpn-designer fingerprint` prints it for any plan file). The HTML has no script
//! and loads nothing (a content security policy says so); its diagram is an inline SVG of the editor's own
//! layout.

use super::escape::{html, html_into, markdown};
use super::fingerprint::fingerprint;
use super::sheet::{self, PRINT_CSS};
use crate::layout::draw::{self, Draw, EdgeRef, NodeRef};
use crate::layout::{connector, EdgeKind, NodeKind};
use crate::model::flow::FlowEndpoint;
use crate::model::Plan;
use crate::review::{self, Context, Finding};
use crate::trace::{Trace, Verdict};
use std::fmt::Write;

struct Pack {
    findings: Vec<Finding>,
    flows: Vec<FlowRow>,
}

struct FlowRow {
    name: String,
    path: String,
    what: String,
    verdict: String,
    delivered: Option<bool>,
}

fn pack(plan: &Plan, ix: &super::topology::Index<'_>) -> Pack {
    let (findings, traces) = review::review_with_traces(&Context::new(plan));
    let subnet_name = |end: &FlowEndpoint| -> String {
        match end {
            FlowEndpoint::Subnet(id) => {
                let found = ix
                    .vnet_of_subnet(id.as_str())
                    .and_then(|v| {
                        v.subnets
                            .iter()
                            .find(|s| s.id == *id)
                            .map(|s| (&v.name, &s.name, s.cidr))
                    })
                    .or_else(|| {
                        ix.vpc_of_subnet(id.as_str()).and_then(|v| {
                            v.subnets
                                .iter()
                                .find(|s| s.id == *id)
                                .map(|s| (&v.name, &s.name, s.cidr))
                        })
                    });
                match found {
                    Some((network, subnet, cidr)) => format!("{network}/{subnet} ({cidr})"),
                    None => format!("subnet {id}"),
                }
            }
            FlowEndpoint::Cidr(net) => net.to_string(),
        }
    };
    let flows = traces
        .iter()
        .map(|(flow, trace)| {
            let ports: Vec<String> = flow.ports.iter().map(|p| p.to_string()).collect();
            FlowRow {
                name: flow.name.to_string(),
                path: format!(
                    "{} → {}",
                    subnet_name(&flow.source),
                    subnet_name(&flow.destination)
                ),
                what: if ports.is_empty() {
                    flow.protocol.name().to_string()
                } else {
                    format!("{} {}", flow.protocol.name(), ports.join(", "))
                },
                verdict: verdict(trace.as_ref()),
                delivered: trace.as_ref().map(Trace::delivered),
            }
        })
        .collect();
    Pack { findings, flows }
}

/// Runs `a` and `b` side by side where the platform has threads (the command line: the review on one core, the
/// plan's fingerprint and the diagram on the other), one after the other in the browser. The parts share
/// nothing but the plan they read, so the result is the same bytes either way.
fn both<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::scope(|scope| {
            let other = scope.spawn(b);
            let first = a();
            let second = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (first, second)
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        (a(), b())
    }
}

fn verdict(trace: Option<&Trace>) -> String {
    let Some(trace) = trace else {
        return "not traced: the source is not a subnet of the plan".to_string();
    };
    let mut text = match &trace.verdict {
        Verdict::Delivered => "delivered, both directions".to_string(),
        Verdict::Blocked {
            direction,
            hop,
            reason,
            code,
            changes,
            ..
        } => {
            let mut text = format!(
                "BLOCKED on the {} path at {hop}: {reason}",
                match direction {
                    crate::trace::Direction::Forward => "forward",
                    crate::trace::Direction::Return => "return",
                }
            );
            if let Some(code) = code {
                let _ = write!(text, " ({code})");
            }
            if !changes.is_empty() {
                let _ = write!(text, ". To pass: {}", changes.join("; "));
            }
            text
        }
    };
    for warning in &trace.warnings {
        let _ = write!(text, ". Warning: {warning}");
    }
    text
}

fn summary(plan: &Plan) -> Vec<(&'static str, usize)> {
    let d = &plan.design;
    vec![
        ("Azure VNets", d.azure.vnets.len()),
        ("Azure VPN gateways", d.azure.vpn_gateways.len()),
        ("Azure connections", d.azure.connections.len()),
        ("AWS VPCs", d.aws.vpcs.len()),
        ("AWS VPN connections", d.aws.vpn_connections.len()),
        ("AWS tunnels", d.aws.vpn_connections.len() * 2),
        ("Declared flows", d.flows.len()),
    ]
}

fn severity_counts(findings: &[Finding]) -> String {
    let (errors, warnings, infos) = review::counts(findings);
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}, {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(infos, "note", "notes")
    )
}

/// The review pack as Markdown. The diagram is a fenced `mermaid` block (GitHub, GitLab and most viewers draw
/// it); the fence is longer than any run of backticks inside.
pub fn review_markdown(plan: &Plan) -> String {
    // One index of the plan for the flows, the diagram and the sheet (each used to build its own).
    let ix = super::topology::Index::new(&plan.design);
    let ((p, sheet_md), (fingerprint, diagram)) = both(
        || {
            let p = pack(plan, &ix);
            (p, sheet::markdown_of(&sheet::sheet_with(plan, &ix)))
        },
        || (fingerprint(plan), super::mermaid::mermaid_with(plan, &ix)),
    );
    let d = &plan.design;
    // Room for the parts it is made of, so a 7 MB pack is written into one buffer.
    let mut out = String::with_capacity(
        8192 + diagram.len() + sheet_md.len() + p.findings.len() * 400 + p.flows.len() * 300,
    );
    let _ = writeln!(out, "# Architecture review: {}\n", markdown(&d.name));
    if !d.description.is_empty() {
        let _ = writeln!(out, "{}\n", markdown(&d.description));
    }
    let _ = writeln!(
        out,
        "Plan fingerprint (SHA-256 of the plan's canonical JSON without secrets): `{fingerprint}`\n"
    );
    out.push_str("## The design\n\n| Object | Count |\n|---|---|\n");
    for (what, count) in summary(plan) {
        let _ = writeln!(out, "| {what} | {count} |");
    }
    out.push_str("\n## Diagram\n\n");
    let longest = longest_run(&diagram, b'`');
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{fence}mermaid\n{diagram}{fence}\n");
    let _ = writeln!(out, "## Findings: {}\n", severity_counts(&p.findings));
    if p.findings.is_empty() {
        out.push_str("The review finds nothing to report.\n\n");
    } else {
        out.push_str(
            "| Code | Severity | Finding | Objects | Fix | Sources |\n|---|---|---|---|---|---|\n",
        );
        for f in &p.findings {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                markdown(&f.code),
                f.severity.name(),
                markdown(&format!("{}: {}", f.title, f.message)),
                markdown(&f.subjects.join(", ")),
                markdown(f.fix.as_ref().map_or("", |fix| fix.summary.as_str())),
                markdown(&f.sources.join(", "))
            );
        }
        out.push('\n');
    }
    out.push_str("## Declared flows\n\n");
    if p.flows.is_empty() {
        out.push_str("The plan declares no flows.\n\n");
    } else {
        out.push_str("| # | Flow | Path | Traffic | Verdict |\n|---|---|---|---|---|\n");
        for (i, flow) in p.flows.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                i + 1,
                markdown(&flow.name),
                markdown(&flow.path),
                markdown(&flow.what),
                markdown(&flow.verdict)
            );
        }
        out.push('\n');
    }
    out.push_str("## IKE/IPsec parameter sheet\n\n");
    // The sheet's own title and introduction give way to this section's heading; its tunnels go one level down.
    for line in sheet_md.lines().skip_while(|l| !l.starts_with("## ")) {
        if line.starts_with("## ") {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    if !sheet_md.contains("\n## ") {
        out.push_str("The plan has no tunnels.\n");
    }
    let _ = writeln!(
        out,
        "\n---\nMade by VPN Designer from the plan with fingerprint `{fingerprint}`."
    );
    out
}

fn longest_run(text: &str, c: u8) -> usize {
    let (mut best, mut run) = (0, 0);
    for &b in text.as_bytes() {
        run = if b == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

const PACK_CSS: &str = "svg.diagram{width:100%;height:auto;border:1px solid #ccc;background:#fafafa}\
svg.diagram text{font:11px system-ui,sans-serif;fill:#111}\
.sev-error{color:#a00;font-weight:bold}.sev-warning{color:#a60}.fp{font-family:monospace;word-break:break-all}";

/// The review pack as one self-contained HTML page: no script, no external resource.
pub fn review_html(plan: &Plan) -> String {
    // One index of the plan for the flows and the sheet (each used to build its own).
    let ix = super::topology::Index::new(&plan.design);
    // Paired so the halves take about as long: the review with the sheet, the fingerprint with the diagram.
    let ((p, sheet_html), (fingerprint, diagram)) = both(
        || {
            let p = pack(plan, &ix);
            (p, sheet::html_tables(&sheet::sheet_with(plan, &ix), "h3"))
        },
        || (fingerprint(plan), svg(plan)),
    );
    let d = &plan.design;
    let title = format!("Architecture review: {}", d.name);
    // Room for the parts it is made of, so a 15 MB pack is written into one buffer.
    let mut out = String::with_capacity(
        8192 + diagram.len() + sheet_html.len() + p.findings.len() * 500 + p.flows.len() * 400,
    );
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{}</title>\n<style>{PRINT_CSS}{PACK_CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        html(&title),
        html(&title)
    );
    if !d.description.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", html(&d.description));
    }
    let _ = writeln!(
        out,
        "<p>Plan fingerprint (SHA-256 of the plan's canonical JSON without secrets): <span class=\"fp\">{fingerprint}</span></p>"
    );
    out.push_str("<h2>The design</h2>\n<table>\n<tbody>\n");
    for (what, count) in summary(plan) {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{what}</th><td>{count}</td></tr>"
        );
    }
    out.push_str("</tbody>\n</table>\n<h2>Diagram</h2>\n");
    out.push_str(&diagram);
    let _ = writeln!(out, "<h2>Findings: {}</h2>", severity_counts(&p.findings));
    if p.findings.is_empty() {
        out.push_str("<p>The review finds nothing to report.</p>\n");
    } else {
        out.push_str(
            "<table>\n<thead><tr><th>Code</th><th>Severity</th><th>Finding</th><th>Objects</th><th>Fix</th>\
             <th>Sources</th></tr></thead>\n<tbody>\n",
        );
        for f in &p.findings {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"sev-{}\">{}</td><td><b>{}</b>: {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                html(&f.code),
                f.severity.name(),
                f.severity.name(),
                html(&f.title),
                html(&f.message),
                html(&f.subjects.join(", ")),
                html(f.fix.as_ref().map_or("", |fix| fix.summary.as_str())),
                html(&f.sources.join(", "))
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("<h2>Declared flows</h2>\n");
    if p.flows.is_empty() {
        out.push_str("<p>The plan declares no flows.</p>\n");
    } else {
        out.push_str(
            "<table>\n<thead><tr><th>#</th><th>Flow</th><th>Path</th><th>Traffic</th><th>Verdict</th></tr></thead>\n<tbody>\n",
        );
        for (i, flow) in p.flows.iter().enumerate() {
            let class = match flow.delivered {
                Some(true) => " class=\"yes\"",
                Some(false) => " class=\"no\"",
                None => "",
            };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td{class}>{}</td></tr>",
                i + 1,
                html(&flow.name),
                html(&flow.path),
                html(&flow.what),
                html(&flow.verdict)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("<h2>IKE/IPsec parameter sheet</h2>\n");
    out.push_str(&sheet_html);
    let _ = writeln!(
        out,
        "<hr>\n<p>Made by VPN Designer from the plan with fingerprint <span class=\"fp\">{fingerprint}</span>.</p>\n</body>\n</html>"
    );
    out
}

/// The editor's diagram (its layout and labels) as an inline SVG.
fn svg(plan: &Plan) -> String {
    let placed = crate::layout::placed(plan);
    // About 300 bytes per node and 150 per edge, in one allocation each.
    let mut out = Svg {
        clouds: String::new(),
        containers: String::new(),
        edges: String::with_capacity(placed.len() * 300),
        leaves: String::with_capacity(placed.len() * 300),
        scratch: String::new(),
        max: (400.0, 200.0),
    };
    draw::walk(&plan.design, &placed, &mut out);
    out.finish()
}

/// The SVG written as the diagram is walked: containers underneath (the clouds first), then the edges, then the
/// other nodes on top, each in its own buffer until the size of the picture is known.
struct Svg {
    clouds: String,
    containers: String,
    edges: String,
    leaves: String,
    /// Where a label given as format arguments is written before it is escaped.
    scratch: String,
    max: (f64, f64),
}

impl Svg {
    fn escaped(out: &mut String, scratch: &mut String, text: std::fmt::Arguments<'_>) {
        match text.as_str() {
            Some(text) => html_into(out, text),
            None => {
                scratch.clear();
                let _ = scratch.write_fmt(text);
                html_into(out, scratch);
            }
        }
    }

    fn finish(self) -> String {
        let mut out = String::with_capacity(
            256 + self.clouds.len() + self.containers.len() + self.edges.len() + self.leaves.len(),
        );
        let _ = writeln!(
            out,
            "<svg class=\"diagram\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {:.0} {:.0}\" role=\"img\" aria-label=\"Diagram of the design\">",
            self.max.0 + 20.0,
            self.max.1 + 20.0
        );
        for part in [&self.clouds, &self.containers, &self.edges, &self.leaves] {
            out.push_str(part);
        }
        out.push_str("</svg>\n");
        out
    }
}

impl<'a> Draw<'a> for Svg {
    fn node(&mut self, node: NodeRef<'a, '_>) {
        let r = &node.rect;
        self.max = (self.max.0.max(r.x + r.w), self.max.1.max(r.y + r.h));
        if node.kind.is_container() {
            let (out, fill) = if node.kind == NodeKind::Cloud {
                (&mut self.clouds, "#f0f4fa")
            } else {
                (&mut self.containers, "#ffffff")
            };
            out.push_str("<rect ");
            push_rect(out, r);
            out.push_str(" rx=\"8\" fill=\"");
            out.push_str(fill);
            out.push_str("\" stroke=\"#789\"/><text x=\"");
            push_f1(out, r.x + 8.0);
            out.push_str("\" y=\"");
            let title_below =
                node.kind == NodeKind::Cloud && crate::layout::cloud_title_below(node.cloud);
            push_f1(
                out,
                if title_below {
                    r.y + r.h - 8.0
                } else {
                    r.y + 16.0
                },
            );
            out.push_str("\">");
            html_into(out, node.label);
            out.push_str("</text>\n");
        } else {
            let out = &mut self.leaves;
            out.push_str("<g><title>");
            html_into(out, node.kind.label());
            out.push_str("</title><rect ");
            push_rect(out, r);
            out.push_str(" rx=\"4\" fill=\"#fff\" stroke=\"#456\"/><text x=\"");
            push_f1(out, r.x + 6.0);
            out.push_str("\" y=\"");
            push_f1(out, r.y + 15.0);
            out.push_str("\">");
            html_into(out, node.label);
            out.push_str("</text><text x=\"");
            push_f1(out, r.x + 6.0);
            out.push_str("\" y=\"");
            push_f1(out, r.y + 29.0);
            out.push_str("\" fill=\"#555\">");
            Svg::escaped(out, &mut self.scratch, node.detail);
            out.push_str("</text></g>\n");
        }
    }

    fn edge(&mut self, edge: EdgeRef<'a, '_>) {
        let (x1, y1, x2, y2) = connector(&edge.from_rect, &edge.to_rect);
        let style = match edge.kind {
            EdgeKind::Tunnel => "stroke=\"#0a5\" stroke-width=\"2.5\"",
            EdgeKind::Connection => "stroke=\"#36c\" stroke-width=\"1.5\"",
            EdgeKind::Attachment => "stroke=\"#999\" stroke-dasharray=\"4 3\"",
        };
        let out = &mut self.edges;
        out.push_str("<line x1=\"");
        push_f1(out, x1);
        out.push_str("\" y1=\"");
        push_f1(out, y1);
        out.push_str("\" x2=\"");
        push_f1(out, x2);
        out.push_str("\" y2=\"");
        push_f1(out, y2);
        out.push_str("\" ");
        out.push_str(style);
        out.push_str("><title>");
        Svg::escaped(out, &mut self.scratch, edge.label);
        out.push_str("</title></line>\n");
    }
}

/// `x="…" y="…" width="…" height="…"` of a rectangle.
fn push_rect(out: &mut String, r: &crate::model::Rect) {
    out.push_str("x=\"");
    push_f1(out, r.x);
    out.push_str("\" y=\"");
    push_f1(out, r.y);
    out.push_str("\" width=\"");
    push_f1(out, r.w);
    out.push_str("\" height=\"");
    push_f1(out, r.h);
    out.push('"');
}

/// `{:.1}` of a coordinate: whole numbers (every coordinate the layout makes) without the float formatter.
fn push_f1(out: &mut String, x: f64) {
    if x.fract() == 0.0 && x.abs() < 1e15 && !(x == 0.0 && x.is_sign_negative()) {
        if x < 0.0 {
            out.push('-');
        }
        super::hcl::push_u64(out, (x as i64).unsigned_abs());
        out.push_str(".0");
    } else {
        let _ = write!(out, "{x:.1}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn coordinates_are_written_as_the_formatter_writes_them() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            12.0,
            1.5,
            2.25,
            -3.75,
            0.05,
            0.15,
            1e14,
            -1e14,
            1e16,
            123456.0,
            f64::NAN,
            f64::INFINITY,
        ] {
            let mut out = String::new();
            super::push_f1(&mut out, x);
            assert_eq!(out, format!("{x:.1}"), "{x}");
        }
    }
}
