"""Capture golden files from the reference (dpone 0.88.0) for tests/golden.rs.

Run with the reference's interpreter (see ../shared/tools/ensure_peer.sh), from this folder:
    $(../../../shared/tools/ensure_peer.sh)/python capture_reference.py .
It writes one folder per case with the reference's certification.yaml and
dpone_connector_manifest.json, cases.json (inputs and the reference's JSON result), and
yaml_scalars.json (how PyYAML's safe_dump writes awkward strings).
"""
import json, os, sys, tempfile, shutil
from pathlib import Path
import yaml
from dpone.connector_sdk.scaffold import ConnectorSdkScaffoldService
out = Path(sys.argv[1])
cases = [
  ("demo_api", "api", ["source"], []),
  ("Demo API", "database", ["source", "sink", "state"], ["stream_export", "file_staging_load"]),
  ("sink only", "event", ["sink"], ["object_staging_load", "stream_export", "object_export"]),
  ("state", "file", ["state", "source"], []),
  ("yes", "api", ["sink", "source"], ["file_export"]),
  ("off", "api", ["source"], []),
  ("null", "database", ["state"], []),
  ("true", "api", ["source"], ["stream_staging_load"]),
  ("123abc", "api", ["source"], []),
  ("Ünïcödé-Connector 2", "api", ["state", "sink", "source"], ["file_export", "file_staging_load", "object_export", "object_staging_load", "stream_export", "stream_staging_load"]),
]
svc = ConnectorSdkScaffoldService()
index = []
tmp = Path(tempfile.mkdtemp())
for i, (name, ctype, caps, natives) in enumerate(cases):
    r = svc.scaffold(name=name, root=str(tmp / str(i)), connector_type=ctype, capabilities=tuple(caps), native_capabilities=tuple(natives))
    d = out / f"case{i:02d}"
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy(r.sdk_root / "certification" / "certification.yaml", d / "certification.yaml")
    shutil.copy(r.sdk_root / "dpone_connector_manifest.json", d / "dpone_connector_manifest.json")
    res = r.to_dict()
    index.append({"dir": d.name, "name": name, "connector_type": ctype, "capabilities": caps, "native_capabilities": natives,
                  "result": {k: v for k, v in res.items() if k not in ("sdk_root", "files", "certification_manifest")}})
(out / "cases.json").write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
# YAML scalar quoting, as PyYAML safe_dump writes a one-key mapping.
samples = ["demo_api", "yes", "Yes", "YES", "no", "on", "off", "true", "False", "null", "Null", "~", "y", "n", "1", "01", "0o7", "0x1F", "0b101", "1_000", "1:30", "1:70", "-1", "+1", "1.5", "1e5", "1.0e+5", ".5", ".inf", "-.inf", ".nan", "2024-01-02", "2024-1-2", "2024-01-02T10:00:00Z", "2024-01-02 10:00:00", "<<", "=", "- x", "-x", "a: b", "a:b", "a #b", "a#b", "#x", "!x", "&x", "*x", "?x", "? x", "%x", "@x", "`x", "|x", ">x", "'x", "\"x", "x'y", "[x", "]x", "{x", "}x", ",x", "x,y", "x[y", " lead", "trail ", "", "---", "...", "a b", "test_artifacts/connectors/x", "connector_123abc", "x:", "x: ", "tabseparated", "_", "__", "0", "00", "8", "09", "1__", "_1", "1_", "abc-def", "True1"]
(out / "yaml_scalars.json").write_text(json.dumps([[s, yaml.safe_dump({"k": s}, sort_keys=False)] for s in samples], indent=1) + "\n")
shutil.rmtree(tmp)
