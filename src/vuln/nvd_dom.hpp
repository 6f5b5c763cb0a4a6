// The NVD configurations walk over a simdjson DOM element, for the two readers that hold one
// (nvd.cpp and the feed reader, nvd_feed.cpp): kept out of nvd.hpp so that only they include
// simdjson.
#pragma once

#include <simdjson.h>

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace mamori::vuln {

// The fields of an object that a reader wants, found in one pass over its keys instead of a
// lookup by name (simdjson's at_key) for each, which scans the keys again every time. Measured on
// the feed reader, no faster on its own than the lookups it replaced (visiting every key costs what
// the repeated scans did); kept as the reader's one way of taking fields. As a lookup by name
// would, the first field of a name counts.
template <size_t N>
struct DomFields {
  simdjson::dom::element value[N];
  unsigned found = 0;

  DomFields(simdjson::dom::object o, const std::array<std::string_view, N>& names) {
    static_assert(N <= 32);
    for (simdjson::dom::key_value_pair f : o)
      for (size_t i = 0; i < N; ++i)
        // Length and first byte before memcmp: most keys are of no interest.
        if (f.key.size() == names[i].size() && f.key[0] == names[i][0] && f.key == names[i]) {
          if (((found >> i) & 1U) == 0) {
            found |= 1U << i;
            value[i] = f.value;
          }
          break;
        }
  }
  [[nodiscard]] bool Has(size_t i) const { return ((found >> i) & 1U) != 0; }
};

// Where a record lies in its file, for an error's message ("vulnerabilities[3] CVE-2024-1"):
// made into text only when an error is reported — building it for every record was an
// allocation or two per CVE of a feed.
struct RecordPlace {
  explicit RecordPlace(std::string_view t, size_t i = std::string_view::npos) : text(t), index(i) {}
  std::string_view text;  // "vulnerabilities", "cve", …
  size_t index;           // [index] after the text, unless npos
  std::string_view id;    // the record's id, once read
  [[nodiscard]] std::string Str() const {
    std::string s(text);
    if (index != std::string_view::npos) s += "[" + std::to_string(index) + "]";
    if (!id.empty()) (s += ' ') += id;
    return s;
  }
};

// Checks an NVD record's configurations exactly as ParseConfigurations reads them back for the
// matcher (a record accepted here is never refused there), building nothing; the vendor and
// product of every vulnerable criterion (ASCII lower case, as written, repeats included) are
// appended to *products. Errors name file, `at` and the JSON path inside the configurations.
// If compact is given, it receives the configurations as JSON for storage: what the matcher
// reads (operators, negations, criteria and their bounds) without NVD's matchCriteriaId, which
// ParseConfigurations reads back into the same configurations.
Status CheckConfigurations(simdjson::dom::element v, const std::string& file, const RecordPlace& at,
                           std::vector<std::pair<std::string, std::string>>* products,
                           std::string* compact = nullptr);

}  // namespace mamori::vuln
