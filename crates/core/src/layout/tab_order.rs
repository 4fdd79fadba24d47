//! The order in which Tab visits the canvas's objects. SVG paints in document order, so lines come before the
//! nodes they join (or they would hide them), and containers before what they hold; read in that order, Tab went
//! through every line before any gateway. People read a design network by network: each network, then what it
//! holds, then the objects of its cloud outside any network, and each line once both its ends have been visited.

use super::{Diagram, Edge, EdgeKind, NodeKind};
use crate::model::layout::Rect;

/// One Tab stop: a node, a line (an index into [`Diagram::edges`]) or one of the caller's extra lines between
/// two nodes (collapsed links, an index into the caller's list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    Node(usize),
    Edge(usize),
    Extra(usize),
}

impl Edge {
    /// Whether the line is a control of its own (a Tab stop): tunnels and Azure connections are objects drawn
    /// as lines; attachments and a VPN connection's unlabelled lines to its gateways select what a node already
    /// stands for.
    pub fn is_control(&self) -> bool {
        self.selects.is_some()
            && match self.kind {
                EdgeKind::Attachment => false,
                EdgeKind::Connection => !self.label.is_empty(),
                EdgeKind::Tunnel => true,
            }
    }
}

fn inside(inner: &Rect, outer: &Rect) -> bool {
    inner.x >= outer.x
        && inner.y >= outer.y
        && inner.x + inner.w <= outer.x + outer.w
        && inner.y + inner.h <= outer.y + outer.h
}

/// Every Tab stop of the diagram, in reading order. `extra` are lines between two node ids drawn beside the
/// diagram's own.
pub fn tab_order(diagram: &Diagram, extra: &[(&str, &str)]) -> Vec<Stop> {
    let nodes = &diagram.nodes;
    let networks: Vec<usize> = (0..nodes.len())
        .filter(|&i| matches!(nodes[i].kind, NodeKind::Vnet | NodeKind::Vpc))
        .collect();
    // Networks by the grid cells their boxes cover, cells as large as the largest network, so a box covers at
    // most four and a node's corner finds its network among a few (a search of every network for every node took
    // a third of a second at 1,000 networks: review s16).
    let size = networks
        .iter()
        .map(|&n| nodes[n].rect.w.max(nodes[n].rect.h))
        .fold(1.0_f64, f64::max);
    let cell_of = |x: f64, y: f64| ((x / size).floor() as i64, (y / size).floor() as i64);
    let mut grid: crate::hash::FastMap<(i64, i64), Vec<usize>> = Default::default();
    for &n in &networks {
        let r = &nodes[n].rect;
        let (x0, y0) = cell_of(r.x, r.y);
        let (x1, y1) = cell_of(r.x + r.w, r.y + r.h);
        for cx in x0..=x1 {
            for cy in y0..=y1 {
                grid.entry((cx, cy)).or_default().push(n);
            }
        }
    }
    // Each node's place: its cloud; the cloud itself, then each network with what it holds (the first network
    // whose box holds the node), then the cloud's nodes outside any network; the diagram's order within each.
    let key = |i: usize| {
        let node = &nodes[i];
        let cloud = u8::from(node.cloud != super::CloudSide::Azure);
        if node.kind == NodeKind::Cloud {
            return (cloud, 0, 0, i);
        }
        let network = if matches!(node.kind, NodeKind::Vnet | NodeKind::Vpc) {
            Some(i)
        } else {
            grid.get(&cell_of(node.rect.x, node.rect.y))
                .into_iter()
                .flatten()
                .copied()
                .find(|&n| nodes[n].cloud == node.cloud && inside(&node.rect, &nodes[n].rect))
        };
        match network {
            Some(n) => (cloud, 1, n, i),
            None => (cloud, 2, 0, i),
        }
    };
    // Once per node: finding the network is a search of the networks (a 200-network plan draws ~4,000 nodes).
    let keys: Vec<_> = (0..nodes.len()).map(key).collect();
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by_key(|&i| keys[i]);
    let mut rank = vec![usize::MAX; nodes.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let rank_of = |id: &str| {
        diagram
            .index
            .0
            .get(id)
            .map(|&i| rank[i])
            .unwrap_or(usize::MAX)
    };
    // Lines after the later of their two ends; a line with an end not drawn comes last.
    let mut lines: Vec<(usize, Stop)> = diagram
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_control())
        .map(|(i, e)| (rank_of(&e.from).max(rank_of(&e.to)), Stop::Edge(i)))
        .chain(
            extra
                .iter()
                .enumerate()
                .map(|(i, (a, b))| (rank_of(a).max(rank_of(b)), Stop::Extra(i))),
        )
        .collect();
    lines.sort_by_key(|(after, _)| *after);
    let mut out = Vec::with_capacity(nodes.len() + lines.len());
    let mut next = lines.into_iter().peekable();
    for (r, &i) in order.iter().enumerate() {
        out.push(Stop::Node(i));
        while let Some((_, stop)) = next.next_if(|(after, _)| *after == r) {
            out.push(stop);
        }
    }
    out.extend(next.map(|(_, stop)| stop));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::reference;

    #[test]
    fn networks_then_their_contents_and_each_line_after_both_its_ends() {
        let diagram = super::super::diagram(&reference());
        let order = tab_order(&diagram, &[]);
        let name = |s: &Stop| match *s {
            Stop::Node(i) => diagram.nodes[i].id.clone(),
            Stop::Edge(i) => format!("edge {}", diagram.edges[i].id),
            Stop::Extra(i) => format!("extra {i}"),
        };
        let names: Vec<String> = order.iter().map(name).collect();
        let at = |id: &str| {
            names
                .iter()
                .position(|n| n == id)
                .unwrap_or_else(|| panic!("{id} in {names:?}"))
        };
        // Every node once, and every line that is a control once.
        let nodes = order.iter().filter(|s| matches!(s, Stop::Node(_))).count();
        assert_eq!(nodes, diagram.nodes.len());
        let lines = diagram.edges.iter().filter(|e| e.is_control()).count();
        assert!(lines >= 8, "tunnels and connections: {lines}");
        assert_eq!(order.len(), nodes + lines);
        // The VNet, then what it holds, before the VPC; Azure before AWS.
        assert!(at("az-vnet") < at("az-snet-app"));
        assert!(at("az-snet-app") < at("aws-vpc"));
        assert!(at("az-vpngw") < at("aws-vpc"));
        assert!(at("aws-vpc") < at("aws-vgw"));
        // Each line after both its ends.
        for (r, stop) in order.iter().enumerate() {
            if let Stop::Edge(i) = stop {
                let e = &diagram.edges[*i];
                assert!(at(&e.from) < r && at(&e.to) < r, "{} before its ends", e.id);
            }
        }
        // The first stop is a node, not a line (the bug: every line came first).
        assert!(matches!(order[0], Stop::Node(_)));
        // Extra lines (collapsed links) follow both their gateways.
        let order = tab_order(&diagram, &[("az-vpngw", "aws-vgw")]);
        let extra = order.iter().position(|s| *s == Stop::Extra(0)).unwrap();
        let gw = order
            .iter()
            .position(|s| matches!(s, Stop::Node(i) if diagram.nodes[*i].id == "aws-vgw"))
            .unwrap();
        assert!(extra > gw);
    }
}
