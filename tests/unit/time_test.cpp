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
