// Japanese public holidays and the facility calendar. The holidays of 1980–2030 are compared
// with python3-holidays (Debian's package, run as a peer); where that old release is wrong the
// difference is listed here with the law that decides it.
#include "logs/calendar.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <set>

namespace mamori::logs {
namespace {

std::set<std::string> Peer() {
  std::set<std::string> out;
  FILE* p = popen(
      "/usr/bin/python3 -c 'import holidays\n"
      "for d in sorted(holidays.Japan(years=range(1980, 2031))): print(d)' 2>/dev/null",
      "r");
  if (p == nullptr) return out;
  char line[64];
  while (std::fgets(line, sizeof line, p) != nullptr) {
    std::string s(line);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    out.insert(s);
  }
  pclose(p);
  return out;
}

std::set<std::string> Mine() {
  using namespace std::chrono;
  std::set<std::string> out;
  for (sys_days d = sys_days(year(1980) / 1 / 1); d < sys_days(year(2031) / 1 / 1); d += days(1)) {
    year_month_day ymd(d);
    int y = static_cast<int>(ymd.year());
    auto m = static_cast<unsigned>(ymd.month()), dd = static_cast<unsigned>(ymd.day());
    if (JapaneseHoliday(y, static_cast<int>(m), static_cast<int>(dd)).empty()) continue;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, dd);
    out.insert(buf);
  }
  return out;
}

TEST(Holidays, AgreeWithPythonHolidaysExceptWhereTheLawSaysOtherwise) {
  auto peer = Peer();
  ASSERT_GT(peer.size(), 800U) << "python3-holidays (Debian package) is needed as the peer";
  auto mine = Mine();
  // Days the peer (0.10.1, 2020) lacks or has wrongly:
  std::set<std::string> only_mine = {
      "1989-02-24",  // 昭和天皇の大喪の礼 (平成元年法律第4号)
      "1990-11-12",  // 即位礼正殿の儀 (平成2年法律第24号)
      "1993-06-09",  // 皇太子徳仁親王の結婚の儀 (平成5年法律第32号)
      "2021-07-22", "2021-07-23", "2021-08-08",
      "2021-08-09",  // オリンピック特措法の令和2年改正 (2021 moves)
      "2025-02-24",  // 振替休日 for 天皇誕生日 on Sunday 2025-02-23
  };
  std::set<std::string> only_peer = {"2021-07-19", "2021-08-11", "2021-10-11"};  // pre-amendment
  for (const auto& d : mine) {
    if (!peer.count(d)) {
      EXPECT_TRUE(only_mine.count(d)) << "mamori only: " << d;
    }
  }
  for (const auto& d : peer) {
    if (!mine.count(d)) {
      EXPECT_TRUE(only_peer.count(d)) << "peer only: " << d;
    }
  }
  for (const auto& d : only_mine) EXPECT_TRUE(mine.count(d)) << d;
}

TEST(Holidays, NamesSubstituteAndCitizensHolidays) {
  EXPECT_EQ(JapaneseHoliday(2026, 1, 1), "元日");
  EXPECT_EQ(JapaneseHoliday(2026, 5, 6), "振替休日");     // 5/3 Sunday, 5/4–5/5 holidays
  EXPECT_EQ(JapaneseHoliday(2026, 9, 22), "国民の休日");  // between 敬老の日 and 秋分の日
  EXPECT_EQ(JapaneseHoliday(2019, 5, 1), "天皇の即位の日");
  EXPECT_EQ(JapaneseHoliday(2020, 7, 24), "スポーツの日");
  EXPECT_EQ(JapaneseHoliday(2026, 12, 1), "");
  EXPECT_EQ(JapaneseHoliday(2026, 2, 30), "");
  EXPECT_EQ(JapaneseHoliday(1979, 1, 1), "");  // outside the rules' range
}

UnixMillis Jst(const char* rfc3339) {
  return *ParseTime(rfc3339);
}

TEST(WorkCalendar, DefaultHoursHolidaysAndClosedDays) {
  auto c = WorkCalendar::Default();
  std::string why;
  EXPECT_TRUE(c.Working(Jst("2026-12-01T10:00:00+09:00"), &why));  // Tuesday
  EXPECT_FALSE(c.Working(Jst("2026-12-01T07:59:00+09:00"), &why));
  EXPECT_EQ(why, "時間外");
  EXPECT_FALSE(c.Working(Jst("2026-12-01T17:30:00+09:00"), &why));  // end is exclusive
  EXPECT_TRUE(c.Working(Jst("2026-12-05T12:00:00+09:00"), &why));   // Saturday morning
  EXPECT_FALSE(c.Working(Jst("2026-12-05T13:00:00+09:00"), &why));
  EXPECT_FALSE(c.Working(Jst("2026-12-06T10:00:00+09:00"), &why));
  EXPECT_EQ(why, "日曜");
  EXPECT_FALSE(c.Working(Jst("2026-11-23T10:00:00+09:00"), &why));
  EXPECT_EQ(why, "祝日: 勤労感謝の日");
  EXPECT_FALSE(c.Working(Jst("2026-12-29T10:00:00+09:00"), &why));
  EXPECT_EQ(why, "休診日");
  // 00:30 JST on a Wednesday is still Tuesday 15:30 UTC: the JST day decides.
  EXPECT_FALSE(c.Working(Jst("2026-12-02T00:30:00+09:00"), &why));
}

TEST(WorkCalendar, FromJsonAndErrorsNameTheField) {
  auto c = WorkCalendar::FromJson(Json::parse(
      R"({"hours": {"sat": "", "sun": "09:00-12:00"}, "holidays_closed": false,
          "closed_days": ["8-15"]})"));
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->Working(Jst("2026-12-06T10:00:00+09:00")));
  EXPECT_FALSE(c->Working(Jst("2026-12-05T10:00:00+09:00")));
  EXPECT_TRUE(c->Working(Jst("2026-11-23T10:00:00+09:00")));  // holidays worked
  EXPECT_EQ(c->ToJson()["closed_days"][0], "08-15");
  EXPECT_EQ(WorkCalendar::FromJson(c->ToJson())->ToJson(), c->ToJson());
  auto bad = WorkCalendar::FromJson(Json::parse(R"({"hours": {"mon": "18:00-08:00"}})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "hours.mon");
  bad = WorkCalendar::FromJson(Json::parse(R"({"closed_days": ["02-30"]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "closed_days");
}

}  // namespace
}  // namespace mamori::logs
