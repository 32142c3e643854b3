//! What this device remembers of each sync store (by the store's id, in its `keys` blob): the blobs it has applied (or refused), and
//! the clock of its last write that went out. Kept in the journal's settings table, sealed
//! under the sync key (the names would tell how often the person syncs).

use crate::codec::{Reader, Writer};
use crate::crypto::envelope::{self, SealingKey};
use crate::error::Result;
use crate::recovery::backup::Known;
use crate::RecordWriter;
use std::collections::BTreeSet;
use zeroize::Zeroizing;

/// The settings row that holds the sealed state of a store: this, then the store's id in hex.
const SETTING: &str = "sync_state_";
/// The associated data of the sealed state.
const CONTEXT: &[u8] = b"waymark sync state v1";

mod tag {
    pub const SEEN: u32 = 1;
    pub const SENT: u32 = 2;
    pub const KNOWN: u32 = 3;
    pub const REFUSED: u32 = 4;
    pub const DEVICE: u32 = 1;
    pub const CLOCK: u32 = 2;
}

fn setting(store_id: &[u8; 16]) -> String {
    let mut name = SETTING.to_owned();
    for b in store_id {
        name.push_str(&format!("{b:02x}"));
    }
    name
}

fn context(store_id: &[u8; 16]) -> Vec<u8> {
    let mut out = CONTEXT.to_vec();
    out.extend_from_slice(store_id);
    out
}

/// This device's sync state with one store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SyncState {
    /// Blobs applied or refused here (and those this device wrote).
    pub(crate) seen: BTreeSet<String>,
    /// The clock of the last write of this device that went out in a change set.
    pub(crate) sent: u64,
    /// What this device knows of every device's writes through this store (see `Known`).
    pub(crate) known: Known,
    /// Blobs that did not open here (damaged, or another journal's): never applied, never
    /// removed by a compaction, and reported at every sync while they are in the store.
    pub(crate) refused: BTreeSet<String>,
}

impl SyncState {
    /// The state saved in `w`'s journal; empty when there is none, or when it does not open
    /// (after a key rotation): then every blob is applied again, which changes nothing, and
    /// everything this device wrote goes out again.
    pub(crate) fn load(
        w: &RecordWriter<'_>,
        key: &SealingKey,
        store_id: &[u8; 16],
    ) -> Result<SyncState> {
        let Some(sealed) = w.setting(&setting(store_id))? else {
            return Ok(SyncState::default());
        };
        let mut buffer = Zeroizing::new(sealed);
        let Some(range) = envelope::open_in_place(key, &mut buffer, &context(store_id)) else {
            return Ok(SyncState::default());
        };
        let mut state = SyncState::default();
        let mut reader = Reader::new(&buffer[range]);
        while let Ok(Some((t, wire, _))) = reader.next_field() {
            match t {
                tag::SEEN => {
                    if let Some(name) = wire.bytes().ok().and_then(|b| std::str::from_utf8(b).ok())
                    {
                        state.seen.insert(name.to_owned());
                    }
                }
                tag::SENT => state.sent = wire.varint().unwrap_or(0),
                tag::REFUSED => {
                    if let Some(name) = wire.bytes().ok().and_then(|b| std::str::from_utf8(b).ok())
                    {
                        state.refused.insert(name.to_owned());
                    }
                }
                tag::KNOWN => {
                    let (mut device, mut clock) = (0, 0);
                    if let Ok(bytes) = wire.bytes() {
                        let mut inner = Reader::new(bytes);
                        while let Ok(Some((t, wire, _))) = inner.next_field() {
                            match t {
                                tag::DEVICE => device = wire.varint().unwrap_or(0),
                                tag::CLOCK => clock = wire.varint().unwrap_or(0),
                                _ => {}
                            }
                        }
                    }
                    state.known.learn(crate::Stamp { clock, device });
                }
                _ => {}
            }
        }
        Ok(state)
    }

    /// Saves the state in `w`'s transaction.
    pub(crate) fn save(
        &self,
        w: &mut RecordWriter<'_>,
        key: &SealingKey,
        store_id: &[u8; 16],
    ) -> Result<()> {
        let mut out = Writer::new();
        for name in &self.seen {
            out.bytes_field(tag::SEEN, name.as_bytes());
        }
        out.uint(tag::SENT, self.sent);
        for name in &self.refused {
            out.bytes_field(tag::REFUSED, name.as_bytes());
        }
        for (&device, &clock) in &self.known.0 {
            out.nested(tag::KNOWN, |k| {
                k.uint(tag::DEVICE, device);
                k.uint(tag::CLOCK, clock);
            });
        }
        let plain = Zeroizing::new(out.into_bytes());
        let sealed = envelope::seal(key, &context(store_id), &plain)?;
        w.set_setting(&setting(store_id), &sealed)
    }
}
