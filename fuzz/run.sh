#!/usr/bin/env bash
# Runs every fuzz target built in BUILD (build-fuzz/fuzz/*_fuzz) for FUZZ_SECONDS (default 60) on
# its seed corpus (fuzz/corpus/<name>), keeping new inputs in build-fuzz/corpus/<name> and crashes
# in fuzz/artifacts/.
set -euo pipefail
build=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/artifacts"
targets=("$build"/fuzz/*_fuzz)
if [ ! -x "${targets[0]}" ]; then
  echo "fuzz: no targets built in $build/fuzz (make fuzz builds them)" >&2
  exit 1
fi
for path in "${targets[@]}"; do
  target=$(basename "$path")
  name=${target%_fuzz}
  work="$build/corpus/$name"
  mkdir -p "$work"
  echo "fuzz: $target for ${seconds}s"
  "$path" -max_total_time="$seconds" -artifact_prefix="$here/artifacts/" \
    "$work" "$here/corpus/$name"
done
