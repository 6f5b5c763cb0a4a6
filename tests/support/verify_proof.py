#!/usr/bin/env python3
"""An auditor's check of `mamori logs proof` output, written from RFC 6962/9162 alone (not from
mamori's code): the leaf hash from the stored payload, the inclusion path to the checkpoint's
root (RFC 9162 §2.1.3.2), or the consistency path between two roots (§2.1.4.2); for a range
export (`mamori logs export`), every event's path and its time inside the range. Exit 0 if it
holds. Usage: verify_proof.py PROOF.json"""
import base64
import hashlib
import json
import struct
import sys


def node(a, b):
    return hashlib.sha256(b"\x01" + a + b).digest()


def inclusion(p):
    if "stored_payload_b64" in p:  # a compact syslog record: bytes, not text
        payload = base64.b64decode(p["stored_payload_b64"], validate=True)
    else:
        payload = p["stored_payload"].encode()
    entry = struct.pack("<Q", p["leaf_index"]) + payload
    leaf = hashlib.sha256(b"\x00" + entry).digest()
    assert leaf.hex() == p["leaf_hash"], "leaf hash"
    fn, sn, r = p["leaf_index"], p["tree_size"] - 1, leaf
    for h in map(bytes.fromhex, p["inclusion_path"]):
        assert sn != 0
        if fn & 1 or fn == sn:
            r = node(h, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, h)
        fn >>= 1
        sn >>= 1
    assert sn == 0 and r.hex() == p["root"], "root"
    assert ("root " + p["root"]) in p["checkpoint"]["signed_text"], "signed root"


def consistency(p):
    m, n = p["old_size"], p["new_size"]
    old, new = bytes.fromhex(p["old_root"]), bytes.fromhex(p["new_root"])
    path = [bytes.fromhex(h) for h in p["consistency_path"]]
    if m & (m - 1) == 0:
        path = [old] + path
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        assert sn != 0
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    assert fr == old and sr == new and sn == 0, "consistency"


def export(p):
    # A range export: every event proven into the one signed checkpoint, and inside the range.
    for e in p["events"]:
        inclusion(dict(e, tree_size=p["tree_size"], root=p["root"], checkpoint=p["checkpoint"]))
        # The event time: in a JSON payload as stored; a compact record holds the raw bytes it
        # is read from (docs/formats/logstore.md), the export gives mamori's reading of them.
        t = json.loads(e["stored_payload"])["time"] if "stored_payload" in e else e["time_ms"]
        assert p["range"]["from_ms"] <= t < p["range"]["to_ms"], "outside the range"


proof = json.load(open(sys.argv[1], encoding="utf-8"))
if "events" in proof:
    export(proof)
elif "inclusion_path" in proof:
    inclusion(proof)
else:
    consistency(proof)
print("ok")
