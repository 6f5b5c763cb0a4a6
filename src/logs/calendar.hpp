// Working time of a facility, for the review's "logons outside working hours": the hours of each
// weekday, Japanese public holidays (国民の祝日に関する法律), and the facility's own closed days
// (年末年始…). All in JST.
//
// Written here rather than taken from a library: Debian has no C or C++ library of Japanese
// holidays (python3-holidays serves as the test peer). The rules follow the law and its
// amendments from 1980 to 2099, including the one-off days (大喪の礼, 即位礼正殿の儀, the 2020
// and 2021 Olympic moves); the equinoxes use the standard approximation, which agrees with the
// 国立天文台 announcements for this range.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "logs/event.hpp"

namespace mamori::logs {

// The name of the public holiday on that date ("元日", "振替休日", "国民の休日"…), or "" (also
// for years outside 1980–2099).
std::string JapaneseHoliday(int year, int month, int day);

struct WorkCalendar {
  // Minutes from midnight [start, end) per weekday, 0 = Sunday; start == end: closed all day.
  std::array<std::pair<int, int>, 7> hours{};
  bool holidays_closed = true;           // public holidays are days off
  std::vector<std::string> closed_days;  // "MM-DD" every year (12-29 … 01-03)

  // Mon–Fri 08:30–17:30, Sat 08:30–12:30, closed on Sundays, holidays and 12-29…01-03.
  static WorkCalendar Default();
  // {"hours": {"mon": "08:30-17:30", …, "sun": ""}, "holidays_closed": true,
  //  "closed_days": ["12-29", …]}; errors name the field.
  static Result<WorkCalendar> FromJson(const Json& j);
  [[nodiscard]] Json ToJson() const;

  // Whether the time (UTC) is within working hours in JST; when it is not, `why` says why
  // ("祝日: 元日", "休診日", "日曜", "時間外").
  [[nodiscard]] bool Working(UnixMillis t, std::string* why = nullptr) const;
};

}  // namespace mamori::logs
