#!/usr/bin/env bash
# Installs one wheel into a fresh venv, the way a user does, and proves it works: the
# `dpone-connectors` command scaffolds a package and checks it, and `import dpone_connectors`
# scaffolds one from Python. No compiler is needed. Prints how long the install took.
# Usage: smoke-wheel.sh WHEEL [PYTHON]   (PYTHON defaults to python3, else python)
set -euo pipefail
wheel=${1:?usage: smoke-wheel.sh WHEEL [PYTHON]}
python=${2:-$(command -v python3 || command -v python)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
# Windows venvs keep their programs in Scripts/, every other platform in bin/.
bin="$work/venv/bin"
[ -d "$bin" ] || bin="$work/venv/Scripts"
start=$(date +%s.%N 2>/dev/null || date +%s)
"$bin/python" -m pip install --quiet --disable-pip-version-check --no-index --only-binary :all: "$wheel"
end=$(date +%s.%N 2>/dev/null || date +%s)
echo "installed $(basename "$wheel") into a fresh venv in $(awk "BEGIN { printf \"%.1f\", $end - $start }") s"

"$bin/dpone-connectors" --version
"$bin/dpone-connectors" scaffold smoke_api --capability source --capability sink --root "$work/out" --quiet
"$bin/dpone-connectors" check "$work/out/dpone-connector-smoke-api" --quiet
"$bin/python" - "$work/py" <<'PY'
import sys

import dpone_connectors
from dpone_connectors import ConnectorSdkScaffoldService

result = ConnectorSdkScaffoldService().scaffold(
    name="smoke_api", root=sys.argv[1], capabilities=("source",)
)
assert result.files, "the scaffold wrote no file"
print(f"import dpone_connectors {dpone_connectors.__version__}: scaffolded {len(result.files)} files")
PY
echo "smoke test passed"
