// Text normalisation for matching what people type: NFKC through ICU (full-width ASCII and
// half-width katakana become their usual forms), then trimmed and ASCII-lower-cased for keys.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace mamori {

std::string Nfkc(std::string_view utf8);
std::string Trim(std::string_view s);  // spaces, tabs, CR/LF (after NFKC, U+3000 is a space)
// NFKC, trimmed, ASCII lower case, with all white space removed: for matching headers and keys.
std::string MatchKey(std::string_view utf8);
// A–Z to a–z, every other byte as it is (UTF-8 stays valid).
std::string AsciiLower(std::string_view s);
// The same written to out (s.size() bytes), eight bytes at a time (AsciiLower8): what a reader
// that keeps its strings in blocks of its own lower-cases into them.
void AsciiLowerInto(std::string_view s, char* out);
// Eight bytes with A–Z as a–z, every other byte as it is, in one go (SWAR): a byte's high bit
// is set by adding 0x3F when it is ≥ 'A' and by adding 0x25 when it is > 'Z' (its low seven bits
// added, so no carry crosses into the next byte); bytes ≥ 0x80 are left out by ~x.
inline uint64_t AsciiLower8(uint64_t x) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  const uint64_t low = x & (0x7F * kOnes);
  const uint64_t upper = ((low + 0x3F * kOnes) ^ (low + 0x25 * kOnes)) & ~x & (0x80 * kOnes);
  return x | (upper >> 2);
}

// Equal but for the case of ASCII letters. Eight bytes at a time: equal words (NVD's names and
// most components' are lower case) pass at once, others are folded by AsciiLower8. The
// byte-at-a-time form was a sixth of the matcher's instructions (callgrind, 100 000 components
// against 330 000 CVEs); EqualsAsciiNoCaseReference stays as what tests hold this to.
inline bool EqualsAsciiNoCaseReference(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y)) return false;
  }
  return true;
}
// The bytes short of a word are read as two overlapping loads of half a word, a quarter or one
// byte, put into one word (a byte compared twice is equal twice): the tail's loop byte by byte
// was two fifths of the function's instructions in the matcher, whose names and versions are
// short (parts are one byte, most versions fewer than eight).
namespace text_internal {
template <size_t kBytes>
inline uint64_t Load(const char* p) {
  uint64_t x = 0;
  std::memcpy(&x, p, kBytes);
  return x;
}
inline bool SameWord(uint64_t x, uint64_t y) {
  return x == y || AsciiLower8(x) == AsciiLower8(y);
}
}  // namespace text_internal
inline bool EqualsAsciiNoCase(std::string_view a, std::string_view b) {
  using text_internal::Load;
  using text_internal::SameWord;
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
      if (!SameWord(Load<8>(p + i), Load<8>(q + i))) return false;
    return i == n || SameWord(Load<8>(p + n - 8), Load<8>(q + n - 8));
  }
  if (n >= 4)
    return SameWord(Load<4>(p) | Load<4>(p + n - 4) << 32, Load<4>(q) | Load<4>(q + n - 4) << 32);
  if (n >= 2)
    return SameWord(Load<2>(p) | Load<2>(p + n - 2) << 16, Load<2>(q) | Load<2>(q + n - 2) << 16);
  return n == 0 || SameWord(Load<1>(p), Load<1>(q));
}

// Whether `text` holds `what`, byte for byte but for the case of ASCII letters ("" is in
// everything).
bool ContainsAsciiNoCase(std::string_view text, std::string_view what);

// The columns a terminal gives the text: two for a wide or fullwidth character (漢字, かな,
// （）, Ａ), none for a combining mark or a zero-width one, one for anything else — halfwidth
// katakana (ｱｸﾛﾊﾞｯﾄ) and characters of ambiguous width (→, ○) among them, as terminals outside
// a CJK legacy mode show them. Unicode's East Asian Width, from ICU. An ill-formed sequence
// counts one.
size_t DisplayColumns(std::string_view utf8);

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
