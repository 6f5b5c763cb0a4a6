// What the NVD readers that hold simdjson values share (nvd.cpp over the DOM, the feed reader
// nvd_feed.cpp over On-Demand): kept out of nvd.hpp so that only they include simdjson.
#pragma once

#include <simdjson.h>

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "vuln/cpe.hpp"

namespace mamori::vuln {

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

// A cpeMatch object's fields as both walks of configurations read them — the matcher's
// (BuildConfigurations, over simdjson's DOM) and the feed reader's (over On-Demand): strings are
// views, "" when absent; the first occurrence of a field counts, as a lookup by name finds it.
struct CpeMatchFields {
  enum Slot {
    kVulnerable,
    kCriteria,
    kStartIncluding,
    kStartExcluding,
    kEndIncluding,
    kEndExcluding,
    kSlots
  };
  static constexpr std::array<std::string_view, kSlots> kNames = {
      "vulnerable",          "criteria",           "versionStartIncluding", "versionStartExcluding",
      "versionEndIncluding", "versionEndExcluding"};
  bool vulnerable = true;
  std::string_view text[kSlots];  // the strings (kCriteria…)
  unsigned seen = 0, wrong_type = 0;

  static int SlotOf(std::string_view key) {
    switch (key.size()) {
      case 10:
        return key == kNames[kVulnerable] ? kVulnerable : -1;
      case 8:
        return key == kNames[kCriteria] ? kCriteria : -1;
      case 21:
        return key == kNames[kStartIncluding]   ? kStartIncluding
               : key == kNames[kStartExcluding] ? kStartExcluding
                                                : -1;
      case 19:
        return key == kNames[kEndIncluding]   ? kEndIncluding
               : key == kNames[kEndExcluding] ? kEndExcluding
                                              : -1;
      default:
        return -1;
    }
  }
  // The first field (in kNames' order) that is not of its type.
  [[nodiscard]] const char* WrongType() const {
    for (int k = 0; k < kSlots; ++k)
      if (((wrong_type >> k) & 1U) != 0) return kNames[k].data();  // literals: terminated
    return nullptr;
  }
  // The checks both walks make of a criterion, in one order, so that what one accepts the other
  // reads and both name the same problem: a wrong type among vulnerable and criteria, a criteria
  // that is not a CPE 2.3 name, a wrong type among the bounds, both forms of one bound. "" when
  // the criterion is sound; *values then holds its name's attributes.
  [[nodiscard]] std::string Problem(CpeValues* values) const;
  // Whether Problem would give "" (*values then set), without building its answer: a feed's
  // million criteria are nearly all sound.
  [[nodiscard]] bool Sound(CpeValues* values) const {
    return wrong_type == 0 && SplitCpe(text[kCriteria], values).ok() &&
           (text[kStartIncluding].empty() || text[kStartExcluding].empty()) &&
           (text[kEndIncluding].empty() || text[kEndExcluding].empty());
  }
};

}  // namespace mamori::vuln
