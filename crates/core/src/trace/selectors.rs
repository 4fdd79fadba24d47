//! Traffic selectors on the path. A tunnel that is up carries only what its IPsec SA was negotiated for: the pair
//! of prefixes both ends agree on [AZ5] [AWS10]. Azure proposes one pair per tunnel when it is policy-based (see
//! `review::tunnels::proposed_pairs`; a connection proposing more or none is TUN-012's and counts as down) and any
//! to any when route-based; the AWS VPN connection narrows both its tunnels to its local (the customer gateway's
//! side, here Azure's) and remote (the VPC's) IPv4 network CIDRs, 0.0.0.0/0 each by default. A packet goes through
//! only when its Azure-side addresses lie in both ends' Azure-side prefix and its AWS-side addresses in both ends'
//! AWS-side prefix.

use crate::review::context::Link;
use crate::review::prefixes::{range, Range, RangeSet};
use crate::review::tunnels::proposed_pairs;
use ipnet::IpNet;

/// The Azure-side and AWS-side prefixes of the SA a link negotiates, as (Azure, AWS) pairs of ranges: one pair
/// (Azure's proposal narrowed by AWS's CIDRs), or none when the two do not overlap. `None` when the link places
/// no limit of its own (route-based with AWS's defaults), or when its selectors are TUN-012's to report.
fn negotiated(link: &Link) -> Option<Option<(Range, Range)>> {
    let aws = (
        range(&link.vpn.local_ipv4_network_cidr),
        range(&link.vpn.remote_ipv4_network_cidr),
    );
    let any = range(&IpNet::V4(Default::default()));
    let azure = match proposed_pairs(link) {
        None => (any, any),
        Some((pairs, _)) => match pairs.as_slice() {
            [(local, remote)] => (range(local), range(remote)),
            _ => return None,
        },
    };
    if azure == (any, any) && aws == (any, any) {
        return None;
    }
    let meet =
        |a: Range, b: Range| (a.0.max(b.0) <= a.1.min(b.1)).then(|| (a.0.max(b.0), a.1.min(b.1)));
    Some(meet(azure.0, aws.0).zip(meet(azure.1, aws.1)))
}

/// Whether the AWS VPN connection narrows its tunnels' SAs: a local or remote IPv4 network CIDR other than
/// 0.0.0.0/0.
pub(super) fn aws_narrows(link: &Link) -> bool {
    let any = IpNet::V4(Default::default());
    link.vpn.local_ipv4_network_cidr != any || link.vpn.remote_ipv4_network_cidr != any
}

/// Whether `link` carries packets between `azure` (addresses on the Azure side) and `aws` (on the AWS side).
/// Selectors are IPv4 [AWS6]: an IPv6 packet is not theirs to refuse.
pub(super) fn carries(link: &Link, azure: Range, aws: Range) -> bool {
    let v4 = |r: Range| RangeSet::prefixes_cover(&[IpNet::V4(Default::default())], r);
    if !(v4(azure) && v4(aws)) {
        return true;
    }
    match negotiated(link) {
        None => true,
        Some(None) => false,
        Some(Some((a, w))) => a.0 <= azure.0 && azure.1 <= a.1 && w.0 <= aws.0 && aws.1 <= w.1,
    }
}

/// The selectors a link negotiates, for people: "10.1.0.0/16 ⇄ 10.2.0.0/16", or why there are none.
pub(super) fn describe(link: &Link) -> String {
    let text = |r: Range| {
        crate::review::prefixes::range_to_cidrs(r)
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match negotiated(link) {
        None => "any ⇄ any".into(),
        Some(None) => format!(
            "none: Azure's {} and AWS's {} ⇄ {} do not overlap",
            match proposed_pairs(link) {
                Some((pairs, _)) => pairs
                    .first()
                    .map(|(l, r)| format!("{l} ⇄ {r}"))
                    .unwrap_or_default(),
                None => "any ⇄ any".into(),
            },
            link.vpn.local_ipv4_network_cidr,
            link.vpn.remote_ipv4_network_cidr
        ),
        Some(Some((a, w))) => format!("{} ⇄ {}", text(a), text(w)),
    }
}
