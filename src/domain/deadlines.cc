// SLA deadlines; see deadlines.h.
#include "domain/deadlines.h"

#include <algorithm>

namespace beian::domain {
namespace {

core::TimePoint BusinessDeadline(core::TimePoint start, int business_days,
                                 const BusinessCalendar& calendar) {
  return ChinaEndOfDay(calendar.AddBusinessDays(ChinaDate(start), business_days));
}

}  // namespace

std::string_view SlaName(Sla sla) {
  switch (sla) {
    case Sla::kPreliminaryReview:
      return "preliminary_review";
    case Sla::kPhotoReview:
      return "photo_review";
    case Sla::kSmsVerification:
      return "sms_verification";
    case Sla::kAuthorityReview:
      return "authority_review";
    case Sla::kApplicantWait:
      return "applicant_wait";
  }
  return "";
}

core::TimePoint DeadlineFor(Sla sla, core::TimePoint start, const Timing& timing,
                            const BusinessCalendar& calendar) {
  switch (sla) {
    case Sla::kPreliminaryReview:
      return BusinessDeadline(start, timing.preliminary_review_business_days, calendar);
    case Sla::kPhotoReview:
      return BusinessDeadline(start, timing.photo_review_business_days, calendar);
    case Sla::kAuthorityReview:
      return BusinessDeadline(start, timing.authority_review_working_days, calendar);
    case Sla::kSmsVerification:
      return start + std::chrono::hours(timing.sms_code_validity_hours);
    case Sla::kApplicantWait:
      return start + std::chrono::days(timing.applicant_wait_days);
  }
  return start;
}

std::optional<Sla> SlaForState(Machine machine, std::string_view state) {
  if (machine == Machine::kSubmission) {
    if (state == "sms_verification") return Sla::kSmsVerification;
    if (state == "under_review") return Sla::kAuthorityReview;
    return std::nullopt;
  }
  if (state == "preliminary_review") return Sla::kPreliminaryReview;
  if (state == "photo_uploaded") return Sla::kPhotoReview;
  if (state == "authority_review") return Sla::kAuthorityReview;
  if (state == "returned" || state == "verification" || state == "backdrop_shipped") {
    return Sla::kApplicantWait;
  }
  return std::nullopt;
}

std::optional<Deadline> DeadlineForState(Machine machine, std::string_view state,
                                         core::TimePoint entered_at, const Timing& timing,
                                         const BusinessCalendar& calendar) {
  std::optional<Sla> sla = SlaForState(machine, state);
  if (!sla) return std::nullopt;
  return Deadline{*sla, DeadlineFor(*sla, entered_at, timing, calendar)};
}

std::vector<core::TimePoint> ExpiryWarnings(core::TimePoint waiting_since, const Timing& timing) {
  std::vector<int> days = timing.expiry_warning_days;
  std::sort(days.begin(), days.end());
  std::vector<core::TimePoint> out;
  for (int d : days) {
    if (d <= 0 || d >= timing.applicant_wait_days) continue;
    out.push_back(waiting_since + std::chrono::days(d));
  }
  return out;
}

}  // namespace beian::domain
