#!/usr/bin/env bash
# The whole test suite, as the README gives it: the Rust crate (whose tests run generated
# packages with `python3 -m pytest`), the writer's tests again on its portable code, and the
# Python package, built as the wheel users install (scripts/build-wheel.sh), installed and
# tested (its suite includes `python -m mypy.stubtest dpone_connectors`). Everything Python
# goes into venvs under target/, so a fresh machine needs only Rust and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
# CARGO_TARGET_DIR is honoured, so a copy of the project (the capability guide check)
# reuses this checkout's builds and venv.
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$target_dir/test-venv"
pip_install() {
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# pytest and PyYAML for the generated packages' own tests; ruff, mypy and types-PyYAML to
# lint them (mypy also checks the typing contract of dpone_connectors).
pip_install pytest pyyaml "ruff>=0.17,<0.18" "mypy>=2.4,<2.5" types-PyYAML
export PATH="$venv/bin:$PATH"

# dpone 0.88.0 (the reference, from PyPI) in its own venv: `update` adopts packages made by
# `dpone connectors scaffold` by rendering their base with it, and tests/update.rs runs that
# (it fails, not skips, under CI without it). DPONE_REFERENCE_PYTHON names an existing one.
if [ -z "${DPONE_REFERENCE_PYTHON:-}" ]; then
  reference="${XDG_CACHE_HOME:-$HOME/.cache}/dpone-0.88-venv"
  has_reference() {
    "$reference/bin/python" -c 'import importlib.metadata as m; assert m.version("dpone") == "0.88.0"' 2>/dev/null
  }
  if ! has_reference; then
    python3 -m venv "$reference"
    "$reference/bin/python" -m pip install --quiet --disable-pip-version-check dpone==0.88.0
  fi
  export DPONE_REFERENCE_PYTHON="$reference/bin/python"
fi

cargo test --locked
# The writer's suite once more with the portable fallbacks forced (what macOS and Windows run
# instead of renameat2, syncfs and FS_TOPDIR_FL): an environment switch, so the test
# binaries above are reused as they are.
DPONE_CONNECTORS_PORTABLE_FS=1 cargo test --locked --lib writer::
DPONE_CONNECTORS_PORTABLE_FS=1 cargo test --locked \
  --test writer_cli --test writer_concurrency --test writer_kill --test writer_mounts --test batch

# The wheel users install (release build of the core, abi3, manylinux_2_28, checked by
# auditwheel) and the sdist, then the wheel installed the way a user installs it.
bash scripts/build-wheel.sh
pip_install --force-reinstall --no-deps dist/*.whl
DPONE_CONNECTORS_BIN="$target_dir/debug/dpone-connectors" "$venv/bin/python" -m pytest -q python/tests
# The Python package is held to what it asks of generated packages: ruff and mypy --strict
# (its suite runs mypy on the package and on a user's script).
"$venv/bin/ruff" check --no-cache python
"$venv/bin/ruff" format --check --no-cache python
