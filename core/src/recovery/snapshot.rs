//! Loading: every record of the journal, decrypted once and sorted into typed vectors by kind,
//! and kept up to date record by record after each write (the warm journal).
//!
//! The pure functions (counter, milestones, streaks, review) run over a [`Snapshot`]. A record
//! whose body does not decode as its kind is listed in `damaged` beside the records that
//! failed to decrypt, and skipped; it never stops the rest loading (S12). Records of kinds this
//! build does not know, and records in a body version newer than it reads (written by a newer
//! Waymark), are counted and kept untouched.
//!
//! A snapshot knows where each record id lives, so [`Snapshot::apply`] can replace or remove
//! one record after a write without decrypting anything else. [`Snapshot::wipe`] overwrites
//! every text it holds before it is dropped (on lock, and when the cache is dropped).

use super::cards::{self, CardState, CardUse, CopingCard, StoredCard};
use super::check_in::CheckIn;
use super::entries::JournalEntry;
use super::journey::{Journey, Lapse, LapseKind};
use super::limits::UseLog;
use super::reflection::{Reflection, ReflectionBody};
use super::reminders::ReminderPrefs;
use super::safety_plan::SafetyPlan;
use super::settings::{MilestoneAcks, Settings};
use super::stored::{decode, BodyError, StoredRecord};
use super::support::{Meeting, Outreach, SupportContact};
use super::triggers::TriggerEvent;
use super::urge::UrgeSession;
use crate::error::Result;
use crate::record::RecordId;
use crate::{Journal, RecordView};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Where a record of the snapshot lives: its kind and how to find it in its vector.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Settings,
    Journey(RecordId),
    Lapse(RecordId),
    MilestoneAcks(RecordId),
    CheckIn(NaiveDate),
    Trigger(RecordId),
    Card(RecordId),
    CardState(String),
    CardUse(RecordId),
    Reflection(RecordId),
    Entry(RecordId),
    Contact(RecordId),
    Outreach(RecordId),
    Meeting(RecordId),
    SafetyPlan,
    UrgeSession(RecordId),
    ReminderPrefs,
    Use(RecordId),
    Damaged,
    Newer,
    UnknownKind,
    Quarantined,
}

/// A record in quarantine, as the snapshot lists it (its content stays sealed in the journal
/// until it is asked for).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuarantinedRecord {
    /// Its id in this journal.
    pub id: RecordId,
    /// Its kind ("check_in", "journey"...).
    pub kind: String,
    /// Why it is there.
    pub reason: crate::QuarantineReason,
}

/// Everything in a journal, decrypted and typed. Holds what the person wrote: keep it in
/// memory only as long as a view needs it.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    /// Settings, if saved.
    pub settings: Option<Settings>,
    /// Journeys.
    pub journeys: Vec<Journey>,
    /// Lapses of every journey, and the days over a limit journey's limit (kind
    /// `OverLimit`: derived from `uses` by [`super::limits::over_days`], never stored).
    pub lapses: Vec<Lapse>,
    /// Milestone acknowledgements per journey.
    pub(crate) milestone_acks: Vec<MilestoneAcks>,
    /// Check-ins, oldest first.
    pub check_ins: Vec<CheckIn>,
    /// Trigger events, oldest first.
    pub triggers: Vec<TriggerEvent>,
    /// The person's own cards.
    pub(crate) custom_cards: Vec<StoredCard>,
    /// Favourite and archive flags.
    pub(crate) card_states: Vec<CardState>,
    /// Card uses, oldest first.
    pub card_uses: Vec<CardUse>,
    /// Reflections.
    pub reflections: Vec<Reflection>,
    /// Journal entries, oldest first.
    pub entries: Vec<JournalEntry>,
    /// Support contacts.
    pub contacts: Vec<SupportContact>,
    /// Outreach, oldest first.
    pub outreach: Vec<Outreach>,
    /// Meetings, oldest first.
    pub meetings: Vec<Meeting>,
    /// The safety plan, if written.
    pub safety_plan: Option<SafetyPlan>,
    /// Urge-surfing sessions, oldest first.
    pub urge_sessions: Vec<UrgeSession>,
    /// Reminder preferences, if saved.
    pub reminder_prefs: Option<ReminderPrefs>,
    /// Amounts logged against limit journeys, oldest day first.
    pub uses: Vec<UseLog>,
    /// Records that could not be read (failed to decrypt, or did not decode as their kind).
    pub damaged: Vec<RecordId>,
    /// Rows of the file that are not records at all, by SQLite row id.
    pub malformed_rows: Vec<i64>,
    /// Rows lost on damaged pages of the file (an upper bound).
    pub lost_rows: u64,
    /// Records of kinds this build does not know.
    pub unknown_kinds: u32,
    /// Records written by a newer Waymark in a body version this build cannot read: kept as
    /// they are, never overwritten.
    pub newer_bodies: u32,
    /// Records in quarantine: kept, never applied (see [`crate::QuarantineReason`]).
    pub quarantined: Vec<QuarantinedRecord>,
    /// Where each record id lives (built from `loaded` the first time a write needs it).
    places: HashMap<RecordId, Place, IdHash>,
    /// Where each record loaded at first lives, in load order: cheaper to collect than a map,
    /// and most snapshots are read, never updated.
    loaded: Vec<(RecordId, Place)>,
    /// Which vectors [`Snapshot::replace`] changed since the last sort.
    unsorted: Unsorted,
}

/// A fast hash for record ids (random bytes already), seeded per process so a hostile file
/// cannot pick ids that collide.
#[derive(Clone, Copy, Debug)]
struct IdHash(u64);

impl Default for IdHash {
    fn default() -> Self {
        static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        IdHash(
            *SEED.get_or_init(|| {
                u64::from_le_bytes(crate::crypto::random_array().unwrap_or([0x5a; 8]))
            }),
        )
    }
}

impl std::hash::BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(self.0)
    }
}

/// The hasher of [`IdHash`]: multiply-xorshift over 8-byte words.
#[derive(Clone, Copy, Debug)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(23) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 31)
    }
}

/// The vectors that need sorting again after records were replaced.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Unsorted {
    /// A bit per vector that changed.
    changed: u32,
    /// Per vector, how many records were pushed at its end since it was last sorted: the
    /// rest of it is still in order (a write removes in place and pushes at the end).
    pushed: [u32; PLACE_BITS],
}

/// How many bits [`Place::bit`] uses.
const PLACE_BITS: usize = 19;

impl Unsorted {
    /// Every vector, in any order (a load).
    fn all() -> Self {
        Unsorted {
            changed: u32::MAX,
            pushed: [u32::MAX; PLACE_BITS],
        }
    }
    fn mark(&mut self, place: &Place) {
        self.changed |= 1 << place.bit();
        let pushed = &mut self.pushed[place.bit() as usize];
        *pushed = pushed.saturating_add(1);
    }
    fn has(&self, place: Place) -> bool {
        self.changed & (1 << place.bit()) != 0
    }
    /// How many records at the end of `place`'s vector may be out of order.
    fn tail(&self, place: Place) -> usize {
        usize::try_from(self.pushed[place.bit() as usize]).unwrap_or(usize::MAX)
    }
}

impl Place {
    /// A bit per vector, for [`Unsorted`].
    fn bit(&self) -> u32 {
        match self {
            Place::Settings => 0,
            Place::Journey(_) => 1,
            Place::Lapse(_) => 2,
            Place::MilestoneAcks(_) => 3,
            Place::CheckIn(_) => 4,
            Place::Trigger(_) => 5,
            Place::Card(_) => 6,
            Place::CardState(_) => 7,
            Place::CardUse(_) => 8,
            Place::Reflection(_) => 9,
            Place::Entry(_) => 10,
            Place::Contact(_) => 11,
            Place::Outreach(_) => 12,
            Place::Meeting(_) => 13,
            Place::SafetyPlan => 14,
            Place::UrgeSession(_) => 15,
            Place::ReminderPrefs => 16,
            Place::Use(_) => 17,
            Place::Damaged | Place::Newer | Place::UnknownKind | Place::Quarantined => 18,
        }
    }
}

/// Restores the order of `v` (by `cmp`) after at most `tail` records were pushed at its end,
/// as a write does (everything before them is in order and is not looked at): the sorted
/// part stays where it is and each newcomer moves to its place (a binary search and one
/// shift), after any equal ones, exactly where a stable sort would put it. Anything else (a
/// load's unsorted vectors, `tail` = `usize::MAX`) is stable-sorted.
fn settle<T>(v: &mut [T], tail: usize, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    const FEW: usize = 8;
    let n = v.len();
    let mut sorted = n.saturating_sub(tail).max(n.min(1));
    while sorted < n && cmp(&v[sorted - 1], &v[sorted]).is_le() {
        sorted += 1;
    }
    if n - sorted > FEW {
        v.sort_by(cmp);
        return;
    }
    for i in sorted..n {
        let place = v[..i].partition_point(|x| cmp(x, &v[i]).is_le());
        v[place..=i].rotate_right(1);
    }
}

/// [`settle`] by a key.
fn settle_by_key<T, K: Ord>(v: &mut [T], tail: usize, key: impl Fn(&T) -> K) {
    settle(v, tail, |a, b| key(a).cmp(&key(b)));
}

/// Sorts the vectors `which` says changed into the order the views expect.
fn sort(s: &mut Snapshot, which: Unsorted) {
    let id = RecordId::from_bytes([0; 16]);
    let date = NaiveDate::MIN;
    if which.has(Place::Use(id)) {
        settle_by_key(&mut s.uses, which.tail(Place::Use(id)), |u| {
            (u.date, u.logged_at, u.id)
        });
    }
    if which.has(Place::Journey(id)) {
        settle_by_key(&mut s.journeys, which.tail(Place::Journey(id)), |j| {
            (j.sober_since, j.id)
        });
    }
    if which.has(Place::Journey(id)) || which.has(Place::Use(id)) || which.has(Place::Lapse(id)) {
        s.lapses.retain(|l| l.kind != LapseKind::OverLimit);
        for journey in s.journeys.iter().filter(|j| j.limit.is_some()) {
            s.lapses.extend(super::limits::over_days(journey, &s.uses));
        }
        settle_by_key(&mut s.lapses, usize::MAX, |l| (l.date, l.time, l.id));
    }
    if which.has(Place::CheckIn(date)) {
        settle_by_key(&mut s.check_ins, which.tail(Place::CheckIn(date)), |c| {
            c.date
        });
    }
    if which.has(Place::Trigger(id)) {
        settle_by_key(&mut s.triggers, which.tail(Place::Trigger(id)), |t| {
            (t.at, t.id)
        });
    }
    if which.has(Place::Card(id)) {
        settle_by_key(&mut s.custom_cards, which.tail(Place::Card(id)), |c| c.id);
    }
    if which.has(Place::CardUse(id)) {
        settle_by_key(&mut s.card_uses, which.tail(Place::CardUse(id)), |u| {
            (u.at, u.id)
        });
    }
    if which.has(Place::Reflection(id)) {
        settle_by_key(&mut s.reflections, which.tail(Place::Reflection(id)), |r| {
            (r.created_at, r.id)
        });
    }
    if which.has(Place::Entry(id)) {
        settle_by_key(&mut s.entries, which.tail(Place::Entry(id)), |e| {
            (e.date, e.created_at, e.id)
        });
    }
    if which.has(Place::Contact(id)) {
        settle(&mut s.contacts, which.tail(Place::Contact(id)), |a, b| {
            a.name.cmp(&b.name).then(a.id.cmp(&b.id))
        });
    }
    if which.has(Place::Outreach(id)) {
        settle_by_key(&mut s.outreach, which.tail(Place::Outreach(id)), |o| {
            (o.at, o.id)
        });
    }
    if which.has(Place::Meeting(id)) {
        settle_by_key(&mut s.meetings, which.tail(Place::Meeting(id)), |m| {
            (m.date, m.id)
        });
    }
    if which.has(Place::UrgeSession(id)) {
        settle_by_key(
            &mut s.urge_sessions,
            which.tail(Place::UrgeSession(id)),
            |u| (u.started_at, u.id),
        );
    }
}

/// Sorts every vector.
fn sort_all(s: &mut Snapshot) {
    sort(s, Unsorted::all());
}

impl Snapshot {
    /// Decrypts and sorts every record of `journal`.
    pub fn load(journal: &Journal) -> Result<Snapshot> {
        let mut s = Snapshot::default();
        let damage = journal.visit_records(|record| s.insert(&record))?;
        for id in damage.records {
            s.loaded.push((id, Place::Damaged));
            s.damaged.push(id);
        }
        s.malformed_rows = damage.malformed_rows;
        s.lost_rows = damage.lost_rows;
        sort_all(&mut s);
        Ok(s)
    }

    /// A snapshot of records read some other way (a plaintext copy for a benchmark's
    /// baseline, a test's hand-made records): each is decoded and sorted exactly as
    /// [`Snapshot::load`] does.
    pub fn from_records<'a>(records: impl IntoIterator<Item = RecordView<'a>>) -> Snapshot {
        let mut s = Snapshot::default();
        for record in records {
            s.insert(&record);
        }
        sort_all(&mut s);
        s
    }

    /// Adds one decrypted record (without sorting).
    fn insert(&mut self, view: &RecordView<'_>) {
        let place = self.take(view);
        if place == Place::Damaged {
            self.damaged.push(view.id);
        }
        if self.places.is_empty() {
            self.loaded.push((view.id, place));
        } else {
            self.places.insert(view.id, place);
        }
    }

    /// Moves the places collected at load into the map.
    fn index(&mut self) {
        if !self.loaded.is_empty() {
            self.places.reserve(self.loaded.len());
            self.places.extend(std::mem::take(&mut self.loaded));
        }
    }

    /// Decodes a record into its vector and says where it went.
    fn take(&mut self, view: &RecordView<'_>) -> Place {
        if let Some(reason) = view.quarantine {
            self.quarantined.push(QuarantinedRecord {
                id: view.id,
                kind: view.kind.to_owned(),
                reason,
            });
            return Place::Quarantined;
        }
        fn typed<T: StoredRecord>(view: &RecordView<'_>) -> Result<T, Place> {
            match decode::<T>(view.body_version, view.body) {
                Ok((value, _)) => Ok(value),
                Err(BodyError::Newer(_)) => Err(Place::Newer),
                Err(BodyError::Damaged) => Err(Place::Damaged),
            }
        }
        macro_rules! arm {
            ($t:ty, $field:ident, $place:expr) => {
                match typed::<$t>(view) {
                    Ok(value) => {
                        let place = $place(&value);
                        self.$field.push(value);
                        place
                    }
                    Err(place) => place,
                }
            };
        }
        let place = match view.kind {
            Settings::KIND => match typed::<Settings>(view) {
                Ok(value) => {
                    self.settings = Some(value);
                    Place::Settings
                }
                Err(place) => place,
            },
            Journey::KIND => arm!(Journey, journeys, |v: &Journey| Place::Journey(v.id)),
            Lapse::KIND => arm!(Lapse, lapses, |v: &Lapse| Place::Lapse(v.id)),
            MilestoneAcks::KIND => arm!(MilestoneAcks, milestone_acks, |v: &MilestoneAcks| {
                Place::MilestoneAcks(v.journey_id)
            }),
            CheckIn::KIND => arm!(CheckIn, check_ins, |v: &CheckIn| Place::CheckIn(v.date)),
            TriggerEvent::KIND => {
                arm!(TriggerEvent, triggers, |v: &TriggerEvent| Place::Trigger(
                    v.id
                ))
            }
            StoredCard::KIND => arm!(StoredCard, custom_cards, |v: &StoredCard| Place::Card(v.id)),
            CardState::KIND => arm!(CardState, card_states, |v: &CardState| {
                Place::CardState(v.card_id.clone())
            }),
            CardUse::KIND => arm!(CardUse, card_uses, |v: &CardUse| Place::CardUse(v.id)),
            Reflection::KIND => {
                arm!(Reflection, reflections, |v: &Reflection| Place::Reflection(
                    v.id
                ))
            }
            JournalEntry::KIND => {
                arm!(JournalEntry, entries, |v: &JournalEntry| Place::Entry(v.id))
            }
            SupportContact::KIND => {
                arm!(SupportContact, contacts, |v: &SupportContact| {
                    Place::Contact(v.id)
                })
            }
            Outreach::KIND => arm!(Outreach, outreach, |v: &Outreach| Place::Outreach(v.id)),
            Meeting::KIND => arm!(Meeting, meetings, |v: &Meeting| Place::Meeting(v.id)),
            SafetyPlan::KIND => match typed::<SafetyPlan>(view) {
                Ok(value) => {
                    self.safety_plan = Some(value);
                    Place::SafetyPlan
                }
                Err(place) => place,
            },
            UrgeSession::KIND => arm!(UrgeSession, urge_sessions, |v: &UrgeSession| {
                Place::UrgeSession(v.id)
            }),
            ReminderPrefs::KIND => match typed::<ReminderPrefs>(view) {
                Ok(value) => {
                    self.reminder_prefs = Some(value);
                    Place::ReminderPrefs
                }
                Err(place) => place,
            },
            UseLog::KIND => arm!(UseLog, uses, |v: &UseLog| Place::Use(v.id)),
            _ => Place::UnknownKind,
        };
        match place {
            Place::Newer => self.newer_bodies += 1,
            Place::UnknownKind => self.unknown_kinds += 1,
            _ => {}
        }
        place
    }

    /// How many records could not be read, at most: damaged records, rows that are not
    /// records, rows on damaged pages.
    pub fn damaged_count(&self) -> i32 {
        let n = (self.damaged.len() as u64)
            .saturating_add(self.malformed_rows.len() as u64)
            .saturating_add(self.lost_rows);
        i32::try_from(n).unwrap_or(i32::MAX)
    }

    /// How many records a newer Waymark wrote (a newer body version or a kind this build
    /// does not know), kept unchanged: the count every screen reports.
    pub fn newer_count(&self) -> i32 {
        i32::try_from(self.newer_bodies.saturating_add(self.unknown_kinds)).unwrap_or(i32::MAX)
    }

    /// Removes what is stored under `id`, if anything.
    fn remove(&mut self, id: &RecordId) {
        let Some(place) = self.places.remove(id) else {
            return;
        };
        match place {
            Place::Settings => self.settings = None,
            Place::Journey(k) => self.journeys.retain(|v| v.id != k),
            Place::Lapse(k) => self.lapses.retain(|v| v.id != k),
            Place::MilestoneAcks(k) => self.milestone_acks.retain(|v| v.journey_id != k),
            Place::CheckIn(k) => self.check_ins.retain(|v| v.date != k),
            Place::Trigger(k) => self.triggers.retain(|v| v.id != k),
            Place::Card(k) => self.custom_cards.retain(|v| v.id != k),
            Place::CardState(k) => self.card_states.retain(|v| v.card_id != k),
            Place::CardUse(k) => self.card_uses.retain(|v| v.id != k),
            Place::Reflection(k) => self.reflections.retain(|v| v.id != k),
            Place::Entry(k) => self.entries.retain(|v| v.id != k),
            Place::Contact(k) => self.contacts.retain(|v| v.id != k),
            Place::Outreach(k) => self.outreach.retain(|v| v.id != k),
            Place::Meeting(k) => self.meetings.retain(|v| v.id != k),
            Place::SafetyPlan => self.safety_plan = None,
            Place::UrgeSession(k) => self.urge_sessions.retain(|v| v.id != k),
            Place::ReminderPrefs => self.reminder_prefs = None,
            Place::Use(k) => self.uses.retain(|v| v.id != k),
            Place::Damaged => self.damaged.retain(|d| d != id),
            Place::Newer => self.newer_bodies = self.newer_bodies.saturating_sub(1),
            Place::UnknownKind => self.unknown_kinds = self.unknown_kinds.saturating_sub(1),
            Place::Quarantined => self.quarantined.retain(|q| q.id != *id),
        }
    }

    /// Brings one record up to date after a write: `record` replaces what was stored under
    /// `id` (`None`: the record is gone). Call [`Snapshot::resort`] after the last one.
    pub(crate) fn replace(&mut self, id: &RecordId, record: Option<&RecordView<'_>>) {
        self.index();
        self.remove(id);
        if let Some(view) = record {
            self.insert(view);
            if let Some(place) = self.places.get(id) {
                self.unsorted.mark(place);
            }
        }
    }

    /// Restores the order of the vectors [`Snapshot::replace`] added to.
    pub(crate) fn resort(&mut self) {
        let which = std::mem::take(&mut self.unsorted);
        sort(self, which);
    }

    /// The deck as the person sees it: the built-in cards and their own, with their
    /// favourite and archive flags.
    pub(crate) fn deck(&self) -> Vec<CopingCard> {
        cards::deck(
            self.custom_cards.iter().map(cards::custom_card).collect(),
            &self.card_states,
        )
    }

    /// Overwrites every text this snapshot holds, then empties it: what the person wrote
    /// does not linger in freed memory after a lock.
    pub fn wipe(&mut self) {
        use crate::crypto::wipe::Wipe;
        fn texts(values: &mut [String]) {
            values.wipe();
        }
        fn text(value: &mut Option<String>) {
            value.wipe();
        }
        if let Some(s) = &mut self.settings {
            s.time_zone.wipe();
            text(&mut s.currency);
        }
        for j in &mut self.journeys {
            j.name.wipe();
            j.time_zone.wipe();
        }
        for l in &mut self.lapses {
            text(&mut l.note);
            text(&mut l.time_zone);
        }
        for a in &mut self.milestone_acks {
            a.acknowledged.iter_mut().for_each(|(_, k)| k.wipe());
        }
        for c in &mut self.check_ins {
            texts(&mut c.trigger_tags);
            text(&mut c.intention);
            if let Some(review) = &mut c.evening_review {
                text(&mut review.note);
            }
            texts(&mut c.gratitude);
            text(&mut c.note);
        }
        for t in &mut self.triggers {
            t.time_zone.wipe();
            texts(&mut t.tags);
            text(&mut t.situation);
            text(&mut t.card_id);
        }
        for c in &mut self.custom_cards {
            c.title.wipe();
            texts(&mut c.steps);
        }
        for s in &mut self.card_states {
            s.card_id.wipe();
        }
        for u in &mut self.card_uses {
            u.card_id.wipe();
            text(&mut u.time_zone);
        }
        for r in &mut self.reflections {
            match &mut r.body {
                ReflectionBody::Lapse(b) => {
                    for field in [
                        &mut b.what_happened,
                        &mut b.where_when_who,
                        &mut b.trigger,
                        &mut b.thoughts_and_feelings,
                        &mut b.what_i_tried,
                        &mut b.what_i_learned,
                        &mut b.kind_word,
                    ] {
                        text(field);
                    }
                }
                ReflectionBody::ChainAnalysis(c) => {
                    for field in [
                        &mut c.vulnerability_factors,
                        &mut c.prompting_event,
                        &mut c.behaviour,
                        &mut c.consequences,
                        &mut c.repair,
                    ] {
                        text(field);
                    }
                    for link in &mut c.links {
                        link.link.wipe();
                        text(&mut link.skill);
                    }
                }
            }
            for item in r.body.next_time_mut() {
                item.text.wipe();
                text(&mut item.card_id);
            }
        }
        for e in &mut self.entries {
            text(&mut e.title);
            e.body.wipe();
            texts(&mut e.tags);
        }
        for c in &mut self.contacts {
            c.name.wipe();
            text(&mut c.phone);
            text(&mut c.note);
        }
        for o in &mut self.outreach {
            text(&mut o.note);
            text(&mut o.time_zone);
        }
        for m in &mut self.meetings {
            text(&mut m.name);
            text(&mut m.note);
        }
        if let Some(plan) = &mut self.safety_plan {
            plan.wipe();
        }
        for u in &mut self.urge_sessions {
            u.time_zone.wipe();
            text(&mut u.card_id);
        }
        if let Some(prefs) = &mut self.reminder_prefs {
            for m in &mut prefs.meetings {
                text(&mut m.name);
            }
        }
        *self = Snapshot::default();
    }
}

/// The kinds this build stores, for tests and the registry check.
#[cfg(test)]
pub(crate) fn stored_kind_names() -> Vec<&'static str> {
    use super::stored::for_each_kind;
    let mut names = Vec::new();
    macro_rules! name {
        ($t:ty) => {
            names.push(<$t as StoredRecord>::KIND);
        };
    }
    for_each_kind!(name);
    names
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn settling_after_pushes_orders_like_a_stable_sort(
            mut prefix in proptest::collection::vec((0u8..20, any::<u16>()), 0..60),
            tail in proptest::collection::vec((0u8..20, any::<u16>()), 0..12),
        ) {
            prefix.sort_by_key(|p| p.0);
            let mut settled = prefix.clone();
            settled.extend(tail.iter().copied());
            let mut sorted = settled.clone();
            sorted.sort_by_key(|p| p.0);
            super::settle_by_key(&mut settled, tail.len(), |p| p.0);
            prop_assert_eq!(settled, sorted);
        }
    }

    #[test]
    fn every_kind_has_its_own_name() {
        let mut names = super::stored_kind_names();
        let all = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all);
        assert_eq!(all, 18);
    }
}
