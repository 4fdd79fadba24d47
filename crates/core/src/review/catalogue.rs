//! The catalogue of codes (review-rules.md): each code's title. Codes are stable; never reuse or renumber one.

pub const CODES: &[(&str, &str)] = &[
    ("ADDR-001", "Overlapping network address spaces"),
    ("ADDR-002", "Subnet outside its network's address space"),
    ("ADDR-003", "Overlapping subnets"),
    ("ADDR-004", "Prefix length outside the cloud's limits"),
    ("ADDR-005", "CIDR with host bits set"),
    ("ADDR-006", "Address range the cloud forbids"),
    (
        "ADDR-007",
        "Static routes do not match the partner's address space",
    ),
    ("GW-001", "No subnet named GatewaySubnet"),
    ("GW-002", "GatewaySubnet too small"),
    ("GW-003", "Unsupported NSG or route on GatewaySubnet"),
    ("GW-004", "Feature not supported by the gateway SKU"),
    ("GW-005", "Gateway capacity exceeded"),
    (
        "GW-006",
        "Active-standby gateway with several custom APIPA addresses",
    ),
    ("GW-007", "No redundancy"),
    (
        "GW-008",
        "Active-active without two Standard static public IPs",
    ),
    ("GW-009", "Gateway SKU retired or being retired"),
    ("BGP-001", "Same ASN on both ends of a BGP session"),
    ("BGP-002", "Reserved or out-of-range ASN"),
    (
        "BGP-003",
        "Customer gateway ASN differs from the Azure gateway's",
    ),
    (
        "BGP-004",
        "Local network gateway ASN differs from the AWS gateway's",
    ),
    ("BGP-005", "Custom APIPA address outside Azure's range"),
    ("BGP-006", "BGP peer addresses do not match the inside /30"),
    ("BGP-007", "Routing mode differs between the two ends"),
    ("BGP-008", "Too many advertised prefixes"),
    ("BGP-009", "APIPA address repeated on an Azure gateway"),
    ("TUN-001", "Inside CIDR is not a /30 in 169.254.0.0/16"),
    ("TUN-002", "Inside CIDR reserved by AWS"),
    ("TUN-003", "Inside CIDR used twice or overlapping"),
    ("TUN-004", "Tunnel endpoint mismatch"),
    ("TUN-005", "Pre-shared key breaks a cloud's rules"),
    ("TUN-006", "Pre-shared keys differ between the two ends"),
    ("TUN-007", "Pre-shared key reused across tunnels"),
    ("TUN-008", "Nobody can initiate IKE"),
    ("TUN-009", "DPD timeout out of range"),
    ("TUN-010", "Tunnel option not supported by the gateway type"),
    ("TUN-011", "AWS tunnel with no Azure end"),
    (
        "TUN-012",
        "Policy-based selectors do not give one SA pair per AWS tunnel",
    ),
    (
        "TUN-013",
        "Traffic selectors differ between Azure and the AWS connection",
    ),
    (
        "TUN-014",
        "Declared flow outside the tunnels' traffic selectors",
    ),
    ("TUN-015", "Customer gateway used in two regions"),
    ("TUN-016", "Two customer gateways AWS would make one"),
    ("IKE-001", "No common phase 1 proposal"),
    ("IKE-002", "No common phase 2 proposal"),
    ("IKE-003", "Algorithm the other cloud does not offer"),
    ("IKE-004", "Lifetime or rekey value out of range"),
    ("IKE-005", "Weak algorithm acceptable to both ends"),
    ("IKE-006", "GCM encryption with a different integrity value"),
    ("IKE-007", "IKEv1 where IKEv2 is available"),
    ("IKE-008", "Partial custom IPsec/IKE policy"),
    ("IKE-009", "Many transforms offered on the AWS side"),
    ("IKE-010", "Azure value only its API offers"),
    ("RT-001", "No route through the VPN"),
    ("RT-002", "Route propagation off and no static route"),
    ("RT-003", "A more specific route sends the flow elsewhere"),
    ("RT-004", "Asymmetric return path"),
    ("RT-005", "Route the cloud refuses"),
    ("RT-006", "Declared flow with an end no machine can use"),
    ("SEC-001", "Declared flow denied by an NSG"),
    ("SEC-002", "Declared flow not allowed by security groups"),
    ("SEC-003", "NSG rule priority invalid or duplicated"),
    ("SEC-004", "Shadowed NSG rule"),
    ("SEC-005", "Rule opens more than the partner needs"),
    ("SEC-006", "Rule names an address range outside the plan"),
    ("SEC-007", "Rule the cloud does not support"),
    ("SEC-008", "Allowed traffic no declared flow needs"),
    ("SEC-009", "Rule-count quota exceeded"),
    ("NAME-001", "Name the cloud refuses"),
    ("NAME-002", "Region or zone the cloud does not have"),
];

/// The title of a code, or the code itself for an unknown one (a bug the catalogue test catches).
pub fn title(code: &str) -> &'static str {
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, t)| *t)
        .unwrap_or("Unknown finding")
}
