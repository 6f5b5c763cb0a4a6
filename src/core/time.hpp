// Time in mamori: stored as UTC milliseconds since the Unix epoch; shown in JST (UTC+9, no DST),
// with 和暦 (令和) where official forms use it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mamori {

using UnixMillis = int64_t;

// A clock that tests can replace (lockout, session timeouts and TOTP depend on it).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMillis Now() const = 0;
};
const Clock& SystemClock();

// "2026-11-22T12:56:19+09:00"
std::string FormatJst(UnixMillis t);
// "2026-11-22"
std::string FormatDateJst(UnixMillis t);
// "令和8年11月22日"
std::string FormatWarekiJst(UnixMillis t);
// A calendar date as people type it in ledgers, as "YYYY-MM-DD": 2024-04-01, 2024/4/1, 2024.4.1,
// 2024年4月1日, 20240401, and 和暦 — 令和6年4月1日, R6.4.1, H31/4/30, 平成元年… (NFKC first, so
// full-width digits work). A time after the date ("2024/4/1 0:00") is ignored. nullopt when
// it is not a date or not a real one (2024/2/30).
std::optional<std::string> ParseCalendarDate(std::string_view text);

// JST midnight of the date `years` years before the JST date of `t` (29 February → 28th): the
// start of what a retention of that many years keeps.
UnixMillis YearsBeforeJst(UnixMillis t, int years);

// Accepts "YYYY-MM-DD" (JST midnight) and RFC 3339 with Z or an offset.
std::optional<UnixMillis> ParseTime(std::string_view s);

}  // namespace mamori
