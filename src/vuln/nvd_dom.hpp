// The NVD configurations walk over a simdjson DOM element, for the two readers that hold one
// (nvd.cpp and the feed reader, nvd_feed.cpp): kept out of nvd.hpp so that only they include
// simdjson.
#pragma once

#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace mamori::vuln {

// Checks an NVD record's configurations exactly as ParseConfigurations reads them back for the
// matcher (a record accepted here is never refused there), building nothing; the vendor and
// product of every vulnerable criterion (ASCII lower case, as written, repeats included) are
// appended to *products. Errors name file, `at` and the JSON path inside the configurations.
// If compact is given, it receives the configurations as JSON for storage: what the matcher
// reads (operators, negations, criteria and their bounds) without NVD's matchCriteriaId, which
// ParseConfigurations reads back into the same configurations.
Status CheckConfigurations(simdjson::dom::element v, const std::string& file, const std::string& at,
                           std::vector<std::pair<std::string, std::string>>* products,
                           std::string* compact = nullptr);

}  // namespace mamori::vuln
