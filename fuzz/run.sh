#!/usr/bin/env bash
# Runs every fuzz target of BUILD (those fuzz/CMakeLists.txt lists, named in
# build-fuzz/fuzz/targets.txt) for FUZZ_SECONDS (default 60) on its seed corpus
# (fuzz/corpus/<name>), keeping new inputs in build-fuzz/corpus/<name> and crashes in
# fuzz/artifacts/. A binary left from a target no longer listed is not run.
set -euo pipefail
build=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/artifacts"
list="$build/fuzz/targets.txt"
if [ ! -f "$list" ]; then
  echo "fuzz: $list is missing (make fuzz configures and builds the targets)" >&2
  exit 1
fi
mapfile -t targets < "$list"
for target in "${targets[@]}"; do
  path="$build/fuzz/$target"
  if [ ! -x "$path" ]; then
    echo "fuzz: $path is not built (make fuzz builds every target)" >&2
    exit 1
  fi
  name=${target%_fuzz}
  work="$build/corpus/$name"
  mkdir -p "$work"
  echo "fuzz: $target for ${seconds}s"
  "$path" -max_total_time="$seconds" -artifact_prefix="$here/artifacts/" \
    "$work" "$here/corpus/$name"
done
