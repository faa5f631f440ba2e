//! `dpone_connectors._native`: the Rust core of `dpone-connector-sdk`, callable from Python.
//!
//! This crate holds no logic of its own. Each function takes plain Python values, calls the
//! library, and hands the result back as JSON text that the `dpone_connectors` package turns
//! into its dataclasses (one conversion path, the same JSON the CLI prints). Errors are
//! raised as the exception classes of `dpone_connectors.errors`. Every call that touches the
//! file system releases the GIL, so Python threads scaffold and certify in parallel.

mod convert;
mod errors;

use std::ffi::OsString;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;

use dpone_connector_sdk::contract::certification_manifest::certification_template;
use dpone_connector_sdk::model::catalog::describe;
use dpone_connector_sdk::model::error::{BatchError, EvidenceError, ListError, ScaffoldError};
use dpone_connector_sdk::model::listing::{Listing, PackageListing};
use dpone_connector_sdk::model::package::{PackageDetails, ScaffoldRequest};
use dpone_connector_sdk::model::registry::{with_registry, Registry};
use dpone_connector_sdk::pack;
use dpone_connector_sdk::scaffold::batch::{self, BatchOptions, SpecFormat};
use dpone_connector_sdk::scaffold::evolve::{add_capabilities, AddRequest, EvolveOptions};
use dpone_connector_sdk::scaffold::update::{self, UpdateOptions};
use dpone_connector_sdk::verify::drift::check_package;
use dpone_connector_sdk::verify::evidence::{self, certify_package};
use dpone_connector_sdk::verify::list::{stream_packages, ListObserver, ListOptions};
use dpone_connector_sdk::verify::native::manifest::{CertificationManifest, Declaration};
use dpone_connector_sdk::verify::native::matrix::select_transport;
use dpone_connector_sdk::verify::native::presets::{self, preset};
use dpone_connector_sdk::verify::native::report::NativeReport;
use dpone_connector_sdk::verify::native::{self as native, certify_manifest};
use dpone_connector_sdk::writer::WriteOptions;
use dpone_connector_sdk::MAX_JOBS;

use errors::{raise, ErrorClass};

/// The registry of the built-ins and the capability packs in `capability_path`. Nothing
/// comes from the environment or the config file: a script says what it means.
fn registry_of(capability_path: &[PathBuf]) -> PyResult<&'static Registry> {
    pack::registry_with(capability_path).map_err(|e| raise(ErrorClass::Pack, e))
}

/// Keeps the packs a package was just made with in the user's cache, the base of a later
/// update. Best effort: the package is written either way, and without the cached base
/// `update` sees every differing file as a conflict (docs/capability-packs.md says so).
fn keep_packs(dry_run: bool, capabilities: &[String]) {
    if !dry_run {
        let _ = pack::cache::keep_named(capabilities);
    }
}

/// JSON text of a value the library returns.
fn to_json(value: &impl Serialize) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| raise(ErrorClass::Base, e))
}

/// Scaffolds one package. Returns the result as JSON; conflicts are in the result (the
/// Python layer raises `ConflictError` with it), everything else raises here.
#[pyfunction]
#[pyo3(signature = (*, name, root, connector_type, capabilities, native_capabilities,
                    package_prefix, include_certification, force, dry_run, durable,
                    author=None, email=None, license=None, description=None, python=None,
                    capability_path=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn scaffold(
    py: Python<'_>,
    name: String,
    root: PathBuf,
    connector_type: String,
    capabilities: Vec<String>,
    native_capabilities: Vec<String>,
    package_prefix: String,
    include_certification: bool,
    force: bool,
    dry_run: bool,
    durable: bool,
    author: Option<String>,
    email: Option<String>,
    license: Option<String>,
    description: Option<String>,
    python: Option<String>,
    capability_path: Vec<PathBuf>,
) -> PyResult<String> {
    let registry = registry_of(&capability_path)?;
    let request = ScaffoldRequest {
        name,
        root,
        connector_type,
        capabilities,
        native_capabilities,
        include_certification,
        package_prefix,
        details: PackageDetails {
            author,
            email,
            license,
            description,
            python,
        },
    };
    let options = WriteOptions {
        force,
        dry_run,
        durable,
    };
    let outcome = py.detach(|| {
        with_registry(registry, || {
            let outcome = dpone_connector_sdk::scaffold::scaffold(&request, &options);
            if let Ok(result) = &outcome {
                keep_packs(result.dry_run, &result.capabilities);
            }
            outcome
        })
    });
    match outcome {
        Ok(result) => to_json(&result),
        Err(ScaffoldError::Conflicts(result)) => to_json(&result),
        Err(err) => Err(errors::scaffold_error(err)),
    }
}

/// Scaffolds every entry of a spec given as JSON text (`{"connectors": [...]}`). Returns a
/// JSON list with one `{index, status, result, error}` object per entry, in entry order.
#[pyfunction]
#[pyo3(signature = (spec, *, root, jobs, force, dry_run, fail_fast, capability_path=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn scaffold_batch(
    py: Python<'_>,
    spec: String,
    root: PathBuf,
    jobs: Option<&Bound<'_, PyAny>>,
    force: bool,
    dry_run: bool,
    fail_fast: bool,
    capability_path: Vec<PathBuf>,
) -> PyResult<String> {
    let registry = registry_of(&capability_path)?;
    #[derive(Serialize)]
    struct Entry {
        index: usize,
        status: &'static str,
        result: Option<dpone_connector_sdk::ScaffoldResult>,
        error: Option<String>,
    }
    let jobs = jobs.map(jobs_arg).transpose()?;
    let mut signals = SignalCheck::new();
    let outcome = py.detach(|| {
        with_registry(registry, || {
            let entries = batch::parse_spec(&spec, SpecFormat::Json, &PathBuf::from("<entries>"))?;
            let mut options = BatchOptions::new(root);
            options.force = force;
            options.dry_run = dry_run;
            options.fail_fast = fail_fast;
            if let Some(jobs) = jobs {
                options.jobs = jobs;
            }
            let mut reports = Vec::with_capacity(entries.len());
            batch::run_batch(entries, &options, |report| {
                if let Some(result) = report.result() {
                    keep_packs(result.dry_run, &result.capabilities);
                }
                reports.push(Entry {
                    index: report.index,
                    status: report.status(),
                    result: report.result().cloned(),
                    error: report.outcome.as_ref().err().map(ToString::to_string),
                });
                signals.flow()
            })?;
            reports.sort_by_key(|entry| entry.index);
            Ok::<_, BatchError>(reports)
        })
    });
    // A signal's exception (KeyboardInterrupt) wins: the packages written so far are whole.
    signals.raise()?;
    match outcome {
        Ok(reports) => to_json(&reports),
        // A worker that panicked is a bug, not a bad spec.
        Err(err @ BatchError::Workers(_)) => Err(raise(ErrorClass::Base, err)),
        Err(err) => Err(raise(ErrorClass::Spec, err)),
    }
}

/// The certification manifest `ConnectorCertificationTemplateService().build(...)` returns,
/// as JSON (key order kept).
#[pyfunction]
#[pyo3(signature = (*, connector, connector_type, capabilities, native_capabilities,
                    capability_path=Vec::new()))]
fn certification_document(
    connector: &str,
    connector_type: &str,
    capabilities: Vec<String>,
    native_capabilities: Vec<String>,
    capability_path: Vec<PathBuf>,
) -> PyResult<String> {
    let registry = registry_of(&capability_path)?;
    let caps: Vec<&str> = capabilities.iter().map(String::as_str).collect();
    let natives: Vec<&str> = native_capabilities.iter().map(String::as_str).collect();
    let node = with_registry(registry, || {
        certification_template(connector, connector_type, &caps, &natives)
    })
    .map_err(|e| raise(ErrorClass::Registry, e))?;
    to_json(&node)
}

/// Native-transfer certification of a manifest given as a Python mapping. Returns the
/// report's JSON (the reference's `to_dict()`).
#[pyfunction]
#[pyo3(signature = (*, manifest, profile, requested_capabilities))]
fn certify_native(
    manifest: &Bound<'_, PyAny>,
    profile: &str,
    requested_capabilities: Vec<String>,
) -> PyResult<String> {
    let manifest = CertificationManifest::from_value(convert::to_pyvalue(manifest)?);
    let report = certify_manifest(&manifest, profile, &requested_capabilities)
        .map_err(errors::certify_error)?;
    Ok(report.to_json())
}

/// The fields of a declaration, in the order of the reference's `to_dict()`.
fn declaration_json(declaration: &Declaration) -> PyResult<String> {
    let mut fields = serde_json::Map::new();
    fields.insert("name".into(), declaration.name.clone().into());
    fields.insert("transport".into(), declaration.transport.clone().into());
    fields.insert("role".into(), declaration.role.as_str().into());
    fields.insert("formats".into(), declaration.formats.clone().into());
    for flag in convert::FLAG_FIELDS {
        fields.insert((*flag).into(), declaration.flag(flag).into());
    }
    to_json(&fields)
}

/// The ready-made declaration of a registered native capability (the reference's
/// `stream_export`, `file_export` and `stream_staging_load`, and every other one), as JSON
/// fields.
#[pyfunction]
#[pyo3(signature = (name, formats=None))]
fn native_preset(name: &str, formats: Option<Vec<String>>) -> PyResult<String> {
    let declaration = preset(name, formats).ok_or_else(|| {
        raise(
            ErrorClass::Request,
            format!(
                "no native capability named {name:?} (expected one of: {})",
                presets::preset_names().join(", ")
            ),
        )
    })?;
    declaration_json(&declaration)
}

/// A declaration read from a manifest mapping, as JSON fields.
#[pyfunction]
fn native_from_manifest(name: &str, raw: &Bound<'_, PyAny>) -> PyResult<String> {
    let raw = convert::to_pydict(raw)?;
    let declaration = Declaration::from_mapping(name, &raw).map_err(errors::certify_error)?;
    declaration_json(&declaration)
}

/// The transport for a transfer between two declarations (given as their fields).
#[pyfunction]
#[pyo3(signature = (*, source, sink, codec_format))]
fn transport_matrix(
    source: &Bound<'_, PyDict>,
    sink: &Bound<'_, PyDict>,
    codec_format: &str,
) -> PyResult<String> {
    let source = convert::declaration(source)?;
    let sink = convert::declaration(sink)?;
    to_json(&select_transport(&source, &sink, codec_format))
}

/// Reads a report back from its `to_dict()` JSON.
fn native_report(report: &str) -> PyResult<NativeReport> {
    serde_json::from_str(report).map_err(|e| {
        raise(
            ErrorClass::Certification,
            format!("not a native-transfer certification report: {e}"),
        )
    })
}

/// Renders a report (its `to_dict()` JSON) as `json` or `markdown`.
#[pyfunction]
fn render_native_report(report: &str, format: &str) -> PyResult<String> {
    let report = native_report(report)?;
    match format {
        "json" => Ok(report.to_json()),
        "markdown" => Ok(report.to_reference_markdown()),
        other => Err(raise(
            ErrorClass::Request,
            format!("unknown report format {other:?}"),
        )),
    }
}

/// Publishes a report's JSON and markdown atomically into `artifact_dir`; returns both paths.
#[pyfunction]
fn publish_native_report(
    py: Python<'_>,
    report: &str,
    artifact_dir: PathBuf,
) -> PyResult<(PathBuf, PathBuf)> {
    let report = native_report(report)?;
    let published = py
        .detach(|| native::publish(&report, &artifact_dir))
        .map_err(|e| raise(ErrorClass::Write, e))?;
    Ok((published.json, published.markdown))
}

/// The capability registry, as the JSON `dpone-connectors capabilities --format json` prints.
#[pyfunction]
#[pyo3(signature = (*, capability_path=Vec::new()))]
fn capabilities(capability_path: Vec<PathBuf>) -> PyResult<String> {
    to_json(&describe(registry_of(&capability_path)?))
}

/// Certifies a package from its recorded evidence; with `artifact_dir`, publishes the report
/// pair there. Returns the report JSON.
#[pyfunction]
#[pyo3(signature = (package_dir, *, artifact_dir=None, capability_path=Vec::new()))]
fn certify_package_dir(
    py: Python<'_>,
    package_dir: PathBuf,
    artifact_dir: Option<PathBuf>,
    capability_path: Vec<PathBuf>,
) -> PyResult<String> {
    let registry = registry_of(&capability_path)?;
    py.detach(|| {
        with_registry(registry, || {
            let result = certify_package(&package_dir)?;
            if let Some(dir) = &artifact_dir {
                evidence::publish::publish(&result, dir)?;
            }
            Ok::<_, EvidenceError>(result)
        })
    })
    .map_err(|e| raise(ErrorClass::Certification, e))
    .and_then(|result| to_json(&result))
}

/// Compares a package with what this version generates. Returns the drift report JSON.
#[pyfunction]
#[pyo3(signature = (package_dir, *, capability_path=Vec::new()))]
fn check(py: Python<'_>, package_dir: PathBuf, capability_path: Vec<PathBuf>) -> PyResult<String> {
    let registry = registry_of(&capability_path)?;
    let report = py
        .detach(|| with_registry(registry, || check_package(&package_dir)))
        .map_err(|e| raise(ErrorClass::Package, e))?;
    to_json(&report)
}

/// Adds capabilities to an existing package. Returns the result JSON; conflicts are in the
/// result (the Python layer raises `ConflictError` with it).
#[pyfunction]
#[pyo3(signature = (package_dir, *, capabilities, native_capabilities, force, dry_run, keep_edited,
                    capability_path=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn add_capability(
    py: Python<'_>,
    package_dir: PathBuf,
    capabilities: Vec<String>,
    native_capabilities: Vec<String>,
    force: bool,
    dry_run: bool,
    keep_edited: bool,
    capability_path: Vec<PathBuf>,
) -> PyResult<String> {
    let registry = registry_of(&capability_path)?;
    let add = AddRequest {
        capabilities,
        native_capabilities,
    };
    let options = EvolveOptions {
        write: WriteOptions {
            force,
            dry_run,
            ..WriteOptions::default()
        },
        keep_edited,
    };
    let outcome = py.detach(|| {
        with_registry(registry, || {
            let outcome = add_capabilities(&package_dir, &add, &options);
            if let Ok(result) = &outcome {
                keep_packs(result.dry_run, &result.capabilities);
            }
            outcome
        })
    });
    match outcome {
        Ok(result) => to_json(&result),
        Err(err) => Err(errors::evolve_error(err)),
    }
}

/// Updates a package to this generator version (`dpone-connectors update DIR --format
/// json`, one package). Returns the result JSON; conflicts are in it.
#[pyfunction]
#[pyo3(signature = (package_dir, *, python, dry_run))]
fn update_package(
    py: Python<'_>,
    package_dir: PathBuf,
    python: Option<PathBuf>,
    dry_run: bool,
) -> PyResult<String> {
    let mut options = UpdateOptions {
        dry_run,
        jobs: 1,
        ..UpdateOptions::default()
    };
    if let Some(python) = python {
        options.python = python;
    }
    match py.detach(|| update::update_package(&package_dir, &options)) {
        Ok(result) => to_json(&result),
        Err(err) => Err(errors::update_error(err)),
    }
}

/// Lists every package under `root` (`dpone-connectors list --format json`): the walk and
/// the examinations run on `jobs` workers with the GIL released. Also returns each
/// package's directory relative to `root` as the file system names it (Python decodes it
/// with `os.fsdecode`), for names that JSON cannot carry exactly.
#[pyfunction]
#[pyo3(signature = (root, *, jobs=None, capability_path=Vec::new()))]
fn list_packages(
    py: Python<'_>,
    root: PathBuf,
    jobs: Option<&Bound<'_, PyAny>>,
    capability_path: Vec<PathBuf>,
) -> PyResult<(String, Vec<PathBuf>)> {
    let registry = registry_of(&capability_path)?;
    struct Collect<'a> {
        packages: Vec<PackageListing>,
        dirs: Vec<PathBuf>,
        signals: &'a mut SignalCheck,
    }
    impl ListObserver for Collect<'_> {
        fn found_dirs(&mut self, dirs: &[&std::path::Path]) {
            self.dirs = dirs.iter().map(|d| d.to_path_buf()).collect();
        }
        fn listed(&mut self, package: PackageListing) -> ControlFlow<()> {
            self.packages.push(package);
            self.signals.flow()
        }
        fn interrupted(&mut self) -> bool {
            self.signals.interrupted()
        }
    }
    let mut options = ListOptions::default();
    if let Some(jobs) = jobs {
        options.jobs = jobs_arg(jobs)?;
    }
    let mut signals = SignalCheck::new();
    let outcome = py.detach(|| {
        let mut collect = Collect {
            packages: Vec::new(),
            dirs: Vec::new(),
            signals: &mut signals,
        };
        with_registry(registry, || stream_packages(&root, &options, &mut collect)).map(|summary| {
            let listing = Listing {
                root: root.display().to_string(),
                packages: collect.packages,
                summary,
            };
            (listing, collect.dirs)
        })
    });
    signals.raise()?;
    let (listing, dirs) = outcome.map_err(|e| match e {
        // A worker that panicked is a bug, not an unreadable package.
        ListError::Workers(_) => raise(ErrorClass::Base, e),
        _ => raise(ErrorClass::Package, e),
    })?;
    Ok((to_json(&listing)?, dirs))
}

/// A `jobs=` argument: an int from 1 to [`MAX_JOBS`]; anything else raises `RequestError`
/// (a `ValueError`) before any work starts.
fn jobs_arg(value: &Bound<'_, PyAny>) -> PyResult<usize> {
    let refuse = || {
        raise(
            ErrorClass::Request,
            format!("jobs must be an integer from 1 to {MAX_JOBS}"),
        )
    };
    if value.is_instance_of::<pyo3::types::PyBool>() {
        return Err(refuse());
    }
    match value.extract::<i64>() {
        Ok(jobs) if (1..=MAX_JOBS as i64).contains(&jobs) => Ok(jobs as usize),
        _ => Err(refuse()),
    }
}

/// Signals (Ctrl-C) during a long call that runs without the GIL: asked between packages
/// on the calling thread, it takes the GIL at most every [`SIGNAL_INTERVAL`] and runs
/// Python's signal handlers. An exception they raise (`KeyboardInterrupt`) stops the work
/// between packages and is raised when the call returns. On threads other than the main
/// one Python runs no handlers, so the check finds nothing there.
struct SignalCheck {
    last: Instant,
    error: Option<PyErr>,
}

/// How often a long call looks for signals: well inside the half second a person waits
/// after Ctrl-C, rare enough to cost nothing next to the packages written in between.
const SIGNAL_INTERVAL: Duration = Duration::from_millis(50);

impl SignalCheck {
    fn new() -> Self {
        SignalCheck {
            last: Instant::now(),
            error: None,
        }
    }

    fn interrupted(&mut self) -> bool {
        if self.error.is_none() && self.last.elapsed() >= SIGNAL_INTERVAL {
            self.last = Instant::now();
            self.error = Python::attach(|py| py.check_signals()).err();
        }
        self.error.is_some()
    }

    fn flow(&mut self) -> ControlFlow<()> {
        if self.interrupted() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }

    fn raise(self) -> PyResult<()> {
        self.error.map_or(Ok(()), Err)
    }
}

/// Runs the `dpone-connectors` command line with `argv` (program name first) and returns its
/// exit status. Output goes to the process's stdout and stderr, as from the binary.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<OsString>) -> u8 {
    dpone_connector_sdk::cli::claim_standard_streams();
    py.detach(|| dpone_connector_sdk::cli::run_from(argv))
}

/// The version of the Rust core.
const VERSION: &str = env!("CARGO_PKG_VERSION");

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", VERSION)?;
    module.add_function(wrap_pyfunction!(scaffold, module)?)?;
    module.add_function(wrap_pyfunction!(scaffold_batch, module)?)?;
    module.add_function(wrap_pyfunction!(certification_document, module)?)?;
    module.add_function(wrap_pyfunction!(certify_native, module)?)?;
    module.add_function(wrap_pyfunction!(native_preset, module)?)?;
    module.add_function(wrap_pyfunction!(native_from_manifest, module)?)?;
    module.add_function(wrap_pyfunction!(transport_matrix, module)?)?;
    module.add_function(wrap_pyfunction!(render_native_report, module)?)?;
    module.add_function(wrap_pyfunction!(publish_native_report, module)?)?;
    module.add_function(wrap_pyfunction!(capabilities, module)?)?;
    module.add_function(wrap_pyfunction!(certify_package_dir, module)?)?;
    module.add_function(wrap_pyfunction!(check, module)?)?;
    module.add_function(wrap_pyfunction!(add_capability, module)?)?;
    module.add_function(wrap_pyfunction!(update_package, module)?)?;
    module.add_function(wrap_pyfunction!(list_packages, module)?)?;
    module.add_function(wrap_pyfunction!(run_cli, module)?)?;
    Ok(())
}
