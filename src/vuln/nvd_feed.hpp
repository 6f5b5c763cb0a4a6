// Loading NVD CVE API 2.0 data in bulk (API pages, the 2.0 yearly/modified feeds, single
// records): each CVE reduced to what mamori stores — id, dates, English description, the CVSS
// metric to show (newest version, NVD's Primary first), the configurations array (in a compact
// form, kept for matching) and the vendor:product pairs its vulnerable criteria name (the candidate
// index).
//
// simdjson reads the records (the goal is a load at half of simdjson's
// raw parse speed; nlohmann, used by ReadNvdCves for single records, is ~10× slower).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace mamori::vuln {

struct CveRecord {
  std::string id;
  std::string published;
  std::string last_modified;
  std::string description_en;
  std::string cvss_version;  // "4.0", "3.1", "3.0", "2.0" or ""
  std::string cvss_vector;
  double cvss_score = 0;
  std::string severity;               // LOW … CRITICAL, as NVD wrote it
  std::string configurations = "[]";  // compact JSON: what matching reads (no matchCriteriaId)
  std::vector<std::pair<std::string, std::string>> products;  // vendor, product (lower case)
};

// Errors name the file and the record (nvd.bad_record, feed.bad_json).
Result<std::vector<CveRecord>> ReadNvdFeed(std::string_view json, const std::string& file);

// The NVD CPE dictionary (CPE API 2.0 pages: products[].cpe{cpeName, titles, deprecated})
// reduced to products: vendor, product, part and a title (Japanese when JVN gave one, which is
// what a hospital's ledger is likely to say). Deprecated names are left out.
struct CpeProduct {
  std::string vendor, product, part, title;
};
Result<std::vector<CpeProduct>> ReadCpeDictionary(std::string_view json, const std::string& file);

}  // namespace mamori::vuln
