#include "logs/expiry_schedule.hpp"

#include <string>

namespace mamori::logs {

namespace {
constexpr int64_t kJstMillis = 9LL * 3600 * 1000;
constexpr int64_t kDayMillis = 24LL * 3600 * 1000;

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);
}
}  // namespace

Result<DailySchedule> DailySchedule::Parse(std::string_view hhmm) {
  auto digit = [&](size_t i) { return hhmm[i] >= '0' && hhmm[i] <= '9'; };
  if (hhmm.size() != 5 || hhmm[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4))
    return MakeError(ErrorCode::kInvalidArgument, "logs.bad_time_of_day", {std::string(hhmm)});
  int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  if (h > 23 || m > 59)
    return MakeError(ErrorCode::kInvalidArgument, "logs.bad_time_of_day", {std::string(hhmm)});
  return DailySchedule(h * 60 + m);
}

Result<std::optional<DailySchedule>> DailySchedule::ParseOptional(std::string_view hhmm) {
  if (hhmm.empty()) return std::optional<DailySchedule>{};
  MAMORI_ASSIGN_OR_RETURN(auto s, Parse(hhmm));
  return std::optional<DailySchedule>{s};
}

bool DailySchedule::Due(UnixMillis now) {
  int64_t local = now + kJstMillis;
  int64_t day = FloorDiv(local, kDayMillis);
  int64_t minute = (local - day * kDayMillis) / 60000;
  if (day == last_day_ || minute < minute_of_day_) return false;
  last_day_ = day;
  return true;
}

}  // namespace mamori::logs
