// When retention runs by itself: once a day at a JST time of day, in the receivers that hold the
// store (`mamori logs serve --expire-at 03:00`, `mamori serve --expire-at 03:00`) — the store has
// one writer, so a separate `logs expire` cannot run while they do.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace mamori::logs {

class DailySchedule {
 public:
  // "HH:MM" (00:00–23:59), JST. A bad value is an error naming it.
  static Result<DailySchedule> Parse(std::string_view hhmm);
  // The same for an option that may be absent: "" is no schedule.
  static Result<std::optional<DailySchedule>> ParseOptional(std::string_view hhmm);
  // True once per JST day, at the first call at or after the time of day; a process started
  // after the time runs on its first call that day (a receiver restarted at noon still expires
  // that day). Not again the same day.
  bool Due(UnixMillis now);
  [[nodiscard]] int MinuteOfDay() const { return minute_of_day_; }

 private:
  explicit DailySchedule(int minute) : minute_of_day_(minute) {}
  int minute_of_day_ = 0;
  int64_t last_day_ = INT64_MIN;  // the JST day (days since the epoch) it last ran
};

}  // namespace mamori::logs
