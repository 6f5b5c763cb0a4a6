#!/usr/bin/env python3
"""A stand-in for the feed publishers in `mamori vuln feed update` tests (there is no NVD, CISA or
endoflife.date on a test machine). It serves the real sample files of ../shared/testdata/vuln:

  /kev.json                  the KEV catalog, with an ETag; If-None-Match → 304
  /eol/<product>.md          endoflife.date product files (404 for others)
  /osv/Debian/all.zip        OSV's per-ecosystem archive, built from the OSV records of
                             osv/osvdev (and a README member, which a reader skips), with an
                             ETag; If-None-Match → 304; other ecosystems → 404
  /myjvn?method=getVulnOverviewList&…
                             MyJVN: the items of jvn/hnd/getVulnOverviewList_hnd.xml whose
                             dcterms:modified is on or after datePublishedStartY/M/D (and those
                             of each --jvn-extra file), paged by startItem and maxCountItem
                             with the Status node rewritten
  /myjvn?method=getVulnDetailInfo&vulnId=ID+ID…
                             MyJVN: the Vulinfo of each id found in the real detail samples
                             (jvn/hnd/dataFeed_jvndb_detail_hnd.xml, getVulnDetailInfo_hnd_*),
                             at most 10 ids as MyJVN's retMax (more → retCd 1)
  /nvd?resultsPerPage=&startIndex=[&lastModStartDate=&lastModEndDate=]
                             CVE API 2.0 pages built from the NVD records, filtered by
                             lastModified as NVD does; a range over 120 days → 404 as NVD answers

It also answers as an HTTP forward proxy: a request in absolute form (GET http://host/path) is
served the same way and logged with PROXY. Every request is appended to --log.
"""
import argparse
import datetime
import glob
import hashlib
import http.server
import json
import os
import io
import re
import urllib.parse
import zipfile

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--root", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--jvn-extra", action="append", default=[],
                help="a file of overview items to list after the sample's")
args = ap.parse_args()

records = []
for path in sorted(glob.glob(os.path.join(args.root, "nvd/osvdev-nvdcve-2.0/*.json"))):
    with open(path, encoding="utf-8") as f:
        records.extend(json.load(f)["vulnerabilities"])


with open(os.path.join(args.root, "jvn/hnd/getVulnOverviewList_hnd.xml"), encoding="utf-8") as f:
    jvn_list = f.read()
jvn_items = re.findall(r"<item\b.*?</item>", jvn_list, re.S)
jvn_head = jvn_list[:jvn_list.index(jvn_items[0])]
jvn_tail = re.sub(r"<status:Status.*?/>", "{STATUS}",
                  jvn_list[jvn_list.index(jvn_items[-1]) + len(jvn_items[-1]):], flags=re.S)
for extra in args.jvn_extra:
    with open(extra, encoding="utf-8") as f:
        jvn_items += re.findall(r"<item\b.*?</item>", f.read(), re.S)

jvn_details = {}
detail_files = [os.path.join(args.root, "jvn/hnd/dataFeed_jvndb_detail_hnd.xml")] + sorted(
    glob.glob(os.path.join(args.root, "jvn/hnd/getVulnDetailInfo_hnd_*.xml")))
for path in detail_files:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for v in re.findall(r"<Vulinfo>.*?</Vulinfo>", text, re.S):
        jvn_details.setdefault(re.search(r"<VulinfoID>([^<]*)", v).group(1), v)
with open(detail_files[0], encoding="utf-8") as f:
    detail_text = f.read()
detail_head = detail_text[:detail_text.index("<Vulinfo>")]
detail_tail = re.sub(r"<status:Status.*?/>", "{STATUS}",
                     detail_text[detail_text.rindex("</Vulinfo>") + len("</Vulinfo>"):], flags=re.S)


def jvn_detail(q):
    # parse_qs reads "+" as a space: MyJVN's separator arrives as either.
    ids = [i for i in re.split(r"[+ ]", q.get("vulnId", [""])[0]) if i]
    if not ids or len(ids) > 10:
        status = ('<status:Status version="3.3" method="getVulnDetailInfo" lang="ja" retCd="1" '
                  'retMax="10" errCd="1002" errMsg="vulnId" totalRes="0" totalResRet="0" '
                  'firstRes="1" feed="hnd" />')
        return detail_head + detail_tail.replace("{STATUS}", status)
    found = [jvn_details[i] for i in ids if i in jvn_details]
    status = ('<status:Status version="3.3" method="getVulnDetailInfo" lang="ja" retCd="0" '
              'retMax="10" errCd="" errMsg="" totalRes="%d" totalResRet="%d" firstRes="1" '
              'feed="hnd" vulnId="%s" />' % (len(found), len(found), "+".join(ids)))
    return detail_head + "\n  ".join(found) + detail_tail.replace("{STATUS}", status)


def jvn_page(q):
    if q.get("method", [""])[0] == "getVulnDetailInfo":
        return jvn_detail(q)
    if q.get("method", [""])[0] != "getVulnOverviewList":
        return ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                'xmlns:status="http://jvndb.jvn.jp/myjvn/Status"><status:Status retCd="1" '
                'errCd="1001" errMsg="bad method"/></rdf:RDF>')
    since = "0000-00-00"
    if "datePublishedStartY" in q:
        since = "%s-%s-%s" % (q["datePublishedStartY"][0], q["datePublishedStartM"][0],
                              q["datePublishedStartD"][0])
    chosen = [i for i in jvn_items
              if re.search(r"<dcterms:modified>(\d{4}-\d{2}-\d{2})", i).group(1) >= since]
    start = int(q.get("startItem", ["1"])[0])
    per = int(q.get("maxCountItem", ["50"])[0])
    page = chosen[start - 1:start - 1 + per]
    status = ('<status:Status version="3.3" method="getVulnOverviewList" lang="ja" retCd="0" '
              'retMax="50" errCd="" errMsg="" totalRes="%d" totalResRet="%d" firstRes="%d" '
              'feed="hnd" />' % (len(chosen), len(page), start))
    return jvn_head + "\n".join(page) + jvn_tail.replace("{STATUS}", status)


osv_zip = io.BytesIO()
with zipfile.ZipFile(osv_zip, "w", zipfile.ZIP_DEFLATED) as z:
    for path in sorted(glob.glob(os.path.join(args.root, "osv/osvdev/*.json"))):
        z.write(path, os.path.basename(path))
    z.writestr("README.txt", "not a record")
osv_zip = osv_zip.getvalue()


def parse_time(s):
    s = s.replace("Z", "+00:00")
    t = datetime.datetime.fromisoformat(s)
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        target = self.path
        with open(args.log, "a", encoding="utf-8") as log:
            log.write(("PROXY " if target.startswith("http://") else "GET ") + target + "\n")
        url = urllib.parse.urlsplit(target)
        q = urllib.parse.parse_qs(url.query)
        if url.path == "/kev.json":
            with open(os.path.join(args.root, "kev/known_exploited_vulnerabilities.json"), "rb") as f:
                body = f.read()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, b"", {"ETag": etag})
            return self.send(200, body, {"ETag": etag, "Content-Type": "application/json"})
        if url.path == "/myjvn":
            return self.send(200, jvn_page(q).encode(), {"Content-Type": "application/xml"})
        if url.path == "/osv/Debian/all.zip":
            etag = '"' + hashlib.sha256(osv_zip).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, b"", {"ETag": etag})
            return self.send(200, osv_zip, {"ETag": etag, "Content-Type": "application/zip"})
        if url.path.startswith("/eol/") and url.path.endswith(".md"):
            name = os.path.basename(url.path)
            path = os.path.join(args.root, "eol", name)
            if not os.path.exists(path):
                return self.send(404, b"not found")
            with open(path, "rb") as f:
                return self.send(200, f.read())
        if url.path == "/nvd":
            per_page = int(q.get("resultsPerPage", ["2000"])[0])
            start = int(q.get("startIndex", ["0"])[0])
            chosen = records
            if "lastModStartDate" in q or "lastModEndDate" in q:
                lo = parse_time(q["lastModStartDate"][0])
                hi = parse_time(q["lastModEndDate"][0])
                if hi - lo > datetime.timedelta(days=120):
                    return self.send(404, b"range over 120 days")
                chosen = [r for r in records
                          if lo <= parse_time(r["cve"]["lastModified"]) <= hi]
            page = chosen[start:start + per_page]
            body = json.dumps({"resultsPerPage": len(page), "startIndex": start,
                               "totalResults": len(chosen), "format": "NVD_CVE", "version": "2.0",
                               "timestamp": "2025-09-08T00:43:09.297",
                               "vulnerabilities": page}).encode()
            return self.send(200, body, {"Content-Type": "application/json"})
        return self.send(404, b"not found")


http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()
