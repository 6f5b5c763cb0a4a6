#!/usr/bin/env bash
# Access-log benchmarks (issue #6), each against a peer measured in the same run on the same bytes:
#  - TCP syslog ingest (parse, normalise, hash, durable append, index) by `mamori logs serve`
#    against rsyslog receiving the same stream on imtcp and writing it to a file; the same over
#    TLS (rsyslog with gtls). Peak RSS of each receiver.
#  - A UDP burst: the share of datagrams each receiver stores when one sender sends as fast as it
#    can, mamori against rsyslog's imudp (the same receive buffer asked for by both).
#  - `mamori logs verify` of the store against `sha256sum` of the same segment bytes.
#  - EVTX ingestion of the real sample files against libevtx's own `evtxexport` reading them.
# Usage: logs_bench.sh MAMORI_BIN SHARED_DIR WORK_DIR [EVENTS [STAGE_BENCH_BIN]]  → Markdown on
# stdout (with the stage-by-stage table of logs_stage_bench when its binary is given).
set -euo pipefail
bin=$1 shared=$2 work=$3 n=${4:-500000} stage_bin=${5:-}
dir="$work/logs-bench"
rm -rf "$dir" && mkdir -p "$dir"
cd "$dir"
log() { echo "logs-bench: $*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
hwm() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# The stream: the real device lines (Wazuh samples: FortiGate, Cisco, Palo Alto, SonicWall, sshd…)
# with a PRI, repeated to n lines, LF framed.
grep -h '^log' "$shared"/testdata/logs/syslog/wazuh-ruleset-tests/*.ini | sed 's/^log [0-9]* [a-z]* = //' |
  grep -v '^May 00' | sed 's/^/<134>/' > one.log
copies=$(( n / $(wc -l < one.log) + 1 ))
for _ in $(seq "$copies"); do cat one.log; done | head -n "$n" > stream.log
bytes=$(stat -c %s stream.log)
log "stream: $n lines, $bytes bytes"

# Certificates for the TLS runs.
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=bench CA' >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost' >/dev/null 2>&1
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 >/dev/null 2>&1

# The TLS sender: bench/tls_send.cpp (OpenSSL, next to the stage benchmark) when built — a
# Python sender took 0.4–0.6 s of CPU from the two cores the receivers run on.
tls_bin=""
if [ -n "${stage_bin:-}" ] && [ -x "$(dirname "$stage_bin")/tls_send" ]; then
  tls_bin="$(dirname "$stage_bin")/tls_send"
fi

send() {  # port tls
  if [ "$2" = tls ] && [ -n "$tls_bin" ]; then
    "$tls_bin" stream.log "$1" ca.pem
  elif [ "$2" = tls ]; then
    # Python's ssl module as the TLS client (openssl s_client is not a bulk sender: it may close
    # before its buffered writes are out).
    python3 - "$1" <<'PY'
import socket, ssl, sys
ctx = ssl.create_default_context(cafile="ca.pem")
ctx.check_hostname = False
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))))
with open("stream.log", "rb") as f:
    while chunk := f.read(1 << 20):
        s.sendall(chunk)
s.close()
PY
  else
    cat stream.log > "/dev/tcp/127.0.0.1/$1"
  fi
}

rsyslog_run() {  # tls|tcp|relay (as tcp)|sync (tcp, durable) → "seconds rss_mib"
  local p; p=$(port)
  rm -f out.log
  local driver=""
  if [ "$1" = tls ]; then
    driver="StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" StreamDriver.AuthMode=\"anon\""
  fi
  # sync: omfile made durable, as mamori's appends are (rsyslog fsyncs the file and its
  # directory after each batch it writes).
  local sync=""
  [ "$1" = sync ] && sync='sync="on"'
  cat > rsyslog.conf <<CONF
global(workDirectory="$dir" DefaultNetstreamDriverCAFile="$dir/ca.pem" DefaultNetstreamDriverCertFile="$dir/server.pem" DefaultNetstreamDriverKeyFile="$dir/server.key" maxMessageSize="64k")
module(load="imtcp" $driver)
template(name="raw" type="string" string="%rawmsg%\n")
input(type="imtcp" port="$p")
action(type="omfile" file="$dir/out.log" template="raw" $sync)
CONF
  rsyslogd -n -f rsyslog.conf -i "$dir/rsyslog.pid" > rsyslog.out 2>&1 &
  local pid=$!
  wait_port "$p"
  local t0; t0=$(now)
  send "$p" "$1"
  # Done when the file holds as many bytes as were sent (the raw message and a LF per line, as
  # the stream is): stat is cheap, where counting lines read the whole file each time.
  for _ in $(seq 12000); do
    [ -f out.log ] && [ "$(stat -c %s out.log)" -ge "$bytes" ] && break
    sleep 0.01
  done
  local t1; t1=$(now)
  local rss; rss=$(hwm "$pid")
  [ "$(wc -l < out.log)" -ge "$n" ] || log "rsyslog $1: only $(wc -l < out.log) of $n lines"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(secs "$t0" "$t1") $rss"
}

mamori_run() {  # tls|tcp|relay → "seconds_stored seconds_indexed rss_mib"
  local p; p=$(port)
  rm -rf store
  # relay: plain TCP into a database whose log-source registry names the stream's devices by
  # host (and some networks), none of them the sender's address — as behind a relay, each
  # message's source is found by the host it names.
  local db="$dir/bench.db"
  [ "$1" = relay ] && db="$dir/relay.db"
  # --stats 10: a JSON line of the receiver's counters every 10 ms while they change; "stored"
  # counts events appended durably (fdatasync) — what the peer's file holds when it is done.
  if [ "$1" = tls ]; then
    "$bin" --db "$db" --json logs --log-dir store serve --stats 10 --tls "127.0.0.1:$p" \
      --tls-cert server.pem --tls-key server.key > serve.out 2>&1 &
  else
    "$bin" --db "$db" --json logs --log-dir store serve --stats 10 --tcp "127.0.0.1:$p" \
      > serve.out 2>&1 &
  fi
  local pid=$!
  wait_port "$p"
  local t0; t0=$(now)
  send "$p" "$1"
  local got=0
  for _ in $(seq 12000); do
    # One process per poll, as rsyslog's `stat` (was tail piped into sed: two, on the cores
    # the receiver runs on); the count read by bash itself.
    local last; last=$(tail -n 1 serve.out)
    got=0; [[ $last =~ \"stored\":([0-9]+) ]] && got=${BASH_REMATCH[1]}
    [ "${got:-0}" -ge "$n" ] && break
    sleep 0.01
  done
  local t1; t1=$(now)
  [ "${got:-0}" -ge "$n" ] || log "mamori $1: only $got of $n events stored"
  # The index follows on its own thread (below the receivers in priority): searchable when it
  # has caught up. Polled less often: each poll is a process of its own.
  local idx=0
  for _ in $(seq 1200); do
    idx=$("$bin" --db "$db" --json logs --log-dir store status 2>/dev/null |
      sed -n 's/.*"indexed": \([0-9]*\).*/\1/p')
    [ "${idx:-0}" -ge "$n" ] && break
    sleep 0.2
  done
  local t2; t2=$(now)
  local rss; rss=$(hwm "$pid")
  [ "${idx:-0}" -ge "$n" ] || log "mamori $1: only $idx of $n events indexed"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(secs "$t0" "$t1") $(secs "$t0" "$t2") $rss"
}

# Each ingest measured `runs` times, rsyslog and mamori in turn (the VM's run-to-run noise is
# ±40 %): the medians, and the median and range of the ratios of the pairs run one after the
# other. The searches below read the store of mamori's last TCP run.
runs=${MAMORI_BENCH_LOG_RUNS:-3}
median() { tr ' ' '\n' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
span() { tr ' ' '\n' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "–" hi }'; }
ingest() {  # tcp|tls|relay → "rsyslog_median mamori_median indexed_median ratio_median ratio_span rsyslog_rss mamori_rss"
  local rs="" ms="" mi="" ra="" r_rss=0 m_rss=0 t ti rss mt
  for i in $(seq "$runs"); do
    log "$1 $i/$runs: rsyslog"; read -r t rss <<< "$(rsyslog_run "$1")"
    rs="$rs $t"; [ "$rss" -gt "$r_rss" ] && r_rss=$rss
    log "$1 $i/$runs: mamori"; read -r mt ti rss <<< "$(mamori_run "$1")"
    ms="$ms $mt"; mi="$mi $ti"; [ "$rss" -gt "$m_rss" ] && m_rss=$rss
    ra="$ra $(ratio "$t" "$mt")"
  done
  echo "$(median <<< "${rs# }") $(median <<< "${ms# }") $(median <<< "${mi# }")" \
    "$(median <<< "${ra# }") $(span <<< "${ra# }") $r_rss $m_rss"
}
# The registry of the relay runs: the devices of the stream by the hosts their messages name,
# and a hospital's other sources (names and networks no message names).
relay_sources=(
  "fortigate Device_Name,Mobipay_Firewall,BA-RSYS-FW" "sonicwall NSA3600,NSA3500BR,NSA2650GG"
  "linux-servers someserver,srv,server,web2,vagrant,vmi189193" "core-switch 10.10.10.0/24"
  "branch-router 192.168.1.0/24,r1,junction" "emr-db EMR-DB01,10.1.10.5" "pacs PACS01,10.1.20.0/24"
  "ris RIS-SV,10.1.21.4" "ad-dc DC01,DC02,10.1.1.0/28" "vpn-gw VPN-GW01,203.0.113.10"
  "ward-ap 10.2.0.0/16" "lab-system LIS01" "pharmacy PHARM01" "backup BK-NAS01,10.1.30.9"
  "utm-branch FGT-BR01" "wlc WLC01,10.1.40.2" "print-server PRN01" "nurse-call NC-SV01"
  "dicom-router DCMRT01,10.1.20.250" "jump-host JUMP01,10.1.99.10")
"$bin" --db "$dir/relay.db" init --org bench --kind hospital > /dev/null
for s in "${relay_sources[@]}"; do
  read -r name hosts <<< "$s"
  "$bin" --db "$dir/relay.db" logs sources add "$name" --transport tcp --hosts "$hosts" > /dev/null
done
read -r r_tcp m_tcp m_tcp_idx q_tcp q_tcp_span r_tcp_rss m_tcp_rss <<< "$(ingest tcp)"
store_bytes=$(cat store/segments/*.seg | wc -c)

# Search on the store just filled (every event indexed): a first page of 100 with its total, as
# `logs search --json` gives it (the process's start included), against grep counting the same
# lines in the raw stream. Medians of three.
median3() { sort -n | sed -n 2p; }
secs3() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }
search_time() {  # mamori search arguments → seconds
  for _ in 1 2 3; do
    local t0; t0=$(now)
    eval "\"$bin\" --db \"$dir/bench.db\" --json logs --log-dir store search $1 --limit 100" > /dev/null
    secs3 "$t0" "$(now)"
  done | median3
}
grep_time() {  # fixed string [grep option] → seconds
  for _ in 1 2 3; do
    local t0; t0=$(now)
    grep -cF ${2:-} -- "$1" stream.log > /dev/null || true
    secs3 "$t0" "$(now)"
  done | median3
}
# `--text` ignores the case of letters: its peer is `grep -ciF`.
text_grep_time() { grep_time "$1" -i; }
log "search: mamori logs search vs grep"
s_host=$(search_time "--host Mobipay_Firewall"); g_host=$(grep_time "devname=Mobipay_Firewall")
s_text=$(search_time "--text 'TCP connection dropped'"); g_text=$(text_grep_time "TCP connection dropped")
s_rare=$(search_time "--text impssnagios"); g_rare=$(text_grep_time "impssnagios")
s_short=$(search_time "--text 'X3'"); g_short=$(text_grep_time "X3")
s_one=$(search_time "--text '!'"); g_one=$(text_grep_time "!")
hits() {  # mamori search arguments → the total it reports
  eval "\"$bin\" --db \"$dir/bench.db\" --json logs --log-dir store search $1 --limit 1" |
    sed -n 's/.*"total": *\([0-9]*\).*/\1/p' | head -1
}
h_text=$(hits "--text 'TCP connection dropped'"); h_rare=$(hits "--text impssnagios")
h_short=$(hits "--text 'X3'"); h_one=$(hits "--text '!'")
s_user=$(search_time "--user root"); g_user=$(grep_time "root")
s_day=$(search_time "--from 2019-02-27 --to 2019-02-28")
log "verify: mamori logs verify vs sha256sum over $store_bytes bytes"
t0=$(now); cat store/segments/*.seg | sha256sum > /dev/null; t1=$(now); sha=$(secs "$t0" "$t1")
t0=$(now); "$bin" --db "$dir/bench.db" logs --log-dir store verify > /dev/null; t1=$(now); ver=$(secs "$t0" "$t1")
read -r r_rel m_rel m_rel_idx q_rel q_rel_span r_rel_rss m_rel_rss <<< "$(ingest relay)"
read -r r_tls m_tls m_tls_idx q_tls q_tls_span r_tls_rss m_tls_rss <<< "$(ingest tls)"
# rsyslog asked for the durability mamori gives (one run: it takes tens of seconds), against the
# median of mamori's TCP runs above: not the goal's comparison, which is rsyslog as it is usually
# run (no sync), but what the same guarantee costs the peer.
log "tcp: rsyslog with sync=\"on\""
read -r r_sync r_sync_rss <<< "$(rsyslog_run sync)"

# UDP: the first udp_n lines of the stream, one datagram each, sent as fast as the kernel takes
# them (bench/udp_burst.cpp: sendmmsg, no pacing — a burst from a busy firewall; a Python sender
# where it is not built). What was not read in time is lost in the kernel, or dropped (and
# counted) by the receiver. Each receiver asks for an 8 MiB socket buffer. Medians of `runs` runs,
# in turn.
udp_n=${MAMORI_BENCH_UDP:-200000}
burst_bin=""
if [ -n "${stage_bin:-}" ] && [ -x "$(dirname "$stage_bin")/udp_burst" ]; then
  burst_bin="$(dirname "$stage_bin")/udp_burst"
fi
udp_send() {  # port → "sent seconds" in udp-send.out
  if [ -n "$burst_bin" ]; then
    "$burst_bin" stream.log "$1" "$udp_n" > udp-send.out
    return
  fi
  python3 - "$1" "$udp_n" > udp-send.out <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
port, count = int(sys.argv[1]), int(sys.argv[2])
with open("stream.log", "rb") as f:
    lines = f.read().split(b"\n")[:count]
t = time.time()
for line in lines:
    s.sendto(line, ("127.0.0.1", port))
print(len(lines), round(time.time() - t, 3))
PY
}
settled() {  # command printing a count → the count once it has not changed for a second
  local last=-1 now_count same=0
  for _ in $(seq 300); do
    now_count=$(eval "$1")
    if [ "$now_count" = "$last" ]; then same=$((same + 1)); [ "$same" -ge 5 ] && break; else same=0; fi
    last=$now_count
    sleep 0.2
  done
  echo "${last:-0}"
}
rsyslog_udp() {  # → lines stored
  local p; p=$(port)
  rm -f out.log
  cat > rsyslog-udp.conf <<CONF
global(workDirectory="$dir" maxMessageSize="64k")
module(load="imudp")
template(name="raw" type="string" string="%rawmsg%\n")
input(type="imudp" port="$p" address="127.0.0.1" rcvbufSize="8m")
action(type="omfile" file="$dir/out.log" template="raw")
CONF
  rsyslogd -n -f rsyslog-udp.conf -i "$dir/rsyslog.pid" > rsyslog.out 2>&1 &
  local pid=$!
  sleep 1
  udp_send "$p"
  settled "[ -f out.log ] && wc -l < out.log || echo 0"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
mamori_udp() {  # → "stored dropped"
  local p; p=$(port)
  rm -rf udp-store
  "$bin" --db "$dir/bench.db" --json logs --log-dir udp-store serve --stats 10 --udp "127.0.0.1:$p" \
    > udp-serve.out 2>&1 &
  local pid=$!
  sleep 1
  udp_send "$p"
  local stored
  stored=$(settled "tail -n 1 udp-serve.out | sed -n 's/.*\"stored\": *\([0-9]*\).*/\1/p'")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  local dropped; dropped=$(grep -o '"dropped_udp": *[0-9]*' udp-serve.out | tail -1 | grep -o '[0-9]*$')
  echo "${stored:-0} ${dropped:-0}"
}
u_r="" u_m="" u_d=0 u_rate=""
for i in $(seq "$runs"); do
  log "udp $i/$runs: rsyslog"; u_r="$u_r $(rsyslog_udp)"
  read -r sn ss < udp-send.out; u_rate="$u_rate $(rate "$sn" "$ss")"
  log "udp $i/$runs: mamori"; read -r st dr <<< "$(mamori_udp)"; u_m="$u_m $st"; u_d=$((u_d + dr))
  read -r sn ss < udp-send.out; u_rate="$u_rate $(rate "$sn" "$ss")"
done
u_rate=$(median <<< "${u_rate# }")
t_sender=$([ -n "$tls_bin" ] && echo "bench/tls_send (OpenSSL)" || echo "a Python ssl sender")
u_sender=$([ -n "$burst_bin" ] && echo "udp_burst (sendmmsg)" || echo "a Python sender")
u_r=$(median <<< "${u_r# }"); u_m=$(median <<< "${u_m# }")
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }

log "EVTX: mamori logs ingest vs evtxexport"
mapfile -t evtx < <(find "$shared/testdata/logs/evtx" -name '*.evtx' | sort)
evtx_bytes=$(cat "${evtx[@]}" | wc -c)
t0=$(now); for f in "${evtx[@]}"; do evtxexport "$f" > /dev/null 2>&1 || true; done; t1=$(now); ee=$(secs "$t0" "$t1")
rm -rf evtx-store
t0=$(now); "$bin" --db "$dir/bench.db" --json logs --log-dir evtx-store ingest "${evtx[@]}" > evtx.json; t1=$(now); me=$(secs "$t0" "$t1")
evtx_events=$(sed -n 's/^  "accepted": \([0-9]*\).*/\1/p' evtx.json)

cat <<TABLE
Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)): $n real device syslog lines ($bytes bytes, the Wazuh samples repeated) sent over one connection (TLS: by $t_sender); each receiver timed from the first byte to the last line stored (rsyslog: \`omfile\` with the raw message, no fsync; mamori: the message stored as received, hashed into the Merkle tree, appended with fdatasync — the receiver's \`stored\` count). mamori parses and normalises the messages on its index thread, after they are stored: the time until every event was parsed, normalised and searchable is its own row. The ingest rows are medians of $runs runs, rsyslog and mamori in turn; the ratio is the median (and range) of the $runs pairs' ratios. Higher is better for the ratios.

| measurement | mamori | peer (same run) | mamori vs peer | goal |
|---|---|---|---|---|
| TCP ingest (stored), events/s | $(rate "$n" "$m_tcp") ($m_tcp s) | rsyslog imtcp→omfile: $(rate "$n" "$r_tcp") ($r_tcp s) | $q_tcp× ($q_tcp_span) | ≥ 2× |
| TCP ingest, both durable (not the goal's comparison): rsyslog's omfile with \`sync="on"\` (fsync per batch), one run | $(rate "$n" "$m_tcp") ($m_tcp s) | rsyslog imtcp→omfile sync: $(rate "$n" "$r_sync") ($r_sync s) | $(ratio "$r_sync" "$m_tcp")× | — |
| TCP: all events parsed, normalised and searchable (index caught up) | $m_tcp_idx s | | | — |
| TCP ingest, peak RSS | $m_tcp_rss MiB | rsyslog: $r_tcp_rss MiB | | ≤ 256 MiB |
| TCP ingest behind a relay (stored), events/s: ${#relay_sources[@]} registered sources, each message's found by the host it names | $(rate "$n" "$m_rel") ($m_rel s) | rsyslog imtcp→omfile: $(rate "$n" "$r_rel") ($r_rel s) | $q_rel× ($q_rel_span) | ≥ 2× |
| TCP behind a relay, peak RSS | $m_rel_rss MiB | rsyslog: $r_rel_rss MiB | | ≤ 256 MiB |
| TLS ingest (stored), events/s | $(rate "$n" "$m_tls") ($m_tls s) | rsyslog imtcp gtls→omfile: $(rate "$n" "$r_tls") ($r_tls s) | $q_tls× ($q_tls_span) | ≥ 2× |
| TLS: all events parsed, normalised and searchable (index caught up) | $m_tls_idx s | | | — |
| TLS ingest, peak RSS | $m_tls_rss MiB | rsyslog: $r_tls_rss MiB | | ≤ 256 MiB |
| search \`--host\` (first page of 100 and the total) | $s_host s | \`grep -cF\` of the raw stream: $g_host s | $(ratio "$g_host" "$s_host")× | — |
| search \`--text 'TCP connection dropped'\` ($h_text events; trigram index) | $s_text s | \`grep -ciF\`: $g_text s | $(ratio "$g_text" "$s_text")× | — |
| search \`--text impssnagios\` ($h_rare events; trigram index) | $s_rare s | \`grep -ciF\`: $g_rare s | $(ratio "$g_rare" "$s_rare")× | — |
| search \`--text X3\` ($h_short events; two characters: tokens beginning with them) | $s_short s | \`grep -ciF\`: $g_short s | $(ratio "$g_short" "$s_short")× | — |
| search \`--text !\` ($h_one events; one character: tokens beginning with it) | $s_one s | \`grep -ciF\`: $g_one s | $(ratio "$g_one" "$s_one")× | — |
| search \`--user\` | $s_user s | \`grep -cF\`: $g_user s | $(ratio "$g_user" "$s_user")× | — |
| search \`--from\`/\`--to\` (one day) | $s_day s | | | — |
| UDP burst: $udp_n datagrams from $u_sender at full speed (median $u_rate/s), share stored | $(pct "$u_m" "$udp_n") % ($u_m; $u_d dropped by the queue in $runs runs) | rsyslog imudp→omfile: $(pct "$u_r" "$udp_n") % ($u_r) | $(ratio "$u_m" "$u_r")× | — |
| \`logs verify\` of $store_bytes bytes | $ver s | \`sha256sum\` of the same bytes: $sha s | $(ratio "$sha" "$ver")× | ≥ 0.8× |
| EVTX ingestion, ${#evtx[@]} real files ($evtx_bytes bytes, $evtx_events events) | $me s | \`evtxexport\` (libevtx) of the same files: $ee s | $(ratio "$ee" "$me")× | — |
TABLE
if [ -n "${stage_bin:-}" ]; then
  echo
  echo "Stage by stage, in one process on the same stream (\`bench/logs_stage_bench.cpp\`):"
  echo
  "$stage_bin" stream.log "$dir/stage"
fi
