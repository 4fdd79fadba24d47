//! Declared flows and their traces: each flow with its verdict, traced hop by hop on request (the hops'
//! objects light up on the canvas), a form to declare a new flow, and an ad-hoc trace for any packet.

use crate::state::{use_editor, ShownTrace};
use leptos::prelude::*;
use vpn_designer_core::edit::add::add_flow;
use vpn_designer_core::edit::delete::delete;
use vpn_designer_core::model::Protocol;
use vpn_designer_core::trace::{
    trace, trace_declared_flows, Direction, Query, Source, Trace, Verdict,
};
use vpn_designer_core::Plan;

fn subjects_of(trace: &Trace) -> Vec<String> {
    let mut ids: Vec<String> = trace.hops.iter().filter_map(|h| h.object.clone()).collect();
    ids.dedup();
    ids
}

fn verdict_text(trace: &Trace) -> String {
    match &trace.verdict {
        Verdict::Delivered => "delivered".into(),
        Verdict::Blocked { hop, reason, .. } => format!("blocked at {hop}: {reason}"),
    }
}

/// The hops of one trace, in order, each passed or not.
#[component]
fn TraceView(trace: Trace) -> impl IntoView {
    let delivered = trace.delivered();
    let changes = match &trace.verdict {
        Verdict::Blocked { changes, .. } => changes.clone(),
        Verdict::Delivered => Vec::new(),
    };
    let hops = trace
        .hops
        .iter()
        .map(|h| {
            let direction = match h.direction {
                Direction::Forward => "→",
                Direction::Return => "←",
            };
            let class = if h.passed {
                "hop passed"
            } else {
                "hop blocked"
            };
            view! {
                <li class=class>
                    <span class="hop-direction">{direction}</span>
                    <strong>{h.hop.clone()}</strong>
                    {h.object.clone().map(|o| view! { " " <code>{o}</code> })}
                    <span class="hop-detail">{format!(" — {}", h.detail)}</span>
                </li>
            }
        })
        .collect_view();
    let changes = (!changes.is_empty()).then(|| {
        let items = changes
            .into_iter()
            .map(|c| view! { <li>{c}</li> })
            .collect_view();
        view! { <p>"To let it through, change:"</p> <ul class="trace-changes">{items}</ul> }
    });
    view! {
        <div class="trace" data-testid="trace-result" data-verdict=if delivered { "delivered" } else { "blocked" }>
            <p class=if delivered { "verdict delivered" } else { "verdict blocked" }>{verdict_text(&trace)}</p>
            <ol class="hops">{hops}</ol>
            {changes}
            {trace.warnings.iter().map(|w| view! { <p class="warning">{w.clone()}</p> }).collect_view()}
        </div>
    }
}

fn subnets(plan: &Plan) -> Vec<(String, String)> {
    let d = &plan.design;
    d.azure
        .vnets
        .iter()
        .flat_map(|v| {
            v.subnets
                .iter()
                .filter(|s| !s.is_gateway_subnet())
                .map(move |s| {
                    (
                        s.id.as_str().to_string(),
                        format!("Azure {} {} ({})", v.name, s.name, s.cidr),
                    )
                })
        })
        .chain(d.aws.vpcs.iter().flat_map(|v| {
            v.subnets.iter().map(move |s| {
                (
                    s.id.as_str().to_string(),
                    format!("AWS {} {} ({})", v.name, s.name, s.cidr),
                )
            })
        }))
        .collect()
}

#[component]
pub fn FlowsPanel() -> impl IntoView {
    let state = use_editor();
    let open = RwSignal::new(None::<String>);
    let flows = Memo::new(move |_| {
        // Traced with the review, after the first paint.
        if !state.reviewed.get() {
            return Vec::new();
        }
        state.design.with(|design| {
            let plan = Plan::new(design.clone(), Default::default());
            // One pass for all flows: tracing them one by one would rebuild the review's context per flow.
            design
                .flows
                .iter()
                .zip(trace_declared_flows(&plan))
                .map(|(f, (_, traced))| {
                    let ports = f
                        .ports
                        .iter()
                        .map(|p| p.to_string())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let name = format!(
                        "{} — {} {}",
                        f.name,
                        f.protocol.name().to_uppercase(),
                        ports
                    );
                    (
                        f.id.as_str().to_string(),
                        name.trim_end().to_string(),
                        traced,
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let list = move || {
        flows
            .get()
            .into_iter()
            .map(|(id, name, traced)| {
                let verdict = traced.as_ref().map(verdict_text).unwrap_or_else(|| "not traceable".into());
                let delivered = traced.as_ref().is_some_and(Trace::delivered);
                let is_open = open.get().as_deref() == Some(id.as_str());
                let (toggle_id, delete_id) = (id.clone(), id.clone());
                let highlight = traced.as_ref().map(subjects_of).unwrap_or_default();
                let detail = is_open.then(|| traced.clone().map(|t| view! { <TraceView trace=t /> }));
                view! {
                    <li class="flow" data-testid=format!("flow-{id}")>
                        <span class=if delivered { "verdict-dot delivered" } else { "verdict-dot blocked" } aria-hidden="true"></span>
                        <span class="flow-name">{name}</span>
                        <span class="flow-verdict" data-testid=format!("flow-verdict-{id}")>{verdict}</span>
                        <button class="small" data-testid=format!("trace-{id}") aria-expanded=is_open.to_string()
                            on:click=move |_| {
                                if open.get_untracked().as_deref() == Some(toggle_id.as_str()) {
                                    open.set(None);
                                    state.highlight.set(Vec::new());
                                    state.shown_trace.set(None);
                                } else {
                                    open.set(Some(toggle_id.clone()));
                                    state.highlight.set(highlight.clone());
                                    state.shown_trace.set(Some(ShownTrace::Flow(toggle_id.clone())));
                                }
                            }>{if is_open { "Hide trace" } else { "Trace" }}</button>
                        <button class="small danger" aria-label=format!("Delete flow {delete_id}")
                            on:click=move |_| { let target = delete_id.clone(); state.edit("Delete flow", |p| delete(p, &[target])); }>"✕"</button>
                        {detail}
                    </li>
                }
            })
            .collect_view()
    };
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let options = move || {
        state
            .plan
            .with(subnets)
            .into_iter()
            .map(|(id, label)| view! { <option value=id>{label}</option> })
            .collect_view()
    };
    let on_add = move |_| {
        let (a, b) = (from.get_untracked(), to.get_untracked());
        state.edit("Add flow", |p| add_flow(p, &a, &b));
    };
    view! {
        <section class="flows-panel" aria-label="Declared flows" data-testid="flows-panel">
            <h3>"Declared flows"</h3>
            <ul class="flows" data-testid="flow-list">{list}</ul>
            <div class="add-flow">
                <label>"From " <select data-testid="flow-from" on:change=move |ev| from.set(event_target_value(&ev))><option value="">"(subnet)"</option>{options}</select></label>
                <label>"To " <select data-testid="flow-to" on:change=move |ev| to.set(event_target_value(&ev))><option value="">"(subnet)"</option>{options}</select></label>
                <button data-testid="add-flow" on:click=on_add>"Add flow (TCP 443)"</button>
            </div>
            <AdHocTrace />
        </section>
    }
}

/// Traces any packet: from a subnet or address to an address, protocol and port.
#[component]
fn AdHocTrace() -> impl IntoView {
    let state = use_editor();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let protocol = RwSignal::new("tcp".to_string());
    let port = RwSignal::new("443".to_string());
    let result = RwSignal::new(None::<Result<Trace, String>>);
    let run = move |_| {
        let source = from.get_untracked().trim().to_string();
        let missing_source = source.is_empty();
        let source = match source.parse() {
            Ok(ip) => Source::Address(ip),
            Err(_) => Source::Subnet(source),
        };
        let outcome = (|| {
            if missing_source {
                return Err(
                    "say where the packet comes from: a subnet's id or an IP address".to_string(),
                );
            }
            let to = to
                .get_untracked()
                .trim()
                .parse()
                .map_err(|_| "the destination must be an IP address".to_string())?;
            let protocol = match protocol.get_untracked().as_str() {
                "udp" => Protocol::Udp,
                "icmp" => Protocol::Icmp,
                "any" => Protocol::Any,
                _ => Protocol::Tcp,
            };
            let port_text = port.get_untracked();
            // Only TCP and UDP carry ports: for ICMP or any protocol the box is off and its text ignored.
            let carries_ports = matches!(protocol, Protocol::Tcp | Protocol::Udp);
            let port = if port_text.trim().is_empty() || !carries_ports {
                None
            } else {
                Some(
                    port_text
                        .trim()
                        .parse::<u16>()
                        .map_err(|_| "the port must be 1–65535".to_string())?,
                )
            };
            // TCP and UDP packets always carry a destination port, and 0 is no port a service listens on.
            if matches!(protocol, Protocol::Tcp | Protocol::Udp) && !matches!(port, Some(1..)) {
                return Err("a TCP or UDP packet needs a destination port, 1–65535".to_string());
            }
            let query = Query {
                from: source,
                to,
                protocol,
                port,
            };
            let traced = state.plan.with_untracked(|p| trace(p, &query));
            Ok((traced, query))
        })();
        let outcome = outcome.map(|(traced, query)| {
            state.highlight.set(subjects_of(&traced));
            state.shown_trace.set(Some(ShownTrace::Packet(query)));
            traced
        });
        result.set(Some(outcome));
    };
    view! {
        <details class="adhoc-trace" data-testid="adhoc-trace">
            <summary>"Trace a packet"</summary>
            <label>"From subnet or IP " <input data-testid="trace-from" on:change=move |ev| from.set(event_target_value(&ev)) placeholder="az-snet-app or 10.1.1.4" /></label>
            <label>"To IP " <input data-testid="trace-to" on:change=move |ev| to.set(event_target_value(&ev)) placeholder="10.2.1.10" /></label>
            <label>"Protocol "
                <select data-testid="trace-protocol" on:change=move |ev| protocol.set(event_target_value(&ev))>
                    <option value="tcp">"TCP"</option><option value="udp">"UDP"</option><option value="icmp">"ICMP"</option><option value="any">"any"</option>
                </select>
            </label>
            <label>"Port " <input data-testid="trace-port" prop:value=move || port.get() on:change=move |ev| port.set(event_target_value(&ev)) size="6"
                disabled=move || !matches!(protocol.get().as_str(), "tcp" | "udp")
                title=move || if matches!(protocol.get().as_str(), "tcp" | "udp") { "" } else { "Only TCP and UDP carry ports" } /></label>
            <button data-testid="trace-run" on:click=run>"Trace"</button>
            <button data-testid="trace-clear" on:click=move |_| {
                result.set(None);
                state.highlight.set(Vec::new());
                state.shown_trace.set(None);
            }>"Clear"</button>
            {move || result.get().map(|r| match r {
                Ok(t) => view! { <TraceView trace=t /> }.into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{e}</p> }.into_any(),
            })}
        </details>
    }
}
