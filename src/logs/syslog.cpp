#include "logs/syslog.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cstring>
#include <optional>
#include <vector>

#include "core/text.hpp"
#include "formats/encoding.hpp"
#include "logs/atna.hpp"

namespace mamori::logs {

namespace {

using std::string_view;

bool Digit(char c) {
  return c >= '0' && c <= '9';
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  std::optional<int> offset;  // minutes east of UTC
};

bool ValidCivil(const Civil& c) {
  return c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= 31 && c.hour <= 23 &&
         c.minute <= 59 && c.second <= 60;
}

UnixMillis ToMillis(const Civil& c, int offset_minutes) {
  int64_t days =
      DaysFromCivil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day));
  int64_t secs =
      days * 86400 + int64_t{c.hour} * 3600 + int64_t{c.minute} * 60 + std::min(c.second, 59);
  return (secs - int64_t{offset_minutes} * 60) * 1000 + c.millis;
}

void CivilOf(UnixMillis t, int offset_minutes, int* year, int* month) {
  int64_t days = (t / 1000 + int64_t{offset_minutes} * 60) / 86400;
  // civil_from_days
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
  *month = static_cast<int>(m);
}

int MonthOf(string_view s) {
  static constexpr std::array<string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() < 3) return 0;
  // Compared as three bytes each (a memcmp call per month was a tenth of a line's header).
  for (size_t i = 0; i < kMonths.size(); ++i)
    if (s[0] == kMonths[i][0] && s[1] == kMonths[i][1] && s[2] == kMonths[i][2])
      return static_cast<int>(i) + 1;
  return 0;
}

// Reads n digits at s[at].
bool Num(string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!Digit(s[at + i])) return false;
    v = v * 10 + (s[at + i] - '0');
  }
  *out = v;
  return true;
}

// The digits of a fraction of a second from s[at] as milliseconds (more digits are read and
// dropped); returns the offset after them.
size_t Fraction(string_view s, size_t at, int* millis) {
  int digits = 0, ms = 0;
  while (at < s.size() && Digit(s[at])) {
    if (digits < 3) ms = ms * 10 + (s[at] - '0');
    ++digits;
    ++at;
  }
  for (; digits < 3; ++digits) ms *= 10;
  *millis = ms;
  return at;
}

// RFC 3339 as RFC 5424 uses it: 2003-10-11T22:14:15.003Z / +09:00. Returns the length read.
size_t ParseRfc3339(string_view s, Civil* c) {
  if (!Num(s, 0, 4, &c->year) || s.size() < 19 || s[4] != '-' || !Num(s, 5, 2, &c->month) ||
      s[7] != '-' || !Num(s, 8, 2, &c->day) || (s[10] != 'T' && s[10] != ' ') ||
      !Num(s, 11, 2, &c->hour) || s[13] != ':' || !Num(s, 14, 2, &c->minute) || s[16] != ':' ||
      !Num(s, 17, 2, &c->second))
    return 0;
  size_t at = 19;
  if (at < s.size() && (s[at] == '.' || s[at] == ',')) at = Fraction(s, at + 1, &c->millis);
  if (at < s.size() && s[at] == 'Z') {
    c->offset = 0;
    ++at;
  } else if (at + 6 <= s.size() && (s[at] == '+' || s[at] == '-') && s[at + 3] == ':') {
    int h = 0, m = 0;
    if (Num(s, at + 1, 2, &h) && Num(s, at + 4, 2, &m)) {
      c->offset = (s[at] == '-' ? -1 : 1) * (h * 60 + m);
      at += 6;
    }
  } else if (at + 5 <= s.size() && (s[at] == '+' || s[at] == '-')) {
    // ISO 8601 basic offset (-0700), as macOS and some appliances write it.
    int h = 0, m = 0;
    if (Num(s, at + 1, 2, &h) && Num(s, at + 3, 2, &m)) {
      c->offset = (s[at] == '-' ? -1 : 1) * (h * 60 + m);
      at += 5;
    }
  }
  return ValidCivil(*c) ? at : 0;
}

// "Mmm dd hh:mm:ss" (dd space padded), optionally "Mmm dd yyyy hh:mm:ss" (Cisco ASA) and
// ".mmm" (Cisco IOS). Returns the length read; the year is left 0 when absent.
size_t ParseBsdTime(string_view s, Civil* c) {
  c->month = MonthOf(s);
  if (c->month == 0 || s.size() < 15 || s[3] != ' ') return 0;
  size_t at = 4;
  if (s[at] == ' ') ++at;
  int d = 0;
  if (Num(s, at, 2, &d)) {
    at += 2;
  } else if (Num(s, at, 1, &d)) {
    at += 1;
  } else {
    return 0;
  }
  c->day = d;
  if (at >= s.size() || s[at] != ' ') return 0;
  ++at;
  int year = 0;
  if (Num(s, at, 4, &year) && at + 4 < s.size() && s[at + 4] == ' ') {
    c->year = year;
    at += 5;
  }
  if (!Num(s, at, 2, &c->hour) || at + 8 > s.size() || s[at + 2] != ':' ||
      !Num(s, at + 3, 2, &c->minute) || s[at + 5] != ':' || !Num(s, at + 6, 2, &c->second))
    return 0;
  at += 8;
  if (at < s.size() && s[at] == '.') at = Fraction(s, at + 1, &c->millis);
  return ValidCivil(*c) ? at : 0;
}

// A zone abbreviation after a Cisco IOS time.
std::optional<int> ZoneOffset(string_view z) {
  if (z == "UTC" || z == "GMT" || z == "Z") return 0;
  if (z == "JST") return 9 * 60;
  return std::nullopt;
}

string_view Token(string_view& s) {
  size_t sp = s.find(' ');
  string_view t = s.substr(0, sp);
  s = sp == string_view::npos ? string_view() : s.substr(sp + 1);
  return t;
}

// The year of a time sent without one: the one that puts it closest to the receive time.
int GuessYear(int month, UnixMillis received, int offset) {
  int year = 0, rmonth = 0;
  CivilOf(received, offset, &year, &rmonth);
  if (month > rmonth + 1) return year - 1;  // December's message received in January
  if (month < rmonth - 10) return year + 1;
  return year;
}

// key=value and key="value with spaces" pairs (FortiGate, SonicWall), read in place: views of
// the body, or of `unescaped` for a quoted value with backslashes (reserved to the body's size
// at the first, so the views stay put). A key given twice counts as its last value, as in
// `fields`.
struct KeyValues {
  std::vector<std::pair<string_view, string_view>> pairs;
  std::string unescaped;

  explicit KeyValues(string_view s) {
    pairs.reserve(64);  // a FortiGate record has 30–60
    Walk(s, unescaped, [&](string_view key, string_view value) { pairs.emplace_back(key, value); });
  }

  // The last value of one key, without keeping the pairs (SyslogHost: FortiGate's devname).
  static std::string Last(string_view s, string_view wanted) {
    std::string scratch;
    string_view last;
    Walk(s, scratch, [&](string_view key, string_view value) {
      if (key == wanted) last = value;
    });
    return std::string(last);
  }

  // Calls on_pair(key, value) for each pair in order; a value with escapes is a view of
  // `unescaped`.
  template <typename OnPair>
  static void Walk(string_view s, std::string& unescaped, OnPair on_pair) {
    size_t at = 0;
    while (at < s.size()) {
      while (at < s.size() && s[at] == ' ') ++at;
      // The key: up to '=' — a space first (or an empty key) skips the word.
      size_t eq = at;
      while (eq < s.size() && s[eq] != '=' && s[eq] != ' ') ++eq;
      if (eq == s.size()) break;
      if (s[eq] == ' ' || eq == at) {
        size_t sp = s.find(' ', eq);
        if (sp == string_view::npos) break;
        at = sp + 1;
        continue;
      }
      string_view key = s.substr(at, eq - at);
      at = eq + 1;
      string_view value;
      if (at < s.size() && s[at] == '"') {
        size_t begin = ++at;
        while (at < s.size() && s[at] != '"' && s[at] != '\\') ++at;
        if (at < s.size() && s[at] == '\\') {  // escapes: the value copied, unescaped
          if (unescaped.capacity() < s.size()) unescaped.reserve(s.size());  // before any view
          size_t start = unescaped.size();
          unescaped.append(s.substr(begin, at - begin));
          while (at < s.size() && s[at] != '"') {
            if (s[at] == '\\' && at + 1 < s.size()) ++at;
            unescaped += s[at++];
          }
          value = string_view(unescaped).substr(start);
        } else {
          value = s.substr(begin, at - begin);
        }
        ++at;
      } else {
        size_t sp = s.find(' ', at);
        if (sp == string_view::npos) sp = s.size();
        value = s.substr(at, sp - at);
        at = sp;
      }
      on_pair(key, value);
    }
  }

  // The values of the keys a Picker names, in one pass over the pairs (the last of a repeated
  // key counts): looking each key up in turn compared every pair's key a dozen times.
  template <size_t N>
  struct Picker {
    std::array<string_view, N> keys;
    std::array<uint32_t, 33> by_size{};  // bit i: keys[i] has this size (32: longer)
    explicit constexpr Picker(std::array<string_view, N> k) : keys(k) {
      static_assert(N <= 32);
      for (size_t i = 0; i < N; ++i) by_size[std::min<size_t>(keys[i].size(), 32)] |= 1U << i;
    }
  };
  template <size_t N>
  [[nodiscard]] std::array<string_view, N> Pick(const Picker<N>& picker) const {
    std::array<string_view, N> out{};
    for (const auto& [k, v] : pairs) {
      uint32_t maybe = picker.by_size[std::min<size_t>(k.size(), 32)];
      while (maybe != 0) {
        int i = std::countr_zero(maybe);
        maybe &= maybe - 1;
        if (k == picker.keys[i]) out[i] = v;
      }
    }
    return out;
  }

  [[nodiscard]] Json ToJson() const {
    Json out = Json::object();
    for (const auto& [k, v] : pairs) out[std::string(k)] = std::string(v);
    return out;
  }
};

// glibc's memmem: string_view::find stops at every occurrence of the needle's first byte (a
// space, for most of the vendor markers) and compares from there — a tenth of the parse.
bool Contains(string_view s, string_view what) {
  if (what.empty()) return true;
  // memmem's pointers must not be null (an empty view's may be): neither is, past these.
  if (what.size() > s.size()) return false;
  return ::memmem(s.data(), s.size(), what.data(), what.size()) != nullptr;
}

// Words looked for in a text in one pass, by tables of the words' first and second bytes: for
// most bytes of the text, two lookups say that no word starts there. Searching a Cisco message
// once per key (memmem sets up a table per call) and lowering it for the outcome words was most
// of its parse. At most 32 words of at least two bytes; the words in `fold` (a mask) are
// lowercase ASCII and matched with the text's ASCII case ignored, the others as they are.
template <size_t N>
class WordSet {
 public:
  constexpr WordSet(std::array<string_view, N> words, uint32_t fold) : words_(words), fold_(fold) {
    static_assert(N <= 32);
    for (size_t w = 0; w < N; ++w) {
      const uint32_t bit = uint32_t{1} << w;
      for (size_t k = 0; k < 2; ++k) {
        auto& table = k == 0 ? first_ : second_;
        auto c = static_cast<unsigned char>(words_[w][k]);
        table[c] |= bit;
        if ((fold & bit) != 0 && c >= 'a' && c <= 'z') table[c - 'a' + 'A'] |= bit;
      }
    }
  }
  [[nodiscard]] constexpr size_t size(size_t w) const { return words_[w].size(); }
  // Where each word first occurs in s (npos: nowhere), as string_view::find would say.
  [[nodiscard]] std::array<size_t, N> Find(string_view s) const {
    std::array<size_t, N> at;
    at.fill(string_view::npos);
    uint32_t found = 0;
    for (size_t i = 0; i + 1 < s.size(); ++i) {
      uint32_t maybe = first_[static_cast<unsigned char>(s[i])] &
                       second_[static_cast<unsigned char>(s[i + 1])] & ~found;
      while (maybe != 0) {
        int w = std::countr_zero(maybe);
        const uint32_t bit = uint32_t{1} << w;
        maybe &= maybe - 1;
        string_view here = s.substr(i, words_[w].size());
        if ((fold_ & bit) != 0 ? EqualsAsciiNoCase(here, words_[w]) : here == words_[w]) {
          found |= bit;
          at[w] = i;
        }
      }
    }
    return at;
  }

 private:
  std::array<string_view, N> words_;
  uint32_t fold_;
  std::array<uint32_t, 256> first_{}, second_{};
};

// "https(4.3.5.253)" → 4.3.5.253
string_view InParens(string_view s) {
  auto open = s.find('('), close = s.find(')');
  if (open == string_view::npos || close == string_view::npos || close < open) return {};
  return s.substr(open + 1, close - open - 1);
}

void FortiGate(LogEvent& e, string_view body, const SyslogContext& ctx) {
  KeyValues kv(body);
  if (ctx.vendor_fields) e.fields = kv.ToJson();
  e.format = "fortigate";
  enum {
    kDevname,
    kDate,
    kTime,
    kTz,
    kUser,
    kSrcip,
    kUi,
    kRemip,
    kLogdesc,
    kAction,
    kStatus,
    kMsg,
    kType,
    kKeys
  };
  static constexpr KeyValues::Picker<kKeys> kPicker({"devname", "date", "time", "tz", "user",
                                                     "srcip", "ui", "remip", "logdesc", "action",
                                                     "status", "msg", "type"});
  const auto v = kv.Pick(kPicker);
  e.host = std::string(v[kDevname]);
  Civil c;
  // "date" "T" "time", on the stack unless it is longer than a time can be.
  std::array<char, 64> buf{};
  std::string long_stamp;
  string_view stamp;
  if (v[kDate].size() + 1 + v[kTime].size() <= buf.size()) {
    std::copy(v[kDate].begin(), v[kDate].end(), buf.begin());
    buf[v[kDate].size()] = 'T';
    std::copy(v[kTime].begin(), v[kTime].end(), buf.begin() + v[kDate].size() + 1);
    stamp = string_view(buf.data(), v[kDate].size() + 1 + v[kTime].size());
  } else {
    long_stamp = std::string(v[kDate]) + "T" + std::string(v[kTime]);
    stamp = long_stamp;
  }
  if (ParseRfc3339(stamp, &c) != 0) {
    int offset = ctx.default_offset_minutes;
    string_view tz = v[kTz];  // FortiOS 6.2+: tz="+0900"
    int h = 0, m = 0;
    if (tz.size() == 5 && (tz[0] == '+' || tz[0] == '-') && Num(tz, 1, 2, &h) && Num(tz, 3, 2, &m))
      offset = (tz[0] == '-' ? -1 : 1) * (h * 60 + m);
    e.time = ToMillis(c, offset);
    e.offset_minutes = offset;
    e.time_from_receipt = false;
  }
  if (v[kUser] != "N/A") e.user = std::string(v[kUser]);
  string_view src = v[kSrcip];
  if (src.empty()) src = InParens(v[kUi]);
  if (src.empty()) src = v[kRemip];
  e.src_ip = std::string(src);
  e.action = std::string(v[kLogdesc].empty() ? v[kAction] : v[kLogdesc]);
  string_view status = v[kStatus], action = v[kAction];
  auto is = [](string_view value, string_view word) { return EqualsAsciiNoCase(value, word); };
  if (is(status, "failed") || is(status, "failure") || is(action, "deny") ||
      is(action, "blocked") || is(action, "dropped") || is(action, "reset"))
    e.outcome = Outcome::kFailure;
  else if (is(status, "success") || is(action, "accept") || is(action, "pass") ||
           is(action, "close"))
    e.outcome = Outcome::kSuccess;
  e.message = std::string(v[kMsg].empty() ? body : v[kMsg]);
  e.app = std::string(v[kType]);
}

void SonicWall(LogEvent& e, string_view body, const SyslogContext& ctx) {
  KeyValues kv(body);
  if (ctx.vendor_fields) e.fields = kv.ToJson();
  e.format = "sonicwall";
  enum { kId, kTime, kSrc, kUsr, kMsg, kKeys };
  static constexpr KeyValues::Picker<kKeys> kPicker({"id", "time", "src", "usr", "msg"});
  const auto v = kv.Pick(kPicker);
  e.host = std::string(v[kId]);
  Civil c;
  string_view t = v[kTime];  // "2019-02-27 12:55:40 UTC"
  if (ParseRfc3339(t, &c) != 0) {
    int offset = Contains(t, "UTC") ? 0 : 9 * 60;
    e.time = ToMillis(c, offset);
    e.offset_minutes = offset;
    e.time_from_receipt = false;
  }
  e.src_ip = std::string(v[kSrc].substr(0, v[kSrc].find(':')));
  e.user = std::string(v[kUsr]);
  e.message = std::string(v[kMsg]);
  e.action = e.message;
}

void PaloAlto(LogEvent& e, string_view body, const SyslogContext& ctx) {
  // The fields as views of one copy of the body without its quotes (reserved first, so the
  // views stay put): a string per field, built a byte at a time, cost more than the rest.
  std::string unquoted;
  unquoted.reserve(body.size());
  std::vector<string_view> f;
  f.reserve(128);
  size_t start = 0;
  bool quoted = false;
  for (char ch : body) {
    if (ch == '"') {
      quoted = !quoted;
    } else if (ch == ',' && !quoted) {
      f.emplace_back(unquoted.data() + start, unquoted.size() - start);
      start = unquoted.size();
    } else {
      unquoted += ch;
    }
  }
  f.emplace_back(unquoted.data() + start, unquoted.size() - start);
  e.format = "paloalto";
  if (ctx.vendor_fields) {
    Json j = Json::object();
    static constexpr std::array<const char*, 5> kNames = {"future", "receive_time", "serial",
                                                          "type", "subtype"};
    for (size_t i = 0; i < f.size() && i < kNames.size(); ++i) j[kNames[i]] = std::string(f[i]);
    Json csv = Json::array();
    for (string_view field : f) csv.push_back(std::string(field));
    j["csv"] = std::move(csv);
    e.fields = std::move(j);
  }
  string_view type = f.size() > 3 ? f[3] : string_view();
  Civil c;
  if (f.size() > 1 && f[1].size() == 19) {
    std::array<char, 19> t{};
    std::copy(f[1].begin(), f[1].end(), t.begin());
    t[4] = '-';
    t[7] = '-';
    if (ParseRfc3339(string_view(t.data(), t.size()), &c) != 0) {
      e.time = ToMillis(c, ctx.default_offset_minutes);
      e.offset_minutes = ctx.default_offset_minutes;
      e.time_from_receipt = false;
    }
  }
  e.action = std::string(type);
  if (f.size() > 4 && !f[4].empty()) (e.action += '/') += f[4];
  if ((type == "TRAFFIC" || type == "THREAT") && f.size() > 12) {
    e.src_ip = std::string(f[7]);
    e.user = std::string(f[12]);
    if (f.size() > 30) {
      string_view a = f[30];
      if (EqualsAsciiNoCase(a, "allow")) e.outcome = Outcome::kSuccess;
      if (EqualsAsciiNoCase(a, "deny") || EqualsAsciiNoCase(a, "drop") ||
          ContainsAsciiNoCase(a, "reset"))
        e.outcome = Outcome::kFailure;
    }
  } else if (type == "CONFIG" && f.size() > 13) {
    e.src_ip = std::string(f[9]);
    e.user = std::string(f[13]);
  }
  e.message = std::string(body);
}

// Cisco "%ASA-6-302013: text" (ASA, PIX, FTD, IOS).
bool Cisco(LogEvent& e, string_view body, const SyslogContext& ctx) {
  size_t pct = body.substr(0, 81).find('%');
  if (pct == string_view::npos) return false;
  // The tag ends at ": " (most) or a space (PIX "%PIX-4-400013 IDS:2003 …").
  size_t colon = pct;  // (find_first_of calls memchr for each byte)
  while (colon < body.size() && body[colon] != ':' && body[colon] != ' ') ++colon;
  if (colon == body.size()) return false;
  string_view tag = body.substr(pct + 1, colon - pct - 1);  // ASA-6-302013
  size_t d1 = tag.find('-');
  size_t d2 = d1 == string_view::npos ? d1 : tag.find('-', d1 + 1);
  if (d1 == string_view::npos || d2 == string_view::npos || d2 != d1 + 2 || !Digit(tag[d1 + 1]))
    return false;
  for (size_t i = 0; i < d1; ++i)
    if (!std::isupper(static_cast<unsigned char>(tag[i])) && !Digit(tag[i]) && tag[i] != '_')
      return false;
  e.format = "cisco";
  e.app = std::string(tag.substr(0, d1));
  e.severity = tag[d1 + 1] - '0';
  e.action = std::string(tag);
  size_t text = colon + (body.substr(colon, 2) == ": " ? 2 : 1);
  e.message = std::string(body.substr(std::min(text, body.size())));
  if (ctx.vendor_fields) {
    e.fields["facility"] = e.app;
    e.fields["mnemonic"] = std::string(tag.substr(d2 + 1));
  }
  string_view m = e.message;
  // Users: "user = X", "Username = X", "user 'X'", "by X on vty"; addresses after " from " or
  // "src ". The first key (in this order) the message has counts, where it first occurs.
  // The keys (as written) and the outcome words (any case; failure words before success words).
  enum {
    kUsername,
    kUserEq,
    kUserEqCap,
    kUserQuote,
    kFrom,
    kSrc,
    kFailure,
    kSuccess = kFailure + 4
  };
  static constexpr WordSet<13> kWords(
      {"Username = ", "user = ", "User = ", "user '", " from ", "src ", "denied", "deny ", "failed",
       "rejected", "succeeded", "permitted", "successful"},
      0x1FC0);
  const auto at = kWords.Find(m);
  for (size_t k = kUsername; k <= kUserEqCap; ++k) {
    if (at[k] != string_view::npos) {
      string_view rest = m.substr(at[k] + kWords.size(k));
      e.user = std::string(rest.substr(0, rest.find_first_of(" ,")));
      break;
    }
  }
  if (e.user.empty() && at[kUserQuote] != string_view::npos) {
    size_t from = at[kUserQuote] + kWords.size(kUserQuote);
    size_t end = m.find('\'', from);
    if (end != string_view::npos) e.user = std::string(m.substr(from, end - from));
  }
  for (size_t k = kFrom; k <= kSrc; ++k) {
    if (at[k] == string_view::npos) continue;
    string_view rest = m.substr(at[k] + kWords.size(k));
    size_t colon2 = rest.find(':');
    if (colon2 != string_view::npos && colon2 < 20 && !Digit(rest[0]))
      rest = rest.substr(colon2 + 1);  // "outside:1.2.3.4/80"
    std::string ip(rest.substr(0, rest.find_first_of("/( ,")));
    if (!ip.empty() && (Digit(ip[0]) || ip.find(':') != std::string::npos)) {
      e.src_ip = ip;
      break;
    }
  }
  auto any = [&](size_t from, size_t to) {
    return std::any_of(at.begin() + from, at.begin() + to,
                       [](size_t w) { return w != string_view::npos; });
  };
  if (any(kFailure, kSuccess))
    e.outcome = Outcome::kFailure;
  else if (any(kSuccess, at.size()))
    e.outcome = Outcome::kSuccess;
  return true;
}

// Yamaha RTX: filter/INSPECT lines and the login records an inspector asks about.
// Whether s has a filter line's words (" Rejected at ", " Passed at "): both end in "ed at ",
// looked for first (one memmem for most lines instead of two).
bool YamahaFilterWords(string_view s) {
  return Contains(s, "ed at ") && (Contains(s, " Rejected at ") || Contains(s, " Passed at "));
}

// `filter_words`: YamahaFilterWords(body).
bool Yamaha(LogEvent& e, string_view body, bool filter_words) {
  bool inspect = body.rfind("[INSPECT]", 0) == 0 || body.rfind("[IKE]", 0) == 0 || filter_words;
  bool login = body.rfind("Login succeeded", 0) == 0 || body.rfind("Login failed", 0) == 0 ||
               body.rfind("Logout from", 0) == 0;
  bool tunnel = body.rfind("IP Tunnel[", 0) == 0 || body.rfind("PP[", 0) == 0;
  if (!inspect && !login && !tunnel) return false;
  e.format = "yamaha";
  e.message = std::string(body);
  if (login) {
    e.action = body.rfind("Logout", 0) == 0 ? "logout" : "login";
    if (body.rfind("Login failed", 0) == 0) e.outcome = Outcome::kFailure;
    if (body.rfind("Login succeeded", 0) == 0) e.outcome = Outcome::kSuccess;
    size_t as = body.find(" as (");
    if (as != string_view::npos) {
      size_t end = body.find(')', as);
      if (end != string_view::npos) e.user = std::string(body.substr(as + 5, end - as - 5));
    }
    size_t colon = body.rfind(": ");
    if (colon != string_view::npos) e.src_ip = std::string(body.substr(colon + 2));
    size_t sp = e.src_ip.find(' ');
    if (sp != std::string::npos) e.src_ip.resize(sp);
  } else if (inspect) {
    e.action = body.rfind("[INSPECT]", 0) == 0 ? "inspect" : "filter";
    if (Contains(body, "Rejected")) e.outcome = Outcome::kFailure;
    if (Contains(body, "Passed")) e.outcome = Outcome::kSuccess;
    // "TCP 192.168.100.2:52000 > 1.2.3.4:443"
    size_t gt = body.find(" > ");
    if (gt != string_view::npos) {
      size_t sp = body.rfind(' ', gt - 1);
      if (sp != string_view::npos) {
        std::string src(body.substr(sp + 1, gt - sp - 1));
        e.src_ip = src.substr(0, src.rfind(':'));
      }
    }
  } else {
    e.action = "tunnel";
  }
  return true;
}

// Windows events as evtsys and Snare forward them.
bool WindowsForwarded(LogEvent& e, string_view body, const SyslogContext& ctx) {
  if (body.rfind("MSWinEventLog", 0) == 0) {  // Snare: tab separated
    std::vector<std::string> f;
    size_t at = 0;
    while (at <= body.size()) {
      size_t tab = body.find('\t', at);
      if (tab == string_view::npos) tab = body.size();
      f.emplace_back(body.substr(at, tab - at));
      at = tab + 1;
    }
    if (f.size() < 12) return false;
    e.format = "windows";
    if (ctx.vendor_fields) e.fields = {{"channel", f[2]}, {"event_id", f[5]}, {"provider", f[6]}};
    e.action = f[5];
    e.user = f[7] == "N/A" ? "" : f[7];
    e.host = f[10];
    e.outcome = Contains(f[9], "Failure")   ? Outcome::kFailure
                : Contains(f[9], "Success") ? Outcome::kSuccess
                                            : Outcome::kUnknown;
    e.message = f.size() > 11 ? f[11] : "";
    return true;
  }
  // evtsys: "4625: AUDIT_FAILURE An account failed to log on…" after the tag.
  size_t colon = body.find(": ");
  if (colon == string_view::npos || colon > 6) return false;
  for (size_t i = 0; i < colon; ++i)
    if (!Digit(body[i])) return false;
  string_view rest = body.substr(colon + 2);
  if (rest.rfind("AUDIT_SUCCESS", 0) != 0 && rest.rfind("AUDIT_FAILURE", 0) != 0) return false;
  e.format = "windows";
  e.action = std::string(body.substr(0, colon));
  if (ctx.vendor_fields) e.fields["event_id"] = e.action;
  e.outcome = rest.rfind("AUDIT_FAILURE", 0) == 0 ? Outcome::kFailure : Outcome::kSuccess;
  e.message = std::string(rest.substr(14));
  return true;
}

// OpenSSH's logon records.
void Sshd(LogEvent& e) {
  string_view m = e.message;
  auto after = [&](string_view key) -> std::string {
    size_t at = m.find(key);
    if (at == string_view::npos) return {};
    string_view rest = m.substr(at + key.size());
    return std::string(rest.substr(0, rest.find(' ')));
  };
  if (m.rfind("Accepted ", 0) == 0) {
    e.action = "logon";
    e.outcome = Outcome::kSuccess;
    e.user = after(" for ");
    e.src_ip = after(" from ");
  } else if (m.rfind("Failed ", 0) == 0) {
    e.action = "logon";
    e.outcome = Outcome::kFailure;
    std::string u = after(" for ");
    if (u == "invalid") u = after(" invalid user ");
    e.user = u;
    e.src_ip = after(" from ");
  } else if (m.rfind("Invalid user ", 0) == 0) {
    e.action = "logon";
    e.outcome = Outcome::kFailure;
    e.user = after("Invalid user ");
    e.src_ip = after(" from ");
  }
}

// sudo's record of a command run as another user: "it.kobayashi : TTY=pts/0 ; PWD=… ;
// USER=root ; COMMAND=…", or a refusal ("… incorrect password attempts", "user NOT in sudoers").
void Sudo(LogEvent& e, const SyslogContext& ctx) {
  string_view m = e.message;
  size_t sep = m.find(" : ");
  if (sep == string_view::npos || sep == 0 || m.substr(0, sep).find(' ') != string_view::npos)
    return;
  e.user = std::string(m.substr(0, sep));
  e.action = "sudo";
  bool refused = Contains(m, "incorrect password") || Contains(m, "NOT in sudoers") ||
                 Contains(m, "authentication failure") || Contains(m, "command not allowed");
  e.outcome = refused ? Outcome::kFailure : Outcome::kSuccess;
  if (!ctx.vendor_fields) return;
  size_t cmd = m.find("COMMAND=");
  if (cmd != string_view::npos) e.fields["command"] = std::string(m.substr(cmd + 8));
  size_t as = m.find("USER=");
  if (as != string_view::npos) {
    string_view rest = m.substr(as + 5);
    e.fields["run_as"] = std::string(rest.substr(0, rest.find(' ')));
  }
}

void ByApp(LogEvent& e, const SyslogContext& ctx) {
  if (e.app == "sshd")
    Sshd(e);
  else if (e.app == "sudo")
    Sudo(e, ctx);
}

// The body after the header: vendor formats first, then the tag "app[pid]: ".
bool IsFortiGate(string_view body) {
  // (find: 'd' is rare enough that memmem's setup would cost more than it saves)
  return body.substr(0, 40).find("date=") != string_view::npos && Contains(body, " time=") &&
         (Contains(body, "devname=") || Contains(body, "logid="));
}

bool IsSonicWall(string_view body) {
  return body.rfind("id=", 0) == 0 && Contains(body, " sn=") && Contains(body, " time=\"");
}

// Palo Alto: "1,2020/02/09 00:00:00,serial,TYPE,…"
bool IsPaloAlto(string_view body) {
  size_t c1 = body.substr(0, 4).find(',');
  return c1 != string_view::npos && body.size() > c1 + 20 && body[c1 + 5] == '/' &&
         body[c1 + 8] == '/' && body[c1 + 11] == ' ';
}

void Body(LogEvent& e, string_view body, const SyslogContext& ctx) {
  if (IsFortiGate(body)) {
    FortiGate(e, body, ctx);
    return;
  }
  if (IsSonicWall(body)) {
    SonicWall(e, body, ctx);
    return;
  }
  if (IsPaloAlto(body)) {
    PaloAlto(e, body, ctx);
    return;
  }
  if (Cisco(e, body, ctx)) return;
  const bool filter_words = YamahaFilterWords(body);
  if (Yamaha(e, body, filter_words) || WindowsForwarded(e, body, ctx)) return;
  // TAG[PID]: MSG
  size_t colon = body.find(": ");
  if (colon != string_view::npos && colon < 64) {
    string_view tag = body.substr(0, colon);
    bool plain = !tag.empty() && tag.find(' ') == string_view::npos;
    if (plain) {
      size_t br = tag.find('[');
      e.app = std::string(tag.substr(0, br));
      if (br != string_view::npos && tag.back() == ']' && ctx.vendor_fields)
        e.fields["pid"] = std::string(tag.substr(br + 1, tag.size() - br - 2));
      e.message = std::string(body.substr(colon + 2));
      string_view rest = body.substr(colon + 2);
      // (rest ends body: without the words in body, they are not in rest)
      if (Cisco(e, rest, ctx) || Yamaha(e, rest, filter_words && YamahaFilterWords(rest)) ||
          WindowsForwarded(e, rest, ctx)) {
        e.app = std::string(tag.substr(0, br));
        return;
      }
      ByApp(e, ctx);
      return;
    }
  }
  e.message = std::string(body);
  ByApp(e, ctx);  // RFC 5424 names the application in the header
}

// What Body leaves in e.host, and nothing else of its work (SyslogContext::host_only). Of the
// bodies Body reads, FortiGate's (devname), SonicWall's (id) and Snare's (the eleventh of
// tab-separated fields) name a host; Body is asked itself for a possible Snare line (rare: a
// body with a tab and "MSWinEventLog"), as whether it reads one as Snare depends on the Cisco
// and Yamaha readings before it. Kept equal to Body by the unit tests and syslog_fuzz
// (SyslogHost).
void BodyHost(LogEvent& e, string_view body, const SyslogContext& ctx) {
  if (IsFortiGate(body)) {
    e.host = KeyValues::Last(body, "devname");
  } else if (IsSonicWall(body)) {
    e.host = KeyValues::Last(body, "id");
  } else if (!IsPaloAlto(body) && body.find('\t') != string_view::npos &&
             Contains(body, "MSWinEventLog")) {
    Body(e, body, ctx);
  }
}

// RFC 5424 STRUCTURED-DATA: [id k="v" …]…; returns the length read, 0 when malformed. Without
// `out`, only the length is read.
size_t StructuredData(string_view s, Json* out) {
  if (!s.empty() && s[0] == '-') return 1;
  size_t at = 0;
  while (at < s.size() && s[at] == '[') {
    ++at;
    size_t sp = s.find_first_of(" ]", at);
    if (sp == string_view::npos) return 0;
    string_view id = s.substr(at, sp - at);
    Json params = out != nullptr ? Json::object() : Json();
    at = sp;
    while (at < s.size() && s[at] == ' ') {
      ++at;
      size_t eq = s.find('=', at);
      if (eq == string_view::npos || eq + 1 >= s.size() || s[eq + 1] != '"') return 0;
      string_view name = s.substr(at, eq - at);
      at = eq + 2;
      std::string value;
      while (at < s.size() && s[at] != '"') {
        if (s[at] == '\\' && at + 1 < s.size() &&
            (s[at + 1] == '"' || s[at + 1] == '\\' || s[at + 1] == ']'))
          ++at;
        if (out != nullptr) value += s[at];
        ++at;
      }
      if (at >= s.size()) return 0;
      ++at;  // closing quote
      if (out != nullptr) params[std::string(name)] = std::move(value);
    }
    if (at >= s.size() || s[at] != ']') return 0;
    ++at;
    if (out != nullptr) (*out)[std::string(id)] = std::move(params);
  }
  return at;
}

string_view DropBom(string_view bytes) {
  return bytes.substr(0, 3) == "\xEF\xBB\xBF" ? bytes.substr(3) : bytes;
}

// Bytes that are not UTF-8 (no BOM): CP932, EUC-JP or, as the last resort, Latin-1.
DecodedText DecodeNonUtf8(string_view bytes) {
  size_t bad = 0;
  auto sjis = formats::ConvertEncoding(bytes, "CP932", "UTF-8", &bad);
  auto euc = formats::ConvertEncoding(bytes, "EUC-JP", "UTF-8", &bad);
  if (sjis.ok() && euc.ok()) {
    // Both decode: EUC-JP uses only 0x8E/0x8F and 0xA1–0xFE for its bytes; CP932 lead bytes
    // 0x81–0x9F (other than those two) are not EUC-JP.
    bool cp932_only = false;
    for (unsigned char c : bytes)
      if (c >= 0x80 && c <= 0xA0 && c != 0x8E && c != 0x8F) cp932_only = true;
    if (!cp932_only) return {std::move(*euc), "EUC-JP"};
    return {std::move(*sjis), "CP932"};
  }
  if (sjis.ok()) return {std::move(*sjis), "CP932"};
  if (euc.ok()) return {std::move(*euc), "EUC-JP"};
  auto latin = formats::ConvertEncoding(bytes, "ISO-8859-1", "UTF-8", &bad);
  return {latin.ok() ? std::move(*latin) : std::string(), "ISO-8859-1"};
}

}  // namespace

DecodedText DecodeText(string_view bytes) {
  bytes = DropBom(bytes);
  if (IsValidUtf8(bytes)) return {std::string(bytes), "UTF-8"};
  return DecodeNonUtf8(bytes);
}

LogEvent ParseSyslog(string_view bytes, const SyslogContext& ctx, bool* is_syslog) {
  LogEvent e;
  if (!ctx.host_only) e.raw = std::string(bytes);
  e.received = ctx.received;
  e.time = ctx.received;
  e.time_from_receipt = true;
  // A host lookup (SyslogHost, for every message behind a relay) leaves out what the host does
  // not depend on: the source, charset and format names and the conversion of times (a tenth of
  // its instructions). Where the host is read from still depends on every reading below.
  if (!ctx.host_only) e.source = ctx.source;
  while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r' || bytes.back() == '\0'))
    bytes.remove_suffix(1);
  // As DecodeText, but UTF-8 (what most devices send) is read where it lies, not copied.
  string_view t = DropBom(bytes);
  DecodedText decoded;
  if (IsValidUtf8(t)) {
    if (!ctx.host_only) e.charset = "UTF-8";
  } else {
    decoded = DecodeNonUtf8(t);
    if (!ctx.host_only) e.charset = decoded.charset;
    t = decoded.text;
  }
  bool found = false;

  // <PRI>
  if (t.size() >= 3 && t[0] == '<') {
    size_t close = t.find('>');
    int pri = 0;
    if (close != string_view::npos && close >= 2 && close <= 4 && Num(t, 1, close - 1, &pri) &&
        pri <= 191) {
      e.facility = pri / 8;
      e.severity = pri % 8;
      t.remove_prefix(close + 1);
      found = true;
    }
  }
  if (!ctx.host_only) e.format = "rfc3164";

  // RFC 5424: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]
  if (found && t.size() > 2 && t[0] == '1' && t[1] == ' ') {
    string_view s = t.substr(2);
    string_view ts = Token(s), host = Token(s), app = Token(s), procid = Token(s), msgid = Token(s);
    Civil c;
    bool time_ok = ts == "-" || ParseRfc3339(ts, &c) == ts.size();
    if (time_ok && !host.empty() && !app.empty()) {
      if (!ctx.host_only) e.format = "rfc5424";
      if (ts != "-" && !ctx.host_only) {
        int off = c.offset.value_or(0);
        e.time = ToMillis(c, off);
        e.offset_minutes = off;
        e.time_from_receipt = false;
      }
      if (host != "-") e.host = std::string(host);
      if (app != "-") e.app = std::string(app);
      if (procid != "-" && ctx.vendor_fields) e.fields["procid"] = std::string(procid);
      if (msgid != "-" && ctx.vendor_fields) e.fields["msgid"] = std::string(msgid);
      // Read into a JSON object only for the vendor fields (its length is all the index needs).
      Json sd;
      size_t n = StructuredData(s, ctx.vendor_fields ? &sd : nullptr);
      if (n == 0) {
        if (ctx.vendor_fields) e.fields["sd_error"] = true;
        n = s.find("] ") != string_view::npos ? s.find("] ") + 1 : s.size();
      }
      if (!sd.empty() && ctx.vendor_fields) e.fields["sd"] = sd;
      s = s.substr(std::min(n, s.size()));
      if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
      if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
      if (ctx.vendor_fields && sd.contains("origin") && sd["origin"].contains("ip"))
        e.fields["origin_ip"] = sd["origin"]["ip"];
      // IHE ATNA: the audit message (XML) is the MSG (RFC 5425 MSGID "IHE+RFC-3881").
      if (s.rfind("<?xml", 0) == 0 || s.rfind("<AuditMessage", 0) == 0) {
        auto atna = ParseAtna(s, ctx, "syslog");
        if (atna.ok() && atna->size() == 1) {
          LogEvent a = std::move(atna->front());
          a.raw = e.raw;
          a.charset = e.charset;
          a.facility = e.facility;
          a.severity = e.severity;
          if (ctx.vendor_fields)
            a.fields["syslog"] = {{"host", e.host}, {"app", e.app}, {"fields", e.fields}};
          if (a.host.empty()) a.host = e.host;
          if (is_syslog != nullptr) *is_syslog = true;
          // Returned as `e`, as every other return: the event is then built in the caller's
          // place, where returning either of two events moved it (a tenth of a host lookup).
          e = std::move(a);
          return e;
        }
        if (ctx.vendor_fields)
          e.fields["atna_error"] =
              atna.ok() ? "several AuditMessage" : atna.error().Message(Lang::kJa);
      }
      if (ctx.host_only) {
        BodyHost(e, s, ctx);
        return e;
      }
      std::string app_name = e.app;
      Body(e, s, ctx);
      if (e.app.empty()) e.app = app_name;
      if (e.format == "rfc3164") e.format = "rfc5424";
      if (is_syslog != nullptr) *is_syslog = true;
      return e;
    }
  }

  // RFC 3164 and the deviations: an optional leading sequence number (Cisco IOS "123: "), an
  // optional '*' or '.' (IOS clock not synchronised), then a time in one of the usual forms.
  string_view s = t;
  {
    size_t i = 0;
    while (i < s.size() && Digit(s[i])) ++i;
    if (i > 0 && i + 1 < s.size() && s[i] == ':' && s[i + 1] == ' ') s.remove_prefix(i + 2);
    if (!s.empty() && (s[0] == '*' || s[0] == '.')) s.remove_prefix(1);
  }
  Civil c;
  size_t n = ParseBsdTime(s, &c);
  bool iso = false;
  if (n == 0) {
    n = ParseRfc3339(s, &c);
    iso = n != 0;
  }
  if (n == 0 && s.size() > 5 && Num(s, 0, 4, &c.year) && s[4] == ' ') {  // "2015 Nov 13 …"
    int year = c.year;
    size_t m = ParseBsdTime(s.substr(5), &c);
    if (m != 0) {
      c.year = year;
      n = m + 5;
    }
  }
  if (n != 0) {
    found = true;
    s.remove_prefix(n);
    int offset = c.offset.value_or(ctx.default_offset_minutes);
    if (!iso && !s.empty() && s[0] == ' ') {
      // Cisco IOS: "… 00:01:02.345 JST: %SYS-…"
      string_view rest = s.substr(1);
      size_t colon = rest.find(':');
      if (colon != string_view::npos && colon <= 4) {
        if (auto z = ZoneOffset(rest.substr(0, colon))) {
          offset = *z;
          s = rest.substr(colon);
        }
      }
    }
    if (!ctx.host_only) {
      if (c.year == 0) c.year = GuessYear(c.month, ctx.received, offset);
      e.time = ToMillis(c, offset);
      e.offset_minutes = offset;
      e.time_from_receipt = false;
    }
    if (!s.empty() && s[0] == ':') s.remove_prefix(1);  // ASA "…12:00:00: %ASA"
    while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
    // HOSTNAME, unless what follows is already the message ("%ASA-…", "sshd[1]: …").
    string_view peek = s;
    string_view host = Token(peek);
    bool is_tag = !host.empty() && (host.back() == ':' || host.find('[') != string_view::npos ||
                                    host[0] == '%' || host.find('=') != string_view::npos);
    if (!host.empty() && !is_tag) {
      e.host = std::string(host);
      s = peek;
      if (!s.empty() && s[0] == ':') s.remove_prefix(1);  // "host : %ASA…"
      if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
    }
  }
  if (ctx.host_only) {
    BodyHost(e, s, ctx);
    return e;
  }
  Body(e, s, ctx);
  // A vendor body carries its own time and fields even without a header.
  if (is_syslog != nullptr) *is_syslog = found || e.format != "rfc3164";
  return e;
}

LogEvent ReceiveSyslog(string_view bytes, UnixMillis received, const std::string& source,
                       SyslogOrigin origin, bool vendor_fields, bool* is_syslog) {
  SyslogContext ctx;
  ctx.received = received;
  ctx.default_offset_minutes = origin.offset_minutes;
  ctx.source = source;
  ctx.vendor_fields = vendor_fields;
  LogEvent e = ParseSyslog(bytes, ctx, is_syslog);
  if (!origin.peer.empty()) {
    if (vendor_fields) e.fields["peer"] = origin.peer;
    if (e.host.empty()) e.host = origin.peer;
  }
  if (!origin.tls_subject.empty() && vendor_fields) e.fields["tls_subject"] = origin.tls_subject;
  e.origin = std::move(origin);
  return e;
}

std::string SyslogHost(string_view bytes, const std::string& peer) {
  SyslogContext ctx;
  ctx.vendor_fields = false;
  ctx.host_only = true;
  LogEvent e = ParseSyslog(bytes, ctx);
  if (e.host.empty()) return peer;
  return std::move(e.host);
}

}  // namespace mamori::logs
