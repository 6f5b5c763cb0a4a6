#include "core/time.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/text.hpp"

namespace mamori {

namespace {
constexpr int64_t kJstOffsetMs = 9LL * 3600 * 1000;

class RealClock final : public Clock {
 public:
  UnixMillis Now() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

struct Civil {
  int y;
  unsigned m, d, hh, mm, ss;
};

Civil ToCivil(UnixMillis t_local) {
  using namespace std::chrono;
  auto ms = milliseconds(t_local);
  auto days = floor<std::chrono::days>(ms);
  year_month_day ymd{sys_days(days)};
  auto rest = duration_cast<seconds>(ms - days).count();
  return Civil{static_cast<int>(ymd.year()),
               static_cast<unsigned>(ymd.month()),
               static_cast<unsigned>(ymd.day()),
               static_cast<unsigned>(rest / 3600),
               static_cast<unsigned>((rest / 60) % 60),
               static_cast<unsigned>(rest % 60)};
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}
}  // namespace

const Clock& SystemClock() {
  static const RealClock clock;
  return clock;
}

std::string FormatJst(UnixMillis t) {
  Civil c = ToCivil(t + kJstOffsetMs);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u+09:00", c.y, c.m, c.d, c.hh, c.mm,
                c.ss);
  return buf;
}

std::string FormatDateJst(UnixMillis t) {
  Civil c = ToCivil(t + kJstOffsetMs);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
  return buf;
}

std::string FormatWarekiJst(UnixMillis t) {
  Civil c = ToCivil(t + kJstOffsetMs);
  // Era start dates (first day of each era), newest first.
  struct Era {
    const char* name;
    int y;
    unsigned m, d;
  };
  static constexpr Era kEras[] = {
      {"令和", 2019, 5, 1}, {"平成", 1989, 1, 8}, {"昭和", 1926, 12, 25}};
  for (const auto& era : kEras) {
    bool after = c.y > era.y || (c.y == era.y && (c.m > era.m || (c.m == era.m && c.d >= era.d)));
    if (!after) continue;
    int n = c.y - era.y + 1;
    std::string year = n == 1 ? "元" : std::to_string(n);
    return std::string(era.name) + year + "年" + std::to_string(c.m) + "月" + std::to_string(c.d) +
           "日";
  }
  return FormatDateJst(t);
}

std::optional<UnixMillis> ParseTime(std::string_view s) {
  int y = 0, mo = 0, d = 0, hh = 0, mi = 0, ss = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d))
    return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  int64_t offset_ms = kJstOffsetMs;  // a bare date is a JST calendar day
  int64_t frac_ms = 0;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != ' ') || !Digits(s, 11, 2, &hh) || s.size() < 19 || s[13] != ':' ||
        !Digits(s, 14, 2, &mi) || s[16] != ':' || !Digits(s, 17, 2, &ss) || hh > 23 || mi > 59 ||
        ss > 60)
      return std::nullopt;
    size_t p = 19;
    if (p < s.size() && s[p] == '.') {
      ++p;
      int64_t scale = 100;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        frac_ms += (s[p] - '0') * scale;
        scale /= 10;
        ++p;
      }
    }
    if (p == s.size()) return std::nullopt;  // RFC 3339 requires an offset
    if (s[p] == 'Z' || s[p] == 'z') {
      offset_ms = 0;
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      int oh = 0, om = 0;
      if (!Digits(s, p + 1, 2, &oh) || p + 3 >= s.size() || s[p + 3] != ':' ||
          !Digits(s, p + 4, 2, &om))
        return std::nullopt;
      offset_ms = (oh * 3600LL + om * 60LL) * 1000 * (s[p] == '-' ? -1 : 1);
      p += 6;
    } else {
      return std::nullopt;
    }
    if (p != s.size()) return std::nullopt;
  }
  int64_t days = sys_days(ymd).time_since_epoch().count();
  return days * 86400000LL + (hh * 3600LL + mi * 60LL + ss) * 1000 + frac_ms - offset_ms;
}

std::optional<std::string> ParseCalendarDate(std::string_view text) {
  std::string s = Nfkc(text);
  // Trim, and drop a time of day after a space ("2024/04/01 0:00:00" from Excel CSV).
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  s = s.substr(start);
  if (auto sp = s.find(' '); sp != std::string::npos) s.resize(sp);
  if (s.empty()) return std::nullopt;

  struct Era {
    const char* kanji;
    char letter;
    int first_year;  // the Gregorian year of 元年
  };
  static constexpr Era kEras[] = {{"令和", 'R', 2019},
                                  {"平成", 'H', 1989},
                                  {"昭和", 'S', 1926},
                                  {"大正", 'T', 1912},
                                  {"明治", 'M', 1868}};
  int base = 0;  // 0: Gregorian
  std::string_view rest = s;
  for (const auto& era : kEras) {
    if (rest.starts_with(era.kanji)) {
      base = era.first_year;
      rest.remove_prefix(std::strlen(era.kanji));
      break;
    }
    if (!rest.empty() && (rest[0] == era.letter || rest[0] == era.letter + 32) && rest.size() > 1 &&
        std::isdigit(static_cast<unsigned char>(rest[1]))) {
      base = era.first_year;
      rest.remove_prefix(1);
      break;
    }
  }
  // Numbers separated by - / . 年 月 日; "元" is year 1 of an era.
  std::vector<int> parts;
  std::string cur;
  auto flush = [&]() {
    if (!cur.empty()) parts.push_back(std::stoi(cur));
    cur.clear();
  };
  bool compact = true;  // 20240401
  for (size_t i = 0; i < rest.size();) {
    char c = rest[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (cur.size() >= 8) return std::nullopt;
      cur += c;
      ++i;
    } else if (c == '-' || c == '/' || c == '.') {
      flush();
      compact = false;
      ++i;
    } else if (rest.compare(i, 3, "年") == 0 || rest.compare(i, 3, "月") == 0) {
      flush();
      compact = false;
      i += 3;
    } else if (rest.compare(i, 3, "日") == 0 && i + 3 == rest.size()) {
      flush();
      i += 3;
    } else if (rest.compare(i, 3, "元") == 0 && base != 0 && parts.empty() && cur.empty()) {
      cur = "1";
      i += 3;
    } else {
      return std::nullopt;
    }
  }
  if (compact && parts.empty() && cur.size() == 8 && base == 0) {
    parts = {std::stoi(cur.substr(0, 4)), std::stoi(cur.substr(4, 2)), std::stoi(cur.substr(6, 2))};
    cur.clear();
  }
  flush();
  if (parts.size() != 3) return std::nullopt;
  int y = parts[0];
  if (base != 0) {
    if (y < 1 || y > 99) return std::nullopt;
    y = base + y - 1;
  } else if (y < 1000) {
    return std::nullopt;  // two-digit years are ambiguous
  }
  using namespace std::chrono;
  year_month_day ymd{year(y), month(static_cast<unsigned>(parts[1])),
                     day(static_cast<unsigned>(parts[2]))};
  if (parts[1] < 1 || parts[2] < 1 || !ymd.ok() || y > 9999) return std::nullopt;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, parts[1], parts[2]);
  return std::string(buf);
}

UnixMillis YearsBeforeJst(UnixMillis t, int years) {
  using namespace std::chrono;
  constexpr int64_t kJst = int64_t{9} * 3600 * 1000;
  auto days = floor<std::chrono::days>(sys_time<milliseconds>(milliseconds(t + kJst)));
  year_month_day ymd{days};
  year_month_day back = ymd - std::chrono::years(years);
  if (!back.ok()) back = year_month_day_last(back.year(), month_day_last(back.month()));
  return sys_days(back).time_since_epoch().count() * int64_t{86400000} - kJst;
}

}  // namespace mamori
