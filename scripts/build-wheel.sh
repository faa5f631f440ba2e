#!/usr/bin/env bash
# Builds the Python distribution into dist/: one abi3 wheel (CPython 3.11 and newer) for
# x86_64 Linux with glibc 2.28 or later (manylinux_2_28), and the sdist, which holds the
# whole workspace and builds with any Rust 1.85+. The wheel is linked with zig (the
# `ziglang` package from PyPI) against glibc 2.28's symbols, so it installs on older systems
# than the one that built it; auditwheel then proves the tag, and the size is checked.
# Needs Rust and python3; maturin, ziglang and auditwheel go into a venv under target/.
# Other platforms' wheels come from .github/workflows/release.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
# CARGO_TARGET_DIR is honoured (by maturin too), so a copy of the project reuses the builds.
venv="${CARGO_TARGET_DIR:-$PWD/target}/build-venv"
max_wheel_bytes=$((8 * 1024 * 1024))

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# Pinned: the manylinux tag and the wheel's content must not change with a tool release.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "maturin==1.16.0" "ziglang==0.17.1" "auditwheel==6.8.2"

# maturin runs zig as `python3 -m ziglang`: the venv's python3 must come first.
export PATH="$venv/bin:$PATH"

rm -rf dist
# The sdist first, so it never holds a wheel; then the wheel.
"$venv/bin/maturin" sdist --manifest-path python/Cargo.toml --out dist
"$venv/bin/maturin" build --release --locked --manifest-path python/Cargo.toml --out dist \
  --zig --compatibility manylinux_2_28

# The sdist builds the whole workspace: the core crate, its capability modules and the lock
# file travel with the binding crate.
sdist=(dist/*.tar.gz)
listing=$(tar tzf "${sdist[0]}")
for needed in Cargo.toml Cargo.lock build.rs src/lib.rs capabilities/source.rs \
  python/Cargo.toml python/src/lib.rs pyproject.toml dpone_connectors/_native.pyi; do
  if ! grep -qx "dpone_connectors-[^/]*/$needed" <<<"$listing"; then
    echo "build-wheel: the sdist lacks $needed" >&2
    exit 1
  fi
done

wheels=(dist/*.whl)
if [ "${#wheels[@]}" -ne 1 ]; then
  echo "build-wheel: expected one wheel in dist/, found ${#wheels[@]}" >&2
  exit 1
fi
wheel=${wheels[0]}
case "$wheel" in
  *-cp311-abi3-manylinux_2_28_x86_64*.whl) ;;
  *)
    echo "build-wheel: $wheel is not an abi3 manylinux_2_28 x86_64 wheel" >&2
    exit 1
    ;;
esac
size=$(wc -c <"$wheel")
if [ "$size" -gt "$max_wheel_bytes" ]; then
  echo "build-wheel: $wheel is $size bytes, over the $max_wheel_bytes-byte budget" >&2
  exit 1
fi
# auditwheel reads the symbols the library needs and names the tags it qualifies for.
report=$("$venv/bin/auditwheel" show "$wheel")
echo "$report"
# (auditwheel wraps its lines; join them before matching.)
if ! tr -s '\n ' '  ' <<<"$report" | grep -q 'consistent with the following platform tag: "manylinux_2_28_x86_64"'; then
  echo "build-wheel: auditwheel does not find $wheel consistent with manylinux_2_28" >&2
  exit 1
fi
ls -l dist
