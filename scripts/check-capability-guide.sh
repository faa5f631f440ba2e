#!/usr/bin/env bash
# Proves docs/writing-a-capability.md: drop the guide's `audit` module into a copy of the
# project, add it to the expected set, and run its own test, the registry tests and the
# generated-package tests.
# Adding a capability must need nothing else.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A copy of the tracked files (no target/), so the real tree is never touched.
git -C "$here" ls-files -z | (cd "$here" && xargs -0 cp --parents -t "$work")
python3 - "$work" <<'PY'
import re, sys, pathlib
root = pathlib.Path(sys.argv[1])
guide = (root / "docs/writing-a-capability.md").read_text()
module = re.search(r"## 1\. Create `capabilities/audit.rs`.*?```rust\n(.*?)```", guide, re.S).group(1)
(root / "capabilities/audit.rs").write_text(module)
tests = root / "tests/registry.rs"
text = tests.read_text()
patched = text.replace('    "object_staging_load",\n];', '    "object_staging_load",\n    "audit",\n];', 1)
assert patched != text, "tests/registry.rs EXPECTED list not found"
tests.write_text(patched)
PY
export CARGO_TARGET_DIR="$here/target/capability-guide"
(cd "$work" && cargo test --quiet --test registry --test generated_package 2>&1 | tail -3)
# The guide's own unit test, beside the capability; it must have run, not been filtered away.
own="$(cd "$work" && cargo test --quiet --lib capabilities::audit:: 2>&1 | tail -3)"
echo "$own"
grep -q "test result: ok. 1 passed" <<<"$own"
(cd "$work" && cargo run --quiet -- scaffold demo --capability audit --root "$work/out" --format json >/dev/null)
test -f "$work/out/dpone-connector-demo/src/dpone_connector_demo/audit.py"
(cd "$work/out/dpone-connector-demo" && python3 -m pytest -q -p no:cacheprovider | tail -1)
echo "capability guide: OK"
