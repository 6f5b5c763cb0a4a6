// Loading NVD CVE API 2.0 data in bulk (API pages, the 2.0 yearly/modified feeds, single
// records): each CVE reduced to what mamori stores — id, dates, English description, the CVSS
// metric to show (newest version, NVD's Primary first), the configurations array (in a compact
// form, kept for matching) and the vendor:product pairs its vulnerable criteria name (the candidate
// index).
//
// simdjson reads the records (the goal is a load at half of simdjson's
// raw parse speed; nlohmann, used by ReadNvdCves for single records, is ~10× slower).
#pragma once

#include <memory>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace mamori::vuln {

// A vendor and product (lower case) that a record's vulnerable criteria name.
using ProductName = std::pair<std::string_view, std::string_view>;

// One CVE as stored. Its text lies in the NvdFeed that read it (views, valid while that lives):
// a record of its own strings took six or seven allocations per CVE — a tenth of the reader.
struct CveRecord {
  std::string_view id;
  std::string_view published;
  std::string_view last_modified;
  std::string_view description_en;
  std::string_view cvss_version;  // "4.0", "3.1", "3.0", "2.0" or ""
  std::string_view cvss_vector;
  double cvss_score = 0;
  std::string_view severity;               // LOW … CRITICAL, as NVD wrote it
  std::string_view configurations = "[]";  // compact JSON: what matching reads (no matchCriteriaId)
  std::span<const ProductName> products;   // sorted, each once
};

// The records of one file and the text they view (moved, never copied: the views stay valid).
struct NvdFeed {
  std::vector<CveRecord> records;
  // What the records view: their strings and product lists, in blocks that never move.
  std::unique_ptr<std::pmr::monotonic_buffer_resource> text;
};

// Errors name the file and the record (nvd.bad_record, feed.bad_json).
Result<NvdFeed> ReadNvdFeed(std::string_view json, const std::string& file);

// The NVD CPE dictionary (CPE API 2.0 pages: products[].cpe{cpeName, titles, deprecated})
// reduced to products: vendor, product, part and a title (Japanese when JVN gave one, which is
// what a hospital's ledger is likely to say). Deprecated names are left out.
struct CpeProduct {
  std::string vendor, product, part, title;
};
Result<std::vector<CpeProduct>> ReadCpeDictionary(std::string_view json, const std::string& file);

}  // namespace mamori::vuln
