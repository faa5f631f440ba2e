# Stubs of the compiled Rust core (python/src/lib.rs). Results are JSON text that the
# public modules turn into dataclasses.
from os import PathLike
from typing import Any

__version__: str

def scaffold(
    *,
    name: str,
    root: str,
    connector_type: str,
    capabilities: list[str],
    native_capabilities: list[str],
    package_prefix: str,
    include_certification: bool,
    force: bool,
    dry_run: bool,
    durable: bool,
    author: str | None = None,
    email: str | None = None,
    license: str | None = None,
    description: str | None = None,
    python: str | None = None,
    capability_path: list[str] = ...,
) -> str: ...
def scaffold_batch(
    spec: str,
    *,
    root: str,
    jobs: int | None,
    force: bool,
    dry_run: bool,
    fail_fast: bool,
    capability_path: list[str] = ...,
) -> str: ...
def certification_document(
    *,
    connector: str,
    connector_type: str,
    capabilities: list[str],
    native_capabilities: list[str],
    capability_path: list[str] = ...,
) -> str: ...
def certify_native(*, manifest: dict[Any, Any], profile: str, requested_capabilities: list[str]) -> str: ...
def native_preset(name: str, formats: list[str] | None = None) -> str: ...
def native_from_manifest(name: str, raw: Any) -> str: ...
def transport_matrix(*, source: dict[str, Any], sink: dict[str, Any], codec_format: str) -> str: ...
def render_native_report(report: str, format: str) -> str: ...
def publish_native_report(report: str, artifact_dir: str) -> tuple[str, str]: ...
def capabilities(*, capability_path: list[str] = ...) -> str: ...
def certify_package_dir(
    package_dir: str, *, artifact_dir: str | None = None, capability_path: list[str] = ...
) -> str: ...
def check(package_dir: str, *, capability_path: list[str] = ...) -> str: ...
def add_capability(
    package_dir: str,
    *,
    capabilities: list[str],
    native_capabilities: list[str],
    force: bool,
    dry_run: bool,
    keep_edited: bool,
    capability_path: list[str] = ...,
) -> str: ...
def list_packages(
    root: str, *, jobs: int | None = None, capability_path: list[str] = ...
) -> tuple[str, list[PathLike[str]]]: ...
def run_cli(argv: list[str]) -> int: ...
