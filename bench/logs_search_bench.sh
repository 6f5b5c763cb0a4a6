#!/usr/bin/env bash
# Log search on a large store (issue #6: "paging that stays fast on a large store"): the same
# queries, each a first page of 100 and its total as `mamori logs search --json` gives them
# (process start included), on a store of N events and on one of N/10 built the same way in the
# same run — the baseline. A ratio near 1× means a page costs what it costs whatever the store
# holds; 10× would mean it reads every match. Events: bench/audit_events.py (a synthetic EHR
# audit trail over 90 days), ingested with `mamori logs ingest --format jsonl`.
# Usage: logs_search_bench.sh MAMORI_BIN WORK_DIR [N] → a Markdown table on stdout.
set -euo pipefail
bin=$1
work=$2
n=${3:-5000000}
small=$((n / 10))
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "logs_search_bench: $*" >&2; }
median3() { sort -n | sed -n 2p; }

mkdir -p "$work/search"
cd "$work/search"
build() {  # build SIZE → a store in store-SIZE
  local size=$1
  rm -rf "store-$size" "db-$size.db"*
  log "generating and ingesting $size events"
  python3 "$here/audit_events.py" "$size" > "events-$size.jsonl"
  "$bin" --db "db-$size.db" logs --log-dir "store-$size" ingest --format jsonl --source 電子カルテ \
    "events-$size.jsonl" --json > /dev/null
  rm -f "events-$size.jsonl"
  # The index caught up before anything is timed.
  "$bin" --db "db-$size.db" logs --log-dir "store-$size" search --limit 1 --json > /dev/null
}
build "$small"
build "$n"

# time_query SIZE ARGS… → seconds (median of 3); an argument @MID@ is the store's middle event.
time_query() {
  local size=$1
  shift
  local args=("${@//@MID@/$((size / 2))}")
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$bin" --db "db-$size.db" logs --log-dir "store-$size" search --json "${args[@]}" > "out-$size.json"
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
  done | median3
}
total_of() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(("%d" if d["total_exact"] else "≥ %d") % d["total"])' "out-$1.json"
}

echo "Measured $(date +%F) on $(nproc) cores: the same queries on stores of $small and $n events (bench/audit_events.py, 90 days); each a first page of 100 newest first and the total (counted up to 10 000), through \`mamori logs search --json\` (process start included), median of 3. Ratio: the large store's time over the small one's."
echo
echo "| query | $small events, s | $n events, s | total ($n) | large vs small |"
echo "|---|---|---|---|---|"
row() {
  local label=$1
  shift
  local a b total
  a=$(time_query "$small" "$@")
  b=$(time_query "$n" "$@")
  total=$(total_of "$n")
  echo "| $label | $a | $b | $total | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')× |"
}
row "everything (no filter)" --limit 100
row "page half-way back (\`--before\` the middle event)" --limit 100 --before @MID@
row "\`--host\` one terminal" --host EMR-TERM007
row "\`--user\` the busiest user (~12 % of events)" --user u0000
row "\`--user\` a rare user" --user u2999
row "\`--object\` one patient" --object P-123456
row "\`--from\`/\`--to\` one day" --from 2026-10-01 --to 2026-10-02
row "\`--from\`/\`--to\` one month" --from 2026-09-01 --to 2026-10-01
row "\`--outcome failure\`" --outcome failure
row "\`--outcome failure --user\`" --outcome failure --user u0100
row "\`--action export\`" --action export
row "\`--text カルテ\` (a fifth of the messages)" --text カルテ
row "\`--text 'TCP connection dropped'\` (a tenth)" --text "TCP connection dropped"
row "\`--text seq12345\` (a few)" --text seq12345
row "\`--text e\` (one character, most messages)" --text e
row "\`--text カルテ --user\`" --text カルテ --user u0100
cd /
rm -rf "$work/search"
