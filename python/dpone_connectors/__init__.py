"""Generate and certify community connector packages for dpone.

A drop-in for ``dpone.connector_sdk`` of dpone 0.88.0, driven by the Rust core of
``dpone-connector-sdk``: the same seven public names with the same signatures and results,
and the rest of the product beside them::

    from dpone_connectors import ConnectorSdkScaffoldService

    result = ConnectorSdkScaffoldService().scaffold(name="my_api", capabilities=("source", "sink"))

See ``docs/python.md`` for the whole API.
"""

from __future__ import annotations

from ._native import __version__
from .certification import ConnectorCertificationTemplateService
from .errors import (
    CertificationError,
    ConflictError,
    DponeConnectorsError,
    PackageError,
    PackError,
    RegistryError,
    RequestError,
    SpecError,
    WriteError,
)
from .models import (
    BatchEntryResult,
    CapabilityInfo,
    CheckReport,
    ConnectorSdkScaffoldResult,
    EvolveResult,
    FileUpdate,
    ListedPackage,
    PackageCertification,
    PackageList,
    UpdateResult,
)
from .native_transfer_certification import (
    ConnectorCapabilityCertificationService,
    NativeTransferCapability,
    TransportCapabilityMatrix,
)
from .native_transfer_rendering import TransportEvidenceRenderer
from .packages import (
    add_capability,
    capabilities,
    certify_package,
    check_package,
    list_packages,
    update_package,
)
from .scaffold import ConnectorSdkScaffoldService

__all__ = [
    "BatchEntryResult",
    "CapabilityInfo",
    "CertificationError",
    "CheckReport",
    "ConflictError",
    "ConnectorCapabilityCertificationService",
    "ConnectorCertificationTemplateService",
    "ConnectorSdkScaffoldResult",
    "ConnectorSdkScaffoldService",
    "DponeConnectorsError",
    "EvolveResult",
    "FileUpdate",
    "ListedPackage",
    "NativeTransferCapability",
    "PackError",
    "PackageCertification",
    "PackageError",
    "PackageList",
    "RegistryError",
    "RequestError",
    "SpecError",
    "TransportCapabilityMatrix",
    "TransportEvidenceRenderer",
    "UpdateResult",
    "WriteError",
    "__version__",
    "add_capability",
    "capabilities",
    "certify_package",
    "check_package",
    "list_packages",
    "update_package",
]
