//! AWS Site-to-Site VPN and VPC facts (facts sheet sections 3 and 4).

use super::{Fact, Span};

/// The Amazon-side ASN of a virtual private gateway: private ranges only [AWS7] [AWS6].
pub const AMAZON_SIDE_ASNS: Fact<&[Span]> = Fact::new(
    &[
        Span::new(64512, 65534),
        Span::new(4_200_000_000, 4_294_967_294),
    ],
    &["AWS7", "AWS6"],
);

/// The Amazon-side ASN a new virtual private gateway gets when none is given (VGWs created since 2018-06-30) [AWS6].
pub const DEFAULT_AMAZON_SIDE_ASN: Fact<u32> = Fact::new(64512, &["AWS6"]);

/// A customer gateway's ASN. CONFLICT on the upper bound (4294967295 in the text, 4294967294 as the documented
/// Maximum) [AWS13]: the stricter Maximum is used.
pub const CUSTOMER_GATEWAY_ASNS: Fact<Span> = Fact::new(Span::new(1, 4_294_967_294), &["AWS13"]);

/// ASNs AWS reserves for customer gateways. CONFLICT [AWS5] [AWS6]: 7224 is reserved in all Regions (later user
/// guide) or only us-east-1 (API text); the sheet recommends rejecting it everywhere. The others are reserved in
/// their Region; Singapore is listed as 17943 and 17493 (probable typo), so both are rejected there.
pub const CUSTOMER_GATEWAY_RESERVED_ASNS: Fact<&[(u32, Option<&str>)]> = Fact::new(
    &[
        (7224, None),
        (9059, Some("eu-west-1")),
        (10124, Some("ap-northeast-1")),
        (17943, Some("ap-southeast-1")),
        (17493, Some("ap-southeast-1")),
    ],
    &["AWS5", "AWS6"],
);

/// Tunnel inside CIDRs: a /30 from 169.254.0.0/16 [AWS1] [AWS2] [AWS3].
pub const INSIDE_CIDR_RANGE: Fact<&str> = Fact::new("169.254.0.0/16", &["AWS1", "AWS3"]);
pub const INSIDE_CIDR_PREFIX: Fact<u8> = Fact::new(30, &["AWS1", "AWS3"]);
/// The inside /30s AWS rejects [AWS2] [AWS3].
pub const RESERVED_INSIDE_CIDRS: Fact<&[&str]> = Fact::new(
    &[
        "169.254.0.0/30",
        "169.254.1.0/30",
        "169.254.2.0/30",
        "169.254.3.0/30",
        "169.254.4.0/30",
        "169.254.5.0/30",
        "169.254.169.252/30",
    ],
    &["AWS2", "AWS3"],
);
/// AWS takes the first host of the inside /30, the customer gateway the second [AWS12] [AZ1].
pub const INSIDE_HOST_AWS: Fact<u32> = Fact::new(1, &["AWS12", "AZ1"]);
pub const INSIDE_HOST_CUSTOMER: Fact<u32> = Fact::new(2, &["AWS12", "AZ1"]);

/// Pre-shared keys: 8–64 characters of `[A-Za-z0-9._]`, not starting with `0` [AWS1] [AWS2] [AWS3].
pub const PSK_LENGTH: Fact<Span> = Fact::new(Span::new(8, 64), &["AWS1", "AWS3"]);

/// Tunnel option ranges [AWS1] [AWS3].
pub const PHASE1_LIFETIME: Fact<Span> = Fact::new(Span::new(900, 28_800), &["AWS1", "AWS3"]);
pub const PHASE2_LIFETIME: Fact<Span> = Fact::new(Span::new(900, 3_600), &["AWS1", "AWS3"]);
/// Rekey margin: from 60 s to half the phase 2 lifetime [AWS1] [AWS3].
pub const REKEY_MARGIN_MIN: Fact<u64> = Fact::new(60, &["AWS1", "AWS3"]);
pub const REKEY_FUZZ_PERCENT: Fact<Span> = Fact::new(Span::new(0, 100), &["AWS1"]);
pub const REPLAY_WINDOW: Fact<Span> = Fact::new(Span::new(64, 2048), &["AWS1"]);
/// DPD timeout: at least 30 s [AWS1]. (The default is a CONFLICT, 30 vs 40 [AWS2]; the minimum is not.)
pub const DPD_TIMEOUT: Fact<Span> = Fact::new(Span::new(30, u64::MAX), &["AWS1"]);

/// Quotas [AWS8].
pub const MAX_VPN_CONNECTIONS_PER_VGW: Fact<usize> = Fact::new(10, &["AWS8"]);
/// Dynamic routes a customer gateway may advertise into one VPN connection (not adjustable) [AWS8].
pub const MAX_ROUTES_INTO_VPN_CONNECTION: Fact<usize> = Fact::new(100, &["AWS8", "AVX"]);

/// VPC and subnet sizes: /16 to /28 [VPC2].
pub const VPC_PREFIX: Fact<Span> = Fact::new(Span::new(16, 28), &["VPC2"]);
pub const SUBNET_PREFIX: Fact<Span> = Fact::new(Span::new(16, 28), &["VPC2"]);

/// Secondary CIDR restrictions by the primary block's range [VPC2]: (primary within, forbidden secondaries).
pub const SECONDARY_CIDR_RESTRICTIONS: Fact<&[(&str, &[&str])]> = Fact::new(
    &[
        ("10.0.0.0/15", &["10.0.0.0/16"]),
        (
            "10.0.0.0/8",
            &["172.16.0.0/12", "192.168.0.0/16", "198.19.0.0/16"],
        ),
        (
            "172.16.0.0/12",
            &[
                "10.0.0.0/8",
                "192.168.0.0/16",
                "172.31.0.0/16",
                "198.19.0.0/16",
            ],
        ),
        (
            "192.168.0.0/16",
            &["10.0.0.0/8", "172.16.0.0/12", "198.19.0.0/16"],
        ),
        (
            "198.19.0.0/16",
            &["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
        ),
    ],
    &["VPC2"],
);
/// Any other primary (public or 100.64/10): no RFC 1918 and no 198.19.0.0/16 secondary [VPC2].
pub const SECONDARY_CIDR_RESTRICTIONS_OTHER: Fact<&[&str]> = Fact::new(
    &[
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "198.19.0.0/16",
    ],
    &["VPC2"],
);

/// Security group rules per direction [VPC1].
pub const SG_MAX_RULES_PER_DIRECTION: Fact<usize> = Fact::new(60, &["VPC1"]);
/// Network ACL rule numbers [VPC4].
pub const NACL_RULE_NUMBER: Fact<Span> = Fact::new(Span::new(1, 32766), &["VPC4"]);
/// The return-path ports the editor writes into a network ACL's entries: 1024–65535, the range AWS's network ACL
/// guide suggests opening to cover every kind of client (load balancers and NAT gateways use 1024–65535). NOT in
/// the facts sheet (it gives no ephemeral range); a facts-sheet entry with an AWS source should replace it.
pub const NACL_EPHEMERAL_PORTS: Fact<Span> = Fact::new(Span::new(1024, 65535), &[]);
/// The client ports the review requires a network ACL's return path to let through: the default ephemeral ranges
/// of the clients a declared flow starts on, Linux (32768–60999) and Windows Server 2008 and later (49152–65535),
/// which a VPN between two private networks carries without translation. NOT in the facts sheet either. Requiring
/// all of 1024–65535 made a return path of 32768–65535, which serves those clients, an error (audit s18).
pub const CLIENT_EPHEMERAL_PORTS: Fact<Span> = Fact::new(Span::new(32768, 65535), &[]);

/// A security group's name (`GroupName`): up to 255 characters of letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`,
/// never starting with `sg-` (the form of a group's id). NOT in the facts sheet: from the EC2 API reference,
/// CreateSecurityGroup. A facts-sheet row should replace this reference.
pub const SG_NAME_MAX_CHARS: Fact<usize> = Fact::new(255, &[]);
/// See [`SG_NAME_MAX_CHARS`].
pub const SG_NAME_FORBIDDEN_PREFIX: Fact<&str> = Fact::new("sg-", &[]);
