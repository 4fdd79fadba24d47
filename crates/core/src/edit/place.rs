//! Where objects are drawn as the design changes. The layout lives apart from the design (see `model::layout`);
//! these functions only ever change the layout.
//!
//! New objects take their auto-layout place shifted by however far the user moved their network, and never land on
//! top of another node; a network grows to hold what is put or moved into it.

use crate::layout::auto_layout;
use crate::model::{Design, Plan, Rect};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The canvas grid nodes snap to.
pub const GRID: f64 = 10.0;
/// Space kept between a network's edge and what it holds.
const MARGIN: f64 = 20.0;

/// Which network (VNet or VPC) each object is drawn inside.
pub fn parents(design: &Design) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for vnet in &design.azure.vnets {
        for subnet in &vnet.subnets {
            out.insert(subnet.id.as_str().to_string(), vnet.id.as_str().to_string());
            for policy in subnet
                .nsg
                .iter()
                .map(|n| n.as_str())
                .chain(subnet.route_table.iter().map(|r| r.as_str()))
            {
                out.entry(policy.to_string())
                    .or_insert_with(|| vnet.id.as_str().to_string());
            }
        }
    }
    for gw in &design.azure.vpn_gateways {
        out.insert(gw.id.as_str().to_string(), gw.vnet.as_str().to_string());
    }
    for vpc in &design.aws.vpcs {
        for subnet in &vpc.subnets {
            out.insert(subnet.id.as_str().to_string(), vpc.id.as_str().to_string());
        }
    }
    for vgw in &design.aws.vpn_gateways {
        if let Some(vpc) = &vgw.vpc {
            out.insert(vgw.id.as_str().to_string(), vpc.as_str().to_string());
        }
    }
    for sg in &design.aws.security_groups {
        out.insert(sg.id.as_str().to_string(), sg.vpc.as_str().to_string());
    }
    for rt in &design.aws.route_tables {
        out.insert(rt.id.as_str().to_string(), rt.vpc.as_str().to_string());
    }
    for acl in &design.aws.network_acls {
        out.insert(acl.id.as_str().to_string(), acl.vpc.as_str().to_string());
    }
    out
}

/// Grows `container` (right and down) so that it holds `inner` with a margin.
fn grow(container: &mut Rect, inner: &Rect) {
    let right = (inner.x + inner.w + MARGIN).max(container.x + container.w);
    let bottom = (inner.y + inner.h + MARGIN).max(container.y + container.h);
    container.w = right - container.x;
    container.h = bottom - container.y;
}

/// Lays the whole design out again with the auto layout, forgetting every move: the toolbar's Arrange, for a
/// design whose objects were moved into a tangle, or saved by a version that laid designs out differently.
/// Returns whether anything moved.
pub fn arrange(plan: &mut Plan) -> bool {
    let auto = auto_places(plan);
    let moved = plan.layout.nodes != auto;
    plan.layout.nodes = auto;
    moved
}

/// The auto layout of the design as it is: taken before a change, it tells [`place_new`] which objects the user
/// never moved.
pub fn auto_places(plan: &Plan) -> BTreeMap<String, Rect> {
    auto_layout(&plan.design).nodes
}

/// Gives every object without a stored place one, and drops the places of objects no longer in the design.
///
/// `before` is the auto layout from before the change ([`auto_places`]): what still sits where it put objects,
/// the user never moved, and follows the new auto layout ([`follow`]). When Connect adds the rows of tunnel ends
/// between the clouds, the VPC below moves down to make room instead of the new rows landing on it; after a
/// delete, the networks beside the deleted one close the gap rather than a new one landing on them. What the
/// user moved stays where they put it.
pub fn place_new(plan: &mut Plan, before: &BTreeMap<String, Rect>) {
    let auto = auto_layout(&plan.design).nodes;
    let parents = parents(&plan.design);
    let containers: HashSet<&str> = parents.values().map(String::as_str).collect();
    let stored = &mut plan.layout.nodes;
    stored.retain(|id, _| auto.contains_key(id));
    follow(stored, before, &auto, &parents, &containers);
    let new: Vec<&String> = auto.keys().filter(|id| !stored.contains_key(*id)).collect();
    // Networks first, so their contents can follow them.
    let (top, inner): (Vec<&String>, Vec<&String>) =
        new.into_iter().partition(|id| !parents.contains_key(*id));
    for id in top.into_iter().chain(inner) {
        let mut rect = auto[id];
        let parent = parents
            .get(id)
            .filter(|p| stored.contains_key(*p) && auto.contains_key(*p));
        if let Some(p) = parent {
            rect.x += stored[p].x - auto[p].x;
            rect.y += stored[p].y - auto[p].y;
        }
        if containers.contains(id.as_str()) {
            // A new network goes right of any network the user left where it would land.
            let mut guard = 0;
            while let Some(right) = stored
                .iter()
                .filter(|(other, r)| containers.contains(other.as_str()) && r.overlaps(&rect))
                .map(|(_, r)| r.x + r.w)
                .reduce(f64::max)
            {
                guard += 1;
                if guard > stored.len() {
                    break;
                }
                rect.x = snap(right + NETWORK_GAP);
            }
        } else {
            // Step down past anything already there (but the network it goes in).
            let mut guard = 0;
            while guard < 500
                && stored.iter().any(|(other, r)| {
                    Some(other) != parent
                        && !containers.contains(other.as_str())
                        && r.overlaps(&rect)
                })
            {
                rect.y += GRID * 2.0;
                guard += 1;
            }
        }
        if let Some(p) = parent {
            if let Some(container) = stored.get_mut(p) {
                grow(container, &rect);
            }
        }
        stored.insert(id.clone(), rect);
    }
}

/// Space kept between a new network and one already where it would have gone.
const NETWORK_GAP: f64 = 60.0;

/// Moves what the user never moved to its place in the new auto layout `auto`.
///
/// A network goes with everything drawn in it. If it is still where `before` put it (it may have grown), it and
/// its contents shift by as much as the layout moved it: contents still at their old auto place take their new
/// one, contents the user moved keep their place relative to the network, and the network grows to hold them. A
/// network the user moved stays, with all it holds. Objects in no network follow on their own.
fn follow(
    stored: &mut BTreeMap<String, Rect>,
    before: &BTreeMap<String, Rect>,
    auto: &BTreeMap<String, Rect>,
    parents: &HashMap<String, String>,
    containers: &HashSet<&str>,
) {
    let mut shifts: HashMap<&str, (f64, f64)> = HashMap::new();
    for network in containers {
        let (Some(s), Some(b), Some(a)) = (
            stored.get(*network),
            before.get(*network),
            auto.get(*network),
        ) else {
            continue;
        };
        if (s.x, s.y) == (b.x, b.y) {
            shifts.insert(network, (a.x - b.x, a.y - b.y));
        }
    }
    for (id, rect) in stored.iter_mut() {
        let (Some(b), Some(a)) = (before.get(id), auto.get(id)) else {
            continue;
        };
        let unmoved = rect == b;
        if containers.contains(id.as_str()) {
            if shifts.contains_key(id.as_str()) {
                // A network the user grew keeps its size; else it takes the size the layout gives it now.
                let (w, h) = if (rect.w, rect.h) == (b.w, b.h) {
                    (a.w, a.h)
                } else {
                    (rect.w, rect.h)
                };
                *rect = Rect::new(a.x, a.y, w, h);
            }
        } else if let Some(parent) = parents.get(id) {
            if let Some((dx, dy)) = shifts.get(parent.as_str()) {
                *rect = if unmoved {
                    *a
                } else {
                    Rect::new(rect.x + dx, rect.y + dy, rect.w, rect.h)
                };
            }
        } else if unmoved {
            *rect = *a;
        }
    }
    for (child, parent) in parents {
        if !shifts.contains_key(parent.as_str()) {
            continue;
        }
        if let Some(inner) = stored.get(child).copied() {
            if let Some(container) = stored.get_mut(parent) {
                grow(container, &inner);
            }
        }
    }
}

/// Everything drawn inside `ids`' networks, and `ids` themselves.
pub fn with_contents(design: &Design, ids: &[String]) -> HashSet<String> {
    let parents = parents(design);
    let mut out: HashSet<String> = ids.iter().cloned().collect();
    for (child, parent) in &parents {
        if out.contains(parent) {
            out.insert(child.clone());
        }
    }
    out
}

/// Moves nodes (and what their networks hold) by (dx, dy) from the positions in `start`, the layout when the
/// gesture began, so a drag of any length is one exact move. A network grows to keep a moved subnet inside it.
pub fn move_nodes(
    plan: &mut Plan,
    start: &BTreeMap<String, Rect>,
    ids: &[String],
    dx: f64,
    dy: f64,
) {
    let moving = with_contents(&plan.design, ids);
    let parents = parents(&plan.design);
    for id in &moving {
        if let Some(from) = start.get(id) {
            plan.layout.nodes.insert(
                id.clone(),
                Rect::new(from.x + dx, from.y + dy, from.w, from.h),
            );
        }
    }
    // Networks that hold a moved node but do not move: back to their size at the start, then grown to fit.
    let held: Vec<(&String, &String)> = moving
        .iter()
        .filter_map(|id| {
            parents
                .get(id)
                .filter(|p| !moving.contains(*p))
                .map(|p| (id, p))
        })
        .collect();
    for (_, parent) in &held {
        if let (Some(from), Some(container)) =
            (start.get(*parent), plan.layout.nodes.get_mut(*parent))
        {
            *container = *from;
        }
    }
    for (id, parent) in held {
        let inner = plan.layout.nodes.get(id).copied();
        if let (Some(inner), Some(container)) = (inner, plan.layout.nodes.get_mut(parent)) {
            grow(container, &inner);
        }
    }
}

/// Whether the design's networks sit with the clouds side by side rather than Azure above AWS: how versions before
/// the stacked layout placed them, and what a plan saved then (autosave, a file, a link) keeps until the user
/// presses Arrange. The editor mentions Arrange when it opens such a plan. Only stored places count.
pub fn clouds_side_by_side(plan: &Plan) -> bool {
    let stored = |id: &str| plan.layout.nodes.get(id).copied();
    let azure_bottom = plan
        .design
        .azure
        .vnets
        .iter()
        .filter_map(|v| stored(v.id.as_str()))
        .map(|r| r.y + r.h)
        .reduce(f64::max);
    let aws_top = plan
        .design
        .aws
        .vpcs
        .iter()
        .filter_map(|v| stored(v.id.as_str()))
        .map(|r| r.y)
        .reduce(f64::min);
    matches!((azure_bottom, aws_top), (Some(bottom), Some(top)) if bottom > top)
}

/// Rounds a coordinate to the grid.
pub fn snap(value: f64) -> f64 {
    (value / GRID).round() * GRID
}
