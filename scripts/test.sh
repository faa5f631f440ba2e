#!/usr/bin/env bash
# The whole test suite, as the README gives it: the Rust crate (whose tests run generated
# packages with `python3 -m pytest`) and the Python package, built and installed the way a
# user installs it (`pip install ./python`), then tested. Everything Python goes into a venv
# under target/, so a fresh machine needs only Rust and python3.
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

cargo test --locked

# The wheel (release build of the core, abi3), installed like any user installs it.
pip_install --force-reinstall --no-deps ./python
DPONE_CONNECTORS_BIN="$target_dir/debug/dpone-connectors" "$venv/bin/python" -m pytest -q python/tests
# The Python package is held to what it asks of generated packages: ruff and mypy --strict
# (its suite runs mypy on the package and on a user's script).
"$venv/bin/ruff" check --no-cache python
"$venv/bin/ruff" format --check --no-cache python
