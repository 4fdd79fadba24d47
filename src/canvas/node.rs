//! One object on the canvas: a box with its name and a detail line, styled by kind and cloud.

use crate::state::use_editor;
use leptos::prelude::*;
use vpn_designer_core::layout::{cloud_title_below, CloudSide, Node, NodeKind};

/// Rows are re-created when anything drawn changes, so the key carries the drawn values, not just the id.
pub fn node_key(node: &Node) -> String {
    let r = node.rect;
    format!(
        "{}|{}|{}|{}|{}|{}|{}",
        node.id, r.x, r.y, r.w, r.h, node.label, node.detail
    )
}

fn kind_class(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Cloud => "cloud",
        NodeKind::Vnet | NodeKind::Vpc => "network",
        NodeKind::AzureSubnet | NodeKind::AwsSubnet => "subnet",
        NodeKind::GatewaySubnet => "subnet gateway-subnet",
        NodeKind::AzureVpnGateway | NodeKind::Vgw => "gateway",
        NodeKind::PublicIp => "public-ip",
        NodeKind::LocalNetworkGateway | NodeKind::CustomerGateway => "peer",
        NodeKind::VpnConnection => "vpn-connection",
        NodeKind::Nsg | NodeKind::SecurityGroup | NodeKind::NetworkAcl => "firewall",
        NodeKind::AzureRouteTable | NodeKind::AwsRouteTable => "route-table",
    }
}

/// A short glyph so kinds are told apart at a glance (the accessible name carries the full kind).
fn glyph(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::AzureVpnGateway | NodeKind::Vgw => "◆",
        NodeKind::PublicIp => "◉",
        NodeKind::LocalNetworkGateway | NodeKind::CustomerGateway => "◇",
        NodeKind::VpnConnection => "⇄",
        NodeKind::Nsg | NodeKind::SecurityGroup => "▣",
        NodeKind::NetworkAcl => "▤",
        NodeKind::AzureRouteTable | NodeKind::AwsRouteTable => "☰",
        _ => "",
    }
}

#[component]
pub fn NodeView(node: Node) -> impl IntoView {
    let state = use_editor();
    let Node {
        id,
        kind,
        cloud,
        label,
        detail,
        rect,
    } = node;
    let cloud_class = match cloud {
        CloudSide::Azure => "azure",
        CloudSide::Aws => "aws",
    };
    let class = format!("node {} {cloud_class}", kind_class(kind));
    let accessible = format!(
        "{} {}{}",
        kind.label(),
        label,
        if detail.is_empty() {
            String::new()
        } else {
            format!(", {detail}")
        }
    );
    let container = kind.is_container();
    // Networks carry their address space in the header; every other object shows it on a second line.
    let heading = match glyph(kind) {
        _ if container && kind != NodeKind::Cloud => format!("{label} · {detail}"),
        "" => label.clone(),
        glyph => format!("{glyph} {label}"),
    };
    let (text_x, title_y) = (rect.x + 10.0, rect.y + if container { 20.0 } else { 17.0 });
    let detail_line = (!container).then(
        || view! { <text class="node-detail" x=text_x y=rect.y + 33.0>{detail.clone()}</text> },
    );
    let selected = {
        let id = id.clone();
        move || state.is_selected(&id)
    };
    // A badge in the corner counts the findings that name this object, coloured by the worst of them.
    let badge = {
        let id = id.clone();
        move || {
            state.badges.with(|badges| {
                badges.get(&id).map(|(count, severity)| {
                    let (cx, cy) = (rect.x + rect.w - 2.0, rect.y + 2.0);
                    view! {
                        <g class=format!("badge {}", severity.name()) data-testid=format!("badge-{id}")>
                            <title>{format!("{count} finding(s), worst: {}", severity.name())}</title>
                            <circle cx=cx cy=cy r="9" />
                            <text x=cx y=cy + 4.0 text-anchor="middle">{count.to_string()}</text>
                        </g>
                    }
                })
            })
        }
    };

    if kind == NodeKind::Cloud {
        let cloud_title_y = if cloud_title_below(cloud) {
            rect.y + rect.h - 10.0
        } else {
            title_y + 2.0
        };
        // Clouds are backdrops: not selectable, so a press on them pans.
        return view! {
            <g class=class data-testid=format!("node-{id}") aria-label=accessible role="img">
                <rect x=rect.x y=rect.y width=rect.w height=rect.h rx="14" />
                <text class="node-title" x=text_x + 4.0 y=cloud_title_y>{heading}</text>
            </g>
        }
        .into_any();
    }
    // While a drag is under way the dragged nodes are drawn at their offset; the plan changes on release.
    let offset = {
        let id = id.clone();
        move || {
            state.drag.with(|d| {
                d.as_ref()
                    .filter(|d| d.ids.contains(&id))
                    .map(|d| format!("translate({} {})", d.dx, d.dy))
            })
        }
    };
    let highlighted = {
        let id = id.clone();
        move || state.highlight.with(|h| h.contains(&id))
    };
    // Gateways carry a handle on the side facing the other cloud: dragging from it to a gateway of the other
    // cloud connects the two (the canvas owns the gesture; the gateway panel's Connect form does the same from
    // the keyboard).
    let handle = matches!(kind, NodeKind::AzureVpnGateway | NodeKind::Vgw).then(|| {
        let (cx, cy) = connect_handle(kind, rect);
        let hint = match kind {
            NodeKind::AzureVpnGateway => "Drag to an AWS virtual private gateway to connect",
            _ => "Drag to an Azure VPN gateway to connect",
        };
        view! {
            <circle class="connect-handle" data-connect=id.clone() data-testid=format!("connect-handle-{id}") cx=cx cy=cy r="8">
                <title>{hint}</title>
            </circle>
        }
    });
    // The name ends with what the badge shows, so what is seen is also what is announced.
    let named = {
        let id = id.clone();
        let accessible = accessible.clone();
        move || {
            state.badges.with(|badges| match badges.get(&id) {
                Some((count, _)) => format!(
                    "{accessible}, {count} finding{}",
                    if *count == 1 { "" } else { "s" }
                ),
                None => accessible.clone(),
            })
        }
    };
    let select_id = id.clone();
    let key_id = id.clone();
    view! {
        <g
            class=class
            class:selected=selected
            class:highlighted=highlighted
            class:dragging={
                let offset = offset.clone();
                move || offset().is_some()
            }
            transform=offset
            data-testid=format!("node-{id}")
            data-id=id.clone()
            data-x=rect.x
            data-y=rect.y
            role="button"
            tabindex="0"
            aria-label=named
            on:click=move |event: web_sys::MouseEvent| {
                if event.shift_key() {
                    state.toggle(select_id.clone());
                } else {
                    state.select(Some(select_id.clone()));
                }
            }
            on:keydown=move |event: web_sys::KeyboardEvent| {
                if matches!(event.key().as_str(), "Enter" | " ") {
                    event.prevent_default();
                    event.stop_propagation();
                    state.select(Some(key_id.clone()));
                }
            }
        >
            <rect x=rect.x y=rect.y width=rect.w height=rect.h rx=if container { "10" } else { "6" } />
            <text class="node-title" x=text_x y=title_y>{heading}</text>
            // Spaces between the texts keep their words apart when assistive technology (and axe's "label in
            // name" check) reads the visible text as one string.
            " "
            {detail_line}
            " "
            {handle}
            {badge}
        </g>
    }
    .into_any()
}

/// Where a gateway's connect handle sits: on the edge that faces the other cloud.
pub fn connect_handle(kind: NodeKind, rect: vpn_designer_core::model::Rect) -> (f64, f64) {
    // The Azure cloud is drawn above the AWS one.
    let cx = rect.x + rect.w / 2.0;
    match kind {
        NodeKind::AzureVpnGateway => (cx, rect.y + rect.h),
        _ => (cx, rect.y),
    }
}
