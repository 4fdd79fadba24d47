//! RT and SEC codes (from tracing every declared flow), and the trace itself.

use super::super::*;
use super::cases::{finds, net, never};
use crate::model::aws::{self, RouteTarget};
use crate::model::azure::{self, Access, Direction, NextHopType, NsgRule};
use crate::model::common::{AddressPrefix, PortRange, Protocol};
use crate::templates::{reference, template};
use crate::trace::{trace, trace_flow, Query, Source, Verdict};

fn plan(edit: impl FnOnce(&mut crate::model::Design)) -> Plan {
    let mut p = reference();
    edit(&mut p.design);
    p
}

fn user_route(prefix: &str, hop: NextHopType) -> azure::Route {
    azure::Route {
        name: format!("to-{}", prefix.replace(['.', '/'], "-")).into(),
        address_prefix: net(prefix),
        next_hop_type: hop,
        next_hop_ip: (hop == NextHopType::VirtualAppliance).then(|| "10.1.1.4".parse().unwrap()),
    }
}

fn nsg_rule(
    id: &str,
    priority: u32,
    direction: Direction,
    access: Access,
    from: &str,
    ports: &str,
) -> NsgRule {
    NsgRule {
        id: id.into(),
        name: id.into(),
        priority,
        direction,
        access,
        protocol: Protocol::Tcp,
        source_prefixes: vec![from.parse().unwrap()],
        source_ports: vec![PortRange::ALL],
        destination_prefixes: vec![AddressPrefix::Any],
        destination_ports: vec![ports.parse().unwrap()],
        description: String::new(),
    }
}

#[test]
fn rt_001_no_route_through_the_vpn() {
    // Static routing where the local network gateways announce another network: Azure has no route to the VPC.
    let mut p = template("static").unwrap();
    for lng in &mut p.design.azure.local_network_gateways {
        lng.address_prefixes = vec![net("10.9.0.0/16")];
    }
    let f = finds(
        &p,
        "RT-001",
        Severity::Error,
        &["flow-azure-to-aws", "az-snet-app"],
    );
    assert!(f.message.contains("10.2.1.0/24"), "{}", f.message);
    never(&reference(), "RT-001");
    // With the link removed, the change to make is connecting the gateway, not propagation (already on).
    let mut unlinked = reference();
    crate::edit::connect::disconnect(&mut unlinked, "az-vpngw", "aws-vgw").unwrap();
    let f = finds(
        &unlinked,
        "RT-001",
        Severity::Error,
        &["flow-aws-to-azure", "aws-snet-app"],
    );
    assert!(
        f.message
            .contains("gateway aws-vgw: no tunnel of it is paired with the other cloud")
            && !f.message.contains("propagate"),
        "{}",
        f.message
    );
}

#[test]
fn rt_002_propagation_off_and_no_static_route() {
    // Each with a fix that turns propagation back on, and leaves the plan clean.
    let p = plan(|d| d.azure.route_tables[0].bgp_route_propagation = false);
    let f = finds(
        &p,
        "RT-002",
        Severity::Error,
        &["flow-azure-to-aws", "az-rt-app"],
    );
    let fixed = crate::edit::fields::apply_fix(&p, f.fix.as_ref().expect("a fix")).unwrap();
    assert!(fixed.design.azure.route_tables[0].bgp_route_propagation);
    assert!(review(&fixed).is_empty(), "{:?}", review(&fixed));
    let p = plan(|d| d.aws.route_tables[0].propagating_vgws.clear());
    let f = finds(
        &p,
        "RT-002",
        Severity::Error,
        &["flow-aws-to-azure", "aws-rt-app"],
    );
    let fixed = crate::edit::fields::apply_fix(&p, f.fix.as_ref().expect("a fix")).unwrap();
    assert_eq!(fixed.design.aws.route_tables[0].propagating_vgws.len(), 1);
    assert!(review(&fixed).is_empty(), "{:?}", review(&fixed));
    // Near miss: propagation off, but a user route sends the partner's space to the gateway.
    let p = plan(|d| {
        d.azure.route_tables[0].bgp_route_propagation = false;
        d.azure.route_tables[0].routes.push(user_route(
            "10.2.0.0/16",
            NextHopType::VirtualNetworkGateway,
        ));
    });
    never(&p, "RT-002");
    never(&p, "RT-001");
}

#[test]
fn rt_003_a_more_specific_route_sends_the_flow_elsewhere() {
    let p = plan(|d| {
        d.azure.route_tables[0]
            .routes
            .push(user_route("10.2.1.0/24", NextHopType::VirtualAppliance))
    });
    finds(
        &p,
        "RT-003",
        Severity::Error,
        &["flow-azure-to-aws", "az-rt-app"],
    );
    let p = plan(|d| {
        d.aws.route_tables[0].routes.push(aws::Route {
            destination: net("10.1.1.0/24"),
            target: RouteTarget::Blackhole,
        })
    });
    let f = finds(
        &p,
        "RT-003",
        Severity::Error,
        &["flow-aws-to-azure", "aws-rt-app"],
    );
    assert!(f.message.contains("blackhole"), "{}", f.message);
    // Near miss: a more specific route that still points at the gateway.
    never(
        &plan(|d| {
            d.azure.route_tables[0].routes.push(user_route(
                "10.2.1.0/24",
                NextHopType::VirtualNetworkGateway,
            ))
        }),
        "RT-003",
    );
}

#[test]
fn rt_004_return_path_through_other_tunnels() {
    // Static routing: Azure sends only into AWS connection 1's tunnels, AWS answers only through connection 2.
    let mut p = template("static").unwrap();
    for lng in p
        .design
        .azure
        .local_network_gateways
        .iter_mut()
        .filter(|l| l.id.as_str().contains("vpn-2"))
    {
        lng.address_prefixes.clear();
    }
    p.design.aws.vpn_connections[0].static_routes.clear();
    finds(&p, "RT-004", Severity::Warning, &["flow-azure-to-aws"]);
    never(&reference(), "RT-004");
    never(&template("static").unwrap(), "RT-004");
}

#[test]
fn sec_001_a_declared_flow_denied_by_an_nsg() {
    let p = plan(|d| d.azure.nsgs[0].rules[0].access = Access::Deny);
    let f = finds(
        &p,
        "SEC-001",
        Severity::Error,
        &["flow-aws-to-azure", "az-nsg-app", "az-nsg-app-in-443"],
    );
    assert!(f.message.contains("priority 100"), "{}", f.message);
    // Without its allow, the reference's closing deny (4000) stops the flow.
    let p = plan(|d| {
        d.azure.nsgs[0]
            .rules
            .retain(|r| r.id.as_str() != "az-nsg-app-in-443")
    });
    let f = finds(
        &p,
        "SEC-001",
        Severity::Error,
        &["flow-aws-to-azure", "az-nsg-app", "az-nsg-app-in-deny-aws"],
    );
    assert!(f.message.contains("priority 4000"), "{}", f.message);
    // Near miss: with no inbound rule at all, the default AllowVNetInBound (65000) admits it, because the
    // VirtualNetwork tag includes the VPN-connected VPC [AZ18].
    never(
        &plan(|d| {
            d.azure.nsgs[0]
                .rules
                .retain(|r| r.direction != Direction::Inbound);
        }),
        "SEC-001",
    );
}

#[test]
fn an_nsg_rule_of_any_protocol_matches_only_the_ports_it_names() {
    // Azure applies an any-protocol rule's ports (TCP and UDP); the review read "*" as every port, so a deny of
    // port 22 for any protocol stopped the HTTPS flow the deployed NSG lets through (audit s17).
    let deny = |ports: &str| {
        plan(|d| {
            let mut rule = nsg_rule(
                "deny-any-proto",
                90,
                Direction::Inbound,
                Access::Deny,
                "10.2.0.0/16",
                ports,
            );
            rule.protocol = Protocol::Any;
            d.azure.nsgs[0].rules.push(rule);
        })
    };
    never(&deny("22"), "SEC-001");
    assert!(trace_flow(&deny("22"), "flow-aws-to-azure")
        .unwrap()
        .delivered());
    finds(
        &deny("443"),
        "SEC-001",
        Severity::Error,
        &["flow-aws-to-azure", "deny-any-proto"],
    );
    finds(
        &deny("*"),
        "SEC-001",
        Severity::Error,
        &["flow-aws-to-azure", "deny-any-proto"],
    );
    // The reference's allow of TCP 443 made any-protocol still admits the flow.
    let allow = plan(|d| {
        for rule in &mut d.azure.nsgs[0].rules {
            if rule.id.as_str() == "az-nsg-app-in-443" {
                rule.protocol = Protocol::Any;
            }
        }
    });
    never(&allow, "SEC-001");
}

#[test]
fn sec_007_a_service_tag_among_other_nsg_prefixes() {
    let with_sources = |sources: &[&str]| {
        plan(|d| {
            let rule = d.azure.nsgs[0]
                .rules
                .iter_mut()
                .find(|r| r.id.as_str() == "az-nsg-app-in-443")
                .unwrap();
            rule.source_prefixes = sources.iter().map(|s| s.parse().unwrap()).collect();
        })
    };
    // Azure's plural prefix fields take address ranges only [AZ18]. VirtualNetwork covers the VPN-connected VPC,
    // so the tag alone admits the same traffic: that is the fix.
    let p = with_sources(&["VirtualNetwork", "10.2.1.0/24"]);
    let f = finds(
        &p,
        "SEC-007",
        Severity::Error,
        &["az-nsg-app", "az-nsg-app-in-443"],
    );
    assert!(
        f.message.contains("VirtualNetwork, 10.2.1.0/24"),
        "{}",
        f.message
    );
    let fixed = crate::edit::fields::apply_fix(&p, f.fix.as_ref().expect("a fix")).unwrap();
    never(&fixed, "SEC-007");
    assert_eq!(
        fixed.design.azure.nsgs[0]
            .rules
            .iter()
            .find(|r| r.id.as_str() == "az-nsg-app-in-443")
            .unwrap()
            .source_prefixes,
        [AddressPrefix::Tag("VirtualNetwork".into())]
    );
    // Internet does not cover the VPC's range: the rule must be split by hand, no fix.
    let f = finds(
        &with_sources(&["Internet", "10.2.1.0/24"]),
        "SEC-007",
        Severity::Error,
        &["az-nsg-app-in-443"],
    );
    assert!(f.fix.is_none());
    // Near misses: ranges only, a tag alone, or "*" among others (every address, exported as "*").
    never(&with_sources(&["10.2.1.0/24", "10.2.2.0/24"]), "SEC-007");
    never(&with_sources(&["VirtualNetwork"]), "SEC-007");
    never(&with_sources(&["*", "VirtualNetwork"]), "SEC-007");
}

#[test]
fn sec_002_a_declared_flow_no_security_group_allows() {
    let p = plan(|d| d.aws.security_groups[0].ingress.clear());
    let f = finds(
        &p,
        "SEC-002",
        Severity::Error,
        &["flow-azure-to-aws", "aws-sg-app"],
    );
    // The blocked traffic is named by an example packet between hosts (not a range's network address, which
    // reads like a prefix that lost its length) on the flow's port.
    assert!(
        f.message
            .contains("for example a TCP packet from 10.1.1.4 to 10.2.1.4 port 443"),
        "{}",
        f.message
    );
    never(
        &plan(|d| d.aws.security_groups[0].ingress[0].cidr = net("10.1.0.0/16")),
        "SEC-002",
    );
    // The fix adds the rule the flow needs, to the group that stopped it, in either direction: clean after.
    for p in [
        plan(|d| d.aws.security_groups[0].ingress.clear()),
        plan(|d| d.aws.security_groups[0].egress.clear()),
    ] {
        let f = finds(&p, "SEC-002", Severity::Error, &["aws-sg-app"]);
        let fix = f.fix.as_ref().expect("a fix");
        let fixed = crate::edit::fields::apply_fix(&p, fix).unwrap();
        assert!(
            review(&fixed).is_empty(),
            "{}: {:?}",
            fix.summary,
            review(&fixed)
        );
    }
    // A subnet with no security group: its machines are in the VPC's default group, which admits inbound
    // traffic only from itself [VPC3]; the finding says so (it read "security group(s) (default)").
    let p = plan(|d| d.aws.vpcs[0].subnets[0].security_groups.clear());
    let f = finds(&p, "SEC-002", Severity::Error, &["flow-azure-to-aws"]);
    assert!(
        f.message.contains(
            "has no security group, so its machines are in the VPC's default security group"
        ),
        "{}",
        f.message
    );
}

#[test]
fn sec_003_priorities_kb39() {
    for bad in [50, 4097] {
        finds(
            &plan(|d| d.azure.nsgs[0].rules[0].priority = bad),
            "SEC-003",
            Severity::Error,
            &["az-nsg-app-in-443"],
        );
    }
    let p = plan(|d| {
        d.azure.nsgs[0].rules.push(nsg_rule(
            "in-a",
            200,
            Direction::Inbound,
            Access::Allow,
            "10.2.2.0/24",
            "22",
        ));
        d.azure.nsgs[0].rules.push(nsg_rule(
            "in-b",
            200,
            Direction::Inbound,
            Access::Allow,
            "10.2.3.0/24",
            "22",
        ));
    });
    finds(
        &p,
        "SEC-003",
        Severity::Error,
        &["in-a", "in-b", "az-nsg-app"],
    );
    // Near miss: the reference uses priority 100 once inbound and once outbound.
    never(&reference(), "SEC-003");
}

#[test]
fn sec_004_shadowed_rules_by_set_reasoning() {
    // 10.2.0.0/16 on all ports shadows 10.2.1.0/25 on 22, although neither string contains the other.
    let p = plan(|d| {
        d.azure.nsgs[0].rules.push(nsg_rule(
            "in-wide",
            200,
            Direction::Inbound,
            Access::Deny,
            "10.2.0.0/16",
            "*",
        ));
        d.azure.nsgs[0].rules.push(nsg_rule(
            "in-narrow",
            300,
            Direction::Inbound,
            Access::Allow,
            "10.2.1.0/25",
            "22",
        ));
    });
    finds(&p, "SEC-004", Severity::Warning, &["in-narrow", "in-wide"]);
    // Two earlier rules together cover a later one: ports 0-1000 and 1001-65535.
    let p = plan(|d| {
        d.azure.nsgs[0].rules.push(nsg_rule(
            "in-low",
            200,
            Direction::Inbound,
            Access::Deny,
            "10.3.0.0/16",
            "0-1000",
        ));
        d.azure.nsgs[0].rules.push(nsg_rule(
            "in-high",
            210,
            Direction::Inbound,
            Access::Deny,
            "10.3.0.0/16",
            "1001-65535",
        ));
        d.azure.nsgs[0].rules.push(nsg_rule(
            "in-any",
            300,
            Direction::Inbound,
            Access::Allow,
            "10.3.4.0/24",
            "8080",
        ));
    });
    finds(&p, "SEC-004", Severity::Warning, &["in-any", "in-high"]);
    // Near miss: the later rule reaches outside the earlier one's addresses.
    let p = plan(|d| {
        d.azure.nsgs[0].rules.push(nsg_rule(
            "in-wide",
            200,
            Direction::Inbound,
            Access::Deny,
            "10.2.0.0/17",
            "*",
        ));
        d.azure.nsgs[0].rules.push(nsg_rule(
            "in-narrow",
            300,
            Direction::Inbound,
            Access::Allow,
            "10.2.0.0/16",
            "22",
        ));
    });
    never(&p, "SEC-004");
}

#[test]
fn sec_005_rules_broader_than_the_flow() {
    let p = plan(|d| d.azure.nsgs[0].rules[0].source_prefixes = vec![AddressPrefix::Any]);
    let f = finds(
        &p,
        "SEC-005",
        Severity::Warning,
        &["az-nsg-app-in-443", "az-nsg-app"],
    );
    assert_eq!(
        f.message,
        "Rule Allow-AWS-app-HTTPS-in (az-nsg-app-in-443) of NSG nsg-app (az-nsg-app) allows any source while the \
         declared flows it serves are narrower. Expected: the flows' own prefixes and ports."
    );
    assert_eq!(f.sources, vec!["AZ18".to_string()]);
    let p = plan(|d| d.aws.security_groups[0].ingress[0].ports = PortRange::ALL);
    let f = finds(
        &p,
        "SEC-005",
        Severity::Warning,
        &["aws-sg-app-in-443", "aws-sg-app"],
    );
    assert_eq!(
        f.message,
        "Inbound rule aws-sg-app-in-443 of security group app-sg (aws-sg-app) allows 10.1.1.0/24 on all ports \
         while the declared flows it serves are narrower. Expected: the flows' own prefixes and ports."
    );
    assert_eq!(f.sources, vec!["VPC3".to_string()]);
    never(&reference(), "SEC-005");
}

#[test]
fn sec_006_ranges_outside_the_plan() {
    let p = plan(|d| d.aws.security_groups[0].ingress[0].cidr = net("192.168.50.0/24"));
    finds(
        &p,
        "SEC-006",
        Severity::Warning,
        &["aws-sg-app-in-443", "aws-sg-app"],
    );
    never(&reference(), "SEC-006");
}

#[test]
fn sec_008_coverage_beyond_intent() {
    // Without the reference's explicit deny, its NSG admits everything from the VPC through AllowVNetInBound.
    let without_deny = plan(|d| {
        d.azure.nsgs[0]
            .rules
            .retain(|r| r.id.as_str() != "az-nsg-app-in-deny-aws")
    });
    let f = finds(
        &without_deny,
        "SEC-008",
        Severity::Info,
        &["az-nsg-app", "az-snet-app"],
    );
    assert!(f.message.contains("AllowVNetInBound"), "{}", f.message);
    // Near misses: the reference's deny of the rest of the VPC's traffic, or one written like it.
    never(&reference(), "SEC-008");
    let p = plan(|d| {
        d.azure.nsgs[0]
            .rules
            .retain(|r| r.id.as_str() != "az-nsg-app-in-deny-aws");
        d.azure.nsgs[0].rules.push(nsg_rule(
            "in-deny-aws",
            4000,
            Direction::Inbound,
            Access::Deny,
            "10.2.0.0/16",
            "*",
        ));
        d.azure.nsgs[0].rules.last_mut().unwrap().protocol = Protocol::Any;
    });
    never(&p, "SEC-008");
    // An IPv6 block of the VPC sends nothing into an IPv4 subnet: no packet has one family at each end, so the
    // reference stays clean, and an example is never such a packet.
    let dual =
        |d: &mut crate::model::Design| d.aws.vpcs[0].cidr_blocks.push(net("2600:1f18:1::/56"));
    never(&plan(dual), "SEC-008");
    let f = finds(
        &plan(|d| {
            dual(d);
            d.azure.nsgs[0]
                .rules
                .retain(|r| r.id.as_str() != "az-nsg-app-in-deny-aws")
        }),
        "SEC-008",
        Severity::Info,
        &["az-nsg-app"],
    );
    assert!(!f.message.contains("2600:"), "{}", f.message);
}

#[test]
fn sec_008_a_subnet_without_an_nsg_admits_everything() {
    // With no NSG Azure filters nothing: more than the partial NSG above admits, and reported the same way.
    let bare = |d: &mut crate::model::Design| {
        for subnet in &mut d.azure.vnets[0].subnets {
            if subnet.id.as_str() == "az-snet-app" {
                subnet.nsg = None;
            }
        }
    };
    let f = finds(
        &plan(bare),
        "SEC-008",
        Severity::Info,
        &["az-snet-app", "az-vnet"],
    );
    assert!(f.message.contains("has no NSG"), "{}", f.message);
    // Deleting the NSG leaves the subnet bare too.
    let mut deleted = reference();
    crate::edit::delete::delete(&mut deleted, &["az-nsg-app".to_string()]).unwrap();
    finds(&deleted, "SEC-008", Severity::Info, &["az-snet-app"]);
    // Near misses: GatewaySubnet, which takes no NSG (the reference leaves it bare), and a bare subnet in a VNet
    // no tunnel joins to the other cloud.
    never(&reference(), "SEC-008");
    let mut apart = plan(bare);
    crate::edit::delete::delete(
        &mut apart,
        &["aws-vpn-1".to_string(), "aws-vpn-2".to_string()],
    )
    .unwrap();
    never(&apart, "SEC-008");
    // Azure Firewall's subnets take no NSG either: renamed, the bare subnet is not told to get one.
    for name in ["AzureFirewallSubnet", "AzureFirewallManagementSubnet"] {
        let p = plan(|d| {
            bare(d);
            for subnet in &mut d.azure.vnets[0].subnets {
                if subnet.id.as_str() == "az-snet-app" {
                    subnet.name = name.into();
                }
            }
        });
        never(&p, "SEC-008");
    }
}

#[test]
fn sec_009_rule_quotas() {
    let grow = |n: usize| {
        plan(move |d| {
            let first = d.aws.security_groups[0].ingress[0].clone();
            d.aws.security_groups[0].ingress = (0..n)
                .map(|i| {
                    let mut r = first.clone();
                    r.id = format!("sg-in-{i}").as_str().into();
                    r.ports = PortRange::single(1000 + i as u16);
                    r
                })
                .collect();
            d.aws.security_groups[0].ingress.push(first);
        })
    };
    finds(&grow(60), "SEC-009", Severity::Error, &["aws-sg-app"]);
    never(&grow(59), "SEC-009");
    // IPv4 and IPv6 rules count separately [VPC1]: 60 of each is within the quota, 61 IPv6 is not.
    let dual = |v6: usize| {
        let mut p = grow(59);
        let sg = &mut p.design.aws.security_groups[0];
        let first = sg.ingress[0].clone();
        sg.ingress.extend((0..v6).map(|i| {
            let mut r = first.clone();
            r.id = format!("sg-in-v6-{i}").as_str().into();
            r.cidr = net("2600:1f18::/56");
            r.ports = PortRange::single(2000 + i as u16);
            r
        }));
        p
    };
    never(&dual(60), "SEC-009");
    let f = finds(&dual(61), "SEC-009", Severity::Error, &["aws-sg-app"]);
    assert!(f.message.contains("61 IPv6 inbound rules"), "{}", f.message);
}

#[test]
fn a_packet_from_one_address_family_to_the_other_is_refused_at_its_source() {
    let p = reference();
    for from in [
        Source::Address("10.1.1.10".parse().unwrap()),
        Source::Subnet("az-snet-app".into()),
    ] {
        let mixed = trace(
            &p,
            &Query {
                from,
                to: "fd00::1".parse().unwrap(),
                protocol: Protocol::Tcp,
                port: Some(443),
            },
        );
        assert!(!mixed.delivered());
        assert!(mixed.hops.is_empty(), "no hop is traced: {mixed:?}");
        match &mixed.verdict {
            crate::trace::Verdict::Blocked { reason, .. } => {
                assert!(reason.contains("one address family"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn the_gateway_subnet_and_an_address_no_subnet_holds_are_no_trace_ends() {
    // Nothing but the VPN gateway may be deployed in the GatewaySubnet [AZ2]: no packet of a flow starts or ends
    // there, by subnet id or by address.
    let p = reference();
    let query = |from: Source, to: &str| Query {
        from,
        to: to.parse().unwrap(),
        protocol: Protocol::Tcp,
        port: Some(443),
    };
    for (q, says) in [
        (
            query(Source::Subnet("az-snet-gateway".into()), "10.2.1.20"),
            "subnet az-snet-gateway is the GatewaySubnet",
        ),
        (
            query(Source::Address("10.1.255.4".parse().unwrap()), "10.2.1.20"),
            "10.1.255.4 is in the GatewaySubnet",
        ),
        (
            query(Source::Address("10.2.1.20".parse().unwrap()), "10.1.255.5"),
            "10.1.255.5 is in the GatewaySubnet",
        ),
    ] {
        let t = trace(&p, &q);
        assert!(t.hops.is_empty(), "{t:?}");
        match &t.verdict {
            Verdict::Blocked { reason, .. } => assert!(reason.contains(says), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
    // The app subnet next to it is traced as before.
    assert!(trace(
        &p,
        &query(Source::Address("10.1.1.4".parse().unwrap()), "10.2.1.20")
    )
    .delivered());
    // An address of the VPC that no subnet holds: nothing can receive it, and the trace says so.
    let nowhere = trace(
        &p,
        &query(Source::Subnet("az-snet-app".into()), "10.2.2.10"),
    );
    assert!(nowhere.hops.is_empty(), "{nowhere:?}");
    match &nowhere.verdict {
        Verdict::Blocked { reason, .. } => {
            assert!(
                reason.contains("no subnet of vpc-app (aws-vpc) holds 10.2.2.10"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }
    // A subnet's reserved addresses (the first four and the last) are no host's.
    for reserved in ["10.2.1.0", "10.2.1.1", "10.2.1.3", "10.2.1.255"] {
        let t = trace(&p, &query(Source::Subnet("az-snet-app".into()), reserved));
        match &t.verdict {
            Verdict::Blocked { hop, reason, .. } => {
                assert_eq!(hop, "destination");
                assert!(
                    reason.contains("reserves in subnet") && reason.contains("10.2.1.4"),
                    "{reason}"
                )
            }
            other => panic!("{reserved}: {other:?}"),
        }
    }
    assert!(trace(
        &p,
        &query(Source::Subnet("az-snet-app".into()), "10.2.1.254")
    )
    .delivered());
    // Nor a source.
    let t = trace(
        &p,
        &query(Source::Address("10.1.1.1".parse().unwrap()), "10.2.1.20"),
    );
    match &t.verdict {
        Verdict::Blocked { hop, reason, .. } => {
            assert_eq!(hop, "source");
            assert!(reason.contains("reserves in subnet"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    // An address outside every network is the routes' to decide: traced hop by hop.
    let outside = trace(&p, &query(Source::Subnet("az-snet-app".into()), "8.8.8.8"));
    assert!(!outside.hops.is_empty(), "{outside:?}");
}

#[test]
fn rt_006_declared_flows_whose_ends_no_machine_can_use() {
    // A plan file may declare flows the editor never offers. Each is blocked at the end at fault, with no hop
    // traced, and never reported as something else (a GatewaySubnet source used to come out as SEC-002).
    use crate::model::flow::FlowEndpoint;
    let subnet = |id: &str| FlowEndpoint::Subnet(id.into());
    let cidr = |c: &str| FlowEndpoint::Cidr(net(c));
    let with = |source: FlowEndpoint, destination: FlowEndpoint| {
        plan(|d| {
            d.flows[0].source = source;
            d.flows[0].destination = destination;
        })
    };
    for (source, destination, end, says, subject) in [
        (
            subnet("az-snet-gateway"),
            subnet("aws-snet-app"),
            "source",
            "the GatewaySubnet, which holds only the VPN gateway",
            "az-snet-gateway",
        ),
        (
            subnet("aws-snet-app"),
            subnet("az-snet-gateway"),
            "destination",
            "the GatewaySubnet",
            "az-snet-gateway",
        ),
        (
            cidr("10.1.255.8/29"),
            subnet("aws-snet-app"),
            "source",
            "the GatewaySubnet",
            "az-snet-gateway",
        ),
        (
            cidr("10.9.0.0/24"),
            subnet("aws-snet-app"),
            "source",
            "10.9.0.0/24 is not inside one network of the plan",
            "flow-azure-to-aws",
        ),
        (
            cidr("10.1.0.0/16"),
            subnet("aws-snet-app"),
            "source",
            "spans several subnets of",
            "az-vnet",
        ),
        (
            cidr("10.1.0.0/23"),
            subnet("aws-snet-app"),
            "source",
            "reaches beyond subnet",
            "az-snet-app",
        ),
        (
            subnet("az-snet-app"),
            cidr("10.2.9.0/24"),
            "destination",
            "holds 10.2.9.0/24: nothing there can send or receive",
            "aws-vpc",
        ),
        (
            cidr("10.1.1.0/32"),
            subnet("aws-snet-app"),
            "source",
            "holds only addresses the cloud reserves",
            "az-snet-app",
        ),
        (
            cidr("10.1.1.0/30"),
            subnet("aws-snet-app"),
            "source",
            "such as 10.1.1.4",
            "az-snet-app",
        ),
        (
            subnet("az-snet-app"),
            cidr("10.2.1.255/32"),
            "destination",
            "the first four and the last of 10.2.1.0/24",
            "aws-snet-app",
        ),
        (
            subnet("az-snet-app"),
            cidr("2600:1f18::/64"),
            "source",
            "a packet has one address family",
            "flow-azure-to-aws",
        ),
    ] {
        let case = format!("{source:?} -> {destination:?}");
        let p = with(source, destination);
        let f = finds(
            &p,
            "RT-006",
            Severity::Error,
            &["flow-azure-to-aws", subject],
        );
        assert!(f.message.contains(says), "{case}: {}", f.message);
        assert!(
            f.message
                .contains(&format!("blocked on its forward at the {end}")),
            "{case}: {}",
            f.message
        );
        assert!(
            f.message.contains("To let it through: declare"),
            "{case}: {}",
            f.message
        );
        // Nothing else is said about the flow: its ends are the problem.
        let others: Vec<_> = review(&p)
            .into_iter()
            .filter(|f| f.subjects[0] == "flow-azure-to-aws" && f.code != "RT-006")
            .collect();
        assert!(others.is_empty(), "{case}: {others:?}");
        let t = trace_flow(&p, "flow-azure-to-aws").unwrap();
        assert!(t.hops.is_empty(), "{case}: {t:?}");
        trace_agrees_with_review(&p);
    }
    // Ends a machine can use: the reference's subnets, part of one subnet, one host, and a destination beyond every
    // network (the routes decide: RT-001 when nothing leads through the VPN).
    never(&reference(), "RT-006");
    for (source, destination) in [
        (cidr("10.1.1.0/25"), subnet("aws-snet-app")),
        (cidr("10.1.1.4/32"), cidr("10.2.1.254/32")),
        (subnet("az-snet-app"), cidr("10.2.1.0/24")),
    ] {
        let case = format!("{source:?} -> {destination:?}");
        let p = with(source, destination);
        never(&p, "RT-006");
        assert!(
            trace_flow(&p, "flow-azure-to-aws").unwrap().delivered(),
            "{case}"
        );
    }
    let beyond = with(subnet("az-snet-app"), cidr("8.8.8.0/24"));
    never(&beyond, "RT-006");
    finds(&beyond, "RT-001", Severity::Error, &["flow-azure-to-aws"]);
}

#[test]
fn a_packet_trace_names_each_hop_and_the_blocking_rule() {
    let p = reference();
    let query = |port| Query {
        from: Source::Address("10.1.1.10".parse().unwrap()),
        to: "10.2.1.20".parse().unwrap(),
        protocol: Protocol::Tcp,
        port: Some(port),
    };
    let ok = trace(&p, &query(443));
    assert!(ok.delivered(), "{ok:?}");
    let hops: Vec<&str> = ok.hops.iter().map(|h| h.hop.as_str()).collect();
    assert_eq!(
        hops,
        [
            "source outbound rules",
            "route table",
            "gateway",
            "tunnel",
            "far network",
            "destination inbound rules",
            "route table",
            "gateway",
            "tunnel",
            "far network"
        ]
    );
    // Port 22: the NSG's own outbound rule is for 443, but the default AllowVnetOutBound (65000) lets it out
    // because the VirtualNetwork tag includes the VPC [AZ18]; the AWS security group stops it.
    match trace(&p, &query(22)).verdict {
        Verdict::Blocked {
            hop, code, changes, ..
        } => {
            assert_eq!(hop, "destination inbound rules");
            assert_eq!(code.as_deref(), Some("SEC-002"));
            assert!(!changes.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_tunnel_that_cannot_come_up_blocks_the_trace_without_a_second_finding() {
    // Every AWS tunnel hardened to DH 20 while Azure's policy says DHGroup14: phase 1 fails on all four.
    let p = plan(|d| {
        for v in &mut d.aws.vpn_connections {
            for t in &mut v.tunnels {
                t.phase1_dh_groups = vec![20];
            }
        }
    });
    let t = trace_flow(&p, "flow-azure-to-aws").unwrap();
    match &t.verdict {
        Verdict::Blocked {
            hop, code, reason, ..
        } => {
            assert_eq!(hop, "tunnel");
            assert_eq!(*code, None);
            assert!(reason.contains("IKE-001"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    finds(&p, "IKE-001", Severity::Error, &["aws-vpn-1"]);
    never(&p, "RT-001");
}

/// The trace's verdict for every declared flow agrees with the review: a blocking code is in the review, and a
/// delivered flow has no RT/SEC error naming it.
pub(crate) fn trace_agrees_with_review(p: &Plan) {
    // Tracing all declared flows at once gives exactly what tracing each one does.
    let all = crate::trace::trace_declared_flows(p);
    assert_eq!(all.len(), p.design.flows.len());
    for (id, traced) in &all {
        assert_eq!(traced, &trace_flow(p, id), "{id}");
    }
    let findings = review(p);
    for flow in &p.design.flows {
        let Some(t) = trace_flow(p, flow.id.as_str()) else {
            continue;
        };
        let about_flow: Vec<&Finding> = findings
            .iter()
            .filter(|f| {
                f.subjects.first().map(String::as_str) == Some(flow.id.as_str())
                    && f.severity == Severity::Error
            })
            .collect();
        match &t.verdict {
            Verdict::Delivered => assert!(about_flow.is_empty(), "{}: {about_flow:?}", flow.id),
            Verdict::Blocked {
                code: Some(code), ..
            } => {
                assert!(
                    about_flow.iter().any(|f| &f.code == code),
                    "{}: {code} missing",
                    flow.id
                )
            }
            Verdict::Blocked { code: None, .. } => assert!(about_flow.is_empty()),
        }
    }
}

#[test]
fn an_error_stops_the_tunnels_it_names_and_no_others() {
    use crate::review::context::Context;
    use crate::trace::tunnels_down;
    let p = reference();
    let context = Context::new(&p);
    let error = |code: &str, subjects: &[&str]| {
        let mut f = Finding::new(code, Severity::Error, "test");
        for s in subjects {
            f = f.subject(*s);
        }
        f
    };
    // Which links (by Azure connection) each error stops.
    let stopped = |context: &Context, findings: &[Finding]| -> Vec<String> {
        tunnels_down(context, findings)
            .iter()
            .zip(&context.links)
            .filter(|(codes, _)| !codes.is_empty())
            .map(|(_, l)| l.connection.id.as_str().to_string())
            .collect()
    };
    // A key or proposal mismatch on one tunnel names its Azure connection and the VPN connection: the VPN
    // connection's other tunnel stays up.
    assert_eq!(
        stopped(
            &context,
            &[error("TUN-006", &["az-conn-vpn-1-t1", "aws-vpn-1"])]
        ),
        ["az-conn-vpn-1-t1"]
    );
    // An error about the VPN connection alone stops both of its tunnels.
    assert_eq!(
        stopped(&context, &[error("TUN-005", &["aws-vpn-1"])]),
        ["az-conn-vpn-1-t1", "az-conn-vpn-1-t2"]
    );
    // A BGP error naming the gateways stops every link running BGP through them ...
    assert_eq!(
        stopped(&context, &[error("BGP-001", &["az-vpngw", "aws-vgw"])]).len(),
        4
    );
    // ... but an error naming a gateway and one tunnel's connection stops that tunnel, one naming a gateway and a
    // VPN connection stops that connection's tunnels, and one naming a gateway this link does not end on (BGP-001
    // between the Azure gateway and another VGW) stops none of these.
    assert_eq!(
        stopped(
            &context,
            &[error("BGP-006", &["az-conn-vpn-1-t1", "az-vpngw"])]
        ),
        ["az-conn-vpn-1-t1"]
    );
    assert_eq!(
        stopped(&context, &[error("BGP-008", &["aws-vpn-1", "az-vpngw"])]),
        ["az-conn-vpn-1-t1", "az-conn-vpn-1-t2"]
    );
    assert!(stopped(
        &context,
        &[error("BGP-001", &["az-vpngw", "aws-vgw-other"])]
    )
    .is_empty());
    // ... and none that routes statically; nor does a warning, nor an error of another family.
    let fixed = template("static").unwrap();
    let static_context = Context::new(&fixed);
    assert!(stopped(
        &static_context,
        &[error("BGP-001", &["az-vpngw", "aws-vgw"])]
    )
    .is_empty());
    let mut warning = error("TUN-007", &["aws-vpn-1"]);
    warning.severity = Severity::Warning;
    assert!(stopped(&context, &[warning, error("GW-007", &["aws-vpn-1"])]).is_empty());
}

#[test]
fn trace_and_review_agree_on_mutated_plans() {
    trace_agrees_with_review(&reference());
    trace_agrees_with_review(&plan(|d| d.azure.nsgs[0].rules[0].access = Access::Deny));
    trace_agrees_with_review(&plan(|d| d.aws.route_tables[0].propagating_vgws.clear()));
    trace_agrees_with_review(&plan(|d| d.aws.security_groups[0].ingress.clear()));
}

#[test]
fn an_extra_aws_value_azure_lacks_is_reported_but_does_not_bring_the_tunnel_down() {
    // SHA2-512 has no Azure name (IKE-003), but SHA2-256 still matches Azure's policy.
    let p = plan(|d| {
        for v in &mut d.aws.vpn_connections {
            for t in &mut v.tunnels {
                t.phase1_integrity = vec![
                    crate::model::aws::Integrity::Sha2_256,
                    crate::model::aws::Integrity::Sha2_512,
                ];
            }
        }
    });
    finds(&p, "IKE-003", Severity::Error, &["aws-vpn-1"]);
    never(&p, "IKE-001");
    assert!(trace_flow(&p, "flow-azure-to-aws").unwrap().delivered());
}

// ---------------------------------------------------------------- network ACLs (SEC-007, SEC-002)

fn nacl_entry(
    rule_number: u16,
    action: aws::NaclAction,
    ports: &str,
    cidr: &str,
) -> aws::NetworkAclEntry {
    aws::NetworkAclEntry {
        rule_number,
        action,
        protocol: Protocol::Tcp,
        ports: ports.parse().unwrap(),
        cidr: net(cidr),
    }
}

/// A network ACL on the reference's AWS app subnet admitting HTTPS from and to the Azure space, with (or
/// without) the entries for the replies to ephemeral ports that a stateless ACL needs.
fn nacl(ephemeral: bool) -> aws::NetworkAcl {
    use aws::NaclAction::Allow;
    let mut ingress = vec![nacl_entry(100, Allow, "443", "10.1.0.0/16")];
    let mut egress = vec![nacl_entry(100, Allow, "443", "10.1.0.0/16")];
    if ephemeral {
        ingress.push(nacl_entry(200, Allow, "1024-65535", "10.1.0.0/16"));
        egress.push(nacl_entry(200, Allow, "1024-65535", "10.1.0.0/16"));
    }
    aws::NetworkAcl {
        id: "aws-nacl-app".into(),
        name: "nacl-app".into(),
        vpc: "aws-vpc".into(),
        subnets: vec!["aws-snet-app".into()],
        ingress,
        egress,
    }
}

#[test]
fn sec_007_network_acl_rule_numbers_kb41() {
    for bad in [0, 32767] {
        let p = plan(|d| {
            let mut acl = nacl(true);
            acl.ingress[1].rule_number = bad;
            d.aws.network_acls.push(acl);
        });
        let f = finds(&p, "SEC-007", Severity::Error, &["aws-nacl-app"]);
        assert!(
            f.message.contains(&format!("rule number {bad};")) && f.message.contains("1–32766"),
            "{}",
            f.message
        );
        assert_eq!(f.sources, vec!["VPC4"]);
    }
    // Near miss: the ends of the accepted range.
    for good in [1, 32766] {
        never(
            &plan(|d| {
                let mut acl = nacl(true);
                acl.egress[1].rule_number = good;
                d.aws.network_acls.push(acl);
            }),
            "SEC-007",
        );
    }
    // Two entries of one direction with one number (QA s16: the exports named two resources alike and
    // `terraform validate` failed). The fix numbers the second with a free number.
    let p = plan(|d| {
        let mut acl = nacl(true);
        acl.ingress[1].rule_number = 100;
        d.aws.network_acls.push(acl);
    });
    let f = finds(&p, "SEC-007", Severity::Error, &["aws-nacl-app"]);
    assert!(
        f.message.contains("both have rule number 100"),
        "{}",
        f.message
    );
    let fixed = crate::edit::fields::apply_fix(&p, f.fix.as_ref().expect("a fix")).unwrap();
    never(&fixed, "SEC-007");
    // The same number in the other direction is fine.
    never(
        &plan(|d| {
            let mut acl = nacl(true);
            acl.egress[1].rule_number = 100;
            acl.egress[0].rule_number = 300;
            d.aws.network_acls.push(acl);
        }),
        "SEC-007",
    );
    // A subnet in two ACLs is refused when the plan is loaded: a subnet has exactly one network ACL [VPC4].
    let mut p = reference();
    p.design.aws.network_acls.push(nacl(true));
    let mut second = nacl(true);
    second.id = "aws-nacl-two".into();
    p.design.aws.network_acls.push(second);
    let error = crate::load_plan(&p.to_json()).unwrap_err();
    assert!(
        error
            .problems
            .iter()
            .any(|x| x.path == "$.design.aws.network_acls[1].subnets[0]"
                && x.message.contains("exactly one network ACL")),
        "{error}"
    );
}

#[test]
fn the_reference_with_a_complete_network_acl_keeps_its_findings() {
    let with_acl = plan(|d| d.aws.network_acls.push(nacl(true)));
    assert_eq!(review(&with_acl), review(&reference()));
    trace_agrees_with_review(&with_acl);
    // An ACL associated with no subnet changes nothing: the subnet keeps the default ACL, which allows all.
    let unassociated = plan(|d| {
        let mut acl = nacl(false);
        acl.subnets.clear();
        d.aws.network_acls.push(acl);
    });
    assert_eq!(review(&unassociated), review(&reference()));
}

#[test]
fn sec_010_network_acls_are_stateless_replies_need_ephemeral_ports() {
    let p = plan(|d| d.aws.network_acls.push(nacl(false)));
    // Azure → AWS: the request passes, the replies leaving the AWS subnet to ephemeral ports do not.
    let f = finds(
        &p,
        "SEC-002",
        Severity::Error,
        &["flow-azure-to-aws", "aws-nacl-app", "aws-snet-app"],
    );
    assert!(f.message.contains("return path"), "{}", f.message);
    assert!(f.message.contains("ephemeral"), "{}", f.message);
    // AWS → Azure: the replies entering the AWS subnet are refused the same way.
    finds(
        &p,
        "SEC-002",
        Severity::Error,
        &["flow-aws-to-azure", "aws-nacl-app"],
    );
    trace_agrees_with_review(&p);
    let t = trace_flow(&p, "flow-azure-to-aws").unwrap();
    assert!(
        t.hops
            .iter()
            .any(|h| h.hop == "destination network ACL" && h.passed),
        "{t:?}"
    );
    // Return entries for 32768–65535 serve the Linux and Windows clients the flows start on (audit s18); ones for
    // 49152–65535 (Windows only) leave Linux clients' replies blocked.
    for (from, blocked) in [(32768, false), (49152, true)] {
        let p = plan(|d| {
            let mut acl = nacl(true);
            for e in acl.ingress.iter_mut().chain(acl.egress.iter_mut()) {
                if e.ports.to == 65535 && e.ports.from == 1024 {
                    e.ports.from = from;
                }
            }
            d.aws.network_acls.push(acl);
        });
        assert_eq!(
            review(&p).iter().any(|f| f.code == "SEC-002"),
            blocked,
            "{from}: {:?}",
            review(&p)
        );
    }
}

#[test]
fn sec_010_lowest_rule_number_first_match_wins() {
    use aws::NaclAction::{Allow, Deny};
    // A deny numbered before the allow decides the forward packets.
    let p = plan(|d| {
        let mut acl = nacl(true);
        acl.ingress.push(nacl_entry(50, Deny, "443", "10.1.1.0/24"));
        d.aws.network_acls.push(acl);
    });
    let f = finds(
        &p,
        "SEC-002",
        Severity::Error,
        &["flow-azure-to-aws", "aws-nacl-app", "aws-snet-app"],
    );
    assert!(
        f.message.contains("forward") && f.message.contains("entry 50"),
        "{}",
        f.message
    );
    // Near miss: numbered after the allow, the deny never decides.
    never(
        &plan(|d| {
            let mut acl = nacl(true);
            acl.ingress
                .push(nacl_entry(150, Deny, "443", "10.1.1.0/24"));
            acl.ingress
                .push(nacl_entry(300, Allow, "22", "10.1.1.0/24"));
            d.aws.network_acls.push(acl);
        }),
        "SEC-002",
    );
}

#[test]
fn sec_007_nsg_rule_names_azure_refuses_az18() {
    let long = "a".repeat(81);
    for bad in [
        "Allow HTTPS",
        "-starts-with-a-dash",
        "ends.with.a.dot.",
        long.as_str(),
        "Ünïcode",
        "quote\"d",
        "",
    ] {
        let p = plan(|d| d.azure.nsgs[0].rules[0].name = bad.into());
        let f = finds(&p, "SEC-007", Severity::Error, &["az-nsg-app"]);
        assert!(
            f.message.contains("Rule az-nsg-app-in-443 (priority 100)")
                && f.message.contains("Azure refuses"),
            "{}",
            f.message
        );
        assert_eq!(f.sources, vec!["AZ18"]);
        // The fix renames the rule to a name Azure accepts, unique in the NSG, and the finding goes.
        let fix = f.fix.clone().expect("a fix");
        let fixed = crate::edit::fields::apply_fix(&p, &fix).expect("the fix applies");
        let name = &fixed.design.azure.nsgs[0].rules[0].name;
        assert_eq!(
            crate::review::security::nsg_rule_name_problem(name),
            None,
            "{bad:?} → {name:?}"
        );
        assert!(name.chars().count() <= 80);
        never(&fixed, "SEC-007");
    }
    // Near misses: the edges of what Azure accepts.
    let longest = "b".repeat(80);
    for good in ["a", "x_", "_x", "Allow-AWS.HTTPS_in", longest.as_str()] {
        never(
            &plan(|d| d.azure.nsgs[0].rules[0].name = good.into()),
            "SEC-007",
        );
    }
}

#[test]
fn fixed_nsg_rule_names_never_collide_with_the_other_rules() {
    use crate::review::security::nsg_rule_name_fixed;
    assert_eq!(
        nsg_rule_name_fixed("Allow HTTPS", "rule-100", &[]),
        "Allow-HTTPS"
    );
    assert_eq!(
        nsg_rule_name_fixed("Allow HTTPS", "rule-100", &["Allow-HTTPS"]),
        "Allow-HTTPS-2"
    );
    assert_eq!(nsg_rule_name_fixed("---", "rule-100", &[]), "rule-100");
    let long = "c".repeat(100);
    let taken = "c".repeat(80);
    let fixed = nsg_rule_name_fixed(&long, "rule-100", &[taken.as_str()]);
    assert_eq!(fixed.chars().count(), 80);
    assert!(fixed.ends_with("-2"));
}

#[test]
fn rt005_routes_a_cloud_refuses_and_routes_it_accepts() {
    // Routes the clouds accept: distinct prefixes and names, an appliance with its address.
    let fine = plan(|d| {
        let routes = &mut d.azure.route_tables[0].routes;
        routes.push(user_route(
            "10.2.0.0/16",
            NextHopType::VirtualNetworkGateway,
        ));
        routes.push(user_route("192.168.0.0/16", NextHopType::VirtualAppliance));
        d.aws.route_tables[0].routes.push(aws::Route {
            destination: net("10.1.0.0/16"),
            target: RouteTarget::VpnGateway(d.aws.vpn_gateways[0].id.clone()),
        });
    });
    never(&fine, "RT-005");
    never(&reference(), "RT-005");
    never(&template("static").unwrap(), "RT-005");

    // Two Azure routes for one prefix.
    let twice = plan(|d| {
        let routes = &mut d.azure.route_tables[0].routes;
        routes.push(user_route(
            "10.2.0.0/16",
            NextHopType::VirtualNetworkGateway,
        ));
        let mut second = user_route("10.2.0.0/16", NextHopType::None);
        second.name = "blackhole".into();
        routes.push(second);
    });
    let f = finds(&twice, "RT-005", Severity::Error, &["az-rt-app"]);
    assert!(
        f.message
            .contains("routes[0] and routes[1] are both for 10.2.0.0/16"),
        "{}",
        f.message
    );
    // Two with one name.
    let named = plan(|d| {
        let routes = &mut d.azure.route_tables[0].routes;
        routes.push(user_route(
            "10.2.0.0/16",
            NextHopType::VirtualNetworkGateway,
        ));
        let mut second = user_route("10.3.0.0/16", NextHopType::VirtualNetworkGateway);
        second.name = routes[0].name.clone();
        routes.push(second);
    });
    assert!(finds(&named, "RT-005", Severity::Error, &["az-rt-app"])
        .message
        .contains("both named"));
    // An appliance with no address, and an address on another type (with a fix that clears it).
    let no_address = plan(|d| {
        let mut route = user_route("192.168.0.0/16", NextHopType::VirtualAppliance);
        route.next_hop_ip = None;
        d.azure.route_tables[0].routes.push(route);
    });
    assert!(
        finds(&no_address, "RT-005", Severity::Error, &["az-rt-app"])
            .message
            .contains("names no appliance")
    );
    let stale = plan(|d| {
        let mut route = user_route("192.168.0.0/16", NextHopType::Internet);
        route.next_hop_ip = Some("10.1.1.4".parse().unwrap());
        d.azure.route_tables[0].routes.push(route);
    });
    let f = finds(&stale, "RT-005", Severity::Error, &["az-rt-app"]);
    let fixed = crate::edit::fields::apply_fix(&stale, f.fix.as_ref().expect("a fix")).unwrap();
    assert_eq!(
        fixed.design.azure.route_tables[0].routes[0].next_hop_ip,
        None
    );
    never(&fixed, "RT-005");
    // Two AWS routes to one destination.
    let aws_twice = plan(|d| {
        let vgw = d.aws.vpn_gateways[0].id.clone();
        let routes = &mut d.aws.route_tables[0].routes;
        routes.push(aws::Route {
            destination: net("10.1.0.0/16"),
            target: RouteTarget::VpnGateway(vgw),
        });
        routes.push(aws::Route {
            destination: net("10.1.0.0/16"),
            target: RouteTarget::Blackhole,
        });
    });
    let f = finds(&aws_twice, "RT-005", Severity::Error, &["aws-rt-app"]);
    assert!(f.message.contains("RouteAlreadyExists"), "{}", f.message);
    assert_eq!(f.sources, vec!["AWS9".to_string()]);
}

#[test]
fn rt003_for_a_user_route_to_vnet_local_blames_the_route_not_the_address_spaces() {
    let p = plan(|d| {
        d.azure.route_tables[0]
            .routes
            .push(user_route("10.2.1.0/24", NextHopType::VnetLocal));
    });
    let f = finds(&p, "RT-003", Severity::Error, &["az-rt-app"]);
    assert!(!f.message.contains("overlap"), "{}", f.message);
    assert!(
        f.message.contains("remove or change the user route"),
        "{}",
        f.message
    );
}

/// Every Azure connection policy-based with one custom pair, and the AWS connections set to the same pair (so
/// TUN-013 is quiet and only the flow is at stake).
fn selectors_everywhere(d: &mut crate::model::Design, azure: &str, aws: &str) {
    for c in &mut d.azure.connections {
        c.use_policy_based_traffic_selectors = true;
        c.traffic_selector_policies = vec![azure::TrafficSelectorPolicy {
            local_prefixes: vec![net(azure)],
            remote_prefixes: vec![net(aws)],
        }];
    }
    for v in &mut d.aws.vpn_connections {
        v.local_ipv4_network_cidr = net(azure);
        v.remote_ipv4_network_cidr = net(aws);
    }
}

#[test]
fn tun_014_a_declared_flow_outside_every_tunnels_selectors() {
    // The SAs carry 10.1.2.0/24 ⇄ 10.2.1.0/24; the app subnet is 10.1.1.0/24: both declared flows (one each
    // way) have tunnels that are up, and none of them carries the flow [AZ5] [AWS10].
    let p = plan(|d| selectors_everywhere(d, "10.1.2.0/24", "10.2.1.0/24"));
    never(&p, "TUN-012");
    never(&p, "TUN-013");
    for flow in ["flow-azure-to-aws", "flow-aws-to-azure"] {
        let f = finds(
            &p,
            "TUN-014",
            Severity::Error,
            &[flow, "aws-vpn-1", "aws-vpn-2"],
        );
        assert!(
            f.message.contains("10.1.2.0/24 ⇄ 10.2.1.0/24")
                && f.message.contains("use route-based traffic selectors"),
            "{}",
            f.message
        );
        assert_eq!(f.sources, ["AZ5", "AWS10"]);
    }
    let t = trace_flow(&p, "flow-azure-to-aws").unwrap();
    match &t.verdict {
        Verdict::Blocked {
            hop,
            code,
            direction,
            reason,
            ..
        } => {
            assert_eq!((hop.as_str(), code.as_deref()), ("tunnel", Some("TUN-014")));
            assert_eq!(*direction, crate::trace::Direction::Forward);
            assert!(reason.contains("10.1.1.0/24 → 10.2.1.0/24"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    trace_agrees_with_review(&p);
    // The AWS side alone narrowed (route-based Azure): the SA is what both accept, and it leaves the flow out.
    let aws_only = plan(|d| {
        for v in &mut d.aws.vpn_connections {
            v.local_ipv4_network_cidr = net("10.1.2.0/24");
        }
    });
    finds(
        &aws_only,
        "TUN-014",
        Severity::Error,
        &["flow-azure-to-aws"],
    );
    // Selectors that do not overlap at all negotiate nothing, and say so.
    let disjoint = plan(|d| {
        selectors_everywhere(d, "10.1.0.0/16", "10.2.0.0/16");
        for v in &mut d.aws.vpn_connections {
            v.local_ipv4_network_cidr = net("10.9.0.0/16");
        }
    });
    let f = finds(
        &disjoint,
        "TUN-014",
        Severity::Error,
        &["flow-azure-to-aws"],
    );
    assert!(f.message.contains("do not overlap"), "{}", f.message);
}

#[test]
fn tun_014_near_misses_selectors_that_include_the_flow() {
    // The reference: route-based, AWS's 0.0.0.0/0 each way.
    never(&reference(), "TUN-014");
    // One pair wide enough for both flows, each way.
    let wide = plan(|d| selectors_everywhere(d, "10.1.0.0/16", "10.2.0.0/16"));
    never(&wide, "TUN-014");
    assert!(trace_flow(&wide, "flow-aws-to-azure").unwrap().delivered());
    // Exactly the two subnets.
    never(
        &plan(|d| selectors_everywhere(d, "10.1.1.0/24", "10.2.1.0/24")),
        "TUN-014",
    );
    // Azure ResponderOnly never proposes its custom pair: AWS initiates with its own (any to any), which Azure
    // accepts [AZ5].
    never(
        &plan(|d| {
            selectors_everywhere(d, "10.1.2.0/24", "10.2.1.0/24");
            for v in &mut d.aws.vpn_connections {
                v.local_ipv4_network_cidr = net("0.0.0.0/0");
                v.remote_ipv4_network_cidr = net("0.0.0.0/0");
                for t in &mut v.tunnels {
                    t.startup_action = aws::StartupAction::Start;
                }
            }
            for c in &mut d.azure.connections {
                c.connection_mode = azure::ConnectionMode::ResponderOnly;
            }
        }),
        "TUN-014",
    );
}

#[test]
fn tun_014_some_tunnels_leaving_the_flow_out_lose_what_is_sent_into_them() {
    // Only the first AWS connection's tunnels narrowed: the gateway still sends part of the flow into them (a VGW
    // picks one tunnel [AWS9]), so the flow is blocked, naming only the narrowed tunnels and their Azure end.
    let half = plan(|d| {
        for c in &mut d.azure.connections {
            if c.id.as_str().contains("vpn-1") {
                c.use_policy_based_traffic_selectors = true;
                c.traffic_selector_policies = vec![azure::TrafficSelectorPolicy {
                    local_prefixes: vec![net("10.1.2.0/24")],
                    remote_prefixes: vec![net("10.2.1.0/24")],
                }];
            }
        }
    });
    let f = finds(
        &half,
        "TUN-014",
        Severity::Error,
        &["flow-azure-to-aws", "aws-vpn-1"],
    );
    assert!(
        !f.subjects.iter().any(|s| s.contains("vpn-2")),
        "{:?}",
        f.subjects
    );
    assert!(
        f.message.contains("some tunnels that are up leave")
            && f.message
                .contains("only tunnel 1 of vpn-azure-vpn-2 (aws-vpn-2)"),
        "{}",
        f.message
    );
    // Azure's pair is what leaves it out (AWS's CIDRs are the default): only the connections are to change.
    assert!(
        f.message
            .contains("connections az-conn-vpn-1-t1, az-conn-vpn-1-t2: use route-based")
            && !f.message.contains("VPN connection"),
        "{}",
        f.message
    );
    trace_agrees_with_review(&half);
    // The AWS side narrowed on a wide Azure pair: only the VPN connections are named.
    let aws_side = plan(|d| {
        selectors_everywhere(d, "10.1.0.0/16", "10.2.0.0/16");
        d.aws.vpn_connections[0].local_ipv4_network_cidr = net("10.1.2.0/24");
    });
    let f = finds(
        &aws_side,
        "TUN-014",
        Severity::Error,
        &["flow-azure-to-aws", "aws-vpn-1"],
    );
    assert!(
        f.message
            .contains("VPN connection aws-vpn-1: local and remote")
            && !f.message.contains("use route-based"),
        "{}",
        f.message
    );
}

#[test]
fn an_ipv6_rule_neither_lets_in_nor_stops_an_ipv4_flow() {
    // A security group rule for ::/0 admits IPv6 only: the IPv4 flow from Azure is not allowed in (SEC-002),
    // as the deployed group would drop it.
    let sg = plan(|d| {
        for rule in &mut d.aws.security_groups[0].ingress {
            rule.cidr = net("::/0");
        }
    });
    finds(&sg, "SEC-002", Severity::Error, &["flow-azure-to-aws"]);
    // An NSG deny for ::/0 ahead of the allow stops IPv6 only: the IPv4 flow still gets out and in.
    let nsg = plan(|d| {
        for direction in [Direction::Inbound, Direction::Outbound] {
            let mut rule = nsg_rule("deny-v6", 150, direction, Access::Deny, "::/0", "*");
            rule.destination_prefixes = vec![AddressPrefix::Any];
            d.azure.nsgs[0].rules.push(rule);
        }
    });
    never(&nsg, "SEC-001");
    assert!(trace_flow(&nsg, "flow-azure-to-aws").unwrap().delivered());
    assert!(trace_flow(&nsg, "flow-aws-to-azure").unwrap().delivered());
}

#[test]
fn an_ipv6_flow_does_not_cross_a_vpn_to_a_virtual_private_gateway() {
    // Dual-stack on both sides, the app subnets IPv6, the rules open for them: BGP would learn the prefixes, but a
    // VGW has no IPv6 VPN [AWS1] [AWS3], so the flow stops at the tunnel (TUN-014).
    let p = plan(|d| {
        d.azure.vnets[0].address_space.push(net("fd00:1::/48"));
        d.azure.vnets[0].subnets[0].cidr = net("fd00:1::/64");
        d.aws.vpcs[0].cidr_blocks.push(net("2600:1f18:1::/56"));
        d.aws.vpcs[0].subnets[0].cidr = net("2600:1f18:1::/64");
    });
    let t = trace_flow(&p, "flow-azure-to-aws").unwrap();
    match &t.verdict {
        Verdict::Blocked {
            hop, code, reason, ..
        } => {
            assert_eq!((hop.as_str(), code.as_deref()), ("tunnel", Some("TUN-014")));
            assert!(reason.contains("IPv4 only"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    finds(
        &p,
        "TUN-014",
        Severity::Error,
        &["flow-azure-to-aws", "aws-vpn-1"],
    );
}
