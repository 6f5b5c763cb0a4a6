// JVN iPedia through MyJVN API "HND" (ver 3.2) XML and "OKA" (ver 4.0) JSON (below). HND:
// getVulnOverviewList / the JVNDB RSS data feed (rdf:RDF items with sec:identifier, sec:references,
// sec:cpe, sec:cvss) and getVulnDetailInfo / the detail data feed (VULDEF-Document). mamori keeps
// the Japanese title and overview a hospital reads, the JVNDB ↔ CVE aliases, and the CPEs (2.2
// → 2.3).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mamori::vuln {

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
};

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
