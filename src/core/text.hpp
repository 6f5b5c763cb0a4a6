// Text normalisation for matching what people type: NFKC through ICU (full-width ASCII and
// half-width katakana become their usual forms), then trimmed and ASCII-lower-cased for keys.
#pragma once

#include <string>
#include <string_view>

namespace mamori {

std::string Nfkc(std::string_view utf8);
std::string Trim(std::string_view s);  // spaces, tabs, CR/LF (after NFKC, U+3000 is a space)
// NFKC, trimmed, ASCII lower case, with all white space removed: for matching headers and keys.
std::string MatchKey(std::string_view utf8);
// A–Z to a–z, every other byte as it is (UTF-8 stays valid).
std::string AsciiLower(std::string_view s);
// Equal but for the case of ASCII letters.
inline bool EqualsAsciiNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y)) return false;
  }
  return true;
}

// Whether `text` holds `what`, byte for byte but for the case of ASCII letters ("" is in
// everything).
bool ContainsAsciiNoCase(std::string_view text, std::string_view what);

// Well-formed UTF-8: no stray continuation bytes, overlong forms, surrogates or values past
// U+10FFFF (what JSON output and ICU need).
bool IsValidUtf8(std::string_view s);

// A JSON string (quotes included) as nlohmann's dump writes it (ensure_ascii off): ", \\ and
// \b \f \n \r \t escaped, other control characters as \u00xx, everything else as is; eight
// plain bytes at a time. Only for valid UTF-8.
void AppendJsonString(std::string& out, std::string_view v);

// RFC 3986 percent-encoding: every byte but the unreserved ones (ALPHA DIGIT - . _ ~) and those
// in keep (e.g. "/" inside a path) as %XX, upper-case hex.
std::string PercentEncode(std::string_view s, std::string_view keep = {});

// One CSV field (RFC 4180 quoting). A leading =, +, - or @ gets an apostrophe so that Excel does
// not evaluate the cell as a formula (CSV injection).
std::string CsvField(std::string_view s);

}  // namespace mamori
