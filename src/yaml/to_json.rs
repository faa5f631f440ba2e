//! A `yaml.safe_load` value as JSON, for readers that want plain data: the YAML 1.1 reading
//! (`yes` is `true`, `010` is 8) with JSON's shapes. Dates and timestamps become their
//! `str()`, lists, tuples and sets become arrays, and a mapping key that is not a string
//! becomes its `str()` (`1`, `True`), so it can never match a string key of another spelling.

use num_traits::ToPrimitive;
use serde_json::{Map, Number, Value};

use super::error::YamlError;
use super::pyvalue::{float_repr, PyInt, PyValue};
use super::safe_load::safe_load;

/// Parses `text` like `yaml.safe_load` and returns the value as JSON; `Err` is a one-line
/// reason. Linear in the input (nesting is capped by the parser).
pub fn load_json(text: &str) -> Result<Value, YamlError> {
    safe_load(text).map(|value| to_json(&value))
}

/// `value` as JSON.
pub fn to_json(value: &PyValue) -> Value {
    match value {
        PyValue::None => Value::Null,
        PyValue::Bool(flag) => Value::Bool(*flag),
        PyValue::Int(int) => int_json(int),
        PyValue::Float(float) => Number::from_f64(*float)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(float_repr(*float))),
        PyValue::Str(text) => Value::String(text.clone()),
        PyValue::Bytes(bytes) => Value::String(String::from_utf8_lossy(bytes).into_owned()),
        PyValue::Date(_) | PyValue::DateTime(_) => Value::String(key_text(value)),
        PyValue::List(items) | PyValue::Tuple(items) | PyValue::Set(items) => {
            Value::Array(items.iter().map(to_json).collect())
        }
        PyValue::Dict(dict) => {
            let mut map = Map::with_capacity(dict.entries().len());
            for (key, value) in dict.entries() {
                map.insert(key_text(key), to_json(value));
            }
            Value::Object(map)
        }
    }
}

/// A JSON number when the integer fits 64 bits; its size otherwise (printing an
/// 800,000-digit integer in decimal is not linear, and no reader of these values needs it).
fn int_json(int: &PyInt) -> Value {
    let fits = if int.negative {
        int.magnitude
            .to_i128()
            .and_then(|m| i64::try_from(-m).ok())
            .map(Number::from)
    } else {
        int.magnitude.to_u64().map(Number::from)
    };
    fits.map(Value::Number)
        .unwrap_or_else(|| Value::String(format!("<an integer of {} bits>", int.magnitude.bits())))
}

/// A mapping key as text: a string as itself, anything else as Python's `str()`.
fn key_text(key: &PyValue) -> String {
    match key {
        PyValue::Str(text) => text.clone(),
        PyValue::Int(int) => match int_json(int) {
            Value::Number(number) => number.to_string(),
            other => other.as_str().unwrap_or_default().to_owned(),
        },
        other => other
            .py_str()
            .unwrap_or_else(|_| other.type_name().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_yaml_1_1_then_shaped_as_json() {
        let value = load_json(
            "a: yes\nb: 'yes'\nc: 010\nd: 0x1f\ne: ~\nf: 1.5\ng: [x, 2]\nh: 2024-01-02\n1: one\n? [1]\n: no\n",
        );
        // An unhashable key is refused, as PyYAML refuses it. `yes` (True) is the key `1`,
        // as in Python.
        assert!(value.is_err(), "{value:?}");
        let value = load_json(
            "a: yes\nb: 'yes'\nc: 010\nd: 0x1f\ne: ~\nf: 1.5\ng: [x, 2]\nh: 2024-01-02\n1: one\nno: f\nyes: t\n.nan: n\n",
        )
        .unwrap();
        assert_eq!(
            value.to_string(),
            r#"{"a":true,"b":"yes","c":8,"d":31,"e":null,"f":1.5,"g":["x",2],"h":"2024-01-02","1":"t","False":"f","nan":"n"}"#
        );
    }

    #[test]
    fn integers_beyond_64_bits_are_named_by_size() {
        assert_eq!(
            load_json("- 18446744073709551616\n- -9223372036854775808\n")
                .unwrap()
                .to_string(),
            r#"["<an integer of 65 bits>",-9223372036854775808]"#
        );
    }
}
