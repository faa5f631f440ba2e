//! [`PackCapability`]: a loaded pack as a [`Capability`], the same trait object the
//! built-ins are. Its text lives as long as the process (like a built-in's), and each
//! distinct pack content is made once (see [`super::packs_in`]).

use crate::model::capability::{Capability, CapabilityKind, FileTemplate, Fragments, RequiredTest};
use crate::model::pack_origin::PackOrigin;
use crate::yaml::Node;

use super::load::PackData;

/// A capability declared by a pack.
#[derive(Debug)]
pub struct PackCapability {
    name: &'static str,
    rank: u32,
    summary: &'static str,
    certification: Node,
    required_tests: &'static [RequiredTest],
    proven_by_scaffold: &'static [&'static str],
    files: &'static [FileTemplate],
    fragments: Fragments,
    origin: PackOrigin,
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn leak_all(texts: impl IntoIterator<Item = String>) -> &'static [&'static str] {
    Box::leak(
        texts
            .into_iter()
            .map(leak)
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    )
}

impl PackCapability {
    /// Makes the capability of a checked pack, for the rest of the process.
    pub(crate) fn leak(data: PackData) -> &'static PackCapability {
        let required_tests: Vec<RequiredTest> = data
            .required_tests
            .into_iter()
            .map(|(test, proves)| RequiredTest {
                test: leak(test),
                proves: leak(proves),
            })
            .collect();
        let files: Vec<FileTemplate> = data
            .files
            .into_iter()
            .map(|(path, body)| FileTemplate {
                path: leak(path),
                body: leak(body),
            })
            .collect();
        Box::leak(Box::new(PackCapability {
            name: leak(data.name),
            rank: data.rank,
            summary: leak(data.summary),
            certification: data.certification,
            required_tests: Box::leak(required_tests.into_boxed_slice()),
            proven_by_scaffold: leak_all(data.proven_by_scaffold),
            files: Box::leak(files.into_boxed_slice()),
            fragments: Fragments {
                readme: leak(data.readme),
                docs: leak(data.docs),
                tests: leak(data.tests),
                test_imports: leak(data.test_imports),
            },
            origin: data.origin,
        }))
    }

    /// The pack this capability came from.
    pub fn pack(&self) -> &PackOrigin {
        &self.origin
    }
}

impl Capability for PackCapability {
    fn name(&self) -> &'static str {
        self.name
    }

    fn kind(&self) -> CapabilityKind {
        CapabilityKind::Runtime
    }

    fn rank(&self) -> u32 {
        self.rank
    }

    fn summary(&self) -> &'static str {
        self.summary
    }

    fn certification_section(&self) -> Node {
        self.certification.clone()
    }

    fn required_tests(&self) -> &'static [RequiredTest] {
        self.required_tests
    }

    fn proven_by_scaffold(&self) -> &'static [&'static str] {
        self.proven_by_scaffold
    }

    fn files(&self) -> &'static [FileTemplate] {
        self.files
    }

    fn fragments(&self) -> Fragments {
        self.fragments
    }

    fn origin(&self) -> Option<&PackOrigin> {
        Some(&self.origin)
    }
}
