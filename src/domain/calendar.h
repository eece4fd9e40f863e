// Business days in China: Monday to Friday, minus the holidays and plus the make-up working
// weekend days (调休) of the rules calendar (Rules::calendar). Dates are civil dates in China
// Standard Time (UTC+8, no daylight saving), the time zone every SLA of the authorities is
// counted in. Immutable after construction; safe to share between threads.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "domain/rules.h"

namespace beian::domain {

using Date = std::chrono::year_month_day;

// "YYYY-MM-DD" → a valid date, or nullopt (wrong shape, month 13, 2023-02-29, ...). Also
// accepts an RFC 3339 timestamp and keeps its date part ("2025-03-01T10:00:00Z").
std::optional<Date> ParseDate(std::string_view text);
std::string FormatDate(Date d);

// The civil date in China at `t`, and the instant China's day `d` ends (next day 00:00 +08:00).
Date ChinaDate(core::TimePoint t);
core::TimePoint ChinaStartOfDay(Date d);
core::TimePoint ChinaEndOfDay(Date d);

// `d` plus `months` calendar months, clamped to the month's last day (Jan 31 + 1 = Feb 28/29).
Date AddMonths(Date d, int months);

class BusinessCalendar {
 public:
  BusinessCalendar() = default;  // weekends only
  explicit BusinessCalendar(const std::vector<CalendarDay>& days);
  explicit BusinessCalendar(const Rules& rules) : BusinessCalendar(rules.calendar) {}

  bool IsBusinessDay(Date d) const;
  // The `n`-th business day after `d` (d itself not counted; n >= 1). n <= 0 returns d.
  Date AddBusinessDays(Date d, int n) const;
  // Business days in (from, to]; 0 when to <= from.
  int BusinessDaysBetween(Date from, Date to) const;

 private:
  std::set<int> holidays_;  // days since epoch
  std::set<int> workdays_;
};

}  // namespace beian::domain
