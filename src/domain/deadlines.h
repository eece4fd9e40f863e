// The SLAs of RULES.md "Timing" as instants: when a preliminary review, a verified-photo review,
// an SMS verification window, an authority review or an applicant's wait runs out, and when the
// expiry warnings go out. Durations come from Rules::timing; business days from a
// BusinessCalendar. Business-day SLAs end at the end (24:00 China time) of the N-th business day
// after the day the clock started, so work that arrives on a Friday evening or a holiday is due
// N business days later, never on a day off. Pure functions.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "domain/calendar.h"
#include "domain/rules.h"
#include "domain/state_machine.h"

namespace beian::domain {

enum class Sla {
  kPreliminaryReview,  // provider review of a submitted application (business days)
  kPhotoReview,        // provider review of the verified photo (business days)
  kSmsVerification,    // the window for entering SMS codes (hours)
  kAuthorityReview,    // the authority's statutory ceiling (working days)
  kApplicantWait,      // an order waiting on the applicant expires (calendar days)
};
std::string_view SlaName(Sla sla);  // "preliminary_review", ...

struct Deadline {
  Sla sla;
  core::TimePoint due;
};

// When `sla`, started at `start`, runs out.
core::TimePoint DeadlineFor(Sla sla, core::TimePoint start, const Timing& timing,
                            const BusinessCalendar& calendar);

// The SLA that runs while an application / submission sits in `state`, if any: preliminary_review
// → kPreliminaryReview, photo_uploaded → kPhotoReview, authority_review and under_review →
// kAuthorityReview, sms_verification → kSmsVerification, and the states that wait on the
// applicant (returned, verification, backdrop_shipped) → kApplicantWait.
std::optional<Sla> SlaForState(Machine machine, std::string_view state);

// The deadline of the state entered at `entered_at`, or nullopt when no SLA runs there.
std::optional<Deadline> DeadlineForState(Machine machine, std::string_view state,
                                         core::TimePoint entered_at, const Timing& timing,
                                         const BusinessCalendar& calendar);

// The instants at which a waiting applicant is reminded: `waiting_since` + each of
// Timing::expiry_warning_days (days of waiting, as the providers count them), ascending,
// excluding any at or after the expiry itself.
std::vector<core::TimePoint> ExpiryWarnings(core::TimePoint waiting_since, const Timing& timing);

}  // namespace beian::domain
