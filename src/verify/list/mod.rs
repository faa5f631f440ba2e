//! `list`: every connector package of a tree, its certification status and its drift, at
//! monorepo scale.
//!
//! [`walk::find_packages`] walks the tree once (skipping `.git`, ignored
//! files, virtual environments, build and cache directories); then every package is
//! examined on its own worker ([`ListOptions::jobs`], one per CPU by default) by `check`
//! ([`check_package`](crate::verify::drift::check_package)) and `certify`
//! ([`certify_package`](crate::verify::evidence::certify_package)), and the entries are
//! handed back in path order as soon as each is ready, holding only a small window of
//! finished entries. Memory stays flat: what grows with the tree is the list of package
//! paths (one short string per package).
//!
//! A package that cannot be read (a malformed manifest, a FIFO or an over-sized file where
//! a file should be) is an entry with status `invalid` and the reason; it never stops the
//! others. Every read is bounded ([`crate::bounded`]).
//!
//! ```no_run
//! use std::path::Path;
//! use dpone_connector_sdk::verify::list::{list_packages, ListOptions};
//!
//! let listing = list_packages(Path::new("connectors"), &ListOptions::default()).unwrap();
//! for package in &listing.packages {
//!     println!("{} {} drift={:?}", package.path, package.status.as_str(), package.drift);
//! }
//! assert_eq!(listing.summary.total(), listing.packages.len());
//! ```

pub(crate) mod examine;
pub(crate) mod ignores;
pub(crate) mod walk;

use std::ops::ControlFlow;
use std::path::Path;

use crate::model::error::ListError;
use crate::model::listing::{ListSummary, Listing, PackageListing};
use crate::model::registry::registry;
use crate::parallel::{Next, Pool};
use walk::{find_packages, Found};

/// How to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOptions {
    /// Packages examined at the same time (1 = one after the other).
    pub jobs: usize,
    /// Fill in every required test of every package ([`PackageListing::tests`]), for the
    /// certification matrix.
    pub tests: bool,
}

impl Default for ListOptions {
    /// One job per CPU, no matrix.
    fn default() -> Self {
        ListOptions {
            jobs: default_jobs(),
            tests: false,
        }
    }
}

/// One job per CPU: examining a package is reading small files and comparing them with
/// what the templates render, so the CPUs are the limit.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What a streaming listing reports to, on the calling thread.
pub trait ListObserver {
    /// Called once, after the walk, with every package path in the order the packages will
    /// be listed (a progress bar's length, a table's column width).
    fn found(&mut self, paths: &[String]) {
        let _ = paths;
    }

    /// Called once per package, in path order. `Break` stops the listing (packages not yet
    /// started are not examined).
    fn listed(&mut self, package: PackageListing) -> ControlFlow<()>;

    /// Called once, right after [`ListObserver::found`], with the same directories as the
    /// file system names them (relative to the root, empty for the root): a path that is
    /// not UTF-8 is shown with `\xNN` escapes in [`PackageListing::path`], and exact here.
    fn found_dirs(&mut self, dirs: &[&Path]) {
        let _ = dirs;
    }

    /// Asked between the directories of the walk, before any package is listed: `true`
    /// (the caller was interrupted) ends the walk and the listing.
    fn interrupted(&mut self) -> bool {
        false
    }
}

/// Lists the packages under `root`, handing each to `observer` in path order as soon as
/// it is ready. Returns the counts. Fails only when `root` is not a directory (or the
/// registry is broken, or the workers fail).
pub fn stream_packages(
    root: &Path,
    options: &ListOptions,
    observer: &mut dyn ListObserver,
) -> Result<ListSummary, ListError> {
    registry()?;
    let root = crate::text::pathlib::dir_or_current(root);
    if !root.is_dir() {
        return Err(ListError::NotADirectory(root.to_owned()));
    }
    let found = find_packages(root, &mut || observer.interrupted());
    if observer.interrupted() {
        return Ok(ListSummary::default());
    }
    let paths: Vec<String> = found.iter().map(Found::shown).collect();
    observer.found(&paths);
    drop(paths);
    observer.found_dirs(&found.iter().map(Found::dir).collect::<Vec<_>>());
    let mut summary = ListSummary::default();
    let examine = |found: &Found| match found {
        Found::Package(dir) => examine::examine(&root.join(dir), found.shown(), options.tests),
        Found::Unreadable(_, reason) => examine::invalid(found.shown(), reason.clone()),
    };
    Pool::new("list", options.jobs)
        .run(&found, examine, |_, package| {
            summary.add(&package);
            match observer.listed(package) {
                ControlFlow::Continue(()) => Next::Continue,
                ControlFlow::Break(()) => Next::Stop,
            }
        })
        .map_err(ListError::Workers)?;
    Ok(summary)
}

/// Lists the packages under `root` into one [`Listing`] (every entry held in memory; use
/// [`stream_packages`] for trees too large for that).
pub fn list_packages(root: &Path, options: &ListOptions) -> Result<Listing, ListError> {
    struct Collect(Vec<PackageListing>);
    impl ListObserver for Collect {
        fn listed(&mut self, package: PackageListing) -> ControlFlow<()> {
            self.0.push(package);
            ControlFlow::Continue(())
        }
    }
    let mut collect = Collect(Vec::new());
    let summary = stream_packages(root, options, &mut collect)?;
    Ok(Listing {
        root: crate::text::terminal::path_text(root),
        packages: collect.0,
        summary,
    })
}
