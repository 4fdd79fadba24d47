use super::*;
use crate::model::common::Endpoint;
use std::net::Ipv4Addr;

#[test]
fn the_reference_is_the_design_of_the_brief() {
    let d = reference().design;
    let vnet = &d.azure.vnets[0];
    assert_eq!(vnet.address_space[0].to_string(), "10.1.0.0/16");
    let names: Vec<(&str, String)> = vnet
        .subnets
        .iter()
        .map(|s| (s.name.as_str(), s.cidr.to_string()))
        .collect();
    assert_eq!(
        names,
        [
            ("snet-app", "10.1.1.0/24".to_string()),
            ("GatewaySubnet", "10.1.255.0/27".to_string())
        ]
    );
    let gw = &d.azure.vpn_gateways[0];
    assert!(gw.active_active && gw.bgp_enabled);
    assert_eq!(gw.asn.0, 65515);
    assert_eq!(gw.ip_configurations.len(), 2);
    assert_eq!(d.azure.public_ips.len(), 2);
    assert_eq!(d.aws.vpcs[0].cidr_blocks[0].to_string(), "10.2.0.0/16");
    assert_eq!(d.aws.vpcs[0].subnets[0].cidr.to_string(), "10.2.1.0/24");
    assert_eq!(d.aws.vpn_gateways[0].amazon_side_asn.0, 64512);
    assert_eq!(d.aws.customer_gateways.len(), 2);
    assert_eq!(d.aws.vpn_connections.len(), 2);
    assert_eq!(d.azure.local_network_gateways.len(), 4);
    assert_eq!(d.azure.connections.len(), 4);
    assert_eq!(d.flows.len(), 2);
    assert!(d.aws.customer_gateways.iter().all(|c| c.bgp_asn == gw.asn));
}

/// AWS takes the first host of each inside /30 and Azure the second [AZ1] [AWS12]; the Azure APIPA addresses are
/// in 169.254.21.0–169.254.22.255 [AZ1] [AZ3]; each LNG peers with the AWS address of its own tunnel.
#[test]
fn the_reference_inside_addresses_agree_on_both_sides() {
    let d = reference().design;
    let apipa_range = (
        Ipv4Addr::new(169, 254, 21, 0),
        Ipv4Addr::new(169, 254, 22, 255),
    );
    let mut all_apipa = Vec::new();
    for config in &d.azure.vpn_gateways[0].ip_configurations {
        for a in &config.apipa_addresses {
            assert!(*a >= apipa_range.0 && *a <= apipa_range.1, "{a}");
            all_apipa.push(*a);
        }
    }
    assert_eq!(all_apipa.len(), 4);
    for (instance, conn) in d.aws.vpn_connections.iter().enumerate() {
        let apipa = &d.azure.vpn_gateways[0].ip_configurations[instance].apipa_addresses;
        for (t, tunnel) in conn.tunnels.iter().enumerate() {
            let net = match tunnel.inside_cidr.unwrap() {
                ipnet::IpNet::V4(n) => n,
                other => panic!("{other}"),
            };
            assert_eq!(net.prefix_len(), 30);
            let base = u32::from(net.network());
            let aws_ip = Ipv4Addr::from(base + 1);
            let azure_ip = Ipv4Addr::from(base + 2);
            assert!(
                apipa.contains(&azure_ip),
                "instance {instance} lacks {azure_ip}"
            );
            let lng = d.azure.local_network_gateways.iter().find(|l| {
                l.gateway_address
                    == Endpoint::AwsTunnelOutside {
                        vpn_connection: conn.id.clone(),
                        tunnel: t as u8 + 1,
                    }
            });
            let lng = lng.expect("an LNG per AWS tunnel");
            assert_eq!(
                lng.bgp.as_ref().unwrap().peering_address,
                std::net::IpAddr::V4(aws_ip)
            );
            let azure_conn = d
                .azure
                .connections
                .iter()
                .find(|c| c.local_network_gateway == lng.id)
                .unwrap();
            let custom = azure_conn.custom_bgp_addresses.as_ref().unwrap();
            let used = if instance == 0 {
                custom.primary_address
            } else {
                custom.secondary_address.unwrap()
            };
            assert_eq!(
                used, azure_ip,
                "{} uses the wrong APIPA address",
                azure_conn.id
            );
        }
    }
}

#[test]
fn the_static_template_routes_statically_on_both_sides() {
    let d = template("static").unwrap().design;
    assert!(!d.azure.vpn_gateways[0].bgp_enabled);
    assert!(d
        .azure
        .connections
        .iter()
        .all(|c| !c.bgp_enabled && c.custom_bgp_addresses.is_none()));
    assert!(d
        .azure
        .local_network_gateways
        .iter()
        .all(|l| l.bgp.is_none()
            && l.address_prefixes
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                == ["10.2.0.0/16"]));
    for conn in &d.aws.vpn_connections {
        assert!(conn.static_routes_only);
        assert_eq!(conn.static_routes[0].to_string(), "10.1.0.0/16");
    }
}

#[test]
fn templates_hold_no_secrets() {
    for name in TEMPLATE_NAMES {
        let d = template(name).unwrap().design;
        assert!(d.azure.connections.iter().all(|c| c.shared_key.is_none()));
        assert!(d
            .aws
            .vpn_connections
            .iter()
            .flat_map(|c| &c.tunnels)
            .all(|t| t.pre_shared_key.is_none()));
    }
}
