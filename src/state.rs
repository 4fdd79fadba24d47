//! Editor state: the plan (design + layout) and, apart from it, what only the editor cares about: the camera, the
//! selection, the undo history and what the user is told. Shared through Leptos context; every field is a signal
//! so views update narrowly.
//!
//! Every change to the plan goes through `EditorState::edit` or `EditorState::replace`: the command runs on a
//! copy, a refused command leaves the plan as it was and says why, and an accepted one is one undo step.

use leptos::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use vpn_designer_core::edit::connect::{connect, Routing};
use vpn_designer_core::edit::history::History;
use vpn_designer_core::edit::place::{arrange, clouds_side_by_side};
use vpn_designer_core::edit::EditError;
use vpn_designer_core::layout::trace_path::{subnet_holding, trace_path, TracePath};
use vpn_designer_core::layout::{diagram, Diagram};
use vpn_designer_core::links::{collapse, link_key, links, Link};
use vpn_designer_core::model::flow::FlowEndpoint;
use vpn_designer_core::review::{review, Finding, Severity};
use vpn_designer_core::trace::{trace, trace_flow, Query, Source};
use vpn_designer_core::viewport::Viewport;
use vpn_designer_core::Plan;

/// A message in the status bar: what happened, or why not.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// A node drag in progress, drawn as an offset until it is dropped (the plan changes once, on drop).
#[derive(Clone, Debug, PartialEq)]
pub struct DragPreview {
    pub ids: HashSet<String>,
    pub dx: f64,
    pub dy: f64,
}

/// What the trace overlay draws on the canvas. It holds the question, not the answer, so the path is traced again
/// as the design changes (a fix turns a red path green).
#[derive(Clone, Debug, PartialEq)]
pub enum ShownTrace {
    /// A declared flow, by id.
    Flow(String),
    /// An ad-hoc packet.
    Packet(Query),
}

#[derive(Clone, Copy)]
pub struct EditorState {
    pub plan: RwSignal<Plan>,
    pub history: RwSignal<History>,
    pub viewport: RwSignal<Viewport>,
    pub selection: RwSignal<Option<String>>,
    /// Further objects selected with Shift-click or the marquee (moved and deleted with the selection).
    pub also_selected: RwSignal<Vec<String>>,
    /// Objects to highlight: a finding's subjects, a trace's hops.
    pub highlight: RwSignal<Vec<String>>,
    pub drag: RwSignal<Option<DragPreview>>,
    pub notice: RwSignal<Option<Notice>>,
    /// The canvas's size on screen, for zooming about its centre and fitting.
    pub canvas_size: RwSignal<(f64, f64)>,
    /// How the view was set on opening (see [`Self::fit_on_open`]), which the canvas's first measurement
    /// completes.
    pub opened_view: StoredValue<OpenedView>,
    /// The design alone: what the review and the traces read (moves change only the layout).
    pub design: Memo<vpn_designer_core::model::Design>,
    /// Links drawn as one line (by `links::link_key`); a view preference, not part of the plan.
    pub collapsed: RwSignal<BTreeSet<String>>,
    /// Derived from the plan: the nodes and edges to draw (members of collapsed links left out).
    pub diagram: Memo<Diagram>,
    /// The collapsed links to draw as one line each.
    pub folded_links: Memo<Vec<Link>>,
    /// False until the design has been drawn once. The panels beside the canvas (properties, plans, export) wait
    /// for the first paint, so opening a plan shows the design without waiting for them: their code is compiled
    /// by the browser on first use, which took about a fifth of the time to first render.
    pub painted: RwSignal<bool>,
    /// False until the panels have been drawn once: the first review and traces wait for that, so the design and
    /// then the panels (saying "Reviewing…") show before the review of a large plan runs.
    pub reviewed: RwSignal<bool>,
    /// Derived from the design only (a layout change never re-runs it): the review's findings.
    pub findings: Memo<Vec<Finding>>,
    /// Per object id: how many findings name it, and the worst severity among them (for canvas badges).
    pub badges: Memo<HashMap<String, (usize, Severity)>>,
    /// The trace drawn on the canvas, if any.
    pub shown_trace: RwSignal<Option<ShownTrace>>,
    /// Where that trace runs on the canvas (re-traced when the design or the drawing changes).
    pub trace_path: Memo<Option<TracePath>>,
}

impl EditorState {
    pub fn new(plan: Plan) -> Self {
        let plan = RwSignal::new(plan);
        // The review reads the design; keying the memo on it keeps canvas moves (layout) off the review path.
        let design = Memo::new(move |_| plan.with(|p| p.design.clone()));
        let painted = RwSignal::new(false);
        let reviewed = RwSignal::new(false);
        let findings = Memo::new(move |_| {
            if !reviewed.get() {
                return Vec::new();
            }
            design.with(|design| {
                let plan = Plan::new(design.clone(), Default::default());
                // One `vpn-designer:review` performance entry per review run, for tools/bench-editor.mjs.
                crate::browser::measured("vpn-designer:review", || review(&plan))
            })
        });
        let badges = Memo::new(move |_| findings.with(|f| badges_of(f)));
        let collapsed = RwSignal::new(BTreeSet::new());
        let diagram = Memo::new(move |_| {
            plan.with(|p| {
                let mut drawn = diagram(p);
                collapsed.with(|c| collapse(&mut drawn, &p.design, c));
                drawn
            })
        });
        let folded_links = Memo::new(move |_| {
            collapsed.with(|c| {
                if c.is_empty() {
                    return Vec::new();
                }
                plan.with(|p| {
                    links(&p.design)
                        .into_iter()
                        .filter(|l| c.contains(&l.key))
                        .collect()
                })
            })
        });
        let shown_trace = RwSignal::new(None::<ShownTrace>);
        // Traced on the plan itself: the drawing follows the layout anyway (through the diagram), so there is no
        // design-only copy to make here.
        let trace_path = Memo::new(move |_| {
            let shown = shown_trace.get()?;
            plan.with(|plan| {
                let (traced, from, to) = traced_for_drawing(plan, &shown)?;
                diagram.with(|d| {
                    folded_links.with(|folded| {
                        trace_path(
                            &plan.design,
                            d,
                            folded,
                            &traced,
                            from.as_deref(),
                            to.as_deref(),
                        )
                    })
                })
            })
        });
        EditorState {
            plan,
            history: RwSignal::new(History::default()),
            viewport: RwSignal::new(Viewport::default()),
            selection: RwSignal::new(None),
            also_selected: RwSignal::new(Vec::new()),
            highlight: RwSignal::new(Vec::new()),
            drag: RwSignal::new(None),
            notice: RwSignal::new(None),
            canvas_size: RwSignal::new((1000.0, 700.0)),
            opened_view: StoredValue::new(OpenedView::NotFitted),
            design,
            painted,
            reviewed,
            collapsed,
            diagram,
            folded_links,
            findings,
            badges,
            shown_trace,
            trace_path,
        }
    }

    /// The review's counts for the toolbar and the review panel, or "Reviewing…" before the first review.
    pub fn review_line(&self) -> String {
        if !self.reviewed.get() {
            return "Reviewing…".into();
        }
        self.findings
            .with(|f| crate::panels::review::counts_line(f))
    }

    /// The review's state for styling: "errors", "warnings", "clean", or "pending" before the first review.
    pub fn review_state(&self) -> &'static str {
        if !self.reviewed.get() {
            return "pending";
        }
        self.findings
            .with(|f| crate::panels::review::review_class(f))
    }

    /// Fits the design to the canvas's size as the stylesheet will lay it out in this window, before the canvas
    /// is in the page. The first drawing then has its final transform: the browser lays the design out once,
    /// instead of once at the default view and again at the fitted one when the canvas has been measured.
    pub fn fit_on_open(&self) {
        if let Some(size) = estimated_canvas_size() {
            self.canvas_size.set(size);
            self.fit();
            self.opened_view.set_value(OpenedView::Estimated(size));
        }
    }

    /// A view restored with the plan (autosave): the measurement leaves it alone.
    pub fn restore_view(&self, view: crate::storage::SavedView) {
        self.viewport.set(view.viewport);
        self.collapsed.set(view.collapsed);
        self.opened_view.set_value(OpenedView::Restored);
    }

    /// After the canvas's first measurement: fits if nothing did yet (no window size to estimate from), or again
    /// if the estimate was off (a stylesheet change the estimate does not know, browser zoom).
    pub fn measured_on_open(&self) {
        let measured = self.canvas_size.get_untracked();
        match self.opened_view.get_value() {
            OpenedView::NotFitted => self.fit(),
            OpenedView::Estimated(estimated)
                if (measured.0 - estimated.0).abs() > 0.5
                    || (measured.1 - estimated.1).abs() > 0.5 =>
            {
                // Seen by the journeys: at the usual window sizes the estimate must hold.
                crate::browser::mark("vpn-designer:refit");
                self.fit();
            }
            OpenedView::Estimated(_) | OpenedView::Restored => {}
        }
        self.opened_view.set_value(OpenedView::Restored);
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
        if !self.also_selected.with_untracked(Vec::is_empty) {
            self.also_selected.set(Vec::new());
        }
    }

    /// Shift-click: adds an object to the selection, or takes it out.
    pub fn toggle(&self, id: String) {
        if self.selection.get_untracked().is_none() {
            self.selection.set(Some(id));
        } else if self.selection.get_untracked().as_deref() == Some(id.as_str()) {
            let mut rest = self.also_selected.get_untracked();
            let next = (!rest.is_empty()).then(|| rest.remove(0));
            self.selection.set(next);
            self.also_selected.set(rest);
        } else {
            self.also_selected
                .update(|also| match also.iter().position(|a| *a == id) {
                    Some(i) => {
                        also.remove(i);
                    }
                    None => also.push(id),
                });
        }
    }

    /// Selects several objects at once (the marquee): the first is shown in the inspector.
    pub fn select_many(&self, mut ids: Vec<String>) {
        if ids.is_empty() {
            self.select(None);
            return;
        }
        let first = ids.remove(0);
        self.selection.set(Some(first));
        self.also_selected.set(ids);
    }

    /// Every selected object, the inspected one first.
    pub fn selected_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.selection.get_untracked().into_iter().collect();
        ids.extend(self.also_selected.get_untracked());
        ids
    }

    pub fn is_selected(&self, id: &str) -> bool {
        self.selection.with(|s| s.as_deref() == Some(id))
            || self.also_selected.with(|a| a.iter().any(|x| x == id))
    }

    pub fn tell(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: false,
            text: text.into(),
        }));
    }

    pub fn warn(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: true,
            text: text.into(),
        }));
    }

    /// Runs a command on a copy of the plan: on success the copy becomes the plan and one undo step named
    /// `label`; on refusal the plan is untouched and the reason is shown.
    pub fn edit<T>(
        &self,
        label: &str,
        command: impl FnOnce(&mut Plan) -> Result<T, EditError>,
    ) -> Option<T> {
        let before = self.plan.get_untracked();
        let mut next = before.clone();
        match command(&mut next) {
            Ok(value) => {
                self.commit(label, &before, next);
                Some(value)
            }
            Err(error) => {
                self.warn(format!("{label}: {error}"));
                None
            }
        }
    }

    /// Makes `next` the plan as one undo step (for commands that build a new plan, like field edits).
    pub fn replace(&self, label: &str, next: Plan) {
        let before = self.plan.get_untracked();
        self.commit(label, &before, next);
    }

    fn commit(&self, label: &str, before: &Plan, next: Plan) {
        let changed = self
            .history
            .try_update(|h| h.record(label, before, &next))
            .unwrap_or(false);
        if changed {
            self.plan.set(next);
            self.tell(label.to_string());
        }
        self.forget_missing_selection();
    }

    /// Links an Azure VPN gateway to an AWS virtual private gateway in one undoable step (the gateway panel's
    /// Connect button and dragging from one gateway's handle to the other). The new link is drawn collapsed.
    pub fn connect_gateways(&self, gateway: &str, vgw: &str, routing: Routing) -> bool {
        let created = self.edit("Connect gateways", |p| {
            connect(p, gateway, vgw, routing, &mut crate::browser::fill_random)
        });
        let Some(created) = created else {
            return false;
        };
        // A new link is drawn as one line; pressing it shows its tunnels.
        self.collapsed.update(|c| {
            c.insert(link_key(gateway, vgw));
        });
        self.tell(format!(
            "Connected: {} VPN connection{}, {} tunnels, keys generated",
            created.len(),
            if created.len() == 1 { "" } else { "s" },
            created.len() * 2
        ));
        true
    }

    /// Lays the design out again (one undo step) and fits it to the screen.
    pub fn arrange(&self) {
        let moved = self.edit("Arrange", |p| Ok(arrange(p)));
        if moved == Some(false) {
            self.tell("Arrange: every object is already where the layout puts it");
        }
        self.fit();
    }

    /// What to add to the message about opening `plan` when its clouds sit side by side, as versions before the
    /// stacked layout placed them (see [`clouds_side_by_side`]).
    pub fn arrange_hint(plan: &Plan) -> &'static str {
        if clouds_side_by_side(plan) {
            " Its clouds sit side by side, as earlier versions laid designs out: press Arrange to stack them \
             (Azure above AWS)."
        } else {
            ""
        }
    }

    /// Replaces the whole plan (open, import, share link): a fresh history, nothing selected.
    pub fn open(&self, plan: Plan) {
        // Another plan's links are not this one's: drawn expanded until its saved view says otherwise.
        self.collapsed.set(BTreeSet::new());
        self.plan.set(plan);
        self.history.update(History::clear);
        self.select(None);
        self.highlight.set(Vec::new());
        self.shown_trace.set(None);
    }

    pub fn undo(&self) {
        let mut plan = self.plan.get_untracked();
        match self.history.try_update(|h| h.undo(&mut plan)).flatten() {
            Some(label) => {
                self.plan.set(plan);
                self.tell(format!("Undid: {label}"));
            }
            None => self.tell("Nothing to undo"),
        }
        self.forget_missing_selection();
    }

    pub fn redo(&self) {
        let mut plan = self.plan.get_untracked();
        match self.history.try_update(|h| h.redo(&mut plan)).flatten() {
            Some(label) => {
                self.plan.set(plan);
                self.tell(format!("Redid: {label}"));
            }
            None => self.tell("Nothing to redo"),
        }
        self.forget_missing_selection();
    }

    fn forget_missing_selection(&self) {
        let exists = |id: &str| {
            self.plan
                .with_untracked(|p| vpn_designer_core::inspect::inspect(p, id).is_some())
        };
        if let Some(id) = self.selection.get_untracked() {
            if !exists(&id) {
                self.selection.set(None);
            }
        }
        if self
            .also_selected
            .with_untracked(|a| a.iter().any(|id| !exists(id)))
        {
            self.also_selected.update(|a| a.retain(|id| exists(id)));
        }
    }
}

/// Traces what the overlay shows, with the subnets its path starts and ends in. `None` when the flow is gone.
fn traced_for_drawing(
    plan: &Plan,
    shown: &ShownTrace,
) -> Option<(
    vpn_designer_core::trace::Trace,
    Option<String>,
    Option<String>,
)> {
    let design = &plan.design;
    let subnet = |end: &FlowEndpoint| match end {
        FlowEndpoint::Subnet(id) => Some(id.as_str().to_string()),
        FlowEndpoint::Cidr(cidr) => subnet_holding(design, cidr.network()),
    };
    match shown {
        ShownTrace::Flow(id) => {
            let flow = design.flows.iter().find(|f| f.id.as_str() == id)?;
            let traced = trace_flow(plan, id)?;
            Some((traced, subnet(&flow.source), subnet(&flow.destination)))
        }
        ShownTrace::Packet(query) => {
            let from = match &query.from {
                Source::Subnet(id) => Some(id.clone()),
                Source::Address(ip) => subnet_holding(design, *ip),
            };
            Some((trace(plan, query), from, subnet_holding(design, query.to)))
        }
    }
}

/// Severities ordered so that the worst one wins.
pub fn rank(severity: Severity) -> u8 {
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

/// How the view was set when the editor opened.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OpenedView {
    /// Restored from the saved plan's view, or already settled by the first measurement.
    Restored,
    /// Fitted to this canvas size, estimated from the window.
    Estimated((f64, f64)),
    /// Not fitted yet: the first measurement fits.
    NotFitted,
}

/// The canvas's size in this window, from the stylesheet's fixed sizes (`style/main.css`: the toolbar, the status
/// bar, the palette and the side panel, narrower below 1024 px, and the page's minimum width). The narrow layout
/// is asked of the same media query the stylesheet uses, so a fractional width under browser zoom agrees. Kept in
/// step with the stylesheet by the first-screen journeys, which fail if the canvas's first measurement differs.
fn estimated_canvas_size() -> Option<(f64, f64)> {
    const TOOLBAR: f64 = 48.0;
    const STATUS_BAR: f64 = 26.0;
    let window = web_sys::window()?;
    let width = window.inner_width().ok()?.as_f64()?;
    let height = window.inner_height().ok()?.as_f64()?;
    let narrow = window
        .match_media("(max-width: 1023px)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    let (page_min, palette, panel) = if narrow {
        (768.0, 124.0, 288.0)
    } else {
        (1024.0, 150.0, 360.0)
    };
    let canvas = (
        width.max(page_min) - palette - panel,
        height - TOOLBAR - STATUS_BAR,
    );
    (canvas.0 > 0.0 && canvas.1 > 0.0).then_some(canvas)
}
