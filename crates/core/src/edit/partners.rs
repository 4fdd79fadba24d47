//! Which networks of the other cloud an object's network reaches through its VPN links: new routes and new rules
//! point at them first (a route or a rule for a network the links do not reach does nothing).

use crate::model::Plan;
use ipnet::IpNet;

/// The network (VNet or VPC) ids an NSG, route table, security group or network ACL serves.
fn networks_of(plan: &Plan, object: &str) -> Vec<String> {
    let d = &plan.design;
    let mut out: Vec<String> = d
        .azure
        .vnets
        .iter()
        .filter(|v| {
            v.subnets.iter().any(|s| {
                s.nsg.as_ref().is_some_and(|n| n.as_str() == object)
                    || s.route_table.as_ref().is_some_and(|t| t.as_str() == object)
            })
        })
        .map(|v| v.id.as_str().to_string())
        .collect();
    let vpcs = d
        .aws
        .route_tables
        .iter()
        .filter(|t| t.id.as_str() == object)
        .map(|t| &t.vpc)
        .chain(
            d.aws
                .security_groups
                .iter()
                .filter(|g| g.id.as_str() == object)
                .map(|g| &g.vpc),
        )
        .chain(
            d.aws
                .network_acls
                .iter()
                .filter(|a| a.id.as_str() == object)
                .map(|a| &a.vpc),
        );
    out.extend(vpcs.map(|v| v.as_str().to_string()));
    out
}

/// The ids of the other cloud's networks that `object`'s network reaches through its VPN links, in link order.
pub fn linked_networks(plan: &Plan, object: &str) -> Vec<String> {
    let own = networks_of(plan, object);
    let context = crate::review::context::Context::new(plan);
    let mut out: Vec<String> = Vec::new();
    for link in &context.links {
        let (Some(vnet), Some(vpc)) = (link.vnet, link.vpc) else {
            continue;
        };
        let far = if own.iter().any(|n| n == vnet.id.as_str()) {
            vpc.id.as_str()
        } else if own.iter().any(|n| n == vpc.id.as_str()) {
            vnet.id.as_str()
        } else {
            continue;
        };
        if !out.iter().any(|n| n == far) {
            out.push(far.to_string());
        }
    }
    out
}

/// The natural peer of a new rule in the NSG, security group or network ACL `group` (whose cloud `azure` says):
/// the first subnet of a network its network reaches through the VPN, else the first subnet of the other cloud.
pub fn peer_subnet(plan: &Plan, group: &str, azure: bool) -> IpNet {
    let linked = linked_networks(plan, group);
    let d = &plan.design;
    let subnets: Vec<(&str, IpNet)> = if azure {
        d.aws
            .vpcs
            .iter()
            .flat_map(|v| v.subnets.iter().map(move |s| (v.id.as_str(), s.cidr)))
            .collect()
    } else {
        d.azure
            .vnets
            .iter()
            .flat_map(|v| {
                v.subnets
                    .iter()
                    .filter(|s| !s.is_gateway_subnet())
                    .map(move |s| (v.id.as_str(), s.cidr))
            })
            .collect()
    };
    linked
        .iter()
        .find_map(|n| subnets.iter().find(|(net, _)| net == n))
        .or(subnets.first())
        .map(|(_, cidr)| *cidr)
        .unwrap_or_else(|| "10.0.0.0/8".parse().expect("a valid CIDR"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates;

    /// The reference plus a second, unlinked pair of networks listed first in each cloud.
    fn with_unlinked_networks_first() -> Plan {
        let mut plan = templates::reference();
        let mut vpc = plan.design.aws.vpcs[0].clone();
        vpc.id = "aws-vpc-other".into();
        vpc.cidr_blocks = vec!["10.9.0.0/16".parse().unwrap()];
        for (i, s) in vpc.subnets.iter_mut().enumerate() {
            s.id = format!("aws-other-subnet-{i}").as_str().into();
            s.cidr = "10.9.1.0/24".parse().unwrap();
            s.route_table = None;
        }
        plan.design.aws.vpcs.insert(0, vpc);
        let mut vnet = plan.design.azure.vnets[0].clone();
        vnet.id = "az-vnet-other".into();
        vnet.address_space = vec!["10.8.0.0/16".parse().unwrap()];
        for (i, s) in vnet.subnets.iter_mut().enumerate() {
            s.id = format!("az-other-subnet-{i}").as_str().into();
            s.cidr = format!("10.8.{i}.0/24").parse().unwrap();
            s.nsg = None;
            s.route_table = None;
        }
        plan.design.azure.vnets.insert(0, vnet);
        plan
    }

    #[test]
    fn a_new_rule_points_at_the_linked_network_not_the_first_listed() {
        let plan = with_unlinked_networks_first();
        assert_eq!(
            linked_networks(&plan, "az-nsg-app"),
            vec!["aws-vpc".to_string()]
        );
        assert_eq!(
            linked_networks(&plan, "aws-sg-app"),
            vec!["az-vnet".to_string()]
        );
        assert_eq!(
            peer_subnet(&plan, "az-nsg-app", true).to_string(),
            "10.2.1.0/24"
        );
        assert_eq!(
            peer_subnet(&plan, "aws-sg-app", false).to_string(),
            "10.1.1.0/24"
        );
        // Unlinked: the other cloud's first subnet.
        assert_eq!(
            peer_subnet(&plan, "no-such-group", true).to_string(),
            "10.9.1.0/24"
        );
    }
}
