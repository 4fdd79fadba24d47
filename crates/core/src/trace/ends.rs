//! RT-006 (beyond the catalogue): a declared flow whose ends the trace cannot follow as one path between machines.
//! The editor offers only subnets where machines run, but a plan file may name anything the loader accepts: the
//! GatewaySubnet, a CIDR that no subnet holds or that spans several subnets (each with its own route table and
//! rules), a CIDR made only of a subnet's reserved addresses, or a source and destination of different address
//! families. Such a flow used to be skipped or traced as something else (a GatewaySubnet source came out as a
//! security group finding): the review said nothing true about it. Now the flow is blocked at the end at fault,
//! with why and what to declare instead.

use super::{Direction, Trace, Verdict};
use crate::model::flow::{Flow, FlowEndpoint};
use crate::review::context::{Context, Network, SubnetRef};
use crate::review::prefixes::{address_at, range, Range};
use ipnet::IpNet;

/// The end at fault and why, if a declared flow's ends cannot be traced as one path between machines. When this
/// is `None`, one subnet holds the whole source.
pub(super) fn unusable(context: &Context, flow: &Flow) -> Option<Trace> {
    let src = end(context, &flow.source);
    let dst = end(context, &flow.destination);
    if let Some(problem) = problem(context, &src, "source") {
        return Some(blocked("source", problem));
    }
    if let Some(problem) = problem(context, &dst, "destination") {
        return Some(blocked("destination", problem));
    }
    // Both ends are usable; a packet still has one family.
    let v4 = |e: &End| e.cidr.addr().is_ipv4();
    if v4(&src) != v4(&dst) {
        let family = |e: &End| if v4(e) { "IPv4" } else { "IPv6" };
        return Some(blocked(
            "source",
            Problem {
                reason: format!(
                    "its source {} is {} and its destination {} is {}: a packet has one address family",
                    src.cidr,
                    family(&src),
                    dst.cidr,
                    family(&dst)
                ),
                change: "declare the flow between two subnets of one address family".into(),
                subjects: Vec::new(),
            },
        ));
    }
    None
}

/// One end of a declared flow: its CIDR, and the subnet that holds all of it (if one does).
struct End<'a> {
    cidr: IpNet,
    /// Whether the end names a subnet (rather than a CIDR).
    named: bool,
    subnet: Option<SubnetRef<'a>>,
}

fn end<'a>(context: &Context<'a>, e: &FlowEndpoint) -> End<'a> {
    match e {
        FlowEndpoint::Subnet(id) => {
            let subnet = context.subnets.get(id.as_str()).copied();
            End {
                // The loader refuses a flow naming a missing subnet; this default is never traced.
                cidr: subnet.map_or(IpNet::V4(Default::default()), |s| s.cidr()),
                named: true,
                subnet,
            }
        }
        FlowEndpoint::Cidr(net) => End {
            cidr: *net,
            named: false,
            subnet: context.subnet_covering(range(net)),
        },
    }
}

struct Problem {
    reason: String,
    change: String,
    subjects: Vec<String>,
}

fn problem(context: &Context, e: &End, which: &str) -> Option<Problem> {
    // The usual end, a subnet where machines run, costs two lookups: the texts are written only for a problem.
    if let Some(subnet) = e.subnet {
        let gateway = matches!(subnet, SubnetRef::Azure(_, s) if s.is_gateway_subnet());
        if e.named && !gateway {
            return None;
        }
    }
    let what = if e.named {
        format!("its {which} subnet")
    } else {
        format!("its {which} {}", e.cidr)
    };
    let Some(subnet) = e.subnet else {
        let r = range(&e.cidr);
        let Some(network) = context.network_covering(r) else {
            // A destination beyond every network of the plan is traced: the route tables say where it goes
            // (RT-001 when nowhere through the VPN). A source must be a machine of the plan.
            return (which == "source").then(|| Problem {
                reason: format!("{what} is not inside one network of the plan"),
                change: "declare the flow from a subnet of the plan".into(),
                subjects: Vec::new(),
            });
        };
        let held = subnets_within(network, r);
        let label = context.label(network.id());
        let gateway_subnet = |id: &str| matches!(context.subnets.get(id), Some(SubnetRef::Azure(_, s)) if s.is_gateway_subnet());
        return Some(if let [only] = held[..] {
            // Beyond the GatewaySubnet: it is no subnet to declare the flow in either.
            let change = if gateway_subnet(only) {
                format!("declare the flow's {which} as a subnet of {label} where machines run")
            } else {
                format!(
                    "declare the flow's {which} as subnet {}",
                    context.label(only)
                )
            };
            Problem {
                reason: format!(
                    "{what} reaches beyond subnet {} into addresses of {label} that no subnet holds",
                    context.label(only)
                ),
                change,
                subjects: vec![only.to_string()],
            }
        } else if held.is_empty() {
            Problem {
                reason: format!(
                    "no subnet of {label} holds {}: nothing there can send or receive (both clouds give \
                     machines addresses only from subnets)",
                    e.cidr
                ),
                change: format!("declare the flow's {which} as a subnet of {label}"),
                subjects: vec![network.id().to_string()],
            }
        } else {
            Problem {
                reason: format!(
                    "{what} spans several subnets of {label} ({}), each with its own route table and rules",
                    held.iter()
                        .map(|s| context.label(s))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                change: "declare one flow per subnet".into(),
                subjects: vec![network.id().to_string()],
            }
        });
    };
    let label = context.label(subnet.id());
    if matches!(subnet, SubnetRef::Azure(_, s) if s.is_gateway_subnet()) {
        // The GatewaySubnet holds the VPN gateway and nothing else [AZ2].
        let gateway_subnet = crate::facts::azure::GATEWAY_SUBNET_NAME.value;
        return Some(Problem {
            reason: format!(
                "{what} is in {label}, the {gateway_subnet}, which holds only the VPN gateway: no machine sends \
                 from it or receives in it"
            ),
            change: format!("declare the flow's {which} as a subnet where machines run"),
            subjects: vec![subnet.id().to_string()],
        });
    }
    // The first four addresses and the last of an IPv4 subnet are the clouds' own [AZ22] [VPC2].
    let cidr = subnet.cidr();
    if !e.named && cidr.addr().is_ipv4() {
        let (low, high) = range(&cidr);
        let r = range(&e.cidr);
        if r.1 < low + 4 || (r.0 == high && r.1 == high) {
            return Some(Problem {
                reason: format!(
                    "{what} holds only addresses the cloud reserves in subnet {label} (the first four and the \
                     last of {cidr}): no machine has one"
                ),
                change: format!(
                    "declare the flow's {which} as subnet {label}, or a host address such as {}",
                    address_at(low + 4)
                ),
                subjects: vec![subnet.id().to_string()],
            });
        }
    }
    None
}

/// The ids of `network`'s subnets that overlap `r`.
fn subnets_within<'a>(network: Network<'a>, r: Range) -> Vec<&'a str> {
    let overlaps = |cidr: &IpNet| {
        let s = range(cidr);
        s.0 <= r.1 && r.0 <= s.1
    };
    match network {
        Network::Azure(v) => v
            .subnets
            .iter()
            .filter(|s| overlaps(&s.cidr))
            .map(|s| s.id.as_str())
            .collect(),
        Network::Aws(v) => v
            .subnets
            .iter()
            .filter(|s| overlaps(&s.cidr))
            .map(|s| s.id.as_str())
            .collect(),
    }
}

fn blocked(hop: &str, problem: Problem) -> Trace {
    Trace {
        hops: Vec::new(),
        verdict: Verdict::Blocked {
            direction: Direction::Forward,
            hop: hop.into(),
            reason: problem.reason,
            code: Some("RT-006".into()),
            subjects: problem.subjects,
            changes: vec![problem.change],
        },
        warnings: Vec::new(),
    }
}
