#include "logs/calendar.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace mamori::logs {

namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year;
using std::chrono::year_month_day;

int Weekday(int y, int m, int d) {
  return static_cast<int>(weekday(sys_days(year_month_day(year(y), month(static_cast<unsigned>(m)),
                                                          day(static_cast<unsigned>(d)))))
                              .c_encoding());
}

// The n-th Monday of the month.
int NthMonday(int y, int m, int n) {
  int first = Weekday(y, m, 1);
  int first_monday = 1 + (8 - first) % 7;
  return first_monday + 7 * (n - 1);
}

// 春分日・秋分日 (the usual approximation, valid 1980–2099).
int Equinox(int y, double base) {
  return static_cast<int>(std::floor(base + 0.242194 * (y - 1980) - std::floor((y - 1980) / 4.0)));
}

// The holidays named by the law itself (国民の祝日), without 振替休日 and 国民の休日.
std::string StatutoryHoliday(int y, int m, int d) {
  switch (m) {
    case 1:
      if (d == 1) return "元日";
      if (y < 2000 ? d == 15 : d == NthMonday(y, 1, 2)) return "成人の日";
      break;
    case 2:
      if (d == 11) return "建国記念の日";
      if (y >= 2020 && d == 23) return "天皇誕生日";
      if (y == 1989 && d == 24) return "昭和天皇の大喪の礼";
      break;
    case 3:
      if (d == Equinox(y, 20.8431)) return "春分の日";
      break;
    case 4:
      if (d == 29) return y < 1989 ? "天皇誕生日" : y < 2007 ? "みどりの日" : "昭和の日";
      break;
    case 5:
      if (d == 3) return "憲法記念日";
      if (d == 4 && y >= 2007) return "みどりの日";
      if (d == 5) return "こどもの日";
      if (y == 2019 && d == 1) return "天皇の即位の日";
      break;
    case 6:
      if (y == 1993 && d == 9) return "皇太子徳仁親王の結婚の儀";
      break;
    case 7:
      if (y == 2020) {
        if (d == 23) return "海の日";
        if (d == 24) return "スポーツの日";
      } else if (y == 2021) {
        if (d == 22) return "海の日";
        if (d == 23) return "スポーツの日";
      } else if (y >= 2003) {
        if (d == NthMonday(y, 7, 3)) return "海の日";
      } else if (y >= 1996 && d == 20) {
        return "海の日";
      }
      break;
    case 8:
      if (y == 2020) {
        if (d == 10) return "山の日";
      } else if (y == 2021) {
        if (d == 8) return "山の日";
      } else if (y >= 2016 && d == 11) {
        return "山の日";
      }
      break;
    case 9:
      if (y >= 2003 ? d == NthMonday(y, 9, 3) : d == 15) return "敬老の日";
      if (d == Equinox(y, 23.2488)) return "秋分の日";
      break;
    case 10:
      if (y == 2020 || y == 2021) break;  // moved to July
      if (y < 2000 ? d == 10 : d == NthMonday(y, 10, 2))
        return y < 2020 ? "体育の日" : "スポーツの日";
      if (y == 2019 && d == 22) return "即位礼正殿の儀";
      break;
    case 11:
      if (d == 3) return "文化の日";
      if (d == 23) return "勤労感謝の日";
      if (y == 1990 && d == 12) return "即位礼正殿の儀";
      break;
    case 12:
      if (y >= 1989 && y <= 2018 && d == 23) return "天皇誕生日";
      break;
    default:
      break;
  }
  return "";
}

year_month_day Ymd(sys_days d) {
  return year_month_day(d);
}

std::string StatutoryOn(sys_days d) {
  auto ymd = Ymd(d);
  return StatutoryHoliday(static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
                          static_cast<int>(unsigned(ymd.day())));
}

int ParseHm(const std::string& s, bool* ok) {
  int h = 0, m = 0;
  char extra = 0;
  if (std::sscanf(s.c_str(), "%d:%d%c", &h, &m, &extra) != 2 || h < 0 || h > 24 || m < 0 ||
      m > 59 || (h == 24 && m != 0)) {
    *ok = false;
    return 0;
  }
  return h * 60 + m;
}

std::string Hm(int minutes) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

constexpr std::array<const char*, 7> kDayKeys = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

}  // namespace

std::string JapaneseHoliday(int y, int m, int d) {
  if (y < 1980 || y > 2099) return "";
  year_month_day ymd(year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d)));
  if (!ymd.ok()) return "";
  sys_days today(ymd);
  std::string name = StatutoryHoliday(y, m, d);
  if (!name.empty()) return name;
  // 振替休日: when a holiday falls on a Sunday, the next day that is not a holiday (from 2007;
  // before, only the Monday after).
  if (y >= 2007) {
    for (sys_days back = today - std::chrono::days(1);; back -= std::chrono::days(1)) {
      if (StatutoryOn(back).empty()) break;
      if (weekday(back) == std::chrono::Sunday) return "振替休日";
    }
  } else if (weekday(today) == std::chrono::Monday &&
             !StatutoryOn(today - std::chrono::days(1)).empty()) {
    return "振替休日";
  }
  // 国民の休日: a day between two holidays (the 1985 amendment; not a Sunday).
  if (y >= 1986 && weekday(today) != std::chrono::Sunday &&
      !StatutoryOn(today - std::chrono::days(1)).empty() &&
      !StatutoryOn(today + std::chrono::days(1)).empty())
    return "国民の休日";
  return "";
}

WorkCalendar WorkCalendar::Default() {
  WorkCalendar c;
  for (int wd = 1; wd <= 5; ++wd) c.hours[static_cast<size_t>(wd)] = {8 * 60 + 30, 17 * 60 + 30};
  c.hours[6] = {8 * 60 + 30, 12 * 60 + 30};
  c.hours[0] = {0, 0};
  c.closed_days = {"12-29", "12-30", "12-31", "01-02", "01-03"};
  return c;
}

Result<WorkCalendar> WorkCalendar::FromJson(const Json& j) {
  auto bad = [](const std::string& field) {
    Error e = MakeError(ErrorCode::kInvalidArgument, "logs.bad_calendar", {field});
    e.field = field;
    return e;
  };
  WorkCalendar c = Default();
  if (!j.is_object()) return bad("calendar");
  if (j.contains("hours")) {
    const Json& h = j["hours"];
    if (!h.is_object()) return bad("hours");
    for (size_t wd = 0; wd < kDayKeys.size(); ++wd) {
      if (!h.contains(kDayKeys[wd])) continue;
      const Json& v = h[kDayKeys[wd]];
      std::string field = std::string("hours.") + kDayKeys[wd];
      if (!v.is_string()) return bad(field);
      std::string s = v.get<std::string>();
      if (s.empty()) {
        c.hours[wd] = {0, 0};
        continue;
      }
      auto dash = s.find('-');
      if (dash == std::string::npos) return bad(field);
      bool ok = true;
      int a = ParseHm(s.substr(0, dash), &ok), b = ParseHm(s.substr(dash + 1), &ok);
      if (!ok || b <= a) return bad(field);
      c.hours[wd] = {a, b};
    }
  }
  if (j.contains("holidays_closed")) {
    if (!j["holidays_closed"].is_boolean()) return bad("holidays_closed");
    c.holidays_closed = j["holidays_closed"].get<bool>();
  }
  if (j.contains("closed_days")) {
    if (!j["closed_days"].is_array()) return bad("closed_days");
    c.closed_days.clear();
    for (const auto& d : j["closed_days"]) {
      int mm = 0, dd = 0;
      char extra = 0;
      if (!d.is_string() ||
          std::sscanf(d.get<std::string>().c_str(), "%d-%d%c", &mm, &dd, &extra) != 2 ||
          !year_month_day(year(2024), month(static_cast<unsigned>(mm)),
                          day(static_cast<unsigned>(dd)))
               .ok())
        return bad("closed_days");
      char buf[24];
      std::snprintf(buf, sizeof buf, "%02d-%02d", mm, dd);
      c.closed_days.emplace_back(buf);
    }
  }
  return c;
}

Json WorkCalendar::ToJson() const {
  Json h = Json::object();
  for (size_t wd = 0; wd < kDayKeys.size(); ++wd)
    h[kDayKeys[wd]] =
        hours[wd].first == hours[wd].second ? "" : Hm(hours[wd].first) + "-" + Hm(hours[wd].second);
  return {{"hours", h}, {"holidays_closed", holidays_closed}, {"closed_days", closed_days}};
}

bool WorkCalendar::Working(UnixMillis t, std::string* why) const {
  constexpr int64_t kJst = int64_t{9} * 3600 * 1000;
  int64_t local = t + kJst;
  int64_t days = local >= 0 ? local / 86400000 : (local - 86399999) / 86400000;
  int minute = static_cast<int>((local - days * 86400000) / 60000);
  sys_days d{std::chrono::days(days)};
  year_month_day ymd(d);
  int y = static_cast<int>(ymd.year()), m = static_cast<int>(unsigned(ymd.month())),
      dd = static_cast<int>(unsigned(ymd.day()));
  auto say = [&](std::string s) {
    if (why != nullptr) *why = std::move(s);
    return false;
  };
  if (holidays_closed) {
    std::string h = JapaneseHoliday(y, m, dd);
    if (!h.empty()) return say("祝日: " + h);
  }
  char mmdd[24];
  std::snprintf(mmdd, sizeof mmdd, "%02d-%02d", m, dd);
  for (const auto& c : closed_days)
    if (c == mmdd) return say("休診日");
  auto wd = static_cast<size_t>(weekday(d).c_encoding());
  const auto& [start, end] = hours[wd];
  if (start == end) return say(wd == 0 ? "日曜" : wd == 6 ? "土曜" : "休診日");
  if (minute < start || minute >= end) return say("時間外");
  return true;
}

}  // namespace mamori::logs
