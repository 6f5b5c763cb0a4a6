// Scheduled retention: once per JST day at the time of day, never twice the same day, catching
// up on the first call after the time (a receiver started at noon expires that day); bad times
// of day are named errors.
#include "logs/expiry_schedule.hpp"

#include <gtest/gtest.h>

namespace mamori::logs {
namespace {

UnixMillis Jst(const char* rfc3339) {
  return *ParseTime(rfc3339);
}

TEST(DailySchedule, RunsOncePerJstDayAtOrAfterTheTime) {
  auto s = DailySchedule::Parse("03:00");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->MinuteOfDay(), 180);
  struct Case {
    const char* now;
    bool due;
  };
  // 2026-12-01 18:00Z is 12-02 03:00 JST.
  const Case cases[] = {
      {"2026-12-02T02:59:59+09:00", false},  // before the time
      {"2026-12-01T18:00:00Z", true},        // 03:00 JST, given in UTC
      {"2026-12-02T03:00:30+09:00", false},  // not twice the same day
      {"2026-12-02T23:59:59+09:00", false},
      {"2026-12-03T00:30:00+09:00", false},  // next day, before the time
      {"2026-12-03T14:00:00+09:00", true},   // next day, later (the process was busy or asleep)
      {"2026-12-03T15:00:00+09:00", false},
      {"2026-12-05T09:00:00+09:00", true},  // a day skipped: once, not twice
      {"2026-12-05T09:00:01+09:00", false},
  };
  for (const auto& c : cases) EXPECT_EQ(s->Due(Jst(c.now)), c.due) << c.now;
}

TEST(DailySchedule, AReceiverStartedAfterTheTimeRunsThatDay) {
  auto s = DailySchedule::Parse("00:00");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->Due(Jst("2026-12-02T12:00:00+09:00")));
  EXPECT_FALSE(s->Due(Jst("2026-12-02T12:00:01+09:00")));
  EXPECT_TRUE(s->Due(Jst("2026-12-03T00:00:00+09:00")));
}

TEST(DailySchedule, BadTimesOfDayAreNamed) {
  for (const char* bad : {"3:00", "24:00", "03:60", "0300", "03:0a", "", "03:00:00"}) {
    auto s = DailySchedule::Parse(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.error().Message(Lang::kJa).find(bad), std::string::npos) << bad;
  }
  EXPECT_TRUE(DailySchedule::Parse("23:59").ok());
}

}  // namespace
}  // namespace mamori::logs
