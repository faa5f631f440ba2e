"""Results: what a scaffold, a check, a certification or ``add_capability`` returns.

``ConnectorSdkScaffoldResult`` is the reference's result, field for field, with the write
report added after its fields. Every result is a frozen dataclass built from the JSON the
Rust core returns (the same JSON the ``dpone-connectors`` command prints), and ``to_dict()``
gives that JSON object back.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "BatchEntryResult",
    "CapabilityInfo",
    "CapabilityTests",
    "CertificationCheck",
    "CheckReport",
    "ConnectorSdkScaffoldResult",
    "EvidenceSummary",
    "EvolveResult",
    "Finding",
    "ListedPackage",
    "ManifestRef",
    "PackageCertification",
    "PackageList",
    "RequiredTest",
    "Tally",
]


@dataclass(frozen=True)
class _CommandReport:
    """A report kept with the command's JSON object it was built from."""

    _data: dict[str, Any] = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The command's ``--format json`` object (a copy)."""
        return copy.deepcopy(self._data)


@dataclass(frozen=True)
class ConnectorSdkScaffoldResult:
    """The files generated (or, in a dry run, planned) for one connector package."""

    connector: str
    connector_type: str
    capabilities: tuple[str, ...]
    package_name: str
    import_package: str
    sdk_root: Path
    files: tuple[Path, ...]
    certification_manifest: Path | None
    native_capabilities: tuple[str, ...] = ()
    dry_run: bool = False
    """Whether nothing was written because ``dry_run=True`` was asked."""
    created: tuple[Path, ...] = field(default=(), repr=False)
    """Files that did not exist and were (or would be) created."""
    unchanged: tuple[Path, ...] = field(default=(), repr=False)
    """Files that already had exactly the generated content; not touched."""
    overwritten: tuple[Path, ...] = field(default=(), repr=False)
    """Edited files replaced because of ``force=True``."""
    conflicts: tuple[Path, ...] = field(default=(), repr=False)
    """Edited files that blocked the write (only in a ``ConflictError``'s result)."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConnectorSdkScaffoldResult:
        """Builds the result from the JSON object ``to_dict()`` returns."""
        # The write report lists the same files again: share their Path objects.
        paths = {text: Path(text) for text in data["files"]}

        def report(key: str) -> tuple[Path, ...]:
            return tuple(paths.get(text) or Path(text) for text in data.get(key, ()))

        manifest = data["certification_manifest"]
        return cls(
            connector=data["connector"],
            connector_type=data["connector_type"],
            capabilities=tuple(data["capabilities"]),
            package_name=data["package_name"],
            import_package=data["import_package"],
            sdk_root=Path(data["sdk_root"]),
            files=tuple(paths.values()),
            certification_manifest=(paths.get(manifest) or Path(manifest)) if manifest else None,
            native_capabilities=tuple(data["native_capabilities"]),
            dry_run=bool(data.get("dry_run", False)),
            created=report("created"),
            unchanged=report("unchanged"),
            overwritten=report("overwritten"),
            conflicts=report("conflicts"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``scaffold --format json`` object: the reference's keys, in its order, then
        the write report."""
        return {
            "connector": self.connector,
            "connector_type": self.connector_type,
            "capabilities": list(self.capabilities),
            "native_capabilities": list(self.native_capabilities),
            "package_name": self.package_name,
            "import_package": self.import_package,
            "sdk_root": str(self.sdk_root),
            "files": [str(path) for path in self.files],
            "certification_manifest": (
                str(self.certification_manifest) if self.certification_manifest else None
            ),
            "dry_run": self.dry_run,
            "created": [str(path) for path in self.created],
            "unchanged": [str(path) for path in self.unchanged],
            "overwritten": [str(path) for path in self.overwritten],
            "conflicts": [str(path) for path in self.conflicts],
        }


@dataclass(frozen=True)
class BatchEntryResult:
    """The outcome of one entry of ``ConnectorSdkScaffoldService.scaffold_many``."""

    index: int
    """The entry's position in the list given."""
    status: Literal["scaffolded", "unchanged", "dry_run", "conflicts", "invalid", "failed"]
    """``invalid``: the entry itself is wrong; ``failed``: its write failed."""
    result: ConnectorSdkScaffoldResult | None
    """The scaffold result (also for ``conflicts``); ``None`` when there is none."""
    error: str | None
    """Why the entry did not succeed, in one line."""

    @property
    def ok(self) -> bool:
        """Whether the package is (or, in a dry run, would be) as generated."""
        return self.status in ("scaffolded", "unchanged", "dry_run")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BatchEntryResult:
        """Builds the outcome from its JSON object."""
        result = data["result"]
        return cls(
            index=data["index"],
            status=data["status"],
            result=ConnectorSdkScaffoldResult.from_dict(result) if result is not None else None,
            error=data["error"],
        )


@dataclass(frozen=True)
class CapabilityInfo:
    """What one registered capability contributes to a package."""

    name: str
    kind: Literal["runtime", "native_transfer"]
    flag: str
    """The command-line flag that requests it, e.g. ``--capability sink``."""
    rank: int
    summary: str
    files: tuple[str, ...]
    """Files only packages with it receive (``{import_package}``, ``{connector}`` stand for
    the package's names)."""
    sections: tuple[str, ...]
    """Shared files it adds a section to."""
    certification_section: str
    """Its dotted key in ``certification/certification.yaml``."""
    certification: dict[str, Any]
    """That section's content."""
    required_tests: tuple[str, ...]
    proves: dict[str, str]
    """Each required test, in order, with the sentence saying what it must prove."""
    proven_by_scaffold: tuple[str, ...]
    """The required tests a freshly generated package already proves."""
    transport: str | None
    """``stream``, ``file`` or ``object`` for a native-transfer capability."""
    role: str | None
    """``export`` or ``staging_load`` for a native-transfer capability."""
    origin: Literal["built-in", "pack"] = "built-in"
    """Where it came from: built into this version, or a capability pack."""
    pack_path: str | None = None
    """The capability pack's directory, for a pack."""
    pack_version: str | None = None
    """The capability pack's version, for a pack."""
    pack_digest: str | None = None
    """The sha256 of the capability pack's files (``sha256:...``), for a pack."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CapabilityInfo:
        """Builds the description from its ``capabilities --format json`` entry."""
        transfer = data.get("native_transfer") or {}
        origin = data.get("origin") or {}
        return cls(
            name=data["name"],
            kind=data["kind"],
            flag=data["flag"],
            rank=data["rank"],
            summary=data["summary"],
            files=tuple(data["files"]),
            sections=tuple(data["sections"]),
            certification_section=data["certification_section"],
            certification=data["certification"],
            required_tests=tuple(data["required_tests"]),
            proves=dict(data["proves"]),
            proven_by_scaffold=tuple(data["proven_by_scaffold"]),
            transport=transfer.get("transport"),
            role=transfer.get("role"),
            origin=origin.get("source", "built-in"),
            pack_path=origin.get("path"),
            pack_version=origin.get("version"),
            pack_digest=origin.get("digest"),
        )


@dataclass(frozen=True)
class Finding:
    """One difference between a package and what this version generates."""

    severity: Literal["error", "info"]
    kind: str
    """``contract_drift``, ``missing_module``, ``undeclared_module``, ``edited`` or
    ``missing``."""
    path: str
    message: str
    cause: str
    """The file whose change caused it: ``path`` itself, or ``dpone_connector_manifest.json``
    when an edit to it left this file following the previous declaration."""


@dataclass(frozen=True)
class CheckReport(_CommandReport):
    """A package compared with what this version would generate (``check``)."""

    package_dir: str
    connector: str
    connector_type: str
    capabilities: tuple[str, ...]
    native_capabilities: tuple[str, ...]
    certification: bool
    generator: str
    """What made the package: ``dpone-connectors``, or ``dpone`` (0.88.0's scaffold)."""
    generator_version: str
    """The version of ``generator`` that made it."""
    outdated: bool
    """Whether an older generator made it: ``update_package`` would bring it forward."""
    status: str
    errors: int
    notes: int
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        """Whether the package has no contract drift (edits alone are notes)."""
        return self.errors == 0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckReport:
        """Builds the report from its ``check --format json`` object."""
        return cls(
            package_dir=data["package_dir"],
            connector=data["connector"],
            connector_type=data["connector_type"],
            capabilities=tuple(data["capabilities"]),
            native_capabilities=tuple(data["native_capabilities"]),
            certification=data["certification"],
            generator=data["generator"],
            generator_version=data["generator_version"],
            outdated=data["outdated"],
            status=data["status"],
            errors=data["errors"],
            notes=data["notes"],
            findings=tuple(Finding(**finding) for finding in data["findings"]),
            _data=data,
        )


@dataclass(frozen=True)
class Tally:
    """Counts of one section of a certification."""

    passed: int
    failed: int
    missing: int


@dataclass(frozen=True)
class RequiredTest:
    """One required test of one capability, as the evidence shows it."""

    test: str
    status: Literal["passed", "failed", "missing"]
    reason: str
    tests: tuple[str, ...]
    """The pytest node ids that carry its marker."""
    proves: str
    """What the test must prove (empty for a test this SDK does not know)."""


@dataclass(frozen=True)
class CapabilityTests:
    """The required tests of one declared runtime capability."""

    capability: str
    required_tests: tuple[RequiredTest, ...]


@dataclass(frozen=True)
class CertificationCheck:
    """A quality gate or a conformance check."""

    subject: str
    check: str
    status: Literal["passed", "failed", "missing"]
    reason: str


@dataclass(frozen=True)
class EvidenceSummary:
    """What was found of the recorded evidence."""

    status: str
    """``current``, ``missing``, ``corrupt``, ``unsupported``, ``foreign`` or ``stale``."""
    path: str
    message: str
    pytest_exit_code: int | None
    unknown_markers: tuple[str, ...]


@dataclass(frozen=True)
class BenchmarkRun:
    """One run recorded with ``record_benchmark(rows, columns, seconds)``."""

    test: str
    """The pytest node id of the test that recorded it."""
    rows: int
    columns: int
    seconds: float
    rows_per_second: float


@dataclass(frozen=True)
class Performance:
    """The benchmark ``certification.yaml``'s ``performance`` section asks for."""

    benchmark_required: bool
    minimum_rows: int
    wide_columns: int
    status: Literal["passed", "failed", "missing"]
    """Always ``passed`` when no benchmark is required."""
    reason: str
    """Why it failed (naming ``minimum_rows`` or ``wide_columns``) or is missing."""
    tests: tuple[str, ...]
    """The pytest node ids tagged ``performance.benchmark``."""
    run: BenchmarkRun | None
    """The run the verdict rests on."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Performance:
        run = data.get("run")
        return cls(
            benchmark_required=data["benchmark_required"],
            minimum_rows=data["minimum_rows"],
            wide_columns=data["wide_columns"],
            status=data["status"],
            reason=data["reason"],
            tests=tuple(data["tests"]),
            run=BenchmarkRun(**run) if run else None,
        )


@dataclass(frozen=True)
class ManifestRef:
    """The certification manifest a certification was computed against."""

    path: str
    """Relative to the package: ``certification/certification.yaml``."""
    sha256: str
    """The digest of its bytes (evidence recorded for another manifest is ``stale``)."""


@dataclass(frozen=True)
class PackageCertification(_CommandReport):
    """A package certified from its recorded evidence (``certify``)."""

    schema_version: str
    """``dpone_connector_sdk.package_certification.v1``."""
    status: Literal["certified", "failed", "unverified"]
    connector: str
    package: str
    certification_manifest: ManifestRef
    evidence: EvidenceSummary
    required_tests: Tally
    quality_gates: tuple[CertificationCheck, ...]
    conformance: tuple[CertificationCheck, ...]
    capabilities: tuple[CapabilityTests, ...]
    performance: Performance
    reasons: tuple[str, ...]
    """Why the package is not certified (empty when it is), most serious first."""

    @property
    def passed(self) -> bool:
        """Whether the package is certified."""
        return self.status == "certified"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PackageCertification:
        """Builds the certification from its ``certify --format json`` object."""

        def checks(items: list[dict[str, Any]]) -> tuple[CertificationCheck, ...]:
            return tuple(CertificationCheck(**item) for item in items)

        evidence = dict(data["evidence"])
        evidence["unknown_markers"] = tuple(evidence["unknown_markers"])
        return cls(
            schema_version=data["schema_version"],
            status=data["status"],
            connector=data["connector"],
            package=data["package"],
            certification_manifest=ManifestRef(**data["certification_manifest"]),
            evidence=EvidenceSummary(**evidence),
            required_tests=Tally(**data["summary"]["required_tests"]),
            quality_gates=checks(data["quality_gates"]),
            conformance=checks(data["conformance"]),
            capabilities=tuple(
                CapabilityTests(
                    capability=item["capability"],
                    required_tests=tuple(
                        RequiredTest(**{**test, "tests": tuple(test["tests"])})
                        for test in item["required_tests"]
                    ),
                )
                for item in data["capabilities"]
            ),
            performance=Performance.from_dict(data["performance"]),
            reasons=tuple(data["reasons"]),
            _data=data,
        )


@dataclass(frozen=True)
class EvolveResult(_CommandReport):
    """What ``add_capability`` did (or, in a dry run, would do). Paths are relative to the
    package directory."""

    package_dir: str
    connector: str
    connector_type: str
    capabilities: tuple[str, ...]
    native_capabilities: tuple[str, ...]
    certification: bool
    """Whether the package has certification files."""
    added_capabilities: tuple[str, ...]
    added_native_capabilities: tuple[str, ...]
    dry_run: bool
    files: tuple[str, ...]
    created: tuple[str, ...]
    updated: tuple[str, ...]
    """Unedited generated files regenerated for the new capabilities."""
    unchanged: tuple[str, ...]
    kept: tuple[str, ...]
    """Edited files the change does not touch; left alone."""
    overwritten: tuple[str, ...]
    skipped: tuple[str, ...]
    """Edited files the change would update, left as they are (``keep_edited=True``)."""
    merged: tuple[str, ...]
    """Edited files the change touches, merged with it line by line."""
    conflicts: tuple[str, ...]
    """Edited files written with conflict markers (the person's lines and the change's
    changed the same lines, or a contract file was edited)."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvolveResult:
        """Builds the result from its ``add-capability --format json`` object."""
        lists = (
            "capabilities",
            "native_capabilities",
            "added_capabilities",
            "added_native_capabilities",
            "files",
            "created",
            "updated",
            "unchanged",
            "kept",
            "overwritten",
            "skipped",
            "merged",
            "conflicts",
        )
        fields = {key: tuple(data[key]) for key in lists}
        return cls(
            package_dir=data["package_dir"],
            connector=data["connector"],
            connector_type=data["connector_type"],
            certification=data["certification"],
            dry_run=data["dry_run"],
            _data=data,
            **fields,
        )


@dataclass(frozen=True)
class FileUpdate:
    """What ``update`` did to one file of a package."""

    path: str
    """Relative to the package directory, ``/``-separated."""
    action: Literal["unchanged", "updated", "merged", "conflict", "kept", "deleted-by-you", "created"]
    conflicts: int = 0
    """Conflicting regions written (0 unless ``action == "conflict"``)."""
    diff: str | None = None
    """In a dry run, the unified diff from the file on disk to what would be written."""


@dataclass(frozen=True)
class UpdateResult(_CommandReport):
    """What ``update_package`` did (or, in a dry run, would do) to one package."""

    package_dir: str
    connector: str
    base_generator: Literal["dpone-connectors", "dpone"]
    """What made the package: this generator, or dpone 0.88.0's scaffold (adopted)."""
    base_version: str
    target_version: str
    adopted: bool
    dry_run: bool
    files: tuple[FileUpdate, ...]

    @property
    def conflicts(self) -> tuple[str, ...]:
        """The files written with conflict markers."""
        return tuple(f.path for f in self.files if f.action == "conflict")

    @property
    def passed(self) -> bool:
        """Whether everything merged cleanly (``update`` exits 0)."""
        return not self.conflicts

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UpdateResult:
        """Builds the result from one package of ``update --format json``."""
        return cls(
            package_dir=data["package_dir"],
            connector=data["connector"],
            base_generator=data["base_generator"],
            base_version=data["base_version"],
            target_version=data["target_version"],
            adopted=data["adopted"],
            dry_run=data["dry_run"],
            files=tuple(FileUpdate(**item) for item in data["files"]),
            _data=data,
        )


@dataclass(frozen=True)
class ListedPackage:
    """One package of a tree, as ``list`` reports it."""

    path: str
    """The package directory relative to the listed root (``.`` for the root itself)."""
    connector: str | None
    connector_type: str | None
    capabilities: tuple[str, ...]
    native_capabilities: tuple[str, ...]
    status: Literal["certified", "unverified", "failed", "stale", "invalid"]
    outdated: bool
    """Whether an older generator (or dpone 0.88.0) made it: ``update_package`` would bring
    it forward."""
    drift: int | None
    """How many files carry contract drift, the errors ``check`` reports (``None`` when
    unreadable)."""
    edited: int | None
    """How many other generated files (tests, modules, README, docs) differ from what this
    version generates; never a problem (``None`` when unreadable)."""
    reason: str | None
    """Why the package is not certified, most serious first (``None`` when it is)."""


@dataclass(frozen=True)
class PackageList(_CommandReport):
    """Every connector package of a tree (``list``), in path order."""

    root: str
    packages: tuple[ListedPackage, ...]
    summary: dict[str, int]
    """How many packages have each status."""

    @property
    def problems(self) -> tuple[ListedPackage, ...]:
        """The packages ``list --strict`` fails on: failed, stale, invalid or with contract
        drift (edits are not problems)."""
        return tuple(
            p for p in self.packages if p.status in ("failed", "stale", "invalid") or (p.drift or 0) > 0
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PackageList:
        """Builds the listing from its ``list --format json`` object."""
        return cls(
            root=data["root"],
            packages=tuple(
                ListedPackage(
                    **{
                        **package,
                        "capabilities": tuple(package["capabilities"]),
                        "native_capabilities": tuple(package["native_capabilities"]),
                    }
                )
                for package in data["packages"]
            ),
            summary=dict(data["summary"]),
            _data=data,
        )
