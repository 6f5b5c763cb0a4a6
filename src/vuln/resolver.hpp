// Free-text software names from hospital ledgers ("Windows10 Pro 22H2", "ｱｸﾛﾊﾞｯﾄ ﾘｰﾀﾞｰ DC",
// "Java8 Update 202", "RTX1210 Rev.14.01.38") resolved to CPE names with a confidence: the
// text is normalised (ICU NFKC, lower case, letters split from digits), then matched against an
// alias dictionary kept as data (src/vuln/names/aliases.yaml), then — for candidates only —
// against the NVD CPE dictionary's English and Japanese titles. Names a person confirmed are
// remembered per organisation and win over both.
//
// A wrong guess is worse than "unresolved": only an alias (or a confirmation) resolves; the CPE
// dictionary only proposes candidates for a person to confirm.
#pragma once

#include <map>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mamori::vuln {

// NFKC, lower case, punctuation other than . - + & ' as space, spaces collapsed, and a run of
// three or more ASCII letters split from a digit after it ("windows10" → "windows 10").
std::string NormaliseName(std::string_view text);

inline constexpr double kResolveThreshold = 0.8;

struct NameCandidate {
  std::string cpe;  // formatted CPE 2.3 (version "*" when unknown)
  double confidence = 0;
  std::string source;  // alias:<id> | confirmed | dictionary
  std::string title;   // the dictionary title that matched, for people
  std::string eol_product, eol_cycle;
};

struct Resolution {
  std::string normalised;
  std::vector<NameCandidate> candidates;  // best first
  [[nodiscard]] bool Resolved() const {
    return !candidates.empty() && candidates[0].confidence >= kResolveThreshold;
  }
};

// One entry of the CPE dictionary, as stored: vendor, product, title.
struct DictionaryEntry {
  std::string vendor, product, title;
};

class NameResolver {
 public:
  // The alias file; errors name the file and the entry (feed.missing_field, feed.bad_field).
  static Result<NameResolver> FromYaml(std::string_view yaml, const std::string& file);
  // The aliases shipped in the binary.
  static const NameResolver& Builtin();

  // `name` and `version` as the ledger holds them; the version may also be inside the name.
  // `confirmed`: normalised text → CPE, this organisation's confirmations.
  // `dictionary`: candidate products to propose when no alias matched (may be empty).
  Resolution Resolve(std::string_view name, std::string_view version,
                     const std::map<std::string, std::string>& confirmed = {},
                     const std::vector<DictionaryEntry>& dictionary = {}) const;

  [[nodiscard]] size_t size() const { return aliases_.size(); }

 private:
  struct Alias {
    std::string id;
    std::regex pattern;
    std::string cpe, cpe_without_group, eol, eol_cycle;
  };
  std::vector<Alias> aliases_;
};

}  // namespace mamori::vuln
