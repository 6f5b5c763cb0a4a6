#include "core/text.hpp"

#include <simdjson.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cctype>
#include <cstring>

namespace mamori {

std::string Nfkc(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return std::string(utf8);
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString out = nfkc->normalize(in, status);
  if (U_FAILURE(status)) return std::string(utf8);
  std::string result;
  out.toUTF8String(result);
  return result;
}

std::string Trim(std::string_view s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

std::string MatchKey(std::string_view utf8) {
  std::string n = Nfkc(utf8);
  std::string out;
  out.reserve(n.size());
  for (char c : n) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s.size(), '\0');
  AsciiLowerInto(s, out.data());
  return out;
}

void AsciiLowerInto(std::string_view s, char* out) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    w = AsciiLower8(w);
    std::memcpy(out + i, &w, 8);
  }
  for (; i < s.size(); ++i)
    out[i] = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
}

bool ContainsAsciiNoCase(std::string_view text, std::string_view what) {
  if (what.empty()) return true;
  if (what.size() > text.size()) return false;
  auto fold = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; };
  const int first = fold(static_cast<unsigned char>(what[0]));
  for (size_t i = 0; i + what.size() <= text.size(); ++i)
    if (fold(static_cast<unsigned char>(text[i])) == first &&
        EqualsAsciiNoCase(text.substr(i, what.size()), what))
      return true;
  return false;
}

std::string CsvField(std::string_view s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos;
  bool formula = !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
  std::string v = formula ? "'" + std::string(s) : std::string(s);
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

size_t DisplayColumns(std::string_view utf8) {
  size_t columns = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    if (c < 0) {  // an ill-formed sequence
      ++columns;
      continue;
    }
    const auto width =
        static_cast<UEastAsianWidth>(u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH));
    const int8_t category = u_charType(c);
    if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK ||
        category == U_FORMAT_CHAR)  // zero width: U+200B, U+200D, U+FEFF…
      continue;
    columns += width == U_EA_WIDE || width == U_EA_FULLWIDTH ? 2 : 1;
  }
  return columns;
}

bool IsValidUtf8(std::string_view s) {
  // simdjson's validator (the widest kernel the CPU has, chosen when first used): the same
  // definition as Unicode's — no stray continuation bytes, overlong forms, surrogates or values
  // past U+10FFFF — at tens of bytes per instruction where a hand-written loop did one to eight
  // (every syslog message, CSV cell and stored event is checked). Held to a byte-at-a-time
  // reference by tests/unit/csv_reader_test.cpp (Utf8.*).
  return simdjson::validate_utf8(s.data(), s.size());
}

std::string PercentEncode(std::string_view s, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

// Whether any of the eight bytes of w is below 0x20, '"' or '\\' (the bytes JSON escapes).
bool NeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  auto zero_byte = [&](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  return (((w - kOnes * 0x20) & ~w & kHigh) | zero_byte(w ^ (kOnes * '"')) |
          zero_byte(w ^ (kOnes * '\\'))) != 0;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view v) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t plain = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    // Eight plain bytes at a time: most strings have nothing to escape.
    while (i + 8 <= v.size()) {
      uint64_t w = 0;
      std::memcpy(&w, v.data() + i, 8);
      if (NeedsEscape(w)) break;
      i += 8;
    }
    if (i >= v.size()) break;
    auto c = static_cast<unsigned char>(v[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(v.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(v.data() + plain, v.size() - plain);
  out += '"';
}

}  // namespace mamori
