//! Links: everything that joins one Azure VPN gateway to one AWS virtual private gateway (customer gateways, VPN
//! connections, local network gateways, Azure connections), and the canvas's collapsed drawing of a link as one
//! line between the two gateways, which expands to show its tunnels.

use crate::edit::connect::link_connections;
use crate::layout::draw::cloud_rect;
use crate::layout::{CloudSide, Diagram, NodeKind};
use crate::model::common::Endpoint;
use crate::model::Design;
use std::collections::{BTreeSet, HashSet};

/// One link between two gateways.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// `gateway|vgw`: stable while both gateways exist.
    pub key: String,
    pub gateway: String,
    pub vgw: String,
    pub vpn_connections: Vec<String>,
    /// The objects drawn for the link: customer gateways, VPN connections, local network gateways.
    pub members: Vec<String>,
    pub tunnels: usize,
}

pub fn link_key(gateway: &str, vgw: &str) -> String {
    format!("{gateway}|{vgw}")
}

/// Every link of the design.
pub fn links(design: &Design) -> Vec<Link> {
    let mut out = Vec::new();
    for gw in &design.azure.vpn_gateways {
        for vgw in &design.aws.vpn_gateways {
            let vpns = link_connections(design, gw.id.as_str(), vgw.id.as_str());
            if vpns.is_empty() {
                continue;
            }
            let mut members: Vec<String> = Vec::new();
            for vpn in design
                .aws
                .vpn_connections
                .iter()
                .filter(|v| vpns.iter().any(|x| x == v.id.as_str()))
            {
                members.push(vpn.id.as_str().to_string());
                // A customer gateway shared with another link (one per Azure instance and region) stays drawn
                // while this link is collapsed: the other link's lines end on it.
                let shared = design.aws.vpn_connections.iter().any(|v| {
                    v.customer_gateway == vpn.customer_gateway
                        && !vpns.iter().any(|x| x == v.id.as_str())
                });
                if !shared && !members.iter().any(|m| m == vpn.customer_gateway.as_str()) {
                    members.push(vpn.customer_gateway.as_str().to_string());
                }
            }
            for lng in &design.azure.local_network_gateways {
                if let Endpoint::AwsTunnelOutside { vpn_connection, .. } = &lng.gateway_address {
                    if vpns.iter().any(|x| x == vpn_connection.as_str()) {
                        members.push(lng.id.as_str().to_string());
                    }
                }
            }
            out.push(Link {
                key: link_key(gw.id.as_str(), vgw.id.as_str()),
                gateway: gw.id.as_str().to_string(),
                vgw: vgw.id.as_str().to_string(),
                tunnels: vpns.len() * 2,
                vpn_connections: vpns,
                members,
            });
        }
    }
    out
}

/// Draws the `collapsed` links as one line each: their member nodes, and every edge touching them, are left out
/// of the diagram; the links are returned for drawing between their gateways.
pub fn collapse(diagram: &mut Diagram, design: &Design, collapsed: &BTreeSet<String>) -> Vec<Link> {
    if collapsed.is_empty() {
        return Vec::new();
    }
    let folded: Vec<Link> = links(design)
        .into_iter()
        .filter(|l| collapsed.contains(&l.key))
        .collect();
    let mut hidden: HashSet<&str> = folded
        .iter()
        .flat_map(|l| l.members.iter().map(String::as_str))
        .collect();
    // A customer gateway shared by several links is no link's member; it goes too once every VPN connection
    // using it is hidden (all its links collapsed), or it would be drawn with no line ending on it.
    for cgw in &design.aws.customer_gateways {
        let mut users = design
            .aws
            .vpn_connections
            .iter()
            .filter(|v| v.customer_gateway == cgw.id)
            .peekable();
        if users.peek().is_some() && users.all(|v| hidden.contains(v.id.as_str())) {
            hidden.insert(cgw.id.as_str());
        }
    }
    let mut nodes = std::mem::take(&mut diagram.nodes);
    nodes.retain(|n| !hidden.contains(n.id.as_str()));
    // Each cloud encloses what is drawn of it: the hidden tunnel ends leave no empty band inside it.
    for cloud in [CloudSide::Azure, CloudSide::Aws] {
        let drawn = nodes
            .iter()
            .filter(|n| n.cloud == cloud && n.kind != NodeKind::Cloud)
            .map(|n| n.rect)
            .reduce(|a, b| a.union(&b));
        let frame = nodes
            .iter_mut()
            .find(|n| n.cloud == cloud && n.kind == NodeKind::Cloud);
        if let (Some(drawn), Some(frame)) = (drawn, frame) {
            frame.rect = cloud_rect(cloud, drawn);
        }
    }
    let mut edges = std::mem::take(&mut diagram.edges);
    edges.retain(|e| !hidden.contains(e.from.as_str()) && !hidden.contains(e.to.as_str()));
    // Rebuilt, so the diagram's index of node positions matches the nodes left.
    *diagram = Diagram::new(nodes, edges);
    folded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::diagram;
    use crate::templates;

    #[test]
    fn the_reference_has_one_link_of_four_tunnels_and_collapsing_hides_its_members() {
        let plan = templates::reference();
        let all = links(&plan.design);
        assert_eq!(all.len(), 1);
        let link = &all[0];
        assert_eq!(
            (link.gateway.as_str(), link.vgw.as_str(), link.tunnels),
            ("az-vpngw", "aws-vgw", 4)
        );
        assert_eq!(link.members.len(), 2 + 2 + 4);
        let mut d = diagram(&plan);
        let before = d.nodes.len();
        let drawn = collapse(
            &mut d,
            &plan.design,
            &[link.key.clone()].into_iter().collect(),
        );
        assert_eq!(drawn.len(), 1);
        assert_eq!(d.nodes.len(), before - 8);
        assert!(
            d.nodes.iter().any(|n| n.id == "az-vpngw") && d.nodes.iter().any(|n| n.id == "aws-vgw")
        );
        assert!(!d
            .edges
            .iter()
            .any(|e| e.from.starts_with("aws-cgw") || e.to.starts_with("aws-cgw")));
        let mut untouched = diagram(&plan);
        assert!(collapse(&mut untouched, &plan.design, &BTreeSet::new()).is_empty());
        assert_eq!(untouched, diagram(&plan));
    }

    /// Collapsed, a link's tunnel ends leave no empty band in the clouds: each cloud is drawn around what is left
    /// of it (the VNet above, the VPC below), no larger, and still holds all of that.
    #[test]
    fn a_collapsed_link_shrinks_the_clouds_to_what_is_drawn() {
        let plan = templates::reference();
        let key = links(&plan.design)[0].key.clone();
        let full = diagram(&plan);
        let mut d = diagram(&plan);
        collapse(&mut d, &plan.design, &[key].into_iter().collect());
        let rect = |d: &Diagram, id: &str| d.node(id).map(|n| n.rect).unwrap();
        for (cloud, id, network) in [
            (CloudSide::Azure, "cloud-azure", "az-vnet"),
            (CloudSide::Aws, "cloud-aws", "aws-vpc"),
        ] {
            let (before, after) = (rect(&full, id), rect(&d, id));
            assert!(after.h < before.h, "{id} keeps the hidden rows' height");
            for n in d
                .nodes
                .iter()
                .filter(|n| n.cloud == cloud && n.kind != NodeKind::Cloud)
            {
                let r = n.rect;
                assert!(
                    after.x <= r.x
                        && after.y <= r.y
                        && r.x + r.w <= after.x + after.w
                        && r.y + r.h <= after.y + after.h,
                    "{} outside {id}",
                    n.id
                );
            }
            // Only the padding and the title between the network and its cloud's edges.
            let net = rect(&d, network);
            assert!(
                net.y - after.y <= 48.0 && (after.y + after.h) - (net.y + net.h) <= 48.0,
                "{id}: {after:?} around {net:?}"
            );
        }
        // The index was rebuilt with the nodes: every node is found where it is.
        for (i, n) in d.nodes.iter().enumerate() {
            assert!(
                std::ptr::eq(d.node(&n.id).unwrap(), &d.nodes[i])
                    || d.nodes[..i].iter().any(|m| m.id == n.id)
            );
        }
    }
}
