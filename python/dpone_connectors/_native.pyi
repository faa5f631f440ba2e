# Stubs of the compiled Rust core (python/src/lib.rs). Results are JSON text that the
# public modules turn into dataclasses. Path arguments are Rust `PathBuf`s: PyO3 accepts
# `str` and any `os.PathLike[str]`, and returns `pathlib.Path`. `python -m mypy.stubtest
# dpone_connectors` (run by the test suite) holds these signatures to the compiled ones.
import os
from pathlib import Path
from typing import Any

_PathArg = str | os.PathLike[str]

__all__ = [
    "__version__",
    "add_capability",
    "capabilities",
    "certification_document",
    "certify_native",
    "certify_package_dir",
    "check",
    "list_packages",
    "native_from_manifest",
    "native_preset",
    "publish_native_report",
    "render_native_report",
    "run_cli",
    "scaffold",
    "scaffold_batch",
    "transport_matrix",
    "update_package",
]

__version__: str

def scaffold(
    *,
    name: str,
    root: _PathArg,
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
    root: _PathArg,
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
def publish_native_report(report: str, artifact_dir: _PathArg) -> tuple[Path, Path]: ...
def capabilities(*, capability_path: list[str] = ...) -> str: ...
def certify_package_dir(
    package_dir: _PathArg, *, artifact_dir: _PathArg | None = None, capability_path: list[str] = ...
) -> str: ...
def check(package_dir: _PathArg, *, capability_path: list[str] = ...) -> str: ...
def add_capability(
    package_dir: _PathArg,
    *,
    capabilities: list[str],
    native_capabilities: list[str],
    force: bool,
    dry_run: bool,
    keep_edited: bool,
    capability_path: list[str] = ...,
) -> str: ...
def update_package(package_dir: _PathArg, *, python: str | None, dry_run: bool) -> str: ...
def list_packages(
    root: _PathArg, *, jobs: int | None = None, capability_path: list[str] = ...
) -> tuple[str, list[Path]]: ...
def run_cli(argv: list[str]) -> int: ...
