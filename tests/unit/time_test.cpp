#include "core/time.hpp"

#include <gtest/gtest.h>

namespace mamori {
namespace {

TEST(Time, FormatsInJst) {
  // 2026-11-22T03:56:19Z is 12:56:19 in Japan.
  auto t = ParseTime("2026-11-22T03:56:19Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatJst(*t), "2026-11-22T12:56:19+09:00");
  EXPECT_EQ(FormatDateJst(*t), "2026-11-22");
}

TEST(Time, JstDayBoundary) {
  auto t = ParseTime("2026-03-31T15:00:00Z");  // midnight 1 April in Japan
  EXPECT_EQ(FormatDateJst(*t), "2026-04-01");
  EXPECT_EQ(FormatDateJst(*t - 1), "2026-03-31");
}

TEST(Time, Wareki) {
  EXPECT_EQ(FormatWarekiJst(*ParseTime("2026-11-22")), "令和8年11月22日");
  EXPECT_EQ(FormatWarekiJst(*ParseTime("2019-05-01")), "令和元年5月1日");
  EXPECT_EQ(FormatWarekiJst(*ParseTime("2019-04-30")), "平成31年4月30日");
  EXPECT_EQ(FormatWarekiJst(*ParseTime("1989-01-08")), "平成元年1月8日");
  EXPECT_EQ(FormatWarekiJst(*ParseTime("1989-01-07")), "昭和64年1月7日");
}

TEST(Time, ParsesOffsetsAndFractions) {
  EXPECT_EQ(*ParseTime("2026-01-01T09:00:00+09:00"), *ParseTime("2026-01-01T00:00:00Z"));
  EXPECT_EQ(*ParseTime("2026-01-01T00:00:00.250Z") - *ParseTime("2026-01-01T00:00:00Z"), 250);
  EXPECT_EQ(*ParseTime("2026-01-01"), *ParseTime("2025-12-31T15:00:00Z"));
}

TEST(Time, RejectsMalformed) {
  for (const char* bad :
       {"", "2026", "2026-13-01", "2026-02-30", "2026-01-01T25:00:00Z", "2026-01-01T00:00:00",
        "2026-01-01T00:00:00+0900", "2026/01/01", "2026-01-01T00:00:00Zjunk"}) {
    EXPECT_FALSE(ParseTime(bad)) << bad;
  }
}

}  // namespace
}  // namespace mamori

namespace mamori {
namespace {
TEST(CalendarDate, AsLedgersWriteThem) {
  for (auto [in, want] :
       std::vector<std::pair<std::string, std::string>>{{"2024-04-01", "2024-04-01"},
                                                        {"2024/4/1", "2024-04-01"},
                                                        {"２０２４／４／１", "2024-04-01"},
                                                        {"2024.04.01", "2024-04-01"},
                                                        {"2024年4月1日", "2024-04-01"},
                                                        {"2024年4月1日 ", "2024-04-01"},
                                                        {"2024/04/01 0:00", "2024-04-01"},
                                                        {"20240401", "2024-04-01"},
                                                        {"令和6年4月1日", "2024-04-01"},
                                                        {"令和元年5月1日", "2019-05-01"},
                                                        {"R6.4.1", "2024-04-01"},
                                                        {"r6/4/1", "2024-04-01"},
                                                        {"H31.4.30", "2019-04-30"},
                                                        {"平成元年1月8日", "1989-01-08"},
                                                        {"S64.1.7", "1989-01-07"},
                                                        {"2024-02-29", "2024-02-29"}}) {
    auto got = ParseCalendarDate(in);
    ASSERT_TRUE(got.has_value()) << in;
    EXPECT_EQ(*got, want) << in;
  }
  for (const char* bad :
       {"", "2024/2/30", "2023-02-29", "2024/13/1", "24/4/1", "2024/4", "令和100年1月1日", "R0.1.1",
        "不明", "2024年4月1日ごろ", "2024-04-01x", "4/1/2024", "99999999999"})
    EXPECT_FALSE(ParseCalendarDate(bad).has_value()) << bad;
}
}  // namespace
}  // namespace mamori
