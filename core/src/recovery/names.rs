//! The stable names of the domain's fixed choices (trigger categories, contact roles,
//! meeting kinds...): one spelling, shared by JSON, the command line and the phones.
//!
//! Each enum's names are declared once with [`named!`]; a test checks every one against its
//! serde spelling, so the JSON output and the accepted command-line values cannot drift
//! apart. [`Named::parse`] also takes the kebab-case spelling people type on a command line
//! (`crisis-line` for `crisis_line`) and ignores case.

/// An enum with a stable name for each value.
pub trait Named: Copy + PartialEq + 'static {
    /// Every value, in a stable order.
    const VALUES: &'static [Self];

    /// The stable name, exactly as JSON spells it ("crisis_line").
    fn name(self) -> &'static str;

    /// The value with this name, in snake or kebab case, any letter case.
    fn parse(text: &str) -> Option<Self> {
        let wanted = text.trim().to_ascii_lowercase().replace('-', "_");
        Self::VALUES.iter().copied().find(|v| v.name() == wanted)
    }

    /// Every name, comma-separated, for "must be one of ..." messages.
    fn names() -> String {
        Self::VALUES
            .iter()
            .map(|v| v.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Declares the stable names of an enum's unit variants.
macro_rules! named {
    ($ty:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $crate::recovery::names::Named for $ty {
            const VALUES: &'static [Self] = &[$(<$ty>::$variant),+];

            fn name(self) -> &'static str {
                match self {
                    $(<$ty>::$variant => $name),+
                }
            }
        }
    };
}

use super::cards::{CardCategory, CardOutcome};
use super::journey::{JourneyField, LapseField, LapseKind};
use super::limits::LimitPeriod;
use super::reminders::Weekday;
use super::safety_plan::PlanSection;
use super::search::SearchSource;
use super::support::{
    ContactField, ContactRole, MeetingField, MeetingKind, NinetyInNinetyStart, OutreachField,
    OutreachMethod,
};
use super::triggers::{TriggerCategory, TriggerField, UrgeOutcome};

named!(TriggerCategory { People => "people", Places => "places", Things => "things",
    Emotions => "emotions", Halt => "halt", Situations => "situations" });
named!(UrgeOutcome { Passed => "passed", StillStruggling => "still_struggling",
    Lapsed => "lapsed" });
named!(LapseKind { Lapse => "lapse", Relapse => "relapse", OverLimit => "over_limit" });
named!(LimitPeriod { Day => "day", Week => "week" });
named!(PlanSection { WarningSigns => "warning_signs", OnMyOwn => "on_my_own",
    Distractions => "distractions", AskForHelp => "ask_for_help",
    Professionals => "professionals", SaferSurroundings => "safer_surroundings",
    Reasons => "reasons" });
named!(Weekday { Mon => "mon", Tue => "tue", Wed => "wed", Thu => "thu", Fri => "fri",
    Sat => "sat", Sun => "sun" });
named!(ContactRole { Sponsor => "sponsor", Peer => "peer", Therapist => "therapist",
    CrisisLine => "crisis_line", Other => "other" });
named!(OutreachMethod { Call => "call", Message => "message", InPerson => "in_person" });
named!(MeetingKind { TwelveStep => "twelve_step", SmartRecovery => "smart_recovery",
    SupportGroup => "support_group", Online => "online", FaithBased => "faith_based",
    RecoveryCentre => "recovery_centre", TherapyGroup => "therapy_group" });
named!(CardCategory { Mindfulness => "mindfulness", Body => "body", Connection => "connection",
    Thinking => "thinking", Environment => "environment", SelfCare => "self_care",
    MyPlan => "my_plan" });
named!(CardOutcome { Helped => "helped", HelpedSomewhat => "helped_somewhat",
    DidNotHelp => "did_not_help" });
named!(SearchSource { Entry => "entry", CheckIn => "check_in", Trigger => "trigger",
    Lapse => "lapse", Reflection => "reflection" });
named!(NinetyInNinetyStart { Window => "window", AfterLapse => "after_lapse",
    Chosen => "chosen" });
named!(JourneyField { SoberSinceTime => "sober_since_time", DailyCost => "daily_cost",
    DailyMinutes => "daily_minutes", CustomMilestones => "custom_milestones", Limit => "limit" });
named!(LapseField { Time => "time", SoberAgainFrom => "sober_again_from", Note => "note",
    Trigger => "trigger" });
named!(TriggerField { Journey => "journey", Situation => "situation", Card => "card",
    Outcome => "outcome", UrgeMinutes => "urge_minutes", Tags => "tags" });
named!(ContactField { Phone => "phone", Note => "note" });
named!(OutreachField { Helped => "helped", Note => "note" });
named!(MeetingField { Name => "name", Note => "note" });

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_json<T: Named + serde::Serialize + std::fmt::Debug>() {
        for value in T::VALUES {
            let json = serde_json::to_value(value).unwrap_or_default();
            assert_eq!(json.as_str(), Some(value.name()));
            assert_eq!(
                T::parse(&value.name().replace('_', "-").to_uppercase()),
                Some(*value)
            );
        }
        assert_eq!(T::parse("no such value"), None);
    }

    #[test]
    fn every_name_is_the_json_spelling_and_reads_back_in_either_case() {
        same_as_json::<TriggerCategory>();
        same_as_json::<UrgeOutcome>();
        same_as_json::<LapseKind>();
        same_as_json::<ContactRole>();
        same_as_json::<OutreachMethod>();
        same_as_json::<MeetingKind>();
        same_as_json::<CardCategory>();
        same_as_json::<CardOutcome>();
        same_as_json::<SearchSource>();
        same_as_json::<NinetyInNinetyStart>();
        same_as_json::<JourneyField>();
        same_as_json::<LapseField>();
        same_as_json::<TriggerField>();
        same_as_json::<ContactField>();
        same_as_json::<OutreachField>();
        same_as_json::<MeetingField>();
        same_as_json::<LimitPeriod>();
        same_as_json::<PlanSection>();
        same_as_json::<Weekday>();
    }
}
