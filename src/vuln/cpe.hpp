// CPE 2.3 names as NVD uses them: the formatted string binding
// ("cpe:2.3:a:fortinet:fortios:7.0.12:*:*:*:*:*:*:*", NISTIR 7695) parsed with its escapes, and
// name matching (NISTIR 7696) between a vulnerability's match criterion and a component's CPE.
// Matching is three-valued on purpose: a component whose vendor, product or version is a
// wildcard does not "match" a specific criterion, it needs review — a wrong "affected" is worse
// than an honest "要確認".
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mamori::vuln {

// part, vendor, product, version, update, edition, language, sw_edition, target_sw, target_hw,
// other — the eleven attributes in formatted-string order.
inline constexpr const char* kCpeAttributes[] = {"part",      "vendor",    "product",  "version",
                                                 "update",    "edition",   "language", "sw_edition",
                                                 "target_sw", "target_hw", "other"};

// A name in one string (its formatted binding) with the attributes' offsets: 56 bytes and one
// allocation instead of eleven strings (≈ 350 bytes) — the matcher holds a million criteria.
class Cpe {
 public:
  // Every attribute empty: "no CPE" (a component known only by its package URL).
  Cpe() = default;
  // Each attribute as written in the formatted string: "*" (ANY), "-" (NA), or a value that
  // keeps its backslash escapes; an unescaped "*" or "?" inside a value is a wildcard.
  // (These accessors are always inlined: a few instructions that GCC otherwise may leave as a
  // call in the matcher's hottest loop, depending on what else the function around holds.)
  [[nodiscard, gnu::always_inline]] std::string_view Attr(size_t k) const {
    if (text_.empty()) return {};
    return {text_.data() + at_[k], static_cast<size_t>(at_[k + 1] - at_[k] - 1)};
  }
  [[nodiscard, gnu::always_inline]] std::string_view Part() const { return Attr(0); }
  [[nodiscard, gnu::always_inline]] std::string_view Vendor() const { return Attr(1); }
  [[nodiscard, gnu::always_inline]] std::string_view Product() const { return Attr(2); }
  [[nodiscard, gnu::always_inline]] std::string_view Version() const { return Attr(3); }
  // Replaces one attribute (a value as it is written in the formatted string); false (and
  // nothing changed) when the name would grow past kMaxLength.
  [[nodiscard]] bool Set(size_t k, std::string_view value);
  // "cpe:2.3:" and the eleven attributes.
  [[nodiscard]] std::string ToString() const;

  // The longest formatted name kept (offsets are 16 bits); ParseCpe refuses longer ones.
  static constexpr size_t kMaxLength = 4096;

  // Built from eleven values as they are written (the caller checked them: ParseCpe…).
  static Cpe FromValues(const std::array<std::string_view, 11>& values);

 private:
  std::string text_;  // "cpe:2.3:…" or empty (every attribute empty)
  // Attribute k spans [at_[k], at_[k + 1] - 1) of text_ (the -1 skips its ':').
  std::array<uint16_t, 12> at_{};
};

// ANY ("*") and NA ("-") as whole values, and whether a value holds a wildcard or an escape:
// asked millions of times by the matcher, so without a string comparison.
inline bool CpeIsAny(std::string_view v) {
  return v.size() == 1 && v[0] == '*';
}
inline bool CpeIsNa(std::string_view v) {
  return v.size() == 1 && v[0] == '-';
}
inline bool CpeHasSpecial(std::string_view v) {
  // Without an early exit: the values are short, and a loop without branches is several times
  // faster on them (the compiler may also vectorise it).
  bool special = false;
  for (char c : v) special |= (c == '*') | (c == '?') | (c == '\\');
  return special;
}

// A wildcard ("*" or "?" not escaped) anywhere in a value.
bool CpeHasWildcard(std::string_view v);

// Errors (cpe.bad_name) name the position of the problem.
Result<Cpe> ParseCpe(std::string_view formatted);
// The same checks without building a Cpe: the eleven values as views into `formatted` (a feed
// reader that only needs the vendor and product of each criterion allocates nothing).
using CpeValues = std::array<std::string_view, 11>;
Status SplitCpe(std::string_view formatted, CpeValues* values);
// The same a byte at a time: the reference SplitCpe's fast path (names without escapes, sixteen
// bytes at a time) is tested against, and the path that names what is wrong with a name.
Status SplitCpeReference(std::string_view formatted, CpeValues* values);

// The same, accepting a name whose trailing attributes are left out, as people and
// endoflife.date write them ("cpe:2.3:o:fortinet:fortios"): those are ANY.
Result<Cpe> ParseCpeShort(std::string_view formatted);

// A CPE 2.2 URI ("cpe:/a:jacic:electronic_bidding_core_system", as JVN iPedia writes them)
// bound to 2.3 (NISTIR 7695 §6.1.3 → 6.2.2): percent-encoding decoded, characters other than
// letters, digits, "_", "." and "-" escaped; missing attributes ANY. The 2.2 "edition" packing
// ("~") is unpacked into edition, sw_edition, target_sw, target_hw and other.
Result<Cpe> ParseCpe22(std::string_view uri);

// An attribute's value without escapes ("7.0.12", "c\+\+" → "c++"); "*" and "-" stay.
std::string CpeUnescape(std::string_view value);
// Text as an attribute's value: every character but letters, digits, "_", "." and "-" escaped
// ("1.0 (build 5)" → "1.0\ \(build\ 5\)"), as the formatted binding needs.
std::string CpeEscape(std::string_view text);

enum class CpeMatch { kNoMatch, kMatch, kReview };

struct CpeMatchResult {
  CpeMatch match = CpeMatch::kNoMatch;
  std::string attribute;  // the attribute that decided it ("vendor"…)
  // For kReview: why a person must decide, as a message (cpe.review_unknown: attribute, the
  // criterion's value).
  std::string reason_key;
  std::vector<std::string> reason_args;
};

// Does the component `target` fall under the criterion? Criterion ANY matches anything, NA only
// NA; wildcards in the criterion match as globs (case-insensitive). A target that is ANY where
// the criterion names a value (an unknown vendor, product or version) is kReview, never kMatch.
CpeMatchResult MatchCpe(const Cpe& criterion, const Cpe& target);
// The same over attribute values held elsewhere (the matcher adjusts a value or two per
// comparison without copying either name).
CpeMatchResult MatchCpe(const CpeValues& criterion, const CpeValues& target);
// Only the outcome, without a string: what the matcher asks of every candidate pair. decided_at
// (if given) receives the attribute that decided a no-match or made it a review.
CpeMatch MatchCpeKind(const CpeValues& criterion, const CpeValues& target,
                      size_t* decided_at = nullptr);
inline CpeValues ValuesOf(const Cpe& c) {
  CpeValues v{};
  for (size_t k = 0; k < 11; ++k) v[k] = c.Attr(k);
  return v;
}

}  // namespace mamori::vuln
