//! Editor state: the plan (design + layout) and, apart from it, what only the editor cares about: the camera and
//! the selection. Shared through Leptos context; every field is a signal so views update narrowly.

use leptos::prelude::*;
use std::collections::HashMap;
use vpn_designer_core::layout::{diagram, Diagram};
use vpn_designer_core::review::{review, Finding, Severity};
use vpn_designer_core::viewport::Viewport;
use vpn_designer_core::Plan;

#[derive(Clone, Copy)]
pub struct EditorState {
    pub plan: RwSignal<Plan>,
    pub viewport: RwSignal<Viewport>,
    pub selection: RwSignal<Option<String>>,
    /// The canvas's size on screen, for zooming about its centre and fitting.
    pub canvas_size: RwSignal<(f64, f64)>,
    /// Derived from the plan: the nodes and edges to draw.
    pub diagram: Memo<Diagram>,
    /// Derived from the design only (a layout change never re-runs it): the review's findings.
    pub findings: Memo<Vec<Finding>>,
    /// Per object id: how many findings name it, and the worst severity among them (for canvas badges).
    pub badges: Memo<HashMap<String, (usize, Severity)>>,
}

impl EditorState {
    pub fn new(plan: Plan) -> Self {
        let plan = RwSignal::new(plan);
        // The review reads the design; keying the memo on it keeps canvas moves (layout) off the review path.
        let design = Memo::new(move |_| plan.with(|p| p.design.clone()));
        let findings = Memo::new(move |_| {
            design.with(|design| {
                let plan = vpn_designer_core::Plan::new(design.clone(), Default::default());
                review(&plan)
            })
        });
        let badges = Memo::new(move |_| findings.with(|f| badges_of(f)));
        EditorState {
            plan,
            viewport: RwSignal::new(Viewport::default()),
            selection: RwSignal::new(None),
            canvas_size: RwSignal::new((1000.0, 700.0)),
            diagram: Memo::new(move |_| plan.with(diagram)),
            findings,
            badges,
        }
    }

    pub fn fit(&self) {
        let (width, height) = self.canvas_size.get_untracked();
        if let Some(bounds) = self.diagram.with_untracked(|d| d.bounds()) {
            self.viewport
                .set(Viewport::fit(bounds, width, height, 32.0));
        }
    }

    pub fn zoom_about_centre(&self, factor: f64) {
        let (width, height) = self.canvas_size.get_untracked();
        self.viewport
            .update(|v| *v = v.zoom_at(width / 2.0, height / 2.0, factor));
    }

    pub fn select(&self, id: Option<String>) {
        self.selection.set(id);
    }
}

/// Severities ordered so that the worst one wins.
fn rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 3,
        Severity::Warning => 2,
        Severity::Info => 1,
    }
}

pub fn badges_of(findings: &[Finding]) -> HashMap<String, (usize, Severity)> {
    let mut badges: HashMap<String, (usize, Severity)> = HashMap::new();
    for finding in findings {
        for subject in &finding.subjects {
            let entry = badges
                .entry(subject.clone())
                .or_insert((0, finding.severity));
            entry.0 += 1;
            if rank(finding.severity) > rank(entry.1) {
                entry.1 = finding.severity;
            }
        }
    }
    badges
}

pub fn use_editor() -> EditorState {
    expect_context::<EditorState>()
}
