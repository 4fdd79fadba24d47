//! The review in the side panel: counts by severity and every finding, each naming its objects (click to select
//! the first), its sources in the facts sheet, and its fix where the fix is unambiguous.

use crate::state::use_editor;
use leptos::prelude::*;
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

#[component]
pub fn ReviewSummary() -> impl IntoView {
    let state = use_editor();
    let status = move || {
        state.findings.with(|f| {
            if count(f, Severity::Error) > 0 {
                "review-status errors"
            } else if count(f, Severity::Warning) > 0 {
                "review-status warnings"
            } else {
                "review-status clean"
            }
        })
    };
    view! {
        <section class="review" aria-label="Review" data-testid="review-panel">
            <h3>"Review"</h3>
            <p class=status data-testid="review-counts">{move || state.findings.with(|f| counts_line(f))}</p>
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

#[component]
fn FindingList(findings: Signal<Vec<Finding>>) -> impl IntoView {
    let state = use_editor();
    view! {
        <ol class="findings">
            {move || {
                findings
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(index, finding)| {
                        let severity = finding.severity.name();
                        let first = finding.subjects.first().cloned();
                        let subjects = finding.subjects.join(", ");
                        let sources = finding.sources.join(", ");
                        let fix = finding.fix.as_ref().map(|fix| view! { <p class="fix">"Fix: " {fix.summary.clone()}</p> });
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
                                        on:click=move |_| state.select(first.clone())
                                    >
                                        {subjects.clone()}
                                    </button>
                                    {(!sources.is_empty()).then(|| format!(" · sources {sources}"))}
                                </p>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ol>
    }
}
