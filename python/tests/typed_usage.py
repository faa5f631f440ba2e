"""A user's script that calls every public function; ``test_typing.py`` type-checks it with
``mypy --strict`` (it is not run)."""

from __future__ import annotations

from pathlib import Path

from dpone_connectors import (
    BatchEntryResult,
    CapabilityInfo,
    CheckReport,
    ConflictError,
    ConnectorCapabilityCertificationService,
    ConnectorCertificationTemplateService,
    ConnectorSdkScaffoldResult,
    ConnectorSdkScaffoldService,
    DponeConnectorsError,
    EvolveResult,
    NativeTransferCapability,
    PackageCertification,
    PackageList,
    TransportCapabilityMatrix,
    TransportEvidenceRenderer,
    add_capability,
    capabilities,
    certify_package,
    check_package,
    list_packages,
)
from dpone_connectors.certification import ConnectorCertificationTemplateService as Templates
from dpone_connectors.models import ConnectorSdkScaffoldResult as Result
from dpone_connectors.scaffold import ConnectorSdkScaffoldService as Service


def main(root: Path) -> int:
    service: Service = ConnectorSdkScaffoldService()
    result: Result = service.scaffold(name="demo", root=root, capabilities=("source", "sink"))
    files: tuple[Path, ...] = result.files
    manifest: Path | None = result.certification_manifest
    choices: tuple[str, ...] = service.native_capability_choices()
    try:
        again: ConnectorSdkScaffoldResult = service.scaffold(name="demo", root=root, force=False)
    except ConflictError as conflict:
        edited: tuple[Path, ...] = conflict.paths
        print(edited)
        return 2
    outcomes: tuple[BatchEntryResult, ...] = service.scaffold_many([{"name": "a"}], root=root, jobs=2)
    document: dict[str, object] = Templates().build(
        connector="demo", connector_type="api", capabilities=("source",)
    )
    other = ConnectorCertificationTemplateService().build(
        connector="demo", connector_type="api", capabilities=(), native_capabilities=("stream_export",)
    )
    report = ConnectorCapabilityCertificationService().certify(
        manifest=document, profile="static", requested_capabilities=("native_transfer.stream",)
    )
    passed: bool = report.passed
    renderer = TransportEvidenceRenderer()
    text: str = renderer.render_json(report) + renderer.render_markdown(report)
    written: tuple[Path, Path] = renderer.write(report, root / "artifacts")
    source = NativeTransferCapability.stream_export(formats=("jsonl",))
    sink = NativeTransferCapability.from_manifest("stream_staging_load", {"formats": ["jsonl"]})
    matrix = TransportCapabilityMatrix.from_capabilities(source=source, sink=sink, codec_format="jsonl")
    transport: str = matrix.selected_transport
    listing: tuple[CapabilityInfo, ...] = capabilities()
    drift: CheckReport = check_package(result.sdk_root)
    certified: PackageCertification = certify_package(result.sdk_root, artifact_dir=root / "a")
    evolved: EvolveResult = add_capability(result.sdk_root, capabilities=["state"], dry_run=True)
    tree: PackageList = list_packages(root, jobs=2)
    statuses: list[str] = [package.status for package in tree.packages]
    print(files, manifest, choices, again, outcomes, other, passed, text, written, transport)
    print(listing, drift.passed, certified.status, evolved.created, NativeTransferCapability.file_export())
    print(tree.summary, statuses)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main(Path(".")))
    except DponeConnectorsError as error:
        raise SystemExit(str(error)) from error
