//! Custom traffic selector policies of Azure connections: the inspector's "+ Selector policy" on a connection and
//! "✕" on each of its policies.
//!
//! Azure proposes these selectors (instead of the VNet's and local network gateway's prefixes) only on a
//! connection with policy-based traffic selectors [AZ5], so adding one is refused until that is on. A new policy
//! is one SA pair, the most an AWS tunnel brings up [AWS10]: the VNet's first prefix to the first prefix of the
//! other side (the local network gateway's, or with BGP, where it lists none, the VPC's behind the tunnel). The
//! person edits the lists from there; TUN-012 says when they make more than one pair.

use super::{refuse, EditError};
use crate::model::azure::{Connection, TrafficSelectorPolicy};
use crate::model::common::Endpoint;
use crate::model::{Design, Plan};
use ipnet::IpNet;

/// Adds a selector policy to the connection `connection` and returns its index in the connection's policies.
pub fn add_selector_policy(plan: &mut Plan, connection: &str) -> Result<usize, EditError> {
    let policy = next_policy(&plan.design, connection)?;
    let c = connection_mut(plan, connection)?;
    c.traffic_selector_policies.push(policy);
    Ok(c.traffic_selector_policies.len() - 1)
}

/// Why [`add_selector_policy`] would refuse `connection` now, if it would: the inspector disables its button and
/// says so.
pub fn selector_refusal(plan: &Plan, connection: &str) -> Option<String> {
    next_policy(&plan.design, connection).err().map(|e| e.0)
}

/// Removes the selector policy at `index` of the connection `connection`.
pub fn remove_selector_policy(
    plan: &mut Plan,
    connection: &str,
    index: usize,
) -> Result<(), EditError> {
    let c = connection_mut(plan, connection)?;
    let len = c.traffic_selector_policies.len();
    if index >= len {
        return refuse(format!(
            "`{connection}` has no selector policy {index} (it has {len})"
        ));
    }
    c.traffic_selector_policies.remove(index);
    Ok(())
}

fn connection_mut<'p>(
    plan: &'p mut Plan,
    connection: &str,
) -> Result<&'p mut Connection, EditError> {
    match plan
        .design
        .azure
        .connections
        .iter_mut()
        .find(|c| c.id.as_str() == connection)
    {
        Some(c) => Ok(c),
        None => refuse(format!("no connection `{connection}`")),
    }
}

fn next_policy(design: &Design, connection: &str) -> Result<TrafficSelectorPolicy, EditError> {
    let Some(c) = design
        .azure
        .connections
        .iter()
        .find(|c| c.id.as_str() == connection)
    else {
        return refuse(format!("no connection `{connection}`"));
    };
    if !c.use_policy_based_traffic_selectors {
        return refuse(
            "custom selectors apply only with use_policy_based_traffic_selectors set to true"
                .to_string(),
        );
    }
    // A second pair would be a second SA, which the AWS tunnel does not bring up: widen the one there instead.
    if c.traffic_selector_policies
        .iter()
        .any(|p| !p.local_prefixes.is_empty() && !p.remote_prefixes.is_empty())
    {
        return refuse(
            "an AWS tunnel brings up one SA pair, and this connection already proposes one: edit its prefixes"
                .to_string(),
        );
    }
    let Some(local) = local_prefix(design, c) else {
        return refuse("the connection's VNet has no IPv4 address space".to_string());
    };
    let Some(remote) = remote_prefix(design, c) else {
        return refuse(
            "the other side has no prefix: its local network gateway lists none and no VPC is behind it"
                .to_string(),
        );
    };
    Ok(TrafficSelectorPolicy {
        local_prefixes: vec![local],
        remote_prefixes: vec![remote],
    })
}

fn local_prefix(design: &Design, c: &Connection) -> Option<IpNet> {
    let gateway = design
        .azure
        .vpn_gateways
        .iter()
        .find(|g| g.id == c.vpn_gateway)?;
    let vnet = design.azure.vnets.iter().find(|v| v.id == gateway.vnet)?;
    first_v4(&vnet.address_space)
}

/// A virtual private gateway carries IPv4 only [AWS6]: selectors are IPv4 prefixes.
fn first_v4(nets: &[IpNet]) -> Option<IpNet> {
    nets.iter().find(|n| matches!(n, IpNet::V4(_))).copied()
}

fn remote_prefix(design: &Design, c: &Connection) -> Option<IpNet> {
    let lng = design
        .azure
        .local_network_gateways
        .iter()
        .find(|l| l.id == c.local_network_gateway)?;
    if let Some(first) = first_v4(&lng.address_prefixes) {
        return Some(first);
    }
    let Endpoint::AwsTunnelOutside { vpn_connection, .. } = &lng.gateway_address else {
        return None;
    };
    let vpn = design
        .aws
        .vpn_connections
        .iter()
        .find(|v| &v.id == vpn_connection)?;
    let vgw = design
        .aws
        .vpn_gateways
        .iter()
        .find(|g| g.id == vpn.vpn_gateway)?;
    let vpc = vgw.vpc.as_ref()?;
    let vpc = design.aws.vpcs.iter().find(|v| &v.id == vpc)?;
    first_v4(&vpc.cidr_blocks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::fields::set_from_text;
    use crate::review::review;
    use crate::templates;

    #[test]
    fn a_selector_policy_is_one_sa_pair_and_refused_until_policy_based() {
        let mut plan = templates::reference();
        let conn = plan.design.azure.connections[0].id.as_str().to_string();
        let why = selector_refusal(&plan, &conn).expect("route-based: refused");
        assert!(why.contains("use_policy_based_traffic_selectors"), "{why}");
        assert!(add_selector_policy(&mut plan, &conn).is_err());

        plan.design.azure.connections[0].use_policy_based_traffic_selectors = true;
        assert_eq!(selector_refusal(&plan, &conn), None);
        assert_eq!(add_selector_policy(&mut plan, &conn).unwrap(), 0);
        let policy = &plan.design.azure.connections[0].traffic_selector_policies[0];
        // The reference's BGP local network gateways list no prefixes: the VPC behind the tunnel is used.
        assert_eq!(
            policy.local_prefixes,
            vec!["10.1.0.0/16".parse::<IpNet>().unwrap()]
        );
        assert_eq!(
            policy.remote_prefixes,
            vec!["10.2.0.0/16".parse::<IpNet>().unwrap()]
        );
        assert!(review(&plan).iter().all(|f| f.code != "TUN-012"));
        // A second policy would be a second SA pair: refused, with the reason.
        let why = selector_refusal(&plan, &conn).expect("one pair already");
        assert!(why.contains("one SA pair"), "{why}");
        assert!(add_selector_policy(&mut plan, &conn).is_err());

        // Its lists are edited as text in the inspector; a second remote prefix makes two SA pairs.
        let edited = set_from_text(
            &plan,
            &conn,
            "traffic_selector_policies[0].remote_prefixes",
            "10.2.1.0/24, 10.2.2.0/24",
        )
        .expect("a list of prefixes loads");
        assert_eq!(
            edited.design.azure.connections[0].traffic_selector_policies[0]
                .remote_prefixes
                .len(),
            2
        );
        assert!(review(&edited).iter().any(|f| f.code == "TUN-012"));
        assert!(set_from_text(
            &plan,
            &conn,
            "traffic_selector_policies[0].local_prefixes",
            "10.1.0.0/33"
        )
        .is_err());

        remove_selector_policy(&mut plan, &conn, 0).unwrap();
        assert!(plan.design.azure.connections[0]
            .traffic_selector_policies
            .is_empty());
        assert!(remove_selector_policy(&mut plan, &conn, 0).is_err());
        assert!(add_selector_policy(&mut plan, "no-such-connection").is_err());
    }
}
