#!/usr/bin/env python3
# Synthetic EHR audit trail as JSON lines for bench/logs_search_bench.sh: N events over 90 days
# (2026-09-01 JST on), 204 hosts (200 terminals, two EHR servers, a firewall, a domain
# controller), 3 000 users with a Zipf-like share (the first has ~12 % of all events), 200 000
# patients, a few actions, 3 % failures, and messages of ten kinds each ending with the event's
# number. Seeded: the same N gives the same file. Made up for the benchmark — no real data.
import datetime
import json
import random
import sys

n = int(sys.argv[1])
rng = random.Random(7)
start = datetime.datetime(2026, 9, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
span = 90 * 86400
hosts = [f"EMR-TERM{i:03d}" for i in range(200)] + ["EMR-AP01", "EMR-AP02", "FGT-CORE", "DC01"]
users = [f"u{i:04d}" for i in range(3000)]
user_of = rng.choices(users, weights=[1.0 / (i + 1) for i in range(3000)], k=n)
actions = ["read"] * 8 + ["update", "print", "export", "logon", "logoff"]
messages = ["カルテ参照", "カルテ更新", "処方オーダ参照", "検査結果参照", "印刷", "ログオン",
            "ログオフ", "画像参照 PACS viewer opened", "TCP connection dropped",
            "admin settings changed"]
out = sys.stdout
for i in range(n):
    t = start + datetime.timedelta(seconds=span * i / n + rng.random())
    out.write(json.dumps({
        "time": t.isoformat(timespec="milliseconds"),
        "host": rng.choice(hosts),
        "user": user_of[i],
        "action": rng.choice(actions),
        "patient_id": f"P-{rng.randrange(200000):06d}",
        "outcome": "success" if rng.random() < 0.97 else "failure",
        "src_ip": f"10.1.{rng.randrange(256)}.{rng.randrange(256)}",
        "message": f"{rng.choice(messages)} seq{i}",
    }, ensure_ascii=False) + "\n")
