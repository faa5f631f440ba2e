//! Python objects as the library's values: a manifest mapping as the Python values
//! `yaml.safe_load` produces ([`PyValue`]), and a `NativeTransferCapability`'s fields as a
//! [`Declaration`].

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt as PyLong, PyList, PySet, PyString,
    PyTuple,
};

use crate::errors::{raise, ErrorClass};
use dpone_connector_sdk::model::native_transfer::Role;
use dpone_connector_sdk::verify::native::manifest::Declaration;
use dpone_connector_sdk::yaml::pyvalue::{Date, DateTime, PyDict as Dict, PyInt, PyValue};

/// The boolean fields of a native capability, in the order of its `to_dict()`.
pub const FLAG_FIELDS: &[&str] = &[
    "bounded",
    "staging_safe",
    "supports_checksum",
    "supports_cleanup",
    "supports_abort",
    "supports_idempotency_key",
];

/// How deep a manifest may nest: far beyond any real one, and a cycle
/// (`a = []; a.append(a)`) stops here instead of overflowing the stack.
const MAX_DEPTH: usize = 200;

/// A Python value as the library's [`PyValue`]. Values YAML cannot produce raise `TypeError`.
pub fn to_pyvalue(value: &Bound<'_, PyAny>) -> PyResult<PyValue> {
    convert(value, 0)
}

/// A mapping as the library's dict; anything else raises `TypeError`.
pub fn to_pydict(value: &Bound<'_, PyAny>) -> PyResult<Dict> {
    match to_pyvalue(value)? {
        PyValue::Dict(dict) => Ok(dict),
        other => Err(PyTypeError::new_err(format!(
            "expected a dict, not {}",
            other.type_name()
        ))),
    }
}

fn convert(value: &Bound<'_, PyAny>, depth: usize) -> PyResult<PyValue> {
    if depth > MAX_DEPTH {
        return Err(raise(
            ErrorClass::Certification,
            format!("the manifest nests deeper than {MAX_DEPTH} levels"),
        ));
    }
    let items = |iter: Bound<'_, pyo3::types::PyIterator>| -> PyResult<Vec<PyValue>> {
        iter.map(|item| convert(&item?, depth + 1)).collect()
    };
    if value.is_none() {
        return Ok(PyValue::None);
    }
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(PyValue::Bool(flag.is_true()));
    }
    if value.is_instance_of::<PyLong>() {
        if let Ok(small) = value.extract::<i64>() {
            return Ok(PyValue::Int(PyInt::small(small)));
        }
        let digits = value.str()?.to_string();
        return PyInt::parse_decimal(&digits)
            .map(PyValue::Int)
            .ok_or_else(|| {
                raise(
                    ErrorClass::Certification,
                    "an integer that prints as no integer",
                )
            });
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        return Ok(PyValue::Float(float.value()));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(PyValue::Str(text.to_str()?.to_owned()));
    }
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(PyValue::Bytes(bytes.as_bytes().to_vec()));
    }
    if let Ok(list) = value.cast::<PyList>() {
        return Ok(PyValue::List(items(list.try_iter()?)?));
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return Ok(PyValue::Tuple(items(tuple.try_iter()?)?));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut out = Dict::new();
        for (key, item) in dict.iter() {
            out.insert(convert(&key, depth + 1)?, convert(&item, depth + 1)?)
                .map_err(|e| PyTypeError::new_err(e.to_string()))?;
        }
        return Ok(PyValue::Dict(out));
    }
    if value.is_instance_of::<PySet>() || value.is_instance_of::<PyFrozenSet>() {
        return Ok(PyValue::Set(items(value.try_iter()?)?));
    }
    if let Some(moment) = date_or_datetime(value)? {
        return Ok(moment);
    }
    Err(PyTypeError::new_err(format!(
        "a certification manifest holds only what YAML loads (None, bool, int, float, str, bytes, date, datetime, list, tuple, dict, set), not {}",
        value.get_type().name()?
    )))
}

/// A `datetime.date` or `datetime.datetime` (read through attributes: the limited API has no
/// datetime structs).
fn date_or_datetime(value: &Bound<'_, PyAny>) -> PyResult<Option<PyValue>> {
    let py = value.py();
    let module = py.import("datetime")?;
    if !value.is_instance(&module.getattr("date")?)? {
        return Ok(None);
    }
    let field = |name: &str| -> PyResult<u32> { value.getattr(name)?.extract() };
    let date = Date {
        year: field("year")?,
        month: field("month")?,
        day: field("day")?,
    };
    if !value.is_instance(&module.getattr("datetime")?)? {
        return Ok(Some(PyValue::Date(date)));
    }
    let offset = value.call_method0("utcoffset")?;
    let offset_minutes = if offset.is_none() {
        None
    } else {
        let seconds: f64 = offset.call_method0("total_seconds")?.extract()?;
        Some((seconds / 60.0).round() as i32)
    };
    Ok(Some(PyValue::DateTime(DateTime {
        date,
        hour: field("hour")?,
        minute: field("minute")?,
        second: field("second")?,
        microsecond: field("microsecond")?,
        offset_minutes,
    })))
}

/// A `NativeTransferCapability`'s fields (its `to_dict()`) as a declaration.
pub fn declaration(fields: &Bound<'_, PyDict>) -> PyResult<Declaration> {
    let text = |key: &str| -> PyResult<String> {
        match fields.get_item(key)? {
            Some(value) => value.extract(),
            None => Err(raise(
                ErrorClass::Certification,
                format!("missing field {key:?}"),
            )),
        }
    };
    let name = text("name")?;
    // A format that is not a string can never equal a codec name; it is left out.
    let formats: Vec<String> = match fields.get_item("formats")? {
        Some(formats) => formats
            .try_iter()?
            .filter_map(|item| item.ok()?.extract::<String>().ok())
            .collect(),
        None => Vec::new(),
    };
    let mut flags = Vec::with_capacity(FLAG_FIELDS.len());
    for flag in FLAG_FIELDS {
        let set = match fields.get_item(flag)? {
            Some(value) => value.is_truthy()?,
            None => false,
        };
        if set {
            flags.push(*flag);
        }
    }
    let mut declaration = Declaration::with_flags(&name, formats, |f| flags.contains(&f));
    declaration.transport = text("transport")?;
    declaration.role = if text("role")? == Role::StagingLoad.as_str() {
        Role::StagingLoad
    } else {
        Role::Export
    };
    Ok(declaration)
}
