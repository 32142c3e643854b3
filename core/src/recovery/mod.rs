//! The recovery domain: journeys and the sober-day counter, milestones, check-ins, triggers,
//! coping cards, reflections, journal entries, the support network and the progress review.
//!
//! The pure parts (counter, milestones, streaks, suggestions, review) are functions of the
//! records, the instant and the time zone; [`Recovery`] is the service that loads and saves
//! them as encrypted records of a [`crate::Journal`]. Recovery is a process, not an event:
//! nothing here ever resets a person's history to zero. A lapse ends an attempt and starts the
//! next; every attempt stays in the history.

pub mod backup;
pub mod cards;
pub mod check_in;
pub mod clock;
pub mod counter;
mod counts;
pub mod crisis_lines;
pub mod entries;
#[cfg(feature = "fuzzing")]
pub mod fuzz;
#[cfg(feature = "demo")]
pub mod generator;
pub mod help_now;
pub mod items;
pub mod journey;
pub mod limits;
pub mod milestones;
pub mod money;
pub mod names;
pub mod reflection;
pub mod reminders;
pub mod report;
pub mod review;
pub mod safety_plan;
pub mod screens;
pub mod search;
mod service;
pub mod settings;
pub mod snapshot;
mod stored;
pub mod support;
pub mod sync;
pub mod triggers;
pub mod urge;
pub mod validate;
pub mod window;
pub mod words;

pub use service::Recovery;
