//! The Python values `yaml.safe_load` produces, with the three Python operations the
//! reference applies to them: truthiness (`bool(x)`), `str(x)` and dict-key equality.
//!
//! The reference reports `str(manifest.get("connector") or "unknown")`, so a manifest that says
//! `connector: 1.0e+5`, `connector: yes` or `connector: [a, b]` prints `100000.0`, `True` and
//! `['a', 'b']`. Matching that byte for byte needs Python's own formatting rules.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

use num_bigint::BigUint;
use num_traits::{FromPrimitive, Zero};

/// Python refuses to print (or parse, in base 10) integers longer than this many digits.
pub const INT_MAX_STR_DIGITS: usize = 4300;

/// A Python integer: sign and magnitude.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyInt {
    /// True for values below zero (never for zero).
    pub negative: bool,
    /// The magnitude.
    pub magnitude: BigUint,
}

impl PyInt {
    /// Builds an integer, normalizing `-0` to `0`.
    pub fn new(negative: bool, magnitude: BigUint) -> PyInt {
        let negative = negative && !magnitude.is_zero();
        PyInt {
            negative,
            magnitude,
        }
    }

    /// A small integer.
    pub fn small(value: i64) -> PyInt {
        PyInt::new(value < 0, BigUint::from(value.unsigned_abs()))
    }

    /// An integer of any size from its decimal digits with an optional leading `-`
    /// (Python's `str(int)`); `None` for anything else.
    pub fn parse_decimal(text: &str) -> Option<PyInt> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(PyInt::new(
            negative,
            BigUint::parse_bytes(digits.as_bytes(), 10)?,
        ))
    }
}

/// A calendar date (`datetime.date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// 1..=9999.
    pub year: u32,
    /// 1..=12.
    pub month: u32,
    /// 1..=31, valid for the month.
    pub day: u32,
}

/// A `datetime.datetime`, naive or with a fixed UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// The date part.
    pub date: Date,
    /// 0..=23.
    pub hour: u32,
    /// 0..=59.
    pub minute: u32,
    /// 0..=59.
    pub second: u32,
    /// 0..=999_999.
    pub microsecond: u32,
    /// UTC offset in minutes (strictly within a day), or `None` for a naive value.
    pub offset_minutes: Option<i32>,
}

/// A value as Python holds it after `yaml.safe_load`.
#[derive(Debug, Clone)]
pub enum PyValue {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// `int`.
    Int(PyInt),
    /// `float`.
    Float(f64),
    /// `str`.
    Str(String),
    /// `bytes` (from `!!binary`).
    Bytes(Vec<u8>),
    /// `datetime.date`.
    Date(Date),
    /// `datetime.datetime`.
    DateTime(DateTime),
    /// `list`.
    List(Vec<PyValue>),
    /// `tuple` (the pairs of `!!omap` and `!!pairs`).
    Tuple(Vec<PyValue>),
    /// `dict`, in insertion order.
    Dict(PyDict),
    /// `set` (from `!!set`), in insertion order.
    Set(Vec<PyValue>),
}

/// Why a Python operation on a value raised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PyError {
    /// `str()` of an integer with more digits than Python allows.
    #[error("an integer has more than {INT_MAX_STR_DIGITS} digits")]
    IntTooLong,
    /// A list, dict or set used as a mapping key.
    #[error("a {0} cannot be a mapping key (it is unhashable)")]
    Unhashable(&'static str),
}

/// A Python `dict`: insertion-ordered; assigning an existing key keeps its position and
/// replaces its value, with Python's key equality (`1 == 1.0 == True`).
///
/// Every key is found through a hash index, so building a dict is linear in its size
/// whatever the keys are (100,000 integer keys included).
#[derive(Debug, Clone, Default)]
pub struct PyDict {
    entries: Vec<(PyValue, PyValue)>,
    /// Position of each string key (the common case, looked up by `&str`).
    str_keys: HashMap<String, usize>,
    /// Positions of the other keys, by a hash consistent with [`key_eq`].
    other_keys: HashMap<u64, Vec<usize>>,
    /// The first key assigned twice (Python keeps the last value; a stricter reader, such as
    /// the batch spec's, refuses the mapping).
    repeated: Option<usize>,
}

impl PyDict {
    /// An empty dict.
    pub fn new() -> PyDict {
        PyDict::default()
    }

    /// `self[key] = value`. Fails for unhashable keys.
    pub fn insert(&mut self, key: PyValue, value: PyValue) -> Result<(), PyError> {
        if let Some(kind) = key.unhashable_kind() {
            return Err(PyError::Unhashable(kind));
        }
        let position = self.entries.len();
        let existing = match &key {
            PyValue::Str(s) => match self.str_keys.get(s) {
                Some(&index) => Some(index),
                None => {
                    self.str_keys.insert(s.clone(), position);
                    None
                }
            },
            other => {
                let bucket = self.other_keys.entry(key_hash(other)).or_default();
                match bucket
                    .iter()
                    .copied()
                    .find(|&index| key_eq(&self.entries[index].0, other))
                {
                    Some(index) => Some(index),
                    None => {
                        bucket.push(position);
                        None
                    }
                }
            }
        };
        match existing {
            Some(index) => {
                self.entries[index].1 = value;
                self.repeated.get_or_insert(index);
            }
            None => self.entries.push((key, value)),
        }
        Ok(())
    }

    /// The first key given twice, if any (the dict itself kept the last value, as Python's).
    pub fn repeated_key(&self) -> Option<&PyValue> {
        self.repeated.map(|index| &self.entries[index].0)
    }

    /// `self.get(key)` for a string key.
    pub fn get_str(&self, key: &str) -> Option<&PyValue> {
        self.str_keys.get(key).map(|&index| &self.entries[index].1)
    }

    /// The entries in insertion order.
    pub fn entries(&self) -> &[(PyValue, PyValue)] {
        &self.entries
    }

    /// Whether the dict is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl PyValue {
    /// Python's name for the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            PyValue::None => "null",
            PyValue::Bool(_) => "boolean",
            PyValue::Int(_) => "integer",
            PyValue::Float(_) => "float",
            PyValue::Str(_) => "string",
            PyValue::Bytes(_) => "binary value",
            PyValue::Date(_) => "date",
            PyValue::DateTime(_) => "timestamp",
            PyValue::List(_) => "list",
            PyValue::Tuple(_) => "tuple",
            PyValue::Dict(_) => "mapping",
            PyValue::Set(_) => "set",
        }
    }

    fn unhashable_kind(&self) -> Option<&'static str> {
        match self {
            PyValue::List(_) => Some("list"),
            PyValue::Dict(_) => Some("mapping"),
            PyValue::Set(_) => Some("set"),
            PyValue::Tuple(items) => items.iter().find_map(PyValue::unhashable_kind),
            _ => None,
        }
    }

    /// `bool(value)`.
    pub fn truthy(&self) -> bool {
        match self {
            PyValue::None => false,
            PyValue::Bool(b) => *b,
            PyValue::Int(i) => !i.magnitude.is_zero(),
            PyValue::Float(f) => *f != 0.0,
            PyValue::Str(s) => !s.is_empty(),
            PyValue::Bytes(b) => !b.is_empty(),
            PyValue::Date(_) | PyValue::DateTime(_) => true,
            PyValue::List(v) | PyValue::Tuple(v) | PyValue::Set(v) => !v.is_empty(),
            PyValue::Dict(d) => !d.is_empty(),
        }
    }

    /// The items `iter(value)` yields, or `None` where Python raises `TypeError` (numbers,
    /// booleans, `None`, dates). A string yields its characters, a dict its keys, bytes their
    /// integer values.
    pub fn iterate(&self) -> Option<Vec<PyValue>> {
        match self {
            PyValue::Str(s) => Some(s.chars().map(|c| PyValue::Str(c.to_string())).collect()),
            PyValue::Bytes(b) => Some(
                b.iter()
                    .map(|byte| PyValue::Int(PyInt::small(i64::from(*byte))))
                    .collect(),
            ),
            PyValue::List(v) | PyValue::Tuple(v) | PyValue::Set(v) => Some(v.clone()),
            PyValue::Dict(d) => Some(d.entries.iter().map(|(k, _)| k.clone()).collect()),
            _ => None,
        }
    }

    /// `str(value)`.
    pub fn py_str(&self) -> Result<String, PyError> {
        match self {
            PyValue::Str(s) => Ok(s.clone()),
            PyValue::Date(d) => Ok(date_str(d)),
            PyValue::DateTime(dt) => Ok(datetime_str(dt)),
            other => other.py_repr(),
        }
    }

    /// `repr(value)`.
    pub fn py_repr(&self) -> Result<String, PyError> {
        Ok(match self {
            PyValue::None => "None".to_owned(),
            PyValue::Bool(true) => "True".to_owned(),
            PyValue::Bool(false) => "False".to_owned(),
            PyValue::Int(i) => int_str(i)?,
            PyValue::Float(f) => float_repr(*f),
            PyValue::Str(s) => str_repr(s),
            PyValue::Bytes(b) => bytes_repr(b),
            PyValue::Date(d) => format!("datetime.date({}, {}, {})", d.year, d.month, d.day),
            PyValue::DateTime(dt) => datetime_repr(dt),
            PyValue::List(items) => format!("[{}]", repr_items(items)?),
            PyValue::Tuple(items) if items.len() == 1 => format!("({},)", repr_items(items)?),
            PyValue::Tuple(items) => format!("({})", repr_items(items)?),
            PyValue::Set(items) if items.is_empty() => "set()".to_owned(),
            PyValue::Set(items) => format!("{{{}}}", repr_items(items)?),
            PyValue::Dict(d) => {
                let parts = d
                    .entries
                    .iter()
                    .map(|(k, v)| Ok(format!("{}: {}", k.py_repr()?, v.py_repr()?)))
                    .collect::<Result<Vec<_>, PyError>>()?;
                format!("{{{}}}", parts.join(", "))
            }
        })
    }
}

fn repr_items(items: &[PyValue]) -> Result<String, PyError> {
    let parts = items
        .iter()
        .map(PyValue::py_repr)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(parts.join(", "))
}

fn int_str(i: &PyInt) -> Result<String, PyError> {
    // A number of `bits` bits has at least `(bits - 1) * log10(2)` decimal digits: refuse the
    // ones Python refuses before paying for the conversion.
    let at_least =
        (i.magnitude.bits().saturating_sub(1) as f64 * std::f64::consts::LOG10_2) as usize;
    if at_least >= INT_MAX_STR_DIGITS {
        return Err(PyError::IntTooLong);
    }
    let digits = i.magnitude.to_str_radix(10);
    if digits.len() > INT_MAX_STR_DIGITS {
        return Err(PyError::IntTooLong);
    }
    Ok(if i.negative {
        format!("-{digits}")
    } else {
        digits
    })
}

/// A number as Python compares it: exactly, or as a float.
enum Numeric<'a> {
    Int(bool, std::borrow::Cow<'a, BigUint>),
    Float(f64),
}

fn numeric(value: &PyValue) -> Option<Numeric<'_>> {
    use std::borrow::Cow;
    match value {
        PyValue::Bool(b) => Some(Numeric::Int(false, Cow::Owned(BigUint::from(u8::from(*b))))),
        PyValue::Int(i) => Some(Numeric::Int(i.negative, Cow::Borrowed(&i.magnitude))),
        PyValue::Float(f) => Some(Numeric::Float(*f)),
        _ => None,
    }
}

/// A float that equals an integer, as that integer (sign, magnitude).
fn integral(f: f64) -> Option<(bool, BigUint)> {
    (f.is_finite() && f.fract() == 0.0)
        .then(|| (f < 0.0, BigUint::from_f64(f.abs()).unwrap_or_default()))
}

/// Python's `==` for the hashable values a mapping key can be.
fn key_eq(a: &PyValue, b: &PyValue) -> bool {
    if let (Some(x), Some(y)) = (numeric(a), numeric(b)) {
        let same_int = |s: bool, m: &BigUint, f: f64| {
            integral(f).is_some_and(|(fs, fm)| &fm == m && (fs == s || m.is_zero()))
        };
        return match (x, y) {
            (Numeric::Int(sa, ma), Numeric::Int(sb, mb)) => sa == sb && ma == mb,
            (Numeric::Float(fa), Numeric::Float(fb)) => fa == fb,
            (Numeric::Int(s, m), Numeric::Float(f)) | (Numeric::Float(f), Numeric::Int(s, m)) => {
                same_int(s, &m, f)
            }
        };
    }
    match (a, b) {
        (PyValue::None, PyValue::None) => true,
        (PyValue::Str(x), PyValue::Str(y)) => x == y,
        (PyValue::Bytes(x), PyValue::Bytes(y)) => x == y,
        (PyValue::Date(x), PyValue::Date(y)) => x == y,
        (PyValue::DateTime(x), PyValue::DateTime(y)) => datetime_eq(x, y),
        (PyValue::Tuple(x), PyValue::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| key_eq(p, q))
        }
        _ => false,
    }
}

/// A hash that agrees with [`key_eq`]: equal keys hash alike (`1`, `1.0` and `True` too).
fn key_hash(value: &PyValue) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    hash_into(value, &mut hasher);
    hasher.finish()
}

fn hash_into(value: &PyValue, hasher: &mut impl Hasher) {
    match value {
        PyValue::Bool(b) => (0u8, false, BigUint::from(u8::from(*b))).hash(hasher),
        PyValue::Int(i) => (0u8, i.negative, &i.magnitude).hash(hasher),
        PyValue::Float(f) => match integral(*f) {
            // -0.0 == 0 == False: zero hashes without its sign.
            Some((negative, magnitude)) => {
                (0u8, negative && !magnitude.is_zero(), magnitude).hash(hasher)
            }
            None => (1u8, f.to_bits()).hash(hasher),
        },
        PyValue::None => 2u8.hash(hasher),
        PyValue::Str(s) => (3u8, s).hash(hasher),
        PyValue::Bytes(b) => (4u8, b).hash(hasher),
        PyValue::Date(d) => (5u8, d).hash(hasher),
        PyValue::DateTime(dt) => match dt.offset_minutes {
            // Aware values are equal at the same instant, whatever their offsets.
            Some(offset) => (6u8, utc_minutes(dt, offset), dt.second, dt.microsecond).hash(hasher),
            // Naive values are equal field by field (`datetime_eq` uses the derived `==`).
            None => (7u8, dt).hash(hasher),
        },
        PyValue::Tuple(items) => {
            (8u8, items.len()).hash(hasher);
            for item in items {
                hash_into(item, hasher);
            }
        }
        // Unhashable: never a key (insert refuses them first).
        PyValue::List(_) | PyValue::Dict(_) | PyValue::Set(_) => 9u8.hash(hasher),
    }
}

fn datetime_eq(a: &DateTime, b: &DateTime) -> bool {
    match (a.offset_minutes, b.offset_minutes) {
        (None, None) => a == b,
        (Some(oa), Some(ob)) => {
            utc_minutes(a, oa) == utc_minutes(b, ob)
                && (a.second, a.microsecond) == (b.second, b.microsecond)
        }
        // Python: a naive and an aware datetime are never equal.
        _ => false,
    }
}

fn utc_minutes(dt: &DateTime, offset: i32) -> i64 {
    let days = days_from_civil(dt.date.year, dt.date.month, dt.date.day);
    days * 1440 + i64::from(dt.hour) * 60 + i64::from(dt.minute) - i64::from(offset)
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar.
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn date_str(d: &Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

fn datetime_str(dt: &DateTime) -> String {
    let mut out = format!(
        "{} {:02}:{:02}:{:02}",
        date_str(&dt.date),
        dt.hour,
        dt.minute,
        dt.second
    );
    if dt.microsecond != 0 {
        let _ = write!(out, ".{:06}", dt.microsecond);
    }
    if let Some(offset) = dt.offset_minutes {
        let sign = if offset < 0 { '-' } else { '+' };
        let abs = offset.unsigned_abs();
        let _ = write!(out, "{sign}{:02}:{:02}", abs / 60, abs % 60);
    }
    out
}

fn datetime_repr(dt: &DateTime) -> String {
    let mut fields = vec![
        dt.date.year,
        dt.date.month,
        dt.date.day,
        dt.hour,
        dt.minute,
        dt.second,
        dt.microsecond,
    ];
    // Python drops a zero microsecond, then a zero second.
    for _ in 0..2 {
        if fields.last() == Some(&0) {
            fields.pop();
        }
    }
    let body: Vec<String> = fields.iter().map(u32::to_string).collect();
    let tz = match dt.offset_minutes {
        None => String::new(),
        Some(0) => ", tzinfo=datetime.timezone.utc".to_owned(),
        Some(offset) => {
            let seconds = i64::from(offset) * 60;
            let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
            let delta = match (days, secs) {
                (0, s) => format!("seconds={s}"),
                (d, 0) => format!("days={d}"),
                (d, s) => format!("days={d}, seconds={s}"),
            };
            format!(", tzinfo=datetime.timezone(datetime.timedelta({delta}))")
        }
    };
    format!("datetime.datetime({}{tz})", body.join(", "))
}

/// `repr(float)`: the shortest round-tripping digits, in fixed notation when the decimal
/// exponent is in -4..16, else scientific with a signed, at least two-digit exponent.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.to_owned();
    }
    let sci = format!("{:e}", f.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if f.is_sign_negative() { "-" } else { "" };
    // Python's rule: decpt = exponent + 1; fixed when -4 < decpt <= 16.
    let decpt = exponent + 1;
    if decpt > -4 && decpt <= 16 {
        let n = digits.len() as i32;
        let body = if decpt <= 0 {
            format!("0.{}{}", "0".repeat(decpt.unsigned_abs() as usize), digits)
        } else if decpt >= n {
            format!("{}{}.0", digits, "0".repeat((decpt - n) as usize))
        } else {
            let (int_part, frac) = digits.split_at(decpt as usize);
            format!("{int_part}.{frac}")
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1);
        let mantissa = if rest.is_empty() {
            first.to_owned()
        } else {
            format!("{first}.{rest}")
        };
        let esign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{esign}{:02}", exponent.unsigned_abs())
    }
}

/// `repr(str)`: single quotes unless the text has a `'` and no `"`.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            c if c == quote || c == '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_ascii() || is_printable(c) => out.push(c),
            c if (c as u32) <= 0xff => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable` for a non-ASCII character: not a control, separator (other
/// than space), format or private-use character.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    let format_or_private = matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F | 0xE000..=0xF8FF
        | 0xF0000..=0x10FFFF | 0xFFFE | 0xFFFF);
    !(c.is_control() || (c.is_whitespace() && c != ' ') || format_or_private)
}

fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::from("b");
    out.push(quote as char);
    for &byte in b {
        match byte {
            _ if byte == quote || byte == b'\\' => {
                out.push('\\');
                out.push(byte as char);
            }
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            0x20..=0x7e => out.push(byte as char),
            _ => {
                let _ = write!(out, "\\x{byte:02x}");
            }
        }
    }
    out.push(quote as char);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("0", "0")]
    #[case("-0", "0")]
    #[case("-42", "-42")]
    #[case("123456789012345678901234567890", "123456789012345678901234567890")]
    fn decimal_integers_round_trip(#[case] text: &str, #[case] printed: &str) {
        let value = PyValue::Int(PyInt::parse_decimal(text).unwrap());
        assert_eq!(value.py_str().unwrap(), printed);
    }

    #[rstest]
    #[case("")]
    #[case("-")]
    #[case("1_000")]
    #[case("+1")]
    #[case("0x10")]
    fn anything_else_is_not_a_decimal_integer(#[case] text: &str) {
        assert!(PyInt::parse_decimal(text).is_none());
    }

    #[rstest]
    #[case(1.0, "1.0")]
    #[case(100000.0, "100000.0")]
    #[case(1e16, "1e+16")]
    #[case(1e15, "1000000000000000.0")]
    #[case(1.5e16, "1.5e+16")]
    #[case(1e-5, "1e-05")]
    #[case(0.0001, "0.0001")]
    #[case(123456789012345680.0, "1.2345678901234568e+17")]
    #[case(-0.0, "-0.0")]
    #[case(0.1, "0.1")]
    #[case(-2.5e-7, "-2.5e-07")]
    #[case(f64::INFINITY, "inf")]
    #[case(f64::NEG_INFINITY, "-inf")]
    #[case(f64::NAN, "nan")]
    fn floats_print_like_python(#[case] value: f64, #[case] expected: &str) {
        assert_eq!(float_repr(value), expected);
    }

    #[rstest]
    #[case("abc", "'abc'")]
    #[case("it's", "\"it's\"")]
    #[case("a'b\"c", "'a\\'b\"c'")]
    #[case("tab\there", "'tab\\there'")]
    #[case("é", "'é'")]
    #[case("\u{7}", "'\\x07'")]
    #[case("\u{a0}", "'\\xa0'")]
    #[case("\u{200b}", "'\\u200b'")]
    fn strings_repr_like_python(#[case] value: &str, #[case] expected: &str) {
        assert_eq!(str_repr(value), expected);
    }

    #[test]
    fn containers_repr_like_python() {
        let mut dict = PyDict::new();
        dict.insert(PyValue::Str("a".into()), PyValue::Int(PyInt::small(1)))
            .unwrap();
        dict.insert(PyValue::Bool(true), PyValue::None).unwrap();
        let value = PyValue::List(vec![
            PyValue::Str("x".into()),
            PyValue::Dict(dict),
            PyValue::Float(2.0),
            PyValue::Tuple(vec![PyValue::Str("k".into()), PyValue::Bool(false)]),
        ]);
        assert_eq!(
            value.py_str().unwrap(),
            "['x', {'a': 1, True: None}, 2.0, ('k', False)]"
        );
        assert_eq!(PyValue::Set(vec![]).py_str().unwrap(), "set()");
        assert_eq!(
            PyValue::Bytes(b"a'\x00".to_vec()).py_str().unwrap(),
            "b\"a'\\x00\""
        );
    }

    #[test]
    fn dict_keys_compare_like_python() {
        let mut dict = PyDict::new();
        dict.insert(PyValue::Int(PyInt::small(1)), PyValue::Str("int".into()))
            .unwrap();
        dict.insert(PyValue::Bool(true), PyValue::Str("bool".into()))
            .unwrap();
        dict.insert(PyValue::Float(1.0), PyValue::Str("float".into()))
            .unwrap();
        dict.insert(PyValue::Str("1".into()), PyValue::Str("str".into()))
            .unwrap();
        assert_eq!(dict.entries().len(), 2);
        assert_eq!(dict.entries()[0].0.py_str().unwrap(), "1");
        assert_eq!(dict.entries()[0].1.py_str().unwrap(), "float");
        assert!(dict.insert(PyValue::List(vec![]), PyValue::None).is_err());
    }

    fn int(value: i64) -> PyValue {
        PyValue::Int(PyInt::small(value))
    }

    #[rstest]
    #[case(PyValue::Float(-0.0), int(0))]
    #[case(PyValue::Bool(false), PyValue::Float(0.0))]
    #[case(int(-3), PyValue::Float(-3.0))]
    #[case(PyValue::Float(1e300), PyValue::Int(PyInt::parse_decimal(&format!("{:.0}", 1e300)).unwrap()))]
    #[case(
        PyValue::Tuple(vec![int(1), PyValue::Str("a".into())]),
        PyValue::Tuple(vec![PyValue::Bool(true), PyValue::Str("a".into())])
    )]
    #[case(aware(12, 0, 0), aware(13, 0, 60))]
    fn equal_keys_of_any_type_are_one_entry(#[case] a: PyValue, #[case] b: PyValue) {
        let mut dict = PyDict::new();
        dict.insert(a, PyValue::Str("first".into())).unwrap();
        dict.insert(b, PyValue::Str("second".into())).unwrap();
        assert_eq!(dict.entries().len(), 1);
        assert_eq!(dict.entries()[0].1.py_str().unwrap(), "second");
    }

    #[rstest]
    #[case(int(1), int(-1))]
    #[case(PyValue::Float(0.5), int(0))]
    #[case(PyValue::Float(f64::NAN), PyValue::Float(f64::NAN))]
    #[case(PyValue::None, PyValue::Str("None".into()))]
    #[case(aware(12, 0, 0), naive(12, 0))]
    fn different_keys_stay_apart(#[case] a: PyValue, #[case] b: PyValue) {
        let mut dict = PyDict::new();
        dict.insert(a, PyValue::None).unwrap();
        dict.insert(b, PyValue::None).unwrap();
        assert_eq!(dict.entries().len(), 2);
    }

    #[test]
    fn many_integer_keys_keep_their_order_and_last_values() {
        let mut dict = PyDict::new();
        for round in 0..2 {
            for key in 0..20_000 {
                dict.insert(int(key), int(key * 10 + round)).unwrap();
            }
        }
        assert_eq!(dict.entries().len(), 20_000);
        assert_eq!(dict.entries()[7].1.py_str().unwrap(), "71");
    }

    #[test]
    fn an_integer_too_long_to_print_is_refused_without_printing_it() {
        let huge = PyInt::new(false, num_bigint::BigUint::from(1u8) << 200_000u32);
        assert_eq!(PyValue::Int(huge).py_str(), Err(PyError::IntTooLong));
        let nines = "9".repeat(INT_MAX_STR_DIGITS);
        assert_eq!(
            PyValue::Int(PyInt::parse_decimal(&nines).unwrap())
                .py_str()
                .unwrap(),
            nines
        );
    }

    fn aware(hour: u32, minute: u32, offset_minutes: i32) -> PyValue {
        moment(hour, minute, Some(offset_minutes))
    }

    fn naive(hour: u32, minute: u32) -> PyValue {
        moment(hour, minute, None)
    }

    fn moment(hour: u32, minute: u32, offset_minutes: Option<i32>) -> PyValue {
        PyValue::DateTime(DateTime {
            date: Date {
                year: 2024,
                month: 1,
                day: 2,
            },
            hour,
            minute,
            second: 0,
            microsecond: 0,
            offset_minutes,
        })
    }

    #[test]
    fn dates_print_like_python() {
        let date = Date {
            year: 2001,
            month: 12,
            day: 14,
        };
        let dt = DateTime {
            date,
            hour: 21,
            minute: 59,
            second: 43,
            microsecond: 100_000,
            offset_minutes: Some(-300),
        };
        assert_eq!(PyValue::Date(date).py_str().unwrap(), "2001-12-14");
        assert_eq!(
            PyValue::DateTime(dt).py_str().unwrap(),
            "2001-12-14 21:59:43.100000-05:00"
        );
        assert_eq!(
            PyValue::DateTime(dt).py_repr().unwrap(),
            "datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))"
        );
        let utc = DateTime {
            second: 0,
            microsecond: 0,
            offset_minutes: Some(0),
            ..dt
        };
        assert_eq!(
            PyValue::DateTime(utc).py_repr().unwrap(),
            "datetime.datetime(2001, 12, 14, 21, 59, tzinfo=datetime.timezone.utc)"
        );
    }

    #[rstest]
    #[case(PyValue::None, false)]
    #[case(PyValue::Int(PyInt::small(0)), false)]
    #[case(PyValue::Float(-0.0), false)]
    #[case(PyValue::Float(f64::NAN), true)]
    #[case(PyValue::Str("false".into()), true)]
    #[case(PyValue::Str(String::new()), false)]
    #[case(PyValue::List(vec![]), false)]
    fn truthiness_is_pythons(#[case] value: PyValue, #[case] expected: bool) {
        assert_eq!(value.truthy(), expected);
    }
}

#[cfg(test)]
mod properties {
    use super::float_repr;
    use proptest::prelude::*;

    proptest! {
        /// Python's repr round-trips, and uses scientific notation exactly outside 1e-4..1e16.
        #[test]
        fn float_repr_round_trips(f in proptest::num::f64::NORMAL | proptest::num::f64::ZERO) {
            let text = float_repr(f);
            prop_assert_eq!(text.parse::<f64>().ok(), Some(f));
            let scientific = f != 0.0 && (f.abs() >= 1e16 || f.abs() < 1e-4);
            prop_assert_eq!(text.contains('e'), scientific, "{}", text);
            prop_assert!(text.contains('.') || text.contains('e'), "{}", text);
        }
    }
}
