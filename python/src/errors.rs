//! The library's errors as the exception classes of `dpone_connectors.errors`.
//!
//! The classes are defined in Python (documented, typed, and subclasses of the built-in
//! exceptions a caller of the reference already catches: `ValueError`, `OSError`); this file
//! only picks the class for each library error.

use std::fmt::Display;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyType;

use dpone_connector_sdk::model::error::{CertifyError, EvolveError, ScaffoldError, UpdateError};

/// An exception class of `dpone_connectors.errors`.
#[derive(Debug, Clone, Copy)]
pub enum ErrorClass {
    /// `DponeConnectorsError`: anything without a more precise class.
    Base,
    /// `RequestError` (a `ValueError`): a name, type or capability that cannot be used.
    Request,
    /// `WriteError` (an `OSError`): the file system refused a write; nothing partial is left.
    Write,
    /// `PackageError` (a `ValueError`): a directory that is not a readable connector package.
    Package,
    /// `CertificationError` (a `ValueError`): a manifest or evidence that cannot be scored.
    Certification,
    /// `SpecError` (a `ValueError`): batch entries that cannot be read at all.
    Spec,
    /// `RegistryError` (a `RuntimeError`): the capability registry is broken.
    Registry,
    /// `PackError` (a `ValueError`): a capability pack was refused.
    Pack,
}

impl ErrorClass {
    fn name(self) -> &'static str {
        match self {
            ErrorClass::Base => "DponeConnectorsError",
            ErrorClass::Request => "RequestError",
            ErrorClass::Write => "WriteError",
            ErrorClass::Package => "PackageError",
            ErrorClass::Certification => "CertificationError",
            ErrorClass::Spec => "SpecError",
            ErrorClass::Registry => "RegistryError",
            ErrorClass::Pack => "PackError",
        }
    }
}

/// The Python exception of `class` with `message`.
pub fn raise(class: ErrorClass, message: impl Display) -> PyErr {
    let message = message.to_string();
    Python::attach(|py| {
        let class = py
            .import("dpone_connectors.errors")
            .and_then(|module| module.getattr(class.name()))
            .ok()
            .and_then(|class| class.cast_into::<PyType>().ok());
        match class {
            Some(class) => PyErr::from_type(class, message),
            // Only when the Python package is incomplete; still one clear error.
            None => PyRuntimeError::new_err(message),
        }
    })
}

/// A scaffold error other than conflicts.
pub fn scaffold_error(err: ScaffoldError) -> PyErr {
    match err {
        ScaffoldError::Request(e) => raise(ErrorClass::Request, e),
        ScaffoldError::Write(e) => raise(ErrorClass::Write, e),
        other => raise(ErrorClass::Base, other),
    }
}

/// An `add-capability` error.
pub fn evolve_error(err: EvolveError) -> PyErr {
    match err {
        EvolveError::Request(e) => raise(ErrorClass::Request, e),
        EvolveError::Write(e) => raise(ErrorClass::Write, e),
        EvolveError::Package(e) => raise(ErrorClass::Package, e),
    }
}

/// An `update` error: an unreadable package is a `PackageError`, a declaration this version
/// cannot generate a `RequestError`; a version it does not know, or a missing dpone 0.88.0
/// for adopting a package, is a `PackageError` too (the package cannot be updated here).
pub fn update_error(err: UpdateError) -> PyErr {
    match err {
        UpdateError::Request(e) => raise(ErrorClass::Request, e),
        UpdateError::Write(e) => raise(ErrorClass::Write, e),
        other => raise(ErrorClass::Package, other),
    }
}

/// A native-transfer certification error.
pub fn certify_error(err: CertifyError) -> PyErr {
    match err {
        CertifyError::Registry(e) => raise(ErrorClass::Registry, e),
        CertifyError::Publish(e) => raise(ErrorClass::Write, e),
        other => raise(ErrorClass::Certification, other),
    }
}
