//! Known-answer tests for the primitives (RFC 9106 Argon2id, RFC 5869 HKDF) and the subkey and
//! envelope promises built on them (S3, S4, S9).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use waymark_core::crypto::kdf::{argon2id, derive_key, KdfParams};
use waymark_core::crypto::subkeys::{
    derive_subkey, hkdf_sha256, LABEL_EXPORT, LABEL_LOOKUP_INDEX, LABEL_RECORD_CONTENT,
};

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s.replace([' ', '\n'], "")).unwrap()
}

#[test]
fn argon2id_matches_rfc_9106_test_vector() {
    // RFC 9106 section 5.3: Argon2id, version 0x13.
    let params = KdfParams::new(32, 3, 4).unwrap();
    let mut tag = [0u8; 32];
    argon2id(
        &[1u8; 32], &[2u8; 16], &params, &[3u8; 8], &[4u8; 12], &mut tag,
    )
    .unwrap();
    assert_eq!(
        tag.to_vec(),
        unhex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
    );
}

#[test]
fn argon2id_key_depends_on_passphrase_salt_and_parameters() {
    let params = KdfParams::new(64, 1, 1).unwrap();
    let base = derive_key(b"passphrase", &[1u8; 16], &params).unwrap();
    assert_eq!(
        *base,
        *derive_key(b"passphrase", &[1u8; 16], &params).unwrap()
    );
    assert_ne!(
        *base,
        *derive_key(b"passphrasf", &[1u8; 16], &params).unwrap()
    );
    assert_ne!(
        *base,
        *derive_key(b"passphrase", &[2u8; 16], &params).unwrap()
    );
    let stronger = KdfParams::new(128, 1, 1).unwrap();
    assert_ne!(
        *base,
        *derive_key(b"passphrase", &[1u8; 16], &stronger).unwrap()
    );
}

#[test]
fn kdf_defaults_are_at_or_above_owasp() {
    let default = KdfParams::default();
    assert!(!default.is_below_owasp());
    assert!(default.memory_kib >= 19 * 1024 && default.iterations >= 2);
    assert!(KdfParams::new(256, 1, 1).unwrap().is_below_owasp());
    assert!(KdfParams::new(4, 1, 1).is_err());
    assert!(KdfParams::new(1024, 0, 1).is_err());
}

#[test]
fn hkdf_matches_rfc_5869_test_case_1() {
    let mut okm = [0u8; 42];
    hkdf_sha256(
        &unhex("000102030405060708090a0b0c"),
        &[0x0b; 22],
        &unhex("f0f1f2f3f4f5f6f7f8f9"),
        &mut okm,
    )
    .unwrap();
    assert_eq!(
        okm.to_vec(),
        unhex(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf
             34007208d5b887185865"
        )
    );
}

#[test]
fn hkdf_matches_rfc_5869_test_case_2() {
    let ikm: Vec<u8> = (0x00..=0x4f).collect();
    let salt: Vec<u8> = (0x60..=0xaf).collect();
    let info: Vec<u8> = (0xb0..=0xff).collect();
    let mut okm = [0u8; 82];
    hkdf_sha256(&salt, &ikm, &info, &mut okm).unwrap();
    assert_eq!(
        okm.to_vec(),
        unhex(
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c
             59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71
             cc30c58179ec3e87c14c01d5c1f3434f1d87"
        )
    );
}

#[test]
fn hkdf_matches_rfc_5869_test_case_3() {
    let mut okm = [0u8; 42];
    hkdf_sha256(&[], &[0x0b; 22], &[], &mut okm).unwrap();
    assert_eq!(
        okm.to_vec(),
        unhex(
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d
             9d201395faa4b61a96c8"
        )
    );
}

#[test]
fn different_labels_give_different_subkeys() {
    let data_key = [42u8; 32];
    let content = derive_subkey(&data_key, LABEL_RECORD_CONTENT, &1u32.to_be_bytes()).unwrap();
    let content_next = derive_subkey(&data_key, LABEL_RECORD_CONTENT, &2u32.to_be_bytes()).unwrap();
    let lookup = derive_subkey(&data_key, LABEL_LOOKUP_INDEX, &[]).unwrap();
    let export = derive_subkey(&data_key, LABEL_EXPORT, &[]).unwrap();
    let all = [&content, &content_next, &lookup, &export];
    for (i, a) in all.iter().enumerate() {
        assert_ne!(***a, data_key, "a subkey equals the data key");
        for b in &all[i + 1..] {
            assert_ne!(***a, ***b);
        }
    }
    let other_key = derive_subkey(&[43u8; 32], LABEL_EXPORT, &[]).unwrap();
    assert_ne!(*export, *other_key);
}
