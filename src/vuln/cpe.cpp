#include "vuln/cpe.hpp"

#include <cctype>

namespace mamori::vuln {

namespace {

Error BadName(std::string_view s, size_t pos, const char* what) {
  return MakeError(ErrorCode::kInvalidArgument, "cpe.bad_name",
                   {std::string(s), std::to_string(pos + 1), what}, "cpe");
}

char Lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Glob match of an escaped criterion value against an escaped target value: "*" any run, "?" one
// character, "\x" the character x; letters compare case-insensitively.
bool Glob(std::string_view pat, std::string_view text) {
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

bool HasWildcard(std::string_view v) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\') {
      ++i;
      continue;
    }
    if (v[i] == '*' || v[i] == '?') return true;
  }
  return false;
}

}  // namespace

std::string Cpe::ToString() const {
  std::string s = "cpe:2.3";
  for (const auto& a : attrs) s.append(":").append(a);
  return s;
}

std::string CpeUnescape(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) ++i;
    out += value[i];
  }
  return out;
}

Result<Cpe> ParseCpe(std::string_view s) {
  if (!s.starts_with("cpe:2.3:")) return BadName(s, 0, "cpe:2.3:");
  Cpe c;
  size_t pos = 8;
  for (size_t k = 0; k < 11; ++k) {
    std::string v;
    size_t start = pos;
    while (pos < s.size() && s[pos] != ':') {
      char ch = s[pos];
      if (ch == '\\') {
        if (pos + 1 >= s.size()) return BadName(s, pos, "\\");
        char next = s[pos + 1];
        if (std::isalnum(static_cast<unsigned char>(next)) || next == '_')
          return BadName(s, pos, "\\");  // only punctuation is escaped
        v.append(s.substr(pos, 2));
        pos += 2;
        continue;
      }
      if (static_cast<unsigned char>(ch) < 0x21 || static_cast<unsigned char>(ch) > 0x7e)
        return BadName(s, pos, "printable ASCII");
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-' && ch != '.' &&
          ch != '*' && ch != '?')
        return BadName(s, pos, "escape");
      v += ch;
      ++pos;
    }
    if (v.empty()) return BadName(s, start, "value");
    if (k == 0 && v != "a" && v != "o" && v != "h" && v != "*") return BadName(s, start, "part");
    c.attrs[k] = std::move(v);
    if (k < 10) {
      if (pos >= s.size()) return BadName(s, pos, "11 attributes");
      ++pos;  // ':'
    }
  }
  if (pos != s.size()) return BadName(s, pos, "end");
  return c;
}

CpeMatchResult MatchCpe(const Cpe& criterion, const Cpe& target) {
  for (size_t k = 0; k < 11; ++k) {
    const std::string& want = criterion.attrs[k];
    const std::string& have = target.attrs[k];
    const char* name = kCpeAttributes[k];
    if (want == "*") continue;
    if (want == "-") {
      if (have == "-") continue;
      if (have == "*" && k >= 3)
        return {CpeMatch::kReview, name, "cpe.review_unknown", {name, "-"}};
      return {CpeMatch::kNoMatch, name, {}, {}};
    }
    if (have == "*" || HasWildcard(have)) {
      // The component does not say which value it has: only a person can tell.
      return {CpeMatch::kReview, name, "cpe.review_unknown", {name, CpeUnescape(want)}};
    }
    if (have == "-" || !Glob(want, have)) return {CpeMatch::kNoMatch, name, {}, {}};
  }
  return {CpeMatch::kMatch, "", {}, {}};
}

}  // namespace mamori::vuln
