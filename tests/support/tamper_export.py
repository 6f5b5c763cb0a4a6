#!/usr/bin/env python3
"""Tampers with a range export (`mamori logs export`) as a forger would: replaces the bytes OLD
with NEW in every event's stored payload — JSON text or a compact record in base64 — and writes
the file back. Exit 3 when OLD occurs in no payload (the tamper test would prove nothing; a
failed check exits 1).
Usage: tamper_export.py RANGE.json OLD NEW"""
import base64
import json
import sys

path, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
export = json.load(open(path, encoding="utf-8"))
changed = 0
for e in export["events"]:
    if "stored_payload_b64" in e:
        payload = base64.b64decode(e["stored_payload_b64"], validate=True)
        if old in payload:
            e["stored_payload_b64"] = base64.b64encode(payload.replace(old, new)).decode()
            changed += 1
    elif old in e["stored_payload"].encode():
        e["stored_payload"] = e["stored_payload"].encode().replace(old, new).decode()
        changed += 1
if changed == 0:
    sys.exit(3)
json.dump(export, open(path, "w", encoding="utf-8"))
