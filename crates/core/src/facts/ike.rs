//! IKE/IPsec algorithms in each cloud's own names, how they map onto one common vocabulary (facts sheet 5.1),
//! what each cloud offers, Azure's default proposals (facts sheet 1.8) and which algorithms are weak.
//!
//! The common vocabulary ([`Cipher`], [`Hash`], DH group numbers) exists only so the two sides' lists can be
//! intersected; findings always speak each cloud's own names.

use super::Fact;
use crate::model::aws::{Encryption, Integrity};
use crate::model::azure::{
    DhGroup, IkeEncryption, IkeIntegrity, IpsecEncryption, IpsecIntegrity, PfsGroup,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cipher {
    Des,
    Des3,
    Aes128,
    Aes192,
    Aes256,
    Aes128Gcm,
    Aes192Gcm,
    Aes256Gcm,
    Null,
}

impl Cipher {
    pub fn is_gcm(self) -> bool {
        matches!(
            self,
            Cipher::Aes128Gcm | Cipher::Aes192Gcm | Cipher::Aes256Gcm
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hash {
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
    /// Azure's GCMAESxxx integrity values: the integrity of an AEAD cipher, named by its key size.
    Gcm(u16),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IkeVersion {
    V1,
    V2,
}

impl IkeVersion {
    pub fn name(self) -> &'static str {
        match self {
            IkeVersion::V1 => "IKEv1",
            IkeVersion::V2 => "IKEv2",
        }
    }
}

/// One phase 1 proposal. `dh` is the DH group number, 0 for none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Phase1 {
    pub version: IkeVersion,
    pub cipher: Cipher,
    pub hash: Hash,
    pub dh: u8,
}

/// One phase 2 (quick mode / child SA) proposal. `hash` is `None` for GCM ciphers, which carry their own
/// integrity; `pfs` is the DH group number, 0 for no PFS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Phase2 {
    pub cipher: Cipher,
    pub hash: Option<Hash>,
    pub pfs: u8,
}

// --- Azure names [AZ4] [AZ6] [AZ16] ---

pub fn azure_ike_cipher(value: IkeEncryption) -> Cipher {
    match value {
        IkeEncryption::Aes128 => Cipher::Aes128,
        IkeEncryption::Aes192 => Cipher::Aes192,
        IkeEncryption::Aes256 => Cipher::Aes256,
        IkeEncryption::GcmAes128 => Cipher::Aes128Gcm,
        IkeEncryption::GcmAes256 => Cipher::Aes256Gcm,
        IkeEncryption::Des => Cipher::Des,
        IkeEncryption::Des3 => Cipher::Des3,
    }
}

pub fn azure_ike_hash(value: IkeIntegrity) -> Hash {
    match value {
        IkeIntegrity::Md5 => Hash::Md5,
        IkeIntegrity::Sha1 => Hash::Sha1,
        IkeIntegrity::Sha256 => Hash::Sha256,
        IkeIntegrity::Sha384 => Hash::Sha384,
        IkeIntegrity::GcmAes128 => Hash::Gcm(128),
        IkeIntegrity::GcmAes256 => Hash::Gcm(256),
    }
}

/// Azure DH group names to group numbers [AZ6]: DHGroup14 and DHGroup2048 are both group 14.
pub fn azure_dh_group(value: DhGroup) -> u8 {
    match value {
        DhGroup::None => 0,
        DhGroup::DhGroup1 => 1,
        DhGroup::DhGroup2 => 2,
        DhGroup::DhGroup14 | DhGroup::DhGroup2048 => 14,
        DhGroup::Ecp256 => 19,
        DhGroup::Ecp384 => 20,
        DhGroup::DhGroup24 => 24,
    }
}

pub fn azure_ipsec_cipher(value: IpsecEncryption) -> Cipher {
    match value {
        IpsecEncryption::None => Cipher::Null,
        IpsecEncryption::Des => Cipher::Des,
        IpsecEncryption::Des3 => Cipher::Des3,
        IpsecEncryption::Aes128 => Cipher::Aes128,
        IpsecEncryption::Aes192 => Cipher::Aes192,
        IpsecEncryption::Aes256 => Cipher::Aes256,
        IpsecEncryption::GcmAes128 => Cipher::Aes128Gcm,
        IpsecEncryption::GcmAes192 => Cipher::Aes192Gcm,
        IpsecEncryption::GcmAes256 => Cipher::Aes256Gcm,
    }
}

pub fn azure_ipsec_hash(value: IpsecIntegrity) -> Hash {
    match value {
        IpsecIntegrity::Md5 => Hash::Md5,
        IpsecIntegrity::Sha1 => Hash::Sha1,
        IpsecIntegrity::Sha256 => Hash::Sha256,
        IpsecIntegrity::GcmAes128 => Hash::Gcm(128),
        IpsecIntegrity::GcmAes192 => Hash::Gcm(192),
        IpsecIntegrity::GcmAes256 => Hash::Gcm(256),
    }
}

/// Azure PFS names to group numbers [AZ6] [AZ16]. PFSMM (SDK only, meaning unknown) maps to no group: `None`.
pub fn azure_pfs_group(value: PfsGroup) -> Option<u8> {
    Some(match value {
        PfsGroup::None => 0,
        PfsGroup::Pfs1 => 1,
        PfsGroup::Pfs2 => 2,
        PfsGroup::Pfs14 | PfsGroup::Pfs2048 => 14,
        PfsGroup::Ecp256 => 19,
        PfsGroup::Ecp384 => 20,
        PfsGroup::Pfs24 => 24,
        PfsGroup::PfsMm => return None,
    })
}

/// The integrity a GCM cipher needs as its Azure integrity value ("GCMAES128/GCMAES128") [AZ5] [AZ8].
pub fn gcm_integrity_for(value: IpsecEncryption) -> Option<IpsecIntegrity> {
    match value {
        IpsecEncryption::GcmAes128 => Some(IpsecIntegrity::GcmAes128),
        IpsecEncryption::GcmAes192 => Some(IpsecIntegrity::GcmAes192),
        IpsecEncryption::GcmAes256 => Some(IpsecIntegrity::GcmAes256),
        _ => None,
    }
}

// --- AWS names [AWS1] [AWS2] [AWS3] ---

pub fn aws_cipher(value: Encryption) -> Cipher {
    match value {
        Encryption::Aes128 => Cipher::Aes128,
        Encryption::Aes256 => Cipher::Aes256,
        Encryption::Aes128Gcm16 => Cipher::Aes128Gcm,
        Encryption::Aes256Gcm16 => Cipher::Aes256Gcm,
    }
}

pub fn aws_hash(value: Integrity) -> Hash {
    match value {
        Integrity::Sha1 => Hash::Sha1,
        Integrity::Sha2_256 => Hash::Sha256,
        Integrity::Sha2_384 => Hash::Sha384,
        Integrity::Sha2_512 => Hash::Sha512,
    }
}

/// DH groups AWS allows in phase 1 [AWS1] [AWS2].
pub const AWS_PHASE1_DH_GROUPS: Fact<&[u8]> = Fact::new(
    &[2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    &["AWS1", "AWS2"],
);
/// DH groups AWS allows in phase 2 [AWS1] [AWS3].
pub const AWS_PHASE2_DH_GROUPS: Fact<&[u8]> = Fact::new(
    &[2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    &["AWS1", "AWS3"],
);
/// DH groups Azure can name at all [AZ6]: anything else on the AWS side has no Azure counterpart.
pub const AZURE_DH_GROUPS: Fact<&[u8]> = Fact::new(&[1, 2, 14, 19, 20, 24], &["AZ6", "AZ4"]);

/// Ciphers AWS offers (phase 1 and phase 2 alike) and hashes [AWS1].
pub const AWS_CIPHERS: Fact<&[Cipher]> = Fact::new(
    &[
        Cipher::Aes128,
        Cipher::Aes256,
        Cipher::Aes128Gcm,
        Cipher::Aes256Gcm,
    ],
    &["AWS1"],
);
pub const AWS_HASHES: Fact<&[Hash]> = Fact::new(
    &[Hash::Sha1, Hash::Sha256, Hash::Sha384, Hash::Sha512],
    &["AWS1", "AWS3"],
);
/// Hashes Azure can name at all in IKE (phase 1) [AZ4].
pub const AZURE_HASHES: Fact<&[Hash]> = Fact::new(
    &[Hash::Md5, Hash::Sha1, Hash::Sha256, Hash::Sha384],
    &["AZ4"],
);
/// Hashes Azure can name as IPsec (phase 2) integrity, GCM aside: no SHA384 there [AZ4].
pub const AZURE_IPSEC_HASHES: Fact<&[Hash]> =
    Fact::new(&[Hash::Md5, Hash::Sha1, Hash::Sha256], &["AZ4"]);

/// Azure's default phase 1 offers on a route-based gateway, in order [AZ9]: DH group 2, these cipher/hash pairs,
/// IKEv1 and IKEv2.
pub const AZURE_DEFAULT_PHASE1: Fact<&[(Cipher, Hash)]> = Fact::new(
    &[
        (Cipher::Aes256, Hash::Sha1),
        (Cipher::Aes256, Hash::Sha256),
        (Cipher::Aes128, Hash::Sha1),
        (Cipher::Aes128, Hash::Sha256),
        (Cipher::Des3, Hash::Sha1),
        (Cipher::Des3, Hash::Sha256),
    ],
    &["AZ9"],
);
pub const AZURE_DEFAULT_PHASE1_DH: Fact<u8> = Fact::new(2, &["AZ9"]);

const fn p2(cipher: Cipher, hash: Option<Hash>, pfs: u8) -> Phase2 {
    Phase2 { cipher, hash, pfs }
}

/// Azure's default quick-mode offers as initiator [AZ9]: all without PFS.
pub const AZURE_DEFAULT_PHASE2_INITIATOR: Fact<&[Phase2]> = Fact::new(
    &[
        p2(Cipher::Aes256Gcm, None, 0),
        p2(Cipher::Aes256, Some(Hash::Sha1), 0),
        p2(Cipher::Des3, Some(Hash::Sha1), 0),
        p2(Cipher::Aes256, Some(Hash::Sha256), 0),
        p2(Cipher::Aes128, Some(Hash::Sha1), 0),
        p2(Cipher::Des3, Some(Hash::Sha256), 0),
    ],
    &["AZ9"],
);

/// Azure's default quick-mode offers accepted as responder [AZ9] (the 26 entries of the table).
pub const AZURE_DEFAULT_PHASE2_RESPONDER: Fact<&[Phase2]> = Fact::new(
    &[
        p2(Cipher::Aes256Gcm, None, 0),
        p2(Cipher::Aes256, Some(Hash::Sha1), 0),
        p2(Cipher::Des3, Some(Hash::Sha1), 0),
        p2(Cipher::Aes256, Some(Hash::Sha256), 0),
        p2(Cipher::Aes128, Some(Hash::Sha1), 0),
        p2(Cipher::Des3, Some(Hash::Sha256), 0),
        p2(Cipher::Des, Some(Hash::Sha1), 0),
        p2(Cipher::Aes256, Some(Hash::Sha1), 1),
        p2(Cipher::Aes256, Some(Hash::Sha1), 2),
        p2(Cipher::Aes256, Some(Hash::Sha1), 14),
        p2(Cipher::Aes128, Some(Hash::Sha1), 1),
        p2(Cipher::Aes128, Some(Hash::Sha1), 2),
        p2(Cipher::Aes128, Some(Hash::Sha1), 14),
        p2(Cipher::Des3, Some(Hash::Sha1), 1),
        p2(Cipher::Des3, Some(Hash::Sha1), 2),
        p2(Cipher::Des3, Some(Hash::Sha256), 2),
        p2(Cipher::Aes256, Some(Hash::Sha256), 1),
        p2(Cipher::Aes256, Some(Hash::Sha256), 2),
        p2(Cipher::Aes256, Some(Hash::Sha256), 14),
        p2(Cipher::Aes256, Some(Hash::Sha1), 24),
        p2(Cipher::Aes256, Some(Hash::Sha256), 24),
        p2(Cipher::Aes128, Some(Hash::Sha256), 0),
        p2(Cipher::Aes128, Some(Hash::Sha256), 1),
        p2(Cipher::Aes128, Some(Hash::Sha256), 2),
        p2(Cipher::Aes128, Some(Hash::Sha256), 14),
        p2(Cipher::Des3, Some(Hash::Sha1), 14),
    ],
    &["AZ9"],
);

/// Weak algorithms [AZ25]: DH groups 1, 2 and 5; SHA1 and MD5; DES and 3DES.
pub const WEAK_DH_GROUPS: Fact<&[u8]> = Fact::new(&[1, 2, 5], &["AZ25"]);
pub const WEAK_HASHES: Fact<&[Hash]> = Fact::new(&[Hash::Md5, Hash::Sha1], &["AZ25"]);
pub const WEAK_CIPHERS: Fact<&[Cipher]> = Fact::new(&[Cipher::Des, Cipher::Des3], &["AZ25"]);

/// The readable name of a common-vocabulary value, for messages about both sides at once.
pub fn cipher_label(cipher: Cipher) -> &'static str {
    match cipher {
        Cipher::Des => "DES",
        Cipher::Des3 => "3DES",
        Cipher::Aes128 => "AES128",
        Cipher::Aes192 => "AES192",
        Cipher::Aes256 => "AES256",
        Cipher::Aes128Gcm => "AES128-GCM",
        Cipher::Aes192Gcm => "AES192-GCM",
        Cipher::Aes256Gcm => "AES256-GCM",
        Cipher::Null => "none",
    }
}

pub fn hash_label(hash: Hash) -> String {
    match hash {
        Hash::Md5 => "MD5".into(),
        Hash::Sha1 => "SHA1".into(),
        Hash::Sha256 => "SHA256".into(),
        Hash::Sha384 => "SHA384".into(),
        Hash::Sha512 => "SHA512".into(),
        Hash::Gcm(bits) => format!("GCMAES{bits}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_and_aws_names_meet_in_the_common_vocabulary() {
        // Facts sheet 5.1: DHGroup14 = DHGroup2048 = AWS 14; ECP384 = 20; SHA256 = SHA2-256.
        assert_eq!(azure_dh_group(DhGroup::DhGroup2048), 14);
        assert_eq!(azure_dh_group(DhGroup::DhGroup14), 14);
        assert_eq!(azure_dh_group(DhGroup::Ecp384), 20);
        assert_eq!(azure_pfs_group(PfsGroup::Pfs2048), Some(14));
        assert_eq!(
            azure_ike_hash(IkeIntegrity::Sha256),
            aws_hash(Integrity::Sha2_256)
        );
        assert_eq!(
            azure_ipsec_cipher(IpsecEncryption::GcmAes256),
            aws_cipher(Encryption::Aes256Gcm16)
        );
        assert!(!AWS_CIPHERS
            .value
            .contains(&azure_ike_cipher(IkeEncryption::Aes192)));
        assert_eq!(AZURE_DEFAULT_PHASE2_RESPONDER.value.len(), 26);
    }
}
