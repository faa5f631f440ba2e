#!/usr/bin/env bash
# Proves docs/writing-a-capability.md: drops the guide's `audit` module into a copy of the
# project, runs `scripts/regen-docs.sh` (the only other change the guide allows), then the
# whole suite there (`scripts/test.sh`: the Rust tests, then the Python package built,
# installed and tested), and checks that the contract kit and the module's own test ran it.
#
# The copy builds into this checkout's target directory (CARGO_TARGET_DIR), so the
# dependencies and the test venv are reused; only the project's own crates are rebuilt.
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
PY
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
# scripts/build-wheel.sh builds the wheel into the same target directory: only the project's
# two crates are compiled again, the dependencies come from this checkout's wheel build.
log="$work/suite.log"
cd "$work"
bash scripts/regen-docs.sh
grep -q '`audit`' docs/capabilities.md || { echo "regen-docs.sh did not list audit" >&2; exit 1; }
if ! bash scripts/test.sh >"$log" 2>&1; then
  tail -60 "$log"
  echo "capability guide: the whole suite fails with the guide's module" >&2
  exit 1
fi
# The new module was run through the contract kit, the registry tests and its own test.
for ran in \
  'each_capability_holds_the_contract::case_[0-9]*_audit \.\.\. ok' \
  'each_capability_module::case_[0-9]*_audit \.\.\. ok' \
  'capabilities::audit::tests::[a-z_]* \.\.\. ok'; do
  grep -q "$ran" "$log" || { echo "capability guide: no passing test matches /$ran/" >&2; exit 1; }
done
grep -E '^test result:|passed' "$log" | tail -3
echo "capability guide: OK (the whole suite passes with the guide's module)"
