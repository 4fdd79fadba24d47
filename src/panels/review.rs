//! The review in the side panel: counts by severity and every finding, each naming its objects (click to select
//! the first), its sources in the facts sheet, and its fix where the fix is unambiguous.

use crate::state::use_editor;
use leptos::prelude::*;
use vpn_designer_core::edit::fields::apply_fix;
use vpn_designer_core::review::{Finding, Severity};

fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// "0 errors · 0 warnings · 1 info", as the CLI's text report says it.
pub fn counts_line(findings: &[Finding]) -> String {
    format!(
        "{} · {} · {} info",
        plural(count(findings, Severity::Error), "error"),
        plural(count(findings, Severity::Warning), "warning"),
        count(findings, Severity::Info)
    )
}

/// "errors", "warnings" or "clean": the review's state, for styling.
pub fn review_class(findings: &[Finding]) -> &'static str {
    if count(findings, Severity::Error) > 0 {
        "errors"
    } else if count(findings, Severity::Warning) > 0 {
        "warnings"
    } else {
        "clean"
    }
}

#[component]
pub fn ReviewSummary() -> impl IntoView {
    let state = use_editor();
    let status = move || format!("review-status {}", state.review_state());
    view! {
        <section class="review" aria-label="Review" data-testid="review-panel">
            <h3>"Review"</h3>
            <p class=status data-testid="review-counts">{move || state.review_line()}</p>
            <Show when=move || state.reviewed.get() && state.findings.with(Vec::is_empty)>
                <p class="review-clean" data-testid="review-clean">"Nothing to report: every check passes."</p>
            </Show>
            <FindingList findings=Signal::derive(move || state.findings.get()) />
        </section>
    }
}

/// The findings that name one object, under its properties.
#[component]
pub fn ObjectFindings(id: String) -> impl IntoView {
    let state = use_editor();
    let findings = Signal::derive(move || {
        state.findings.with(|all| {
            all.iter()
                .filter(|f| f.subjects.contains(&id))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || findings.with(|f| !f.is_empty())>
            <section class="review" aria-label="Findings on this object" data-testid="object-findings">
                <h3>"Findings on this object"</h3>
                <FindingList findings=findings />
            </section>
        </Show>
    }
}

/// Findings grouped by severity, worst first. Each names its objects (click to select and highlight them) and,
/// where the fix is unambiguous, offers it as one undoable step.
#[component]
fn FindingList(findings: Signal<Vec<Finding>>) -> impl IntoView {
    let state = use_editor();
    let group = move |severity: Severity, heading: &'static str| {
        let items = findings.with(|all| {
            all.iter()
                .enumerate()
                .filter(|(_, f)| f.severity == severity)
                .map(|(i, f)| (i, f.clone()))
                .collect::<Vec<_>>()
        });
        if items.is_empty() {
            return None;
        }
        let count = items.len();
        let rows = items
            .into_iter()
            .map(|(index, finding)| {
                let severity = finding.severity.name();
                let subjects_list = finding.subjects.clone();
                let first = finding.subjects.first().cloned();
                let subjects = finding.subjects.join(", ");
                let sources = finding.sources.join(", ");
                let code = finding.code.clone();
                let fix = finding.fix.clone().map(|fix| {
                    let summary = fix.summary.clone();
                    let code = code.clone();
                    view! {
                        <p class="fix">
                            "Fix: " {summary.clone()} " "
                            <button
                                class="primary small"
                                data-testid=format!("fix-{index}")
                                aria-label=format!("Apply fix for {code}: {summary}")
                                on:click=move |_| {
                                    let result = state.plan.with_untracked(|p| apply_fix(p, &fix));
                                    // The applied finding's button goes with it: the next finding's takes the focus.
                                    crate::browser::keep_focus_near(vec![
                                        format!("fix-{index}"),
                                        "fix-0".into(),
                                        "review-badge".into(),
                                    ]);
                                    match result {
                                        Ok(next) => state.replace(&format!("Fix {code}"), next),
                                        Err(problems) => state.warn(format!(
                                            "The fix for {code} could not be applied: {}",
                                            problems.first().map(|p| p.message.clone()).unwrap_or_default()
                                        )),
                                    }
                                }
                            >
                                "Apply fix"
                            </button>
                        </p>
                    }
                });
                view! {
                    <li class=format!("finding {severity}") data-testid=format!("finding-{index}") data-code=finding.code.clone()>
                        <p class="finding-head">
                            <span class=format!("severity {severity}")>{severity}</span>
                            <code>{finding.code.clone()}</code>
                            " "
                            <span class="finding-title">{finding.title.clone()}</span>
                        </p>
                        <p class="finding-message">{finding.message.clone()}</p>
                        {fix}
                        <p class="finding-meta">
                            <button
                                class="link"
                                aria-label=format!("Select {subjects}")
                                on:click=move |_| {
                                    state.highlight.set(subjects_list.clone());
                                    state.select(first.clone());
                                }
                            >
                                {subjects.clone()}
                            </button>
                            {(!sources.is_empty()).then(|| format!(" · sources {sources}"))}
                        </p>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <li class="finding-group">
                <h4>{format!("{heading} ({count})")}</h4>
                <ol class="findings">{rows}</ol>
            </li>
        })
    };
    view! {
        <ul class="finding-groups">
            {move || group(Severity::Error, "Errors")}
            {move || group(Severity::Warning, "Warnings")}
            {move || group(Severity::Info, "Information")}
        </ul>
    }
}
