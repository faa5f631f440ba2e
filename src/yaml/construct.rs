//! Scalars the way PyYAML's `SafeLoader` reads them: YAML 1.1 implicit resolution (`yes`,
//! `on`, `0o17` is a string, `010` is octal, `1_000`, `1:30`, `2024-01-01`...) and the
//! `SafeConstructor` for each tag.
//!
//! YAML 1.2 parsers disagree with PyYAML on exactly the values a hand-edited manifest tends to
//! hold (`bounded: yes`, `bounded: no`, `connector: 1e5`), and those change the report, so this
//! module follows PyYAML's regular expressions and constructors rather than the parser's own.

use super::error::YamlError;
use super::pyvalue::{Date, DateTime, PyInt, PyValue, INT_MAX_STR_DIGITS};
use super::resolver::{implicit_tag, parse_timestamp};
use num_bigint::BigUint;
use num_traits::Zero;

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
pub fn construct(text: &str, tag: ScalarTag<'_>) -> Result<Scalar, YamlError> {
    let name = match tag {
        ScalarTag::Text => "str",
        ScalarTag::Implicit => implicit_tag(text),
        ScalarTag::Explicit(full) => match full.strip_prefix(CORE) {
            Some(name) => name,
            None => {
                return Err(YamlError::Scalar(format!(
                    "could not determine a constructor for the tag {full:?}"
                )))
            }
        },
    };
    let value = match name {
        "str" => PyValue::Str(text.to_owned()),
        "null" => PyValue::None,
        "bool" => match text.to_lowercase().as_str() {
            "yes" | "true" | "on" => PyValue::Bool(true),
            "no" | "false" | "off" => PyValue::Bool(false),
            _ => return Err(YamlError::Scalar(format!("{text:?} is not a boolean"))),
        },
        "int" => PyValue::Int(construct_int(text)?),
        "float" => PyValue::Float(construct_float(text)?),
        "timestamp" => construct_timestamp(text)?,
        "binary" => PyValue::Bytes(decode_base64(text)?),
        "merge" => return Ok(Scalar::Merge),
        "value" => return Ok(Scalar::ValueKey),
        other => {
            return Err(YamlError::Scalar(format!(
                "could not determine a constructor for the tag '{CORE}{other}' on a scalar"
            )))
        }
    };
    Ok(Scalar::Value(value))
}

fn construct_timestamp(text: &str) -> Result<PyValue, YamlError> {
    let parts = parse_timestamp(text)
        .ok_or_else(|| YamlError::Scalar(format!("{text:?} is not a timestamp")))?;
    let date = valid_date(parts.year, parts.month, parts.day)
        .ok_or_else(|| YamlError::Scalar(format!("{text:?} is not a valid date")))?;
    let Some((hour, minute, second, microsecond, offset)) = parts.time else {
        return Ok(PyValue::Date(date));
    };
    if hour > 23 || minute > 59 || second > 59 {
        return Err(YamlError::Scalar(format!("{text:?} is not a valid time")));
    }
    if offset.is_some_and(|o| o.abs() >= 24 * 60) {
        return Err(YamlError::Scalar(format!(
            "{text:?} has a UTC offset of a day or more"
        )));
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
fn construct_int(text: &str) -> Result<PyInt, YamlError> {
    let invalid = || YamlError::Scalar(format!("invalid literal for int(): {text:?}"));
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
            total = total * 60u32 + part.magnitude;
        }
        PyInt::new(false, total)
    } else {
        python_int(value, 10)?
    };
    Ok(PyInt::new(negative != parsed.negative, parsed.magnitude))
}

/// Python's `int(text, base)` after PyYAML removed every `_`: surrounding whitespace, a sign
/// and the base's own prefix (`0o17` in base 8) are accepted.
fn python_int(text: &str, base: u32) -> Result<PyInt, YamlError> {
    let invalid = || {
        YamlError::Scalar(format!(
            "invalid literal for int() with base {base}: {text:?}"
        ))
    };
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
        return Err(YamlError::Scalar(format!(
            "an integer literal has more than {INT_MAX_STR_DIGITS} digits"
        )));
    }
    // Checked here rather than by the parser, which would also take a second sign or `_`.
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(base)) {
        return Err(invalid());
    }
    BigUint::parse_bytes(digits.as_bytes(), base)
        .map(|m| PyInt::new(negative, m))
        .ok_or_else(invalid)
}

/// PyYAML's `construct_yaml_float`.
fn construct_float(text: &str) -> Result<f64, YamlError> {
    let invalid = || YamlError::Scalar(format!("could not convert string to float: {text:?}"));
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
fn decode_base64(text: &str) -> Result<Vec<u8>, YamlError> {
    if !text.is_ascii() {
        return Err(YamlError::Scalar(
            "binary data must be ASCII base64".to_owned(),
        ));
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
        1 => Err(YamlError::Scalar(format!(
            "invalid base64: {data_chars} data characters cannot be 1 more than a multiple of 4"
        ))),
        _ => Err(YamlError::Scalar(
            "invalid base64: incorrect padding".to_owned(),
        )),
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
