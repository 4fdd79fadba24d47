//! The side panel's view of one object: its kind, its name, and every property as a flat list of rows, with
//! secrets masked. Generic over the model through serde, so a field added to the model shows up without UI work.

use crate::load::JsonPath;
use crate::model::secrets::SECRET_FIELDS;
use crate::model::Plan;
use serde::Serialize;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    pub properties: Vec<Property>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Property {
    /// A path relative to the object, like `tunnels[0].inside_cidr`.
    pub key: String,
    pub value: String,
    pub secret: bool,
    /// No value (null, or an empty list): `value` is what to show in its place ("—", "(none)"), not text to edit.
    pub unset: bool,
    /// A yes/no field (its value is `true` or `false`): chosen, not typed. Told by the field's type, so a name
    /// that reads "true" stays free text.
    pub boolean: bool,
}

/// Finds an object by id anywhere in the design.
pub fn inspect(plan: &Plan, id: &str) -> Option<Inspection> {
    let d = &plan.design;
    macro_rules! find {
        ($list:expr, $kind:expr) => {
            if let Some(object) = $list.iter().find(|o| o.id.as_str() == id) {
                return Some(build(id, $kind, &object.name, object));
            }
        };
    }
    find!(d.azure.vnets, "Azure virtual network");
    for vnet in &d.azure.vnets {
        let kind = |s: &crate::model::azure::Subnet| {
            if s.is_gateway_subnet() {
                "Azure gateway subnet"
            } else {
                "Azure subnet"
            }
        };
        if let Some(s) = vnet.subnets.iter().find(|s| s.id.as_str() == id) {
            return Some(build(id, kind(s), &s.name, s));
        }
    }
    find!(d.azure.public_ips, "Azure public IP");
    find!(d.azure.vpn_gateways, "Azure VPN gateway");
    find!(
        d.azure.local_network_gateways,
        "Azure local network gateway"
    );
    find!(d.azure.connections, "Azure connection");
    find!(d.azure.nsgs, "Azure network security group");
    find!(d.azure.route_tables, "Azure route table");
    find!(d.aws.vpcs, "AWS VPC");
    for vpc in &d.aws.vpcs {
        find!(vpc.subnets, "AWS subnet");
    }
    find!(d.aws.vpn_gateways, "AWS virtual private gateway");
    find!(d.aws.customer_gateways, "AWS customer gateway");
    find!(d.aws.vpn_connections, "AWS VPN connection");
    find!(d.aws.route_tables, "AWS route table");
    find!(d.aws.security_groups, "AWS security group");
    find!(d.aws.network_acls, "AWS network ACL");
    find!(d.flows, "Flow");
    None
}

/// The values a field may take, for fields that hold one of a fixed set (SKUs, algorithms, DH groups,
/// directions), so the inspector offers a choice instead of a text box. `kind` is the inspection's kind (a public
/// IP's `sku` and a gateway's `sku` differ); `key` is the property's path.
pub fn choices(kind: &str, key: &str) -> Option<Vec<String>> {
    use crate::model::aws::{DpdTimeoutAction, StartupAction, TunnelBandwidth};
    use crate::model::azure::*;
    use crate::model::common::Protocol;
    // Spelled as the plan file spells them: through serde, so the choices and the loader cannot disagree.
    fn names<T: Serialize>(values: &[T]) -> Vec<String> {
        values
            .iter()
            .filter_map(|v| match serde_json::to_value(v) {
                Ok(Value::String(s)) => Some(s),
                _ => None,
            })
            .collect()
    }
    let field = key.rsplit('.').next().unwrap_or(key);
    let field = field.split('[').next().unwrap_or(field);
    Some(match (kind, field) {
        ("Azure public IP", "sku") => names(&[PublicIpSku::Basic, PublicIpSku::Standard]),
        ("Azure public IP", "allocation_method") => {
            names(&[AllocationMethod::Static, AllocationMethod::Dynamic])
        }
        ("Azure VPN gateway", "sku") => names(GatewaySku::ALL),
        (_, "generation") => names(GatewayGeneration::ALL),
        (_, "vpn_type") => names(VpnType::ALL),
        (_, "connection_protocol") => names(ConnectionProtocol::ALL),
        (_, "connection_mode") => names(ConnectionMode::ALL),
        (_, "ike_encryption") => names(IkeEncryption::ALL),
        (_, "ike_integrity") => names(IkeIntegrity::ALL),
        (_, "dh_group") => names(DhGroup::ALL),
        (_, "ipsec_encryption") => names(IpsecEncryption::ALL),
        (_, "ipsec_integrity") => names(IpsecIntegrity::ALL),
        (_, "pfs_group") => names(PfsGroup::ALL),
        (_, "direction") => names(Direction::ALL),
        (_, "access") => names(Access::ALL),
        ("AWS network ACL", "action") => names(crate::model::aws::NaclAction::ALL),
        (_, "next_hop_type") => names(NextHopType::ALL),
        (_, "dpd_timeout_action") => names(DpdTimeoutAction::ALL),
        (_, "startup_action") => names(StartupAction::ALL),
        (_, "tunnel_bandwidth") => names(&[TunnelBandwidth::Standard, TunnelBandwidth::Large]),
        (_, "protocol") => names(&[
            Protocol::Tcp,
            Protocol::Udp,
            Protocol::Icmp,
            Protocol::Esp,
            Protocol::Ah,
            Protocol::Any,
        ]),
        _ => return None,
    })
}

/// The objects a reference field may point at, by id, so the inspector offers a pick list instead of a text box
/// for fields that name another object (a subnet's NSG, a connection's gateway, a flow's subnets). `—` is offered
/// for references that may be empty. `object` is the inspected object's id: an AWS subnet's route table must be
/// one of its own VPC's. `None` for fields that are not references.
pub fn reference_choices(plan: &Plan, object: &str, kind: &str, key: &str) -> Option<Vec<String>> {
    let d = &plan.design;
    fn ids<'a, T: 'a>(
        list: impl IntoIterator<Item = &'a T>,
        id: impl Fn(&T) -> &str,
    ) -> Vec<String> {
        list.into_iter().map(|o| id(o).to_string()).collect()
    }
    let optional = |mut list: Vec<String>| {
        list.insert(0, "—".to_string());
        list
    };
    let field = key.rsplit('.').next().unwrap_or(key);
    Some(match (kind, field) {
        ("Azure subnet", "nsg") => optional(ids(&d.azure.nsgs, |n| n.id.as_str())),
        ("Azure subnet" | "Azure gateway subnet", "route_table") => {
            optional(ids(&d.azure.route_tables, |r| r.id.as_str()))
        }
        ("AWS subnet", "route_table") => {
            let vpc = d
                .aws
                .vpcs
                .iter()
                .find(|v| v.subnets.iter().any(|s| s.id.as_str() == object))?;
            optional(ids(
                d.aws.route_tables.iter().filter(|r| r.vpc == vpc.id),
                |r| r.id.as_str(),
            ))
        }
        ("Azure connection", "vpn_gateway") => ids(&d.azure.vpn_gateways, |g| g.id.as_str()),
        ("Azure connection", "local_network_gateway") => {
            ids(&d.azure.local_network_gateways, |l| l.id.as_str())
        }
        ("Azure VPN gateway", "vnet") => ids(&d.azure.vnets, |v| v.id.as_str()),
        ("Azure VPN gateway", "public_ip") => ids(&d.azure.public_ips, |p| p.id.as_str()),
        ("AWS VPN connection", "vpn_gateway") => ids(&d.aws.vpn_gateways, |g| g.id.as_str()),
        ("AWS VPN connection", "customer_gateway") => {
            ids(&d.aws.customer_gateways, |c| c.id.as_str())
        }
        ("AWS virtual private gateway", "vpc") => optional(ids(&d.aws.vpcs, |v| v.id.as_str())),
        ("AWS security group" | "AWS route table" | "AWS network ACL", "vpc") => {
            ids(&d.aws.vpcs, |v| v.id.as_str())
        }
        ("Flow", "subnet") => d
            .azure
            .vnets
            .iter()
            .flat_map(|v| v.subnets.iter().filter(|s| !s.is_gateway_subnet()))
            .map(|s| s.id.as_str().to_string())
            .chain(
                d.aws
                    .vpcs
                    .iter()
                    .flat_map(|v| &v.subnets)
                    .map(|s| s.id.as_str().to_string()),
            )
            .collect(),
        _ => return None,
    })
}

fn build(id: &str, kind: &'static str, name: &str, object: &impl Serialize) -> Inspection {
    let value = serde_json::to_value(object).unwrap_or(Value::Null);
    let mut properties = Vec::new();
    flatten(&value, &JsonPath::root(), false, &mut properties);
    Inspection {
        id: id.to_string(),
        kind,
        name: name.to_string(),
        properties,
    }
}

/// The fields that hold lists of records rather than of values.
const RECORD_LISTS: &[&str] = &[
    "rules",
    "ingress",
    "egress",
    "routes",
    "ip_configurations",
    "traffic_selector_policies",
];

fn flatten(value: &Value, path: &JsonPath, secret: bool, out: &mut Vec<Property>) {
    let key = path
        .to_string()
        .trim_start_matches("$.")
        .trim_start_matches('$')
        .to_string();
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(
                    v,
                    &path.key(k),
                    secret || SECRET_FIELDS.contains(&k.as_str()),
                    out,
                );
            }
        }
        // An empty list of records (rules, routes…) is no row: its table's own buttons add to it, and text typed
        // into a row could only ever be refused with serde's "expected struct".
        Value::Array(items)
            if items.is_empty()
                && RECORD_LISTS.contains(&key.rsplit('.').next().unwrap_or_default()) => {}
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            let text = if items.is_empty() {
                "(none)".to_string()
            } else {
                items.iter().map(scalar).collect::<Vec<_>>().join(", ")
            };
            out.push(Property {
                key,
                value: text,
                secret: false,
                unset: items.is_empty(),
                boolean: false,
            });
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(item, &path.index(i), secret, out);
            }
        }
        Value::String(text) if secret => out.push(Property {
            key,
            value: crate::model::Secret::new(text.clone()).masked(),
            secret: true,
            unset: false,
            boolean: false,
        }),
        other => out.push(Property {
            key,
            value: scalar(other),
            secret,
            unset: other.is_null(),
            boolean: other.is_boolean(),
        }),
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Secret;
    use crate::templates;

    #[test]
    fn every_object_in_the_reference_can_be_inspected() {
        let plan = templates::reference();
        for node in crate::layout::diagram(&plan)
            .nodes
            .iter()
            .filter(|n| !n.id.starts_with("cloud-"))
        {
            let found = inspect(&plan, &node.id).unwrap_or_else(|| panic!("{} not found", node.id));
            assert!(!found.properties.is_empty());
        }
        assert!(inspect(&plan, "no-such-id").is_none());
    }

    #[test]
    fn reference_fields_offer_the_objects_they_may_name_and_each_loads() {
        let plan = templates::reference();
        for (id, key, expected) in [
            ("az-snet-app", "nsg", 2),
            ("az-snet-app", "route_table", 2),
            ("aws-snet-app", "route_table", 2),
            ("az-conn-vpn-1-t1", "vpn_gateway", 1),
            ("az-conn-vpn-1-t1", "local_network_gateway", 4),
            ("az-vpngw", "vnet", 1),
            ("az-vpngw", "ip_configurations[1].public_ip", 2),
            ("aws-vpn-1", "customer_gateway", 2),
            ("aws-vpn-1", "vpn_gateway", 1),
            ("aws-vgw", "vpc", 2),
            ("aws-sg-app", "vpc", 1),
            ("flow-azure-to-aws", "source.subnet", 2),
        ] {
            let found = inspect(&plan, id).unwrap();
            let values = reference_choices(&plan, id, found.kind, key)
                .unwrap_or_else(|| panic!("{id} {key}: no choices"));
            assert_eq!(values.len(), expected, "{id} {key}: {values:?}");
            let current = found.properties.iter().find(|p| p.key == key).unwrap();
            assert!(values.contains(&current.value), "{id} {key}: {values:?}");
            for value in values {
                let next = crate::edit::fields::set_from_text(&plan, id, key, &value);
                assert!(next.is_ok(), "{id} {key}={value}: {next:?}");
            }
        }
        // Plain fields are not references.
        assert_eq!(
            reference_choices(&plan, "az-snet-app", "Azure subnet", "cidr"),
            None
        );
        assert_eq!(
            reference_choices(&plan, "az-snet-app", "Azure subnet", "name"),
            None
        );
    }

    #[test]
    fn enumerated_fields_offer_every_value_the_loader_accepts() {
        let plan = templates::reference();
        for (id, key) in [
            ("az-vpngw", "sku"),
            ("az-pip-1", "sku"),
            ("az-conn-vpn-1-t1", "ipsec_policy.dh_group"),
            ("az-nsg-app", "rules[0].protocol"),
            ("aws-vpn-1", "tunnels[0].startup_action"),
        ] {
            let found = inspect(&plan, id).unwrap();
            let values = choices(found.kind, key).unwrap_or_else(|| panic!("{id} {key}"));
            let current = found.properties.iter().find(|p| p.key == key).unwrap();
            assert!(values.contains(&current.value), "{key}: {values:?}");
            for value in values {
                let next = crate::edit::fields::set_from_text(&plan, id, key, &value);
                assert!(next.is_ok(), "{id} {key}={value}: {next:?}");
            }
        }
        assert!(choices("Azure subnet", "cidr").is_none());
    }

    #[test]
    fn tunnel_options_are_listed_and_keys_are_masked() {
        let mut plan = templates::reference();
        plan.design.aws.vpn_connections[0].tunnels[1].pre_shared_key =
            Some(Secret::new("Sup3r.Secret_Key"));
        let found = inspect(&plan, "aws-vpn-1").unwrap();
        let get = |k: &str| {
            found
                .properties
                .iter()
                .find(|p| p.key == k)
                .unwrap_or_else(|| panic!("{k}"))
        };
        assert_eq!(get("tunnels[0].inside_cidr").value, "169.254.21.0/30");
        assert_eq!(get("tunnels[0].phase1_dh_groups").value, "14");
        let key = get("tunnels[1].pre_shared_key");
        assert!(key.secret && !key.value.contains("Sup3r"));
        assert_eq!(found.kind, "AWS VPN connection");
    }

    #[test]
    fn yes_no_fields_are_told_by_their_type_not_their_text() {
        let mut plan = templates::reference();
        // A name that reads "true" is still a name: free text, not a choice of true or false.
        plan.design.azure.vnets[0].name = "true".into();
        let found = inspect(&plan, "az-vnet").unwrap();
        let name = found.properties.iter().find(|p| p.key == "name").unwrap();
        assert_eq!(name.value, "true");
        assert!(!name.boolean);
        let gateway = inspect(&plan, "az-vpngw").unwrap();
        let active = gateway
            .properties
            .iter()
            .find(|p| p.key == "active_active")
            .unwrap();
        assert!(active.boolean);
    }

    #[test]
    fn an_empty_list_of_records_is_no_row_and_its_records_are_rows() {
        let mut plan = templates::reference();
        let keys = |plan: &Plan, id: &str| -> Vec<String> {
            inspect(plan, id)
                .unwrap()
                .properties
                .into_iter()
                .map(|p| p.key)
                .collect()
        };
        for id in ["az-rt-app", "aws-rt-app"] {
            assert!(
                !keys(&plan, id).iter().any(|k| k.starts_with("routes")),
                "{id}"
            );
        }
        // Lists of values still show, empty or not (a person types them as text).
        assert!(keys(&plan, "aws-rt-app").contains(&"propagating_vgws".to_string()));
        crate::edit::routes::add_route(&mut plan, "az-rt-app").unwrap();
        let rows = keys(&plan, "az-rt-app");
        for key in [
            "routes[0].name",
            "routes[0].address_prefix",
            "routes[0].next_hop_type",
        ] {
            assert!(rows.contains(&key.to_string()), "{key} in {rows:?}");
        }
        // An unset value is marked so, beside the text shown in its place.
        let found = inspect(&plan, "az-rt-app").unwrap();
        let unset: Vec<&str> = found
            .properties
            .iter()
            .filter(|p| p.unset)
            .map(|p| p.key.as_str())
            .collect();
        assert_eq!(unset, vec!["routes[0].next_hop_ip"]);
        assert!(found
            .properties
            .iter()
            .any(|p| p.key == "routes[0].next_hop_ip" && p.value == "—"));
    }
}
