// JVN iPedia through MyJVN API "HND" (ver 3.2) XML and "OKA" (ver 4.0) JSON (below). HND:
// getVulnOverviewList / the JVNDB RSS data feed (rdf:RDF items with sec:identifier, sec:references,
// sec:cpe, sec:cvss) and getVulnDetailInfo / the detail data feed (VULDEF-Document). mamori keeps
// the Japanese title and overview a hospital reads, the JVNDB ↔ CVE aliases, and the CPEs (2.2
// → 2.3).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_body.hpp"
#include "core/result.hpp"
#include "vuln/cpe.hpp"

namespace mamori::vuln {

// One statement of the versions a product has affected, as JVN wrote it: HND's VersionNumber
// ("Ver.1.5.0より前のバージョン（CVE-2025-0355）", "8.0", "for Windows 5.8 (Build 1575) 未満"), or
// OKA's jvn_extension.affected[].versions[] (CVE JSON 5 fields beside the same words).
struct JvnVersion {
  std::string text;  // the words (OKA: description)
  // OKA only: version (the range's start, or the one version), lessThan, lessThanOrEqual, status.
  std::string version, less_than, less_than_or_equal, status;
};

struct JvnAffected {
  std::string cpe;  // CPE 2.3 formatted, of the product the statements are about
  std::vector<JvnVersion> versions;
};

struct JvnEntry {
  std::string id;        // JVNDB-2022-000097
  std::string title;     // Japanese
  std::string overview;  // Japanese, markup removed
  std::string published;
  std::string last_modified;
  std::string cvss_vector;  // the newest version given
  std::vector<std::string> cves;
  std::vector<std::string> aliases;  // JVN#96321933 …
  std::vector<std::string> cpes;     // CPE 2.3 formatted
  std::string url;
  // The versions each product has affected. has_affected: the document has a place for them
  // (a detail document, not an overview list), so an empty list means JVN stated none.
  std::vector<JvnAffected> affected;
  bool has_affected = false;
};

// What a version statement says, read strictly. A statement read wrongly would make findings
// affected or not affected that are neither; so only the forms JVN writes again and again are
// read — one version ("8.0"), "X より前" / "X 未満", "X およびそれ以前" / "X 以前" / "X 以下",
// "X 以降" / "X 以上", "X 以上 Y 以下|未満", "X から Y まで", their English forms ("prior to X",
// "X and earlier"…), with "Ver." / "バージョン" / "ファームウェアバージョン" around them — and
// anything else (a platform "for Windows", a build number, "v6 R4") is not understood and is left
// to a person. A closing "(CVE-…、CVE-…)" restricts the statement to those CVEs of the entry.
struct JvnRange {
  bool understood = false;
  std::string exact;  // one version; or the bounds below
  std::string start, end;
  bool start_including = true, end_including = false;
  std::vector<std::string> cves;  // the CVEs it is about (empty: every CVE of the entry)
};
JvnRange ReadJvnVersion(const JvnVersion& v);

// An understood statement as an NVD cpeMatch criterion on the product's CPE:
// {"vulnerable": true, "criteria": "cpe:2.3:…:<exact or *>:…", "versionStartIncluding": …};
// null if the CPE cannot take the version.
Json JvnCriterion(const Cpe& product, const JvnRange& r);

// HND XML or (a JSON document) OKA JSON. Errors name the file and the entry (feed.bad_json,
// feed.missing_field).
Result<std::vector<JvnEntry>> ReadJvn(std::string_view xml, const std::string& file);
// MyJVN API "OKA" (ver 4.0) JSON: getVulnOverviewList and the JVNDB RSS data feed (feed.entry),
// getVulnDetailInfo as jvncsaf (document, product_tree, vulnerabilities) or jvnstix (the same
// documents inside a STIX bundle). The same fields as HND: the Japanese title and overview, CVE
// ids (vulnerabilities[].cve and references), JVN aliases (references), CPEs (the product tree
// or products[].product_ids), the newest CVSS vector. Errors name the file and the line or path.
Result<std::vector<JvnEntry>> ReadJvnOka(std::string_view json, const std::string& file);

}  // namespace mamori::vuln
