//! Scalars the way PyYAML's `SafeLoader` reads them: YAML 1.1 implicit resolution (`yes`,
//! `on`, `0o17` is a string, `010` is octal, `1_000`, `1:30`, `2024-01-01`...) and the
//! `SafeConstructor` for each tag.
//!
//! YAML 1.2 parsers disagree with PyYAML on exactly the values a hand-edited manifest tends to
//! hold (`bounded: yes`, `bounded: no`, `connector: 1e5`), and those change the report, so this
//! module follows PyYAML's regular expressions and constructors rather than the parser's own.

use super::bigint::BigUint;
use super::pyvalue::{Date, DateTime, PyInt, PyValue, INT_MAX_STR_DIGITS};

/// The YAML core tag prefix (`!!`).
pub const CORE: &str = "tag:yaml.org,2002:";

/// How a scalar was tagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarTag<'a> {
    /// A plain scalar without a tag, or the non-specific `!` tag: resolved by its text.
    Implicit,
    /// A quoted or block scalar without a tag: always a string.
    Text,
    /// An explicit tag, in full (`tag:yaml.org,2002:int`).
    Explicit(&'a str),
}

/// What a scalar node constructs.
#[derive(Debug, Clone)]
pub enum Scalar {
    /// An ordinary value.
    Value(PyValue),
    /// `<<`: the merge key (only meaningful as a mapping key).
    Merge,
    /// `=`: the "value" key (a string when used as a key, an error elsewhere).
    ValueKey,
}

/// Resolves and constructs one scalar; `Err` carries PyYAML's reason.
pub fn construct(text: &str, tag: ScalarTag<'_>) -> Result<Scalar, String> {
    let name = match tag {
        ScalarTag::Text => "str",
        ScalarTag::Implicit => implicit_tag(text),
        ScalarTag::Explicit(full) => match full.strip_prefix(CORE) {
            Some(name) => name,
            None => {
                return Err(format!(
                    "could not determine a constructor for the tag {full:?}"
                ))
            }
        },
    };
    let value = match name {
        "str" => PyValue::Str(text.to_owned()),
        "null" => PyValue::None,
        "bool" => match text.to_lowercase().as_str() {
            "yes" | "true" | "on" => PyValue::Bool(true),
            "no" | "false" | "off" => PyValue::Bool(false),
            _ => return Err(format!("{text:?} is not a boolean")),
        },
        "int" => PyValue::Int(construct_int(text)?),
        "float" => PyValue::Float(construct_float(text)?),
        "timestamp" => construct_timestamp(text)?,
        "binary" => PyValue::Bytes(decode_base64(text)?),
        "merge" => return Ok(Scalar::Merge),
        "value" => return Ok(Scalar::ValueKey),
        other => {
            return Err(format!(
                "could not determine a constructor for the tag '{CORE}{other}' on a scalar"
            ))
        }
    };
    Ok(Scalar::Value(value))
}

/// PyYAML's implicit resolvers, in registration order.
fn implicit_tag(text: &str) -> &'static str {
    if is_bool(text) {
        "bool"
    } else if is_float(text) {
        "float"
    } else if is_int(text) {
        "int"
    } else if text == "<<" {
        "merge"
    } else if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        "null"
    } else if is_timestamp(text) {
        "timestamp"
    } else if text == "=" {
        "value"
    } else {
        "str"
    }
}

fn is_bool(text: &str) -> bool {
    matches!(
        text,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// A cursor over ASCII text for hand-written versions of PyYAML's resolver patterns.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, pred: impl Fn(u8) -> bool) -> bool {
        match self.peek() {
            Some(b) if pred(b) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn eat_byte(&mut self, byte: u8) -> bool {
        self.eat(|b| b == byte)
    }

    /// Eats as many as match; returns how many.
    fn eat_many(&mut self, pred: impl Fn(u8) -> bool) -> usize {
        let start = self.pos;
        while self.eat(&pred) {}
        self.pos - start
    }

    fn eat_sign(&mut self) {
        self.eat(|b| b == b'-' || b == b'+');
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }

    /// `[eE][-+][0-9]+`, optional.
    fn eat_exponent(&mut self) -> bool {
        let save = self.pos;
        if self.eat(|b| b == b'e' || b == b'E')
            && self.eat(|b| b == b'-' || b == b'+')
            && self.eat_many(|b| b.is_ascii_digit()) > 0
        {
            return true;
        }
        self.pos = save;
        false
    }

    /// `(:[0-5]?[0-9])+`; at least one group.
    fn eat_sexagesimal_groups(&mut self) -> bool {
        let mut groups = 0;
        loop {
            let save = self.pos;
            if !self.eat_byte(b':') {
                break;
            }
            let first = self.peek();
            let second = self.bytes.get(self.pos + 1).copied();
            match (first, second) {
                (Some(a @ b'0'..=b'5'), Some(b)) if b.is_ascii_digit() => {
                    let _ = a;
                    self.pos += 2;
                }
                (Some(a), _) if a.is_ascii_digit() => self.pos += 1,
                _ => {
                    self.pos = save;
                    break;
                }
            }
            groups += 1;
        }
        groups > 0
    }
}

fn digit_or_underscore(b: u8) -> bool {
    b.is_ascii_digit() || b == b'_'
}

fn is_float(text: &str) -> bool {
    let alternatives: [fn(&mut Cursor) -> bool; 5] = [
        // [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?
        |c| {
            c.eat_sign();
            c.eat(|b| b.is_ascii_digit())
                && {
                    c.eat_many(digit_or_underscore);
                    c.eat_byte(b'.')
                }
                && {
                    c.eat_many(digit_or_underscore);
                    c.eat_exponent();
                    true
                }
        },
        // \.[0-9][0-9_]*([eE][-+][0-9]+)?
        |c| {
            c.eat_byte(b'.') && c.eat(|b| b.is_ascii_digit()) && {
                c.eat_many(digit_or_underscore);
                c.eat_exponent();
                true
            }
        },
        // [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
        |c| {
            c.eat_sign();
            c.eat(|b| b.is_ascii_digit())
                && {
                    c.eat_many(digit_or_underscore);
                    c.eat_sexagesimal_groups()
                }
                && c.eat_byte(b'.')
                && {
                    c.eat_many(digit_or_underscore);
                    true
                }
        },
        // [-+]?\.(inf|Inf|INF)
        |c| {
            c.eat_sign();
            let rest = &c.bytes[c.pos..];
            let ok = matches!(rest, b".inf" | b".Inf" | b".INF");
            c.pos = c.bytes.len();
            ok
        },
        // \.(nan|NaN|NAN)
        |c| {
            let ok = matches!(c.bytes, b".nan" | b".NaN" | b".NAN");
            c.pos = c.bytes.len();
            ok
        },
    ];
    full_match(text, &alternatives)
}

fn is_int(text: &str) -> bool {
    let alternatives: [fn(&mut Cursor) -> bool; 5] = [
        // [-+]?0b[0-1_]+
        |c| {
            c.eat_sign();
            c.eat_byte(b'0')
                && c.eat_byte(b'b')
                && c.eat_many(|b| b == b'0' || b == b'1' || b == b'_') > 0
        },
        // [-+]?0[0-7_]+
        |c| {
            c.eat_sign();
            c.eat_byte(b'0') && c.eat_many(|b| (b'0'..=b'7').contains(&b) || b == b'_') > 0
        },
        // [-+]?(0|[1-9][0-9_]*)
        |c| {
            c.eat_sign();
            c.eat_byte(b'0')
                || (c.eat(|b| (b'1'..=b'9').contains(&b)) && {
                    c.eat_many(digit_or_underscore);
                    true
                })
        },
        // [-+]?0x[0-9a-fA-F_]+
        |c| {
            c.eat_sign();
            c.eat_byte(b'0')
                && c.eat_byte(b'x')
                && c.eat_many(|b| b.is_ascii_hexdigit() || b == b'_') > 0
        },
        // [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+
        |c| {
            c.eat_sign();
            c.eat(|b| (b'1'..=b'9').contains(&b)) && {
                c.eat_many(digit_or_underscore);
                c.eat_sexagesimal_groups()
            }
        },
    ];
    full_match(text, &alternatives)
}

/// Whether any alternative consumes the whole text. The alternatives are greedy without
/// backtracking, which is exact for these patterns: each repeated class stops at a byte the
/// next element cannot start with.
fn full_match(text: &str, alternatives: &[fn(&mut Cursor) -> bool]) -> bool {
    alternatives.iter().any(|alt| {
        let mut c = Cursor::new(text);
        alt(&mut c) && c.done()
    })
}

/// The parts of a timestamp that PyYAML's constructor reads.
struct TimestampParts {
    year: u32,
    month: u32,
    day: u32,
    time: Option<(u32, u32, u32, u32, Option<i32>)>,
}

fn digits(c: &mut Cursor, min: usize, max: usize) -> Option<u32> {
    let start = c.pos;
    while c.pos - start < max && c.eat(|b| b.is_ascii_digit()) {}
    let n = c.pos - start;
    if n < min {
        return None;
    }
    std::str::from_utf8(&c.bytes[start..c.pos])
        .ok()?
        .parse()
        .ok()
}

/// PyYAML's timestamp resolver, returning the constructor's fields. The resolver accepts a
/// date alone only as `YYYY-MM-DD`; with a time, one-digit months and days are allowed.
fn parse_timestamp(text: &str) -> Option<TimestampParts> {
    let mut c = Cursor::new(text);
    let year = digits(&mut c, 4, 4)?;
    if !c.eat_byte(b'-') {
        return None;
    }
    let month = digits(&mut c, 1, 2)?;
    if !c.eat_byte(b'-') {
        return None;
    }
    let day = digits(&mut c, 1, 2)?;
    if c.done() {
        // The date-only form needs two digits each.
        return (text.len() == 10).then_some(TimestampParts {
            year,
            month,
            day,
            time: None,
        });
    }
    if !(c.eat(|b| b == b'T' || b == b't') || c.eat_many(|b| b == b' ' || b == b'\t') > 0) {
        return None;
    }
    let hour = digits(&mut c, 1, 2)?;
    let minute = (c.eat_byte(b':')).then(|| digits(&mut c, 2, 2)).flatten()?;
    let second = (c.eat_byte(b':')).then(|| digits(&mut c, 2, 2)).flatten()?;
    let mut micro = 0;
    if c.eat_byte(b'.') {
        let start = c.pos;
        c.eat_many(|b| b.is_ascii_digit());
        let frac = std::str::from_utf8(&c.bytes[start..c.pos]).ok()?;
        if !frac.is_empty() {
            let mut six: String = frac.chars().take(6).collect();
            while six.len() < 6 {
                six.push('0');
            }
            micro = six.parse().ok()?;
        }
    }
    let save = c.pos;
    c.eat_many(|b| b == b' ' || b == b'\t');
    let offset = if c.eat_byte(b'Z') {
        Some(0)
    } else if let Some(sign @ (b'-' | b'+')) = c.peek() {
        c.pos += 1;
        let h = digits(&mut c, 1, 2)? as i32;
        let m = if c.eat_byte(b':') {
            digits(&mut c, 2, 2)? as i32
        } else {
            0
        };
        let total = h * 60 + m;
        Some(if sign == b'-' { -total } else { total })
    } else {
        c.pos = save;
        None
    };
    c.done().then_some(TimestampParts {
        year,
        month,
        day,
        time: Some((hour, minute, second, micro, offset)),
    })
}

fn is_timestamp(text: &str) -> bool {
    parse_timestamp(text).is_some()
}

fn construct_timestamp(text: &str) -> Result<PyValue, String> {
    let parts = parse_timestamp(text).ok_or_else(|| format!("{text:?} is not a timestamp"))?;
    let date = valid_date(parts.year, parts.month, parts.day)
        .ok_or_else(|| format!("{text:?} is not a valid date"))?;
    let Some((hour, minute, second, microsecond, offset)) = parts.time else {
        return Ok(PyValue::Date(date));
    };
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!("{text:?} is not a valid time"));
    }
    if offset.is_some_and(|o| o.abs() >= 24 * 60) {
        return Err(format!("{text:?} has a UTC offset of a day or more"));
    }
    Ok(PyValue::DateTime(DateTime {
        date,
        hour,
        minute,
        second,
        microsecond,
        offset_minutes: offset,
    }))
}

fn valid_date(year: u32, month: u32, day: u32) -> Option<Date> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (year >= 1 && day >= 1 && day <= days).then_some(Date { year, month, day })
}

/// PyYAML's `construct_yaml_int`: strip `_`, take the sign, then pick the base by prefix and
/// hand the rest to Python's `int()`.
fn construct_int(text: &str) -> Result<PyInt, String> {
    let invalid = || format!("invalid literal for int(): {text:?}");
    let value: String = text.chars().filter(|&c| c != '_').collect();
    let (negative, value) = match value.as_bytes().first() {
        Some(b'-') => (true, &value[1..]),
        Some(b'+') => (false, &value[1..]),
        Some(_) => (false, value.as_str()),
        None => return Err(invalid()),
    };
    if value == "0" {
        return Ok(PyInt::small(0));
    }
    let parsed = if let Some(bin) = value.strip_prefix("0b") {
        python_int(bin, 2)?
    } else if let Some(hex) = value.strip_prefix("0x") {
        python_int(hex, 16)?
    } else if value.starts_with('0') {
        python_int(value, 8)?
    } else if value.contains(':') {
        let mut total = BigUint::zero();
        for part in value.split(':') {
            let part = python_int(part, 10)?;
            if part.negative {
                // `int("-5")` inside a sexagesimal number: too odd to model; refuse it.
                return Err(invalid());
            }
            total.mul_add(60, 0);
            total.add(&part.magnitude);
        }
        PyInt::new(false, total)
    } else {
        python_int(value, 10)?
    };
    Ok(PyInt::new(negative != parsed.negative, parsed.magnitude))
}

/// Python's `int(text, base)` after PyYAML removed every `_`: surrounding whitespace, a sign
/// and the base's own prefix (`0o17` in base 8) are accepted.
fn python_int(text: &str, base: u32) -> Result<PyInt, String> {
    let invalid = || format!("invalid literal for int() with base {base}: {text:?}");
    let trimmed = text.trim();
    let (negative, digits) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let prefix = match base {
        2 => Some(["0b", "0B"]),
        8 => Some(["0o", "0O"]),
        16 => Some(["0x", "0X"]),
        _ => None,
    };
    let digits = prefix
        .and_then(|p| p.iter().find_map(|p| digits.strip_prefix(p)))
        .unwrap_or(digits);
    if base == 10 && digits.len() > INT_MAX_STR_DIGITS {
        return Err(format!(
            "an integer literal has more than {INT_MAX_STR_DIGITS} digits"
        ));
    }
    BigUint::parse(digits, base)
        .map(|m| PyInt::new(negative, m))
        .ok_or_else(invalid)
}

/// PyYAML's `construct_yaml_float`.
fn construct_float(text: &str) -> Result<f64, String> {
    let invalid = || format!("could not convert string to float: {text:?}");
    let value: String = text
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_lowercase();
    let (sign, value) = match value.as_bytes().first() {
        Some(b'-') => (-1.0, &value[1..]),
        Some(b'+') => (1.0, &value[1..]),
        Some(_) => (1.0, value.as_str()),
        None => return Err(invalid()),
    };
    if value == ".inf" {
        return Ok(sign * f64::INFINITY);
    }
    if value == ".nan" {
        return Ok(f64::NAN);
    }
    if value.contains(':') {
        let mut total = 0.0;
        let mut base = 1.0;
        for part in value.split(':').rev() {
            total += python_float(part).ok_or_else(invalid)? * base;
            base *= 60.0;
        }
        return Ok(sign * total);
    }
    python_float(value).map(|f| sign * f).ok_or_else(invalid)
}

/// Python's `float(str)` for the decimal forms PyYAML hands it (`1.`, `.5`, `1.e+5`).
fn python_float(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    // Rust rejects a bare `.` before an exponent that Python accepts: `1.e5` is `1.0e5`.
    let normalized = trimmed.replacen(".e", ".0e", 1);
    normalized.parse().ok()
}

/// `base64.decodebytes` (CPython's non-strict `a2b_base64`): characters outside the alphabet
/// are skipped, enough `=` after two or more data characters ends the data, and a partial
/// final group is an error.
fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    if !text.is_ascii() {
        return Err("binary data must be ASCII base64".to_owned());
    }
    let mut out = Vec::new();
    let (mut quad_pos, mut left, mut pads, mut data_chars) = (0u8, 0u8, 0u8, 0usize);
    for c in text.bytes() {
        if c == b'=' {
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos + pads >= 4 {
                    return Ok(out);
                }
            }
            continue;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        pads = 0;
        data_chars += 1;
        match quad_pos {
            0 => {
                left = v;
                quad_pos = 1;
            }
            1 => {
                out.push((left << 2) | (v >> 4));
                left = v & 0x0f;
                quad_pos = 2;
            }
            2 => {
                out.push((left << 4) | (v >> 2));
                left = v & 0x03;
                quad_pos = 3;
            }
            _ => {
                out.push((left << 6) | v);
                quad_pos = 0;
            }
        }
    }
    match quad_pos {
        0 => Ok(out),
        1 => Err(format!(
            "invalid base64: {data_chars} data characters cannot be 1 more than a multiple of 4"
        )),
        _ => Err("invalid base64: incorrect padding".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn implicit(text: &str) -> String {
        match construct(text, ScalarTag::Implicit) {
            Ok(Scalar::Value(v)) => {
                format!("{}:{}", v.type_name(), v.py_repr().unwrap_or_default())
            }
            Ok(Scalar::Merge) => "merge".to_owned(),
            Ok(Scalar::ValueKey) => "value".to_owned(),
            Err(_) => "error".to_owned(),
        }
    }

    #[rstest]
    #[case("yes", "boolean:True")]
    #[case("Off", "boolean:False")]
    #[case("y", "string:'y'")]
    #[case("~", "null:None")]
    #[case("", "null:None")]
    #[case("010", "integer:8")]
    #[case("0o17", "string:'0o17'")]
    #[case("0x1F", "integer:31")]
    #[case("0b101", "integer:5")]
    #[case("1_000", "integer:1000")]
    #[case("-0", "integer:0")]
    #[case("1:30", "integer:90")]
    #[case("190:20:30", "integer:685230")]
    #[case("0x_", "error")]
    #[case("1e5", "string:'1e5'")]
    #[case("1.0e+5", "float:100000.0")]
    #[case("1.e+5", "float:100000.0")]
    #[case("1.", "float:1.0")]
    #[case(".5", "float:0.5")]
    #[case("-.inf", "float:-inf")]
    #[case(".NaN", "float:nan")]
    #[case("1:30.5", "float:90.5")]
    #[case("2024-01-31", "date:datetime.date(2024, 1, 31)")]
    #[case("2024-02-30", "error")]
    #[case("2024-1-5", "string:'2024-1-5'")]
    #[case("2024-1-5 1:02:03", "timestamp:datetime.datetime(2024, 1, 5, 1, 2, 3)")]
    #[case("2001-12-14t21:59:43.10-05:00", "timestamp:datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))")]
    #[case("<<", "merge")]
    #[case("=", "value")]
    #[case("stream_export", "string:'stream_export'")]
    fn plain_scalars_resolve_like_pyyaml(#[case] text: &str, #[case] expected: &str) {
        assert_eq!(implicit(text), expected);
    }

    #[test]
    fn quoted_scalars_stay_strings() {
        assert!(matches!(
            construct("yes", ScalarTag::Text),
            Ok(Scalar::Value(PyValue::Str(s))) if s == "yes"
        ));
    }

    #[test]
    fn explicit_tags_construct_or_fail() {
        let int = construct("12", ScalarTag::Explicit("tag:yaml.org,2002:int"));
        assert!(matches!(int, Ok(Scalar::Value(PyValue::Int(_)))));
        assert!(construct("maybe", ScalarTag::Explicit("tag:yaml.org,2002:bool")).is_err());
        assert!(construct("x", ScalarTag::Explicit("!local")).is_err());
        let binary = |text| construct(text, ScalarTag::Explicit("tag:yaml.org,2002:binary"));
        assert!(
            matches!(binary("aGVs\nbG8="), Ok(Scalar::Value(PyValue::Bytes(b))) if b == b"hello")
        );
        assert!(matches!(binary("aGk=junk"), Ok(Scalar::Value(PyValue::Bytes(b))) if b == b"hi"));
        assert!(binary("not base64!").is_err());
        assert!(binary("aGVsbG8").is_err());
        let int = |text| match construct(text, ScalarTag::Explicit("tag:yaml.org,2002:int")) {
            Ok(Scalar::Value(v)) => v.py_repr().ok(),
            _ => None,
        };
        assert_eq!(int("0o17").as_deref(), Some("15"));
        assert_eq!(int(" 12 ").as_deref(), Some("12"));
        assert_eq!(int("-0x_ff").as_deref(), Some("-255"));
        assert_eq!(int("09"), None);
    }
}
