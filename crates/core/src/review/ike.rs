//! IKE: IKE/IPsec parameters. Compatibility is decided by intersecting what each end proposes and accepts (in the
//! common vocabulary of `facts::ike`, reported in each cloud's own names), then values one cloud lacks, lifetime
//! ranges, weak algorithms, GCM pairing, IKEv1, partial Azure policies, over-long AWS lists and Azure values only its
//! API offers.
//!
//! Lifetimes that differ between the clouds are deliberately not a finding: they are local to each end [AZ5].

use super::context::{Context, Link};
use super::{Change, Finding, Severity};
use crate::facts::ike::{self as f, Cipher, Hash, IkeVersion, Phase1, Phase2};
use crate::facts::{aws as aws_facts, azure as azure_facts};
use crate::model::aws::{self, Encryption, Integrity, StartupAction, Tunnel};
use crate::model::azure::{
    Connection, ConnectionMode, ConnectionProtocol, GatewaySku, IkeEncryption, IkeIntegrity,
    IpsecPolicy, PfsGroup, VpnType,
};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for link in &context.links {
        link_checks(context, link, findings);
    }
    connection_checks(context, findings);
}

/// The family's checks of one link (the review runs every family's in one pass over the links).
pub(crate) fn link_checks(context: &Context, link: &Link, findings: &mut Vec<Finding>) {
    compatibility(context, link, findings);
    missing_values(context, link, findings);
}

/// The checks of each side's connections on their own.
pub(crate) fn connection_checks(context: &Context, findings: &mut Vec<Finding>) {
    lifetimes(context, findings);
    gcm_pairing(context, findings);
    ikev1(context, findings);
    partial_policies(context, findings);
    many_transforms(context, findings);
    sdk_only_values(context, findings);
}

/// What the Azure end of a connection proposes and accepts.
pub struct AzureOffer<'a> {
    pub phase1: Vec<Phase1>,
    pub phase2_propose: Vec<Phase2>,
    pub phase2_accept: Vec<Phase2>,
    /// The connection whose offer this is, for [`AzureOffer::description`].
    connection: &'a Connection,
}

impl AzureOffer<'_> {
    /// How the offer reads in Azure's names (written only for findings that quote it).
    pub fn description(&self) -> String {
        let connection = self.connection;
        match &connection.ipsec_policy {
            Some(p) => format!(
                "custom policy {} {} / {} / {} / {} / {} / {}",
                connection.connection_protocol.name(),
                p.ike_encryption.map(|x| x.name()).unwrap_or_default(),
                p.ike_integrity.map(|x| x.name()).unwrap_or_default(),
                p.dh_group.map(|x| x.name()).unwrap_or_default(),
                p.ipsec_encryption.map(|x| x.name()).unwrap_or_default(),
                p.ipsec_integrity.map(|x| x.name()).unwrap_or_default(),
                p.pfs_group.map(|x| x.name()).unwrap_or_default()
            ),
            None => format!(
                "Azure's default proposals ({}, DHGroup2, AES256/AES128/DES3 with SHA1/SHA256; quick mode without \
                 PFS when initiating)",
                connection.connection_protocol.name()
            ),
        }
    }
}

fn version(protocol: ConnectionProtocol) -> IkeVersion {
    match protocol {
        ConnectionProtocol::IkeV1 => IkeVersion::V1,
        ConnectionProtocol::IkeV2 => IkeVersion::V2,
    }
}

/// A policy with every algorithm field set.
fn complete(p: &IpsecPolicy) -> bool {
    missing_fields(p).is_empty()
}

fn missing_fields(p: &IpsecPolicy) -> Vec<&'static str> {
    let mut missing = Vec::new();
    macro_rules! need {
        ($($field:ident),*) => {$(
            if p.$field.is_none() {
                missing.push(stringify!($field));
            }
        )*};
    }
    need!(
        ike_encryption,
        ike_integrity,
        dh_group,
        ipsec_encryption,
        ipsec_integrity,
        pfs_group,
        sa_lifetime_seconds,
        sa_data_size_kilobytes
    );
    missing
}

/// Azure's offer for a connection: exactly its custom policy, or the default proposals [AZ9]; `None` for a
/// partial policy (IKE-008), which Azure rejects outright.
pub fn azure_offer(connection: &Connection) -> Option<AzureOffer<'_>> {
    let v = version(connection.connection_protocol);
    match &connection.ipsec_policy {
        Some(p) if complete(p) => {
            let (ie, ii, dh, pe, pi, pfs) = (
                p.ike_encryption?,
                p.ike_integrity?,
                p.dh_group?,
                p.ipsec_encryption?,
                p.ipsec_integrity?,
                p.pfs_group?,
            );
            let cipher = f::azure_ipsec_cipher(pe);
            let hash = f::azure_ipsec_hash(pi);
            // A GCM cipher with its own GCM integrity carries no separate hash; any other pairing is IKE-006.
            let hash = if cipher.is_gcm() && f::gcm_integrity_for(pe) == Some(pi) {
                None
            } else {
                Some(hash)
            };
            let phase2: Vec<Phase2> = f::azure_pfs_group(pfs)
                .map(|pfs| Phase2 { cipher, hash, pfs })
                .into_iter()
                .collect();
            Some(AzureOffer {
                phase1: vec![Phase1 {
                    version: v,
                    cipher: f::azure_ike_cipher(ie),
                    hash: f::azure_ike_hash(ii),
                    dh: f::azure_dh_group(dh),
                }],
                phase2_propose: phase2.clone(),
                phase2_accept: phase2,
                connection,
            })
        }
        Some(_) => None,
        None => Some(AzureOffer {
            phase1: f::AZURE_DEFAULT_PHASE1
                .value
                .iter()
                .map(|(cipher, hash)| Phase1 {
                    version: v,
                    cipher: *cipher,
                    hash: *hash,
                    dh: f::AZURE_DEFAULT_PHASE1_DH.value,
                })
                .collect(),
            phase2_propose: f::AZURE_DEFAULT_PHASE2_INITIATOR.value.to_vec(),
            phase2_accept: f::AZURE_DEFAULT_PHASE2_RESPONDER.value.to_vec(),
            connection,
        }),
    }
}

fn aws_version(v: IkeVersion) -> aws::IkeVersion {
    match v {
        IkeVersion::V1 => aws::IkeVersion::IkeV1,
        IkeVersion::V2 => aws::IkeVersion::IkeV2,
    }
}

/// AWS phase 1. AES-GCM is an IKEv2 cipher: neither cloud pairs it with IKEv1 (the facts sheet's 1.7 lists
/// GCMAES under IKEv2 encryption, and 5.1 marks the IKE GCM pairing "IKEv2") [AZ4] [AWS1].
pub fn aws_accepts_phase1(t: &Tunnel, p: &Phase1) -> bool {
    !(p.cipher.is_gcm() && p.version == IkeVersion::V1)
        && t.ike_versions.contains(&aws_version(p.version))
        && t.phase1_encryption
            .iter()
            .any(|e| f::aws_cipher(*e) == p.cipher)
        && aws_phase1_integrity(t, p.cipher, p.hash).is_some()
        && t.phase1_dh_groups.contains(&p.dh)
}

/// The AWS phase 1 integrity that answers an Azure one. Azure's GCMAES IKE integrity is a value only its REST API
/// and SDKs offer, and which AWS integrity it pairs with is unconfirmed (facts sheet 1.7 and 5.1 [AZ16]): it is
/// given the benefit of the doubt (SHA2-256 where the tunnel offers it, else its first value) and IKE-010 warns.
fn aws_phase1_integrity(t: &Tunnel, cipher: Cipher, hash: Hash) -> Option<Integrity> {
    let matching = |h: Hash| {
        t.phase1_integrity
            .iter()
            .copied()
            .find(|i| f::aws_hash(*i) == h)
    };
    match hash {
        Hash::Gcm(_) if cipher.is_gcm() => {
            matching(Hash::Sha256).or(t.phase1_integrity.first().copied())
        }
        Hash::Gcm(_) => None,
        h => matching(h),
    }
}

/// AWS phase 2: GCM ciphers carry their own integrity; "no PFS" is tolerated (observed to work, see facts sheet
/// 5.3 pitfall 2 [AZ26]) and reported as weak by IKE-005 rather than as incompatible.
pub fn aws_accepts_phase2(t: &Tunnel, p: &Phase2) -> bool {
    t.phase2_encryption
        .iter()
        .any(|e| f::aws_cipher(*e) == p.cipher)
        && match p.hash {
            None => p.cipher.is_gcm(),
            Some(h) => {
                !p.cipher.is_gcm() && t.phase2_integrity.iter().any(|i| f::aws_hash(*i) == h)
            }
        }
        && (p.pfs == 0 || t.phase2_dh_groups.contains(&p.pfs))
}

/// The proposals both ends of a link agree on, phase 1 and phase 2, taking into account who may initiate.
pub fn common_proposals(link: &Link) -> Option<(Vec<Phase1>, Vec<Phase2>)> {
    let offer = azure_offer(link.connection)?;
    let t = link.tunnel;
    let phase1 = offer
        .phase1
        .iter()
        .filter(|p| aws_accepts_phase1(t, p))
        .copied()
        .collect();
    let aws_initiates = t.startup_action == StartupAction::Start;
    let azure_initiates = link.connection.connection_mode != ConnectionMode::ResponderOnly;
    let mut phase2: Vec<Phase2> = Vec::new();
    let neither = !aws_initiates && !azure_initiates;
    if azure_initiates || neither {
        phase2.extend(
            offer
                .phase2_propose
                .iter()
                .filter(|p| aws_accepts_phase2(t, p)),
        );
    }
    if aws_initiates || neither {
        phase2.extend(
            offer
                .phase2_accept
                .iter()
                .filter(|p| aws_accepts_phase2(t, p)),
        );
    }
    phase2.sort();
    phase2.dedup();
    Some((phase1, phase2))
}

fn names<T: Copy>(list: &[T], name: impl Fn(T) -> &'static str) -> String {
    list.iter().map(|v| name(*v)).collect::<Vec<_>>().join(",")
}

fn numbers(list: &[u8]) -> String {
    list.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn aws_phase1_text(t: &Tunnel) -> String {
    format!(
        "versions [{}], encryption [{}], integrity [{}], DH groups [{}]",
        names(&t.ike_versions, |v| v.name()),
        names(&t.phase1_encryption, |v| v.name()),
        names(&t.phase1_integrity, |v| v.name()),
        numbers(&t.phase1_dh_groups)
    )
}

fn aws_phase2_text(t: &Tunnel) -> String {
    format!(
        "encryption [{}], integrity [{}], DH groups [{}]",
        names(&t.phase2_encryption, |v| v.name()),
        names(&t.phase2_integrity, |v| v.name()),
        numbers(&t.phase2_dh_groups)
    )
}

/// How many parts of a phase 1 proposal IKE-005 calls weak [AZ25].
fn weak_parts1(p: &Phase1) -> usize {
    usize::from(f::WEAK_CIPHERS.value.contains(&p.cipher))
        + usize::from(f::WEAK_HASHES.value.contains(&p.hash))
        + usize::from(f::WEAK_DH_GROUPS.value.contains(&p.dh))
}

/// How many parts of a phase 2 proposal IKE-005 calls weak, no PFS among them [AZ25].
fn weak_parts2(p: &Phase2) -> usize {
    usize::from(p.pfs == 0 || f::WEAK_DH_GROUPS.value.contains(&p.pfs))
        + usize::from(p.hash.is_some_and(|h| f::WEAK_HASHES.value.contains(&h)))
        + usize::from(f::WEAK_CIPHERS.value.contains(&p.cipher))
}

/// IKE-001's and IKE-002's fix when the Azure connection runs Azure's default proposals and the AWS tunnel was
/// narrowed to values they lack (DH group 14 only, say). The facts sheet says a hardened tunnel needs an Azure
/// custom policy (5.3); pinning AWS to Azure's defaults weakened it to DH group 2 instead (audit s18).
///
/// - The connection gets the first custom policy, strongest first, that the tunnel accepts in both phases as it
///   is: Connect's own (AES256 / SHA256 / DHGroup14 / AES256 / SHA256 / PFS2048) leads, then stronger groups and
///   GCM, then AES128.
/// - If none fits (a tunnel on SHA2-512 alone, which Azure cannot name), both ends are pinned to Connect's set,
///   as Connect pins them: never weaker than the tunnel was.
///
/// Not on a Basic gateway, which takes no custom policy [AZ2].
fn custom_policy_fix(context: &Context, link: &Link) -> Option<(String, Vec<Change>)> {
    if link.connection.ipsec_policy.is_some()
        || link
            .gateway
            .is_some_and(|g| g.sku == crate::model::azure::GatewaySku::Basic)
    {
        return None;
    }
    let t = link.tunnel;
    let accepted = |policy: &IpsecPolicy| -> Option<String> {
        let mut candidate = link.connection.clone();
        candidate.ipsec_policy = Some(policy.clone());
        let offer = azure_offer(&candidate)?;
        let both = offer.phase1.iter().any(|p| aws_accepts_phase1(t, p))
            && offer
                .phase2_propose
                .iter()
                .chain(&offer.phase2_accept)
                .any(|p| aws_accepts_phase2(t, p));
        both.then(|| offer.description())
    };
    let cid = link.connection.id.as_str();
    let pinned = crate::templates::pinned_azure_policy();
    if let Some((policy, description)) = std::iter::once(pinned.clone())
        .chain(policy_candidates(&pinned))
        .find_map(|p| accepted(&p).map(|d| (p, d)))
    {
        return Some((
            format!("Give connection {} the {description}", context.label(cid)),
            vec![Change::new(cid, "ipsec_policy", policy)],
        ));
    }
    // Both ends to Connect's set: the tunnel's lists as Connect writes them, the connection its policy.
    let aws = crate::templates::pinned_aws_tunnel("169.254.0.0/30");
    let vpn = link.vpn.id.as_str();
    let mut changes = vec![Change::new(cid, "ipsec_policy", pinned)];
    for (name, value) in [
        (
            "phase1_encryption",
            serde_json::json!(aws.phase1_encryption),
        ),
        ("phase1_integrity", serde_json::json!(aws.phase1_integrity)),
        ("phase1_dh_groups", serde_json::json!(aws.phase1_dh_groups)),
        (
            "phase2_encryption",
            serde_json::json!(aws.phase2_encryption),
        ),
        ("phase2_integrity", serde_json::json!(aws.phase2_integrity)),
        ("phase2_dh_groups", serde_json::json!(aws.phase2_dh_groups)),
    ] {
        changes.push(Change::new(vpn, link.tunnel_field(name), value));
    }
    changes.extend(with_ike_version(link, aws::IkeVersion::IkeV2));
    Some((
        format!(
            "Pin connection {} and {} to AES256 / SHA256 / DH group 14, PFS group 14, as Connect does",
            context.label(cid),
            link.tunnel_label_short()
        ),
        changes,
    ))
}

/// Custom policies to try after Connect's, strongest first: its phase 1 with each group Azure and AWS share
/// (ECP384, DHGroup24, ECP256) and SHA384, its phase 2 with GCM, then AES128.
fn policy_candidates(base: &IpsecPolicy) -> impl Iterator<Item = IpsecPolicy> + '_ {
    use crate::model::azure::{
        DhGroup, IkeEncryption, IkeIntegrity, IpsecEncryption, IpsecIntegrity, PfsGroup,
    };
    let groups = [
        (DhGroup::Ecp384, PfsGroup::Ecp384),
        (DhGroup::DhGroup24, PfsGroup::Pfs24),
        (DhGroup::DhGroup14, PfsGroup::Pfs2048),
        (DhGroup::Ecp256, PfsGroup::Ecp256),
    ];
    let phase1 = [
        (IkeEncryption::Aes256, IkeIntegrity::Sha384),
        (IkeEncryption::Aes256, IkeIntegrity::Sha256),
        (IkeEncryption::Aes128, IkeIntegrity::Sha256),
    ];
    let phase2 = [
        (IpsecEncryption::GcmAes256, IpsecIntegrity::GcmAes256),
        (IpsecEncryption::Aes256, IpsecIntegrity::Sha256),
        (IpsecEncryption::GcmAes128, IpsecIntegrity::GcmAes128),
        (IpsecEncryption::Aes128, IpsecIntegrity::Sha256),
    ];
    groups.into_iter().flat_map(move |(dh, pfs)| {
        phase1.into_iter().flat_map(move |(ie, ii)| {
            phase2.into_iter().map(move |(pe, pi)| IpsecPolicy {
                ike_encryption: Some(ie),
                ike_integrity: Some(ii),
                dh_group: Some(dh),
                ipsec_encryption: Some(pe),
                ipsec_integrity: Some(pi),
                pfs_group: Some(pfs),
                ..base.clone()
            })
        })
    })
}

/// The change adding `version` to the tunnel's IKE versions, when it lacks it.
fn with_ike_version(link: &Link, version: aws::IkeVersion) -> Option<Change> {
    let t = link.tunnel;
    (!t.ike_versions.contains(&version)).then(|| {
        let mut versions = t.ike_versions.clone();
        versions.push(version);
        Change::new(
            link.vpn.id.as_str(),
            link.tunnel_field("ike_versions"),
            versions,
        )
    })
}

/// IKE-001's fix: the AWS tunnel's phase 1 pinned to the least weak of Azure's proposals AWS can express (Azure's
/// policy is the user's deliberate choice, an AWS tunnel's lists are often defaults). `None` when AWS offers none
/// of them (IKE-003 names the values AWS lacks).
fn pin_phase1(link: &Link, offer: &AzureOffer) -> Option<(String, Vec<Change>)> {
    // Of several proposals (Azure's defaults are six), the one with the fewest weak values: AES256 / SHA256
    // rather than the first, AES256 / SHA1, which only traded IKE-001 for IKE-005 (QA s17b).
    let (p, e, h) = offer
        .phase1
        .iter()
        .filter_map(|p| {
            let expressible = !(p.cipher.is_gcm() && p.version == IkeVersion::V1)
                && f::AWS_PHASE1_DH_GROUPS.value.contains(&p.dh);
            expressible
                .then(|| Some((p, aws_encryption(p.cipher)?, aws_phase1_hash(p)?)))
                .flatten()
        })
        .min_by_key(|(p, _, _)| weak_parts1(p))?;
    let vpn = link.vpn.id.as_str();
    let mut changes = vec![
        Change::new(vpn, link.tunnel_field("phase1_encryption"), [e]),
        Change::new(vpn, link.tunnel_field("phase1_integrity"), [h]),
        Change::new(vpn, link.tunnel_field("phase1_dh_groups"), [p.dh]),
    ];
    changes.extend(with_ike_version(link, aws_version(p.version)));
    Some((
        format!(
            "Set {} phase 1 to Azure's {} / {} / DH group {} ({})",
            link.tunnel_label_short(),
            e.name(),
            h.name(),
            p.dh,
            p.version.name()
        ),
        changes,
    ))
}

/// The AWS integrity standing for a phase 1 proposal's hash: SHA2-256 for Azure's GCMAES integrity with a GCM
/// cipher (see `aws_phase1_integrity`).
fn aws_phase1_hash(p: &Phase1) -> Option<Integrity> {
    match p.hash {
        Hash::Gcm(_) if p.cipher.is_gcm() => Some(Integrity::Sha2_256),
        Hash::Gcm(_) => None,
        h => aws_integrity(h),
    }
}

/// IKE-002's fix: the AWS tunnel's phase 2 pinned to the first of Azure's proposals AWS can express.
fn pin_phase2(link: &Link, offer: &AzureOffer) -> Option<(String, Vec<Change>)> {
    let (p, e) = offer
        .phase2_propose
        .iter()
        .chain(&offer.phase2_accept)
        .find_map(|p| {
            let expressible = match p.hash {
                None => p.cipher.is_gcm(),
                Some(h) => !p.cipher.is_gcm() && aws_integrity(h).is_some(),
            } && (p.pfs == 0 || f::AWS_PHASE2_DH_GROUPS.value.contains(&p.pfs));
            expressible
                .then(|| Some((p, aws_encryption(p.cipher)?)))
                .flatten()
        })?;
    let vpn = link.vpn.id.as_str();
    let mut changes = vec![Change::new(
        vpn,
        link.tunnel_field("phase2_encryption"),
        [e],
    )];
    let mut summary = vec![e.name().to_string()];
    if let Some(h) = p.hash.and_then(aws_integrity) {
        changes.push(Change::new(vpn, link.tunnel_field("phase2_integrity"), [h]));
        summary.push(h.name().to_string());
    }
    if p.pfs != 0 {
        changes.push(Change::new(
            vpn,
            link.tunnel_field("phase2_dh_groups"),
            [p.pfs],
        ));
        summary.push(format!("PFS group {}", p.pfs));
    }
    // A GCM cipher carries its own integrity and no PFS needs no group: those lists stay as they are.
    Some((
        format!(
            "Set {} phase 2 to Azure's {}",
            link.tunnel_label_short(),
            summary.join(" / ")
        ),
        changes,
    ))
}

/// IKE-001, IKE-002, IKE-005 for one link.
fn compatibility(context: &Context, link: &Link, findings: &mut Vec<Finding>) {
    let (Some(offer), Some((phase1, phase2))) =
        (azure_offer(link.connection), common_proposals(link))
    else {
        return;
    };
    let cid = link.connection.id.as_str();
    let vid = link.vpn.id.as_str();
    let t = link.tunnel;
    // Both phases' findings offer the same custom policy when Azure runs its defaults: searched once.
    let custom = (phase1.is_empty() || phase2.is_empty())
        .then(|| custom_policy_fix(context, link))
        .flatten();
    if phase1.is_empty() {
        findings.push(
            Finding::new(
                "IKE-001",
                Severity::Error,
                format!(
                    "No phase 1 proposal is acceptable to both ends: connection {} offers {}; {} accepts {}.",
                    context.label(cid),
                    offer.description(),
                    link.tunnel_label(context),
                    aws_phase1_text(t)
                ),
            )
            .subject(cid)
            .subject(vid)
            .sources(&["AZ4", "AWS1"])
            .fix_if(custom.clone().or_else(|| pin_phase1(link, &offer))),
        );
    }
    if phase2.is_empty() {
        findings.push(
            Finding::new(
                "IKE-002",
                Severity::Error,
                format!(
                    "No phase 2 proposal is acceptable to both ends: connection {} offers {}; {} accepts {}.",
                    context.label(cid),
                    offer.description(),
                    link.tunnel_label(context),
                    aws_phase2_text(t)
                ),
            )
            .subject(cid)
            .subject(vid)
            .sources(&["AZ4", "AWS1"])
            .fix_if(custom.or_else(|| pin_phase2(link, &offer))),
        );
    }
    let mut weak: Vec<String> = Vec::new();
    let mut note = |text: String| {
        if !weak.contains(&text) {
            weak.push(text);
        }
    };
    for p in &phase1 {
        if f::WEAK_DH_GROUPS.value.contains(&p.dh) {
            note(format!("DH group {}", p.dh));
        }
        if f::WEAK_HASHES.value.contains(&p.hash) {
            note(f::hash_label(p.hash));
        }
        if f::WEAK_CIPHERS.value.contains(&p.cipher) {
            note(f::cipher_label(p.cipher).to_string());
        }
    }
    for p in &phase2 {
        if f::WEAK_DH_GROUPS.value.contains(&p.pfs) {
            note(format!("PFS group {}", p.pfs));
        }
        if let Some(h) = p.hash.filter(|h| f::WEAK_HASHES.value.contains(h)) {
            note(f::hash_label(h));
        }
        if f::WEAK_CIPHERS.value.contains(&p.cipher) {
            note(f::cipher_label(p.cipher).to_string());
        }
    }
    if !phase2.is_empty() && phase2.iter().all(|p| p.pfs == 0) {
        note("no perfect forward secrecy in phase 2 (AWS lists PFS as a requirement)".into());
    }
    if !weak.is_empty() {
        findings.push(
            Finding::new(
                "IKE-005",
                Severity::Warning,
                format!(
                    "Connection {} and {} would both accept weak settings: {}. Pin strong values on both ends \
                     (for example IKEv2, AES256 / SHA256 / DH group 14, PFS group 14).",
                    context.label(cid),
                    link.tunnel_label(context),
                    weak.join(", ")
                ),
            )
            .subject(cid)
            .subject(vid)
            .sources(&["AZ25"]),
        );
    }
}

/// IKE-003. Values one cloud does not offer at all: in an Azure custom policy, values AWS lacks (AES192, DES,
/// DES3, MD5, DH group 1, GCMAES192, PFS1…) [AWS1] [AZ4]; in a deliberately narrowed AWS list, values Azure lacks
/// (SHA2-512, DH groups without an Azure name) [AZ4] [AZ6]. AWS's untouched default lists are IKE-009's concern.
fn missing_values(context: &Context, link: &Link, findings: &mut Vec<Finding>) {
    let cid = link.connection.id.as_str();
    let vid = link.vpn.id.as_str();
    let mut towards_aws: Vec<String> = Vec::new();
    if let Some(p) = &link.connection.ipsec_policy {
        if let Some(v) = p
            .ike_encryption
            .filter(|v| !f::AWS_CIPHERS.value.contains(&f::azure_ike_cipher(*v)))
        {
            towards_aws.push(format!("IKE encryption {}", v.name()));
        }
        if let Some(v) = p
            .ike_integrity
            .filter(|v| matches!(f::azure_ike_hash(*v), Hash::Md5))
        {
            towards_aws.push(format!("IKE integrity {}", v.name()));
        }
        if let Some(v) = p.dh_group.filter(|v| {
            !f::AWS_PHASE1_DH_GROUPS
                .value
                .contains(&f::azure_dh_group(*v))
        }) {
            towards_aws.push(format!("DH group {}", v.name()));
        }
        if let Some(v) = p
            .ipsec_encryption
            .filter(|v| !f::AWS_CIPHERS.value.contains(&f::azure_ipsec_cipher(*v)))
        {
            towards_aws.push(format!("IPsec encryption {}", v.name()));
        }
        if let Some(v) = p.ipsec_integrity.filter(|v| {
            let h = f::azure_ipsec_hash(*v);
            h == Hash::Md5 || h == Hash::Gcm(192)
        }) {
            towards_aws.push(format!("IPsec integrity {}", v.name()));
        }
        if let Some(v) = p.pfs_group.filter(|v| {
            f::azure_pfs_group(*v)
                .is_none_or(|g| g != 0 && !f::AWS_PHASE2_DH_GROUPS.value.contains(&g))
        }) {
            towards_aws.push(format!("PFS group {}", v.name()));
        }
    }
    if !towards_aws.is_empty() {
        findings.push(
            Finding::new(
                "IKE-003",
                Severity::Error,
                format!(
                    "Connection {} uses {}, which AWS does not offer at all (AWS: AES128, AES256, AES128-GCM-16, \
                     AES256-GCM-16; SHA1, SHA2-256/384/512; DH groups 2, 14–24).",
                    context.label(cid),
                    towards_aws.join(", ")
                ),
            )
            .subject(cid)
            .subject(vid)
            .sources(&["AWS1", "AZ4"]),
        );
    }
    let t = link.tunnel;
    let mut towards_azure: Vec<String> = Vec::new();
    // Azure's IPsec integrity has no SHA384, which its IKE integrity has (audit s18).
    for (phase, integrity, azure) in [
        (1, &t.phase1_integrity, f::AZURE_HASHES.value),
        (2, &t.phase2_integrity, f::AZURE_IPSEC_HASHES.value),
    ] {
        if integrity.len() < Integrity::ALL.len() {
            for v in integrity
                .iter()
                .filter(|v| !azure.contains(&f::aws_hash(**v)))
            {
                towards_azure.push(format!("phase {phase} integrity {}", v.name()));
            }
        }
    }
    for (phase, groups, all) in [
        (1, &t.phase1_dh_groups, f::AWS_PHASE1_DH_GROUPS.value),
        (2, &t.phase2_dh_groups, f::AWS_PHASE2_DH_GROUPS.value),
    ] {
        if groups.len() < all.len() {
            for g in groups
                .iter()
                .filter(|g| !f::AZURE_DH_GROUPS.value.contains(g))
            {
                towards_azure.push(format!("phase {phase} DH group {g}"));
            }
        }
    }
    if !towards_azure.is_empty() {
        findings.push(
            Finding::new(
                "IKE-003",
                Severity::Error,
                format!(
                    "{} offers {}, which Azure does not offer at all (Azure: SHA1, SHA256, SHA384 in phase 1, \
                     SHA1, SHA256 and GCM in phase 2; DH groups 1, 2, 14, 19 (ECP256), 20 (ECP384), 24).",
                    link.tunnel_label(context),
                    towards_azure.join(", ")
                ),
            )
            .subject(vid)
            .subject(cid)
            .sources(&["AZ4", "AZ6", "AWS1"]),
        );
    }
}

/// IKE-004. Lifetimes and rekey values in each cloud's range: AWS phase 1 900–28800 s, phase 2 900–3600 s and
/// below phase 1, rekey margin 60 s to half of phase 2, fuzz 0–100 %, replay window 64–2048 [AWS1] [AWS3]; Azure
/// quick mode at least 300 s and 1024 KB [AZ4].
pub fn lifetimes(context: &Context, findings: &mut Vec<Finding>) {
    for vpn in &context.design.aws.vpn_connections {
        let id = vpn.id.as_str();
        for (i, t) in vpn.tunnels.iter().enumerate() {
            let problem = |field: &str,
                           value: u32,
                           expected: String,
                           fixed: Option<u64>,
                           sources: &[&str]| {
                let mut finding = Finding::new(
                    "IKE-004",
                    Severity::Error,
                    format!(
                        "Tunnel {} of {} has {field} = {value}; AWS expects {expected}.",
                        i + 1,
                        context.label(id)
                    ),
                )
                .subject(id)
                .sources(sources);
                if let Some(v) = fixed {
                    finding = finding.fix(
                        format!("Set {field} to {v}"),
                        vec![Change::new(id, format!("tunnels[{i}].{field}"), v)],
                    );
                }
                finding
            };
            let p1 = aws_facts::PHASE1_LIFETIME;
            let p2 = aws_facts::PHASE2_LIFETIME;
            let v1 = u64::from(t.phase1_lifetime_seconds);
            let v2 = u64::from(t.phase2_lifetime_seconds);
            let margin = u64::from(t.rekey_margin_time_seconds);
            let field = |name: &str| format!("tunnels[{i}].{name}");
            // Phase 1 back in range, and above phase 2 (as phase 2 will be): clamping 800 to 900 under a phase 2
            // of 3600 left an error no value could fix (QA s18). Then AWS's default, the top of the range.
            let v1_fixed = {
                let clamped = v1.clamp(p1.value.min, p1.value.max);
                if clamped > v2.clamp(p2.value.min, p2.value.max) {
                    clamped
                } else {
                    p1.value.max
                }
            };
            if !p1.value.contains(v1) {
                findings.push(problem(
                    "phase1_lifetime_seconds",
                    t.phase1_lifetime_seconds,
                    format!("{} s", p1.value),
                    Some(v1_fixed),
                    p1.sources,
                ));
            }
            // Phase 2 in range and below phase 1 (as phase 1 will be once its own fix is applied): clamping 4000 to
            // 3600 under a phase 1 of 3600 made the next IKE-004 (audit s18). When no phase 2 fits below phase 1
            // (a phase 1 of 900 s), phase 1 goes up instead. The rekey margin, at most half of phase 2, follows
            // in the same step.
            // A phase 2 in range beside an out-of-range phase 1 is settled by phase 1's own fix, which always lands
            // above it: a second finding would offer to set phase 2 to what it already is.
            let settled_by_phase1 = p2.value.contains(v2) && !p1.value.contains(v1);
            if (!p2.value.contains(v2) || v2 >= v1) && !settled_by_phase1 {
                let v1_target = if p1.value.contains(v1) { v1 } else { v1_fixed };
                let below = v2
                    .clamp(p2.value.min, p2.value.max)
                    .min(v1_target.saturating_sub(1));
                let mut changes = Vec::new();
                let summary = if p2.value.contains(below) {
                    changes.push(Change::new(id, field("phase2_lifetime_seconds"), below));
                    if margin > below / 2 {
                        let margin = (below / 2).max(aws_facts::REKEY_MARGIN_MIN.value);
                        changes.push(Change::new(id, field("rekey_margin_time_seconds"), margin));
                        // The summary says all the fix changes (QA s19: the margin moved unannounced).
                        format!(
                            "Set phase2_lifetime_seconds to {below} and rekey_margin_time_seconds to {margin}"
                        )
                    } else {
                        format!("Set phase2_lifetime_seconds to {below}")
                    }
                } else {
                    let v2 = v2.clamp(p2.value.min, p2.value.max);
                    changes.push(Change::new(
                        id,
                        field("phase1_lifetime_seconds"),
                        p1.value.max,
                    ));
                    if v2 != u64::from(t.phase2_lifetime_seconds) {
                        changes.push(Change::new(id, field("phase2_lifetime_seconds"), v2));
                    }
                    format!(
                        "Set phase1_lifetime_seconds to {} (AWS's default), above phase 2",
                        p1.value.max
                    )
                };
                let expected = if p2.value.contains(v2) {
                    format!("less than the phase 1 lifetime ({v1} s)")
                } else {
                    format!("{} s, less than the phase 1 lifetime", p2.value)
                };
                findings.push(
                    Finding::new(
                        "IKE-004",
                        Severity::Error,
                        format!(
                            "Tunnel {} of {} has phase2_lifetime_seconds = {v2}; AWS expects {expected}.",
                            i + 1,
                            context.label(id)
                        ),
                    )
                    .subject(id)
                    .sources(p2.sources)
                    .fix(summary, changes),
                );
            }
            let margin_min = aws_facts::REKEY_MARGIN_MIN;
            let margin_max = v2 / 2;
            if margin < margin_min.value || margin > margin_max {
                findings.push(problem(
                    "rekey_margin_time_seconds",
                    t.rekey_margin_time_seconds,
                    format!(
                        "{}–{margin_max} s (60 s to half the phase 2 lifetime)",
                        margin_min.value
                    ),
                    (margin_max >= margin_min.value)
                        .then(|| margin.clamp(margin_min.value, margin_max)),
                    margin_min.sources,
                ));
            }
            let fuzz = aws_facts::REKEY_FUZZ_PERCENT;
            if !fuzz.value.contains(u64::from(t.rekey_fuzz_percentage)) {
                findings.push(problem(
                    "rekey_fuzz_percentage",
                    t.rekey_fuzz_percentage,
                    format!("{} %", fuzz.value),
                    Some(fuzz.value.max),
                    fuzz.sources,
                ));
            }
            let replay = aws_facts::REPLAY_WINDOW;
            let r = u64::from(t.replay_window_size);
            if !replay.value.contains(r) {
                findings.push(problem(
                    "replay_window_size",
                    t.replay_window_size,
                    format!("{} packets", replay.value),
                    Some(r.clamp(replay.value.min, replay.value.max)),
                    replay.sources,
                ));
            }
        }
    }
    for c in &context.design.azure.connections {
        let Some(p) = &c.ipsec_policy else { continue };
        let id = c.id.as_str();
        let seconds = azure_facts::QM_LIFETIME_SECONDS;
        if let Some(v) = p
            .sa_lifetime_seconds
            .filter(|v| !seconds.value.contains(u64::from(*v)))
        {
            findings.push(
                Finding::new(
                    "IKE-004",
                    Severity::Error,
                    format!(
                        "Connection {} has a quick-mode SA lifetime of {v} s; Azure requires {} s.",
                        context.label(id),
                        seconds.value
                    ),
                )
                .subject(id)
                .sources(seconds.sources)
                .fix(
                    format!("Set the SA lifetime to {} s", seconds.value.min),
                    vec![Change::new(
                        id,
                        "ipsec_policy.sa_lifetime_seconds",
                        seconds.value.min,
                    )],
                ),
            );
        }
        let kb = azure_facts::QM_LIFETIME_KILOBYTES;
        if let Some(v) = p.sa_data_size_kilobytes.filter(|v| !kb.value.contains(*v)) {
            findings.push(
                Finding::new(
                    "IKE-004",
                    Severity::Error,
                    format!("Connection {} has a quick-mode SA data size of {v} KB; Azure requires {} KB.", context.label(id), kb.value),
                )
                .subject(id)
                .sources(kb.sources)
                .fix(
                    format!("Set the SA data size to {} KB", kb.value.min),
                    vec![Change::new(id, "ipsec_policy.sa_data_size_kilobytes", kb.value.min)],
                ),
            );
        }
    }
}

/// IKE-006. With GCMAESxxx IPsec encryption the IPsec integrity must be the same GCMAESxxx [AZ5] [AZ8].
pub fn gcm_pairing(context: &Context, findings: &mut Vec<Finding>) {
    for c in &context.design.azure.connections {
        let Some(p) = &c.ipsec_policy else { continue };
        let (Some(enc), Some(integrity)) = (p.ipsec_encryption, p.ipsec_integrity) else {
            continue;
        };
        let Some(want) = f::gcm_integrity_for(enc) else {
            continue;
        };
        if integrity != want {
            findings.push(
                Finding::new(
                    "IKE-006",
                    Severity::Error,
                    format!(
                        "Connection {} uses IPsec encryption {} with integrity {}; with GCM encryption Azure requires \
                         the same value as integrity, {}.",
                        context.label(c.id.as_str()),
                        enc.name(),
                        integrity.name(),
                        want.name()
                    ),
                )
                .subject(c.id.as_str())
                .sources(&["AZ5", "AZ8"])
                .fix(
                    format!("Set IPsec integrity to {}", want.name()),
                    vec![Change::new(c.id.as_str(), "ipsec_policy.ipsec_integrity", want.name())],
                ),
            );
        }
    }
}

/// IKE-007. IKEv1 where IKEv2 is available: Azure route-based non-Basic gateways and AWS both speak IKEv2, and
/// IKEv1 reconnects on every main-mode rekey [AZ2] [AWS11].
pub fn ikev1(context: &Context, findings: &mut Vec<Finding>) {
    for c in &context.design.azure.connections {
        let Some(gw) = context.azure_gateways.get(c.vpn_gateway.as_str()) else {
            continue;
        };
        let v2_available = gw.vpn_type == VpnType::RouteBased && gw.sku != GatewaySku::Basic;
        if c.connection_protocol == ConnectionProtocol::IkeV1 && v2_available {
            findings.push(
                Finding::new(
                    "IKE-007",
                    Severity::Warning,
                    format!(
                        "Connection {} uses IKEv1 although gateway {} supports IKEv2; IKEv1 tunnels drop on every \
                         main-mode rekey. The protocol cannot be changed after creation.",
                        context.label(c.id.as_str()),
                        context.label(gw.id.as_str())
                    ),
                )
                .subject(c.id.as_str())
                .sources(&["AZ2", "AZ25"])
                .fix("Use IKEv2", vec![Change::new(c.id.as_str(), "connection_protocol", "IKEv2")]),
            );
        }
    }
    for vpn in &context.design.aws.vpn_connections {
        for (i, t) in vpn.tunnels.iter().enumerate() {
            if !t.ike_versions.is_empty() && !t.ike_versions.contains(&aws::IkeVersion::IkeV2) {
                findings.push(
                    Finding::new(
                        "IKE-007",
                        Severity::Warning,
                        format!(
                            "Tunnel {} of {} allows only IKEv1; AWS supports IKEv2, which Azure prefers and AWS \
                             needs to initiate.",
                            i + 1,
                            context.label(vpn.id.as_str())
                        ),
                    )
                    .subject(vpn.id.as_str())
                    .sources(&["AWS11", "AZ2"])
                    .fix("Use IKEv2", vec![Change::new(vpn.id.as_str(), format!("tunnels[{i}].ike_versions"), ["ikev2"])]),
                );
            }
        }
    }
}

/// IKE-008. An Azure custom policy must specify every field [AZ7] [AZ8].
pub fn partial_policies(context: &Context, findings: &mut Vec<Finding>) {
    for c in &context.design.azure.connections {
        let Some(p) = &c.ipsec_policy else { continue };
        let missing = missing_fields(p);
        if missing.is_empty() {
            continue;
        }
        findings.push(
            Finding::new(
                "IKE-008",
                Severity::Error,
                format!(
                    "The custom IPsec/IKE policy of connection {} lacks {}: Azure requires every field of a custom \
                     policy (or none, for the default proposals).",
                    context.label(c.id.as_str()),
                    missing.join(", ")
                ),
            )
            .subject(c.id.as_str())
            .sources(&["AZ7", "AZ8"]),
        );
    }
}

fn aws_encryption(cipher: Cipher) -> Option<Encryption> {
    Encryption::ALL
        .iter()
        .copied()
        .find(|e| f::aws_cipher(*e) == cipher)
}

fn aws_integrity(hash: Hash) -> Option<Integrity> {
    Integrity::ALL
        .iter()
        .copied()
        .find(|i| f::aws_hash(*i) == hash)
}

/// How many different values a list holds (the lists are a handful long).
fn distinct<T: PartialEq>(list: &[T]) -> usize {
    list.iter()
        .enumerate()
        .filter(|(i, v)| !list[..*i].contains(v))
        .count()
}

/// IKE-009. AWS tunnels offering many transforms: AWS picks from its own list regardless of the peer's order, and
/// long lists fragment IKE packets; pin one value per list [AWS1] [GCP3]. When the tunnel is paired, the fix pins
/// the first proposal both ends accept.
pub fn many_transforms(context: &Context, findings: &mut Vec<Finding>) {
    for vpn in &context.design.aws.vpn_connections {
        let id = vpn.id.as_str();
        for (i, t) in vpn.tunnels.iter().enumerate() {
            // Distinct values: [14, 14] offers one group (QA s17b).
            let long: Vec<&str> = [
                ("phase1_encryption", distinct(&t.phase1_encryption)),
                ("phase1_integrity", distinct(&t.phase1_integrity)),
                ("phase1_dh_groups", distinct(&t.phase1_dh_groups)),
                ("phase2_encryption", distinct(&t.phase2_encryption)),
                ("phase2_integrity", distinct(&t.phase2_integrity)),
                ("phase2_dh_groups", distinct(&t.phase2_dh_groups)),
            ]
            .iter()
            .filter(|(_, n)| *n > 1)
            .map(|(name, _)| *name)
            .collect();
            if long.is_empty() {
                continue;
            }
            let mut finding = Finding::new(
                "IKE-009",
                Severity::Warning,
                format!(
                    "Tunnel {} of {} offers several values in {}: AWS chooses from its own list whatever the peer \
                     prefers. Pin one value per list so both ends choose the same proposal.",
                    i + 1,
                    context.label(id),
                    long.join(", ")
                ),
            )
            .subject(id)
            .sources(&["AWS1"]);
            let link = context.link_of_tunnel(vpn.id.as_str(), i);
            if let Some((p1, p2)) = link.and_then(common_proposals) {
                // Of the proposals both accept, the one with the fewest parts IKE-005 calls weak (the first of
                // equals): Azure's default policy, for one, offers SHA1 and SHA256 alike.
                let a = p1.iter().min_by_key(|p| weak_parts1(p));
                let b = p2.iter().min_by_key(|p| weak_parts2(p));
                if let (Some(a), Some(b)) = (a, b) {
                    let field = |name: &str| format!("tunnels[{i}].{name}");
                    let mut changes = Vec::new();
                    if let (Some(e1), Some(h1), Some(e2)) = (
                        aws_encryption(a.cipher),
                        aws_phase1_integrity(t, a.cipher, a.hash),
                        aws_encryption(b.cipher),
                    ) {
                        changes.push(Change::new(id, field("phase1_encryption"), [e1]));
                        changes.push(Change::new(id, field("phase1_integrity"), [h1]));
                        changes.push(Change::new(id, field("phase1_dh_groups"), [a.dh]));
                        changes.push(Change::new(id, field("phase2_encryption"), [e2]));
                        // A GCM cipher carries its own integrity and a proposal without PFS uses no group,
                        // but the lists still offer their values (IKE-009 would come back): pin each to one,
                        // SHA2-256 and the phase 1 group where the list has them.
                        let h2 = b.hash.and_then(aws_integrity).or_else(|| {
                            aws_integrity(Hash::Sha256)
                                .filter(|h| t.phase2_integrity.contains(h))
                                .or(t.phase2_integrity.first().copied())
                        });
                        if let Some(h2) = h2 {
                            changes.push(Change::new(id, field("phase2_integrity"), [h2]));
                        }
                        let pfs = if b.pfs != 0 {
                            Some(b.pfs)
                        } else if t.phase2_dh_groups.contains(&a.dh) {
                            Some(a.dh)
                        } else {
                            t.phase2_dh_groups.first().copied()
                        };
                        if let Some(pfs) = pfs {
                            changes.push(Change::new(id, field("phase2_dh_groups"), [pfs]));
                        }
                        finding =
                            finding.fix("Pin the strongest proposal both ends accept", changes);
                    }
                }
            }
            findings.push(finding);
        }
    }
}

/// IKE-010 (beyond the catalogue). Values Azure's REST API and SDKs accept but its documentation no longer lists:
/// IKE encryption DES and DES3, IKE integrity GCMAES128 and GCMAES256, PFS groups PFS14 and PFSMM (facts sheet
/// 1.7: "accept the doc list; warn on SDK-only values") [AZ16] [AZ7]. A warning, with a fix to documented values
/// the paired AWS tunnels accept: PFS2048 for PFS14 (the same group 14 [AZ6]); for the others the first such
/// value (what AWS pairs with GCMAES integrity is unconfirmed, facts sheet 5.1; what PFSMM means is unknown).
pub fn sdk_only_values(context: &Context, findings: &mut Vec<Finding>) {
    // The AWS tunnels each connection pairs with, gathered once and only if some connection needs them.
    let paired = std::cell::OnceCell::new();
    let paired = || {
        paired.get_or_init(|| {
            let mut map: crate::hash::FastMap<&str, Vec<&Tunnel>> = Default::default();
            for l in &context.links {
                map.entry(l.connection.id.as_str())
                    .or_default()
                    .push(l.tunnel);
            }
            map
        })
    };
    for c in &context.design.azure.connections {
        let Some(p) = &c.ipsec_policy else { continue };
        let sdk_only = matches!(
            p.ike_encryption,
            Some(IkeEncryption::Des | IkeEncryption::Des3)
        ) || matches!(
            p.ike_integrity,
            Some(IkeIntegrity::GcmAes128 | IkeIntegrity::GcmAes256)
        ) || matches!(p.pfs_group, Some(PfsGroup::Pfs14 | PfsGroup::PfsMm));
        if !sdk_only {
            continue;
        }
        let id = c.id.as_str();
        let tunnels: &[&Tunnel] = paired().get(id).map_or(&[], |t| t.as_slice());
        let mut found: Vec<String> = Vec::new();
        let mut changes: Vec<Change> = Vec::new();
        let mut set: Vec<String> = Vec::new();
        // Each replacement is the first documented value every paired AWS tunnel accepts, so the fix brings no
        // IKE-001 or IKE-002; none is named when no documented value is accepted.
        if let Some(v) = p
            .ike_encryption
            .filter(|v| matches!(v, IkeEncryption::Des | IkeEncryption::Des3))
        {
            found.push(format!("IKE encryption {}", v.name()));
            let gcm_ok = c.connection_protocol == ConnectionProtocol::IkeV2;
            let accepted = [
                IkeEncryption::Aes256,
                IkeEncryption::Aes128,
                IkeEncryption::GcmAes256,
                IkeEncryption::GcmAes128,
            ]
            .into_iter()
            .filter(|v| gcm_ok || !f::azure_ike_cipher(*v).is_gcm())
            .find(|v| {
                let cipher = f::azure_ike_cipher(*v);
                tunnels.iter().all(|t| {
                    t.phase1_encryption
                        .iter()
                        .any(|e| f::aws_cipher(*e) == cipher)
                })
            });
            if let Some(value) = accepted {
                changes.push(Change::new(id, "ipsec_policy.ike_encryption", value.name()));
                set.push(format!("IKE encryption {}", value.name()));
            }
        }
        if let Some(v) = p
            .ike_integrity
            .filter(|v| matches!(v, IkeIntegrity::GcmAes128 | IkeIntegrity::GcmAes256))
        {
            found.push(format!("IKE integrity {}", v.name()));
            let accepted = [
                IkeIntegrity::Sha256,
                IkeIntegrity::Sha384,
                IkeIntegrity::Sha1,
            ]
            .into_iter()
            .find(|v| {
                let hash = f::azure_ike_hash(*v);
                tunnels
                    .iter()
                    .all(|t| t.phase1_integrity.iter().any(|i| f::aws_hash(*i) == hash))
            });
            if let Some(value) = accepted {
                changes.push(Change::new(id, "ipsec_policy.ike_integrity", value.name()));
                set.push(format!("IKE integrity {}", value.name()));
            }
        }
        if let Some(v) = p
            .pfs_group
            .filter(|v| matches!(v, PfsGroup::Pfs14 | PfsGroup::PfsMm))
        {
            found.push(format!("PFS group {}", v.name()));
            // PFS14 is group 14 by another name [AZ6]: PFS2048 says the same. PFSMM's group is not documented at
            // all, so its replacement is a choice the summary names with its group.
            let candidates: &[PfsGroup] = if v == PfsGroup::Pfs14 {
                &[PfsGroup::Pfs2048]
            } else {
                &[
                    PfsGroup::Pfs2048,
                    PfsGroup::Ecp256,
                    PfsGroup::Ecp384,
                    PfsGroup::Pfs24,
                ]
            };
            let accepted = candidates.iter().copied().find(|v| {
                let group = f::azure_pfs_group(*v).unwrap_or(0);
                v == &PfsGroup::Pfs2048 && candidates.len() == 1
                    || tunnels.iter().all(|t| t.phase2_dh_groups.contains(&group))
            });
            if let Some(value) = accepted {
                changes.push(Change::new(id, "ipsec_policy.pfs_group", value.name()));
                set.push(format!(
                    "PFS group {} (DH group {})",
                    value.name(),
                    f::azure_pfs_group(value).unwrap_or(0)
                ));
            }
        }
        if found.is_empty() {
            continue;
        }
        let mut finding = Finding::new(
                "IKE-010",
                Severity::Warning,
                format!(
                    "Connection {} uses {}: Azure's API accepts {} but its documentation does not list {}, so how \
                     the gateway treats {} is not documented. Use the documented values.",
                    context.label(id),
                    found.join(", "),
                    if found.len() == 1 { "this value" } else { "these values" },
                    if found.len() == 1 { "it" } else { "them" },
                    if found.len() == 1 { "it" } else { "them" },
                ),
            )
        .subject(id)
        .sources(&["AZ16", "AZ7"]);
        if !changes.is_empty() {
            finding = finding.fix(format!("Set {}", set.join(", ")), changes);
        }
        findings.push(finding);
    }
}
