//! The package files every connector gets, whatever its capabilities. Capability-specific
//! files and text come from the registry and are spliced in here.

use super::generations::model::{CapabilityTemplates, Generation, SharedTemplates};
use super::vars::{
    metadata_vars, package_vars, pending_tests_vars, py_dict_entries, still_to_prove,
};
use crate::contract::{contract_files, BENCHMARK_MINIMUM_ROWS, BENCHMARK_WIDE_COLUMNS};
use crate::model::details::{License, PackageMetadata};
use crate::model::package::{PackageIdentity, PlannedFile};
use crate::text::pyimports::merge_from_imports;

const PYPROJECT: &str = include_str!("pyproject.toml.tmpl");
const README: &str = include_str!("README.md.tmpl");
const README_CERTIFICATION: &str = include_str!("README-certification.md.tmpl");
const README_NO_CERTIFICATION: &str = "## Certification\n\nThis package was generated with `--no-certification`: it has no certification manifest,\nevidence runner or CI workflow yet.\n\n";
const DOCS: &str = include_str!("docs.md.tmpl");
const CONTRACT_TESTS: &str = include_str!("test_contract.py.tmpl");
const INIT: &str = include_str!("__init__.py.tmpl");
const CONNECTOR: &str = include_str!("connector.py.tmpl");
const RUN_CERTIFICATION: &str = include_str!("run_certification.py.tmpl");
const WORKFLOW: &str = include_str!("certification.yml.tmpl");
const APACHE_2: &str = include_str!("licenses/Apache-2.0.txt");
const MIT: &str = include_str!("licenses/MIT.txt");
const BSD_3_CLAUSE: &str = include_str!("licenses/BSD-3-Clause.txt");
/// PEP 561's marker: the package's inline annotations are for type checkers to use.
/// The `from` imports the shared part of the contract tests needs; capabilities add theirs.
const SHARED_TEST_IMPORTS: &str =
    "from collections.abc import Callable\nfrom pathlib import Path\nfrom typing import Any\n\
    from {{import_package}}.connector import REDACTED, {{Class}}Config, redact\n";

/// This version's shared templates, for [`Generation::current`].
pub(crate) fn shared_templates() -> SharedTemplates {
    SharedTemplates {
        pyproject: PYPROJECT.into(),
        readme: README.into(),
        readme_certification: README_CERTIFICATION.into(),
        readme_no_certification: README_NO_CERTIFICATION.into(),
        docs: DOCS.into(),
        contract_tests: CONTRACT_TESTS.into(),
        shared_test_imports: SHARED_TEST_IMPORTS.into(),
        init: INIT.into(),
        connector: CONNECTOR.into(),
        run_certification: RUN_CERTIFICATION.into(),
        workflow: WORKFLOW.into(),
        license_apache_2: APACHE_2.into(),
        license_mit: MIT.into(),
        license_bsd_3_clause: BSD_3_CLAUSE.into(),
    }
}

/// Renders every file of a package with `generation`'s templates: shared files, each
/// requested capability's files and fragments, and the certification files. A capability
/// the generation does not have contributes nothing.
pub fn render_generation(
    generation: &Generation,
    identity: &PackageIdentity,
    metadata: &PackageMetadata,
    include_certification: bool,
) -> Vec<PlannedFile> {
    let shared = &generation.shared;
    let base = package_vars(identity);
    let declared = identity.capability_names();
    // A capability the generation does not have renders with its templates of today: a
    // capability pack (no part of any generator version), or a module dropped into
    // capabilities/ since the generation was frozen (the next release freezes it).
    let packs: Vec<CapabilityTemplates> = identity
        .capabilities
        .iter()
        .filter(|c| generation.capability(c.name()).is_none())
        .map(|c| CapabilityTemplates::of(*c))
        .collect();
    let mut runtime: Vec<&CapabilityTemplates> = generation
        .capabilities
        .iter()
        .filter(|c| c.runtime && declared.contains(&&*c.name))
        .chain(&packs)
        .collect();
    if !packs.is_empty() {
        // Built-ins and packs in the one registry order.
        let order = crate::model::registry::registry().ok();
        let position = |name: &str| {
            order
                .as_ref()
                .and_then(|r| r.all().iter().position(|c| c.name() == name))
                .unwrap_or(usize::MAX)
        };
        runtime.sort_by_key(|c| position(&c.name));
    }
    let new_natives: Vec<CapabilityTemplates> = identity
        .native_capabilities
        .iter()
        .filter(|c| generation.capability(c.name()).is_none())
        .map(|c| CapabilityTemplates::of(*c))
        .collect();
    let native = identity
        .native_capability_names()
        .into_iter()
        .filter_map(|name| {
            generation
                .capability(name)
                .or_else(|| new_natives.iter().find(|c| c.name == name))
        });
    let contributors: Vec<&CapabilityTemplates> = runtime.into_iter().chain(native).collect();

    let mut readme_sections = String::new();
    let mut docs_sections = String::new();
    let mut test_sections = String::new();
    let mut capability_files = Vec::new();
    let mut test_imports = vec![base.render(&shared.shared_test_imports)];
    for capability in &contributors {
        let vars = pending_tests_vars(&base, &capability.name, &capability.pending_tests);
        vars.render_into(&capability.readme, &mut readme_sections);
        vars.render_into(&capability.docs, &mut docs_sections);
        vars.render_into(&capability.tests, &mut test_sections);
        test_imports.push(vars.render(&capability.test_imports));
        for (path, body) in &capability.files {
            capability_files.push(PlannedFile {
                path: vars.render(path),
                contents: vars.render(body),
            });
        }
    }

    let (stdlib_imports, package_imports) = import_blocks(&test_imports, &identity.import_package);
    let mut vars = base;
    metadata_vars(&mut vars, identity, metadata);
    vars.set("generator_version", generation.version.as_ref());
    // Only versions from 0.2.0 on record it; computing it once per version keeps it free.
    if shared.pyproject.contains("{{templates_digest}}") {
        // A released version records its released digest: a capability dropped in since
        // (frozen by the next release) changes no package made without it.
        let released = super::generations::RELEASED
            .iter()
            .find(|(version, _)| *version == generation.version)
            .map(|(_, digest)| (*digest).to_owned());
        vars.set(
            "templates_digest",
            released.unwrap_or_else(|| generation.cached_digest()),
        );
    }
    let mypy_certification = if include_certification {
        " certification"
    } else {
        ""
    };
    vars.set("mypy_certification", mypy_certification);
    vars.set("capability_readme", readme_sections)
        .set("capability_docs", docs_sections)
        .set("capability_tests", test_sections)
        .set(
            "still_to_prove",
            py_dict_entries(&still_to_prove(
                contributors
                    .iter()
                    .map(|c| (&*c.name, &c.pending_tests[..], &c.pending_proves[..])),
            )),
        )
        .set("benchmark_rows", py_int(BENCHMARK_MINIMUM_ROWS))
        .set("benchmark_columns", BENCHMARK_WIDE_COLUMNS.to_string())
        .set("stdlib_test_imports", stdlib_imports)
        .set("package_test_imports", package_imports)
        .set("capability_list", capability_list(&contributors));
    let certification_readme = if include_certification {
        &shared.readme_certification
    } else {
        &shared.readme_no_certification
    };
    let certification_readme = vars.render(certification_readme);
    vars.set("certification_readme", certification_readme);
    let render = |path: String, template: &str| PlannedFile {
        path,
        contents: vars.render(template),
    };

    let mut contracts = contract_files(identity, include_certification).into_iter();
    let mut files = Vec::with_capacity(16);
    files.push(render("pyproject.toml".to_owned(), &shared.pyproject));
    files.push(render("README.md".to_owned(), &shared.readme));
    if metadata.license_chosen {
        files.push(render(
            "LICENSE".to_owned(),
            license_text(shared, metadata.license),
        ));
    }
    files.extend(contracts.next());
    files.push(render(
        format!("docs/{}.md", identity.connector),
        &shared.docs,
    ));
    // The reference's order: example pipelines right after the docs, the capabilities'
    // modules after the package's own.
    let (examples, modules): (Vec<PlannedFile>, Vec<PlannedFile>) = capability_files
        .into_iter()
        .partition(|file| file.path.starts_with("examples/"));
    files.extend(examples);
    files.push(render(
        format!("tests/test_{}_contract.py", identity.connector),
        &shared.contract_tests,
    ));
    files.push(render(
        format!("src/{}/__init__.py", identity.import_package),
        &shared.init,
    ));
    files.push(render(
        format!("src/{}/connector.py", identity.import_package),
        &shared.connector,
    ));
    files.extend(modules);
    if include_certification {
        files.extend(contracts.next());
        files.push(render(
            "certification/run_certification.py".to_owned(),
            &shared.run_certification,
        ));
        files.push(render(
            ".github/workflows/certification.yml".to_owned(),
            &shared.workflow,
        ));
    }
    files
}

/// The license's text, a template for its copyright line where it has one.
fn license_text(shared: &SharedTemplates, license: License) -> &str {
    match license {
        License::Apache2 => &shared.license_apache_2,
        License::Mit => &shared.license_mit,
        License::Bsd3Clause => &shared.license_bsd_3_clause,
    }
}

/// The test file's `from` imports as two isort sections: the standard library's, and the
/// package's own (lines naming `import_package` or one of its modules).
fn import_blocks(templates: &[String], import_package: &str) -> (String, String) {
    let own = |line: &&str| {
        line.strip_prefix("from ")
            .and_then(|rest| rest.split([' ', '.']).next())
            == Some(import_package)
    };
    let lines: Vec<&str> = templates.iter().flat_map(|t| t.lines()).collect();
    let (package, stdlib): (Vec<&str>, Vec<&str>) = lines.into_iter().partition(own);
    (merge_from_imports(stdlib), merge_from_imports(package))
}

/// An integer literal with `_` between thousands, as Python style writes large ones.
fn py_int(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(digit);
    }
    out
}

fn capability_list(capabilities: &[&CapabilityTemplates]) -> String {
    capabilities
        .iter()
        .map(|c| format!("| `{}` | {} | {} |\n", c.name, c.label, c.summary))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_integers_are_grouped_by_thousands() {
        assert_eq!(py_int(7), "7");
        assert_eq!(py_int(120), "120");
        assert_eq!(py_int(10000), "10_000");
        assert_eq!(py_int(1234567), "1_234_567");
    }
}
