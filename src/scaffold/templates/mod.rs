//! The package files every connector gets, whatever its capabilities. Capability-specific
//! files and text come from the registry and are spliced in here.

use super::vars::{capability_vars, metadata_vars, package_vars};
use crate::contract::contract_files;
use crate::model::capability::Capability;
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
const SHARED_TEST_IMPORTS: &str = "from pathlib import Path\nfrom typing import Any\n\
    from {{import_package}}.connector import REDACTED, {{Class}}Config, redact\n";

/// Renders every file of a package: shared files, each requested capability's files and
/// fragments, and the certification files.
pub fn render_package(
    identity: &PackageIdentity,
    metadata: &PackageMetadata,
    include_certification: bool,
) -> Vec<PlannedFile> {
    let base = package_vars(identity);
    let runtime = identity.capabilities_in_registry_order();
    let contributors: Vec<&dyn Capability> = runtime
        .iter()
        .chain(identity.native_capabilities.iter())
        .copied()
        .collect();

    let mut readme_sections = String::new();
    let mut docs_sections = String::new();
    let mut test_sections = String::new();
    let mut capability_files = Vec::new();
    let mut test_imports = vec![base.render(SHARED_TEST_IMPORTS)];
    for capability in &contributors {
        let vars = capability_vars(&base, *capability);
        let fragments = capability.fragments();
        vars.render_into(fragments.readme, &mut readme_sections);
        vars.render_into(fragments.docs, &mut docs_sections);
        vars.render_into(fragments.tests, &mut test_sections);
        test_imports.push(vars.render(fragments.test_imports));
        for file in capability.files() {
            capability_files.push(PlannedFile {
                path: vars.render(file.path),
                contents: vars.render(file.body),
            });
        }
    }

    let (stdlib_imports, package_imports) = import_blocks(&test_imports, &identity.import_package);
    let mut vars = base;
    metadata_vars(&mut vars, identity, metadata);
    let mypy_certification = if include_certification {
        " certification"
    } else {
        ""
    };
    vars.set("mypy_certification", mypy_certification);
    vars.set("capability_readme", readme_sections)
        .set("capability_docs", docs_sections)
        .set("capability_tests", test_sections)
        .set("stdlib_test_imports", stdlib_imports)
        .set("package_test_imports", package_imports)
        .set("capability_list", capability_list(&contributors));
    let certification_readme = if include_certification {
        README_CERTIFICATION
    } else {
        README_NO_CERTIFICATION
    };
    let certification_readme = vars.render(certification_readme);
    vars.set("certification_readme", certification_readme);
    let render = |path: String, template: &str| PlannedFile {
        path,
        contents: vars.render(template),
    };

    let mut contracts = contract_files(identity, include_certification).into_iter();
    let mut files = Vec::with_capacity(16);
    files.push(render("pyproject.toml".to_owned(), PYPROJECT));
    files.push(render("README.md".to_owned(), README));
    if metadata.license_chosen {
        files.push(render("LICENSE".to_owned(), license_text(metadata.license)));
    }
    files.extend(contracts.next());
    files.push(render(format!("docs/{}.md", identity.connector), DOCS));
    // The reference's order: example pipelines right after the docs, the capabilities'
    // modules after the package's own.
    let (examples, modules): (Vec<PlannedFile>, Vec<PlannedFile>) = capability_files
        .into_iter()
        .partition(|file| file.path.starts_with("examples/"));
    files.extend(examples);
    files.push(render(
        format!("tests/test_{}_contract.py", identity.connector),
        CONTRACT_TESTS,
    ));
    files.push(render(
        format!("src/{}/__init__.py", identity.import_package),
        INIT,
    ));
    files.push(render(
        format!("src/{}/connector.py", identity.import_package),
        CONNECTOR,
    ));
    files.extend(modules);
    if include_certification {
        files.extend(contracts.next());
        files.push(render(
            "certification/run_certification.py".to_owned(),
            RUN_CERTIFICATION,
        ));
        files.push(render(
            ".github/workflows/certification.yml".to_owned(),
            WORKFLOW,
        ));
    }
    files
}

/// The license's text, a template for its copyright line where it has one.
fn license_text(license: License) -> &'static str {
    match license {
        License::Apache2 => APACHE_2,
        License::Mit => MIT,
        License::Bsd3Clause => BSD_3_CLAUSE,
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

fn capability_list(capabilities: &[&dyn Capability]) -> String {
    capabilities
        .iter()
        .map(|c| {
            format!(
                "| `{}` | {} | {} |\n",
                c.name(),
                c.kind().label(),
                c.summary()
            )
        })
        .collect()
}
