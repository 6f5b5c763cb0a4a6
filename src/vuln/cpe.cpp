#include "vuln/cpe.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/text.hpp"

namespace mamori::vuln {

namespace {

// The bytes of a formatted name, by what they may be: a table instead of std::isalnum (a call
// per byte through the C locale) — feed readers split every criterion of every record.
enum : uint8_t {
  kWordByte = 1,   // [A-Za-z0-9_]: never escaped (a backslash before one is an error)
  kBareByte = 2,   // a word byte, "." or "-": written without an escape
  kPlainByte = 4,  // a bare byte, "*" or "?": may stand unescaped in a value
};
constexpr std::array<uint8_t, 256> kCpeBytes = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    bool bare = word || c == '.' || c == '-';
    t[c] = static_cast<uint8_t>((word ? kWordByte : 0) | (bare ? kBareByte | kPlainByte : 0) |
                                (c == '*' || c == '?' ? kPlainByte : 0));
  }
  return t;
}();

bool Is(char c, uint8_t kind) {
  return (kCpeBytes[static_cast<unsigned char>(c)] & kind) != 0;
}

Error BadName(std::string_view s, size_t pos, const char* what) {
  return MakeError(ErrorCode::kInvalidArgument, "cpe.bad_name",
                   {std::string(s), std::to_string(pos + 1), what}, "cpe");
}

// ASCII only: CPE values are printable ASCII (ParseCpe refuses anything else).
char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

// Glob match of an escaped criterion value against an escaped target value: "*" any run, "?" one
// character, "\x" the character x; letters compare case-insensitively.
bool Glob(std::string_view pat, std::string_view text) {
  // Most values are plain on both sides: compared in place, nothing copied (the matcher asks
  // this millions of times).
  if (!CpeHasSpecial(pat) && text.find('\\') == std::string_view::npos) {
    return EqualsAsciiNoCase(pat, text);
  }
  // Unescape the text once; the pattern is read with its escapes.
  std::string t = CpeUnescape(text);
  size_t p = 0;
  size_t i = 0;
  size_t star_p = std::string_view::npos;
  size_t star_i = 0;
  while (i < t.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star_p = p++;
      star_i = i;
      continue;
    }
    if (p < pat.size() && pat[p] == '?') {
      ++p;
      ++i;
      continue;
    }
    if (p < pat.size()) {
      char c = pat[p];
      size_t len = 1;
      if (c == '\\' && p + 1 < pat.size()) {
        c = pat[p + 1];
        len = 2;
      }
      if (Lower(c) == Lower(t[i])) {
        p += len;
        ++i;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    i = ++star_i;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

}  // namespace

bool CpeHasWildcard(std::string_view v) {
  // Most values have no special character at all, which is found without branches first: the
  // escape-aware search below, for every value, was 7.7 % of explaining a finding (callgrind;
  // 5.5 % with this test first).
  if (!CpeHasSpecial(v)) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\') {
      ++i;
      continue;
    }
    if (v[i] == '*' || v[i] == '?') return true;
  }
  return false;
}

Cpe Cpe::FromValues(const std::array<std::string_view, 11>& values) {
  Cpe c;
  size_t size = 7;
  for (auto v : values) size += 1 + v.size();
  c.text_.reserve(size);
  c.text_ = "cpe:2.3";
  for (size_t k = 0; k < 11; ++k) {
    c.text_ += ':';
    c.at_[k] = static_cast<uint16_t>(c.text_.size());
    c.text_.append(values[k]);
  }
  c.at_[11] = static_cast<uint16_t>(c.text_.size() + 1);
  return c;
}

bool Cpe::Set(size_t k, std::string_view value) {
  if (text_.size() + value.size() + 19 > kMaxLength) return false;
  std::array<std::string, 11> copy;
  std::array<std::string_view, 11> values;
  for (size_t i = 0; i < 11; ++i) {
    copy[i] = i == k ? std::string(value) : std::string(Attr(i));
    values[i] = copy[i];
  }
  *this = FromValues(values);
  return true;
}

std::string Cpe::ToString() const {
  return text_.empty() ? std::string("cpe:2.3::::::::::::") : text_;
}

std::string CpeEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (Is(c, kBareByte)) {
      out += c;
    } else {
      out += '\\';
      out += c;
    }
  }
  return out;
}

std::string CpeUnescape(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) ++i;
    out += value[i];
  }
  return out;
}

namespace {

#if defined(__SSE2__)
// A name without escapes whose every byte is plain or a separator — nearly every criterion NVD
// writes — split sixteen bytes at a time: one pass classifies the block and finds its colons. A
// byte at a time, splitting was a twelfth of the feed reader's instructions. False for anything
// else (an escape, a byte that must be escaped, a missing or empty attribute, a wrong part):
// SplitCpeReference then splits it, or names what is wrong. Hand-written because no library of
// Debian's splits CPE names; SSE2 is part of every x86-64 CPU.
bool SplitPlainCpe(std::string_view s, CpeValues* out) {
  // The shortest name has eleven one-byte attributes: 29 bytes, so that the last block can be
  // read as the name's last sixteen bytes.
  if (s.size() < 29 || s.size() > Cpe::kMaxLength || !s.starts_with("cpe:2.3:")) return false;
  const __m128i colon = _mm_set1_epi8(':'), lower = _mm_set1_epi8(0x20);
  const __m128i a = _mm_set1_epi8('a'), letters = _mm_set1_epi8(25);
  const __m128i zero = _mm_set1_epi8('0'), digits = _mm_set1_epi8(9);
  const __m128i underscore = _mm_set1_epi8('_'), dot = _mm_set1_epi8('.');
  const __m128i dash = _mm_set1_epi8('-'), star = _mm_set1_epi8('*');
  const __m128i question = _mm_set1_epi8('?');
  // Each colon ends an attribute (the part's ends at the first colon after the prefix).
  size_t attribute = 0, previous = 7;
  auto take = [&](size_t end) {
    if (end - previous < 2) return false;  // an empty attribute
    (*out)[attribute++] = std::string_view(s.data() + previous + 1, end - previous - 1);
    previous = end;
    return true;
  };
  for (size_t at = 8; at < s.size(); at += 16) {
    // The last block is the name's last sixteen bytes; those before `at` are left out.
    const size_t from = std::min(at, s.size() - 16), skip = at - from;
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + from));
    const __m128i is_colon = _mm_cmpeq_epi8(x, colon);
    const __m128i letter = _mm_sub_epi8(_mm_or_si128(x, lower), a);
    const __m128i digit = _mm_sub_epi8(x, zero);
    __m128i plain = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(letter, letters), letter),
                                 _mm_cmpeq_epi8(_mm_min_epu8(digit, digits), digit));
    plain =
        _mm_or_si128(plain, _mm_or_si128(_mm_cmpeq_epi8(x, underscore), _mm_cmpeq_epi8(x, dot)));
    plain = _mm_or_si128(plain, _mm_or_si128(_mm_cmpeq_epi8(x, dash), _mm_cmpeq_epi8(x, star)));
    plain = _mm_or_si128(plain, _mm_or_si128(_mm_cmpeq_epi8(x, question), is_colon));
    if ((static_cast<unsigned>(_mm_movemask_epi8(plain)) >> skip) != (0xFFFFU >> skip))
      return false;
    for (unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(is_colon)) >> skip; bits != 0;
         bits &= bits - 1)
      if (attribute == 10 || !take(at + static_cast<size_t>(std::countr_zero(bits))))
        return false;  // more than eleven attributes, or an empty one
  }
  if (attribute != 10 || !take(s.size())) return false;
  std::string_view part = (*out)[0];
  return part == "a" || part == "o" || part == "h" || part == "*";
}
#else
bool SplitPlainCpe(std::string_view, CpeValues*) {
  return false;
}
#endif

}  // namespace

Status SplitCpe(std::string_view s, CpeValues* out) {
  if (SplitPlainCpe(s, out)) return Ok();
  return SplitCpeReference(s, out);
}

Status SplitCpeReference(std::string_view s, CpeValues* out) {
  if (!s.starts_with("cpe:2.3:")) return BadName(s, 0, "cpe:2.3:");
  if (s.size() > Cpe::kMaxLength) return BadName(s, Cpe::kMaxLength, "length");
  CpeValues& values = *out;
  size_t pos = 8;
  for (size_t k = 0; k < 11; ++k) {
    size_t start = pos;
    while (pos < s.size() && s[pos] != ':') {
      char ch = s[pos];
      if (Is(ch, kPlainByte)) {
        ++pos;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 >= s.size()) return BadName(s, pos, "\\");
        char next = s[pos + 1];
        if (Is(next, kWordByte)) return BadName(s, pos, "\\");  // only punctuation is escaped
        pos += 2;
        continue;
      }
      if (static_cast<unsigned char>(ch) < 0x21 || static_cast<unsigned char>(ch) > 0x7e)
        return BadName(s, pos, "printable ASCII");
      return BadName(s, pos, "escape");
    }
    std::string_view v = s.substr(start, pos - start);
    if (v.empty()) return BadName(s, start, "value");
    if (k == 0 && v != "a" && v != "o" && v != "h" && v != "*") return BadName(s, start, "part");
    values[k] = v;
    if (k < 10) {
      if (pos >= s.size()) return BadName(s, pos, "11 attributes");
      ++pos;  // ':'
    }
  }
  if (pos != s.size()) return BadName(s, pos, "end");
  return Ok();
}

Result<Cpe> ParseCpe(std::string_view s) {
  CpeValues values;
  MAMORI_RETURN_IF_ERROR(SplitCpe(s, &values));
  return Cpe::FromValues(values);
}

Result<Cpe> ParseCpeShort(std::string_view formatted) {
  std::string s(formatted);
  if (s.rfind("cpe:2.3:", 0) == 0)
    for (auto colons = std::count(s.begin(), s.end(), ':'); colons < 12; ++colons) s += ":*";
  return ParseCpe(s);
}

CpeMatchResult MatchCpe(const Cpe& criterion, const Cpe& target) {
  return MatchCpe(ValuesOf(criterion), ValuesOf(target));
}

CpeMatch MatchCpeKind(const CpeValues& criterion, const CpeValues& target, size_t* decided_at) {
  // A definite mismatch anywhere wins over an unknown value elsewhere: a component of unknown
  // vendor named "xz" is no candidate for a criterion about "firefox".
  std::optional<size_t> review;
  for (size_t k = 0; k < 11; ++k) {
    std::string_view want = criterion[k];
    std::string_view have = target[k];
    if (CpeIsAny(want)) continue;
    if (CpeIsNa(want)) {
      if (CpeIsNa(have)) continue;
      if (CpeIsAny(have) && k >= 3) {
        if (!review) review = k;
        continue;
      }
      if (decided_at) *decided_at = k;
      return CpeMatch::kNoMatch;
    }
    if (CpeIsAny(have) || CpeHasWildcard(have)) {
      // The component does not say which value it has: only a person can tell.
      if (!review) review = k;
      continue;
    }
    if (CpeIsNa(have) || !Glob(want, have)) {
      if (decided_at) *decided_at = k;
      return CpeMatch::kNoMatch;
    }
  }
  if (review) {
    if (decided_at) *decided_at = *review;
    return CpeMatch::kReview;
  }
  return CpeMatch::kMatch;
}

CpeMatchResult MatchCpe(const CpeValues& criterion, const CpeValues& target) {
  size_t k = 0;
  CpeMatch m = MatchCpeKind(criterion, target, &k);
  if (m == CpeMatch::kMatch) return {CpeMatch::kMatch, "", {}, {}};
  const char* name = kCpeAttributes[k];
  if (m == CpeMatch::kNoMatch) return {CpeMatch::kNoMatch, name, {}, {}};
  std::string_view want = criterion[k];
  return {CpeMatch::kReview,
          name,
          "cpe.review_unknown",
          {name, want == "-" ? std::string("-") : CpeUnescape(want)}};
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = Lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// One 2.2 URI component → a 2.3 formatted value: "" is ANY, "-" is NA.
Result<std::string> Bind22(std::string_view uri, std::string_view v) {
  if (v.empty()) return std::string("*");
  if (v == "-") return std::string("-");
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '%') {
      if (i + 2 >= v.size()) return BadName(uri, i, "%");
      int hi = HexValue(v[i + 1]);
      int lo = HexValue(v[i + 2]);
      if (hi < 0 || lo < 0) return BadName(uri, i, "%");
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
      // 2.2's %01 and %02 are the wildcards ? and *.
      if (c == 1 || c == 2) {
        out += c == 1 ? '?' : '*';
        continue;
      }
    }
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e)
      return BadName(uri, i, "character");
    if (Is(c, kBareByte)) {
      out += Lower(c);
    } else {
      out += '\\';
      out += c;
    }
  }
  return out;
}

}  // namespace

Result<Cpe> ParseCpe22(std::string_view uri) {
  constexpr std::string_view kPrefix = "cpe:/";
  if (uri.size() < kPrefix.size() || uri.substr(0, kPrefix.size()) != kPrefix)
    return BadName(uri, 0, "cpe:/");
  std::vector<std::string_view> parts;
  std::string_view rest = uri.substr(kPrefix.size());
  for (size_t start = 0;;) {
    size_t colon = rest.find(':', start);
    parts.push_back(rest.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (parts.size() > 7) return BadName(uri, 0, "too many components");
  std::array<std::string, 11> attrs;
  attrs.fill(std::string(1, '*'));
  const std::string_view& part = parts[0];
  if (part != "a" && part != "o" && part != "h" && !part.empty()) return BadName(uri, 5, "part");
  attrs[0] = part.empty() ? "*" : std::string(part);
  // 2.2 order: part, vendor, product, version, update, edition, language.
  for (size_t i = 1; i < parts.size(); ++i) {
    if (i == 5 && !parts[i].empty() && parts[i][0] == '~') {
      // Packed: ~edition~sw_edition~target_sw~target_hw~other
      std::vector<std::string_view> packed;
      std::string_view p = parts[i].substr(1);
      for (size_t start = 0;;) {
        size_t t = p.find('~', start);
        packed.push_back(p.substr(start, t == std::string_view::npos ? t : t - start));
        if (t == std::string_view::npos) break;
        start = t + 1;
      }
      if (packed.size() != 5) return BadName(uri, 0, "edition");
      const size_t slots[] = {5, 7, 8, 9, 10};
      for (size_t k = 0; k < 5; ++k) {
        MAMORI_ASSIGN_OR_RETURN(attrs[slots[k]], Bind22(uri, packed[k]));
      }
      continue;
    }
    const size_t slot = i == 6 ? 6 : i;
    MAMORI_ASSIGN_OR_RETURN(attrs[slot], Bind22(uri, parts[i]));
  }
  std::array<std::string_view, 11> values;
  size_t size = 0;
  for (size_t k = 0; k < 11; ++k) {
    values[k] = attrs[k];
    size += attrs[k].size() + 1;
  }
  if (size + 7 > Cpe::kMaxLength) return BadName(uri, 0, "length");
  return Cpe::FromValues(values);
}

}  // namespace mamori::vuln
