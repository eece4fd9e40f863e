// Business-day calendar: weekends, holidays, make-up working days, date parsing, China time.
#include "domain/calendar.h"

#include <gtest/gtest.h>

#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

using namespace std::chrono;

Date D(const char* s) { return *ParseDate(s); }

// National Day 2024: Oct 1–7 off, Sunday Sep 29 and Saturday Oct 12 worked.
std::vector<CalendarDay> NationalDay2024() {
  std::vector<CalendarDay> days;
  for (int d = 1; d <= 7; ++d) {
    days.push_back({2024y / October / d, CalendarDayKind::kHoliday, "国庆节"});
  }
  days.push_back({2024y / September / 29, CalendarDayKind::kWorkday, "国庆节调休"});
  days.push_back({2024y / October / 12, CalendarDayKind::kWorkday, "国庆节调休"});
  return days;
}

TEST(ParseDateTest, AcceptsValidDatesOnly) {
  EXPECT_EQ(ParseDate("2024-02-29"), std::optional<Date>(2024y / February / 29));
  EXPECT_EQ(ParseDate("2025-03-01T10:00:00Z"), std::optional<Date>(2025y / March / 1));
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDate("2024-13-01"));
  EXPECT_FALSE(ParseDate("2024-1-01"));
  EXPECT_FALSE(ParseDate("2024/01/01"));
  EXPECT_FALSE(ParseDate(""));
  EXPECT_FALSE(ParseDate("20240101"));
  EXPECT_FALSE(ParseDate("２０２４-01-01"));
  EXPECT_EQ(FormatDate(2024y / March / 5), "2024-03-05");
}

TEST(CalendarTest, WeekendsAreNotBusinessDays) {
  BusinessCalendar cal;
  EXPECT_TRUE(cal.IsBusinessDay(D("2024-06-07")));   // Friday
  EXPECT_FALSE(cal.IsBusinessDay(D("2024-06-08")));  // Saturday
  EXPECT_FALSE(cal.IsBusinessDay(D("2024-06-09")));  // Sunday
  EXPECT_EQ(cal.AddBusinessDays(D("2024-06-07"), 1), D("2024-06-10"));
  EXPECT_EQ(cal.AddBusinessDays(D("2024-06-08"), 1), D("2024-06-10"));
  EXPECT_EQ(cal.AddBusinessDays(D("2024-06-03"), 20), D("2024-07-01"));
  EXPECT_EQ(cal.AddBusinessDays(D("2024-06-03"), 0), D("2024-06-03"));
}

// The calendar built from the embedded rules data (the one the deadlines use).
TEST(CalendarTest, EmbeddedRulesCalendar) {
  BusinessCalendar cal(testing::EmbeddedRules());
  EXPECT_FALSE(cal.IsBusinessDay(D("2025-10-01")));  // National Day
  EXPECT_FALSE(cal.IsBusinessDay(D("2025-10-08")));  // Wednesday inside the Golden Week
  EXPECT_TRUE(cal.IsBusinessDay(D("2025-09-28")));   // Sunday, make-up working day
  EXPECT_TRUE(cal.IsBusinessDay(D("2026-02-14")));   // Saturday before the Spring Festival
  EXPECT_FALSE(cal.IsBusinessDay(D("2026-02-16")));  // Monday of the Spring Festival
  EXPECT_FALSE(cal.IsBusinessDay(D("2026-11-28")));  // plain Saturday
  EXPECT_TRUE(cal.IsBusinessDay(D("2026-11-27")));   // plain Friday
}

TEST(CalendarTest, HolidaysAndMakeUpDays) {
  BusinessCalendar cal(NationalDay2024());
  EXPECT_TRUE(cal.IsBusinessDay(D("2024-09-29")));   // Sunday, worked
  EXPECT_FALSE(cal.IsBusinessDay(D("2024-10-01")));  // Tuesday, holiday
  EXPECT_TRUE(cal.IsBusinessDay(D("2024-10-12")));   // Saturday, worked
  // Friday Sep 27 + 1 → Sunday Sep 29 (make-up day); Monday Sep 30 + 1 → Tuesday Oct 8.
  EXPECT_EQ(cal.AddBusinessDays(D("2024-09-27"), 1), D("2024-09-29"));
  EXPECT_EQ(cal.AddBusinessDays(D("2024-09-30"), 1), D("2024-10-08"));
  EXPECT_EQ(cal.AddBusinessDays(D("2024-10-03"), 1), D("2024-10-08"));
  // Oct 8–11 (4) + Oct 12 (Sat, worked) = 5.
  EXPECT_EQ(cal.BusinessDaysBetween(D("2024-09-30"), D("2024-10-13")), 5);
  EXPECT_EQ(cal.BusinessDaysBetween(D("2024-10-13"), D("2024-09-30")), 0);
}

TEST(CalendarTest, ChinaTimeIsUtcPlus8) {
  // 2024-06-07 17:00 UTC is 2024-06-08 01:00 in Beijing.
  core::TimePoint t = sys_days(2024y / June / 7) + hours(17);
  EXPECT_EQ(ChinaDate(t), D("2024-06-08"));
  EXPECT_EQ(ChinaDate(sys_days(2024y / June / 7) + hours(15)), D("2024-06-07"));
  EXPECT_EQ(ChinaEndOfDay(D("2024-06-07")), sys_days(2024y / June / 7) + hours(16));
  EXPECT_EQ(ChinaStartOfDay(D("2024-06-07")), sys_days(2024y / June / 6) + hours(16));
}

TEST(CalendarTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(AddMonths(D("2024-01-31"), 1), D("2024-02-29"));
  EXPECT_EQ(AddMonths(D("2023-11-30"), 3), D("2024-02-29"));
  EXPECT_EQ(AddMonths(D("2023-11-15"), 3), D("2024-02-15"));
  EXPECT_EQ(AddMonths(D("2024-05-31"), -1), D("2024-04-30"));
}

}  // namespace
}  // namespace beian::domain
