//! Traffic selectors on the path. A tunnel that is up carries only what its IPsec SA was negotiated for [AZ5]
//! [AWS10]. Each end has a pair of prefixes (Azure side, AWS side) it stands for:
//!
//! - Azure: one pair when policy-based (see `review::tunnels::proposed_pairs`; a connection proposing more or none
//!   is TUN-012's and counts as down), any to any when route-based. Azure proposes it only when it initiates, and
//!   as responder accepts whatever the peer proposes [AZ5].
//! - AWS: the VPN connection's local (the customer gateway's side, here Azure's) and remote (the VPC's) IPv4
//!   network CIDRs, for both its tunnels, 0.0.0.0/0 each by default.
//!
//! With Azure ResponderOnly only AWS initiates, so the SA is AWS's pair. Otherwise Azure may initiate (and AWS, as
//! responder, narrows the proposal to its own CIDRs), or AWS may (startup action `start`) and whichever does first
//! decides: only what both pairs include is carried whichever end initiates, so that is what the trace counts on.
//! A pair the two ends disagree on is also TUN-013's warning.

use crate::model::azure::ConnectionMode;
use crate::review::context::Link;
use crate::review::prefixes::{range, Range, RangeSet};
use crate::review::tunnels::proposed_pairs;
use ipnet::IpNet;

/// The Azure side's and the AWS side's ranges of one end's pair.
type Pair = (Range, Range);

fn any() -> Range {
    range(&IpNet::V4(Default::default()))
}

/// The pair AWS stands for.
fn aws_pair(link: &Link) -> Pair {
    (
        range(&link.vpn.local_ipv4_network_cidr),
        range(&link.vpn.remote_ipv4_network_cidr),
    )
}

/// The pair Azure proposes when it initiates, `None` when it never does (ResponderOnly) or its selectors are
/// TUN-012's to report.
fn azure_pair(link: &Link) -> Option<Pair> {
    if link.connection.connection_mode == ConnectionMode::ResponderOnly {
        return None;
    }
    match proposed_pairs(link) {
        None => Some((any(), any())),
        Some((pairs, _)) => match pairs.as_slice() {
            [(local, remote)] => Some((range(local), range(remote))),
            _ => None,
        },
    }
}

fn within(inner: Range, outer: Range) -> bool {
    outer.0 <= inner.0 && inner.1 <= outer.1
}

fn includes(pair: Pair, azure: Range, aws: Range) -> bool {
    within(azure, pair.0) && within(aws, pair.1)
}

/// Whether every address of `r` is IPv4.
pub(super) fn is_ipv4(r: Range) -> bool {
    RangeSet::prefixes_cover(&[IpNet::V4(Default::default())], r)
}

/// Whether the IPv4 packets between `azure` (addresses on the Azure side) and `aws` are inside the SA of `link`:
/// `Ok(())`, or which ends' selectors leave them out (Azure's, AWS's). IPv6 packets are the caller's: a VGW's
/// tunnels carry none.
pub(super) fn excluded_by(link: &Link, azure: Range, aws: Range) -> Result<(), (bool, bool)> {
    let by_azure = azure_pair(link).is_some_and(|p| !includes(p, azure, aws));
    let by_aws = !includes(aws_pair(link), azure, aws);
    if by_azure || by_aws {
        Err((by_azure, by_aws))
    } else {
        Ok(())
    }
}

/// What the SA of a link carries, for people: "10.1.0.0/16 ⇄ 10.2.0.0/16", "any ⇄ any", or that the two ends'
/// selectors do not overlap.
pub(super) fn describe(link: &Link) -> String {
    let text = crate::review::prefixes::cidrs_text;
    let aws = aws_pair(link);
    let pair = match azure_pair(link) {
        None => Some(aws),
        Some(azure) => {
            let meet = |a: Range, b: Range| {
                let (lo, hi) = (a.0.max(b.0), a.1.min(b.1));
                (lo <= hi).then_some((lo, hi))
            };
            meet(azure.0, aws.0).zip(meet(azure.1, aws.1))
        }
    };
    match pair {
        Some((a, w)) if (a, w) == (any(), any()) => "any ⇄ any".into(),
        Some((a, w)) => format!("{} ⇄ {}", text(a), text(w)),
        None => format!(
            "nothing: Azure proposes {} and the AWS connection's CIDRs are {} ⇄ {}, which do not overlap",
            azure_pair(link)
                .map(|(a, w)| format!("{} ⇄ {}", text(a), text(w)))
                .unwrap_or_default(),
            link.vpn.local_ipv4_network_cidr,
            link.vpn.remote_ipv4_network_cidr
        ),
    }
}
