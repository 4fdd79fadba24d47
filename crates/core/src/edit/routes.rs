//! Routes of route tables: the inspector's "+ Route" on a table and "✕" on each of its routes.
//!
//! A new route points at the other cloud, the route a site-to-site design needs: an Azure route to the first AWS
//! address range the table has no route for, through the VNet's VPN gateway; an AWS route to the first Azure
//! address range it has none for, through the VPC's virtual private gateway. The person edits it from there.

use super::{refuse, EditError};
use crate::model::aws::{self, RouteTarget};
use crate::model::azure::{self, NextHopType};
use crate::model::Plan;
use ipnet::IpNet;

/// Adds a route to the route table `table` and returns its index in the table's routes.
pub fn add_route(plan: &mut Plan, table: &str) -> Result<usize, EditError> {
    let linked = super::partners::linked_networks(plan, table);
    let design = &mut plan.design;
    Ok(match next_route(design, table, &linked)? {
        NewRoute::Azure(i, route) => {
            let routes = &mut design.azure.route_tables[i].routes;
            routes.push(route);
            routes.len() - 1
        }
        NewRoute::Aws(i, route) => {
            let routes = &mut design.aws.route_tables[i].routes;
            routes.push(route);
            routes.len() - 1
        }
    })
}

/// Why [`add_route`] would refuse `table` now, if it would: the inspector disables its button and says so. Cheap
/// enough to follow every edit (the linked networks only order the ranges, so they are not looked up).
pub fn route_refusal(plan: &Plan, table: &str) -> Option<String> {
    next_route(&plan.design, table, &[]).err().map(|e| e.0)
}

/// A route to add, with the index of its table.
enum NewRoute {
    Azure(usize, azure::Route),
    Aws(usize, aws::Route),
}

/// The route [`add_route`] adds to `table`, ranges of the `linked` networks first.
fn next_route(
    design: &crate::model::Design,
    table: &str,
    linked: &[String],
) -> Result<NewRoute, EditError> {
    if let Some(i) = design
        .azure
        .route_tables
        .iter()
        .position(|t| t.id.as_str() == table)
    {
        let rt = &design.azure.route_tables[i];
        let ranges = linked_first(
            linked,
            design
                .aws
                .vpcs
                .iter()
                .map(|v| (v.id.as_str(), v.name.as_str(), &v.cidr_blocks)),
        );
        let Some((prefix, network)) = first_without_route(&ranges, |p| {
            rt.routes.iter().any(|r| r.address_prefix == *p)
        }) else {
            return refuse(no_range_left(ranges.is_empty(), "AWS VPC"));
        };
        // A name Azure accepts (a network's display name may hold spaces or brackets), unique in the table.
        let taken: Vec<&str> = rt.routes.iter().map(|r| r.name.as_str()).collect();
        let name = crate::review::security::nsg_rule_name_fixed(
            &format!("to-{network}"),
            "to-aws",
            &taken,
        );
        return Ok(NewRoute::Azure(
            i,
            azure::Route {
                name: name.into(),
                address_prefix: prefix,
                next_hop_type: NextHopType::VirtualNetworkGateway,
                next_hop_ip: None,
            },
        ));
    }
    if let Some(i) = design
        .aws
        .route_tables
        .iter()
        .position(|t| t.id.as_str() == table)
    {
        let rt = &design.aws.route_tables[i];
        let Some(vgw) = design
            .aws
            .vpn_gateways
            .iter()
            .find(|g| g.vpc.as_ref() == Some(&rt.vpc))
        else {
            return refuse(format!(
                "attach a virtual private gateway to `{}` first: routes to Azure go through it",
                rt.vpc.as_str()
            ));
        };
        let ranges = linked_first(
            linked,
            design
                .azure
                .vnets
                .iter()
                .map(|v| (v.id.as_str(), v.name.as_str(), &v.address_space)),
        );
        let Some((destination, _)) =
            first_without_route(&ranges, |p| rt.routes.iter().any(|r| r.destination == *p))
        else {
            return refuse(no_range_left(ranges.is_empty(), "Azure VNet"));
        };
        return Ok(NewRoute::Aws(
            i,
            aws::Route {
                destination,
                target: RouteTarget::VpnGateway(vgw.id.clone()),
            },
        ));
    }
    refuse(format!("no route table `{table}`"))
}

/// Removes the route at `index` of the route table `table`.
pub fn remove_route(plan: &mut Plan, table: &str, index: usize) -> Result<(), EditError> {
    let design = &mut plan.design;
    let result = if let Some(rt) = design
        .azure
        .route_tables
        .iter_mut()
        .find(|t| t.id.as_str() == table)
    {
        remove_at(&mut rt.routes, index)
    } else if let Some(rt) = design
        .aws
        .route_tables
        .iter_mut()
        .find(|t| t.id.as_str() == table)
    {
        remove_at(&mut rt.routes, index)
    } else {
        return refuse(format!("no route table `{table}`"));
    };
    result.or_else(|len| refuse(format!("`{table}` has no route {index} (it has {len})")))
}

/// Removes item `index`, or says how many there are.
fn remove_at<T>(items: &mut Vec<T>, index: usize) -> Result<(), usize> {
    if index < items.len() {
        items.remove(index);
        Ok(())
    } else {
        Err(items.len())
    }
}

/// Every range of `networks` as (range, network name), those of `linked` networks first.
fn linked_first<'a>(
    linked: &[String],
    networks: impl Iterator<Item = (&'a str, &'a str, &'a Vec<IpNet>)>,
) -> Vec<(IpNet, String)> {
    let mut ranges: Vec<(bool, IpNet, String)> = networks
        .flat_map(|(id, name, spaces)| {
            let far = !linked.iter().any(|l| l == id);
            // IPv4 only: neither a VPN gateway's tunnels to AWS nor a virtual private gateway carry IPv6 (TUN-010).
            spaces
                .iter()
                .filter(|c| matches!(c, IpNet::V4(_)))
                .map(move |c| (far, *c, name.to_string()))
        })
        .collect();
    // Stable: within each group, the design's order.
    ranges.sort_by_key(|(far, _, _)| *far);
    ranges
        .into_iter()
        .map(|(_, range, name)| (range, name))
        .collect()
}

fn first_without_route(
    ranges: &[(IpNet, String)],
    routed: impl Fn(&IpNet) -> bool,
) -> Option<(IpNet, String)> {
    ranges.iter().find(|(p, _)| !routed(p)).cloned()
}

fn no_range_left(none: bool, network: &str) -> String {
    if none {
        format!("add an {network} first: a new route points at the other cloud")
    } else {
        format!("every {network} address range already has a route in this table; edit an existing route instead")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::fields::set_from_text;
    use crate::model::aws::Route as AwsRoute;
    use crate::review::review;
    use crate::templates;

    fn azure_routes(plan: &Plan) -> &[azure::Route] {
        &plan.design.azure.route_tables[0].routes
    }

    fn aws_routes(plan: &Plan) -> &[AwsRoute] {
        &plan.design.aws.route_tables[0].routes
    }

    #[test]
    fn a_new_route_points_at_the_other_cloud_through_the_vpn() {
        let mut plan = templates::reference();
        assert_eq!(add_route(&mut plan, "az-rt-app"), Ok(0));
        let route = &azure_routes(&plan)[0];
        assert_eq!(route.address_prefix.to_string(), "10.2.0.0/16");
        assert_eq!(route.next_hop_type, NextHopType::VirtualNetworkGateway);
        assert_eq!(route.name.as_str(), "to-vpc-app");
        assert_eq!(add_route(&mut plan, "aws-rt-app"), Ok(0));
        let route = &aws_routes(&plan)[0];
        assert_eq!(route.destination.to_string(), "10.1.0.0/16");
        assert_eq!(
            route.target,
            RouteTarget::VpnGateway(plan.design.aws.vpn_gateways[0].id.clone())
        );
        // Both are routes a loader accepts and the review finds nothing wrong with.
        let reloaded = crate::load_plan(&plan.to_json()).expect("the plan loads");
        assert_eq!(reloaded, plan);
        let findings = review(&plan);
        assert!(
            findings
                .iter()
                .all(|f| f.severity != crate::review::Severity::Error),
            "{findings:#?}"
        );
    }

    #[test]
    fn the_next_route_takes_the_next_range_and_refuses_when_none_is_left() {
        let mut plan = templates::reference();
        plan.design.aws.vpcs[0]
            .cidr_blocks
            .push("10.3.0.0/16".parse().unwrap());
        assert_eq!(add_route(&mut plan, "az-rt-app"), Ok(0));
        assert_eq!(add_route(&mut plan, "az-rt-app"), Ok(1));
        assert_eq!(
            azure_routes(&plan)[1].address_prefix.to_string(),
            "10.3.0.0/16"
        );
        assert_eq!(azure_routes(&plan)[1].name.as_str(), "to-vpc-app-2");
        let before = plan.clone();
        let refused = add_route(&mut plan, "az-rt-app").unwrap_err();
        assert!(refused.0.contains("already has a route"), "{refused}");
        assert_eq!(plan, before);
        // A prefix edited away frees its range again.
        let plan = set_from_text(
            &plan,
            "az-rt-app",
            "routes[0].address_prefix",
            "10.9.0.0/16",
        )
        .unwrap();
        let mut plan = plan;
        assert_eq!(add_route(&mut plan, "az-rt-app"), Ok(2));
        assert_eq!(
            azure_routes(&plan)[2].address_prefix.to_string(),
            "10.2.0.0/16"
        );
    }

    #[test]
    fn an_aws_table_without_a_virtual_private_gateway_or_another_cloud_is_refused() {
        let mut plan = templates::reference();
        plan.design.aws.vpn_gateways[0].vpc = None;
        let refused = add_route(&mut plan, "aws-rt-app").unwrap_err();
        assert!(refused.0.contains("virtual private gateway"), "{refused}");
        let mut plan = templates::reference();
        plan.design.aws.vpcs.clear();
        let refused = add_route(&mut plan, "az-rt-app").unwrap_err();
        assert!(refused.0.contains("add an AWS VPC first"), "{refused}");
        assert!(add_route(&mut plan, "no-such-table").is_err());
    }

    #[test]
    fn removing_takes_out_only_that_route() {
        let mut plan = templates::reference();
        plan.design.aws.vpcs[0]
            .cidr_blocks
            .push("10.3.0.0/16".parse().unwrap());
        add_route(&mut plan, "az-rt-app").unwrap();
        add_route(&mut plan, "az-rt-app").unwrap();
        remove_route(&mut plan, "az-rt-app", 0).unwrap();
        assert_eq!(azure_routes(&plan).len(), 1);
        assert_eq!(
            azure_routes(&plan)[0].address_prefix.to_string(),
            "10.3.0.0/16"
        );
        assert!(remove_route(&mut plan, "az-rt-app", 5)
            .unwrap_err()
            .0
            .contains("has 1"));
        add_route(&mut plan, "aws-rt-app").unwrap();
        remove_route(&mut plan, "aws-rt-app", 0).unwrap();
        assert!(aws_routes(&plan).is_empty());
    }

    #[test]
    fn a_route_leaving_virtual_appliance_drops_its_address_in_the_same_step() {
        let mut plan = templates::reference();
        add_route(&mut plan, "az-rt-app").unwrap();
        let plan = set_from_text(
            &plan,
            "az-rt-app",
            "routes[0].next_hop_type",
            "VirtualAppliance",
        )
        .unwrap();
        let plan = set_from_text(&plan, "az-rt-app", "routes[0].next_hop_ip", "10.1.1.4").unwrap();
        assert_eq!(
            azure_routes(&plan)[0].next_hop_ip,
            Some("10.1.1.4".parse().unwrap())
        );
        let plan =
            set_from_text(&plan, "az-rt-app", "routes[0].next_hop_type", "Internet").unwrap();
        assert_eq!(azure_routes(&plan)[0].next_hop_type, NextHopType::Internet);
        assert_eq!(azure_routes(&plan)[0].next_hop_ip, None);
        // Staying an appliance keeps it.
        let plan = set_from_text(
            &plan,
            "az-rt-app",
            "routes[0].next_hop_type",
            "VirtualAppliance",
        )
        .unwrap();
        let plan = set_from_text(&plan, "az-rt-app", "routes[0].next_hop_ip", "10.1.1.5").unwrap();
        let plan = set_from_text(&plan, "az-rt-app", "routes[0].name", "via-firewall").unwrap();
        assert_eq!(
            azure_routes(&plan)[0].next_hop_ip,
            Some("10.1.1.5".parse().unwrap())
        );
    }

    #[test]
    fn the_new_route_prefers_the_networks_the_table_reaches_through_its_links() {
        let mut plan = templates::reference();
        // A second VPC listed first, not linked to the reference VNet: the route goes to the linked one.
        let mut other = plan.design.aws.vpcs[0].clone();
        other.id = "aws-vpc-other".into();
        other.name = "vpc-other".into();
        other.cidr_blocks = vec!["10.9.0.0/16".parse().unwrap()];
        other.subnets.clear();
        plan.design.aws.vpcs.insert(0, other);
        assert_eq!(add_route(&mut plan, "az-rt-app"), Ok(0));
        assert_eq!(
            azure_routes(&plan)[0].address_prefix.to_string(),
            "10.2.0.0/16"
        );
        // The unlinked one is still offered once the linked ranges all have routes.
        assert_eq!(add_route(&mut plan, "az-rt-app"), Ok(1));
        assert_eq!(
            azure_routes(&plan)[1].address_prefix.to_string(),
            "10.9.0.0/16"
        );
    }

    #[test]
    fn a_new_route_has_a_name_azure_accepts_and_an_ipv4_prefix() {
        let mut plan = templates::reference();
        plan.design.aws.vpcs[0].name = "App VPC (prod)".into();
        plan.design.aws.vpcs[0]
            .cidr_blocks
            .insert(0, "2001:db8::/56".parse().unwrap());
        add_route(&mut plan, "az-rt-app").unwrap();
        let route = &azure_routes(&plan)[0];
        assert_eq!(route.name.as_str(), "to-App-VPC--prod");
        assert_eq!(route.address_prefix.to_string(), "10.2.0.0/16");
    }

    #[test]
    fn the_refusal_is_known_before_the_click() {
        let mut plan = templates::reference();
        assert_eq!(route_refusal(&plan, "aws-rt-app"), None);
        plan.design.aws.vpn_gateways[0].vpc = None;
        let why = route_refusal(&plan, "aws-rt-app").unwrap();
        assert!(why.contains("virtual private gateway"), "{why}");
        assert_eq!(
            add_route(&mut plan.clone(), "aws-rt-app").unwrap_err().0,
            why
        );
        let mut plan = templates::reference();
        add_route(&mut plan, "az-rt-app").unwrap();
        assert!(route_refusal(&plan, "az-rt-app")
            .unwrap()
            .contains("already has a route"));
    }
}
