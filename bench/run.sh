#!/usr/bin/env bash
# API latency benchmark: an authenticated list endpoint over a ledger of 10 000 assets under wrk
# (32 connections), reported against /healthz measured in the same run on the same server.
# Writes the results table into docs/benchmarks.md (between the API-LATENCY markers).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${MAMORI_BIN:-$root/build/mamori}
duration=${BENCH_SECONDS:-15}
connections=32
work=$(mktemp -d)
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "bench: seeding 10 000 assets"
seed=$("$bin" --db "$work/bench.db" --json demo seed --extra-pcs 9691)
assets=$(echo "$seed" | sed -n 's/.*"assets": \([0-9]*\).*/\1/p')
password=$(echo "$seed" | sed -n 's/.*"password": "\([^"]*\)".*/\1/p')
[ "$assets" = 10000 ] || { echo "bench: expected 10000 assets, got $assets" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --db "$work/bench.db" serve --listen "127.0.0.1:$port" --web-root "$work" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"username\":\"staff\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/auth/login" |
  sed -n 's/^Set-Cookie: \(mamori_session=[0-9a-f]*\).*/\1/p')
[ -n "$cookie" ] || { echo "bench: login failed" >&2; exit 1; }

run() {  # name url [cookie]
  local out
  if [ -n "${3:-}" ]; then
    out=$(wrk -t2 -c$connections -d"${duration}s" -s "$root/bench/latency.lua" -H "Cookie: $3" "$2")
  else
    out=$(wrk -t2 -c$connections -d"${duration}s" -s "$root/bench/latency.lua" "$2")
  fi
  echo "$out" | grep '^RESULT' | sed "s/^RESULT/$1/"
}

echo "bench: wrk ${duration}s × $connections connections each"
base=$(run healthz "http://127.0.0.1:$port/healthz")
page=$(run assets_page "http://127.0.0.1:$port/api/v1/assets?limit=100&offset=5000" "$cookie")
search=$(run assets_search "http://127.0.0.1:$port/api/v1/assets?q=EMR-PC5&limit=100" "$cookie")
echo "$base"; echo "$page"; echo "$search"

# The whole ledger through the API, as an export or a client would read it: ten pages of 1 000,
# one after another, against ten /healthz calls on the same connection pattern.
sequential() {  # url [cookie] → seconds for 10 requests
  python3 - "$@" <<'PY'
import sys, time, urllib.request
url, cookie = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else '')
start = time.perf_counter()
for i in range(10):
    req = urllib.request.Request(url.replace('{off}', str(i * 1000)), headers={'Cookie': cookie} if cookie else {})
    body = urllib.request.urlopen(req).read()
    assert len(body) > 0
print(f"{time.perf_counter() - start:.3f}")
PY
}
full_base=$(sequential "http://127.0.0.1:$port/healthz")
full_list=$(sequential "http://127.0.0.1:$port/api/v1/assets?limit=1000&offset={off}" "$cookie")
echo "full list: $full_list s (10 × /healthz: $full_base s)"

# The checklist over the same 10 000-asset hospital: an assessment evaluates every item (the
# ledger evaluators read all assets once), against the ledger completeness it is built on.
complete=$(sequential "http://127.0.0.1:$port/api/v1/ledger/completeness" "$cookie")
assess=$(sequential "http://127.0.0.1:$port/api/v1/checklist/assessment" "$cookie")
export_xlsx=$(sequential "http://127.0.0.1:$port/api/v1/checklist/export?format=xlsx" "$cookie")
export_pdf=$(sequential "http://127.0.0.1:$port/api/v1/checklist/export?format=pdf" "$cookie")
echo "checklist: assessment $assess s, completeness $complete s, xlsx $export_xlsx s, pdf $export_pdf s (10 each)"

field() { echo "$1" | sed -n "s/.* $2=\([0-9]*\).*/\1/p"; }
ms() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
rps() { awk -v n="$1" -v d="$2" 'BEGIN { printf "%.0f", n / (d / 1e6) }'; }
row() {  # label result
  local p50 p95 p99
  p50=$(field "$2" p50_us); p95=$(field "$2" p95_us); p99=$(field "$2" p99_us)
  echo "| $1 | $(ms "$p50") | $(ms "$p95") | $(ms "$p99") | $(rps "$(field "$2" requests)" "$(field "$2" duration_us)") | $(ratio "$p50" "$(field "$base" p50_us)")× | $(ratio "$p95" "$(field "$base" p95_us)")× | $(field "$2" errors)/$(field "$2" non2xx) |"
}
table=$(cat <<TABLE
Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)), SQLite backend, ${duration}s per endpoint, $connections connections (wrk -t2), 10 000 assets.

| endpoint | p50 ms | p95 ms | p99 ms | req/s | p50 vs /healthz | p95 vs /healthz | errors/non-2xx |
|---|---|---|---|---|---|---|---|
$(row '`GET /healthz` (baseline: routing + one SQL round trip)' "$base")
$(row '`GET /api/v1/assets?limit=100&offset=5000` (session auth, count + page)' "$page")
$(row '`GET /api/v1/assets?q=EMR-PC5&limit=100` (session auth, text search)' "$search")

All 10 000 assets through the API, ten sequential pages of 1 000 (with completeness and software): **${full_list} s**, against ten sequential \`/healthz\` calls: ${full_base} s ($(ratio "$full_list" "$full_base")×).
TABLE
)
doc="$root/docs/benchmarks.md"
# Replaces what stands between <!-- NAME:BEGIN --> and <!-- NAME:END --> in docs/benchmarks.md.
fill_section() {  # NAME TEXT
  python3 - "$doc" "$1" "$2" <<'PY'
import sys, re
path, name, table = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path, encoding='utf-8').read()
new = re.sub(r'(<!-- ' + name + r':BEGIN -->\n)(?:.*?\n)?(<!-- ' + name + r':END -->)',
             lambda m: m.group(1) + table + '\n' + m.group(2), text, flags=re.S)
open(path, 'w', encoding='utf-8').write(new)
PY
}
fill_section API-LATENCY "$table"
per() { awk -v t="$1" 'BEGIN { printf "%.0f", t * 100 }'; }  # 10 runs → ms per run
checklist_table=$(cat <<TABLE
Measured $(date -u +%Y-%m-%d) on the same server and hospital (10 000 assets; the exports hold the hospital's form and one form per vendor with an active contract), ten sequential requests each.

| request | ms per request | vs ledger completeness |
|---|---|---|
| \`GET /api/v1/ledger/completeness\` (baseline: all assets read, completeness computed) | $(per "$complete") | 1.0× |
| \`GET /api/v1/checklist/assessment\` (every item of the R8 hospital form evaluated) | $(per "$assess") | $(ratio "$assess" "$complete")× |
| \`GET /api/v1/checklist/export?format=xlsx\` (hospital form + one sheet per vendor) | $(per "$export_xlsx") | $(ratio "$export_xlsx" "$complete")× |
| \`GET /api/v1/checklist/export?format=pdf\` (all forms + evidence appendix) | $(per "$export_pdf") | $(ratio "$export_pdf" "$complete")× |
TABLE
)
fill_section CHECKLIST "$checklist_table"
kill "$server_pid" 2>/dev/null || true

echo "bench: ledger import of a 10 000-row workbook"
import_table=$("$root/build/bench/ledger_import_bench" "$bin" "$work" 10000)
echo "$import_table"
fill_section LEDGER-IMPORT "$import_table"
echo "bench: vulnerability engine (NVD load, matching; MAMORI_BENCH_CVES, default 330 000)"
vuln_table=$("$root/build/bench/vuln_bench" "$bin" "$root/../shared" "$work" "${MAMORI_BENCH_CVES:-330000}")
echo "$vuln_table"
fill_section VULN "$vuln_table"
echo "bench: access logs (TCP/TLS ingest vs rsyslog, verify vs sha256sum, EVTX vs evtxexport)"
logs_table=$(bash "$root/bench/logs_bench.sh" "$bin" "$root/../shared" "$work" "${MAMORI_BENCH_LOG_EVENTS:-500000}" "$(dirname "$bin")/bench/logs_stage_bench")
echo "$logs_table"
fill_section LOGS "$logs_table"
echo "bench: log search on a large store (MAMORI_BENCH_SEARCH_EVENTS, default 5 000 000, against a tenth)"
search_table=$(bash "$root/bench/logs_search_bench.sh" "$bin" "$work" "${MAMORI_BENCH_SEARCH_EVENTS:-5000000}")
echo "$search_table"
fill_section LOGS-SEARCH "$search_table"
echo "bench: results written to docs/benchmarks.md"
