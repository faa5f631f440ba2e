//! The package files every connector gets, whatever its capabilities. Capability-specific
//! files and text come from the registry and are spliced in here.

use super::vars::{capability_vars, package_vars};
use crate::contract::contract_files;
use crate::model::capability::Capability;
use crate::model::package::{PackageIdentity, PlannedFile};

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

/// Renders every file of a package: shared files, each requested capability's files and
/// fragments, and the certification files.
pub fn render_package(identity: &PackageIdentity, include_certification: bool) -> Vec<PlannedFile> {
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
    for capability in &contributors {
        let vars = capability_vars(&base, *capability);
        let fragments = capability.fragments();
        vars.render_into(fragments.readme, &mut readme_sections);
        vars.render_into(fragments.docs, &mut docs_sections);
        vars.render_into(fragments.tests, &mut test_sections);
        for file in capability.files() {
            capability_files.push(PlannedFile {
                path: vars.render(file.path),
                contents: vars.render(file.body),
            });
        }
    }

    let mut vars = base;
    vars.set("capability_readme", readme_sections)
        .set("capability_docs", docs_sections)
        .set("capability_tests", test_sections)
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
    files.extend(contracts.next());
    files.push(render(format!("docs/{}.md", identity.connector), DOCS));
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
    files.extend(capability_files);
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
