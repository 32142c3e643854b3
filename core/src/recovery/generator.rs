//! A generator of realistic synthetic journals, seeded and deterministic: the same
//! [`GeneratorSpec`] always gives the same [`Snapshot`], ids included. Used by tests, the
//! benchmarks and the CLI's demo. Every word it writes is invented.
//!
//! The story: a person starts a journey `days` ago, checks in most days (mood rising and
//! craving falling over the months, both dipping around lapses), logs triggers mostly in the
//! evening and mostly in a few favourite categories, uses coping cards of which some work
//! better for them than others, lapses a few times and reflects on each lapse, writes journal
//! entries, goes to meetings (densely in the first 90 days) and reaches out to a small
//! support network.

use super::cards::{built_in_deck, CardOutcome, CardUse};
use super::check_in::{CheckIn, EveningReview, Halt};
use super::clock::{instant_of, parse_zone, recovery_day};
use super::entries::JournalEntry;
use super::journey::{Journey, Lapse, LapseKind};
use super::reflection::{
    ChainAnalysis, ChainLink, LapseReflection, PlanItem, Reflection, ReflectionBody,
};
use super::settings::Settings;
use super::snapshot::Snapshot;
use super::support::{ContactRole, Meeting, MeetingKind, Outreach, OutreachMethod, SupportContact};
use super::triggers::{TriggerCategory, TriggerEvent, UrgeOutcome};
use crate::error::Result;
use crate::record::RecordId;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratorSpec {
    /// The seed: the same seed gives the same journal.
    pub seed: u64,
    /// How many days the story spans, ending on `now`'s local date.
    pub days: u32,
    /// The instant the story ends.
    pub now: DateTime<Utc>,
    /// The person's time zone.
    pub time_zone: String,
    /// Check-ins (at most one per day; capped at `days`).
    pub check_ins: u32,
    /// Trigger events.
    pub triggers: u32,
    /// Lapses.
    pub lapses: u32,
    /// Reflections (one per lapse first, the rest chain analyses of hard days).
    pub reflections: u32,
    /// Journal entries.
    pub entries: u32,
    /// Meetings.
    pub meetings: u32,
}

impl GeneratorSpec {
    /// A realistic story of `days` days ending at `now`: check-ins on about nine days in ten,
    /// about two triggers a day early on, a lapse every five months or so, a reflection per
    /// lapse plus one a month, an entry a week, and meetings (90 in the first 90 days, then
    /// about two a week).
    pub fn story(seed: u64, days: u32, now: DateTime<Utc>, time_zone: &str) -> Self {
        let lapses = days / 150;
        GeneratorSpec {
            seed,
            days,
            now,
            time_zone: time_zone.to_owned(),
            check_ins: days * 9 / 10,
            triggers: days * 3 / 2,
            lapses,
            reflections: lapses + days / 30,
            entries: days / 7,
            meetings: days.min(90) + days.saturating_sub(90) * 2 / 7,
        }
    }

    /// The benchmark's ten-year journal: 3,650 check-ins, 11,000 triggers, 300 reflections,
    /// 300 journal entries, 20 lapses and 1,000 meetings.
    pub fn ten_years(seed: u64, now: DateTime<Utc>, time_zone: &str) -> Self {
        GeneratorSpec {
            seed,
            days: 3_650,
            now,
            time_zone: time_zone.to_owned(),
            check_ins: 3_650,
            triggers: 11_000,
            lapses: 20,
            reflections: 300,
            entries: 300,
            meetings: 1_000,
        }
    }
}

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when n is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn id(&mut self) -> RecordId {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next().to_be_bytes());
        bytes[8..].copy_from_slice(&self.next().to_be_bytes());
        RecordId::from_bytes(bytes)
    }
}

const INTENTIONS: &[&str] = &[
    "One day at a time.",
    "Call my sponsor before dinner.",
    "Go for a walk at lunch.",
    "Be gentle with myself today.",
    "Eat properly and go to bed early.",
    "Say no to the after-work drinks.",
    "Read my reasons list in the morning.",
    "Get to the evening meeting.",
];
const GRATITUDE: &[&str] = &[
    "a quiet morning coffee",
    "my sister's phone call",
    "sleeping through the night",
    "the dog",
    "waking up clear-headed",
    "sunlight on the way to work",
    "the Tuesday group",
    "money left at the end of the month",
];
const TAGS: &[&str] = &[
    "work", "payday", "friday", "family", "alone", "party", "stress", "tired", "bar",
];
const SITUATIONS: &[&str] = &[
    "Walked past the old pub on the way home.",
    "Argument at work, felt like I needed something.",
    "Friday night alone in the flat.",
    "Saw an ad and felt the pull.",
    "Long day, skipped lunch, wound up.",
    "Old friend texted asking to meet up.",
];
const ENTRY_LINES: &[&str] = &[
    "Today was harder than I expected, but I got through it.",
    "I noticed the craving came right after the meeting with my manager.",
    "My sponsor said something that stuck: feelings are not facts.",
    "I cooked a real dinner for the first time in weeks.",
    "Slept badly. Tired days are the risky ones for me.",
    "I'm starting to like who I am in the mornings.",
    "Went to the group and just listened. It helped more than I thought.",
    "Money is less tight this month, and I know why.",
    "I keep thinking about the people I hurt. I want to make it right, slowly.",
    "The urge came and went like the card said it would.",
];
const LEARNED: &[&str] = &[
    "Tired plus alone on a Friday is my danger zone.",
    "I waited too long to reach out.",
    "I told myself one would be fine; it never is.",
    "Skipping meals makes everything louder.",
];
const PLANS: &[&str] = &[
    "Text my sponsor before Friday evening",
    "Eat dinner before 7",
    "Take the long way home, not past the pub",
    "Leave parties by 10",
    "Play the tape forward before deciding",
];

/// Generates a journal. Fails only on a bad time zone name.
pub fn generate(spec: &GeneratorSpec) -> Result<Snapshot> {
    let zone = parse_zone("time_zone", &spec.time_zone)?;
    let mut rng = Rng(spec.seed);
    let days = i64::from(spec.days.max(1));
    let today = recovery_day(spec.now, &zone, 0);
    let start = today - Duration::days(days);
    let at_local = |date: NaiveDate, minutes: i64| -> DateTime<Utc> {
        let t = instant_of(
            date.and_time(NaiveTime::MIN) + Duration::minutes(minutes),
            &zone,
        );
        t.min(spec.now)
    };
    let mut s = Snapshot::default();
    s.settings = Some(Settings {
        time_zone: spec.time_zone.clone(),
        day_starts_at: 4,
        currency: None,
        ninety_in_ninety_from: None,
    });
    let journey = Journey {
        id: rng.id(),
        name: "alcohol".into(),
        sober_since: start,
        sober_since_time: Some(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN)),
        time_zone: spec.time_zone.clone(),
        daily_cost_cents: Some(1_800),
        daily_minutes: Some(150),
        custom_milestone_days: vec![7, 14, 100],
        archived: false,
        limit: None,
        earlier_limits: Vec::new(),
    };

    // Lapses: distinct days, spread over the story, never in its first or last week.
    let mut lapse_days: Vec<i64> = Vec::new();
    let usable = (days - 14).max(0);
    let wanted = i64::from(spec.lapses).min(usable / 3);
    while (lapse_days.len() as i64) < wanted {
        let d = 7 + rng.below(usable as u64) as i64;
        if lapse_days.iter().all(|o| (o - d).abs() > 2) {
            lapse_days.push(d);
        }
    }
    lapse_days.sort_unstable();
    let near_lapse = |d: i64| lapse_days.iter().any(|l| (l - d).abs() <= 3);

    // Contacts.
    let contacts: Vec<SupportContact> = [
        ("Sam", ContactRole::Sponsor, Some("+44 7700 900123")),
        ("Priya", ContactRole::Peer, Some("+44 7700 900456")),
        ("Dr. Okafor", ContactRole::Therapist, Some("020 7946 0018")),
        ("Samaritans", ContactRole::CrisisLine, Some("116 123")),
    ]
    .iter()
    .map(|(name, role, phone)| SupportContact {
        id: rng.id(),
        name: (*name).into(),
        role: *role,
        phone: phone.map(Into::into),
        note: None,
    })
    .collect();

    // Each card has a hidden chance of helping this person.
    let deck = built_in_deck();
    let favourite_cards: Vec<&str> = deck.iter().take(8).map(|c| c.id.as_str()).collect();
    let card_strength = |card: &str| -> f64 {
        let h = card.bytes().fold(spec.seed, |a, b| {
            a.wrapping_mul(31).wrapping_add(u64::from(b))
        });
        0.35 + (h % 50) as f64 / 100.0
    };

    // Triggers, spread over the days with more early on and near lapses.
    let categories = [
        (TriggerCategory::Emotions, 30u64),
        (TriggerCategory::Halt, 20),
        (TriggerCategory::Situations, 18),
        (TriggerCategory::People, 14),
        (TriggerCategory::Places, 10),
        (TriggerCategory::Things, 8),
    ];
    let weight_total: u64 = categories.iter().map(|c| c.1).sum();
    let mut lapse_triggers: Vec<Option<RecordId>> = vec![None; lapse_days.len()];
    for n in 0..spec.triggers {
        let day = {
            // Skew towards the start: take the smaller of two draws half the time.
            let a = rng.below(days as u64) as i64;
            let b = rng.below(days as u64) as i64;
            if rng.chance(0.5) {
                a.min(b)
            } else {
                a
            }
        };
        let mut r = rng.below(weight_total);
        let category = categories
            .iter()
            .find(|(_, w)| {
                let hit = r < *w;
                r = r.saturating_sub(*w);
                hit
            })
            .map_or(TriggerCategory::Emotions, |c| c.0);
        let hour = *rng.pick(&[8i64, 12, 13, 17, 18, 19, 20, 21, 21, 22, 22, 23]);
        let at = at_local(
            start + Duration::days(day),
            hour * 60 + rng.below(60) as i64,
        );
        let card_id = rng
            .chance(0.75)
            .then(|| (*rng.pick(&favourite_cards)).to_owned());
        let lapse_index = lapse_days.iter().position(|l| *l == day);
        let outcome = match lapse_index {
            Some(i) if lapse_triggers[i].is_none() => UrgeOutcome::Lapsed,
            _ => match &card_id {
                Some(card) if rng.chance(card_strength(card)) => UrgeOutcome::Passed,
                _ if rng.chance(0.6) => UrgeOutcome::Passed,
                _ => UrgeOutcome::StillStruggling,
            },
        };
        let id = rng.id();
        if let Some(i) = lapse_index {
            if lapse_triggers[i].is_none() {
                lapse_triggers[i] = Some(id);
            }
        }
        let intensity = (3 + rng.below(5) + u64::from(near_lapse(day)) * 2).min(10) as i32;
        let event = TriggerEvent {
            id,
            at,
            time_zone: spec.time_zone.clone(),
            journey_id: Some(journey.id),
            category,
            tags: if rng.chance(0.6) {
                vec![(*rng.pick(TAGS)).to_owned()]
            } else {
                Vec::new()
            },
            intensity,
            situation: rng.chance(0.4).then(|| (*rng.pick(SITUATIONS)).to_owned()),
            card_id: card_id.clone(),
            outcome: Some(outcome),
            urge_minutes: Some(5 + rng.below(40) as i32),
        };
        if let Some(card) = card_id {
            s.card_uses.push(CardUse {
                id: rng.id(),
                card_id: card,
                at,
                category: Some(category),
                trigger_id: Some(id),
                outcome: CardOutcome::from_urge(outcome),
                time_zone: Some(spec.time_zone.clone()),
            });
        }
        s.triggers.push(event);
        let _ = n;
    }

    for (i, day) in lapse_days.iter().enumerate() {
        let date = start + Duration::days(*day);
        s.lapses.push(Lapse {
            id: rng.id(),
            journey_id: journey.id,
            kind: if i % 4 == 3 {
                LapseKind::Relapse
            } else {
                LapseKind::Lapse
            },
            date,
            time: Some(NaiveTime::from_hms_opt(21, 30, 0).unwrap_or(NaiveTime::MIN)),
            sober_again_from: date + Duration::days(if i % 4 == 3 { 3 } else { 1 }),
            note: Some("It happened. Writing it down so I can learn from it.".into()),
            trigger_id: lapse_triggers.get(i).copied().flatten(),
            time_zone: Some(spec.time_zone.clone()),
        });
    }

    // Check-ins: every day first, then drop days at random down to the count asked for.
    let mut check_in_days: Vec<i64> = (0..days).collect();
    let keep = i64::from(spec.check_ins).min(days);
    while check_in_days.len() as i64 > keep {
        let i = rng.below(check_in_days.len() as u64) as usize;
        check_in_days.swap_remove(i);
    }
    check_in_days.sort_unstable();
    for day in check_in_days {
        let progress = day as f64 / days as f64;
        let dip = if near_lapse(day) { 1.5 } else { 0.0 };
        let mood = (2.2 + 2.0 * progress - dip + rng.unit() * 1.4).clamp(1.0, 5.0) as i32;
        let craving = (7.0 - 5.0 * progress + dip * 2.0 + rng.unit() * 2.5).clamp(0.0, 10.0) as i32;
        let date = start + Duration::days(day);
        s.check_ins.push(CheckIn {
            date,
            mood,
            craving,
            halt: Halt {
                hungry: rng.chance(0.15),
                angry: rng.chance(0.1),
                lonely: rng.chance(0.2),
                tired: rng.chance(0.3),
            },
            trigger_tags: if rng.chance(0.3) {
                vec![(*rng.pick(TAGS)).to_owned()]
            } else {
                Vec::new()
            },
            intention: rng.chance(0.7).then(|| (*rng.pick(INTENTIONS)).to_owned()),
            evening_review: rng.chance(0.6).then(|| EveningReview {
                rating: mood.clamp(1, 5),
                note: rng.chance(0.3).then(|| (*rng.pick(ENTRY_LINES)).to_owned()),
            }),
            gratitude: (0..rng.below(4))
                .map(|_| (*rng.pick(GRATITUDE)).to_owned())
                .collect(),
            note: rng.chance(0.2).then(|| (*rng.pick(ENTRY_LINES)).to_owned()),
            updated_at: at_local(date, 8 * 60 + rng.below(120) as i64),
            review_written_at: None,
        });
    }

    // Reflections: one per lapse first (lapse template), then chain analyses of hard days.
    for n in 0..spec.reflections as usize {
        let lapse = s.lapses.get(n).cloned();
        let (date, lapse_id) = match &lapse {
            Some(l) => (l.date + Duration::days(1), Some(l.id)),
            None => (start + Duration::days(rng.below(days as u64) as i64), None),
        };
        let plan = vec![PlanItem {
            text: (*rng.pick(PLANS)).to_owned(),
            card_id: None,
        }];
        let body = if lapse.is_some() && n % 3 != 2 {
            ReflectionBody::Lapse(LapseReflection {
                what_happened: Some("I drank after a long, lonely Friday.".into()),
                where_when_who: Some("At home, around nine, on my own.".into()),
                halt: Halt {
                    lonely: true,
                    tired: true,
                    ..Halt::default()
                },
                trigger: Some((*rng.pick(SITUATIONS)).to_owned()),
                thoughts_and_feelings: Some(
                    "Restless, a bit sorry for myself, 'I deserve it'.".into(),
                ),
                what_i_tried: Some("Thought about calling Sam, didn't.".into()),
                what_i_learned: Some((*rng.pick(LEARNED)).to_owned()),
                next_time: plan,
                kind_word: Some("One evening doesn't undo the months before it.".into()),
            })
        } else {
            ReflectionBody::ChainAnalysis(ChainAnalysis {
                vulnerability_factors: Some("Short on sleep, skipped lunch.".into()),
                prompting_event: Some((*rng.pick(SITUATIONS)).to_owned()),
                links: vec![
                    ChainLink {
                        link: "Thought: I can't handle this tonight.".into(),
                        skill: Some("Check the facts".into()),
                    },
                    ChainLink {
                        link: "Felt my chest tighten, wanted it to stop.".into(),
                        skill: Some("Box breathing".into()),
                    },
                ],
                behaviour: Some(
                    if lapse.is_some() {
                        "I drank."
                    } else {
                        "I nearly went to the shop, then called Priya."
                    }
                    .into(),
                ),
                consequences: Some("Felt flat the next day; also proud I reached out.".into()),
                repair: Some("Talk it through at group.".into()),
                next_time: plan,
            })
        };
        let created = at_local(date, 20 * 60);
        s.reflections.push(Reflection {
            id: rng.id(),
            lapse_id,
            draft: n % 10 == 9,
            created_at: created,
            updated_at: created,
            body,
            conflict_of: None,
        });
    }

    for _ in 0..spec.entries {
        let date = start + Duration::days(rng.below(days as u64) as i64);
        let lines = 3 + rng.below(12);
        let body: Vec<&str> = (0..lines).map(|_| *rng.pick(ENTRY_LINES)).collect();
        let created = at_local(date, 21 * 60 + rng.below(90) as i64);
        s.entries.push(JournalEntry {
            id: rng.id(),
            date,
            title: rng.chance(0.5).then(|| "Evening pages".to_owned()),
            body: body.join(" "),
            mood: rng.chance(0.7).then(|| 1 + rng.below(5) as i32),
            tags: if rng.chance(0.5) {
                vec![(*rng.pick(TAGS)).to_owned()]
            } else {
                Vec::new()
            },
            journey_id: Some(journey.id),
            created_at: created,
            updated_at: created,
            conflict_of: None,
        });
    }

    // Meetings: up to 90 on the first 90 days, the rest spread at random.
    let kinds = [
        MeetingKind::TwelveStep,
        MeetingKind::TwelveStep,
        MeetingKind::SmartRecovery,
        MeetingKind::Online,
        MeetingKind::SupportGroup,
        MeetingKind::TherapyGroup,
    ];
    for n in 0..i64::from(spec.meetings) {
        let day = if n < 90.min(days) {
            n
        } else {
            rng.below(days as u64) as i64
        };
        s.meetings.push(Meeting {
            id: rng.id(),
            date: start + Duration::days(day),
            kind: *rng.pick(&kinds),
            name: rng.chance(0.5).then(|| "Tuesday night group".to_owned()),
            note: None,
        });
    }

    for _ in 0..(days / 10) {
        let contact = rng.pick(&contacts);
        let day = rng.below(days as u64) as i64;
        s.outreach.push(Outreach {
            id: rng.id(),
            contact_id: contact.id,
            at: at_local(start + Duration::days(day), 19 * 60 + rng.below(120) as i64),
            method: *rng.pick(&[
                OutreachMethod::Call,
                OutreachMethod::Message,
                OutreachMethod::InPerson,
            ]),
            helped: Some(rng.chance(0.8)),
            note: None,
            time_zone: Some(spec.time_zone.clone()),
        });
    }

    s.contacts = contacts;
    s.journeys.push(journey);
    s.triggers.sort_by_key(|t| (t.at, t.id));
    s.card_uses.sort_by_key(|u| (u.at, u.id));
    s.entries.sort_by_key(|e| (e.date, e.created_at, e.id));
    s.meetings.sort_by_key(|m| (m.date, m.id));
    s.outreach.sort_by_key(|o| (o.at, o.id));
    Ok(s)
}
