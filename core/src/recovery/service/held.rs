//! Check-ins given while the journal is locked: a tap on a notification's "how are you?"
//! while the phone sits in a pocket, after the app locked the journal.
//!
//! Nothing can be sealed without the data key, and the data key is only in memory while
//! the journal is unlocked, so such a check-in is held in memory (never on disk, never in
//! clear), with the instant it was given, and written by the first call after the next
//! unlock (every unlock of the shells delivers at once). Its day is the recovery day of that
//! instant, not of the moment it is written. A check-in that fails to be written (the disk
//! is full) stays held and is tried again; none is dropped while the journal is open. The
//! texts of a held check-in are overwritten once it is written.

use super::Recovery;
use crate::error::{Error, Result};
use crate::recovery::check_in::{CheckInDelivery, CheckInInput};
use crate::recovery::counts;
use chrono::{DateTime, Utc};
use std::sync::{MutexGuard, PoisonError};

/// At most this many check-ins wait for an unlock (a day's worth of taps, and then some).
const MAX_HELD_CHECK_INS: usize = 32;

/// One check-in waiting for an unlock.
pub(super) struct HeldCheckIn {
    input: CheckInInput,
    given_at: DateTime<Utc>,
}

impl Drop for HeldCheckIn {
    fn drop(&mut self) {
        self.input.wipe();
    }
}

impl Recovery {
    fn held(&self) -> MutexGuard<'_, Vec<HeldCheckIn>> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Checks in now if the journal is unlocked; if it is locked, validates the input and
    /// holds it until the next unlock ([`CheckInDelivery::Held`]: ask the person to
    /// unlock). Either way what the person gave is not lost. An invalid input is refused at
    /// once, locked or not; a day after today can only be refused at delivery, so a held
    /// check-in has no date of its own in practice (the day it was given is used).
    pub fn check_in_or_hold(&self, input: CheckInInput) -> Result<CheckInDelivery> {
        input.validate()?;
        // One copy of what the person gave, wiped when it goes (written, or held then
        // written or dropped): never a clone left in freed memory.
        let mut item = HeldCheckIn {
            input,
            given_at: self.now(),
        };
        if self.journal.is_unlocked() {
            match self.check_in_at(&item.input, item.given_at) {
                Ok(check_in) => return Ok(CheckInDelivery::Written { check_in }),
                Err(Error::Locked) => {}
                Err(e) => return Err(e),
            }
        }
        item.given_at = self.now();
        let mut held = self.held();
        if held.len() >= MAX_HELD_CHECK_INS {
            return Err(Error::invalid(
                "check_in",
                "at most 32 check-ins can wait for an unlock: unlock the journal",
            ));
        }
        held.push(item);
        Ok(CheckInDelivery::Held {
            waiting: counts::of_len(held.len()),
        })
    }

    /// How many check-ins wait for an unlock.
    pub fn held_check_ins(&self) -> i32 {
        counts::of_len(self.held().len())
    }

    /// Delivers held check-ins before a read or write after an unlock made through
    /// [`Recovery::journal`]; a failure leaves them held and does not fail the call.
    pub(super) fn deliver_if_any_held(&self) {
        if self.journal.is_unlocked() && !self.held().is_empty() {
            let _ = self.deliver_held_check_ins();
        }
    }

    /// Writes the check-ins held while the journal was locked, oldest first, each for the
    /// recovery day of the moment it was given; returns how many were written. Does nothing
    /// while locked. Every one is tried; those that fail stay held for a later call, and the
    /// first failure is returned ([`Recovery::held_check_ins`] says how many still wait).
    pub fn deliver_held_check_ins(&self) -> Result<i32> {
        if !self.journal.is_unlocked() {
            return Ok(0);
        }
        let waiting = std::mem::take(&mut *self.held());
        if waiting.is_empty() {
            return Ok(0);
        }
        let mut written = 0;
        let mut kept = Vec::new();
        let mut failure = None;
        for item in waiting {
            match self.check_in_at(&item.input, item.given_at) {
                Ok(mut check_in) => {
                    check_in.wipe();
                    written += 1;
                }
                Err(e) => {
                    failure.get_or_insert(e);
                    kept.push(item);
                }
            }
        }
        if !kept.is_empty() {
            let mut held = self.held();
            kept.append(&mut held);
            *held = kept;
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(written),
        }
    }
}
