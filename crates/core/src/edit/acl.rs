//! Network ACL commands: give an AWS subnet its own network ACL, and add, remove and reorder its numbered entries.
//!
//! A subnet has exactly one network ACL; one the plan does not name is its VPC's default ACL, which allows all
//! traffic both ways [VPC4]. A new ACL starts as a copy of that default (entry 100 allowing everything in and out),
//! so adding one changes nothing until the user narrows it: a custom ACL created empty in AWS denies everything,
//! which would break every flow of the subnet at once.

use super::names::{taken_ids, unique};
use super::place::{auto_places, place_new};
use super::{refuse, EditError};
use crate::facts::aws as aws_facts;
use crate::model::aws::{NaclAction, NetworkAcl, NetworkAclEntry};
use crate::model::common::{PortRange, Protocol};
use crate::model::ids::{NetworkAclId, SubnetId};
use crate::model::Plan;
use ipnet::IpNet;

/// New entries are numbered in steps of ten, leaving room to insert one between two others, as AWS suggests.
const STEP: u16 = 10;
/// The first entry's number, as in AWS's default ACL.
const FIRST: u16 = 100;

fn allow_all() -> NetworkAclEntry {
    NetworkAclEntry {
        rule_number: FIRST,
        action: NaclAction::Allow,
        protocol: Protocol::Any,
        ports: PortRange::ALL,
        cidr: "0.0.0.0/0".parse().expect("a valid CIDR"),
    }
}

/// A network ACL of its own for the AWS subnet `subnet`, allowing all traffic both ways (as the default ACL does).
pub fn add_network_acl(plan: &mut Plan, subnet: &str) -> Result<String, EditError> {
    let before = auto_places(plan);
    let design = &plan.design;
    let found = design.aws.vpcs.iter().find_map(|v| {
        v.subnets
            .iter()
            .find(|s| s.id.as_str() == subnet)
            .map(|s| (v.id.clone(), s.name.clone()))
    });
    let Some((vpc, subnet_name)) = found else {
        return refuse("select an AWS subnet to give a network ACL");
    };
    if let Some(acl) = design
        .aws
        .network_acls
        .iter()
        .find(|a| a.subnets.iter().any(|s| s.as_str() == subnet))
    {
        return refuse(format!(
            "{subnet_name} already uses network ACL {}: a subnet has exactly one network ACL [VPC4]",
            acl.name
        ));
    }
    let mut ids = taken_ids(design);
    let id = unique(&mut ids, &format!("{subnet}-acl"));
    let mut names: std::collections::HashSet<String> = design
        .aws
        .network_acls
        .iter()
        .map(|a| a.name.to_string())
        .collect();
    let name = unique(&mut names, &format!("acl-{subnet_name}"));
    plan.design.aws.network_acls.push(NetworkAcl {
        id: NetworkAclId::new(id.clone()),
        name: name.into(),
        vpc,
        subnets: vec![SubnetId::new(subnet.to_string())],
        ingress: vec![allow_all()],
        egress: vec![allow_all()],
    });
    place_new(plan, &before);
    Ok(id)
}

fn entries<'p>(
    plan: &'p mut Plan,
    acl: &str,
    egress: bool,
) -> Result<(&'p str, &'p mut Vec<NetworkAclEntry>), EditError> {
    let Some(found) = plan
        .design
        .aws
        .network_acls
        .iter_mut()
        .find(|a| a.id.as_str() == acl)
    else {
        return refuse(format!("no network ACL `{acl}`"));
    };
    Ok(if egress {
        (&found.name, &mut found.egress)
    } else {
        (&found.name, &mut found.ingress)
    })
}

/// A new allow entry, numbered ten above the highest of its direction. Inbound it admits TCP 443 from `peer`;
/// outbound it lets TCP replies reach `peer`'s clients on their ephemeral ports, which a stateless ACL must allow
/// explicitly. Returns the entry's number.
pub fn add_acl_entry(
    plan: &mut Plan,
    acl: &str,
    egress: bool,
    peer: IpNet,
) -> Result<u16, EditError> {
    let span = aws_facts::NACL_RULE_NUMBER.value;
    let (name, list) = entries(plan, acl, egress)?;
    let highest = list.iter().map(|e| e.rule_number).max();
    let number = highest.map_or(FIRST, |n| n.saturating_add(STEP));
    if u64::from(number) > span.max {
        return refuse(format!(
            "{name} has no free rule number above {} (AWS allows {}–{}) [VPC4]",
            highest.unwrap_or(0),
            span.min,
            span.max
        ));
    }
    let ports = if egress {
        let ephemeral = aws_facts::NACL_EPHEMERAL_PORTS.value;
        PortRange {
            from: ephemeral.min as u16,
            to: ephemeral.max as u16,
        }
    } else {
        PortRange::single(443)
    };
    list.push(NetworkAclEntry {
        rule_number: number,
        action: NaclAction::Allow,
        protocol: Protocol::Tcp,
        ports,
        cidr: peer,
    });
    Ok(number)
}

/// Removes the entry numbered `number`.
pub fn remove_acl_entry(
    plan: &mut Plan,
    acl: &str,
    egress: bool,
    number: u16,
) -> Result<(), EditError> {
    let (name, list) = entries(plan, acl, egress)?;
    let Some(i) = list.iter().position(|e| e.rule_number == number) else {
        return refuse(format!("{name} has no entry {number}"));
    };
    list.remove(i);
    Ok(())
}

/// Moves an entry one place earlier (`up`) or later in evaluation order by swapping numbers with its neighbour:
/// the lowest number is evaluated first and the first match wins [VPC4].
pub fn reorder_acl_entry(
    plan: &mut Plan,
    acl: &str,
    egress: bool,
    number: u16,
    up: bool,
) -> Result<(), EditError> {
    let (name, list) = entries(plan, acl, egress)?;
    if !list.iter().any(|e| e.rule_number == number) {
        return refuse(format!("{name} has no entry {number}"));
    }
    let neighbour = list
        .iter()
        .map(|e| e.rule_number)
        .filter(|&n| if up { n < number } else { n > number })
        .min_by_key(|&n| n.abs_diff(number));
    let Some(neighbour) = neighbour else {
        return refuse(if up {
            "the entry is already first"
        } else {
            "the entry is already last"
        });
    };
    for entry in list.iter_mut() {
        if entry.rule_number == number {
            entry.rule_number = neighbour;
        } else if entry.rule_number == neighbour {
            entry.rule_number = number;
        }
    }
    list.sort_by_key(|e| e.rule_number);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::delete::delete;
    use crate::review::{review, Severity};
    use crate::templates::reference;
    use crate::trace::trace_flow;

    fn serious(plan: &Plan) -> Vec<String> {
        review(plan)
            .into_iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| format!("{} {}", f.code, f.message))
            .collect()
    }

    fn reloads(plan: &Plan) {
        crate::load_plan(&plan.to_json()).expect("the plan still loads");
    }

    #[test]
    fn a_new_acl_changes_nothing_until_it_is_narrowed() {
        let mut plan = reference();
        let id = add_network_acl(&mut plan, "aws-snet-app").unwrap();
        reloads(&plan);
        let acl = &plan.design.aws.network_acls[0];
        assert_eq!(acl.id.as_str(), id);
        assert_eq!(acl.vpc.as_str(), "aws-vpc");
        assert_eq!(acl.subnets[0].as_str(), "aws-snet-app");
        assert!(plan.layout.nodes.contains_key(&id), "placed on the canvas");
        assert_eq!(serious(&plan), Vec::<String>::new());
        let flow = plan.design.flows[0].id.as_str().to_string();
        assert!(trace_flow(&plan, &flow).unwrap().delivered());
    }

    #[test]
    fn a_subnet_gets_one_acl_and_only_aws_subnets_get_one() {
        let mut plan = reference();
        add_network_acl(&mut plan, "aws-snet-app").unwrap();
        let before = plan.clone();
        let again = add_network_acl(&mut plan, "aws-snet-app").unwrap_err();
        assert!(again.0.contains("exactly one network ACL"), "{again}");
        assert!(add_network_acl(&mut plan, "az-snet-app").is_err());
        assert!(add_network_acl(&mut plan, "nowhere").is_err());
        assert_eq!(plan, before);
    }

    #[test]
    fn a_deny_entry_ahead_of_the_allow_blocks_the_flow_and_reordering_lets_it_through() {
        let mut plan = reference();
        let acl = add_network_acl(&mut plan, "aws-snet-app").unwrap();
        let peer: IpNet = "10.1.1.0/24".parse().unwrap();
        let number = add_acl_entry(&mut plan, &acl, false, peer).unwrap();
        assert_eq!(number, 110);
        // Turn the new entry into a deny of the Azure app subnet, then move it ahead of the allow-all.
        let entry = plan.design.aws.network_acls[0]
            .ingress
            .iter_mut()
            .find(|e| e.rule_number == 110)
            .unwrap();
        entry.action = NaclAction::Deny;
        entry.protocol = Protocol::Any;
        entry.ports = PortRange::ALL;
        assert_eq!(
            serious(&plan),
            Vec::<String>::new(),
            "the allow-all at 100 wins"
        );
        reorder_acl_entry(&mut plan, &acl, false, 110, true).unwrap();
        reloads(&plan);
        let ingress = &plan.design.aws.network_acls[0].ingress;
        assert_eq!(ingress[0].rule_number, 100);
        assert_eq!(ingress[0].action, NaclAction::Deny);
        let found = serious(&plan);
        assert!(found.iter().any(|f| f.starts_with("SEC-002")), "{found:?}");
        // Reordering back, or removing the deny, lets the flow through again.
        reorder_acl_entry(&mut plan, &acl, false, 100, false).unwrap();
        assert_eq!(serious(&plan), Vec::<String>::new());
        remove_acl_entry(&mut plan, &acl, false, 110).unwrap();
        assert_eq!(plan.design.aws.network_acls[0].ingress.len(), 1);
        assert!(reorder_acl_entry(&mut plan, &acl, false, 100, true).is_err());
        assert!(remove_acl_entry(&mut plan, &acl, false, 999).is_err());
    }

    #[test]
    fn outbound_entries_open_the_peers_ephemeral_ports_for_replies() {
        let mut plan = reference();
        let acl = add_network_acl(&mut plan, "aws-snet-app").unwrap();
        let peer: IpNet = "10.1.1.0/24".parse().unwrap();
        add_acl_entry(&mut plan, &acl, true, peer).unwrap();
        let entry = &plan.design.aws.network_acls[0].egress[1];
        let ephemeral = aws_facts::NACL_EPHEMERAL_PORTS.value;
        assert_eq!(
            entry.ports,
            PortRange {
                from: ephemeral.min as u16,
                to: ephemeral.max as u16
            }
        );
        assert_eq!(entry.protocol, Protocol::Tcp);
        assert_eq!(entry.cidr, peer);
        reloads(&plan);
    }

    #[test]
    fn numbers_stop_at_the_last_one_aws_allows() {
        let mut plan = reference();
        let acl = add_network_acl(&mut plan, "aws-snet-app").unwrap();
        plan.design.aws.network_acls[0].ingress[0].rule_number = 32760;
        let peer: IpNet = "10.1.1.0/24".parse().unwrap();
        let refused = add_acl_entry(&mut plan, &acl, false, peer).unwrap_err();
        assert!(refused.0.contains("32766"), "{refused}");
        assert!(add_acl_entry(&mut plan, "nowhere", false, peer).is_err());
    }

    #[test]
    fn deleting_the_acl_or_its_subnet_leaves_a_valid_plan() {
        let mut plan = reference();
        let acl = add_network_acl(&mut plan, "aws-snet-app").unwrap();
        let mut without_acl = plan.clone();
        delete(&mut without_acl, &[acl]).unwrap();
        assert!(without_acl.design.aws.network_acls.is_empty());
        reloads(&without_acl);
        delete(&mut plan, &["aws-snet-app".to_string()]).unwrap();
        reloads(&plan);
    }
}
