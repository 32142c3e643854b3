//! Flags whose value is one of the core's fixed choices (`--category emotions`,
//! `--role crisis_line`): parsed straight into the core's own enum, so the command line and
//! the JSON output spell every value the same way and there is no mirrored enum to drift.
//!
//! The names are the JSON ones (`crisis_line`); the kebab-case spelling (`crisis-line`) and
//! any letter case are accepted too. A wrong value is refused naming the flag and listing
//! the accepted values, never repeating what was typed.

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use std::ffi::OsStr;
use std::marker::PhantomData;
use waymark_core::recovery::names::Named;

/// The clap value parser for a [`Named`] enum.
#[derive(Debug)]
pub struct NamedParser<T>(PhantomData<fn() -> T>);

impl<T> Clone for NamedParser<T> {
    fn clone(&self) -> Self {
        NamedParser(PhantomData)
    }
}

/// A value parser for `T`'s names.
pub fn named<T: Named + Send + Sync>() -> NamedParser<T> {
    NamedParser(PhantomData)
}

impl<T: Named + Send + Sync> TypedValueParser for NamedParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        if let Some(parsed) = value.to_str().and_then(T::parse) {
            return Ok(parsed);
        }
        let flag = arg
            .and_then(|a| a.get_long().map(|l| format!("--{l}")))
            .or_else(|| arg.map(|a| a.get_id().as_str().to_uppercase()))
            .unwrap_or_else(|| "value".to_owned());
        let mut error = clap::Error::raw(
            ErrorKind::InvalidValue,
            format!("invalid {flag}: must be one of {}\n", T::names()),
        );
        error = error.with_cmd(cmd);
        Err(error)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            T::VALUES.iter().map(|v| PossibleValue::new(v.name())),
        ))
    }
}
