// Business-day arithmetic on the rules calendar; see calendar.h.
#include "domain/calendar.h"

#include <cstdio>

namespace beian::domain {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr auto kChinaOffset = std::chrono::hours(8);

int DayNumber(Date d) { return static_cast<int>(sys_days(d).time_since_epoch().count()); }

bool IsDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() > 10 && (text[10] == 'T' || text[10] == 't' || text[10] == ' ')) {
    text = text.substr(0, 10);
  }
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!IsDigits(y) || !IsDigits(m) || !IsDigits(d)) return std::nullopt;
  Date date{std::chrono::year(ToInt(y)), std::chrono::month(static_cast<unsigned>(ToInt(m))),
            std::chrono::day(static_cast<unsigned>(ToInt(d)))};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string FormatDate(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

Date ChinaDate(core::TimePoint t) { return Date(std::chrono::floor<days>(t + kChinaOffset)); }

core::TimePoint ChinaStartOfDay(Date d) { return core::TimePoint(sys_days(d)) - kChinaOffset; }

core::TimePoint ChinaEndOfDay(Date d) { return ChinaStartOfDay(Date(sys_days(d) + days(1))); }

Date AddMonths(Date d, int months) {
  Date r = d.year() / d.month() / 1 + std::chrono::months(months);
  auto last = std::chrono::year_month_day_last(r.year(), std::chrono::month_day_last(r.month()));
  return Date(r.year(), r.month(), d.day() > last.day() ? last.day() : d.day());
}

BusinessCalendar::BusinessCalendar(const std::vector<CalendarDay>& days_list) {
  for (const CalendarDay& c : days_list) {
    if (!c.date.ok()) continue;
    (c.kind == CalendarDayKind::kHoliday ? holidays_ : workdays_).insert(DayNumber(c.date));
  }
}

bool BusinessCalendar::IsBusinessDay(Date d) const {
  int n = DayNumber(d);
  if (workdays_.count(n)) return true;
  if (holidays_.count(n)) return false;
  std::chrono::weekday wd{sys_days(d)};
  return wd != std::chrono::Saturday && wd != std::chrono::Sunday;
}

Date BusinessCalendar::AddBusinessDays(Date d, int n) const {
  sys_days day(d);
  while (n > 0) {
    day += days(1);
    if (IsBusinessDay(Date(day))) --n;
  }
  return Date(day);
}

int BusinessCalendar::BusinessDaysBetween(Date from, Date to) const {
  int count = 0;
  for (sys_days day = sys_days(from) + days(1); day <= sys_days(to); day += days(1)) {
    if (IsBusinessDay(Date(day))) ++count;
  }
  return count;
}

}  // namespace beian::domain
