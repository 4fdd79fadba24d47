//! Where a trace is drawn on the canvas: a line through the objects it passed, hop by hop, out and back, with a
//! numbered marker per hop (red where the packet stopped) and the verdict at the end of the line.
//!
//! A hop names the object that decided it (an NSG, a route table, a gateway, a VPN connection). Objects inside a
//! collapsed link are not drawn, so their hops sit on the middle of the link's line. The return path is drawn
//! beside the forward one, shifted by `RETURN_SHIFT`, so a hop met both ways (the tunnel) shows two markers.

use super::{connector, Diagram};
use crate::links::Link;
use crate::model::Design;
use crate::trace::{Direction, Trace, Verdict};
use ipnet::IpNet;
use std::net::IpAddr;

/// How far the return path is drawn from the forward one, in design units.
pub const RETURN_SHIFT: f64 = 10.0;

/// One hop's marker.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    /// 1-based position of the hop in the trace (forward hops first, as the trace lists them).
    pub number: usize,
    pub direction: Direction,
    pub passed: bool,
    /// "3. gateway az-vpngw: …", for the marker's tooltip.
    pub title: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TracePath {
    pub forward: Vec<(f64, f64)>,
    pub back: Vec<(f64, f64)>,
    pub markers: Vec<Marker>,
    pub delivered: bool,
    /// "delivered", or "blocked at <hop>: <reason>".
    pub verdict: String,
    /// Where the verdict is written: the blocking hop, or the end of the path.
    pub verdict_at: (f64, f64),
}

/// Where an object is drawn: its node's centre, or the middle of the collapsed link that holds it. A network (the
/// "far network" hop) is drawn at its VPN gateway, where the packet enters it, rather than at its middle.
fn position(design: &Design, diagram: &Diagram, folded: &[Link], id: &str) -> Option<(f64, f64)> {
    let gateway = design
        .azure
        .vpn_gateways
        .iter()
        .find(|g| g.vnet.as_str() == id)
        .map(|g| g.id.as_str())
        .or_else(|| {
            design
                .aws
                .vpn_gateways
                .iter()
                .find(|g| g.vpc.as_ref().is_some_and(|v| v.as_str() == id))
                .map(|g| g.id.as_str())
        });
    if let Some(node) = gateway
        .and_then(|g| diagram.node(g))
        .or_else(|| diagram.node(id))
    {
        return Some(node.rect.center());
    }
    let link = folded
        .iter()
        .find(|l| l.members.iter().any(|m| m == id) || l.vpn_connections.iter().any(|m| m == id))?;
    let (a, b) = (diagram.node(&link.gateway)?, diagram.node(&link.vgw)?);
    let (x1, y1, x2, y2) = connector(&a.rect, &b.rect);
    Some(((x1 + x2) / 2.0, (y1 + y2) / 2.0))
}

fn push_point(points: &mut Vec<(f64, f64)>, point: (f64, f64)) {
    if points.last() != Some(&point) {
        points.push(point);
    }
}

/// The subnet (of either cloud) whose CIDR holds `address` most specifically: where an ad-hoc trace's packet
/// starts or ends on the canvas. Gateway subnets are left out: no workload lives there.
pub fn subnet_holding(design: &Design, address: IpAddr) -> Option<String> {
    let azure = design.azure.vnets.iter().flat_map(|v| {
        v.subnets
            .iter()
            .filter(|s| !s.is_gateway_subnet())
            .map(|s| (s.id.as_str(), s.cidr))
    });
    let aws = design
        .aws
        .vpcs
        .iter()
        .flat_map(|v| v.subnets.iter().map(|s| (s.id.as_str(), s.cidr)));
    azure
        .chain(aws)
        .filter(|(_, cidr): &(&str, IpNet)| cidr.contains(&address))
        .max_by_key(|(_, cidr)| cidr.prefix_len())
        .map(|(id, _)| id.to_string())
}

/// The drawn path of `trace`, from the source subnet `from` to the destination subnet `to` (either may be
/// unknown: a CIDR endpoint). `None` when nothing of the path is on the canvas.
pub fn trace_path(
    design: &Design,
    diagram: &Diagram,
    folded: &[Link],
    trace: &Trace,
    from: Option<&str>,
    to: Option<&str>,
) -> Option<TracePath> {
    let at = |id: &str| position(design, diagram, folded, id);
    let shifted = |(x, y): (f64, f64)| (x + RETURN_SHIFT, y + RETURN_SHIFT);
    let mut forward = Vec::new();
    let mut back = Vec::new();
    let mut markers = Vec::new();
    if let Some(start) = from.and_then(at) {
        push_point(&mut forward, start);
    }
    let end = to.and_then(at);
    let mut blocked_at = None;
    for (index, hop) in trace.hops.iter().enumerate() {
        let Some(point) = hop.object.as_deref().and_then(at) else {
            continue;
        };
        let point = match hop.direction {
            Direction::Forward => {
                push_point(&mut forward, point);
                point
            }
            Direction::Return => {
                if back.is_empty() {
                    // The reply starts where the request arrived.
                    if let Some(end) = end {
                        push_point(&mut back, shifted(end));
                    }
                }
                let point = shifted(point);
                push_point(&mut back, point);
                point
            }
        };
        if !hop.passed && blocked_at.is_none() {
            blocked_at = Some(point);
        }
        let object = hop.object.as_deref().unwrap_or_default();
        markers.push(Marker {
            x: point.0,
            y: point.1,
            number: index + 1,
            direction: hop.direction,
            passed: hop.passed,
            title: format!("{}. {} {object}: {}", index + 1, hop.hop, hop.detail),
        });
    }
    let delivered = trace.delivered();
    // A request stopped on its way out does not reach the destination, even when the hop that stopped it has no
    // object on the canvas (a tunnel that cannot come up, a connection drawn as a line): the line ends at the
    // last object it passed, and the verdict is written there.
    let forward_through = !matches!(
        trace.verdict,
        Verdict::Blocked {
            direction: Direction::Forward,
            ..
        }
    );
    if forward_through {
        if let Some(end) = end {
            push_point(&mut forward, end);
        }
    }
    if delivered {
        if let Some(start) = from.and_then(at) {
            push_point(&mut back, shifted(start));
        }
    }
    if forward.is_empty() && back.is_empty() {
        return None;
    }
    let verdict = match &trace.verdict {
        Verdict::Delivered => "delivered".to_string(),
        Verdict::Blocked { hop, reason, .. } => format!("blocked at {hop}: {reason}"),
    };
    let verdict_at = blocked_at
        .or_else(|| back.last().copied())
        .or_else(|| forward.last().copied())
        .unwrap_or_default();
    Some(TracePath {
        forward,
        back,
        markers,
        delivered,
        verdict,
        verdict_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::diagram;
    use crate::links::links;
    use crate::model::common::{PortRange, Protocol};
    use crate::templates::reference;
    use crate::trace::{trace, trace_flow, Query, Source};

    fn centre(d: &Diagram, id: &str) -> (f64, f64) {
        d.node(id).unwrap().rect.center()
    }

    /// The reference's first flow (Azure app → AWS app), traced and drawn with every object on the canvas.
    fn first_flow_drawn(plan: &crate::model::Plan) -> (Diagram, Trace, TracePath) {
        let d = diagram(plan);
        let traced = trace_flow(plan, plan.design.flows[0].id.as_str()).unwrap();
        let path = trace_path(
            &plan.design,
            &d,
            &[],
            &traced,
            Some("az-snet-app"),
            Some("aws-snet-app"),
        )
        .unwrap();
        (d, traced, path)
    }

    #[test]
    fn a_delivered_flow_is_drawn_out_through_each_hop_and_back() {
        let plan = reference();
        let (d, traced, path) = first_flow_drawn(&plan);
        assert!(path.delivered);
        assert_eq!(path.verdict, "delivered");
        assert_eq!(path.forward.first(), Some(&centre(&d, "az-snet-app")));
        assert_eq!(path.forward.last(), Some(&centre(&d, "aws-snet-app")));
        // Every forward hop's object is on the line; a network at its gateway, where packets enter it.
        for hop in traced
            .hops
            .iter()
            .filter(|h| h.direction == Direction::Forward)
        {
            let object = match hop.object.as_deref().unwrap() {
                "aws-vpc" => "aws-vgw",
                "az-vnet" => "az-vpngw",
                other => other,
            };
            let p = centre(&d, object);
            assert!(path.forward.contains(&p), "{} not on the path", hop.hop);
        }
        // The reply runs from the destination back to the source, beside the request.
        let (sx, sy) = centre(&d, "aws-snet-app");
        assert_eq!(
            path.back.first(),
            Some(&(sx + RETURN_SHIFT, sy + RETURN_SHIFT))
        );
        let (ex, ey) = centre(&d, "az-snet-app");
        assert_eq!(
            path.back.last(),
            Some(&(ex + RETURN_SHIFT, ey + RETURN_SHIFT))
        );
        assert_eq!(path.markers.len(), traced.hops.len());
        assert!(path.markers.iter().all(|m| m.passed));
        let numbers: Vec<usize> = path.markers.iter().map(|m| m.number).collect();
        assert_eq!(numbers, (1..=traced.hops.len()).collect::<Vec<_>>());
    }

    #[test]
    fn a_blocked_flow_stops_at_the_blocking_hop_and_says_why_there() {
        let mut plan = reference();
        // The security group no longer lets the Azure app subnet in.
        for rule in &mut plan.design.aws.security_groups[0].ingress {
            rule.ports = PortRange::single(22);
        }
        let (d, traced, path) = first_flow_drawn(&plan);
        assert!(!traced.delivered());
        assert!(!path.delivered);
        assert!(path.verdict.starts_with("blocked at"), "{}", path.verdict);
        let blocked: Vec<&Marker> = path.markers.iter().filter(|m| !m.passed).collect();
        assert_eq!(blocked.len(), 1);
        assert_eq!((blocked[0].x, blocked[0].y), centre(&d, "aws-sg-app"));
        assert_eq!(path.verdict_at, centre(&d, "aws-sg-app"));
        // The request never reaches the destination subnet, and no reply is drawn back to the source.
        assert_eq!(path.forward.last(), Some(&centre(&d, "aws-sg-app")));
        assert!(!path.back.contains(&{
            let (x, y) = centre(&d, "az-snet-app");
            (x + RETURN_SHIFT, y + RETURN_SHIFT)
        }));
    }

    #[test]
    fn a_flow_stopped_where_nothing_is_drawn_ends_at_the_last_object_it_passed() {
        // Every tunnel down (phase 1 cannot agree): the blocking hop names no object, so it has no marker. The
        // request must not be drawn on to the destination subnet as if it had got there.
        let mut plan = reference();
        for v in &mut plan.design.aws.vpn_connections {
            for t in &mut v.tunnels {
                t.phase1_dh_groups = vec![20];
            }
        }
        let (d, traced, path) = first_flow_drawn(&plan);
        assert!(!traced.delivered());
        let destination = centre(&d, "aws-snet-app");
        assert!(!path.forward.contains(&destination), "{:?}", path.forward);
        assert_eq!(path.forward.last(), Some(&centre(&d, "az-vpngw")));
        assert_eq!(path.verdict_at, centre(&d, "az-vpngw"));
    }

    #[test]
    fn hops_inside_a_collapsed_link_sit_on_the_middle_of_its_line() {
        let plan = reference();
        let folded = links(&plan.design);
        let mut d = diagram(&plan);
        // Collapsing hides the link's members from the canvas.
        let hidden: Vec<String> = folded.iter().flat_map(|l| l.members.clone()).collect();
        d.nodes.retain(|n| !hidden.contains(&n.id));
        let query = Query {
            from: Source::Subnet("az-snet-app".into()),
            to: "10.2.1.10".parse().unwrap(),
            protocol: Protocol::Tcp,
            port: Some(443),
        };
        let traced = trace(&plan, &query);
        let path = trace_path(
            &plan.design,
            &d,
            &folded,
            &traced,
            Some("az-snet-app"),
            Some("aws-snet-app"),
        )
        .unwrap();
        let link = &folded[0];
        let (x1, y1, x2, y2) = connector(
            &d.node(&link.gateway).unwrap().rect,
            &d.node(&link.vgw).unwrap().rect,
        );
        let middle = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        assert!(path.forward.contains(&middle), "{:?}", path.forward);
        assert_eq!(path.markers.len(), traced.hops.len());
    }

    #[test]
    fn nothing_is_drawn_for_a_trace_with_no_object_on_the_canvas() {
        let plan = reference();
        let traced = trace_flow(&plan, plan.design.flows[0].id.as_str()).unwrap();
        let empty = Diagram::default();
        assert_eq!(
            trace_path(&plan.design, &empty, &[], &traced, None, None),
            None
        );
    }

    #[test]
    fn an_address_is_placed_in_the_most_specific_subnet_holding_it() {
        let plan = reference();
        let d = &plan.design;
        assert_eq!(
            subnet_holding(d, "10.2.1.10".parse().unwrap()).as_deref(),
            Some("aws-snet-app")
        );
        assert_eq!(
            subnet_holding(d, "10.1.1.4".parse().unwrap()).as_deref(),
            Some("az-snet-app")
        );
        // The gateway subnet holds no workload.
        assert_eq!(subnet_holding(d, "10.1.255.4".parse().unwrap()), None);
        assert_eq!(subnet_holding(d, "192.0.2.1".parse().unwrap()), None);
    }
}
