//! The tagged fields of every stored body, and the wire codes of every enum in one.
//!
//! Rules for changing this file: a tag or code is never reused or renumbered; a new field
//! gets a new tag and is optional (`Option`, `Vec` or `bool`), so bodies written before it
//! still read; removing a field retires its tag for good. The golden fixtures in
//! `core/tests/fixtures/bodies/` fail when any of this changes by accident.

use crate::codec::{codes, fields_of_values, message, DecodeError, Value, Wire, Writer};
use crate::record::RecordId;
use crate::recovery::cards::{CardCategory, CardOutcome, CardState, CardUse, StoredCard};
use crate::recovery::check_in::{CheckIn, EveningReview, Halt};
use crate::recovery::entries::JournalEntry;
use crate::recovery::items::ItemMark;
use crate::recovery::journey::{EarlierLimit, Journey, Lapse, LapseKind};
use crate::recovery::limits::{Limit, LimitPeriod, UseLog};
use crate::recovery::reflection::{
    ChainAnalysis, ChainLink, LapseReflection, PlanItem, Reflection, ReflectionBody,
};
use crate::recovery::reminders::{RegularMeeting, ReminderPrefs, Weekday};
use crate::recovery::safety_plan::{SafetyItem, SafetyPlan};
use crate::recovery::settings::{MilestoneAcks, Settings};
use crate::recovery::support::{
    ContactRole, Meeting, MeetingKind, Outreach, OutreachMethod, SupportContact,
};
use crate::recovery::triggers::{TriggerCategory, TriggerEvent, UrgeOutcome};
use crate::recovery::urge::UrgeSession;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

codes!(LapseKind {
    Lapse = 1,
    Relapse = 2,
    OverLimit = 3,
});
codes!(LimitPeriod { Day = 1, Week = 2 });
codes!(TriggerCategory {
    People = 1,
    Places = 2,
    Things = 3,
    Emotions = 4,
    Halt = 5,
    Situations = 6,
});
codes!(UrgeOutcome {
    Passed = 1,
    StillStruggling = 2,
    Lapsed = 3,
});
codes!(CardCategory {
    Mindfulness = 1,
    Body = 2,
    Connection = 3,
    Thinking = 4,
    Environment = 5,
    SelfCare = 6,
    MyPlan = 7,
});
codes!(CardOutcome {
    Helped = 1,
    HelpedSomewhat = 2,
    DidNotHelp = 3,
});
codes!(ContactRole {
    Sponsor = 1,
    Peer = 2,
    Therapist = 3,
    CrisisLine = 4,
    Other = 5,
});
codes!(OutreachMethod {
    Call = 1,
    Message = 2,
    InPerson = 3,
});
codes!(MeetingKind {
    TwelveStep = 1,
    SmartRecovery = 2,
    SupportGroup = 3,
    Online = 4,
    FaithBased = 5,
    RecoveryCentre = 6,
    TherapyGroup = 7,
});

message!(Settings {
    1 => time_zone: String,
    2 => day_starts_at: i32,
    3 => currency: Option<String>,
    4 => ninety_in_ninety_from: Option<NaiveDate>,
});

message!(Journey {
    1 => id: RecordId,
    2 => name: String,
    3 => sober_since: NaiveDate,
    4 => sober_since_time: Option<NaiveTime>,
    5 => time_zone: String,
    6 => daily_cost_cents: Option<i64>,
    7 => daily_minutes: Option<i32>,
    8 => custom_milestone_days: Vec<i32>,
    9 => archived: bool,
    10 => limit: Option<Limit>,
    11 => earlier_limits: Vec<EarlierLimit>,
});

message!(EarlierLimit {
    1 => until: NaiveDate,
    2 => limit: Limit,
});

message!(Limit {
    1 => amount_hundredths: i32,
    2 => per: LimitPeriod,
    3 => unit: String,
});

message!(UseLog {
    1 => id: RecordId,
    2 => journey_id: RecordId,
    3 => date: NaiveDate,
    4 => amount_hundredths: i32,
    5 => logged_at: DateTime<Utc>,
});

message!(Lapse {
    1 => id: RecordId,
    2 => journey_id: RecordId,
    3 => kind: LapseKind,
    4 => date: NaiveDate,
    5 => time: Option<NaiveTime>,
    6 => sober_again_from: NaiveDate,
    7 => note: Option<String>,
    8 => trigger_id: Option<RecordId>,
    9 => time_zone: Option<String>,
});

message!(MilestoneAcks {
    1 => journey_id: RecordId,
    2 => acknowledged: Vec<(NaiveDate, String)>,
});

message!(Halt {
    1 => hungry: bool,
    2 => angry: bool,
    3 => lonely: bool,
    4 => tired: bool,
});

message!(EveningReview {
    1 => rating: i32,
    2 => note: Option<String>,
});

message!(CheckIn {
    1 => date: NaiveDate,
    2 => mood: i32,
    3 => craving: i32,
    4 => halt: Halt,
    5 => trigger_tags: Vec<String>,
    6 => intention: Option<String>,
    7 => evening_review: Option<EveningReview>,
    8 => gratitude: Vec<String>,
    9 => note: Option<String>,
    10 => updated_at: DateTime<Utc>,
    11 => review_written_at: Option<DateTime<Utc>>,
});

message!(TriggerEvent {
    1 => id: RecordId,
    2 => at: DateTime<Utc>,
    3 => time_zone: String,
    4 => journey_id: Option<RecordId>,
    5 => category: TriggerCategory,
    6 => tags: Vec<String>,
    7 => intensity: i32,
    8 => situation: Option<String>,
    9 => card_id: Option<String>,
    10 => outcome: Option<UrgeOutcome>,
    11 => urge_minutes: Option<i32>,
});

message!(StoredCard {
    1 => id: RecordId,
    2 => title: String,
    3 => steps: Vec<String>,
    4 => category: CardCategory,
    5 => helps_with: Vec<TriggerCategory>,
    6 => step_marks: Vec<ItemMark>,
});

message!(CardState {
    1 => card_id: String,
    2 => favourite: bool,
    3 => archived: bool,
});

message!(CardUse {
    1 => id: RecordId,
    2 => card_id: String,
    3 => at: DateTime<Utc>,
    4 => category: Option<TriggerCategory>,
    5 => trigger_id: Option<RecordId>,
    6 => outcome: CardOutcome,
    7 => time_zone: Option<String>,
});

message!(PlanItem {
    1 => text: String,
    2 => card_id: Option<String>,
});

message!(LapseReflection {
    1 => what_happened: Option<String>,
    2 => where_when_who: Option<String>,
    3 => halt: Halt,
    4 => trigger: Option<String>,
    5 => thoughts_and_feelings: Option<String>,
    6 => what_i_tried: Option<String>,
    7 => what_i_learned: Option<String>,
    8 => next_time: Vec<PlanItem>,
    9 => kind_word: Option<String>,
});

message!(ChainLink {
    1 => link: String,
    2 => skill: Option<String>,
});

message!(ChainAnalysis {
    1 => vulnerability_factors: Option<String>,
    2 => prompting_event: Option<String>,
    3 => links: Vec<ChainLink>,
    4 => behaviour: Option<String>,
    5 => consequences: Option<String>,
    6 => repair: Option<String>,
    7 => next_time: Vec<PlanItem>,
});

/// The template is the field that is present: 1 a lapse reflection, 2 a chain analysis.
impl Value for ReflectionBody {
    fn write(&self, tag: u32, w: &mut Writer) {
        w.nested(tag, |inner| match self {
            ReflectionBody::Lapse(body) => body.write(1, inner),
            ReflectionBody::ChainAnalysis(body) => body.write(2, inner),
        });
    }

    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        let mut body = None;
        crate::codec::read_fields(wire.bytes()?, |tag, wire| {
            match tag {
                1 => body = Some(ReflectionBody::Lapse(LapseReflection::read(wire)?)),
                2 => body = Some(ReflectionBody::ChainAnalysis(ChainAnalysis::read(wire)?)),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        body.ok_or(DecodeError::Missing(1))
    }
}
fields_of_values!(ReflectionBody);

message!(Reflection {
    1 => id: RecordId,
    2 => lapse_id: Option<RecordId>,
    3 => draft: bool,
    4 => created_at: DateTime<Utc>,
    5 => updated_at: DateTime<Utc>,
    6 => body: ReflectionBody,
    7 => conflict_of: Option<RecordId>,
});

message!(JournalEntry {
    1 => id: RecordId,
    2 => date: NaiveDate,
    3 => title: Option<String>,
    4 => body: String,
    5 => mood: Option<i32>,
    6 => tags: Vec<String>,
    7 => journey_id: Option<RecordId>,
    8 => created_at: DateTime<Utc>,
    9 => updated_at: DateTime<Utc>,
    10 => conflict_of: Option<RecordId>,
});

message!(SupportContact {
    1 => id: RecordId,
    2 => name: String,
    3 => role: ContactRole,
    4 => phone: Option<String>,
    5 => note: Option<String>,
});

message!(Outreach {
    1 => id: RecordId,
    2 => contact_id: RecordId,
    3 => at: DateTime<Utc>,
    4 => method: OutreachMethod,
    5 => helped: Option<bool>,
    6 => note: Option<String>,
    7 => time_zone: Option<String>,
});

message!(Meeting {
    1 => id: RecordId,
    2 => date: NaiveDate,
    3 => kind: MeetingKind,
    4 => name: Option<String>,
    5 => note: Option<String>,
});

codes!(Weekday {
    Mon = 1,
    Tue = 2,
    Wed = 3,
    Thu = 4,
    Fri = 5,
    Sat = 6,
    Sun = 7,
});

message!(SafetyItem {
    1 => text: String,
    2 => card_id: Option<String>,
    3 => contact_id: Option<RecordId>,
    4 => phone: Option<String>,
});

message!(SafetyPlan {
    1 => warning_signs: Vec<SafetyItem>,
    2 => on_my_own: Vec<SafetyItem>,
    3 => distractions: Vec<SafetyItem>,
    4 => ask_for_help: Vec<SafetyItem>,
    5 => professionals: Vec<SafetyItem>,
    6 => safer_surroundings: Vec<SafetyItem>,
    7 => reasons: Vec<SafetyItem>,
    8 => country: Option<String>,
    9 => confirmed_lines: Vec<String>,
    10 => removed_lines: Vec<String>,
    11 => version: i32,
    12 => updated_at: Option<DateTime<Utc>>,
    13 => item_marks: Vec<ItemMark>,
});

message!(ItemMark {
    1 => item: String,
    2 => added_at: i64,
    3 => removed_at: i64,
});

message!(UrgeSession {
    1 => id: RecordId,
    2 => started_at: DateTime<Utc>,
    3 => time_zone: String,
    4 => intensity_start: Option<i32>,
    5 => category: Option<TriggerCategory>,
    6 => ended_at: Option<DateTime<Utc>>,
    7 => intensity_end: Option<i32>,
    8 => card_id: Option<String>,
    9 => card_use_id: Option<RecordId>,
});

message!(RegularMeeting {
    1 => weekday: Weekday,
    2 => at: NaiveTime,
    3 => name: Option<String>,
});

message!(ReminderPrefs {
    1 => enabled: bool,
    2 => check_in_at: Option<NaiveTime>,
    3 => evening_review_at: Option<NaiveTime>,
    4 => meetings: Vec<RegularMeeting>,
    5 => meeting_lead_minutes: i32,
    6 => milestones: bool,
    7 => risky_hours: bool,
    8 => quiet_from: Option<NaiveTime>,
    9 => quiet_until: Option<NaiveTime>,
    10 => daily_cap: i32,
    11 => discreet: bool,
});
