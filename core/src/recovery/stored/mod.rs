//! How each kind of record is stored: one definition per kind.
//!
//! [`StoredRecord`] ties a domain type to its storage: its kind name (sealed inside the
//! record, never on disk in clear), the rule that gives a record its id, and its body
//! encoding. The rule that gives an id is written once, here, for every kind:
//! - records with their own random id (journeys, lapses, triggers, reflections, entries,
//!   cards, contacts, outreach, meetings) are stored under it;
//! - records kept one per something are stored under a keyed HMAC of that something (see
//!   `Journal::lookup_id`): the check-in of a day (its date), the settings (one per
//!   journal), a journey's milestone acknowledgements (its journey), a card's flags (its card)
//!   and the card use a trigger recorded (its trigger).
//!
//! Bodies carry their version. Version 2 is the tagged encoding of `crate::codec`
//! (`bodies.rs` declares every field); version 1 is the JSON of Waymark 0.1, still read (and
//! moved to version 2 by the body migration on first unlock). A reader keeps the fields a
//! newer version added ([`Unknown`]) and [`encode`] writes them back when the record is
//! edited. A body version newer than this build is never decoded or overwritten: it is kept
//! and counted.

mod bodies;
mod checks;

pub(crate) use checks::Valid;

use crate::codec::{DecodeError, Message, Unknown};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::cards::{CardState, CardUse, StoredCard};
use crate::recovery::check_in::CheckIn;
use crate::recovery::entries::JournalEntry;
use crate::recovery::journey::{Journey, Lapse};
use crate::recovery::limits::UseLog;
use crate::recovery::reflection::Reflection;
use crate::recovery::reminders::ReminderPrefs;
use crate::recovery::safety_plan::SafetyPlan;
use crate::recovery::settings::{MilestoneAcks, Settings};
use crate::recovery::support::{Meeting, Outreach, SupportContact};
use crate::recovery::triggers::TriggerEvent;
use crate::recovery::urge::UrgeSession;
use crate::{RecordView, RecordWriter};
use serde::de::DeserializeOwned;

/// Body version 1: the JSON of Waymark 0.1.
pub(crate) const BODY_JSON: u8 = 1;
/// Body version 2: the tagged encoding.
pub(crate) const BODY_TAGGED: u8 = 2;
/// The newest body version this build reads and writes.
pub(crate) const BODY_VERSION: u8 = BODY_TAGGED;

/// How a record's id is found.
pub(crate) enum Identity<'a> {
    /// Its own random id.
    Own(RecordId),
    /// A keyed HMAC of a natural key in a namespace (one record per key).
    Keyed {
        /// The namespace (the kind's name).
        namespace: &'static str,
        /// The natural key.
        key: std::borrow::Cow<'a, [u8]>,
    },
}

/// A kind of record as it is stored. Implemented once per kind, below.
pub(crate) trait StoredRecord:
    Message + DeserializeOwned + serde::Serialize + Valid + Clone
{
    /// The kind's name, sealed inside each record.
    const KIND: &'static str;
    /// The record's identity (see the module docs).
    fn identity(&self) -> Identity<'_>;

    /// What is kept of a concurrent edit that lost a merge (see `recovery::backup`): for text
    /// a person wrote, a copy of it as a new record `id` linked to `winner`, so nothing they
    /// wrote is lost. `None` (the default) for kinds without free text, or merged field by
    /// field.
    fn conflict_copy(&self, _id: RecordId, _winner: &RecordId) -> Option<Self> {
        None
    }

    /// Whether this kind keeps a conflict copy of a losing version (where it does not, a
    /// concurrent edit made after a deletion wins over it, or it would be lost).
    fn keeps_conflict_copies(&self, id: &RecordId) -> bool {
        self.conflict_copy(*id, id).is_some()
    }

    /// The winner of a concurrent edit with what the loser holds and it lacks (the default:
    /// the winner as it is). A day's check-in merges this way: a mood given on the phone and
    /// an evening review written on the laptop are both kept.
    fn merge_concurrent(winner: Self, _loser: &Self) -> Self {
        winner
    }
}

/// Why a stored body did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// Written by a newer Waymark in a body version this build cannot read.
    Newer(u8),
    /// Damaged, or not a body of this kind.
    Damaged,
}

impl From<DecodeError> for BodyError {
    fn from(_: DecodeError) -> Self {
        BodyError::Damaged
    }
}

/// Decodes a body of version `version`, upgrading older versions in memory; returns the value
/// and the fields this build did not know.
pub(crate) fn decode<T: StoredRecord>(version: u8, body: &[u8]) -> Result<(T, Unknown), BodyError> {
    match version {
        BODY_TAGGED => Ok(T::read_fields(body)?),
        BODY_JSON => serde_json::from_slice(body)
            .map(|value| (value, Unknown::default()))
            .map_err(|_| BodyError::Damaged),
        newer if newer > BODY_VERSION => Err(BodyError::Newer(newer)),
        _ => Err(BodyError::Damaged),
    }
}

/// The body of `value` in this build's version, with `unknown` fields (from the copy being
/// replaced) written back unchanged.
pub(crate) fn encode<T: StoredRecord>(value: &T, unknown: &Unknown) -> zeroize::Zeroizing<Vec<u8>> {
    zeroize::Zeroizing::new(value.to_body(unknown))
}

/// The natural key of a day.
fn date_key(date: chrono::NaiveDate) -> std::borrow::Cow<'static, [u8]> {
    std::borrow::Cow::Owned(date.to_string().into_bytes())
}

/// The one key of the settings record.
pub(crate) const SETTINGS_KEY: &[u8] = b"settings";

impl StoredRecord for Settings {
    const KIND: &'static str = "settings";
    fn identity(&self) -> Identity<'_> {
        Identity::Keyed {
            namespace: Self::KIND,
            key: SETTINGS_KEY.into(),
        }
    }
}

impl StoredRecord for Journey {
    const KIND: &'static str = "journey";
    fn identity(&self) -> Identity<'_> {
        Identity::Own(self.id)
    }
}

impl StoredRecord for Lapse {
    const KIND: &'static str = "lapse";
    fn identity(&self) -> Identity<'_> {
        Identity::Own(self.id)
    }
    /// A lapse edited on two devices at once keeps the later edit, with both notes.
    fn merge_concurrent(winner: Self, loser: &Self) -> Self {
        Lapse {
            note: crate::recovery::check_in::both_notes(winner.note, loser.note.as_deref()),
            ..winner
        }
    }
}

impl StoredRecord for MilestoneAcks {
    const KIND: &'static str = "milestone_acks";
    fn identity(&self) -> Identity<'_> {
        Identity::Keyed {
            namespace: Self::KIND,
            key: self.journey_id.as_bytes()[..].into(),
        }
    }
}

impl StoredRecord for CheckIn {
    const KIND: &'static str = "check_in";
    fn identity(&self) -> Identity<'_> {
        Identity::Keyed {
            namespace: Self::KIND,
            key: date_key(self.date),
        }
    }
    fn merge_concurrent(winner: Self, loser: &Self) -> Self {
        crate::recovery::check_in::merge_concurrent(winner, loser)
    }
}

impl StoredRecord for TriggerEvent {
    const KIND: &'static str = "trigger";
    fn identity(&self) -> Identity<'_> {
        Identity::Own(self.id)
    }
}

impl StoredRecord for StoredCard {
    const KIND: &'static str = "card";
    fn identity(&self) -> Identity<'_> {
        Identity::Own(self.id)
    }
    /// A card of the person's own edited on two devices at once keeps the later title and
    /// category, and its steps item by item: every step either device added (the later's
    /// first), none either removed.
    fn merge_concurrent(winner: Self, loser: &Self) -> Self {
        StoredCard::merge_steps(winner, loser)
    }
}

impl StoredRecord for CardState {
    const KIND: &'static str = "card_state";
    fn identity(&self) -> Identity<'_> {
        Identity::Keyed {
            namespace: Self::KIND,
            key: self.card_id.as_bytes().into(),
        }
    }
}

impl StoredRecord for CardUse {
    const KIND: &'static str = "card_use";
    /// One use per trigger (keyed by the trigger, so editing the trigger replaces it); a
    /// use without a trigger has its own id.
    fn identity(&self) -> Identity<'_> {
        match &self.trigger_id {
            Some(trigger) => Identity::Keyed {
                namespace: Self::KIND,
                key: trigger.as_bytes()[..].into(),
            },
            None => Identity::Own(self.id),
        }
    }
}

impl StoredRecord for Reflection {
    const KIND: &'static str = "reflection";
    fn identity(&self) -> Identity<'_> {
        Identity::Own(self.id)
    }
    fn conflict_copy(&self, id: RecordId, winner: &RecordId) -> Option<Self> {
        Some(Reflection {
            id,
            conflict_of: Some(*winner),
            ..self.clone()
        })
    }
}

impl StoredRecord for JournalEntry {
    const KIND: &'static str = "entry";
    fn identity(&self) -> Identity<'_> {
        Identity::Own(self.id)
    }
    fn conflict_copy(&self, id: RecordId, winner: &RecordId) -> Option<Self> {
        Some(JournalEntry {
            id,
            conflict_of: Some(*winner),
            ..self.clone()
        })
    }
}

impl StoredRecord for SupportContact {
    const KIND: &'static str = "contact";
    fn identity(&self) -> Identity<'_> {
        Identity::Own(self.id)
    }
}

impl StoredRecord for Outreach {
    const KIND: &'static str = "outreach";
    fn identity(&self) -> Identity<'_> {
        Identity::Own(self.id)
    }
}

impl StoredRecord for Meeting {
    const KIND: &'static str = "meeting";
    fn identity(&self) -> Identity<'_> {
        Identity::Own(self.id)
    }
}

/// The one key of the safety plan.
pub(crate) const SAFETY_PLAN_KEY: &[u8] = b"safety_plan";
/// The one key of the reminder preferences.
pub(crate) const REMINDER_PREFS_KEY: &[u8] = b"reminder_prefs";

impl StoredRecord for SafetyPlan {
    const KIND: &'static str = "safety_plan";
    fn identity(&self) -> Identity<'_> {
        Identity::Keyed {
            namespace: Self::KIND,
            key: SAFETY_PLAN_KEY.into(),
        }
    }
    /// A plan edited on two devices at once merges item by item: every item either device
    /// added is kept, none either removed comes back.
    fn merge_concurrent(winner: Self, loser: &Self) -> Self {
        SafetyPlan::merge_items(winner, loser)
    }
}

impl StoredRecord for UrgeSession {
    const KIND: &'static str = "urge_session";
    fn identity(&self) -> Identity<'_> {
        Identity::Own(self.id)
    }
}

impl StoredRecord for ReminderPrefs {
    const KIND: &'static str = "reminder_prefs";
    fn identity(&self) -> Identity<'_> {
        Identity::Keyed {
            namespace: Self::KIND,
            key: REMINDER_PREFS_KEY.into(),
        }
    }
}

impl StoredRecord for UseLog {
    const KIND: &'static str = "use";
    fn identity(&self) -> Identity<'_> {
        Identity::Own(self.id)
    }
}

/// Calls `$action!(Type)` for every stored kind: the one list of what the recovery domain
/// stores (the snapshot, the body migration and the registry test use it).
macro_rules! for_each_kind {
    ($action:ident) => {
        $action!($crate::recovery::settings::Settings);
        $action!($crate::recovery::journey::Journey);
        $action!($crate::recovery::journey::Lapse);
        $action!($crate::recovery::settings::MilestoneAcks);
        $action!($crate::recovery::check_in::CheckIn);
        $action!($crate::recovery::triggers::TriggerEvent);
        $action!($crate::recovery::cards::StoredCard);
        $action!($crate::recovery::cards::CardState);
        $action!($crate::recovery::cards::CardUse);
        $action!($crate::recovery::reflection::Reflection);
        $action!($crate::recovery::entries::JournalEntry);
        $action!($crate::recovery::support::SupportContact);
        $action!($crate::recovery::support::Outreach);
        $action!($crate::recovery::support::Meeting);
        $action!($crate::recovery::safety_plan::SafetyPlan);
        $action!($crate::recovery::urge::UrgeSession);
        $action!($crate::recovery::reminders::ReminderPrefs);
        $action!($crate::recovery::limits::UseLog);
    };
}
pub(crate) use for_each_kind;

/// Re-encodes a body of a known kind from an older version into this build's; `None` when
/// the kind is not the domain's, the body is already current, or it does not decode (then it
/// stays exactly as it was).
pub(crate) fn upgrade(kind: &str, version: u8, body: &[u8]) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    if version >= BODY_VERSION {
        return None;
    }
    macro_rules! try_kind {
        ($t:ty) => {
            if kind == <$t as StoredRecord>::KIND {
                let (value, unknown) = decode::<$t>(version, body).ok()?;
                return Some(encode(&value, &unknown));
            }
        };
    }
    for_each_kind!(try_kind);
    None
}

/// The natural key a record's id is keyed by, when its kind keeps one record per key
/// (`(namespace, key)` as `Journal::lookup_id` takes them): what a data-key rotation needs to
/// move the record to the new key's id. `None` for records with their own id, and for bodies
/// this build cannot read (they keep their id).
pub(crate) fn natural_key(view: &RecordView<'_>) -> Option<(&'static str, Vec<u8>)> {
    if view.quarantine.is_some() {
        return None; // never found by a natural key: it stays where it is
    }
    macro_rules! try_kind {
        ($t:ty) => {
            if view.kind == <$t as StoredRecord>::KIND {
                let (value, _) = decode::<$t>(view.body_version, view.body).ok()?;
                return match value.identity() {
                    Identity::Keyed { namespace, key } => Some((namespace, key.into_owned())),
                    Identity::Own(_) => None,
                };
            }
        };
    }
    for_each_kind!(try_kind);
    None
}

/// A body of `kind` as pretty JSON with the fields of its kind, for a person to read (a
/// quarantined record); a JSON body (the first release's format) that does not fit its kind
/// (say, a number beyond the field's range) is shown as that JSON under `"body"`; anything
/// else that does not decode is given as `{"kind": ..., "body_version": ..., "body_hex": ...}`.
pub(crate) fn to_json(kind: &str, version: u8, body: &[u8]) -> String {
    macro_rules! try_kind {
        ($t:ty) => {
            if kind == <$t as StoredRecord>::KIND {
                if let Ok((value, _)) = decode::<$t>(version, body) {
                    if let Ok(json) = serde_json::to_string_pretty(&value) {
                        return json;
                    }
                }
            }
        };
    }
    for_each_kind!(try_kind);
    if let Ok(raw) = serde_json::from_slice::<serde_json::Value>(body) {
        let shown = serde_json::json!({ "kind": kind, "body_version": version, "body": raw });
        if let Ok(json) = serde_json::to_string_pretty(&shown) {
            return json;
        }
    }
    let hex: String = body.iter().map(|b| format!("{b:02x}")).collect();
    serde_json::json!({ "kind": kind, "body_version": version, "body_hex": hex }).to_string()
}

/// The record id `identity` stands for in this journal.
pub(crate) fn id_for(w: &mut RecordWriter<'_>, identity: &Identity<'_>) -> Result<RecordId> {
    match identity {
        Identity::Own(id) => Ok(*id),
        Identity::Keyed { namespace, key } => w.lookup_id(namespace, key),
    }
}

/// Checks what `save` would replace and returns its revision and the fields this build does
/// not know: a record of another kind under the same id is never overwritten (it is damage,
/// or a hostile file), nor is one in a body version newer than this build reads.
fn existing<T: StoredRecord>(
    w: &mut RecordWriter<'_>,
    id: &RecordId,
) -> Result<(Option<u64>, Unknown)> {
    let found = w.peek_with_revision(id, |view| {
        if view.kind != T::KIND {
            return Err(Error::CorruptRecord { id: id.to_string() });
        }
        match view.body_version {
            BODY_TAGGED => Ok(T::read_fields(view.body)
                .map(|(_, unknown)| unknown)
                .unwrap_or_default()),
            v if v > BODY_VERSION => Err(Error::UnsupportedVersion {
                what: "record body",
                found: u32::from(v),
                supported: u32::from(BODY_VERSION),
            }),
            _ => Ok(Unknown::default()),
        }
    });
    match found {
        Ok((revision, Some(result))) => result.map(|unknown| (revision, unknown)),
        Ok((revision, None)) => Ok((revision, Unknown::default())),
        // A record that no longer opens is replaced by the new content.
        Err(Error::CorruptRecord { .. }) => Ok((w.revision_of(id)?, Unknown::default())),
        Err(other) => Err(other),
    }
}

/// Reads the record `identity` names (once), lets `change` make the new value from it
/// (`None`: there is none yet), and saves that, keeping the fields this build does not know.
/// Returns the value saved.
pub(crate) fn update<T: StoredRecord>(
    w: &mut RecordWriter<'_>,
    identity: &Identity<'_>,
    change: impl FnOnce(Option<T>) -> Result<T>,
) -> Result<T> {
    let id = id_for(w, identity)?;
    let found = w.peek_with_revision(&id, |view| -> Result<(T, Unknown)> {
        if view.kind != T::KIND {
            return Err(Error::CorruptRecord { id: id.to_string() });
        }
        match decode::<T>(view.body_version, view.body) {
            Ok(decoded) => Ok(decoded),
            Err(BodyError::Newer(found)) => Err(Error::UnsupportedVersion {
                what: "record body",
                found: u32::from(found),
                supported: u32::from(BODY_VERSION),
            }),
            Err(BodyError::Damaged) => Err(Error::CorruptRecord { id: id.to_string() }),
        }
    });
    let (revision, current, unknown) = match found {
        Ok((revision, Some(Ok((value, unknown))))) => (revision, Some(value), unknown),
        Ok((revision, Some(Err(Error::CorruptRecord { .. })) | None)) => {
            (revision, None, Unknown::default())
        }
        Ok((_, Some(Err(other)))) => return Err(other),
        Err(Error::CorruptRecord { .. }) => (w.revision_of(&id)?, None, Unknown::default()),
        Err(other) => return Err(other),
    };
    let value = change(current)?;
    let body = encode(&value, &unknown);
    w.put_over(&id, revision, T::KIND, BODY_VERSION, &body)?;
    Ok(value)
}

/// Saves `value` under its identity in this build's body version, keeping the fields a
/// newer version of Waymark wrote into the copy it replaces. Returns the record id.
pub(crate) fn save<T: StoredRecord>(w: &mut RecordWriter<'_>, value: &T) -> Result<RecordId> {
    let id = id_for(w, &value.identity())?;
    let (revision, unknown) = existing::<T>(w, &id)?;
    let body = encode(value, &unknown);
    w.put_over(&id, revision, T::KIND, BODY_VERSION, &body)?;
    Ok(id)
}

/// The record of kind `T` under `id` as this transaction sees it: `None` when there is none
/// (or the id holds another kind); damage and newer versions are errors naming the record.
pub(crate) fn load<T: StoredRecord>(w: &mut RecordWriter<'_>, id: &RecordId) -> Result<Option<T>> {
    w.peek(id, |view| read_view::<T>(&view))?
        .transpose()
        .map(Option::flatten)
}

/// The record of kind `T` found by `identity`.
pub(crate) fn find<T: StoredRecord>(
    w: &mut RecordWriter<'_>,
    identity: &Identity<'_>,
) -> Result<Option<T>> {
    let id = id_for(w, identity)?;
    load(w, &id)
}

/// Deletes the record of kind `T` under `id`, leaving a tombstone that remembers its natural
/// key (for a kind kept one per something), so a merge on another journal finds what was
/// deleted; false when there is none of that kind (a record of another kind is left
/// untouched).
pub(crate) fn delete<T: StoredRecord>(w: &mut RecordWriter<'_>, id: &RecordId) -> Result<bool> {
    let key = w.peek(id, |view| {
        (view.kind == T::KIND).then(|| match decode::<T>(view.body_version, view.body) {
            Ok((value, _)) => match value.identity() {
                Identity::Keyed { key, .. } => key.into_owned(),
                Identity::Own(_) => Vec::new(),
            },
            Err(_) => Vec::new(),
        })
    })?;
    match key.flatten() {
        Some(key) => w.delete_remembering(id, &key),
        None => Ok(false),
    }
}

/// Decodes a decrypted record as `T`: `Ok(None)` for another kind.
pub(crate) fn read_view<T: StoredRecord>(view: &RecordView<'_>) -> Result<Option<T>> {
    if view.kind != T::KIND {
        return Ok(None);
    }
    match decode::<T>(view.body_version, view.body) {
        Ok((value, _)) => Ok(Some(value)),
        Err(BodyError::Newer(found)) => Err(Error::UnsupportedVersion {
            what: "record body",
            found: u32::from(found),
            supported: u32::from(BODY_VERSION),
        }),
        Err(BodyError::Damaged) => Err(Error::CorruptRecord {
            id: view.id.to_string(),
        }),
    }
}

#[cfg(test)]
mod golden;
