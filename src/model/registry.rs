//! The capability registry: every registered [`Capability`], built once into a sorted list.
//!
//! `inventory` yields registrations in link order, which is unspecified, so the registry sorts
//! them by (kind, rank, name) and rejects duplicate names.
//!
//! Capability packs (data-declared capabilities found on a capability path) make a larger
//! registry for one command or one Python call: the front end builds it and runs the call
//! inside [`with_registry`], and [`registry`] answers with it on that thread (and on the
//! worker threads the call starts, which [`inherit`] hands it to). Everything else keeps
//! asking [`registry`] and never learns where a capability came from.

use std::cell::Cell;
use std::sync::OnceLock;

use super::capability::{registry_order, Capability, CapabilityKind};
use super::error::{RegistryError, RequestError};
use super::names::normalize_choice;

/// One registered capability. Built by [`register_capability!`](crate::register_capability).
pub struct Registration {
    capability: &'static dyn Capability,
}

impl Registration {
    /// Wraps a capability for registration.
    pub const fn new(capability: &'static dyn Capability) -> Self {
        Registration { capability }
    }
}

inventory::collect!(Registration);

/// The sorted, duplicate-free set of registered capabilities.
#[derive(Debug)]
pub struct Registry {
    capabilities: Vec<&'static dyn Capability>,
}

impl Registry {
    /// Builds a registry from capabilities in any order.
    pub fn from_capabilities(
        mut capabilities: Vec<&'static dyn Capability>,
    ) -> Result<Registry, RegistryError> {
        capabilities.sort_by_key(|c| registry_order(*c));
        let mut names: Vec<&'static str> = capabilities.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(RegistryError::Duplicate(pair[0]));
        }
        if let Some(bad) = capabilities.iter().find(|c| !is_valid_name(c.name())) {
            return Err(RegistryError::InvalidName(bad.name()));
        }
        Ok(Registry { capabilities })
    }

    /// Every capability, sorted by (kind, rank, name).
    pub fn all(&self) -> &[&'static dyn Capability] {
        &self.capabilities
    }

    /// The capabilities of one kind, in registry order.
    pub fn of_kind(
        &self,
        kind: CapabilityKind,
    ) -> impl Iterator<Item = &'static dyn Capability> + '_ {
        self.capabilities
            .iter()
            .copied()
            .filter(move |c| c.kind() == kind)
    }

    /// The capability of `kind` that accepts the normalized name `requested`.
    pub fn find(&self, kind: CapabilityKind, requested: &str) -> Option<&'static dyn Capability> {
        self.of_kind(kind).find(|c| c.accepts(requested))
    }

    /// The capability named `name`, of any kind.
    pub fn get(&self, name: &str) -> Option<&'static dyn Capability> {
        self.capabilities.iter().copied().find(|c| c.name() == name)
    }

    /// The names of one kind, in registry order.
    pub fn names(&self, kind: CapabilityKind) -> Vec<&'static str> {
        self.of_kind(kind).map(|c| c.name()).collect()
    }

    /// Resolves requested names of one kind the way the reference does: trimmed and
    /// lowercased, blanks skipped, duplicates dropped, request order kept. Unknown names are
    /// one error listing all of them.
    pub fn resolve<S: AsRef<str>>(
        &self,
        kind: CapabilityKind,
        requested: &[S],
    ) -> Result<Vec<&'static dyn Capability>, RequestError> {
        let mut resolved: Vec<&'static dyn Capability> = Vec::with_capacity(requested.len());
        let mut unknown = Vec::new();
        for name in normalized_choices(requested) {
            match self.find(kind, &name) {
                Some(cap) if !resolved.iter().any(|r| r.name() == cap.name()) => resolved.push(cap),
                Some(_) => {}
                None => unknown.push(name),
            }
        }
        if !unknown.is_empty() {
            unknown.sort();
            let mut expected = self.names(kind);
            expected.sort_unstable();
            return Err(RequestError::Capability {
                kind: kind.label(),
                given: unknown.join(", "),
                expected: expected.join(", "),
            });
        }
        Ok(resolved)
    }

    /// [`resolve`](Registry::resolve), then the capabilities of that kind that are
    /// [requested by default](Capability::requested_by_default) when nothing was requested.
    pub fn resolve_or_defaults<S: AsRef<str>>(
        &self,
        kind: CapabilityKind,
        requested: &[S],
    ) -> Result<Vec<&'static dyn Capability>, RequestError> {
        let mut resolved = self.resolve(kind, requested)?;
        if resolved.is_empty() {
            resolved.extend(self.of_kind(kind).filter(|c| c.requested_by_default()));
        }
        Ok(resolved)
    }
}

/// Requested values normalized, blanks skipped, duplicates dropped, first occurrence kept.
fn normalized_choices<S: AsRef<str>>(values: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let value = value.as_ref();
        if value.trim().is_empty() {
            continue;
        }
        let normalized = normalize_choice(value);
        if !out.contains(&normalized) {
            out.push(normalized);
        }
    }
    out
}

/// A capability name is lowercase ASCII letters, digits and `_`, starting with a letter.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

thread_local! {
    /// The registry of the call running on this thread, when it has capability packs.
    static SCOPED: Cell<Option<&'static Registry>> = const { Cell::new(None) };
}

/// The registry in effect: the one [`with_registry`] set for the running call, else the
/// [built-in registry](builtin_registry).
pub fn registry() -> Result<&'static Registry, RegistryError> {
    match SCOPED.with(Cell::get) {
        Some(scoped) => Ok(scoped),
        None => builtin_registry(),
    }
}

/// Runs `f` with `registry` in effect on this thread, restoring the previous one after
/// (also when `f` panics).
pub fn with_registry<R>(registry: &'static Registry, f: impl FnOnce() -> R) -> R {
    within(Some(registry), f)
}

/// The registry [`with_registry`] set on this thread, for a worker thread to [`within`].
pub(crate) fn inherit() -> Option<&'static Registry> {
    SCOPED.with(Cell::get)
}

/// Runs `f` with `registry` (from [`inherit`]) in effect on this thread.
pub(crate) fn within<R>(registry: Option<&'static Registry>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<&'static Registry>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SCOPED.with(|slot| slot.set(self.0));
        }
    }
    let _restore = Restore(SCOPED.with(|slot| slot.replace(registry)));
    f()
}

/// The registry of every capability linked into this build, built on first use.
pub fn builtin_registry() -> Result<&'static Registry, RegistryError> {
    static REGISTRY: OnceLock<Result<Registry, RegistryError>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| {
            Registry::from_capabilities(
                inventory::iter::<Registration>
                    .into_iter()
                    .map(|r| r.capability)
                    .collect(),
            )
        })
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scoped_registry_holds_for_its_call_and_its_workers_only() {
        let builtins = builtin_registry().unwrap();
        let runtime: Vec<&'static dyn Capability> =
            builtins.of_kind(CapabilityKind::Runtime).collect();
        let smaller: &'static Registry =
            Box::leak(Box::new(Registry::from_capabilities(runtime).unwrap()));
        let is = |a: &Registry, b: &Registry| std::ptr::eq(a, b);
        assert!(is(registry().unwrap(), builtins));
        with_registry(smaller, || {
            assert!(is(registry().unwrap(), smaller));
            let inherited = inherit();
            std::thread::scope(|scope| {
                scope.spawn(|| {
                    // A new thread starts with the built-ins, and sees the call's registry
                    // once it takes it over.
                    assert!(is(registry().unwrap(), builtins));
                    within(inherited, || assert!(is(registry().unwrap(), smaller)));
                });
            });
            // Restored after a panic inside, too.
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                with_registry(builtins, || panic!("x"))
            }));
            assert!(caught.is_err());
            assert!(is(registry().unwrap(), smaller));
        });
        assert!(is(registry().unwrap(), builtins));
    }
}
