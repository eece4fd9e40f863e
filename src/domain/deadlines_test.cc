// SLA deadlines of RULES.md "Timing" on the business-day calendar.
#include "domain/deadlines.h"

#include <gtest/gtest.h>

namespace beian::domain {
namespace {

using namespace std::chrono;

// Beijing wall-clock time as an instant.
core::TimePoint Beijing(year_month_day d, int hour) { return ChinaStartOfDay(d) + hours(hour); }

BusinessCalendar NationalDay2024() {
  std::vector<CalendarDay> days;
  for (int d = 1; d <= 7; ++d) days.push_back({2024y / October / d, CalendarDayKind::kHoliday, ""});
  days.push_back({2024y / October / 12, CalendarDayKind::kWorkday, ""});
  return BusinessCalendar(days);
}

TEST(DeadlinesTest, PreliminaryReviewIsOneBusinessDay) {
  Timing t;
  BusinessCalendar cal;
  // Friday 18:00 → end of Monday.
  EXPECT_EQ(DeadlineFor(Sla::kPreliminaryReview, Beijing(2024y / June / 7, 18), t, cal),
            ChinaEndOfDay(2024y / June / 10));
  // Tuesday 09:00 → end of Wednesday.
  EXPECT_EQ(DeadlineFor(Sla::kPreliminaryReview, Beijing(2024y / June / 4, 9), t, cal),
            ChinaEndOfDay(2024y / June / 5));
  // 23:30 Beijing on Tuesday is still Tuesday there (15:30 UTC).
  EXPECT_EQ(DeadlineFor(Sla::kPhotoReview, Beijing(2024y / June / 4, 23), t, cal),
            ChinaEndOfDay(2024y / June / 5));
}

TEST(DeadlinesTest, HolidaysPushBusinessDeadlines) {
  Timing t;
  BusinessCalendar cal = NationalDay2024();
  EXPECT_EQ(DeadlineFor(Sla::kPhotoReview, Beijing(2024y / September / 30, 10), t, cal),
            ChinaEndOfDay(2024y / October / 8));
  // 20 working days from Monday Sep 30: Oct 8–12 (5), 14–18, 21–25, 28–Nov 1 → Nov 1.
  EXPECT_EQ(DeadlineFor(Sla::kAuthorityReview, Beijing(2024y / September / 30, 10), t, cal),
            ChinaEndOfDay(2024y / November / 1));
}

TEST(DeadlinesTest, HourAndCalendarDaySlas) {
  Timing t;
  BusinessCalendar cal;
  core::TimePoint start = Beijing(2024y / June / 7, 18);
  EXPECT_EQ(DeadlineFor(Sla::kSmsVerification, start, t, cal), start + hours(24));
  EXPECT_EQ(DeadlineFor(Sla::kApplicantWait, start, t, cal), start + days(45));
  t.sms_code_validity_hours = 48;
  t.applicant_wait_days = 30;
  EXPECT_EQ(DeadlineFor(Sla::kSmsVerification, start, t, cal), start + hours(48));
  EXPECT_EQ(DeadlineFor(Sla::kApplicantWait, start, t, cal), start + days(30));
}

TEST(DeadlinesTest, TimingDataChangesBusinessSlas) {
  Timing t;
  t.preliminary_review_business_days = 2;
  EXPECT_EQ(DeadlineFor(Sla::kPreliminaryReview, Beijing(2024y / June / 7, 9), t, {}),
            ChinaEndOfDay(2024y / June / 11));
}

TEST(DeadlinesTest, StatesMapToSlas) {
  EXPECT_EQ(SlaForState(Machine::kApplication, "preliminary_review"), Sla::kPreliminaryReview);
  EXPECT_EQ(SlaForState(Machine::kApplication, "photo_uploaded"), Sla::kPhotoReview);
  EXPECT_EQ(SlaForState(Machine::kApplication, "authority_review"), Sla::kAuthorityReview);
  EXPECT_EQ(SlaForState(Machine::kApplication, "returned"), Sla::kApplicantWait);
  EXPECT_EQ(SlaForState(Machine::kApplication, "verification"), Sla::kApplicantWait);
  EXPECT_EQ(SlaForState(Machine::kApplication, "backdrop_shipped"), Sla::kApplicantWait);
  EXPECT_EQ(SlaForState(Machine::kApplication, "draft"), std::nullopt);
  EXPECT_EQ(SlaForState(Machine::kApplication, "approved"), std::nullopt);
  EXPECT_EQ(SlaForState(Machine::kSubmission, "sms_verification"), Sla::kSmsVerification);
  EXPECT_EQ(SlaForState(Machine::kSubmission, "under_review"), Sla::kAuthorityReview);
  EXPECT_EQ(SlaForState(Machine::kSubmission, "approved"), std::nullopt);
  // No SLA runs in a terminal state.
  for (Machine m : {Machine::kApplication, Machine::kSubmission}) {
    for (std::string_view s : States(m)) {
      if (IsTerminal(m, s)) {
        EXPECT_FALSE(SlaForState(m, s)) << s;
      }
    }
  }
  auto d = DeadlineForState(Machine::kSubmission, "sms_verification", Beijing(2024y / June / 7, 9),
                            Timing{}, {});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->sla, Sla::kSmsVerification);
  EXPECT_EQ(SlaName(d->sla), "sms_verification");
}

TEST(DeadlinesTest, ExpiryWarningsAt7_15_30DaysOfWaiting) {
  Timing t;
  core::TimePoint start = Beijing(2024y / June / 7, 9);
  auto w = ExpiryWarnings(start, t);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0], start + days(7));
  EXPECT_EQ(w[1], start + days(15));
  EXPECT_EQ(w[2], start + days(30));
  t.applicant_wait_days = 20;
  EXPECT_EQ(ExpiryWarnings(start, t).size(), 2u);
}

}  // namespace
}  // namespace beian::domain
