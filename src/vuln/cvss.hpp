// CVSS vectors of every version a vulnerability feed carries — v2 (NVD's older records), v3.0,
// v3.1 and v4.0 — parsed strictly (errors name the metric) and scored as the specifications
// define: v2 and v3.x by their formulas (v3.1 with its Roundup), v4.0 by MacroVector
// interpolation over the specification's table (data/cvss4_tables.json).
//
// Why hand-written: Debian has no C or C++ CVSS library; the scoring rules are short and exactly
// specified, and the tests compare every score with the reference calculators' results
// (../shared/testdata/vuln/cvss/).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/json_body.hpp"
#include "core/result.hpp"

namespace mamori::vuln {

enum class CvssVersion { kV2, kV30, kV31, kV40 };
const char* CvssVersionName(CvssVersion v);  // "2.0", "3.0", "3.1", "4.0"

struct Cvss {
  CvssVersion version = CvssVersion::kV31;
  std::string vector;  // as given
  std::map<std::string, std::string> metrics;
  double base_score = 0;       // v4.0: the CVSS-B/BT/BE/BTE score of the metrics present
  double temporal_score = -1;  // v3.x with temporal metrics; -1 when none
  // v3.x with environmental metrics (the hospital's own: requirements and modified base
  // metrics, e.g. a device reachable only from its VLAN); -1 when none.
  double environmental_score = -1;
  std::string severity;      // v2: LOW | MEDIUM | HIGH; v3/v4: NONE … CRITICAL
  std::string macro_vector;  // v4.0 only: EQ1…EQ6, e.g. "111100"
  [[nodiscard]] Json ToJson() const;
};

// "CVSS:3.1/AV:N/…", "CVSS:4.0/…", or a v2 vector "AV:N/AC:L/Au:N/C:P/I:P/A:P" (with or without
// parentheses). Errors: cvss.bad_vector, cvss.unknown_metric, cvss.bad_value, cvss.duplicate,
// cvss.missing (naming the metric).
Result<Cvss> ParseCvss(std::string_view vector);

// The qualitative rating of a score (v2 has three bands, v3 and v4 five).
std::string CvssSeverity(double score, CvssVersion v);

}  // namespace mamori::vuln
