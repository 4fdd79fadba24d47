//! Field labels for people. The inspector's fields are plan paths (`tunnels[0].phase1_dh_groups`): exact, and what
//! a plan file and the review's fixes name, but not what an engineer reads. Each label is written in words
//! ("Tunnel 1 · Phase 1 DH groups"); the path stays as the label's title and in the field's test id.

/// Words the plan's keys abbreviate, as the clouds' own consoles write them.
const WORDS: &[(&str, &str)] = &[
    ("apipa", "APIPA"),
    ("asn", "ASN"),
    ("aws", "AWS"),
    ("bgp", "BGP"),
    ("cidr", "CIDR"),
    ("cidrs", "CIDRs"),
    ("dh", "DH"),
    ("dpd", "DPD"),
    ("icmp", "ICMP"),
    ("id", "ID"),
    ("ike", "IKE"),
    ("ip", "IP"),
    ("ips", "IPs"),
    ("ipsec", "IPsec"),
    ("ipv4", "IPv4"),
    ("ipv6", "IPv6"),
    ("kb", "KB"),
    ("nsg", "NSG"),
    ("pfs", "PFS"),
    ("sa", "SA"),
    ("sku", "SKU"),
    ("tcp", "TCP"),
    ("udp", "UDP"),
    ("vgw", "VGW"),
    ("vnet", "VNet"),
    ("vpc", "VPC"),
    ("vpn", "VPN"),
];

/// One list's items, by the list's key: `rules[1]` is "Rule 2".
const ITEMS: &[(&str, &str)] = &[
    ("address_prefixes", "Prefix"),
    ("address_space", "Prefix"),
    ("apipa_addresses", "APIPA address"),
    ("cidr_blocks", "CIDR block"),
    ("egress", "Outbound rule"),
    ("ingress", "Inbound rule"),
    ("ip_configurations", "Instance"),
    ("ports", "Port range"),
    ("routes", "Route"),
    ("rules", "Rule"),
    ("subnets", "Subnet"),
    ("traffic_selector_policies", "Selector policy"),
    ("tunnels", "Tunnel"),
];

/// Keys whose words are written otherwise.
const WHOLE: &[(&str, &str)] = &[("pre_shared_key", "pre-shared key")];

/// `phase1_dh_groups` → "phase 1 DH groups".
fn words(key: &str) -> String {
    if let Some((_, text)) = WHOLE.iter().find(|(k, _)| *k == key) {
        return text.to_string();
    }
    key.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            if let Some((_, word)) = WORDS.iter().find(|(k, _)| *k == w) {
                return word.to_string();
            }
            // `phase1` → "phase 1"
            match w.find(|c: char| c.is_ascii_digit()) {
                Some(i) if i > 0 && w[i..].chars().all(|c| c.is_ascii_digit()) => {
                    format!("{} {}", &w[..i], &w[i..])
                }
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalised(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// One path segment: `tunnels[0]` → "Tunnel 1", `ipsec_policy` → "IPsec policy".
fn segment(part: &str) -> String {
    if let Some((list, rest)) = part.split_once('[') {
        if let Ok(i) = rest.trim_end_matches(']').parse::<usize>() {
            let item = ITEMS
                .iter()
                .find(|(k, _)| *k == list)
                .map(|(_, item)| item.to_string())
                .unwrap_or_else(|| capitalised(words(list)));
            // Azure numbers a gateway's instances from 0 (instance 0 takes the connection's primary custom BGP
            // address, instance 1 the secondary [AZ1]), and so do the findings: the inspector says the same
            // (QA s19 found "Instance 2" beside findings about instance 1). Other lists count from 1.
            let number = if list == "ip_configurations" {
                i
            } else {
                i + 1
            };
            return format!("{item} {number}");
        }
    }
    capitalised(words(part))
}

/// A field's label: each part of its path in words, joined by " · ".
pub fn label(key: &str) -> String {
    key.split('.')
        .filter(|p| !p.is_empty())
        .map(segment)
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn paths_read_as_words() {
        for (key, expected) in [
            ("name", "Name"),
            ("address_space", "Address space"),
            (
                "tunnels[0].phase1_dh_groups",
                "Tunnel 1 · Phase 1 DH groups",
            ),
            ("ipsec_policy.pfs_group", "IPsec policy · PFS group"),
            ("destination_prefixes", "Destination prefixes"),
            ("ip_configurations[1].public_ip", "Instance 1 · Public IP"),
            (
                "ip_configurations[0].apipa_addresses",
                "Instance 0 · APIPA addresses",
            ),
            ("bgp.peering_address", "BGP · Peering address"),
            (
                "custom_bgp_addresses.primary_address",
                "Custom BGP addresses · Primary address",
            ),
            ("local_ipv4_network_cidr", "Local IPv4 network CIDR"),
            ("sku", "SKU"),
            ("amazon_side_asn", "Amazon side ASN"),
            ("rules[1]", "Rule 2"),
            ("dpd_timeout_seconds", "DPD timeout seconds"),
            ("tunnels[1].pre_shared_key", "Tunnel 2 · Pre-shared key"),
        ] {
            assert_eq!(label(key), expected, "{key}");
        }
    }
}
