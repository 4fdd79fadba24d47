//! The side panel: every property of the selected object (secrets masked), or a summary of the design.

use super::review::{ObjectFindings, ReviewSummary};
use crate::state::use_editor;
use leptos::prelude::*;
use vpn_designer_core::inspect::{inspect, Inspection};
use vpn_designer_core::Plan;

#[component]
pub fn PropertiesPanel() -> impl IntoView {
    let state = use_editor();
    let inspection = Memo::new(move |_| {
        let id = state.selection.get()?;
        state.plan.with(|plan| inspect(plan, &id))
    });
    view! {
        <aside class="side-panel" data-testid="properties-panel" aria-label="Properties">
            {move || match inspection.get() {
                Some(found) => view! { <ObjectProperties found=found /> }.into_any(),
                None => view! { <DesignSummary /> }.into_any(),
            }}
        </aside>
    }
}

#[component]
fn ObjectProperties(found: Inspection) -> impl IntoView {
    let state = use_editor();
    let Inspection {
        id,
        kind,
        name,
        properties,
    } = found;
    let id_for_findings = id.clone();
    let rows = properties
        .into_iter()
        .map(|p| {
            let class = if p.secret { "secret" } else { "" };
            view! {
                <tr class=class>
                    <th scope="row">{p.key}</th>
                    <td>{p.value}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="panel-header">
            <p class="panel-kind" data-testid="selected-kind">{kind}</p>
            <h2 data-testid="selected-name">{name}</h2>
            <p class="panel-id">
                "id " <code data-testid="selected-id">{id}</code>
            </p>
            <button class="link" data-testid="clear-selection" on:click=move |_| state.select(None)>
                "Back to design summary"
            </button>
        </div>
        <ObjectFindings id=id_for_findings />
        <table class="properties" data-testid="properties-table">
            <tbody>{rows}</tbody>
        </table>
    }
}

fn counts(plan: &Plan) -> Vec<(&'static str, usize)> {
    let d = &plan.design;
    vec![
        ("Azure VNets", d.azure.vnets.len()),
        ("Azure VPN gateways", d.azure.vpn_gateways.len()),
        (
            "Local network gateways",
            d.azure.local_network_gateways.len(),
        ),
        ("Azure connections", d.azure.connections.len()),
        ("NSGs", d.azure.nsgs.len()),
        ("AWS VPCs", d.aws.vpcs.len()),
        ("Virtual private gateways", d.aws.vpn_gateways.len()),
        ("Customer gateways", d.aws.customer_gateways.len()),
        ("VPN connections", d.aws.vpn_connections.len()),
        ("Tunnels", d.aws.vpn_connections.len() * 2),
        ("Security groups", d.aws.security_groups.len()),
        ("Declared flows", d.flows.len()),
    ]
}

#[component]
fn DesignSummary() -> impl IntoView {
    let state = use_editor();
    move || {
        state.plan.with(|plan| {
            let rows = counts(plan)
                .into_iter()
                .map(|(what, n)| view! { <tr><th scope="row">{what}</th><td>{n}</td></tr> })
                .collect_view();
            let flows = plan
                .design
                .flows
                .iter()
                .map(|f| {
                    let ports = f
                        .ports
                        .iter()
                        .map(|p| p.to_string())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let text = format!(
                        "{} — {} {}",
                        f.name,
                        f.protocol.name().to_uppercase(),
                        ports
                    );
                    view! { <li>{text}</li> }
                })
                .collect_view();
            view! {
                <div class="panel-header">
                    <p class="panel-kind">"Design"</p>
                    <h2>{plan.design.name.clone()}</h2>
                    <p class="panel-description">{plan.design.description.clone()}</p>
                </div>
                <ReviewSummary />
                <table class="properties" data-testid="design-summary">
                    <tbody>{rows}</tbody>
                </table>
                <h3>"Declared flows"</h3>
                <ul class="flows" data-testid="flow-list">{flows}</ul>
                <p class="hint">"Select an object on the canvas to read all its properties."</p>
            }
        })
    }
}
