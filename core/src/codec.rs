//! The compact body encoding: tagged fields, each read by its tag, so bodies survive app
//! versions in both directions.
//!
//! A body is a sequence of fields. Each field is a key (a varint: the field's tag times 8
//! plus its wire type) and a value: wire type 0 is a varint (integers, booleans, enum codes,
//! dates as zigzag days since 1970-01-01), wire type 2 is a length-prefixed byte string
//! (text, ids, instants, nested bodies). Absent optional fields are not written; a list is
//! its field repeated, in order. This is the shape of Protocol Buffers, kept deliberately
//! small.
//!
//! What makes it survive versions:
//! - a reader skips fields whose tag it does not know, and hands their raw bytes back
//!   ([`Unknown`]) so an edit can write them again unchanged (the record a newer app wrote
//!   keeps what this app cannot see);
//! - fields added later are optional (absent in older bodies), so older bodies still read;
//! - a tag is never reused for another meaning.
//!
//! Decoding never panics and never allocates more than the input's length: every length is
//! checked against what is left before anything is taken (the fuzz targets feed it arbitrary
//! bytes).

use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};

/// Wire type of a varint value.
const VARINT: u8 = 0;
/// Wire type of a length-prefixed value.
const BYTES: u8 = 2;
/// The largest tag a body may use.
pub const MAX_TAG: u32 = 1 << 20;

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes end in the middle of a field.
    Truncated,
    /// A field has a wire type this version does not define, or the wrong one for its tag.
    WireType,
    /// A value is out of its range (a date beyond the calendar, text that is not UTF-8, an
    /// unknown enum code).
    Value,
    /// A required field is missing.
    Missing(u32),
}

/// Writes a body.
#[derive(Default)]
pub struct Writer {
    out: Vec<u8>,
}

impl Writer {
    /// An empty body.
    pub fn new() -> Self {
        Writer::default()
    }

    /// The bytes written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// The bytes written so far, borrowed.
    #[cfg(test)]
    pub fn bytes(&self) -> &[u8] {
        &self.out
    }

    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.out.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.out.push(value as u8);
    }

    fn key(&mut self, tag: u32, wire: u8) {
        self.varint((u64::from(tag) << 3) | u64::from(wire));
    }

    /// A varint field.
    pub fn uint(&mut self, tag: u32, value: u64) {
        self.key(tag, VARINT);
        self.varint(value);
    }

    /// A signed varint field (zigzag).
    pub fn int(&mut self, tag: u32, value: i64) {
        self.uint(tag, ((value << 1) ^ (value >> 63)) as u64);
    }

    /// A length-prefixed field.
    pub fn bytes_field(&mut self, tag: u32, value: &[u8]) {
        self.key(tag, BYTES);
        self.varint(value.len() as u64);
        self.out.extend_from_slice(value);
    }

    /// A nested body written by `write` into its own length-prefixed field.
    pub fn nested(&mut self, tag: u32, write: impl FnOnce(&mut Writer)) {
        let mut inner = Writer::new();
        write(&mut inner);
        self.bytes_field(tag, &inner.out);
    }

    /// Appends fields this build does not know, exactly as they were read.
    pub fn unknown(&mut self, unknown: &Unknown) {
        self.out.extend_from_slice(&unknown.0);
    }
}

/// One field's value as read from the wire.
#[derive(Debug, Clone, Copy)]
pub enum Wire<'a> {
    /// A varint.
    Varint(u64),
    /// A length-prefixed byte string, borrowed from the body.
    Bytes(&'a [u8]),
}

impl<'a> Wire<'a> {
    /// The varint, or a wire-type error.
    pub fn varint(self) -> Result<u64, DecodeError> {
        match self {
            Wire::Varint(v) => Ok(v),
            Wire::Bytes(_) => Err(DecodeError::WireType),
        }
    }

    /// The byte string, or a wire-type error.
    pub fn bytes(self) -> Result<&'a [u8], DecodeError> {
        match self {
            Wire::Bytes(b) => Ok(b),
            Wire::Varint(_) => Err(DecodeError::WireType),
        }
    }
}

/// Fields a reader did not know, kept as their raw bytes (key and value) in the order read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unknown(Vec<u8>);

impl Unknown {
    /// True when every field was known.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One field as read: its tag, its value, and the raw bytes it took (key and value).
pub type RawField<'a> = (u32, Wire<'a>, &'a [u8]);

/// Reads a body field by field.
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `body`.
    pub fn new(body: &'a [u8]) -> Self {
        Reader { rest: body }
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        // Most values (tags, lengths, small numbers) are one byte.
        if let Some((&byte, rest)) = self.rest.split_first() {
            if byte < 0x80 {
                self.rest = rest;
                return Ok(u64::from(byte));
            }
        }
        let mut value = 0u64;
        for i in 0..10 {
            let (&byte, rest) = self.rest.split_first().ok_or(DecodeError::Truncated)?;
            self.rest = rest;
            if i == 9 && byte > 1 {
                return Err(DecodeError::Value);
            }
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::Value)
    }

    /// The next field: its tag, its value, and the raw bytes it took (key and value), or
    /// `None` at the end.
    pub fn next_field(&mut self) -> Result<Option<RawField<'a>>, DecodeError> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let start = self.rest;
        let key = self.varint()?;
        let tag = u32::try_from(key >> 3).map_err(|_| DecodeError::Value)?;
        if tag == 0 || tag > MAX_TAG {
            return Err(DecodeError::Value);
        }
        let wire = match (key & 7) as u8 {
            VARINT => Wire::Varint(self.varint()?),
            BYTES => {
                let len = usize::try_from(self.varint()?).map_err(|_| DecodeError::Truncated)?;
                if len > self.rest.len() {
                    return Err(DecodeError::Truncated);
                }
                let (value, rest) = self.rest.split_at(len);
                self.rest = rest;
                Wire::Bytes(value)
            }
            _ => return Err(DecodeError::WireType),
        };
        let used = start.len() - self.rest.len();
        Ok(Some((tag, wire, &start[..used])))
    }
}

/// Reads every field of `body`, giving each known one to `known(tag, value)` (which returns
/// false for a tag it does not know) and keeping the rest.
pub fn read_fields<'a>(
    body: &'a [u8],
    mut known: impl FnMut(u32, Wire<'a>) -> Result<bool, DecodeError>,
) -> Result<Unknown, DecodeError> {
    let mut reader = Reader::new(body);
    let mut unknown = Vec::new();
    while let Some((tag, wire, raw)) = reader.next_field()? {
        if !known(tag, wire)? {
            unknown.extend_from_slice(raw);
        }
    }
    Ok(Unknown(unknown))
}

/// A value that is one field on the wire.
pub trait Value: Sized {
    /// Writes the value as field `tag`.
    fn write(&self, tag: u32, w: &mut Writer);
    /// Reads the value from its wire form.
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError>;
}

/// How a struct field is carried: a required value, an optional one, or a list. Each has a
/// slot that collects what is read and a rule for what an absent field means.
pub trait Field: Sized {
    /// What is collected while reading.
    type Slot: Default;
    /// Writes the field (nothing for `None` or an empty list).
    fn write_field(&self, tag: u32, w: &mut Writer);
    /// Takes one occurrence of the field.
    fn accept(slot: &mut Self::Slot, wire: Wire<'_>) -> Result<(), DecodeError>;
    /// The value once the body is read; `None` when a required field is absent.
    fn finish(slot: Self::Slot) -> Option<Self>;
}

/// Implements [`Field`] for a [`Value`] type as a required field, and for its `Option` and
/// `Vec` as optional and repeated fields.
macro_rules! fields_of_values {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::codec::Field for $t {
            type Slot = Option<$t>;
            fn write_field(&self, tag: u32, w: &mut $crate::codec::Writer) {
                $crate::codec::Value::write(self, tag, w);
            }
            fn accept(
                slot: &mut Self::Slot,
                wire: $crate::codec::Wire<'_>,
            ) -> Result<(), $crate::codec::DecodeError> {
                *slot = Some(<$t as $crate::codec::Value>::read(wire)?);
                Ok(())
            }
            fn finish(slot: Self::Slot) -> Option<Self> {
                slot
            }
        }
        impl $crate::codec::Field for Option<$t> {
            type Slot = Option<$t>;
            fn write_field(&self, tag: u32, w: &mut $crate::codec::Writer) {
                if let Some(value) = self {
                    $crate::codec::Value::write(value, tag, w);
                }
            }
            fn accept(
                slot: &mut Self::Slot,
                wire: $crate::codec::Wire<'_>,
            ) -> Result<(), $crate::codec::DecodeError> {
                *slot = Some(<$t as $crate::codec::Value>::read(wire)?);
                Ok(())
            }
            fn finish(slot: Self::Slot) -> Option<Self> {
                Some(slot)
            }
        }
        impl $crate::codec::Field for Vec<$t> {
            type Slot = Vec<$t>;
            fn write_field(&self, tag: u32, w: &mut $crate::codec::Writer) {
                for value in self {
                    $crate::codec::Value::write(value, tag, w);
                }
            }
            fn accept(
                slot: &mut Self::Slot,
                wire: $crate::codec::Wire<'_>,
            ) -> Result<(), $crate::codec::DecodeError> {
                slot.push(<$t as $crate::codec::Value>::read(wire)?);
                Ok(())
            }
            fn finish(slot: Self::Slot) -> Option<Self> {
                Some(slot)
            }
        }
    )*};
}
pub(crate) use fields_of_values;

/// Declares the tagged fields of a struct: implements [`Message`] (and [`Value`], as a
/// nested body) from a list of `tag => field: Type`. Tags are never reused.
macro_rules! message {
    ($ty:ty { $($tag:literal => $field:ident : $ft:ty),* $(,)? }) => {
        impl $crate::codec::Message for $ty {
            fn write_fields(&self, w: &mut $crate::codec::Writer) {
                $( <$ft as $crate::codec::Field>::write_field(&self.$field, $tag, w); )*
            }
            fn read_fields(
                body: &[u8],
            ) -> Result<(Self, $crate::codec::Unknown), $crate::codec::DecodeError> {
                $( let mut $field = <<$ft as $crate::codec::Field>::Slot>::default(); )*
                let unknown = $crate::codec::read_fields(body, |tag, wire| {
                    match tag {
                        $( $tag => <$ft as $crate::codec::Field>::accept(&mut $field, wire)?, )*
                        _ => return Ok(false),
                    }
                    Ok(true)
                })?;
                Ok((
                    Self {
                        $( $field: <$ft as $crate::codec::Field>::finish($field)
                            .ok_or($crate::codec::DecodeError::Missing($tag))?, )*
                    },
                    unknown,
                ))
            }
        }
        $crate::codec::nested_value!($ty);
    };
}
pub(crate) use message;

/// Makes a [`Message`] usable as a field (a nested body).
macro_rules! nested_value {
    ($ty:ty) => {
        impl $crate::codec::Value for $ty {
            fn write(&self, tag: u32, w: &mut $crate::codec::Writer) {
                w.nested(tag, |inner| {
                    $crate::codec::Message::write_fields(self, inner)
                });
            }
            fn read(wire: $crate::codec::Wire<'_>) -> Result<Self, $crate::codec::DecodeError> {
                Ok(<$ty as $crate::codec::Message>::read_fields(wire.bytes()?)?.0)
            }
        }
        $crate::codec::fields_of_values!($ty);
    };
}
pub(crate) use nested_value;

/// Declares the stable wire codes of a fieldless enum (codes are never reused).
macro_rules! codes {
    ($ty:ty { $($variant:ident = $code:literal),+ $(,)? }) => {
        impl $crate::codec::Value for $ty {
            fn write(&self, tag: u32, w: &mut $crate::codec::Writer) {
                let code: u64 = match self { $( <$ty>::$variant => $code, )+ };
                w.uint(tag, code);
            }
            fn read(wire: $crate::codec::Wire<'_>) -> Result<Self, $crate::codec::DecodeError> {
                match wire.varint()? {
                    $( $code => Ok(<$ty>::$variant), )+
                    _ => Err($crate::codec::DecodeError::Value),
                }
            }
        }
        $crate::codec::fields_of_values!($ty);
    };
}
pub(crate) use codes;

/// A struct whose fields are tagged (see [`message!`]).
pub trait Message: Sized {
    /// Writes every field.
    fn write_fields(&self, w: &mut Writer);
    /// Reads the fields of `body`, returning the value and the fields it did not know.
    fn read_fields(body: &[u8]) -> Result<(Self, Unknown), DecodeError>;

    /// The body bytes of `self`, followed by `unknown` fields carried from an older copy.
    fn to_body(&self, unknown: &Unknown) -> Vec<u8> {
        let mut w = Writer::new();
        self.write_fields(&mut w);
        w.unknown(unknown);
        w.into_bytes()
    }
}

impl Value for u64 {
    fn write(&self, tag: u32, w: &mut Writer) {
        w.uint(tag, *self);
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        wire.varint()
    }
}

impl Value for u32 {
    fn write(&self, tag: u32, w: &mut Writer) {
        w.uint(tag, u64::from(*self));
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        u32::try_from(wire.varint()?).map_err(|_| DecodeError::Value)
    }
}

impl Value for u8 {
    fn write(&self, tag: u32, w: &mut Writer) {
        w.uint(tag, u64::from(*self));
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        u8::try_from(wire.varint()?).map_err(|_| DecodeError::Value)
    }
}

/// Counts and amounts are `i32` in the domain (the FFI's `Int`) but never negative: on the
/// wire they are the same unsigned varint as a `u32`, so bodies written when they were
/// unsigned read unchanged. A negative value (which validation refuses before any write) is
/// written as 0; a stored value above `i32::MAX` does not read.
impl Value for i32 {
    fn write(&self, tag: u32, w: &mut Writer) {
        w.uint(tag, u64::try_from(*self).unwrap_or(0));
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        i32::try_from(wire.varint()?).map_err(|_| DecodeError::Value)
    }
}

/// Money and minutes: as [`i32`]'s rule, with the range of an `i64`.
impl Value for i64 {
    fn write(&self, tag: u32, w: &mut Writer) {
        w.uint(tag, u64::try_from(*self).unwrap_or(0));
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        i64::try_from(wire.varint()?).map_err(|_| DecodeError::Value)
    }
}

impl Value for bool {
    fn write(&self, tag: u32, w: &mut Writer) {
        w.uint(tag, u64::from(*self));
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        match wire.varint()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(DecodeError::Value),
        }
    }
}

impl Value for String {
    fn write(&self, tag: u32, w: &mut Writer) {
        w.bytes_field(tag, self.as_bytes());
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        std::str::from_utf8(wire.bytes()?)
            .map(str::to_owned)
            .map_err(|_| DecodeError::Value)
    }
}

impl Value for crate::record::RecordId {
    fn write(&self, tag: u32, w: &mut Writer) {
        w.bytes_field(tag, self.as_bytes());
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        let bytes: [u8; 16] = wire.bytes()?.try_into().map_err(|_| DecodeError::Value)?;
        Ok(crate::record::RecordId::from_bytes(bytes))
    }
}

/// Days from 1970-01-01 to `date`.
fn epoch_days(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 719_163
}

use chrono::Datelike;

impl Value for NaiveDate {
    fn write(&self, tag: u32, w: &mut Writer) {
        w.int(tag, epoch_days(*self));
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        let raw = wire.varint()?;
        let days = ((raw >> 1) as i64) ^ -((raw & 1) as i64);
        let from_ce = days.checked_add(719_163).ok_or(DecodeError::Value)?;
        i32::try_from(from_ce)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or(DecodeError::Value)
    }
}

impl Value for NaiveTime {
    fn write(&self, tag: u32, w: &mut Writer) {
        let nanos = u64::from(self.num_seconds_from_midnight()) * 1_000_000_000
            + u64::from(self.nanosecond());
        w.uint(tag, nanos);
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        let nanos = wire.varint()?;
        let secs = u32::try_from(nanos / 1_000_000_000).map_err(|_| DecodeError::Value)?;
        let frac = u32::try_from(nanos % 1_000_000_000).map_err(|_| DecodeError::Value)?;
        NaiveTime::from_num_seconds_from_midnight_opt(secs, frac).ok_or(DecodeError::Value)
    }
}

impl Value for DateTime<Utc> {
    /// Seconds since 1970 (zigzag varint) then nanoseconds (varint), in one byte string.
    fn write(&self, tag: u32, w: &mut Writer) {
        let mut inner = Writer::new();
        let secs = self.timestamp();
        inner.varint(((secs << 1) ^ (secs >> 63)) as u64);
        inner.varint(u64::from(self.timestamp_subsec_nanos()));
        w.bytes_field(tag, &inner.out);
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        let mut r = Reader::new(wire.bytes()?);
        let raw = r.varint()?;
        let secs = ((raw >> 1) as i64) ^ -((raw & 1) as i64);
        let nanos = u32::try_from(r.varint()?).map_err(|_| DecodeError::Value)?;
        if !r.rest.is_empty() || nanos >= 1_000_000_000 {
            return Err(DecodeError::Value);
        }
        DateTime::from_timestamp(secs, nanos).ok_or(DecodeError::Value)
    }
}

/// A pair as a nested body of two fields (1 and 2).
impl<A: Value, B: Value> Value for (A, B) {
    fn write(&self, tag: u32, w: &mut Writer) {
        w.nested(tag, |inner| {
            self.0.write(1, inner);
            self.1.write(2, inner);
        });
    }
    fn read(wire: Wire<'_>) -> Result<Self, DecodeError> {
        let (mut a, mut b) = (None, None);
        read_fields(wire.bytes()?, |tag, wire| {
            match tag {
                1 => a = Some(A::read(wire)?),
                2 => b = Some(B::read(wire)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok((
            a.ok_or(DecodeError::Missing(1))?,
            b.ok_or(DecodeError::Missing(2))?,
        ))
    }
}

fields_of_values!(
    u64,
    u32,
    u8,
    i64,
    i32,
    bool,
    String,
    crate::record::RecordId,
    NaiveDate,
    NaiveTime,
    DateTime<Utc>,
    (NaiveDate, String),
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Sample {
        date: NaiveDate,
        at: DateTime<Utc>,
        time: Option<NaiveTime>,
        names: Vec<String>,
        flag: bool,
        small: u8,
    }

    message!(Sample {
        1 => date: NaiveDate,
        2 => at: DateTime<Utc>,
        3 => time: Option<NaiveTime>,
        4 => names: Vec<String>,
        5 => flag: bool,
        6 => small: u8,
    });

    fn sample() -> Sample {
        Sample {
            date: NaiveDate::from_ymd_opt(1969, 12, 31).unwrap_or_default(),
            at: DateTime::from_timestamp(1_790_000_000, 123_456_789).unwrap_or_default(),
            time: NaiveTime::from_hms_opt(23, 59, 58),
            names: vec!["é ü 日本".into(), String::new()],
            flag: true,
            small: 200,
        }
    }

    #[test]
    fn messages_round_trip_and_keep_fields_they_do_not_know() {
        let value = sample();
        let mut w = Writer::new();
        value.write_fields(&mut w);
        // A newer build added field 40 (a text) and field 41 (a number).
        w.bytes_field(40, b"from the future");
        w.uint(41, 7);
        let body = w.into_bytes();
        let (read, unknown) = Sample::read_fields(&body).unwrap();
        assert_eq!(read, value);
        assert!(!unknown.is_empty());
        // Written back by this build: the unknown fields come back unchanged.
        let again = read.to_body(&unknown);
        assert_eq!(again, body);
    }

    #[test]
    fn a_missing_required_field_is_named() {
        let mut w = Writer::new();
        sample().date.write(1, &mut w);
        assert_eq!(
            Sample::read_fields(w.bytes()).err(),
            Some(DecodeError::Missing(2))
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = Sample::read_fields(&bytes);
        }

        #[test]
        fn dates_and_instants_round_trip(days in -700_000i64..700_000, secs in -60_000_000_000i64..60_000_000_000, nanos in 0u32..1_000_000_000) {
            if let Some(date) = NaiveDate::from_ymd_opt(1970, 1, 1).and_then(|d| d.checked_add_signed(chrono::Duration::days(days))) {
                let mut w = Writer::new();
                date.write(1, &mut w);
                let mut r = Reader::new(w.bytes());
                let (_, wire, _) = r.next_field().unwrap().unwrap();
                prop_assert_eq!(NaiveDate::read(wire).unwrap(), date);
            }
            if let Some(at) = DateTime::from_timestamp(secs, nanos) {
                let mut w = Writer::new();
                at.write(1, &mut w);
                let mut r = Reader::new(w.bytes());
                let (_, wire, _) = r.next_field().unwrap().unwrap();
                prop_assert_eq!(DateTime::<Utc>::read(wire).unwrap(), at);
            }
        }
    }
}
