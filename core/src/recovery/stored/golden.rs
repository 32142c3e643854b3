//! Golden bodies: for every stored kind, a value written in every body version this build
//! reads, under `core/tests/fixtures/bodies/`. `<kind>.v1.json` is the body as Waymark 0.1
//! stored it (JSON), `<kind>.v2.hex` the tagged body, and both must decode to the same value,
//! which must encode back to exactly the v2 bytes. A change to a tag, a code or a field's
//! meaning fails here before it reaches anyone's journal.
//!
//! `write_golden_bodies` (ignored) wrote the files once; it is never run to replace them.

use super::*;
use crate::recovery::cards::{CardCategory, CardOutcome};
use crate::recovery::check_in::{EveningReview, Halt};
use crate::recovery::journey::LapseKind;
use crate::recovery::limits::{Limit, LimitPeriod};
use crate::recovery::reflection::{
    ChainAnalysis, ChainLink, LapseReflection, PlanItem, ReflectionBody,
};
use crate::recovery::reminders::{RegularMeeting, Weekday};
use crate::recovery::safety_plan::SafetyItem;
use crate::recovery::support::{ContactRole, MeetingKind, OutreachMethod};
use crate::recovery::triggers::{TriggerCategory, UrgeOutcome};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bodies")
}

fn id(n: u8) -> RecordId {
    RecordId::from_bytes([n; 16])
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn at(secs: i64, nanos: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, nanos).unwrap_or_default()
}

fn settings() -> Settings {
    Settings {
        time_zone: "Europe/Berlin".into(),
        day_starts_at: 4,
        currency: Some("EUR".into()),
        ninety_in_ninety_from: Some(day(2026, 10, 1)),
    }
}

fn journey() -> Journey {
    Journey {
        id: id(1),
        name: "alcohol — Alkohol".into(),
        sober_since: day(2026, 1, 2),
        sober_since_time: NaiveTime::from_hms_opt(9, 30, 0),
        time_zone: "Europe/Berlin".into(),
        daily_cost_cents: Some(1250),
        daily_minutes: Some(90),
        custom_milestone_days: vec![7, 100],
        archived: false,
        limit: None,
        earlier_limits: Vec::new(),
    }
}

fn lapse() -> Lapse {
    Lapse {
        id: id(2),
        journey_id: id(1),
        kind: LapseKind::Relapse,
        date: day(2026, 3, 10),
        time: NaiveTime::from_hms_opt(21, 30, 0),
        sober_again_from: day(2026, 3, 13),
        note: Some("a hard weekend".into()),
        trigger_id: Some(id(3)),
        time_zone: Some("America/New_York".into()),
    }
}

fn acks() -> MilestoneAcks {
    MilestoneAcks {
        journey_id: id(1),
        acknowledged: vec![
            (day(2026, 1, 2), "30d".into()),
            (day(2026, 3, 13), "24h".into()),
        ],
    }
}

fn check_in() -> CheckIn {
    CheckIn {
        date: day(2026, 11, 24),
        mood: 4,
        craving: 3,
        halt: Halt {
            hungry: false,
            angry: true,
            lonely: true,
            tired: false,
        },
        trigger_tags: vec!["payday".into()],
        intention: Some("walk after dinner".into()),
        evening_review: Some(EveningReview {
            rating: 4,
            note: Some("better than I feared".into()),
        }),
        gratitude: vec!["Sam".into(), "the dog".into()],
        note: None,
        updated_at: at(1_795_000_000, 123_456_789),
        review_written_at: None,
    }
}

fn trigger() -> TriggerEvent {
    TriggerEvent {
        id: id(3),
        at: at(1_773_000_000, 0),
        time_zone: "Europe/Berlin".into(),
        journey_id: Some(id(1)),
        category: TriggerCategory::Emotions,
        tags: vec!["stress".into()],
        intensity: 7,
        situation: Some("after the call".into()),
        card_id: Some("urge-surfing".into()),
        outcome: Some(UrgeOutcome::StillStruggling),
        urge_minutes: Some(25),
    }
}

fn card() -> StoredCard {
    StoredCard {
        id: id(4),
        title: "Walk round the block".into(),
        steps: vec!["Shoes on".into(), "Go".into()],
        category: CardCategory::MyPlan,
        helps_with: vec![TriggerCategory::Emotions, TriggerCategory::Halt],
        // Marks came after the golden files (body tag 6): an old body reads with none.
        step_marks: Vec::new(),
    }
}

fn card_state() -> CardState {
    CardState {
        card_id: "urge-surfing".into(),
        favourite: true,
        archived: false,
    }
}

fn card_use() -> CardUse {
    CardUse {
        id: id(5),
        card_id: "urge-surfing".into(),
        at: at(1_773_000_900, 0),
        category: Some(TriggerCategory::Emotions),
        trigger_id: Some(id(3)),
        outcome: CardOutcome::HelpedSomewhat,
        time_zone: Some("Europe/Berlin".into()),
    }
}

fn reflection() -> Reflection {
    Reflection {
        id: id(6),
        lapse_id: Some(id(2)),
        draft: false,
        created_at: at(1_773_100_000, 0),
        updated_at: at(1_773_200_000, 5),
        body: ReflectionBody::Lapse(LapseReflection {
            what_happened: Some("old friends, old bar".into()),
            where_when_who: None,
            halt: Halt {
                hungry: true,
                ..Halt::default()
            },
            trigger: Some("an invitation".into()),
            thoughts_and_feelings: None,
            what_i_tried: Some("texted Sam".into()),
            what_i_learned: Some("leave before the second round".into()),
            next_time: vec![PlanItem {
                text: "drive myself".into(),
                card_id: Some(id(4).to_string()),
            }],
            kind_word: Some("you came back".into()),
        }),
        conflict_of: None,
    }
}

fn chain() -> Reflection {
    Reflection {
        id: id(7),
        lapse_id: None,
        draft: true,
        created_at: at(1_773_300_000, 0),
        updated_at: at(1_773_300_000, 0),
        body: ReflectionBody::ChainAnalysis(ChainAnalysis {
            vulnerability_factors: Some("slept badly".into()),
            prompting_event: Some("an argument".into()),
            links: vec![
                ChainLink {
                    link: "felt small".into(),
                    skill: Some("opposite action".into()),
                },
                ChainLink {
                    link: "went to the shop".into(),
                    skill: None,
                },
            ],
            behaviour: Some("drank".into()),
            consequences: None,
            repair: Some("apologise".into()),
            next_time: vec![],
        }),
        conflict_of: None,
    }
}

fn entry() -> JournalEntry {
    JournalEntry {
        id: id(8),
        date: day(2026, 11, 20),
        title: Some("Friday".into()),
        body: "Friday evenings are hard.\nWalked instead. 日本".into(),
        mood: Some(3),
        tags: vec!["evening".into()],
        journey_id: None,
        created_at: at(1_795_100_000, 0),
        updated_at: at(1_795_100_060, 0),
        conflict_of: None,
    }
}

fn contact() -> SupportContact {
    SupportContact {
        id: id(9),
        name: "Samaritans".into(),
        role: ContactRole::CrisisLine,
        phone: Some("116 123".into()),
        note: None,
    }
}

fn outreach() -> Outreach {
    Outreach {
        id: id(10),
        contact_id: id(9),
        at: at(1_795_200_000, 0),
        method: OutreachMethod::InPerson,
        helped: Some(true),
        note: Some("coffee".into()),
        time_zone: None,
    }
}

fn meeting() -> Meeting {
    Meeting {
        id: id(11),
        date: day(2026, 11, 17),
        kind: MeetingKind::SmartRecovery,
        name: Some("Tuesday group".into()),
        note: None,
    }
}

fn limit_journey() -> Journey {
    Journey {
        id: id(20),
        name: "drinking less".into(),
        limit: Some(Limit {
            amount_hundredths: 1050,
            per: LimitPeriod::Week,
            unit: "units".into(),
        }),
        ..journey()
    }
}

fn use_log() -> UseLog {
    UseLog {
        id: id(21),
        journey_id: id(20),
        date: day(2026, 11, 3),
        amount_hundredths: 250,
        logged_at: at(1_762_196_400, 0),
    }
}

fn safety_plan() -> SafetyPlan {
    let item = |text: &str| SafetyItem {
        text: text.into(),
        card_id: None,
        contact_id: None,
        phone: None,
    };
    SafetyPlan {
        warning_signs: vec![item("not sleeping"), item("skipping meals")],
        on_my_own: vec![SafetyItem {
            card_id: Some("urge-surfing".into()),
            ..item("")
        }],
        distractions: vec![item("the library")],
        ask_for_help: vec![SafetyItem {
            contact_id: Some(id(12)),
            ..item("Sam")
        }],
        professionals: vec![SafetyItem {
            phone: Some("+44 20 7946 0000".into()),
            ..item("Dr Okafor")
        }],
        safer_surroundings: vec![item("nothing in the house")],
        reasons: vec![item("my daughter — meine Tochter")],
        country: Some("GB".into()),
        confirmed_lines: vec!["gb-ie-samaritans".into()],
        removed_lines: vec![],
        version: 3,
        updated_at: Some(at(1_762_196_400, 5)),
        // Marks came after the golden files (body tag 13): an old body reads with none.
        item_marks: Vec::new(),
    }
}

fn urge_session() -> UrgeSession {
    UrgeSession {
        id: id(22),
        started_at: at(1_762_196_400, 0),
        time_zone: "Europe/London".into(),
        intensity_start: Some(8),
        category: Some(TriggerCategory::Emotions),
        ended_at: Some(at(1_762_197_600, 0)),
        intensity_end: Some(3),
        card_id: Some("urge-surfing".into()),
        card_use_id: Some(id(23)),
    }
}

fn reminder_prefs() -> ReminderPrefs {
    ReminderPrefs {
        meetings: vec![RegularMeeting {
            weekday: Weekday::Tue,
            at: NaiveTime::from_hms_opt(19, 30, 0).unwrap_or(NaiveTime::MIN),
            name: Some("Tuesday group".into()),
        }],
        risky_hours: true,
        ..ReminderPrefs::default()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    let text = text.trim();
    (0..text.len() / 2)
        .filter_map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok())
        .collect()
}

/// The golden values, by file name.
macro_rules! goldens {
    ($action:ident) => {
        $action!("settings", settings());
        $action!("journey", journey());
        $action!("lapse", lapse());
        $action!("milestone_acks", acks());
        $action!("check_in", check_in());
        $action!("trigger", trigger());
        $action!("card", card());
        $action!("card_state", card_state());
        $action!("card_use", card_use());
        $action!("reflection", reflection());
        $action!("reflection-chain", chain());
        $action!("entry", entry());
        $action!("contact", contact());
        $action!("outreach", outreach());
        $action!("meeting", meeting());
    };
}

/// Kinds (and shapes) added after Waymark 0.1: they only ever had the tagged body.
macro_rules! tagged_goldens {
    ($action:ident) => {
        $action!("journey-limit", limit_journey());
        $action!("use", use_log());
        $action!("safety_plan", safety_plan());
        $action!("urge_session", urge_session());
        $action!("reminder_prefs", reminder_prefs());
    };
}

#[test]
#[ignore = "writes the tagged golden bodies that do not exist yet; never replaces one"]
fn write_new_tagged_golden_bodies() {
    macro_rules! write {
        ($name:literal, $value:expr) => {
            let path = dir().join(format!("{}.v2.hex", $name));
            if !path.exists() {
                let body = encode(&$value, &Unknown::default());
                std::fs::write(path, hex(&body) + "\n").unwrap();
            }
        };
    }
    tagged_goldens!(write);
}

#[test]
fn kinds_added_later_read_and_write_their_tagged_bodies() {
    let mut checked = 0;
    macro_rules! check {
        ($name:literal, $value:expr) => {
            let value = $value;
            let v2 =
                unhex(&std::fs::read_to_string(dir().join(format!("{}.v2.hex", $name))).unwrap());
            assert_eq!(
                decode_value(&value, BODY_TAGGED, &v2),
                value,
                "{} v2",
                $name
            );
            assert_eq!(
                &encode(&value, &Unknown::default())[..],
                &v2[..],
                "{}",
                $name
            );
            checked += 1;
        };
    }
    tagged_goldens!(check);
    assert_eq!(checked, 5);
}

#[test]
#[ignore = "writes the golden bodies; run only to add a new kind or version, never to replace one"]
fn write_golden_bodies() {
    std::fs::create_dir_all(dir()).unwrap();
    macro_rules! write {
        ($name:literal, $value:expr) => {
            let value = $value;
            let json = serde_json::to_string_pretty(&value).unwrap();
            std::fs::write(dir().join(format!("{}.v1.json", $name)), json + "\n").unwrap();
            let body = encode(&value, &Unknown::default());
            std::fs::write(dir().join(format!("{}.v2.hex", $name)), hex(&body) + "\n").unwrap();
        };
    }
    goldens!(write);
}

#[test]
fn every_kind_reads_every_version_to_the_same_value_and_writes_the_same_bytes() {
    let mut checked = 0;
    macro_rules! check {
        ($name:literal, $value:expr) => {
            let value = $value;
            let v1 = std::fs::read(dir().join(format!("{}.v1.json", $name))).unwrap();
            let v2 =
                unhex(&std::fs::read_to_string(dir().join(format!("{}.v2.hex", $name))).unwrap());
            let from_v1 = decode_value(&value, BODY_JSON, &v1);
            let from_v2 = decode_value(&value, BODY_TAGGED, &v2);
            assert_eq!(from_v1, value, "{} v1", $name);
            assert_eq!(from_v2, value, "{} v2", $name);
            assert_eq!(
                &encode(&value, &Unknown::default())[..],
                &v2[..],
                "{} encodes",
                $name
            );
            checked += 1;
        };
    }
    goldens!(check);
    assert_eq!(checked, 15);
}

/// Decodes `body` as the type of `_like`.
fn decode_value<T: StoredRecord>(_like: &T, version: u8, body: &[u8]) -> T {
    decode::<T>(version, body).unwrap().0
}
