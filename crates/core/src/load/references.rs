//! Phase 5 of loading: ids and references. Every object's id is well-formed and unique across the plan, and
//! every reference names an existing object of the right kind. Also run by the editor after each command.

use super::path::JsonPath;
use super::Problem;
use crate::hash::FastMap;
use crate::model::common::Endpoint;
use crate::model::flow::FlowEndpoint;
use crate::model::Plan;

/// The largest position or size a layout entry may hold, in canvas units.
pub const MAX_LAYOUT_COORDINATE: f64 = 100_000_000.0;

/// The kinds of object an id can name, as references need them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Vnet,
    AzureSubnet,
    PublicIp,
    AzureVpnGateway,
    LocalNetworkGateway,
    Connection,
    Nsg,
    AzureRouteTable,
    Vpc,
    AwsSubnet,
    Vgw,
    CustomerGateway,
    VpnConnection,
    AwsRouteTable,
    SecurityGroup,
    NetworkAcl,
    Rule,
    Flow,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Vnet => "Azure VNet",
            Kind::AzureSubnet => "Azure subnet",
            Kind::PublicIp => "Azure public IP",
            Kind::AzureVpnGateway => "Azure VPN gateway",
            Kind::LocalNetworkGateway => "Azure local network gateway",
            Kind::Connection => "Azure connection",
            Kind::Nsg => "Azure NSG",
            Kind::AzureRouteTable => "Azure route table",
            Kind::Vpc => "AWS VPC",
            Kind::AwsSubnet => "AWS subnet",
            Kind::Vgw => "AWS virtual private gateway",
            Kind::CustomerGateway => "AWS customer gateway",
            Kind::VpnConnection => "AWS VPN connection",
            Kind::AwsRouteTable => "AWS route table",
            Kind::SecurityGroup => "AWS security group",
            Kind::NetworkAcl => "AWS network ACL",
            Kind::Rule => "security rule",
            Kind::Flow => "flow",
        }
    }
}

pub const MAX_ID_LENGTH: usize = 64;

/// Ids appear in the DOM, in exports' resource names and in share links: keep them to a safe alphabet.
pub fn id_format_problem(id: &str) -> Option<String> {
    let mut chars = id.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if id.is_empty() {
        Some("an id cannot be empty".into())
    } else if id.len() > MAX_ID_LENGTH || !first_ok || !rest_ok {
        Some(format!(
            "id '{}' is not valid: use 1 to {MAX_ID_LENGTH} letters, digits, '-', '_' or '.', starting with a letter or digit",
            id.chars().take(80).collect::<String>()
        ))
    } else {
        None
    }
}

struct Index<'a> {
    /// Each id's kind and where it is defined (written out only for a problem: the editor runs this after every
    /// command, and formatting every object's path was most of its time).
    /// Seeded per process (`crate::hash`): this is the gate for files and share links from anyone, whose ids must
    /// not be able to collide on purpose. (std's SipHash is keyed from addresses in the browser, where std has no
    /// randomness, so it is no better there.)
    ids: FastMap<&'a str, (Kind, JsonPath)>,
    problems: Vec<Problem>,
}

impl<'a> Index<'a> {
    fn define(&mut self, id: &'a str, kind: Kind, path: JsonPath) {
        let path = path.field("id");
        if let Some(problem) = id_format_problem(id) {
            self.problems.push(Problem::new(path.to_string(), problem));
        }
        if let Some((_, first)) = self.ids.get(id) {
            self.problems.push(Problem::new(
                path.to_string(),
                format!("duplicate id '{id}': {first} already uses it"),
            ));
        } else {
            self.ids.insert(id, (kind, path));
        }
    }

    fn refer(&mut self, id: &str, expected: &[Kind], path: JsonPath) {
        let wanted = || {
            expected
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(" or ")
        };
        match self.ids.get(id) {
            None => self.problems.push(Problem::new(
                path.to_string(),
                format!("dangling reference: no {} has id '{id}'", wanted()),
            )),
            Some((kind, _)) if !expected.contains(kind) => self.problems.push(Problem::new(
                path.to_string(),
                format!(
                    "'{id}' is {}, but {} is expected here",
                    with_article(kind.label()),
                    with_article(&wanted())
                ),
            )),
            Some(_) => {}
        }
    }

    fn endpoint(&mut self, endpoint: &Endpoint, path: JsonPath) {
        match endpoint {
            Endpoint::Literal { .. } => {}
            Endpoint::AzurePublicIp { public_ip } => self.refer(
                public_ip.as_str(),
                &[Kind::PublicIp],
                path.field("public_ip"),
            ),
            Endpoint::AwsTunnelOutside {
                vpn_connection,
                tunnel,
            } => {
                self.refer(
                    vpn_connection.as_str(),
                    &[Kind::VpnConnection],
                    path.field("vpn_connection"),
                );
                if !matches!(tunnel, 1 | 2) {
                    self.problems.push(Problem::new(
                        path.field("tunnel").to_string(),
                        format!("an AWS VPN connection has tunnels 1 and 2, not {tunnel}"),
                    ));
                }
            }
        }
    }
}

/// Checks ids and references of a typed plan; empty when all is well.
pub fn check_references(plan: &Plan) -> Vec<Problem> {
    let design = &plan.design;
    let root = JsonPath::root().field("design");
    let az = root.field("azure");
    let aws = root.field("aws");
    let mut index = Index {
        ids: FastMap::default(),
        problems: Vec::new(),
    };

    // Definitions first, so references may point forwards.
    for (i, vnet) in design.azure.vnets.iter().enumerate() {
        let p = az.field("vnets").index(i);
        index.define(vnet.id.as_str(), Kind::Vnet, p.clone());
        for (j, subnet) in vnet.subnets.iter().enumerate() {
            index.define(
                subnet.id.as_str(),
                Kind::AzureSubnet,
                p.field("subnets").index(j),
            );
        }
    }
    for (i, x) in design.azure.public_ips.iter().enumerate() {
        index.define(
            x.id.as_str(),
            Kind::PublicIp,
            az.field("public_ips").index(i),
        );
    }
    for (i, x) in design.azure.vpn_gateways.iter().enumerate() {
        index.define(
            x.id.as_str(),
            Kind::AzureVpnGateway,
            az.field("vpn_gateways").index(i),
        );
    }
    for (i, x) in design.azure.local_network_gateways.iter().enumerate() {
        let p = az.field("local_network_gateways").index(i);
        index.define(x.id.as_str(), Kind::LocalNetworkGateway, p);
    }
    for (i, x) in design.azure.connections.iter().enumerate() {
        index.define(
            x.id.as_str(),
            Kind::Connection,
            az.field("connections").index(i),
        );
    }
    for (i, nsg) in design.azure.nsgs.iter().enumerate() {
        let p = az.field("nsgs").index(i);
        index.define(nsg.id.as_str(), Kind::Nsg, p.clone());
        for (j, rule) in nsg.rules.iter().enumerate() {
            index.define(rule.id.as_str(), Kind::Rule, p.field("rules").index(j));
        }
    }
    for (i, x) in design.azure.route_tables.iter().enumerate() {
        index.define(
            x.id.as_str(),
            Kind::AzureRouteTable,
            az.field("route_tables").index(i),
        );
    }
    for (i, vpc) in design.aws.vpcs.iter().enumerate() {
        let p = aws.field("vpcs").index(i);
        index.define(vpc.id.as_str(), Kind::Vpc, p.clone());
        for (j, subnet) in vpc.subnets.iter().enumerate() {
            index.define(
                subnet.id.as_str(),
                Kind::AwsSubnet,
                p.field("subnets").index(j),
            );
        }
    }
    for (i, x) in design.aws.vpn_gateways.iter().enumerate() {
        index.define(x.id.as_str(), Kind::Vgw, aws.field("vpn_gateways").index(i));
    }
    for (i, x) in design.aws.customer_gateways.iter().enumerate() {
        let p = aws.field("customer_gateways").index(i);
        index.define(x.id.as_str(), Kind::CustomerGateway, p);
    }
    for (i, x) in design.aws.vpn_connections.iter().enumerate() {
        index.define(
            x.id.as_str(),
            Kind::VpnConnection,
            aws.field("vpn_connections").index(i),
        );
    }
    for (i, x) in design.aws.route_tables.iter().enumerate() {
        index.define(
            x.id.as_str(),
            Kind::AwsRouteTable,
            aws.field("route_tables").index(i),
        );
    }
    for (i, sg) in design.aws.security_groups.iter().enumerate() {
        let p = aws.field("security_groups").index(i);
        index.define(sg.id.as_str(), Kind::SecurityGroup, p.clone());
        for (j, rule) in sg.ingress.iter().enumerate() {
            index.define(rule.id.as_str(), Kind::Rule, p.field("ingress").index(j));
        }
        for (j, rule) in sg.egress.iter().enumerate() {
            index.define(rule.id.as_str(), Kind::Rule, p.field("egress").index(j));
        }
    }
    for (i, x) in design.aws.network_acls.iter().enumerate() {
        let p = aws.field("network_acls").index(i);
        index.define(x.id.as_str(), Kind::NetworkAcl, p);
    }
    for (i, x) in design.flows.iter().enumerate() {
        index.define(x.id.as_str(), Kind::Flow, root.field("flows").index(i));
    }

    // References.
    for (i, vnet) in design.azure.vnets.iter().enumerate() {
        for (j, subnet) in vnet.subnets.iter().enumerate() {
            let p = az.field("vnets").index(i).field("subnets").index(j);
            if let Some(nsg) = &subnet.nsg {
                index.refer(nsg.as_str(), &[Kind::Nsg], p.field("nsg"));
            }
            if let Some(rt) = &subnet.route_table {
                index.refer(
                    rt.as_str(),
                    &[Kind::AzureRouteTable],
                    p.field("route_table"),
                );
            }
        }
    }
    for (i, gw) in design.azure.vpn_gateways.iter().enumerate() {
        let p = az.field("vpn_gateways").index(i);
        index.refer(gw.vnet.as_str(), &[Kind::Vnet], p.field("vnet"));
        for (j, config) in gw.ip_configurations.iter().enumerate() {
            let q = p.field("ip_configurations").index(j).field("public_ip");
            index.refer(config.public_ip.as_str(), &[Kind::PublicIp], q);
        }
    }
    for (i, lng) in design.azure.local_network_gateways.iter().enumerate() {
        let p = az.field("local_network_gateways").index(i);
        index.endpoint(&lng.gateway_address, p.field("gateway_address"));
    }
    for (i, conn) in design.azure.connections.iter().enumerate() {
        let p = az.field("connections").index(i);
        index.refer(
            conn.vpn_gateway.as_str(),
            &[Kind::AzureVpnGateway],
            p.field("vpn_gateway"),
        );
        index.refer(
            conn.local_network_gateway.as_str(),
            &[Kind::LocalNetworkGateway],
            p.field("local_network_gateway"),
        );
    }
    for (i, vpc) in design.aws.vpcs.iter().enumerate() {
        for (j, subnet) in vpc.subnets.iter().enumerate() {
            let p = aws.field("vpcs").index(i).field("subnets").index(j);
            if let Some(rt) = &subnet.route_table {
                index.refer(rt.as_str(), &[Kind::AwsRouteTable], p.field("route_table"));
            }
            for (k, sg) in subnet.security_groups.iter().enumerate() {
                let q = p.field("security_groups").index(k);
                index.refer(sg.as_str(), &[Kind::SecurityGroup], q);
            }
        }
    }
    for (i, vgw) in design.aws.vpn_gateways.iter().enumerate() {
        if let Some(vpc) = &vgw.vpc {
            let p = aws.field("vpn_gateways").index(i).field("vpc");
            index.refer(vpc.as_str(), &[Kind::Vpc], p);
        }
    }
    for (i, cgw) in design.aws.customer_gateways.iter().enumerate() {
        let p = aws.field("customer_gateways").index(i).field("ip_address");
        index.endpoint(&cgw.ip_address, p);
    }
    for (i, conn) in design.aws.vpn_connections.iter().enumerate() {
        let p = aws.field("vpn_connections").index(i);
        index.refer(
            conn.vpn_gateway.as_str(),
            &[Kind::Vgw],
            p.field("vpn_gateway"),
        );
        index.refer(
            conn.customer_gateway.as_str(),
            &[Kind::CustomerGateway],
            p.field("customer_gateway"),
        );
    }
    for (i, rt) in design.aws.route_tables.iter().enumerate() {
        let p = aws.field("route_tables").index(i);
        index.refer(rt.vpc.as_str(), &[Kind::Vpc], p.field("vpc"));
        for (j, vgw) in rt.propagating_vgws.iter().enumerate() {
            index.refer(
                vgw.as_str(),
                &[Kind::Vgw],
                p.field("propagating_vgws").index(j),
            );
        }
        for (j, route) in rt.routes.iter().enumerate() {
            if let crate::model::aws::RouteTarget::VpnGateway(vgw) = &route.target {
                let q = p
                    .field("routes")
                    .index(j)
                    .field("target")
                    .field("vpn_gateway");
                index.refer(vgw.as_str(), &[Kind::Vgw], q);
            }
        }
    }
    for (i, sg) in design.aws.security_groups.iter().enumerate() {
        let p = aws.field("security_groups").index(i).field("vpc");
        index.refer(sg.vpc.as_str(), &[Kind::Vpc], p);
    }
    // A subnet has exactly one network ACL [VPC4]: the first ACL naming it has it.
    let mut acl_of_subnet: crate::hash::FastMap<&str, &str> = Default::default();
    for (i, acl) in design.aws.network_acls.iter().enumerate() {
        let p = aws.field("network_acls").index(i);
        for (j, subnet) in acl.subnets.iter().enumerate() {
            if let Some(first) = acl_of_subnet.insert(subnet.as_str(), acl.id.as_str()) {
                acl_of_subnet.insert(subnet.as_str(), first);
                if first != acl.id.as_str() {
                    index.problems.push(Problem::new(
                        p.field("subnets").index(j).to_string(),
                        format!(
                            "subnet '{subnet}' already has network ACL '{first}': a subnet has exactly one network \
                             ACL"
                        ),
                    ));
                }
            }
        }
        index.refer(acl.vpc.as_str(), &[Kind::Vpc], p.field("vpc"));
        let vpc = design.aws.vpcs.iter().find(|v| v.id == acl.vpc);
        for (j, subnet) in acl.subnets.iter().enumerate() {
            let q = p.field("subnets").index(j);
            let before = index.problems.len();
            index.refer(subnet.as_str(), &[Kind::AwsSubnet], q.clone());
            // A network ACL serves subnets of its own VPC only.
            if index.problems.len() == before
                && vpc.is_some_and(|v| !v.subnets.iter().any(|s| &s.id == subnet))
            {
                index.problems.push(Problem::new(
                    q.to_string(),
                    format!(
                        "subnet '{subnet}' is not in VPC '{}', the network ACL's VPC",
                        acl.vpc
                    ),
                ));
            }
        }
    }
    for (i, flow) in design.flows.iter().enumerate() {
        let p = root.field("flows").index(i);
        for (end, endpoint) in [("source", &flow.source), ("destination", &flow.destination)] {
            if let FlowEndpoint::Subnet(subnet) = endpoint {
                let q = p.key(end).field("subnet");
                index.refer(subnet.as_str(), &[Kind::AzureSubnet, Kind::AwsSubnet], q);
            }
        }
    }
    let layout = JsonPath::root().field("layout").field("nodes");
    for (id, rect) in &plan.layout.nodes {
        let p = layout.key(id);
        if !index.ids.contains_key(id.as_str()) {
            index.problems.push(Problem::new(
                p.to_string(),
                format!("layout entry for '{id}', which is not in the design"),
            ));
        }
        if !(rect.w >= 0.0 && rect.h >= 0.0) {
            index.problems.push(Problem::new(
                p.to_string(),
                "a node's width and height cannot be negative",
            ));
        }
        // A hostile or corrupted file can hold 1e308, which overflows to infinity once the canvas adds a width
        // to a position: the node vanishes and Fit stops working. No layout comes near the bound (a
        // 10,000-network design laid out in one row spans about 10 million units).
        for (field, value) in [("x", rect.x), ("y", rect.y), ("w", rect.w), ("h", rect.h)] {
            if !value.is_finite() || value.abs() > MAX_LAYOUT_COORDINATE {
                index.problems.push(Problem::new(
                    p.field(field).to_string(),
                    // In scientific notation past the bound: 1e308 printed in full is 309 digits.
                    format!(
                        "{value:e} is beyond the canvas: a node's position and size must lie within \
                         ±{MAX_LAYOUT_COORDINATE:.0} canvas units"
                    ),
                ));
            }
        }
    }
    required_values(design, &az, &aws, &mut index.problems);
    index.problems
}

/// What is wrong with a plan's name, if anything. It is shown in the toolbar, the plan list and every export's
/// header: at most [`crate::model::MAX_PLAN_NAME`] characters, and no control or bidirectional-override characters,
/// which show as nothing or reorder the text around them (QA s18). Rename refuses such a name; a plan file or link
/// carrying one is opened with the name tidied ([`tidy_plan_name`]), not refused, so no plan is locked out.
pub fn plan_name_problem(name: &str) -> Option<String> {
    let count = name.chars().count();
    let max = crate::model::MAX_PLAN_NAME;
    if count > max {
        return Some(format!(
            "the plan's name is {count} characters long; a plan's name has at most {max} characters"
        ));
    }
    name.chars()
        .find(|c| is_hidden_control(*c))
        .map(|c| {
            format!(
                "the plan's name holds the control character U+{:04X}, which would show as nothing or reorder \
                 the text around it",
                u32::from(c)
            )
        })
}

/// A plan's name as [`plan_name_problem`] accepts it: control and bidirectional-override characters dropped,
/// cut to the longest name. `None` when it is fine as it is.
pub fn tidy_plan_name(name: &str) -> Option<String> {
    plan_name_problem(name)?;
    // Line breaks and tabs separate words: dropping them ran the words together ("a,b\nline2" became
    // "a,bline2", QA s19). Runs of spaces so made are one.
    let mut tidy = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_whitespace() {
            if !tidy.is_empty() && !tidy.ends_with(' ') {
                tidy.push(' ');
            }
        } else if !is_hidden_control(c) {
            tidy.push(c);
        }
    }
    // No space leads (none is pushed first); one may end the name, or the cut.
    let tidy: String = tidy.chars().take(crate::model::MAX_PLAN_NAME).collect();
    Some(tidy.trim_end().to_string())
}

fn is_hidden_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Azure names every resource, and a VNet's region and resource group say where it goes: none of them may be
/// blank (ARM refuses the deployment). AWS's names are tags, which may be empty, but a VPC's region may not. NSG
/// rule names are the review's (SEC-007), with a fix. No network's address space may be empty.
fn required_values(
    design: &crate::model::Design,
    az: &JsonPath,
    aws: &JsonPath,
    problems: &mut Vec<Problem>,
) {
    let mut required = |cloud: &str, path: JsonPath, field: &'static str, value: &str| {
        if value.trim().is_empty() {
            problems.push(Problem::new(
                path.field(field).to_string(),
                format!(
                    "the {} is blank: {cloud} needs one",
                    field.replace('_', " ")
                ),
            ));
        }
    };
    let mut check =
        |path: JsonPath, field: &'static str, value: &str| required("Azure", path, field, value);
    let a = &design.azure;
    for (i, vnet) in a.vnets.iter().enumerate() {
        let p = az.field("vnets").index(i);
        check(p.clone(), "name", &vnet.name);
        check(p.clone(), "region", &vnet.region);
        check(p.clone(), "resource_group", &vnet.resource_group);
        for (j, subnet) in vnet.subnets.iter().enumerate() {
            check(p.field("subnets").index(j), "name", &subnet.name);
        }
    }
    macro_rules! named {
        ($list:expr, $field:literal) => {
            for (i, x) in $list.iter().enumerate() {
                check(az.field($field).index(i), "name", &x.name);
            }
        };
    }
    named!(a.public_ips, "public_ips");
    named!(a.vpn_gateways, "vpn_gateways");
    named!(a.local_network_gateways, "local_network_gateways");
    named!(a.connections, "connections");
    named!(a.nsgs, "nsgs");
    named!(a.route_tables, "route_tables");
    // An AWS name is a tag and may be empty; a VPC's region says where it goes.
    for (i, vpc) in design.aws.vpcs.iter().enumerate() {
        required("AWS", aws.field("vpcs").index(i), "region", &vpc.region);
    }
    // An AWS tunnel's empty list of algorithms or groups is not "nothing": the providers and CloudFormation leave
    // an empty list out, and AWS then takes its whole default list. The review would read it as accepting nothing
    // (IKE-001) and the sheet say NO, while the deployed tunnel accepts the defaults (QA s17): one meaning, so the
    // plan names its values.
    for (i, vpn) in design.aws.vpn_connections.iter().enumerate() {
        for (t, tunnel) in vpn.tunnels.iter().enumerate() {
            let lists = [
                ("ike_versions", tunnel.ike_versions.is_empty()),
                ("phase1_encryption", tunnel.phase1_encryption.is_empty()),
                ("phase1_integrity", tunnel.phase1_integrity.is_empty()),
                ("phase1_dh_groups", tunnel.phase1_dh_groups.is_empty()),
                ("phase2_encryption", tunnel.phase2_encryption.is_empty()),
                ("phase2_integrity", tunnel.phase2_integrity.is_empty()),
                ("phase2_dh_groups", tunnel.phase2_dh_groups.is_empty()),
            ];
            let at = |field: &'static str| {
                aws.field("vpn_connections")
                    .index(i)
                    .field("tunnels")
                    .index(t)
                    .field(field)
                    .to_string()
            };
            for (field, _) in lists.iter().filter(|(_, empty)| *empty) {
                problems.push(Problem::new(
                    at(field),
                    "the list is empty, which AWS would replace with its whole default list: name the values \
                     the tunnel may use",
                ));
            }
            // The algorithms are choices the model holds; the DH groups are numbers, so the groups AWS takes in
            // each phase are checked here, as a choice outside its list is refused when read [AWS1] [AWS2].
            for (field, groups, allowed, phase) in [
                (
                    "phase1_dh_groups",
                    &tunnel.phase1_dh_groups,
                    crate::facts::ike::AWS_PHASE1_DH_GROUPS,
                    1,
                ),
                (
                    "phase2_dh_groups",
                    &tunnel.phase2_dh_groups,
                    crate::facts::ike::AWS_PHASE2_DH_GROUPS,
                    2,
                ),
            ] {
                for (k, group) in groups.iter().enumerate() {
                    if !allowed.value.contains(group) {
                        problems.push(Problem::new(
                            format!("{}[{k}]", at(field)),
                            format!(
                                "DH group {group} is not one AWS takes in phase {phase}: expected one of {}",
                                allowed
                                    .value
                                    .iter()
                                    .map(u8::to_string)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                }
            }
        }
    }
    // A network holds addresses: a VNet needs at least one address prefix and a VPC its primary CIDR block, or
    // neither cloud creates it (and Terraform would get `address_space = []`, a VPC with no `cidr_block`).
    let mut empty = |path: JsonPath, field: &'static str, what: &str| {
        problems.push(Problem::new(
            path.field(field).to_string(),
            format!(
                "the {what} is empty: give the network at least one prefix, such as 10.0.0.0/16"
            ),
        ));
    };
    for (i, vnet) in a.vnets.iter().enumerate() {
        if vnet.address_space.is_empty() {
            empty(
                az.field("vnets").index(i),
                "address_space",
                "VNet's address space",
            );
        }
    }
    for (i, vpc) in design.aws.vpcs.iter().enumerate() {
        if vpc.cidr_blocks.is_empty() {
            empty(
                aws.field("vpcs").index(i),
                "cidr_blocks",
                "VPC's list of CIDR blocks",
            );
        }
    }
}

/// "an Azure VNet", "an AWS VPC", "a subnet": the article the label's first sound takes (the labels are the
/// kinds' names, all starting with a consonant sound or a vowel letter read as a vowel).
fn with_article(label: &str) -> String {
    let vowel = label
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {label}", if vowel { "an" } else { "a" })
}
