//! The key slots a journal's devices share, moving only forward.
//!
//! A device notices a change of secret made on it (a new passphrase, a new recovery code, a
//! rotated key) as its passphrase and recovery slots differing from the ones it last shared
//! or adopted, and gives the new set the next slot version. At every sync it compares its
//! set with the newest it can verify (the store's `keys` file under its key, and the slots
//! every blob carries): a newer set from another device is adopted into this journal (the
//! person is told what changed), an older one in the store is replaced, never the other way
//! round. Sets under a key this journal rotated away from are always older than any under
//! its current key.

use super::blob::SlotSet;
use super::ledger::{KeysVersion, Ledger};
use crate::error::Result;
use crate::store::slots::{SlotKind, SlotRow};
use crate::RecordWriter;
use serde::Serialize;

/// A change of secret made on another device and adopted here by a sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SecretChange {
    /// The passphrase was changed (or added, or removed): the one set there now opens this
    /// journal here too.
    Passphrase,
    /// The recovery code was replaced: the old one no longer opens the journal anywhere.
    RecoveryCode,
}

/// The digest of a set of slots, whatever their order (ids and checksums left out).
pub(crate) fn digest(rows: &[SlotRow]) -> [u8; 32] {
    let mut parts: Vec<Vec<u8>> = rows
        .iter()
        .map(|r| {
            let mut part = Vec::new();
            for field in [
                &r.kind.to_db().to_be_bytes()[..],
                r.label.as_bytes(),
                &r.salt,
                &r.params,
                &r.wrapped_key,
            ] {
                part.extend_from_slice(&(field.len() as u64).to_be_bytes());
                part.extend_from_slice(field);
            }
            part
        })
        .collect();
    parts.sort();
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    for part in &parts {
        context.update(part);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(context.finish().as_ref());
    out
}

/// The version of this device's own slots: the one it last shared or adopted if they have
/// not changed since, otherwise the next after every version it knows (`highest_epoch`),
/// made now by this device.
pub(crate) fn local_version(
    ledger: &Ledger,
    rows: &[SlotRow],
    highest_epoch: u64,
    now_millis: u64,
    device: u64,
) -> KeysVersion {
    match &ledger.keys {
        Some((version, held)) if *held == digest(rows) => *version,
        other => KeysVersion {
            epoch: other
                .map_or(0, |(v, _)| v.epoch)
                .max(highest_epoch)
                .saturating_add(1),
            clock: now_millis,
            device,
        },
    }
}

/// What changed for a person between `before` and `after`: the passphrase when the
/// passphrases the slots name (their labels) differ, not when the same one was wrapped again
/// (stronger parameters on another device's unlock); the recovery code when its slots differ
/// (they are never wrapped again).
pub(crate) fn changes(before: &[SlotRow], after: &[SlotRow]) -> Vec<SecretChange> {
    let of = |rows: &[SlotRow], kind: SlotKind| -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut set: Vec<_> = rows
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| (r.salt.clone(), r.wrapped_key.clone()))
            .collect();
        set.sort();
        set
    };
    let labels = |rows: &[SlotRow]| -> Vec<String> {
        let mut set: Vec<String> = rows
            .iter()
            .filter(|r| r.kind == SlotKind::Passphrase)
            .map(|r| r.label.clone())
            .collect();
        set.sort();
        set
    };
    let mut out = Vec::new();
    if labels(before) != labels(after) {
        out.push(SecretChange::Passphrase);
    }
    if of(before, SlotKind::RecoveryCode) != of(after, SlotKind::RecoveryCode) {
        out.push(SecretChange::RecoveryCode);
    }
    out
}

/// Adopts `newer` (a set of slots another device shared, verified under this journal's key)
/// into this journal in `w`'s transaction, and notes it in the ledger; returns what changed
/// for the person.
pub(crate) fn adopt(
    w: &mut RecordWriter<'_>,
    before: &[SlotRow],
    newer: &SlotSet,
) -> Result<Vec<SecretChange>> {
    let changed = changes(before, &newer.rows);
    if digest(before) != digest(&newer.rows) {
        w.replace_shared_slots(&newer.rows)?;
    }
    Ledger::update(w, |l| l.keys = Some((newer.version, digest(&newer.rows))))?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::kdf::KdfParams;

    fn row(kind: SlotKind, salt: u8, params: &KdfParams) -> SlotRow {
        SlotRow {
            id: 1,
            kind,
            label: if kind == SlotKind::Passphrase && salt != 5 {
                format!("passphrase-{salt}")
            } else if kind == SlotKind::Passphrase {
                "passphrase-1".into()
            } else {
                String::new()
            },
            salt: vec![salt; 16],
            params: params.to_bytes().to_vec(),
            wrapped_key: vec![salt; 60],
            checksum: None,
        }
    }

    #[test]
    fn a_new_passphrase_or_code_is_named_and_a_strengthened_wrap_is_not() {
        let weak = KdfParams::new(256, 1, 1).unwrap();
        let strong = KdfParams::new(1024, 2, 1).unwrap();
        let before = [
            row(SlotKind::Passphrase, 1, &weak),
            row(SlotKind::RecoveryCode, 2, &weak),
        ];
        let new_passphrase = [
            row(SlotKind::Passphrase, 3, &weak),
            row(SlotKind::RecoveryCode, 2, &weak),
        ];
        let new_code = [
            row(SlotKind::Passphrase, 1, &weak),
            row(SlotKind::RecoveryCode, 4, &weak),
        ];
        let strengthened = [
            row(SlotKind::Passphrase, 5, &strong),
            row(SlotKind::RecoveryCode, 2, &weak),
        ];
        assert_eq!(
            changes(&before, &new_passphrase),
            [SecretChange::Passphrase]
        );
        assert_eq!(changes(&before, &new_code), [SecretChange::RecoveryCode]);
        assert!(changes(&before, &strengthened).is_empty());
        assert!(changes(&before, &before).is_empty());
        assert_eq!(
            digest(&before),
            digest(&[before[1].clone(), before[0].clone()])
        );
        assert_ne!(digest(&before), digest(&new_code));
    }
}
