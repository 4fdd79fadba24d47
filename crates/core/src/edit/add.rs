//! The palette's commands: each adds one object (and what it cannot exist without) with valid defaults, gives it
//! a place on the canvas, and returns its id so the editor can select it.

use super::names::{next_free_block, next_free_network, numbered, taken_ids, unique};
use super::place::{auto_places, place_new};
use super::{refuse, EditError};
use crate::facts::{aws as aws_facts, azure as azure_facts};
use crate::model::aws::{self, SecurityGroup, SecurityGroupRule, Vpc};
use crate::model::azure::{self, *};
use crate::model::common::{AddressPrefix, Asn, PortRange, Protocol};
use crate::model::flow::{Flow, FlowEndpoint};
use crate::model::ids::*;
use crate::model::inline::InlineStr;
use crate::model::Plan;
use ipnet::IpNet;

/// Azure application subnets and AWS subnets start as /24s: room for 251 (Azure) or 251 (AWS) hosts after each
/// cloud's five reserved addresses [AZ22] [VPC2].
const SUBNET_PREFIX: u8 = 24;
const DEFAULT_AZURE_REGION: &str = "westeurope";
const DEFAULT_AWS_REGION: &str = "eu-central-1";

fn names_in<'a>(names: impl Iterator<Item = &'a InlineStr>) -> std::collections::HashSet<String> {
    super::names::with_lowercase(names.map(|n| n.as_str()))
}

/// A new VNet with the next free /16 of the private ranges.
pub fn add_vnet(plan: &mut Plan) -> Result<String, EditError> {
    let before = auto_places(plan);
    let Some(space) = next_free_network(plan) else {
        return refuse("no free /16 is left in the private address ranges");
    };
    let mut ids = taken_ids(&plan.design);
    let id = numbered(&mut ids, "az-vnet");
    let mut names = names_in(plan.design.azure.vnets.iter().map(|v| &v.name));
    let first = plan.design.azure.vnets.first();
    let vnet = Vnet {
        id: VnetId::new(id.clone()),
        name: numbered(&mut names, "vnet").into(),
        region: first.map_or(DEFAULT_AZURE_REGION.into(), |v| v.region.clone()),
        resource_group: first.map_or("rg-vpn".into(), |v| v.resource_group.clone()),
        address_space: vec![space],
        subnets: Vec::new(),
    };
    plan.design.azure.vnets.push(vnet);
    place_new(plan, &before);
    Ok(id)
}

/// A new AWS VPC with the next free /16.
pub fn add_vpc(plan: &mut Plan) -> Result<String, EditError> {
    let before = auto_places(plan);
    let Some(space) = next_free_network(plan) else {
        return refuse("no free /16 is left in the private address ranges");
    };
    debug_assert!(aws_facts::VPC_PREFIX.value.contains(16));
    let mut ids = taken_ids(&plan.design);
    let id = numbered(&mut ids, "aws-vpc");
    let mut names = names_in(plan.design.aws.vpcs.iter().map(|v| &v.name));
    let region = plan
        .design
        .aws
        .vpcs
        .first()
        .map_or(DEFAULT_AWS_REGION.into(), |v| v.region.clone());
    plan.design.aws.vpcs.push(Vpc {
        id: VpcId::new(id.clone()),
        name: numbered(&mut names, "vpc").into(),
        region,
        cidr_blocks: vec![space],
        subnets: Vec::new(),
    });
    place_new(plan, &before);
    Ok(id)
}

fn vnet_index(plan: &Plan, vnet: &str) -> Result<usize, EditError> {
    match plan
        .design
        .azure
        .vnets
        .iter()
        .position(|v| v.id.as_str() == vnet)
    {
        Some(i) => Ok(i),
        None => refuse(format!("no Azure VNet `{vnet}`")),
    }
}

fn vpc_index(plan: &Plan, vpc: &str) -> Result<usize, EditError> {
    match plan
        .design
        .aws
        .vpcs
        .iter()
        .position(|v| v.id.as_str() == vpc)
    {
        Some(i) => Ok(i),
        None => refuse(format!("no AWS VPC `{vpc}`")),
    }
}

/// A new subnet of a VNet: the first free /24 of its address space.
pub fn add_azure_subnet(plan: &mut Plan, vnet: &str) -> Result<String, EditError> {
    let before = auto_places(plan);
    let i = vnet_index(plan, vnet)?;
    let v = &plan.design.azure.vnets[i];
    let used: Vec<IpNet> = v.subnets.iter().map(|s| s.cidr).collect();
    let Some(cidr) = next_free_block(&v.address_space, &used, SUBNET_PREFIX, false) else {
        return refuse(format!(
            "{} has no free /{SUBNET_PREFIX} left; widen its address space",
            v.name
        ));
    };
    let mut ids = taken_ids(&plan.design);
    let id = numbered(&mut ids, &format!("{vnet}-snet"));
    let mut names = names_in(v.subnets.iter().map(|s| &s.name));
    let name = numbered(&mut names, "snet");
    plan.design.azure.vnets[i].subnets.push(azure::Subnet {
        id: SubnetId::new(id.clone()),
        name: name.into(),
        cidr,
        nsg: None,
        route_table: None,
    });
    place_new(plan, &before);
    Ok(id)
}

/// The VNet's GatewaySubnet, a /27 from the top of its space (the size Microsoft recommends [AZ2] [AZ12]).
pub fn add_gateway_subnet(plan: &mut Plan, vnet: &str) -> Result<String, EditError> {
    let before = auto_places(plan);
    let i = vnet_index(plan, vnet)?;
    let v = &plan.design.azure.vnets[i];
    if let Some(existing) = v.subnets.iter().find(|s| s.is_gateway_subnet()) {
        return Ok(existing.id.as_str().to_string());
    }
    let used: Vec<IpNet> = v.subnets.iter().map(|s| s.cidr).collect();
    let prefix = azure_facts::GATEWAY_SUBNET_RECOMMENDED_PREFIX.value;
    let Some(cidr) = next_free_block(&v.address_space, &used, prefix, true) else {
        return refuse(format!(
            "{} has no free /{prefix} for GatewaySubnet",
            v.name
        ));
    };
    let mut ids = taken_ids(&plan.design);
    let id = unique(&mut ids, &format!("{vnet}-gateway"));
    plan.design.azure.vnets[i].subnets.push(azure::Subnet {
        id: SubnetId::new(id.clone()),
        name: azure_facts::GATEWAY_SUBNET_NAME.value.into(),
        cidr,
        nsg: None,
        route_table: None,
    });
    place_new(plan, &before);
    Ok(id)
}

/// A VPN gateway for a VNet, as the reference design has it: route-based, VpnGw2AZ Generation2, active-active
/// with its two Standard static public IPs [AZ14], BGP on with Azure's default ASN 65515 [AZ2] [AZ3]. Adds the
/// GatewaySubnet first when the VNet has none.
pub fn add_azure_gateway(plan: &mut Plan, vnet: &str) -> Result<String, EditError> {
    let before = auto_places(plan);
    vnet_index(plan, vnet)?;
    if let Some(gw) = plan
        .design
        .azure
        .vpn_gateways
        .iter()
        .find(|g| g.vnet.as_str() == vnet)
    {
        return refuse(format!(
            "{vnet} already has a VPN gateway ({}); a VNet has at most one",
            gw.name
        ));
    }
    add_gateway_subnet(plan, vnet)?;
    let mut ids = taken_ids(&plan.design);
    let id = unique(&mut ids, &format!("{vnet}-vpngw"));
    let mut names = names_in(plan.design.azure.vpn_gateways.iter().map(|g| &g.name));
    let name = numbered(&mut names, "vpngw");
    let mut pip_names = names_in(plan.design.azure.public_ips.iter().map(|p| &p.name));
    let mut configs = Vec::new();
    for instance in 0..azure_facts::ACTIVE_ACTIVE_PUBLIC_IPS.value {
        let pip = unique(&mut ids, &format!("{id}-pip-{}", instance + 1));
        plan.design.azure.public_ips.push(PublicIp {
            id: PublicIpId::new(pip.clone()),
            name: unique(&mut pip_names, &format!("pip-{name}-{}", instance + 1)).into(),
            sku: PublicIpSku::Standard,
            allocation_method: AllocationMethod::Static,
            address: None,
        });
        configs.push(GatewayIpConfiguration {
            name: format!("vnetGatewayConfig{instance}").into(),
            public_ip: PublicIpId::new(pip),
            apipa_addresses: Vec::new(),
        });
    }
    plan.design.azure.vpn_gateways.push(azure::VpnGateway {
        id: VpnGatewayId::new(id.clone()),
        name: name.into(),
        vnet: VnetId::new(vnet),
        sku: GatewaySku::VpnGw2Az,
        generation: GatewayGeneration::Generation2,
        vpn_type: VpnType::RouteBased,
        active_active: true,
        ip_configurations: configs,
        bgp_enabled: true,
        asn: Asn(azure_facts::DEFAULT_GATEWAY_ASN.value),
    });
    place_new(plan, &before);
    Ok(id)
}

/// The first subnet with this id in either cloud: (is Azure, network index, subnet index).
fn find_subnet(plan: &Plan, subnet: &str) -> Option<(bool, usize, usize)> {
    for (i, v) in plan.design.azure.vnets.iter().enumerate() {
        if let Some(j) = v.subnets.iter().position(|s| s.id.as_str() == subnet) {
            return Some((true, i, j));
        }
    }
    for (i, v) in plan.design.aws.vpcs.iter().enumerate() {
        if let Some(j) = v.subnets.iter().position(|s| s.id.as_str() == subnet) {
            return Some((false, i, j));
        }
    }
    None
}

/// A new NSG attached to an Azure subnet (with no rules of its own: Azure's defaults apply [AZ18]).
pub fn add_nsg(plan: &mut Plan, subnet: &str) -> Result<String, EditError> {
    let before = auto_places(plan);
    let Some((true, i, j)) = find_subnet(plan, subnet) else {
        return refuse("select an Azure subnet to attach a network security group to");
    };
    let s = &plan.design.azure.vnets[i].subnets[j];
    if s.is_gateway_subnet() {
        return refuse("GatewaySubnet must not have a network security group (GW-003)");
    }
    let mut ids = taken_ids(&plan.design);
    let id = unique(&mut ids, &format!("{subnet}-nsg"));
    let mut names = names_in(plan.design.azure.nsgs.iter().map(|n| &n.name));
    let name = unique(&mut names, &azure_stem(&format!("nsg-{}", s.name), false));
    plan.design.azure.nsgs.push(Nsg {
        id: NsgId::new(id.clone()),
        name: name.into(),
        rules: Vec::new(),
    });
    plan.design.azure.vnets[i].subnets[j].nsg = Some(NsgId::new(id.clone()));
    place_new(plan, &before);
    Ok(id)
}

/// A new route table attached to a subnet of either cloud. Azure's propagates BGP routes (GW-005); AWS's belongs
/// to the subnet's VPC and propagates the routes of the VPC's virtual private gateway, if it has one.
pub fn add_route_table(plan: &mut Plan, subnet: &str) -> Result<String, EditError> {
    let before = auto_places(plan);
    let Some((azure, i, j)) = find_subnet(plan, subnet) else {
        return refuse("select a subnet to attach a route table to");
    };
    let mut ids = taken_ids(&plan.design);
    let id = unique(&mut ids, &format!("{subnet}-rt"));
    if azure {
        let s = &plan.design.azure.vnets[i].subnets[j];
        let mut names = names_in(plan.design.azure.route_tables.iter().map(|r| &r.name));
        let name = unique(&mut names, &azure_stem(&format!("rt-{}", s.name), false));
        plan.design.azure.route_tables.push(azure::RouteTable {
            id: RouteTableId::new(id.clone()),
            name: name.into(),
            bgp_route_propagation: true,
            routes: Vec::new(),
        });
        plan.design.azure.vnets[i].subnets[j].route_table = Some(RouteTableId::new(id.clone()));
    } else {
        let vpc = &plan.design.aws.vpcs[i];
        let s = &vpc.subnets[j];
        let vgws = plan
            .design
            .aws
            .vpn_gateways
            .iter()
            .filter(|g| g.vpc.as_ref() == Some(&vpc.id))
            .map(|g| g.id.clone())
            .collect();
        let mut names = names_in(plan.design.aws.route_tables.iter().map(|r| &r.name));
        let name = unique(&mut names, &format!("rt-{}", s.name));
        plan.design.aws.route_tables.push(aws::RouteTable {
            id: RouteTableId::new(id.clone()),
            name: name.into(),
            vpc: vpc.id.clone(),
            main: false,
            propagating_vgws: vgws,
            routes: Vec::new(),
        });
        plan.design.aws.vpcs[i].subnets[j].route_table = Some(RouteTableId::new(id.clone()));
    }
    place_new(plan, &before);
    Ok(id)
}

/// A new subnet of a VPC: the first free /24, in the region's first availability zone.
pub fn add_aws_subnet(plan: &mut Plan, vpc: &str) -> Result<String, EditError> {
    let before = auto_places(plan);
    let i = vpc_index(plan, vpc)?;
    let v = &plan.design.aws.vpcs[i];
    let used: Vec<IpNet> = v.subnets.iter().map(|s| s.cidr).collect();
    let Some(cidr) = next_free_block(&v.cidr_blocks, &used, SUBNET_PREFIX, false) else {
        return refuse(format!(
            "{} has no free /{SUBNET_PREFIX} left; add a CIDR block",
            v.name
        ));
    };
    let mut ids = taken_ids(&plan.design);
    let id = numbered(&mut ids, &format!("{vpc}-subnet"));
    let mut names = names_in(v.subnets.iter().map(|s| &s.name));
    let name = numbered(&mut names, "subnet");
    let zone = format!("{}a", v.region);
    plan.design.aws.vpcs[i].subnets.push(aws::Subnet {
        id: SubnetId::new(id.clone()),
        name: name.into(),
        cidr,
        availability_zone: zone.into(),
        route_table: None,
        security_groups: Vec::new(),
    });
    place_new(plan, &before);
    Ok(id)
}

/// A virtual private gateway attached to a VPC, with AWS's default Amazon-side ASN [AWS6].
pub fn add_vgw(plan: &mut Plan, vpc: &str) -> Result<String, EditError> {
    let before = auto_places(plan);
    vpc_index(plan, vpc)?;
    if let Some(vgw) = plan
        .design
        .aws
        .vpn_gateways
        .iter()
        .find(|g| g.vpc.as_ref().map(|v| v.as_str()) == Some(vpc))
    {
        return refuse(format!(
            "{vpc} already has a virtual private gateway ({}); a VPC has at most one",
            vgw.name
        ));
    }
    let mut ids = taken_ids(&plan.design);
    let id = unique(&mut ids, &format!("{vpc}-vgw"));
    let mut names = names_in(plan.design.aws.vpn_gateways.iter().map(|g| &g.name));
    let name = numbered(&mut names, "vgw");
    plan.design.aws.vpn_gateways.push(aws::VpnGateway {
        id: VgwId::new(id.clone()),
        name: name.into(),
        amazon_side_asn: Asn(aws_facts::DEFAULT_AMAZON_SIDE_ASN.value),
        vpc: Some(VpcId::new(vpc)),
    });
    // The VPC's route tables learn what the gateway learns.
    for rt in plan
        .design
        .aws
        .route_tables
        .iter_mut()
        .filter(|r| r.vpc.as_str() == vpc)
    {
        rt.propagating_vgws.push(VgwId::new(id.clone()));
    }
    place_new(plan, &before);
    Ok(id)
}

/// A new security group of the subnet's VPC, attached to the subnet, with no rules (AWS denies what no rule
/// allows, and the default egress rule is not modelled until added).
pub fn add_security_group(plan: &mut Plan, subnet: &str) -> Result<String, EditError> {
    let before = auto_places(plan);
    let Some((false, i, j)) = find_subnet(plan, subnet) else {
        return refuse("select an AWS subnet to attach a security group to");
    };
    let vpc = plan.design.aws.vpcs[i].id.clone();
    let s = &plan.design.aws.vpcs[i].subnets[j];
    let mut ids = taken_ids(&plan.design);
    let id = unique(&mut ids, &format!("{subnet}-sg"));
    let mut names = names_in(plan.design.aws.security_groups.iter().map(|g| &g.name));
    let name = unique(&mut names, &sg_stem(&format!("{}-sg", s.name)));
    plan.design.aws.security_groups.push(SecurityGroup {
        id: SecurityGroupId::new(id.clone()),
        name: name.into(),
        vpc,
        description: format!("Traffic for {}", s.name),
        ingress: Vec::new(),
        egress: Vec::new(),
    });
    plan.design.aws.vpcs[i].subnets[j]
        .security_groups
        .push(SecurityGroupId::new(id.clone()));
    place_new(plan, &before);
    Ok(id)
}

/// Which way a new rule faces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleDirection {
    Inbound,
    Outbound,
}

/// The priority for a new allow rule among the `taken` priorities (and accesses) of its direction, within
/// `min..=max`: it must come before the deny that closes the list (the first deny after the last allow), or it
/// would allow nothing that deny covers. Ten above the last allow (`min` when there is none), or halfway to the
/// rule after it when that is closer; else the first free number between the two, else the highest free one
/// below the closing deny. Priorities outside the range (SEC-003 reports them) are ignored. The error says what
/// is in the way.
pub(super) fn free_allow_priority(
    taken: &[(u32, Access)],
    min: u32,
    max: u32,
) -> Result<u32, String> {
    let usable: Vec<(u32, Access)> = taken
        .iter()
        .copied()
        .filter(|(p, _)| (min..=max).contains(p))
        .collect();
    let is_taken = |p: u32| usable.iter().any(|(q, _)| *q == p);
    let last_allow = usable
        .iter()
        .filter(|(_, access)| *access == Access::Allow)
        .map(|(p, _)| *p)
        .max();
    let closing_deny = usable
        .iter()
        .filter(|(p, access)| *access == Access::Deny && last_allow.is_none_or(|a| *p > a))
        .map(|(p, _)| *p)
        .min();
    let limit = closing_deny.unwrap_or(max + 1);
    let start = last_allow.map_or(min, |a| a + 1);
    let preferred = match last_allow {
        None => min,
        Some(a) => match usable.iter().map(|(p, _)| *p).filter(|p| *p > a).min() {
            Some(next) if next <= a + 10 => a + (next - a) / 2,
            _ => a + 10,
        },
    };
    if (start..limit).contains(&preferred) && !is_taken(preferred) {
        return Ok(preferred);
    }
    (start..limit)
        .find(|p| !is_taken(*p))
        .or_else(|| (min..limit).rev().find(|p| !is_taken(*p)))
        .ok_or_else(|| match closing_deny {
            Some(deny) => {
                format!("no free priority before its deny rule at {deny}: renumber its rules first")
            }
            None => format!("every priority from {min} to {max} is taken"),
        })
}

/// A new allow rule in an NSG or security group: TCP 443 from (inbound) or to (outbound) `peer`. In an NSG it
/// takes a priority after the allow rules of its direction and before the deny that closes them, like the
/// reference's 4000, within 100–4096 [AZ18] ([`free_allow_priority`]); it is listed in priority order.
pub fn add_rule(
    plan: &mut Plan,
    group: &str,
    direction: RuleDirection,
    peer: IpNet,
) -> Result<String, EditError> {
    let mut ids = taken_ids(&plan.design);
    let id = unique(&mut ids, &format!("{group}-rule"));
    if let Some(nsg) = plan
        .design
        .azure
        .nsgs
        .iter_mut()
        .find(|n| n.id.as_str() == group)
    {
        let span = azure_facts::NSG_PRIORITY.value;
        let inbound = direction == RuleDirection::Inbound;
        let wanted = if inbound {
            Direction::Inbound
        } else {
            Direction::Outbound
        };
        let taken: Vec<(u32, Access)> = nsg
            .rules
            .iter()
            .filter(|r| r.direction == wanted)
            .map(|r| (r.priority, r.access))
            .collect();
        let priority = match free_allow_priority(&taken, span.min as u32, span.max as u32) {
            Ok(priority) => priority,
            Err(why) => {
                let direction = if inbound { "inbound" } else { "outbound" };
                return refuse(format!(
                    "{} cannot take another {direction} allow rule: {why}",
                    nsg.name
                ));
            }
        };
        let mut names: std::collections::HashSet<String> =
            nsg.rules.iter().map(|r| r.name.to_string()).collect();
        let name = numbered(&mut names, if inbound { "Allow-In" } else { "Allow-Out" });
        let (source, destination) = if inbound {
            (
                AddressPrefix::Cidr(peer),
                AddressPrefix::Tag("VirtualNetwork".into()),
            )
        } else {
            (
                AddressPrefix::Tag("VirtualNetwork".into()),
                AddressPrefix::Cidr(peer),
            )
        };
        // HTTPS, unless a rule of this direction evaluated before the new one already covers it from this peer
        // (a copy would be SEC-004 at once): then the next port none covers.
        let port = first_uncovered_port(|p| {
            nsg.rules.iter().filter(|r| r.priority < priority).any(|r| {
                let peer_side = if inbound {
                    &r.source_prefixes
                } else {
                    &r.destination_prefixes
                };
                r.direction == wanted
                    && matches!(r.protocol, Protocol::Tcp | Protocol::Any)
                    && r.destination_ports.iter().any(|d| d.contains(p))
                    && peer_side.iter().any(|a| match a {
                        AddressPrefix::Cidr(c) => c.contains(&peer),
                        _ => true,
                    })
            })
        });
        let at = nsg
            .rules
            .iter()
            .position(|r| r.direction == wanted && r.priority > priority)
            .unwrap_or(nsg.rules.len());
        nsg.rules.insert(
            at,
            NsgRule {
                id: RuleId::new(id.clone()),
                name: name.into(),
                priority,
                direction: wanted,
                access: Access::Allow,
                protocol: Protocol::Tcp,
                source_prefixes: vec![source],
                source_ports: vec![PortRange::ALL],
                destination_prefixes: vec![destination],
                destination_ports: vec![PortRange::single(port)],
                description: String::new(),
            },
        );
        return Ok(id);
    }
    if let Some(sg) = plan
        .design
        .aws
        .security_groups
        .iter_mut()
        .find(|g| g.id.as_str() == group)
    {
        let limit = aws_facts::SG_MAX_RULES_PER_DIRECTION.value;
        let rules = match direction {
            RuleDirection::Inbound => &mut sg.ingress,
            RuleDirection::Outbound => &mut sg.egress,
        };
        if rules.len() >= limit {
            return refuse(format!(
                "{} already has {limit} rules in this direction [VPC1]",
                sg.name
            ));
        }
        let port = first_uncovered_port(|p| {
            rules.iter().any(|r| {
                matches!(r.protocol, Protocol::Tcp | Protocol::Any)
                    && r.ports.contains(p)
                    && r.cidr.contains(&peer)
            })
        });
        rules.push(SecurityGroupRule {
            id: RuleId::new(id.clone()),
            protocol: Protocol::Tcp,
            ports: PortRange::single(port),
            cidr: peer,
            description: String::new(),
        });
        return Ok(id);
    }
    refuse(format!("no NSG or security group `{group}`"))
}

/// Removes one rule from its NSG or security group.
pub fn remove_rule(plan: &mut Plan, rule: &str) -> Result<(), EditError> {
    for nsg in &mut plan.design.azure.nsgs {
        if let Some(i) = nsg.rules.iter().position(|r| r.id.as_str() == rule) {
            nsg.rules.remove(i);
            return Ok(());
        }
    }
    for sg in &mut plan.design.aws.security_groups {
        for list in [&mut sg.ingress, &mut sg.egress] {
            if let Some(i) = list.iter().position(|r| r.id.as_str() == rule) {
                list.remove(i);
                return Ok(());
            }
        }
    }
    refuse(format!("no rule `{rule}`"))
}

/// Moves an NSG rule one place earlier (`up`) or later in evaluation order by swapping priorities with its
/// neighbour in the same direction, so first-match order changes and the numbers stay valid.
pub fn reorder_rule(plan: &mut Plan, rule: &str, up: bool) -> Result<(), EditError> {
    for nsg in &mut plan.design.azure.nsgs {
        let Some(target) = nsg.rules.iter().find(|r| r.id.as_str() == rule) else {
            continue;
        };
        let (direction, priority) = (target.direction, target.priority);
        let neighbour = nsg
            .rules
            .iter()
            .filter(|r| r.direction == direction && r.id.as_str() != rule)
            .filter(|r| {
                if up {
                    r.priority <= priority
                } else {
                    r.priority >= priority
                }
            })
            .min_by_key(|r| r.priority.abs_diff(priority))
            .map(|r| r.id.clone());
        let Some(neighbour) = neighbour else {
            return refuse(if up {
                "the rule is already first"
            } else {
                "the rule is already last"
            });
        };
        let other = nsg
            .rules
            .iter()
            .find(|r| r.id == neighbour)
            .map(|r| r.priority)
            .unwrap_or(priority);
        for r in &mut nsg.rules {
            if r.id.as_str() == rule {
                r.priority = other;
            } else if r.id == neighbour {
                r.priority = priority;
            }
        }
        // Equal priorities would collide in Azure; keep the moved rule strictly before or after.
        if other == priority {
            for r in &mut nsg.rules {
                if r.id.as_str() == rule {
                    r.priority = if up {
                        priority.saturating_sub(1)
                    } else {
                        priority + 1
                    };
                }
            }
        }
        return Ok(());
    }
    refuse("only NSG rules have an order; security group rules are all evaluated together")
}

/// A new declared flow between two subnets: TCP 443, the traffic most designs must carry first.
pub fn add_flow(plan: &mut Plan, from: &str, to: &str) -> Result<String, EditError> {
    let (Some(_), Some(_)) = (find_subnet(plan, from), find_subnet(plan, to)) else {
        return refuse("a flow goes from one subnet to another; pick two subnets");
    };
    if from == to {
        return refuse("a flow's source and destination must differ");
    }
    // The same flow twice would be traced and reviewed twice, and say nothing more: name the one there.
    let (source, destination) = (
        FlowEndpoint::Subnet(SubnetId::new(from)),
        FlowEndpoint::Subnet(SubnetId::new(to)),
    );
    if let Some(same) = plan.design.flows.iter().find(|f| {
        f.source == source
            && f.destination == destination
            && f.protocol == Protocol::Tcp
            && f.ports == [PortRange::single(443)]
    }) {
        return refuse(format!(
            "flow {} already declares TCP 443 from {from} to {to}",
            same.name
        ));
    }
    let name_of = |id: &str| {
        let d = &plan.design;
        d.azure
            .vnets
            .iter()
            .flat_map(|v| v.subnets.iter().map(|s| (&s.id.0, &s.name)))
            .chain(
                d.aws
                    .vpcs
                    .iter()
                    .flat_map(|v| v.subnets.iter().map(|s| (&s.id.0, &s.name))),
            )
            .find(|(i, _)| i.as_str() == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let name = format!("{} → {} (HTTPS)", name_of(from), name_of(to));
    let mut ids = taken_ids(&plan.design);
    let id = numbered(&mut ids, "flow");
    plan.design.flows.push(Flow {
        id: FlowId::new(id.clone()),
        name: name.into(),
        source: FlowEndpoint::Subnet(SubnetId::new(from)),
        destination: FlowEndpoint::Subnet(SubnetId::new(to)),
        protocol: Protocol::Tcp,
        ports: vec![PortRange::single(443)],
    });
    Ok(id)
}

/// Re-bases `net` from `old` space onto `new` space, keeping its offset (10.1.4.0/24 in 10.1/16 → 10.7.4.0/24 in 10.7/16).
fn rebase(net: IpNet, old: IpNet, new: IpNet) -> Option<IpNet> {
    match (net, old, new) {
        (IpNet::V4(n), IpNet::V4(o), IpNet::V4(w)) => {
            let offset = u32::from(n.network()).checked_sub(u32::from(o.network()))?;
            let base = u32::from(w.network()).checked_add(offset)?;
            let rebased =
                ipnet::Ipv4Net::new(std::net::Ipv4Addr::from(base), n.prefix_len()).ok()?;
            w.contains(&rebased).then_some(IpNet::V4(rebased))
        }
        _ => None,
    }
}

/// Copies of a network's subnets for its duplicate: each re-based onto `space` and given a fresh id under the new
/// network's; a subnet that would fall outside the new space is left out.
fn rebased<S: Clone>(
    subnets: &[S],
    old: IpNet,
    space: IpNet,
    ids: &mut std::collections::HashSet<String>,
    network: &str,
    fields: fn(&mut S) -> (&mut SubnetId, &mut IpNet),
) -> Vec<S> {
    subnets
        .iter()
        .filter_map(|s| {
            let mut copy = s.clone();
            let (id, cidr) = fields(&mut copy);
            *cidr = rebase(*cidr, old, space)?;
            *id = SubnetId::new(unique(ids, &format!("{network}-{id}")));
            Some(copy)
        })
        .collect()
}

/// Duplicates an object with fresh ids and names and free addresses: a VNet or VPC (with its subnets, re-based
/// onto the next free /16; gateways and links are not copied), a subnet (the next free block of its size in its
/// network, same policies), or a flow. Returns the copy's id.
pub fn duplicate(plan: &mut Plan, id: &str) -> Result<String, EditError> {
    let before = auto_places(plan);
    let mut ids = taken_ids(&plan.design);
    let d = &plan.design;
    if let Some(vnet) = d.azure.vnets.iter().find(|v| v.id.as_str() == id).cloned() {
        let (Some(space), Some(old)) =
            (next_free_network(plan), vnet.address_space.first().copied())
        else {
            return refuse("no free /16 is left for the copy");
        };
        let new_id = numbered(&mut ids, "az-vnet");
        let mut names = names_in(d.azure.vnets.iter().map(|v| &v.name));
        let mut copy = vnet.clone();
        copy.id = VnetId::new(new_id.clone());
        copy.name = unique(
            &mut names,
            &azure_stem(&format!("{}-copy", vnet.name), true),
        )
        .into();
        copy.address_space = vec![space];
        copy.subnets = rebased(&vnet.subnets, old, space, &mut ids, &new_id, |s| {
            (&mut s.id, &mut s.cidr)
        });
        plan.design.azure.vnets.push(copy);
        place_new(plan, &before);
        return Ok(new_id);
    }
    if let Some(vpc) = d.aws.vpcs.iter().find(|v| v.id.as_str() == id).cloned() {
        let (Some(space), Some(old)) = (next_free_network(plan), vpc.cidr_blocks.first().copied())
        else {
            return refuse("no free /16 is left for the copy");
        };
        let new_id = numbered(&mut ids, "aws-vpc");
        let mut names = names_in(d.aws.vpcs.iter().map(|v| &v.name));
        let mut copy = vpc.clone();
        copy.id = VpcId::new(new_id.clone());
        copy.name = unique(&mut names, &format!("{}-copy", vpc.name)).into();
        copy.cidr_blocks = vec![space];
        // Route tables and security groups belong to the original VPC; the copy's subnets start without them.
        copy.subnets = rebased(&vpc.subnets, old, space, &mut ids, &new_id, |s| {
            (&mut s.id, &mut s.cidr)
        });
        for subnet in &mut copy.subnets {
            subnet.route_table = None;
            subnet.security_groups = Vec::new();
        }
        plan.design.aws.vpcs.push(copy);
        place_new(plan, &before);
        return Ok(new_id);
    }
    if let Some((azure, i, j)) = find_subnet(plan, id) {
        let (spaces, used, original_cidr) = if azure {
            let v = &d.azure.vnets[i];
            (
                v.address_space.clone(),
                v.subnets.iter().map(|s| s.cidr).collect::<Vec<_>>(),
                v.subnets[j].cidr,
            )
        } else {
            let v = &d.aws.vpcs[i];
            (
                v.cidr_blocks.clone(),
                v.subnets.iter().map(|s| s.cidr).collect::<Vec<_>>(),
                v.subnets[j].cidr,
            )
        };
        let Some(cidr) = next_free_block(&spaces, &used, original_cidr.prefix_len(), false) else {
            return refuse(format!(
                "the network has no free /{} for the copy",
                original_cidr.prefix_len()
            ));
        };
        let new_id = unique(&mut ids, &format!("{id}-copy"));
        if azure {
            let v = &mut plan.design.azure.vnets[i];
            let mut names = names_in(v.subnets.iter().map(|s| &s.name));
            let mut copy = v.subnets[j].clone();
            if copy.is_gateway_subnet() {
                return refuse("a VNet has one GatewaySubnet");
            }
            copy.id = SubnetId::new(new_id.clone());
            copy.name = unique(
                &mut names,
                &azure_stem(&format!("{}-copy", copy.name), false),
            )
            .into();
            copy.cidr = cidr;
            v.subnets.push(copy);
        } else {
            let v = &mut plan.design.aws.vpcs[i];
            let mut names = names_in(v.subnets.iter().map(|s| &s.name));
            let mut copy = v.subnets[j].clone();
            copy.id = SubnetId::new(new_id.clone());
            copy.name = unique(&mut names, &format!("{}-copy", copy.name)).into();
            copy.cidr = cidr;
            v.subnets.push(copy);
        }
        place_new(plan, &before);
        return Ok(new_id);
    }
    if let Some(flow) = d.flows.iter().find(|f| f.id.as_str() == id).cloned() {
        let mut copy = flow;
        copy.id = FlowId::new(numbered(&mut ids, "flow"));
        copy.name = format!("{} (copy)", copy.name).into();
        let new_id = copy.id.as_str().to_string();
        plan.design.flows.push(copy);
        return Ok(new_id);
    }
    refuse("only networks, subnets and flows can be duplicated")
}

/// The port a new rule starts on: 443, else the first of 8443, 8080–8099 and 1024 upwards that no rule covers
/// (`covered`); 443 when every one is.
fn first_uncovered_port(covered: impl Fn(u16) -> bool) -> u16 {
    [443, 8443]
        .into_iter()
        .chain(8080..=8099)
        .chain(1024..=u16::MAX)
        .find(|p| !covered(*p))
        .unwrap_or(443)
}

/// A name stem Azure accepts (NAME-001), with room for the `-2`, `-3`… `unique` may add: a new object's name is
/// made from its subnet's or network's, which may be long or hold characters ARM refuses.
fn azure_stem(stem: &str, vnet: bool) -> String {
    let length = if vnet {
        azure_facts::VNET_NAME_LENGTH.value
    } else {
        azure_facts::NETWORK_NAME_LENGTH.value
    };
    let room = crate::facts::Span::new(length.min, length.max - 4);
    crate::review::names::azure_name_fixed(stem, room, if vnet { "vnet" } else { "object" })
}

/// A security group name stem AWS accepts (NAME-001), with room for `unique`'s suffix.
fn sg_stem(stem: &str) -> String {
    let name = if crate::review::names::sg_name_problem(stem).is_some() {
        crate::review::names::sg_name_fixed(stem)
    } else {
        stem.to_string()
    };
    let max = crate::facts::aws::SG_NAME_MAX_CHARS.value - 4;
    name.chars().take(max).collect()
}
