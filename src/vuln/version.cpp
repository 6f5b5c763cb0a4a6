#include "vuln/version.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
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
// Read one at a time as views of the input: the matcher compares millions of versions, and a
// vector of strings per comparison was most of its time.
struct Token {
  bool number = false;
  std::string_view text;
};

class TokenReader {
 public:
  explicit TokenReader(std::string_view v) : v_(v) {}
  // The next token, false at the end.
  bool Next(Token* t) {
    while (i_ < v_.size() && !Digit(v_[i_]) && !Alpha(v_[i_])) ++i_;
    if (i_ >= v_.size()) return false;
    size_t s = i_;
    t->number = Digit(v_[i_]);
    while (i_ < v_.size() && (t->number ? Digit(v_[i_]) : Alpha(v_[i_]))) ++i_;
    t->text = v_.substr(s, i_ - s);
    return true;
  }

 private:
  std::string_view v_;
  size_t i_ = 0;
};

// Letters compared without case ("RC1" = "rc1").
int CompareLetters(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t k = 0; k < n; ++k) {
    int x = std::tolower(static_cast<unsigned char>(a[k]));
    int y = std::tolower(static_cast<unsigned char>(b[k]));
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : a.size() < b.size() ? -1 : 1;
}

int PreReleaseRank(std::string_view t) {
  // alpha = a, beta = b, rc = cr: same rank
  static constexpr std::pair<std::string_view, int> kWords[] = {
      {"dev", 0}, {"snapshot", 0}, {"alpha", 1},   {"a", 1},  {"beta", 2},
      {"b", 2},   {"pre", 3},      {"preview", 3}, {"rc", 4}, {"cr", 4}};
  for (const auto& [word, rank] : kWords)
    if (CompareLetters(word, t) == 0) return rank;
  return -1;
}

// CompareGenericTokens for versions of digits and dots alone (most of NVD's bounds and of the
// versions ledgers name), without tokens or words: kUndecided as soon as either has another byte
// in a part it must read. A part decided before that is decided alike by the tokens: the parts up
// to it are the same runs of digits. (callgrind, a million comparisons in the matcher: 119 ->
// 104 M instructions with the token path kept for the rest.)
constexpr int kUndecided = 2;
int CompareDotted(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  // The next part of v from *at (dots passed over), "0" past the end; false at another byte.
  auto part = [](std::string_view v, size_t* at, std::string_view* out) {
    while (*at < v.size() && v[*at] == '.') ++*at;
    const size_t from = *at;
    while (*at < v.size() && v[*at] != '.') {
      if (!Digit(v[*at])) return false;
      ++*at;
    }
    *out = from == *at ? std::string_view("0") : v.substr(from, *at - from);
    return true;
  };
  for (;;) {
    std::string_view x, y;
    if (!part(a, &i, &x) || !part(b, &j, &y)) return kUndecided;
    if (int c = CompareNumbers(x, y)) return c;
    if (i >= a.size() && j >= b.size()) return 0;
  }
}

}  // namespace

uint64_t DottedOrderKey(std::string_view v) {
  // As CompareDotted reads them: runs of digits between runs of dots, leading zeros of no
  // account, a missing part 0.
  constexpr int kPartBits = 15;
  constexpr uint64_t kPartLimit = uint64_t{1} << kPartBits;
  std::array<uint64_t, 4> parts{};
  size_t count = 0;  // parts read (zeros past the fourth are of no account either)
  size_t i = 0;
  while (i < v.size()) {
    if (v[i] == '.') {
      ++i;
      continue;
    }
    uint64_t n = 0;
    for (; i < v.size() && v[i] != '.'; ++i) {
      if (!Digit(v[i])) return 0;
      n = n * 10 + static_cast<uint64_t>(v[i] - '0');
      if (n >= kPartLimit) return 0;
    }
    if (count < parts.size())
      parts[count] = n;
    else if (n != 0)
      return 0;  // a fifth part that counts
    ++count;
  }
  uint64_t key = uint64_t{1} << 63;  // a key is never 0
  for (size_t p = 0; p < parts.size(); ++p) key |= parts[p] << (kPartBits * (3 - p));
  return key;
}

namespace {

int CompareGeneric(std::string_view a, std::string_view b) {
  if (int c = CompareDotted(a, b); c != kUndecided) return c;
  return CompareGenericTokens(a, b);
}

}  // namespace

int CompareGenericTokens(std::string_view a, std::string_view b) {
  TokenReader ra(a), rb(b);
  for (;;) {
    Token x, y;
    bool has_x = ra.Next(&x), has_y = rb.Next(&y);
    if (!has_x && !has_y) return 0;
    // Past the end: numbers count as 0, a pre-release word as "before the release", other
    // letters as "after".
    auto vs_end = [](const Token& t) {
      if (t.number) return CompareNumbers(t.text, "0");
      return PreReleaseRank(t.text) >= 0 ? -1 : 1;
    };
    // A zero part past the end decides nothing: the next one may ("1" < "1.0.5").
    if (!has_x || !has_y) {
      const int c = has_x ? vs_end(x) : -vs_end(y);
      if (c != 0) return c;
      continue;
    }
    if (x.number && y.number) {
      if (int c = CompareNumbers(x.text, y.text)) return c;
    } else if (x.number != y.number) {
      // A number against letters: a pre-release word is lower, other letters higher.
      const Token& word = x.number ? y : x;
      int word_vs_number = PreReleaseRank(word.text) >= 0 ? -1 : 1;
      return x.number ? -word_vs_number : word_vs_number;
    } else {
      int rx = PreReleaseRank(x.text);
      int ry = PreReleaseRank(y.text);
      if (rx >= 0 && ry >= 0 && rx != ry) return rx < ry ? -1 : 1;
      if (rx >= 0 && ry >= 0) continue;
      if (rx >= 0 || ry >= 0) return rx >= 0 ? -1 : 1;
      if (int c = CompareLetters(x.text, y.text)) return c;
    }
  }
}

namespace {

// --- PEP 440 (Python packages) -------------------------------------------------------------

// The parts that order a PEP 440 version, after its normalisation (case, separators, the
// spellings alpha/beta/c/pre/preview/rev/r): epoch, release without trailing zeros, pre-release,
// post-release, development release, local label.
struct Pep440 {
  std::string_view epoch = "0";
  std::vector<std::string_view> release;
  int pre_rank = 3;  // 0 a, 1 b, 2 rc; 3 none (after every pre-release); -1 dev-only (before)
  std::string_view pre_n = "0";
  bool post = false;
  std::string_view post_n = "0";
  bool dev = false;
  std::string_view dev_n = "0";
  std::vector<std::string> local;
};

bool IsSep(char c) {
  return c == '.' || c == '-' || c == '_';
}

std::string Lower(std::string_view v) {
  std::string s(v);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Reads a PEP 440 version; nullopt when the text is not one (a legacy version: the caller falls
// back to the generic order, as pip did before it refused them).
std::optional<Pep440> ParsePep440(const std::string& v) {
  Pep440 p;
  std::string_view s(v);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (!s.empty() && s.front() == 'v') s.remove_prefix(1);
  auto digits = [&s]() {
    size_t n = 0;
    while (n < s.size() && Digit(s[n])) ++n;
    std::string_view d = s.substr(0, n);
    s.remove_prefix(n);
    return d;
  };
  auto word = [&s](std::initializer_list<std::string_view> words) -> std::string_view {
    for (std::string_view w : words)
      if (s.starts_with(w)) {
        s.remove_prefix(w.size());
        return w;
      }
    return {};
  };
  std::string_view first = digits();
  if (first.empty()) return std::nullopt;
  if (!s.empty() && s.front() == '!') {
    p.epoch = first;
    s.remove_prefix(1);
    first = digits();
    if (first.empty()) return std::nullopt;
  }
  p.release.push_back(first);
  while (s.size() > 1 && s.front() == '.' && Digit(s[1])) {
    s.remove_prefix(1);
    p.release.push_back(digits());
  }
  // A label's number: [sep]N, left unread (and "0") when there is none.
  auto label_number = [&](std::string_view* n) {
    std::string_view save = s;
    if (!s.empty() && IsSep(s.front())) s.remove_prefix(1);
    std::string_view d = digits();
    if (d.empty())
      s = save;
    else
      *n = d;
  };
  // Pre-release: [sep](a|b|c|rc|alpha|beta|pre|preview)[sep][N]
  {
    std::string_view save = s;
    if (!s.empty() && IsSep(s.front())) s.remove_prefix(1);
    std::string_view w = word({"alpha", "beta", "preview", "pre", "rc", "a", "b", "c"});
    if (w.empty()) {
      s = save;
    } else {
      p.pre_rank = (w == "alpha" || w == "a") ? 0 : (w == "beta" || w == "b") ? 1 : 2;
      label_number(&p.pre_n);
    }
  }
  // Post-release: -N, or [sep](post|rev|r)[sep][N]
  {
    std::string_view save = s;
    if (s.size() > 1 && s.front() == '-' && Digit(s[1])) {
      s.remove_prefix(1);
      p.post = true;
      p.post_n = digits();
    } else {
      if (!s.empty() && IsSep(s.front())) s.remove_prefix(1);
      if (!word({"post", "rev", "r"}).empty()) {
        p.post = true;
        label_number(&p.post_n);
      } else {
        s = save;
      }
    }
  }
  // Development release: [sep]dev[sep][N]
  {
    std::string_view save = s;
    if (!s.empty() && IsSep(s.front())) s.remove_prefix(1);
    if (!word({"dev"}).empty()) {
      p.dev = true;
      label_number(&p.dev_n);
    } else {
      s = save;
    }
  }
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
    if (s.empty()) return std::nullopt;
    std::string part;
    for (char c : s) {
      if (IsSep(c)) {
        if (part.empty()) return std::nullopt;
        p.local.push_back(part);
        part.clear();
      } else if (Digit(c) || Alpha(c)) {
        part += c;
      } else {
        return std::nullopt;
      }
    }
    if (part.empty()) return std::nullopt;
    p.local.push_back(part);
    s = {};
  }
  if (!s.empty()) return std::nullopt;
  if (p.pre_rank == 3 && !p.post && p.dev) p.pre_rank = -1;  // 1.0.dev0 < 1.0a1
  while (p.release.size() > 1 && CompareNumbers(p.release.back(), "0") == 0) p.release.pop_back();
  return p;
}

int ComparePep440(std::string_view a, std::string_view b) {
  std::string la = Lower(a);
  std::string lb = Lower(b);
  auto x = ParsePep440(la);
  auto y = ParsePep440(lb);
  if (!x || !y) return CompareGeneric(a, b);
  if (int c = CompareNumbers(x->epoch, y->epoch)) return c;
  size_t n = std::max(x->release.size(), y->release.size());
  for (size_t k = 0; k < n; ++k) {
    std::string_view p = k < x->release.size() ? x->release[k] : "0";
    std::string_view q = k < y->release.size() ? y->release[k] : "0";
    if (int c = CompareNumbers(p, q)) return c;
  }
  if (x->pre_rank != y->pre_rank) return x->pre_rank < y->pre_rank ? -1 : 1;
  if (x->pre_rank >= 0 && x->pre_rank < 3)
    if (int c = CompareNumbers(x->pre_n, y->pre_n)) return c;
  if (x->post != y->post) return x->post ? 1 : -1;  // no post-release sorts first
  if (x->post)
    if (int c = CompareNumbers(x->post_n, y->post_n)) return c;
  if (x->dev != y->dev) return x->dev ? -1 : 1;  // a development release precedes its release
  if (x->dev)
    if (int c = CompareNumbers(x->dev_n, y->dev_n)) return c;
  // Local labels: none sorts first; segments pairwise, numbers after words, then by length.
  size_t m = std::min(x->local.size(), y->local.size());
  if (x->local.empty() != y->local.empty()) return x->local.empty() ? -1 : 1;
  for (size_t k = 0; k < m; ++k) {
    const std::string& p = x->local[k];
    const std::string& q = y->local[k];
    bool np = std::all_of(p.begin(), p.end(), Digit);
    bool nq = std::all_of(q.begin(), q.end(), Digit);
    if (np != nq) return np ? 1 : -1;
    int c = np ? CompareNumbers(p, q) : p.compare(q);
    if (c != 0) return c < 0 ? -1 : 1;
  }
  if (x->local.size() != y->local.size()) return x->local.size() < y->local.size() ? -1 : 1;
  return 0;
}

// --- Maven (ComparableVersion of Maven 3.9) ---------------------------------------------------

// A parsed Maven version is a list of items: numbers, qualifiers and sub-lists (each "-", and each
// switch from letters to digits, opens one). Items compare as Maven's Item.compareTo does; a
// missing item is "null", against which 0, the release qualifier and an empty list are equal.
struct MavenItem {
  enum Kind { kInt, kString, kList } kind = kInt;
  std::string text;  // kInt: digits without leading zeros; kString: the comparable qualifier
  std::vector<MavenItem> list;
};

std::string MavenQualifier(std::string q, bool followed_by_digit) {
  if (followed_by_digit && q.size() == 1) {
    if (q == "a")
      q = "alpha";
    else if (q == "b")
      q = "beta";
    else if (q == "m")
      q = "milestone";
  }
  if (q == "ga" || q == "final" || q == "release") q = "";
  if (q == "cr") q = "rc";
  static const char* const kOrder[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
  for (int i = 0; i < 7; ++i)
    if (q == kOrder[i]) return std::to_string(i);
  return "7-" + q;  // unknown qualifiers after the known ones, in lexical order
}

constexpr const char* kMavenRelease = "5";

bool MavenIsNull(const MavenItem& it) {
  switch (it.kind) {
    case MavenItem::kInt:
      return it.text.empty();  // 0
    case MavenItem::kString:
      return it.text == kMavenRelease;
    case MavenItem::kList:
      return it.list.empty();
  }
  return false;
}

MavenItem MavenParseItem(bool digit, std::string_view buf, bool followed_by_digit) {
  MavenItem it;
  if (digit) {
    it.kind = MavenItem::kInt;
    while (!buf.empty() && buf.front() == '0') buf.remove_prefix(1);
    it.text = std::string(buf);
  } else {
    it.kind = MavenItem::kString;
    it.text = MavenQualifier(std::string(buf), followed_by_digit);
  }
  return it;
}

void MavenNormalize(MavenItem& list) {
  for (size_t i = list.list.size(); i-- > 0;) {
    MavenItem& last = list.list[i];
    if (last.kind == MavenItem::kList) MavenNormalize(last);
    if (MavenIsNull(last))
      list.list.erase(list.list.begin() + static_cast<std::ptrdiff_t>(i));
    else if (last.kind != MavenItem::kList)
      break;
  }
}

MavenItem MavenParse(std::string_view version) {
  std::string v = Lower(version);
  MavenItem root;
  root.kind = MavenItem::kList;
  // The open lists, innermost last. A list only grows while it is the innermost one, so the
  // pointers into its parents stay valid.
  std::vector<MavenItem*> stack{&root};
  auto open_list = [&stack]() {
    MavenItem sub;
    sub.kind = MavenItem::kList;
    stack.back()->list.push_back(std::move(sub));
    stack.push_back(&stack.back()->list.back());
  };
  bool is_digit = false;
  size_t start = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '.' || c == '-') {
      if (i == start)
        stack.back()->list.push_back(MavenItem{});  // 0
      else
        stack.back()->list.push_back(
            MavenParseItem(is_digit, std::string_view(v).substr(start, i - start), false));
      start = i + 1;
      if (c == '-') open_list();
    } else if (Digit(c)) {
      if (!is_digit && i > start) {
        // 1.0.0.X1 < 1.0.0-X2: a qualifier followed by digits is a list of its own
        if (!stack.back()->list.empty()) open_list();
        stack.back()->list.push_back(
            MavenParseItem(false, std::string_view(v).substr(start, i - start), true));
        start = i;
        open_list();
      }
      is_digit = true;
    } else {
      if (is_digit && i > start) {
        stack.back()->list.push_back(
            MavenParseItem(true, std::string_view(v).substr(start, i - start), false));
        start = i;
        open_list();
      }
      is_digit = false;
    }
  }
  if (v.size() > start) {
    if (!is_digit && !stack.back()->list.empty()) open_list();
    stack.back()->list.push_back(
        MavenParseItem(is_digit, std::string_view(v).substr(start), false));
  }
  // Lists are normalised innermost first, as Maven pops its stack.
  MavenNormalize(root);
  return root;
}

int MavenCompare(const MavenItem* a, const MavenItem* b);

// An item against a missing one.
int MavenVsNull(const MavenItem& a) {
  switch (a.kind) {
    case MavenItem::kInt:
      return a.text.empty() ? 0 : 1;
    case MavenItem::kString: {
      int c = a.text.compare(kMavenRelease);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case MavenItem::kList:
      for (const auto& it : a.list)  // every item against null, not only the first (MNG-6964)
        if (int c = MavenVsNull(it)) return c;
      return 0;
  }
  return 0;
}

int MavenCompare(const MavenItem* a, const MavenItem* b) {
  if (a == nullptr) return b == nullptr ? 0 : -MavenVsNull(*b);
  if (b == nullptr) return MavenVsNull(*a);
  if (a->kind != b->kind) {
    // int > list > string
    auto rank = [](MavenItem::Kind k) {
      return k == MavenItem::kInt ? 2 : k == MavenItem::kList ? 1 : 0;
    };
    return rank(a->kind) < rank(b->kind) ? -1 : 1;
  }
  switch (a->kind) {
    case MavenItem::kInt:
      return CompareNumbers(a->text, b->text);
    case MavenItem::kString: {
      int c = a->text.compare(b->text);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case MavenItem::kList: {
      size_t n = std::max(a->list.size(), b->list.size());
      for (size_t k = 0; k < n; ++k) {
        const MavenItem* l = k < a->list.size() ? &a->list[k] : nullptr;
        const MavenItem* r = k < b->list.size() ? &b->list[k] : nullptr;
        if (int c = MavenCompare(l, r)) return c;
      }
      return 0;
    }
  }
  return 0;
}

int CompareMaven(std::string_view a, std::string_view b) {
  MavenItem x = MavenParse(a);
  MavenItem y = MavenParse(b);
  return MavenCompare(&x, &y);
}

}  // namespace

std::optional<VersionScheme> ParseVersionScheme(std::string_view name) {
  if (name == "generic") return VersionScheme::kGeneric;
  if (name == "semver") return VersionScheme::kSemver;
  if (name == "deb" || name == "debian" || name == "dpkg") return VersionScheme::kDebian;
  if (name == "rpm") return VersionScheme::kRpm;
  if (name == "pep440" || name == "pypi") return VersionScheme::kPep440;
  if (name == "maven") return VersionScheme::kMaven;
  return std::nullopt;
}

const char* VersionSchemeName(VersionScheme scheme) {
  switch (scheme) {
    case VersionScheme::kDebian:
      return "dpkg";
    case VersionScheme::kRpm:
      return "rpm";
    case VersionScheme::kSemver:
      return "semver";
    case VersionScheme::kPep440:
      return "pep440";
    case VersionScheme::kMaven:
      return "maven";
    case VersionScheme::kGeneric:
      break;
  }
  return "generic";
}

std::optional<bool> InVersRange(std::string_view vers, std::string_view version) {
  if (!vers.starts_with("vers:")) return std::nullopt;
  vers.remove_prefix(5);
  size_t slash = vers.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string scheme_name = Lower(vers.substr(0, slash));
  std::string_view constraints = vers.substr(slash + 1);
  std::optional<VersionScheme> scheme;
  if (scheme_name == "npm" || scheme_name == "golang" || scheme_name == "cargo" ||
      scheme_name == "semver")
    scheme = VersionScheme::kSemver;
  else if (scheme_name == "pypi")
    scheme = VersionScheme::kPep440;
  else
    scheme = ParseVersionScheme(scheme_name);
  if (!scheme || version.empty()) return std::nullopt;
  if (constraints == "*") return true;
  struct Constraint {
    std::string op;
    std::string v;
  };
  std::vector<Constraint> list;
  while (!constraints.empty()) {
    size_t bar = constraints.find('|');
    std::string_view c = constraints.substr(0, bar);
    constraints = bar == std::string_view::npos ? std::string_view() : constraints.substr(bar + 1);
    while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
    std::string op;
    for (std::string_view o : {">=", "<=", "!=", ">", "<", "="})
      if (c.starts_with(o)) {
        op = std::string(o);
        c.remove_prefix(o.size());
        break;
      }
    if (op.empty()) op = "=";
    if (c.empty()) return std::nullopt;
    list.push_back({op, std::string(c)});
  }
  if (list.empty()) return std::nullopt;
  auto cmp = [&](const std::string& v) { return CompareVersions(*scheme, version, v); };
  for (const auto& c : list)
    if (c.op == "=" && cmp(c.v) == 0) return true;
  for (const auto& c : list)
    if (c.op == "!=" && cmp(c.v) == 0) return false;
  std::vector<Constraint> ordered;
  for (const auto& c : list)
    if (c.op != "=" && c.op != "!=") ordered.push_back(c);
  if (ordered.empty()) return false;
  std::stable_sort(ordered.begin(), ordered.end(), [&](const Constraint& a, const Constraint& b) {
    return CompareVersions(*scheme, a.v, b.v) < 0;
  });
  auto holds = [&](const Constraint& c) {
    int r = cmp(c.v);
    if (c.op == "<") return r < 0;
    if (c.op == "<=") return r <= 0;
    if (c.op == ">") return r > 0;
    return r >= 0;  // >=
  };
  auto lower = [](const Constraint& c) { return c.op == ">" || c.op == ">="; };
  if (!lower(ordered.front()) && holds(ordered.front())) return true;  // below the first "<"
  if (lower(ordered.back()) && holds(ordered.back())) return true;     // above the last ">"
  for (size_t i = 0; i + 1 < ordered.size(); ++i)
    if (lower(ordered[i]) && !lower(ordered[i + 1]) && holds(ordered[i]) && holds(ordered[i + 1]))
      return true;
  return false;
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
    case VersionScheme::kPep440:
      return ComparePep440(a, b);
    case VersionScheme::kMaven:
      return CompareMaven(a, b);
  }
  return 0;
}

}  // namespace mamori::vuln
