#include "vuln/version.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace mamori::vuln {

namespace {

bool Digit(char c) {
  return c >= '0' && c <= '9';
}
bool Alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Two runs of digits compared as numbers of any length.
int CompareNumbers(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// --- Debian (deb-version(7), dpkg's verrevcmp) ---------------------------------------------

int DebOrder(char c) {
  if (Digit(c)) return 0;
  if (Alpha(c)) return c;
  if (c == '~') return -1;
  if (c != 0) return c + 256;
  return 0;
}

int VerRevCmp(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !Digit(a[i])) || (j < b.size() && !Digit(b[j]))) {
      int ac = DebOrder(i < a.size() ? a[i] : '\0');
      int bc = DebOrder(j < b.size() ? b[j] : '\0');
      if (ac != bc) return ac - bc;
      // dpkg reads C strings; a NUL inside a string_view must not walk either side past its end.
      if (i < a.size()) ++i;
      if (j < b.size()) ++j;
    }
    size_t si = i;
    size_t sj = j;
    while (i < a.size() && Digit(a[i])) ++i;
    while (j < b.size() && Digit(b[j])) ++j;
    first_diff = CompareNumbers(a.substr(si, i - si), b.substr(sj, j - sj));
    if (first_diff != 0) return first_diff;
  }
  return 0;
}

struct DebVersion {
  std::string_view epoch = "0";
  std::string_view upstream;
  std::string_view revision;
};

DebVersion SplitDeb(std::string_view v) {
  DebVersion d;
  size_t colon = v.find(':');
  if (colon != std::string_view::npos) {
    d.epoch = v.substr(0, colon);
    v.remove_prefix(colon + 1);
  }
  size_t dash = v.rfind('-');
  if (dash != std::string_view::npos) {
    d.revision = v.substr(dash + 1);
    v = v.substr(0, dash);
  }
  d.upstream = v;
  return d;
}

int CompareDebian(std::string_view a, std::string_view b) {
  DebVersion x = SplitDeb(a);
  DebVersion y = SplitDeb(b);
  if (int c = CompareNumbers(x.epoch, y.epoch)) return c;
  if (int c = VerRevCmp(x.upstream, y.upstream)) return c;
  return VerRevCmp(x.revision, y.revision);
}

// --- RPM (rpmvercmp) ----------------------------------------------------------------------

int RpmVerCmp(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  size_t i = 0;
  size_t j = 0;
  auto sep = [](char c) { return !Digit(c) && !Alpha(c) && c != '~' && c != '^'; };
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && sep(a[i])) ++i;
    while (j < b.size() && sep(b[j])) ++j;
    // "~" sorts before everything, even the end.
    bool at = i < a.size() && a[i] == '~';
    bool bt = j < b.size() && b[j] == '~';
    if (at || bt) {
      if (!at) return 1;
      if (!bt) return -1;
      ++i;
      ++j;
      continue;
    }
    // "^" sorts after the end, but before anything else.
    bool ac = i < a.size() && a[i] == '^';
    bool bc = j < b.size() && b[j] == '^';
    if (ac || bc) {
      if (i >= a.size()) return -1;
      if (j >= b.size()) return 1;
      if (!ac) return 1;
      if (!bc) return -1;
      ++i;
      ++j;
      continue;
    }
    if (i >= a.size() || j >= b.size()) break;
    size_t si = i;
    size_t sj = j;
    bool numeric = Digit(a[i]);
    if (numeric) {
      while (i < a.size() && Digit(a[i])) ++i;
      while (j < b.size() && Digit(b[j])) ++j;
    } else {
      while (i < a.size() && Alpha(a[i])) ++i;
      while (j < b.size() && Alpha(b[j])) ++j;
    }
    std::string_view x = a.substr(si, i - si);
    std::string_view y = b.substr(sj, j - sj);
    // Segments of different kinds: a number is newer than letters.
    if (y.empty()) return numeric ? 1 : -1;
    int c = numeric ? CompareNumbers(x, y) : x.compare(y);
    if (c != 0) return c < 0 ? -1 : 1;
  }
  if (i >= a.size() && j >= b.size()) return 0;
  return i >= a.size() ? -1 : 1;
}

int CompareRpm(std::string_view a, std::string_view b) {
  // [epoch:]version[-release]
  auto split = [](std::string_view v, std::string_view* e, std::string_view* ver,
                  std::string_view* rel) {
    *e = "0";
    size_t colon = v.find(':');
    if (colon != std::string_view::npos) {
      *e = v.substr(0, colon);
      v.remove_prefix(colon + 1);
    }
    size_t dash = v.rfind('-');
    *rel = dash == std::string_view::npos ? std::string_view() : v.substr(dash + 1);
    *ver = dash == std::string_view::npos ? v : v.substr(0, dash);
  };
  std::string_view ea, va, ra, eb, vb, rb;
  split(a, &ea, &va, &ra);
  split(b, &eb, &vb, &rb);
  if (int c = CompareNumbers(ea, eb)) return c;
  if (int c = RpmVerCmp(va, vb)) return c;
  if (ra.empty() || rb.empty()) return 0;  // a version without release matches any release
  return RpmVerCmp(ra, rb);
}

// --- Semantic Versioning 2.0.0 --------------------------------------------------------------

int CompareSemver(std::string_view a, std::string_view b) {
  auto strip = [](std::string_view v) {
    if (!v.empty() && (v.front() == 'v' || v.front() == 'V')) v.remove_prefix(1);
    size_t plus = v.find('+');  // build metadata does not order
    return plus == std::string_view::npos ? v : v.substr(0, plus);
  };
  a = strip(a);
  b = strip(b);
  auto core_end = [](std::string_view v) { return std::min(v.find('-'), v.size()); };
  std::string_view ca = a.substr(0, core_end(a));
  std::string_view cb = b.substr(0, core_end(b));
  for (int k = 0; k < 3; ++k) {
    auto take = [](std::string_view& v) {
      size_t dot = v.find('.');
      std::string_view n = v.substr(0, dot);
      v = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
      return n;
    };
    if (int c = CompareNumbers(take(ca), take(cb))) return c;
  }
  std::string_view pa = core_end(a) < a.size() ? a.substr(core_end(a) + 1) : std::string_view();
  std::string_view pb = core_end(b) < b.size() ? b.substr(core_end(b) + 1) : std::string_view();
  if (pa.empty() || pb.empty()) return pa.empty() == pb.empty() ? 0 : (pa.empty() ? 1 : -1);
  while (!pa.empty() || !pb.empty()) {
    if (pa.empty()) return -1;  // fewer identifiers: lower
    if (pb.empty()) return 1;
    size_t da = pa.find('.');
    size_t db = pb.find('.');
    std::string_view x = pa.substr(0, da);
    std::string_view y = pb.substr(0, db);
    pa = da == std::string_view::npos ? std::string_view() : pa.substr(da + 1);
    pb = db == std::string_view::npos ? std::string_view() : pb.substr(db + 1);
    bool nx = !x.empty() && std::all_of(x.begin(), x.end(), Digit);
    bool ny = !y.empty() && std::all_of(y.begin(), y.end(), Digit);
    int c = 0;
    if (nx && ny)
      c = CompareNumbers(x, y);
    else if (nx != ny)
      c = nx ? -1 : 1;  // numeric identifiers are lower than alphanumeric ones
    else
      c = x.compare(y) < 0 ? -1 : x.compare(y) > 0 ? 1 : 0;
    if (c != 0) return c;
  }
  return 0;
}

// --- generic dotted -----------------------------------------------------------------------

// Tokens: runs of digits and runs of letters; any other character separates. A known
// pre-release word (alpha, beta, rc, …) sorts before the release it precedes; any other letters
// after a number (OpenSSL's 1.1.1k) sort after it. Missing numeric parts are zero (1.0 = 1.0.0).
struct Token {
  bool number;
  std::string text;
};

std::vector<Token> Tokens(std::string_view v) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < v.size()) {
    if (Digit(v[i])) {
      size_t s = i;
      while (i < v.size() && Digit(v[i])) ++i;
      out.push_back({true, std::string(v.substr(s, i - s))});
    } else if (Alpha(v[i])) {
      size_t s = i;
      while (i < v.size() && Alpha(v[i])) ++i;
      std::string t(v.substr(s, i - s));
      std::transform(t.begin(), t.end(), t.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      out.push_back({false, t});
    } else {
      ++i;
    }
  }
  return out;
}

int PreReleaseRank(const std::string& t) {
  static const std::vector<std::string> kWords = {"dev", "snapshot", "alpha",   "a",  "beta",
                                                  "b",   "pre",      "preview", "rc", "cr"};
  auto it = std::find(kWords.begin(), kWords.end(), t);
  if (it == kWords.end()) return -1;
  // alpha = a, beta = b, rc = cr: same rank
  static const int kRank[] = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4};
  return kRank[it - kWords.begin()];
}

int CompareGeneric(std::string_view a, std::string_view b) {
  std::vector<Token> x = Tokens(a);
  std::vector<Token> y = Tokens(b);
  size_t n = std::max(x.size(), y.size());
  for (size_t k = 0; k < n; ++k) {
    const Token* p = k < x.size() ? &x[k] : nullptr;
    const Token* q = k < y.size() ? &y[k] : nullptr;
    // Past the end: numbers count as 0, a pre-release word as "before the release", other
    // letters as "after".
    auto vs_end = [](const Token& t) {
      if (t.number) return CompareNumbers(t.text, "0");
      return PreReleaseRank(t.text) >= 0 ? -1 : 1;
    };
    if (!p) return -vs_end(*q);
    if (!q) return vs_end(*p);
    if (p->number && q->number) {
      if (int c = CompareNumbers(p->text, q->text)) return c;
    } else if (p->number != q->number) {
      // A number against letters: a pre-release word is lower, other letters higher.
      const Token& word = p->number ? *q : *p;
      int word_vs_number = PreReleaseRank(word.text) >= 0 ? -1 : 1;
      return p->number ? -word_vs_number : word_vs_number;
    } else {
      int ra = PreReleaseRank(p->text);
      int rb = PreReleaseRank(q->text);
      if (ra >= 0 && rb >= 0 && ra != rb) return ra < rb ? -1 : 1;
      if (ra >= 0 && rb >= 0) continue;
      if (ra >= 0 || rb >= 0) return ra >= 0 ? -1 : 1;
      int c = p->text.compare(q->text);
      if (c != 0) return c < 0 ? -1 : 1;
    }
  }
  return 0;
}

}  // namespace

std::optional<VersionScheme> ParseVersionScheme(std::string_view name) {
  if (name == "generic") return VersionScheme::kGeneric;
  if (name == "semver") return VersionScheme::kSemver;
  if (name == "deb" || name == "debian" || name == "dpkg") return VersionScheme::kDebian;
  if (name == "rpm") return VersionScheme::kRpm;
  return std::nullopt;
}

int CompareVersions(VersionScheme scheme, std::string_view a, std::string_view b) {
  switch (scheme) {
    case VersionScheme::kDebian:
      return CompareDebian(a, b);
    case VersionScheme::kRpm:
      return CompareRpm(a, b);
    case VersionScheme::kSemver:
      return CompareSemver(a, b);
    case VersionScheme::kGeneric:
      return CompareGeneric(a, b);
  }
  return 0;
}

}  // namespace mamori::vuln
