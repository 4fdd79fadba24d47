//! Lines between objects: attachments, connections, and the IPsec tunnels across the gap between the clouds.

use crate::state::use_editor;
use leptos::prelude::*;
use vpn_designer_core::edit::connect::disconnect;
use vpn_designer_core::layout::{connector, Diagram, Edge, EdgeKind};
use vpn_designer_core::links::Link;

#[derive(Clone, Debug, PartialEq)]
pub struct DrawnEdge {
    pub edge: Edge,
    pub line: (f64, f64, f64, f64),
}

/// Edges with their end points, through the diagram's id index.
pub fn drawn_edges(diagram: &Diagram) -> Vec<DrawnEdge> {
    diagram
        .edges
        .iter()
        .filter_map(|edge| {
            let from = diagram.node(&edge.from)?;
            let to = diagram.node(&edge.to)?;
            Some(DrawnEdge {
                edge: edge.clone(),
                line: connector(&from.rect, &to.rect),
            })
        })
        .collect()
}

/// A collapsed link: one line between its two gateways, labelled with its tunnel count; pressing it expands the
/// link to show its customer gateways, VPN connections, local network gateways and tunnels.
#[component]
pub fn LinkView(link: Link) -> impl IntoView {
    let state = use_editor();
    let (from, to) = (link.gateway.clone(), link.vgw.clone());
    let line = move || {
        state.diagram.with(|d| {
            let a = d.node(&from)?.rect;
            let b = d.node(&to)?.rect;
            Some(connector(&a, &b))
        })
    };
    let key = link.key.clone();
    let expand = move || {
        let key = key.clone();
        state.collapsed.update(|c| {
            c.remove(&key);
        });
    };
    let expand_key = expand.clone();
    let label = format!("{} tunnels", link.tunnels);
    let name = format!(
        "Link {} to {}, {} VPN connections and {} tunnels, collapsed: press to expand, Delete to remove",
        link.gateway,
        link.vgw,
        link.vpn_connections.len(),
        link.tunnels
    );
    view! {
        {move || line().map(|(x1, y1, x2, y2)| {
            let (expand, expand_key) = (expand.clone(), expand_key.clone());
            view! {
                <g
                    class="edge link"
                    data-testid=format!("link-{}-{}", link.gateway, link.vgw)
                    role="button"
                    tabindex="0"
                    aria-label=name.clone()
                    on:click=move |_| expand()
                    on:keydown={
                        let (gateway, vgw) = (link.gateway.clone(), link.vgw.clone());
                        move |event: web_sys::KeyboardEvent| match event.key().as_str() {
                            "Enter" | " " => {
                                event.prevent_default();
                                event.stop_propagation();
                                expand_key();
                            }
                            // Deleting the link removes everything connecting made for it, as one undo step.
                            "Delete" | "Backspace" => {
                                event.prevent_default();
                                event.stop_propagation();
                                // The line goes with the link: the canvas keeps the focus, as after deleting a node.
                                crate::browser::keep_focus_near(vec!["canvas".into()]);
                                state.edit("Remove link", |p| disconnect(p, &gateway, &vgw));
                            }
                            _ => {}
                        }
                    }
                >
                    <line class="hit" x1=x1 y1=y1 x2=x2 y2=y2 />
                    <line x1=x1 y1=y1 x2=x2 y2=y2 />
                    <text class="edge-label" x=(x1 + x2) / 2.0 y=(y1 + y2) / 2.0 - 8.0 text-anchor="middle">{label.clone()}</text>
                </g>
            }
        })}
    }
}

pub fn edge_key(drawn: &DrawnEdge) -> String {
    let (x1, y1, x2, y2) = drawn.line;
    format!("{}|{x1}|{y1}|{x2}|{y2}|{}", drawn.edge.id, drawn.edge.label)
}

#[component]
pub fn EdgeView(edge: DrawnEdge) -> impl IntoView {
    let state = use_editor();
    let DrawnEdge {
        edge,
        line: (x1, y1, x2, y2),
    } = edge;
    let class = match edge.kind {
        EdgeKind::Attachment => "edge attachment",
        EdgeKind::Connection => "edge connection",
        EdgeKind::Tunnel => "edge tunnel",
    };
    let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
    let label = (edge.kind == EdgeKind::Tunnel && !edge.label.is_empty())
        .then(|| view! { <text class="edge-label" x=mx y=my - 6.0 text-anchor="middle">{edge.label.clone()}</text> });
    let Some(target) = edge.selects.clone() else {
        return view! {
            <g class=class data-testid=format!("edge-{}", edge.id) aria-hidden="true">
                <line x1=x1 y1=y1 x2=x2 y2=y2 />
            </g>
        }
        .into_any();
    };
    let selected = {
        let target = target.clone();
        move || {
            state
                .selection
                .with(|s| s.as_deref() == Some(target.as_str()))
        }
    };
    let what = match edge.kind {
        EdgeKind::Tunnel => format!("IPsec tunnel {} of {}", edge.label, target),
        _ if edge.label.is_empty() => format!("Link of {target}"),
        _ => format!("Azure connection {}", edge.label),
    };
    let select = target.clone();
    let key_select = target.clone();
    // Lines that stand for an object of their own (tunnels, Azure connections) are controls. The rest select
    // the object a node already stands for (an attachment; a VPN connection's lines to its gateways, drawn
    // without a label): a click target for the mouse, but neither a Tab stop nor a second button for assistive
    // technology.
    let attachment = !edge.is_control();
    view! {
        // Tunnels and Azure connections are lines of their own (a connection is only ever drawn as a line):
        // reachable with Tab and selected with Enter or Space, like a node.
        <g
            class=class
            class:selected=selected
            data-testid=format!("edge-{}", edge.id)
            data-id=(!attachment).then(|| target.clone())
            role=(!attachment).then_some("button")
            tabindex=(!attachment).then_some("0")
            aria-label=(!attachment).then(|| what.clone())
            aria-hidden=attachment.then_some("true")
            // Shift-click adds to the selection or takes away from it, as on a node.
            on:click=move |event: web_sys::MouseEvent| {
                if event.shift_key() {
                    state.toggle(select.clone());
                } else {
                    state.select(Some(select.clone()));
                }
            }
            on:keydown=move |event: web_sys::KeyboardEvent| {
                if matches!(event.key().as_str(), "Enter" | " ") {
                    event.prevent_default();
                    event.stop_propagation();
                    state.select(Some(key_select.clone()));
                }
            }
        >
            // A wide transparent stroke makes thin lines easy to hit.
            <line class="hit" x1=x1 y1=y1 x2=x2 y2=y2 />
            <line x1=x1 y1=y1 x2=x2 y2=y2 />
            {label}
        </g>
    }
    .into_any()
}
