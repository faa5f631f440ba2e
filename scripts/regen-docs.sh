#!/usr/bin/env bash
# Rewrites every section of the docs that lists capabilities, from the capability registry
# (`<!-- generated:KEY -->` markers; see scripts/regen_docs.py). Run it after adding or
# changing a capability; `cargo test --test generated_docs` fails while a doc is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --locked --bin dpone-connectors
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
python3 scripts/regen_docs.py --bin "$target_dir/debug/dpone-connectors"
