//! The cross-language scenarios: the parser of the shared `.scenario` format and the Rust
//! driver, which runs each step through `waymark-ffi`'s Rust API (the same objects the Kotlin
//! and Swift drivers reach through the FFI).
//!
//! A scenario is one step a line: a verb and `key=value` arguments; `_` in a text value stands
//! for a space; `#` starts a comment. `expect metric=value ...` compares metrics computed by
//! [`Driver::metric`]; `expect_error KIND STEP...` runs STEP and expects that error.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use waymark_core::recovery::backup::MergeReport;
use waymark_core::recovery::check_in::CheckInInput;
use waymark_core::recovery::clock::Zone;
use waymark_core::recovery::journey::{JourneyInput, LapseInput, LapseKind};
use waymark_core::recovery::names::Named;
use waymark_core::recovery::reflection::{
    LapseReflection, PlanItem, ReflectionBody, ReflectionInput,
};
use waymark_core::recovery::review::{ProgressReview, ReviewRange};
use waymark_core::recovery::triggers::{TriggerCategory, TriggerInput, UrgeOutcome};
use waymark_core::{KdfParams, RecordId};
use waymark_ffi::{create_journal, restore_journal, ShellClock, WaymarkError, WaymarkJournal};

/// One step: its verb and arguments, and the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The line number (1-based).
    pub line: usize,
    /// The verb.
    pub verb: String,
    /// Positional words after the verb that are not `key=value`.
    pub words: Vec<String>,
    /// The `key=value` arguments.
    pub args: BTreeMap<String, String>,
}

/// Parses a scenario's text.
pub fn parse(text: &str) -> Vec<Step> {
    text.lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let line = raw.split('#').next().unwrap_or("").trim();
            let mut tokens = line.split_whitespace();
            let verb = tokens.next()?.to_owned();
            let mut words = Vec::new();
            let mut args = BTreeMap::new();
            for token in tokens {
                match token.split_once('=') {
                    Some((k, v)) => {
                        args.insert(k.to_owned(), v.replace('_', " "));
                    }
                    None => words.push(token.to_owned()),
                }
            }
            Some(Step {
                line: i + 1,
                verb,
                words,
                args,
            })
        })
        .collect()
}

/// The scenario files shipped in `tests/scenarios/`.
pub fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "scenario"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// A clock the scenario moves.
#[derive(Debug)]
pub struct ScenarioClock(Mutex<SystemTime>);

impl ShellClock for ScenarioClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl ScenarioClock {
    fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at.into();
    }
    fn get(&self) -> DateTime<Utc> {
        self.now().into()
    }
}

/// A failure, naming the line.
#[derive(Debug)]
pub struct Failure {
    /// The step's line.
    pub line: usize,
    /// What went wrong.
    pub message: String,
}

type Outcome<T> = Result<T, String>;

/// Runs steps against the real library.
pub struct Driver {
    dir: tempfile::TempDir,
    clock: Arc<ScenarioClock>,
    journal: Option<Arc<WaymarkJournal>>,
    zone: Zone,
    journey: Option<RecordId>,
    last_lapse: Option<RecordId>,
    last_reflection: Option<RecordId>,
    offer_lapse: bool,
    review: Option<ProgressReview>,
    journal_file: String,
    merge: Option<MergeReport>,
}

fn arg<'a>(step: &'a Step, key: &str) -> Outcome<&'a str> {
    step.args
        .get(key)
        .map(String::as_str)
        .ok_or_else(|| format!("missing argument {key}"))
}

fn num<T: std::str::FromStr>(step: &Step, key: &str) -> Outcome<T> {
    arg(step, key)?
        .parse()
        .map_err(|_| format!("argument {key} is not a number"))
}

/// Argon2id at 256 KiB and one pass: every driver uses it so the scenario runs in seconds.
fn fast_kdf() -> KdfParams {
    KdfParams {
        memory_kib: 256,
        iterations: 1,
        parallelism: 1,
    }
}

fn date(text: &str) -> Outcome<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("bad date {text}"))
}

fn error_kind(error: &WaymarkError) -> String {
    match error {
        WaymarkError::WrongSecret { .. } => "wrong_secret".into(),
        WaymarkError::Locked { .. } => "locked".into(),
        WaymarkError::InvalidInput { field, .. } => format!("invalid_input:{field}"),
        WaymarkError::NotFound { what, .. } => format!("not_found:{what}"),
        WaymarkError::BackupDamaged { .. } => "backup_damaged".into(),
        other => format!("{other:?}"),
    }
}

impl Driver {
    /// A driver with its own temporary directory.
    pub fn new() -> Outcome<Self> {
        Ok(Driver {
            dir: tempfile::tempdir().map_err(|e| e.to_string())?,
            clock: Arc::new(ScenarioClock(Mutex::new(SystemTime::UNIX_EPOCH))),
            journal: None,
            zone: Zone::utc(),
            journey: None,
            last_lapse: None,
            last_reflection: None,
            offer_lapse: false,
            review: None,
            journal_file: "scenario.db".into(),
            merge: None,
        })
    }

    fn journal(&self) -> Outcome<&Arc<WaymarkJournal>> {
        self.journal
            .as_ref()
            .ok_or_else(|| "no journal yet".to_owned())
    }

    fn journey(&self) -> Outcome<RecordId> {
        self.journey.ok_or_else(|| "no journey yet".to_owned())
    }

    fn path(&self) -> String {
        self.file(&self.journal_file)
    }

    /// A file in the scenario's directory.
    fn file(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    /// Runs every step; stops at the first failure.
    pub fn run(&mut self, steps: &[Step]) -> Result<(), Failure> {
        for step in steps {
            self.step(step).map_err(|message| Failure {
                line: step.line,
                message: format!("{}: {message}", step.verb),
            })?;
        }
        Ok(())
    }

    fn step(&mut self, step: &Step) -> Outcome<()> {
        match step.verb.as_str() {
            "expect" => self.expect(step),
            "expect_error" => {
                let (kind, rest) = step
                    .words
                    .split_first()
                    .ok_or("expect_error needs a kind")?;
                let (verb, words) = rest.split_first().ok_or("expect_error needs a step")?;
                let inner = Step {
                    line: step.line,
                    verb: verb.clone(),
                    words: words.to_vec(),
                    args: step.args.clone(),
                };
                match self.call(&inner) {
                    Ok(()) => Err(format!("expected error {kind}, the step succeeded")),
                    Err(Called::Library(e)) if error_kind(&e) == *kind => Ok(()),
                    Err(Called::Library(e)) => {
                        Err(format!("expected {kind}, got {}", error_kind(&e)))
                    }
                    Err(Called::Scenario(m)) => Err(m),
                }
            }
            _ => self.call(step).map_err(|e| match e {
                Called::Library(e) => format!("library error {}: {e}", error_kind(&e)),
                Called::Scenario(m) => m,
            }),
        }
    }

    fn call(&mut self, step: &Step) -> Result<(), Called> {
        let s = step;
        match s.verb.as_str() {
            "clock" => {
                let at = DateTime::parse_from_rfc3339(arg(s, "at")?)
                    .map_err(|_| "bad instant".to_owned())?;
                self.clock.set(at.with_timezone(&Utc));
            }
            "advance" => {
                let days: i64 = num(s, "days")?;
                self.clock.set(self.clock.get() + Duration::days(days));
            }
            "create" => {
                let created = create_journal(
                    self.path(),
                    arg(s, "passphrase")?.to_owned(),
                    Some(fast_kdf()),
                    Some(self.clock.clone() as Arc<dyn ShellClock>),
                )?;
                self.journal = Some(created.journal);
            }
            "zone" => {
                let name = arg(s, "name")?;
                self.zone = name.parse().map_err(|_| "bad zone".to_owned())?;
                self.journal()?.set_time_zone(name.to_owned())?;
            }
            "journey" => {
                let journey = self.journal()?.add_journey(JourneyInput {
                    name: arg(s, "name")?.to_owned(),
                    sober_since: date(arg(s, "since")?)?,
                    sober_since_time: None,
                    time_zone: self.zone.name().to_owned(),
                    daily_cost_cents: Some(num(s, "cost_cents")?),
                    daily_minutes: Some(num(s, "minutes")?),
                    custom_milestone_days: Vec::new(),
                    limit: None,
                })?;
                self.journey = Some(journey.id);
            }
            "check_in_days" => {
                let from = date(arg(s, "from")?)?;
                let days: i64 = num(s, "days")?;
                for day in 0..days {
                    let local = (from + Duration::days(day))
                        .and_time(NaiveTime::from_hms_opt(20, 0, 0).unwrap_or_default());
                    self.clock.set(self.zone.instant_of(local));
                    self.journal()?.check_in(CheckInInput {
                        mood: num(s, "mood")?,
                        craving: num(s, "craving")?,
                        ..CheckInInput::default()
                    })?;
                }
            }
            "trigger" => {
                let logged = self.journal()?.log_trigger(TriggerInput {
                    at: None,
                    journey_id: self.journey,
                    category: TriggerCategory::parse(arg(s, "category")?).ok_or("bad category")?,
                    tags: Vec::new(),
                    intensity: num(s, "intensity")?,
                    situation: None,
                    card_id: s.args.get("card").cloned(),
                    outcome: match s.args.get("outcome").map(String::as_str) {
                        Some("passed") => Some(UrgeOutcome::Passed),
                        Some("lapsed") => Some(UrgeOutcome::Lapsed),
                        Some("still_struggling") => Some(UrgeOutcome::StillStruggling),
                        _ => None,
                    },
                    urge_minutes: None,
                })?;
                self.offer_lapse = logged.offer_to_record_lapse;
            }
            "lapse" => {
                let lapse = self.journal()?.record_lapse(LapseInput {
                    journey_id: self.journey()?,
                    kind: if arg(s, "kind")? == "relapse" {
                        LapseKind::Relapse
                    } else {
                        LapseKind::Lapse
                    },
                    date: date(arg(s, "date")?)?,
                    time: None,
                    sober_again_from: None,
                    note: None,
                    trigger_id: None,
                })?;
                self.last_lapse = Some(lapse.id);
            }
            "reflect" => {
                let reflection = self.journal()?.save_reflection(
                    None,
                    ReflectionInput {
                        lapse_id: self.last_lapse,
                        draft: false,
                        body: ReflectionBody::Lapse(LapseReflection {
                            what_happened: Some("A slip on the last evening".into()),
                            what_i_learned: Some(arg(s, "learned")?.to_owned()),
                            next_time: vec![PlanItem {
                                text: arg(s, "plan")?.to_owned(),
                                card_id: None,
                            }],
                            ..LapseReflection::default()
                        }),
                    },
                )?;
                self.last_reflection = Some(reflection.id);
            }
            "plan_to_card" => {
                let id = self.last_reflection.ok_or("no reflection yet")?;
                self.journal()?.plan_item_to_card(id, num(s, "index")?)?;
            }
            "review" => {
                let range = match arg(s, "range")? {
                    "week" => ReviewRange::Week,
                    "month" => ReviewRange::Month,
                    "year" => ReviewRange::Year,
                    _ => ReviewRange::AllTime,
                };
                self.review = Some(self.journal()?.review_progress(range)?);
            }
            "change_passphrase" => {
                self.journal()?
                    .change_passphrase(arg(s, "old")?.to_owned(), arg(s, "new")?.to_owned())?;
            }
            "lock" => self.journal()?.lock(),
            "unlock" => self
                .journal()?
                .unlock_with_passphrase(arg(s, "passphrase")?.to_owned())?,
            "journeys" => {
                self.journal()?.journeys()?;
            }
            "reopen" => {
                self.journal = None;
                let journal = WaymarkJournal::open(
                    self.path(),
                    Some(fast_kdf()),
                    Some(self.clock.clone() as Arc<dyn ShellClock>),
                )?;
                journal.unlock_with_passphrase(arg(s, "passphrase")?.to_owned())?;
                self.journal = Some(journal);
            }
            "wipe" => {
                self.journal()?.wipe()?;
                if Path::new(&self.path()).exists() {
                    return Err(Called::Scenario("the file survived the wipe".into()));
                }
            }
            "backup" => {
                self.journal()?
                    .write_backup(self.file(arg(s, "file")?), arg(s, "passphrase")?.to_owned())?;
            }
            "merge" => {
                let report = self
                    .journal()?
                    .merge_backup(self.file(arg(s, "file")?), arg(s, "passphrase")?.to_owned())?;
                self.merge = Some(report);
            }
            "restore" => {
                let file = format!("restored-{}.db", s.line);
                let created = restore_journal(
                    self.file(arg(s, "file")?),
                    arg(s, "passphrase")?.to_owned(),
                    self.file(&file),
                    arg(s, "new_passphrase")?.to_owned(),
                    Some(fast_kdf()),
                    Some(self.clock.clone() as Arc<dyn ShellClock>),
                )?;
                self.journal = Some(created.journal);
                self.journal_file = file;
            }
            "tamper" => {
                let path = self.file(arg(s, "file")?);
                let mut bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x01;
                std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
            }
            other => return Err(Called::Scenario(format!("unknown step {other}"))),
        }
        Ok(())
    }

    fn expect(&self, step: &Step) -> Outcome<()> {
        for (metric, wanted) in &step.args {
            let got = self.metric(metric).map_err(|e| match e {
                Called::Library(e) => format!("{metric}: library error {e}"),
                Called::Scenario(m) => format!("{metric}: {m}"),
            })?;
            if got != *wanted {
                return Err(format!("{metric}: expected {wanted}, got {got}"));
            }
        }
        Ok(())
    }

    /// The value of a named metric (the vocabulary in `tests/README.md`).
    pub fn metric(&self, name: &str) -> Result<String, Called> {
        let j = self.journal()?;
        let far_past = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        let far_future = NaiveDate::from_ymd_opt(2200, 1, 1).unwrap_or_default();
        let review = || {
            self.review
                .as_ref()
                .ok_or_else(|| Called::Scenario("no review yet".into()))
        };
        Ok(match name {
            "streak" => j.counter(self.journey()?)?.current_streak_days.to_string(),
            "longest" => j.counter(self.journey()?)?.longest_streak_days.to_string(),
            "total_sober_days" => j.counter(self.journey()?)?.total_sober_days.to_string(),
            "attempts" => j.counter(self.journey()?)?.attempts.len().to_string(),
            "money_saved_cents" => j
                .counter(self.journey()?)?
                .money_saved_cents_total
                .to_string(),
            "milestones_reached" => j.milestones(self.journey()?)?.reached.len().to_string(),
            "next_milestone" => j
                .milestones(self.journey()?)?
                .next
                .map(|m| m.key)
                .unwrap_or_default(),
            "clock_date" => j.today()?.to_string(),
            "check_ins" => j.check_ins(far_past, far_future)?.len().to_string(),
            "check_in_streak" => j.check_in_streak()?.current.to_string(),
            "triggers" => j.triggers(far_past, far_future)?.len().to_string(),
            "offer_lapse" => self.offer_lapse.to_string(),
            "lapses" => j.lapses(self.journey()?)?.len().to_string(),
            "reflections" => j.reflections(None)?.len().to_string(),
            "custom_cards" => j
                .cards(true)?
                .iter()
                .filter(|c| !c.built_in)
                .count()
                .to_string(),
            "merge_added" | "merge_updated" | "merge_unchanged" | "merge_conflicts_kept" => {
                let m = self
                    .merge
                    .as_ref()
                    .ok_or_else(|| Called::Scenario("no merge yet".into()))?;
                match name {
                    "merge_added" => m.added,
                    "merge_updated" => m.updated,
                    "merge_unchanged" => m.unchanged,
                    _ => m.conflicts_kept,
                }
                .to_string()
            }
            "review_check_ins" => review()?.check_ins.count.to_string(),
            "review_triggers" => review()?.triggers.total.to_string(),
            "review_lapses" => review()?.lapses.len().to_string(),
            "review_mood_points" => review()?.mood_series.len().to_string(),
            "review_lapse_reflections" => review()?
                .lapses
                .iter()
                .map(|l| l.reflections.len())
                .sum::<usize>()
                .to_string(),
            other => {
                if let Some(category) = other.strip_prefix("top_card_") {
                    let category = TriggerCategory::parse(category).ok_or("bad category")?;
                    j.suggest_cards(category)?
                        .first()
                        .map(|s| s.card.id.clone())
                        .unwrap_or_default()
                } else if let Some(word) = other.strip_prefix("search_") {
                    j.search(word.to_owned(), 100)?.len().to_string()
                } else {
                    return Err(Called::Scenario(format!("unknown metric {other}")));
                }
            }
        })
    }
}

/// Why a call failed: the library said no, or the scenario itself is wrong.
#[derive(Debug)]
pub enum Called {
    /// The library returned an error.
    Library(WaymarkError),
    /// The scenario is malformed (or a check failed).
    Scenario(String),
}

impl From<WaymarkError> for Called {
    fn from(e: WaymarkError) -> Self {
        Called::Library(e)
    }
}

impl From<String> for Called {
    fn from(m: String) -> Self {
        Called::Scenario(m)
    }
}

impl From<&str> for Called {
    fn from(m: &str) -> Self {
        Called::Scenario(m.to_owned())
    }
}
