// JVN iPedia through MyJVN API "HND" (ver 3.2) XML: getVulnOverviewList / the JVNDB RSS data
// feed (rdf:RDF items with sec:identifier, sec:references, sec:cpe, sec:cvss) and
// getVulnDetailInfo / the detail data feed (VULDEF-Document). mamori keeps the Japanese title and
// overview a hospital reads, the JVNDB ↔ CVE aliases, and the CPEs (2.2 → 2.3).
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

// Errors name the file and the entry (feed.bad_json, feed.missing_field).
Result<std::vector<JvnEntry>> ReadJvn(std::string_view xml, const std::string& file);

}  // namespace mamori::vuln
