// End of support from endoflife.date product files (products/<id>.md: YAML front matter with
// identifiers and releases[] — releaseCycle, releaseDate, eol, latest…), and which release cycle
// a component's version belongs to.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mamori::vuln {

struct EolRelease {
  std::string cycle;  // releaseCycle
  std::string label;  // releaseLabel, or the cycle
  std::string release_date;
  std::string eol;        // YYYY-MM-DD, or "" (see eol_bool)
  bool eol_bool = false;  // "eol: true" without a date: ended, date not published
  std::string latest;     // the latest version in the cycle
  [[nodiscard]] bool Ended(const std::string& today) const {
    return eol_bool || (!eol.empty() && eol <= today);
  }
};

struct EolProduct {
  std::string id;                 // windows, fortios, mssqlserver (the file's name / permalink)
  std::string title;              // "Microsoft Windows"
  std::vector<std::string> cpes;  // "vendor:product" from the CPE identifiers (lower case)
  std::vector<EolRelease> releases;
};

// `file` is the path; the product id is the file's stem (products/<id>.md). Errors
// (feed.bad_field, feed.missing_field) name the file and the release.
Result<EolProduct> ReadEolProduct(std::string_view text, const std::string& file);

struct EolCycleMatch {
  const EolRelease* release = nullptr;        // null: no cycle, or several that disagree
  std::vector<const EolRelease*> candidates;  // when ambiguous
  std::string how;                            // "cycle" | "latest"
};

// The release cycle a version belongs to: the longest releaseCycle that is the version or a
// dotted prefix of it ("7.0" for FortiOS 7.0.12, "1.1.1" for OpenSSL 1.1.1k); failing that, the
// cycles whose latest version shares the most leading parts with it, at least two (SQL Server
// 15.0.4345.5 → "2019", Windows 10.0.19045.3803 → "10-22h2"), accepted only when they agree on
// the end date (10.0.19044 is both 21H2 and its LTSC: ambiguous, a person decides).
EolCycleMatch FindEolCycle(const EolProduct& product, std::string_view version);

// The cycle a name gives ("10-22h2" for "Windows 10 Pro 22H2"): that cycle, or the cycles that
// extend it ("10-21h2" → "10-21h2-e", "10-21h2-w"…) when they agree on the end date.
EolCycleMatch FindEolCycleNamed(const EolProduct& product, std::string_view cycle);

}  // namespace mamori::vuln
