//! `vpn-designer review`: the review for people (text, markdown) and tools (json, SARIF 2.1.0), with an exit
//! status CI can gate on.

use crate::load_plan;
use crate::{print, read_source, USAGE};
use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use std::process::ExitCode;
use vpn_designer_core::model::Plan;
use vpn_designer_core::review::{catalogue, counts, review, Finding, Severity};
use vpn_designer_core::LoadError;

#[derive(Args)]
pub struct ReviewArgs {
    /// The plan file, or `-` for standard input.
    plan: String,
    /// `text` for people; `json` for tools: an array of findings, each {code, severity (error|warning|info), title,
    /// message, subjects (object ids), sources (facts-sheet keys), fix?: {summary, changes: [{object, field,
    /// value}]}}, in a stable order; `markdown`; or `sarif` (2.1.0, for code-scanning tools).
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    format: ReviewFormat,
    /// Exit 1 when a finding reaches this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReviewFormat {
    Text,
    Json,
    Markdown,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Never,
}

/// Reads and loads a plan, or says why not (exit status 2: the plan cannot be reviewed).
pub fn load(source: &str) -> Result<Plan, ExitCode> {
    let text = read_source(source).map_err(|message| {
        eprintln!("vpn-designer: {message}");
        ExitCode::from(USAGE)
    })?;
    load_plan(&text).map_err(|error: LoadError| {
        eprint!("{}", crate::inert(&format!("{source}: {error}")));
        eprintln!(
            "vpn-designer: fix the plan's structural problems first (see `vpn-designer validate`)"
        );
        ExitCode::from(USAGE)
    })
}

pub fn run(args: ReviewArgs) -> ExitCode {
    let plan = match load(&args.plan) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    let findings = review(&plan);
    let out = match args.format {
        ReviewFormat::Text => crate::inert(&text(&args.plan, &findings)),
        ReviewFormat::Json => {
            let mut s = serde_json::to_string_pretty(&findings).unwrap_or_default();
            s.push('\n');
            s
        }
        ReviewFormat::Markdown => crate::inert(&markdown(&args.plan, &plan, &findings)),
        ReviewFormat::Sarif => {
            let mut s =
                serde_json::to_string_pretty(&sarif(&args.plan, &findings)).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    let status = print(&out);
    let fails = findings.iter().any(|f| match args.fail_on {
        FailOn::Error => f.severity == Severity::Error,
        FailOn::Warning => f.severity <= Severity::Warning,
        FailOn::Never => false,
    });
    if fails {
        ExitCode::from(1)
    } else {
        status
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn summary(findings: &[Finding]) -> String {
    let (e, w, i) = counts(findings);
    format!(
        "{}, {}, {}",
        plural(e, "error"),
        plural(w, "warning"),
        plural(i, "info")
    )
}

fn text(source: &str, findings: &[Finding]) -> String {
    let mut out = format!("{source}: {}\n", summary(findings));
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n{} ({}):\n",
            severity.name().to_uppercase(),
            group.len()
        ));
        for f in group {
            out.push_str(&format!(
                "  {} {} [{}]\n",
                f.code,
                f.title,
                f.subjects.join(", ")
            ));
            out.push_str(&format!("    {}\n", f.message));
            if let Some(fix) = &f.fix {
                out.push_str(&format!("    fix: {}\n", fix.summary));
            }
            if !f.sources.is_empty() {
                out.push_str(&format!("    sources: {}\n", f.sources.join(", ")));
            }
        }
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn markdown(source: &str, plan: &Plan, findings: &[Finding]) -> String {
    let mut out = format!(
        "# Review of {}\n\n`{source}`: {}\n",
        cell(&plan.design.name),
        summary(findings)
    );
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## {} ({})\n\n| Code | Finding | Objects | Details | Fix |\n|---|---|---|---|---|\n",
            severity.name(),
            group.len()
        ));
        for f in group {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                f.code,
                cell(&f.title),
                cell(&f.subjects.join(", ")),
                cell(&f.message),
                cell(f.fix.as_ref().map(|x| x.summary.as_str()).unwrap_or(""))
            ));
        }
    }
    out
}

/// SARIF 2.1.0: one rule per catalogue code, one result per finding, the plan file as the location and the
/// plan objects as logical locations.
fn sarif(source: &str, findings: &[Finding]) -> Value {
    let rules: Vec<Value> = catalogue::CODES
        .iter()
        .map(|(code, title)| {
            json!({
                "id": code,
                "name": title.replace(' ', ""),
                "shortDescription": { "text": title },
            })
        })
        .collect();
    let uri = if source == "-" { "stdin" } else { source };
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            json!({
                "ruleId": f.code,
                "ruleIndex": catalogue::CODES.iter().position(|(c, _)| *c == f.code),
                "level": match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "note",
                },
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": { "artifactLocation": { "uri": uri } },
                    "logicalLocations": f.subjects.iter().map(|s| json!({ "name": s, "kind": "object" })).collect::<Vec<_>>(),
                }],
                "properties": { "subjects": f.subjects, "sources": f.sources, "fix": f.fix },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "vpn-designer",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/vpn-designer",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
