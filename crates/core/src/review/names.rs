//! NAME-001 (beyond the catalogue): a name the cloud refuses to create a resource under. Azure Resource Manager
//! takes letters, digits, `_`, `.` and `-` in network resource names, within a length per kind; AWS takes almost
//! anything in a tag, but a security group's `GroupName` must not start with `sg-` and keeps to a short list of
//! characters. A plan with such a name reviewed clean and exported Terraform that `apply` then refused (the
//! app's own security groups were named `sg-…`). NSG rule names are SEC-007's, with their own source [AZ18].
//!
//! The editor refuses these names at the field; a plan file or a plan saved by an older version may still hold
//! one, so the review reports it with a rename.

use super::context::Context;
use super::{Change, Finding, Severity};
use crate::facts::{aws as aws_facts, azure as azure_facts, Span};

/// What is wrong with an Azure network resource's name, if anything, for names of `length` characters.
pub fn azure_name_problem(name: &str, length: Span) -> Option<String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    let count = name.chars().count() as u64;
    if count < length.min {
        return Some(format!("is shorter than {} characters", length.min));
    }
    if count > length.max {
        return Some(format!("is {count} characters long, over {}", length.max));
    }
    if let Some(bad) = name.chars().find(|c| !allowed(*c)) {
        return Some(format!(
            "contains {}: Azure takes letters, digits, `_`, `.` and `-` only",
            crate::quote::character(bad)
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("must start with a letter or a digit".into());
    }
    if !name.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return Some("must end with a letter, a digit or `_`".into());
    }
    None
}

/// An Azure name as close to `name` as the rules allow: other characters become `-`, the ends are trimmed, the
/// length is cut; `fallback` when too little is left, or when most of the name would be dashes (`Ünïcødé`
/// would become `n-c-d`, which says nothing).
pub fn azure_name_fixed(name: &str, length: Span, fallback: &str) -> String {
    if name.chars().filter(char::is_ascii).count() * 2 < name.chars().count() {
        return fallback.to_string();
    }
    // Each run of refused characters becomes one `-`: `App "VNet"` becomes `App-VNet`.
    let mut mapped = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            mapped.push(c);
        } else if !mapped.ends_with('-') {
            mapped.push('-');
        }
    }
    let mapped: String = mapped.chars().take(length.max as usize).collect();
    let trimmed = mapped
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .trim_end_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
    if (trimmed.len() as u64) < length.min {
        fallback.to_string()
    } else {
        trimmed.to_string()
    }
}

/// What is wrong with a resource group's name, if anything: 1–90 characters of letters (Unicode letters too),
/// digits, `_`, `(`, `)`, `-` and `.`, not ending with `.`.
pub fn resource_group_problem(name: &str) -> Option<String> {
    let length = azure_facts::RESOURCE_GROUP_NAME_LENGTH.value;
    let count = name.chars().count() as u64;
    if count < length.min || count > length.max {
        return Some(format!(
            "is {count} characters long; Azure takes {} to {}",
            length.min, length.max
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '_' | '(' | ')' | '-' | '.')))
    {
        return Some(format!(
            "contains {}: Azure takes letters, digits, `_`, `(`, `)`, `-` and `.` only",
            crate::quote::character(bad)
        ));
    }
    if name.ends_with('.') {
        return Some("must not end with `.`".into());
    }
    None
}

/// What is wrong with a security group's name, if anything.
pub fn sg_name_problem(name: &str) -> Option<String> {
    let prefix = aws_facts::SG_NAME_FORBIDDEN_PREFIX.value;
    let max = aws_facts::SG_NAME_MAX_CHARS.value;
    if name.is_empty() {
        return None; // AWS then makes one up; the exports leave it out.
    }
    // `get`, not slicing: the name may start with a character of several bytes.
    if starts_with_prefix(name, prefix) {
        return Some(format!(
            "starts with `{prefix}`, the form of a security group's id, which AWS does not take as a name"
        ));
    }
    if name.chars().count() > max {
        return Some(format!("is longer than {max} characters"));
    }
    if let Some(bad) = name.chars().find(|c| !sg_name_char(*c)) {
        return Some(format!(
            "contains {}: AWS takes letters, digits, spaces and ._-:/()#,@[]+=&;{{}}!$* only",
            crate::quote::character(bad)
        ));
    }
    None
}

/// Whether `name` starts with `prefix` (ASCII), in any case.
fn starts_with_prefix(name: &str, prefix: &str) -> bool {
    name.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

fn sg_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c)
}

/// A security group name AWS takes, as close to `name` as it can be: `sg-app` becomes `app-sg`, other characters
/// become `-`, the length is cut.
pub fn sg_name_fixed(name: &str) -> String {
    let prefix = aws_facts::SG_NAME_FORBIDDEN_PREFIX.value;
    let mut rest = name;
    while starts_with_prefix(rest, prefix) {
        rest = &rest[prefix.len()..];
    }
    let mapped: String = rest
        .chars()
        .map(|c| if sg_name_char(c) { c } else { '-' })
        .collect();
    let base = mapped.trim_matches(|c: char| c == '-' || c == ' ');
    let stem = if base.is_empty() { "group" } else { base };
    let max = aws_facts::SG_NAME_MAX_CHARS.value;
    let stem: String = stem.chars().take(max - 3).collect();
    format!("{stem}-sg")
}

/// `name`, or `name-2`, `name-3`… : the first no other object of its kind in its scope has (a rename must not make
/// a duplicate the cloud refuses in turn).
fn distinct(name: String, taken: &[&str]) -> String {
    let free = |n: &str| !taken.iter().any(|t| t.eq_ignore_ascii_case(n));
    if free(&name) {
        return name;
    }
    (2..)
        .map(|i| format!("{name}-{i}"))
        .find(|n| free(n))
        .unwrap_or(name)
}

/// NAME-001 for one Azure name, against the names of its kind in its scope (`peers`, itself included), which are
/// gathered only for a name that needs a rename (this runs on every review).
fn azure_name<'d>(
    findings: &mut Vec<Finding>,
    id: &str,
    field: String,
    kind: &str,
    name: &str,
    length: Span,
    peers: &dyn Fn() -> Vec<&'d str>,
) {
    if let Some(problem) = azure_name_problem(name, length) {
        // The id as the fallback, made a name Azure takes too (ids are not held to ARM's rules).
        let fallback = azure_name_fixed(id, length, "resource");
        let fixed = distinct(azure_name_fixed(name, length, &fallback), &peers());
        findings.push(refused(
            id,
            &field,
            kind,
            name,
            &problem,
            "Azure",
            Some(fixed),
        ));
    }
}

/// NAME-001 over every Azure network resource of the plan (NSG rules aside: SEC-007) and every security group:
/// names the cloud refuses, and names used twice where the cloud wants one (two subnets of a VNet, two routes of a
/// table, two VNets of a resource group, two security groups of a VPC: the second create fails).
pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let design = context.design;
    let vnet_length = azure_facts::VNET_NAME_LENGTH.value;
    let length = azure_facts::NETWORK_NAME_LENGTH.value;
    // One object's name, against the names of its kind in its scope (`peers`, itself included).
    for vnet in &design.azure.vnets {
        let id = vnet.id.as_str();
        let same_group = || {
            design
                .azure
                .vnets
                .iter()
                .filter(|v| v.resource_group == vnet.resource_group)
                .map(|v| v.name.as_str())
                .collect()
        };
        azure_name(
            findings,
            id,
            "name".into(),
            "VNet",
            &vnet.name,
            vnet_length,
            &same_group,
        );
        let subnets = || vnet.subnets.iter().map(|s| s.name.as_str()).collect();
        for subnet in &vnet.subnets {
            azure_name(
                findings,
                subnet.id.as_str(),
                "name".into(),
                "subnet",
                &subnet.name,
                length,
                &subnets,
            );
        }
    }
    macro_rules! named {
        ($list:expr, $kind:literal) => {
            let peers = || $list.iter().map(|x| x.name.as_str()).collect();
            for x in &$list {
                azure_name(
                    findings,
                    x.id.as_str(),
                    "name".into(),
                    $kind,
                    &x.name,
                    length,
                    &peers,
                );
            }
        };
    }
    named!(design.azure.public_ips, "public IP");
    named!(design.azure.vpn_gateways, "VPN gateway");
    named!(design.azure.local_network_gateways, "local network gateway");
    named!(design.azure.connections, "connection");
    named!(design.azure.nsgs, "NSG");
    named!(design.azure.route_tables, "route table");
    for gw in &design.azure.vpn_gateways {
        let peers = || {
            gw.ip_configurations
                .iter()
                .map(|c| c.name.as_str())
                .collect()
        };
        for (i, config) in gw.ip_configurations.iter().enumerate() {
            azure_name(
                findings,
                gw.id.as_str(),
                format!("ip_configurations[{i}].name"),
                "IP configuration",
                &config.name,
                length,
                &peers,
            );
        }
    }
    for table in &design.azure.route_tables {
        let peers = || table.routes.iter().map(|r| r.name.as_str()).collect();
        for (i, route) in table.routes.iter().enumerate() {
            azure_name(
                findings,
                table.id.as_str(),
                format!("routes[{i}].name"),
                "route",
                &route.name,
                length,
                &peers,
            );
        }
    }
    for vnet in &design.azure.vnets {
        if let Some(problem) = resource_group_problem(&vnet.resource_group) {
            findings.push(refused(
                vnet.id.as_str(),
                "resource_group",
                "resource group",
                &vnet.resource_group,
                &problem,
                "Azure",
                None,
            ));
        }
    }
    for sg in &design.aws.security_groups {
        if let Some(problem) = sg_name_problem(&sg.name) {
            let peers: Vec<&str> = design
                .aws
                .security_groups
                .iter()
                .filter(|g| g.vpc == sg.vpc)
                .map(|g| g.name.as_str())
                .collect();
            findings.push(refused(
                sg.id.as_str(),
                "name",
                "security group",
                &sg.name,
                &problem,
                "AWS",
                Some(distinct(sg_name_fixed(&sg.name), &peers)),
            ));
        }
    }
    duplicates(context, findings);
}

/// A name compared and hashed ignoring ASCII case, without a lowercase copy.
#[derive(Clone, Copy)]
struct Caseless<'a>(&'a str);

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Caseless<'_> {}

impl std::hash::Hash for Caseless<'_> {
    /// Eight bytes at a time with the ASCII case bit (0x20) set in each: names equal ignoring case hash alike
    /// (a few other pairs, such as `@` and `` ` ``, do too, which equality then tells apart). A byte at a time
    /// cost this check as much as the rest of the names' review on a 1,000-network plan.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let bytes = self.0.as_bytes();
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            state.write_u64(u64::from_le_bytes(word) | 0x2020_2020_2020_2020);
        }
        let mut tail = [0u8; 8];
        for (t, b) in tail.iter_mut().zip(chunks.remainder()) {
            *t = b | 0x20;
        }
        state.write_u64(u64::from_le_bytes(tail));
        state.write_usize(bytes.len());
    }
}

/// Names used twice in one scope, where the cloud keeps one object per name: the second is reported, with a
/// rename. Two subnets of a VNet and two routes of a table would be one child in ARM; two VNets of a resource
/// group one resource; two security groups of a VPC, AWS refuses (names are case-insensitive there).
///
/// Each scope's names are compared through a set of their lowercase forms, once each: a resource group may hold
/// thousands of VNets, and this runs on every review.
fn duplicates(context: &Context, findings: &mut Vec<Finding>) {
    let design = context.design;
    // (object id, route index for a route's name, name), in the plan's order.
    type Item<'a> = (&'a str, Option<usize>, &'a str);
    let mut twice = |scope: &str, items: &[Item], kind: &str, cloud: &str| {
        if items.len() < 2 {
            return;
        }
        let mut seen = crate::hash::set_with_capacity(items.len());
        for (id, route, name) in items {
            if name.is_empty() || seen.insert(Caseless(name)) {
                continue;
            }
            let peers: Vec<&str> = items.iter().map(|(_, _, n)| *n).collect();
            let field = route.map_or_else(|| "name".to_string(), |i| format!("routes[{i}].name"));
            findings.push(refused(
                id,
                &field,
                kind,
                name,
                &format!(
                    "is the name of another {kind} of {scope}, and {cloud} keeps one per name"
                ),
                cloud,
                Some(distinct(name.to_string(), &peers)),
            ));
        }
    };
    for vnet in &design.azure.vnets {
        let items: Vec<Item> = vnet
            .subnets
            .iter()
            .map(|s| (s.id.as_str(), None, s.name.as_str()))
            .collect();
        twice(vnet.id.as_str(), &items, "subnet", "Azure");
    }
    for table in &design.azure.route_tables {
        let items: Vec<Item> = table
            .routes
            .iter()
            .enumerate()
            .map(|(i, r)| (table.id.as_str(), Some(i), r.name.as_str()))
            .collect();
        twice(table.id.as_str(), &items, "route", "Azure");
    }
    let mut groups: crate::hash::FastMap<&str, Vec<Item>> = Default::default();
    for v in &design.azure.vnets {
        groups.entry(v.resource_group.as_str()).or_default().push((
            v.id.as_str(),
            None,
            v.name.as_str(),
        ));
    }
    let mut vpcs: crate::hash::FastMap<&str, Vec<Item>> = Default::default();
    for g in &design.aws.security_groups {
        vpcs.entry(g.vpc.as_str())
            .or_default()
            .push((g.id.as_str(), None, g.name.as_str()));
    }
    for (group, items) in &groups {
        twice(&format!("resource group {group}"), items, "VNet", "Azure");
    }
    for (vpc, items) in &vpcs {
        twice(vpc, items, "security group", "AWS");
    }

    // The other Azure network resources share a namespace per kind and resource group too. None has a group of
    // its own: each is deployed in its VNet's (the exporters' `topology` decides which VNet, and this must agree
    // with them). Working that out needs the exporters' index, so names are first compared plan-wide, which
    // costs one set per kind, and only a name used twice somewhere is placed in its group.
    let d = &design.azure;
    let index = std::cell::OnceCell::new();
    let index = || index.get_or_init(|| crate::export::topology::Index::new(design));
    use crate::model::azure::Vnet;
    // One kind: its objects, how they are named in messages, and the VNet the exports deploy each beside. Every
    // object of the kind is placed (not only the clashing ones), so that a rename makes no new clash in its group.
    macro_rules! in_resource_groups {
        ($objects:expr, $kind:expr, |$ix:ident, $o:ident| $home:expr) => {{
            let objects = &$objects;
            let mut seen = crate::hash::set_with_capacity(objects.len());
            let twice_anywhere = objects
                .iter()
                .any(|o| !o.name.is_empty() && !seen.insert(Caseless(o.name.as_str())));
            if twice_anywhere {
                let ix = index();
                let mut by_group: crate::hash::FastMap<&str, Vec<Item>> = Default::default();
                for o in objects.iter() {
                    let ($ix, $o) = (ix, o);
                    let home: Option<&Vnet> = $home;
                    // Objects the plan places in no VNet share the exports' one default group.
                    let group = home.map_or("(the default resource group)", |v| {
                        v.resource_group.as_str()
                    });
                    by_group
                        .entry(group)
                        .or_default()
                        .push((o.id.as_str(), None, o.name.as_str()));
                }
                for (group, items) in &by_group {
                    twice(&format!("resource group {group}"), items, $kind, "Azure");
                }
            }
        }};
    }
    in_resource_groups!(d.public_ips, "public IP", |ix, o| ix
        .home_of_public_ip(o.id.as_str()));
    in_resource_groups!(d.vpn_gateways, "VPN gateway", |ix, o| ix.home_of_gateway(o));
    in_resource_groups!(
        d.local_network_gateways,
        "local network gateway",
        |ix, o| ix.home_of_local_network_gateway(o.id.as_str())
    );
    in_resource_groups!(d.connections, "connection", |ix, o| ix
        .home_of_connection(o));
    in_resource_groups!(d.nsgs, "NSG", |ix, o| ix.home_of_nsg(o.id.as_str()));
    in_resource_groups!(d.route_tables, "route table", |ix, o| ix
        .home_of_route_table(o.id.as_str()));
}

/// Why the cloud would refuse the name just written to `field` of `object`, if it would: the editor refuses such a
/// name at the field, as it refuses a CIDR typo, so it never reaches the plan.
pub fn field_problem(plan: &crate::model::Plan, object: &str, field: &str) -> Option<String> {
    let design = &plan.design;
    let vnet_length = azure_facts::VNET_NAME_LENGTH.value;
    let length = azure_facts::NETWORK_NAME_LENGTH.value;
    let azure = |name: &str, length: Span| {
        azure_name_problem(name, length).map(|p| format!("Azure refuses this name: it {p}"))
    };
    // `list[i].name` → i
    let index_of = |list: &str| {
        field
            .strip_prefix(list)
            .and_then(|rest| rest.strip_prefix('['))
            .and_then(|rest| rest.strip_suffix("].name"))
            .and_then(|i| i.parse::<usize>().ok())
    };
    let twice = |name: &str, others: &mut dyn Iterator<Item = &str>| {
        std::iter::from_fn(|| others.next())
            .any(|o| o.eq_ignore_ascii_case(name))
            .then(|| {
                format!(
                    "another object of this kind here is named {} already",
                    crate::quote::quoted(name)
                )
            })
    };
    if let Some(vnet) = design.azure.vnets.iter().find(|v| v.id.as_str() == object) {
        if let Some(i) = index_of("subnets") {
            let name = &vnet.subnets.get(i)?.name;
            return azure(name, length).or_else(|| {
                let mut others = vnet
                    .subnets
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, s)| s.name.as_str());
                twice(name, &mut others)
            });
        }
        return match field {
            "name" => azure(&vnet.name, vnet_length),
            "resource_group" => resource_group_problem(&vnet.resource_group)
                .map(|p| format!("Azure refuses this resource group name: it {p}")),
            _ => None,
        };
    }
    if let Some(table) = design
        .azure
        .route_tables
        .iter()
        .find(|t| t.id.as_str() == object)
    {
        if field == "name" {
            return azure(&table.name, length);
        }
        let index = field
            .strip_prefix("routes[")
            .and_then(|rest| rest.strip_suffix("].name"))
            .and_then(|i| i.parse::<usize>().ok())?;
        return azure(&table.routes.get(index)?.name, length);
    }
    if let Some(gw) = design
        .azure
        .vpn_gateways
        .iter()
        .find(|g| g.id.as_str() == object)
    {
        if let Some(i) = index_of("ip_configurations") {
            return azure(&gw.ip_configurations.get(i)?.name, length);
        }
    }
    if field != "name" {
        return None;
    }
    if let Some(sg) = design
        .aws
        .security_groups
        .iter()
        .find(|g| g.id.as_str() == object)
    {
        return sg_name_problem(&sg.name)
            .map(|p| format!("AWS refuses this name: it {p}"))
            .or_else(|| {
                let mut others = design
                    .aws
                    .security_groups
                    .iter()
                    .filter(|g| g.vpc == sg.vpc && g.id != sg.id && !g.name.is_empty())
                    .map(|g| g.name.as_str());
                twice(&sg.name, &mut others)
            });
    }
    let a = &design.azure;
    for vnet in &a.vnets {
        if let Some(subnet) = vnet.subnets.iter().find(|s| s.id.as_str() == object) {
            return azure(&subnet.name, length).or_else(|| {
                let mut others = vnet
                    .subnets
                    .iter()
                    .filter(|s| s.id != subnet.id)
                    .map(|s| s.name.as_str());
                twice(&subnet.name, &mut others)
            });
        }
    }
    // The other named kinds: the first whose list holds the object.
    macro_rules! name_in {
        ($($list:expr),*) => {
            None$(.or_else(|| {
                $list.iter().find(|x| x.id.as_str() == object).map(|x| x.name.as_str())
            }))*
        };
    }
    let name = name_in!(
        a.public_ips,
        a.vpn_gateways,
        a.local_network_gateways,
        a.connections,
        a.nsgs
    )?;
    azure(name, length)
}

fn refused(
    id: &str,
    field: &str,
    kind: &str,
    name: &str,
    problem: &str,
    cloud: &str,
    fixed: Option<String>,
) -> Finding {
    // A name can be anything a plan file holds: quote at most its first 80 characters.
    let shown: String = name.chars().take(80).collect();
    let ellipsis = if shown.len() < name.len() { "…" } else { "" };
    let what = if field == "resource_group" {
        format!(
            "The resource group {}{ellipsis} of {id}",
            crate::quote::quoted(&shown)
        )
    } else if field == "name" {
        format!(
            "The {kind} {id}, named {}{ellipsis},",
            crate::quote::quoted(&shown)
        )
    } else {
        format!(
            "The {kind} {}{ellipsis} ({field} of {id})",
            crate::quote::quoted(&shown)
        )
    };
    let mut finding = Finding::new(
        "NAME-001",
        Severity::Error,
        format!("{what} has a name {cloud} refuses: it {problem}."),
    )
    .subject(id);
    if let Some(fixed) = fixed {
        finding = finding.fix(
            format!("Rename it {fixed}"),
            vec![Change::new(id, field, fixed)],
        );
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_names() {
        let length = azure_facts::NETWORK_NAME_LENGTH.value;
        for good in ["vnet-app", "a", "snet_1", "v.1_", "GatewaySubnet"] {
            assert_eq!(azure_name_problem(good, length), None, "{good}");
        }
        for bad in [
            "",
            "vnet app",
            "vnet-\"q\"-${x}",
            "-vnet",
            "vnet-",
            "vnet.",
            "ünï",
        ] {
            let problem = azure_name_problem(bad, length);
            assert!(problem.is_some(), "{bad}");
            let fixed = azure_name_fixed(bad, length, "fallback-1");
            assert_eq!(azure_name_problem(&fixed, length), None, "{bad} -> {fixed}");
        }
        assert_eq!(azure_name_fixed("vnet app", length, "x"), "vnet-app");
        assert_eq!(azure_name_fixed("ünï", length, "vnet-1"), "vnet-1");
        assert_eq!(
            azure_name_fixed("Ünïcødé-规则-🚀", length, "vnet-1"),
            "vnet-1"
        );
        assert_eq!(azure_name_fixed("vnet \"q\" ${x}", length, "x"), "vnet-q-x");
        let vnet = azure_facts::VNET_NAME_LENGTH.value;
        assert!(azure_name_problem("v", vnet).is_some());
        assert!(azure_name_problem(&"v".repeat(65), vnet).is_some());
        assert!(azure_name_problem(&"v".repeat(64), vnet).is_none());
        assert_eq!(azure_name_fixed(&"v".repeat(100), vnet, "x").len(), 64);
    }

    #[test]
    fn resource_groups() {
        for good in ["rg-vpn", "rg_(prod)", "Ressourcengruppe-für-VPN"] {
            assert_eq!(resource_group_problem(good), None, "{good}");
        }
        for bad in ["", "rg.", "rg vpn", "rg/vpn", &"r".repeat(91)] {
            assert!(resource_group_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn security_group_names() {
        for good in ["app-sg", "", "web tier (443)", "a:b/c#d"] {
            assert_eq!(sg_name_problem(good), None, "{good}");
        }
        for bad in [
            "sg-app",
            "SG-app",
            "sg-",
            "app\"sg",
            "ünï",
            "éé",
            "sé",
            &"s".repeat(256),
        ] {
            assert!(sg_name_problem(bad).is_some(), "{bad}");
            let fixed = sg_name_fixed(bad);
            assert_eq!(sg_name_problem(&fixed), None, "{bad} -> {fixed}");
        }
        assert_eq!(sg_name_fixed("sg-app"), "app-sg");
        assert_eq!(sg_name_fixed("sg-"), "group-sg");
    }
}
