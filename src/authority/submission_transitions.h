// The one place that assigns an authority submission a new state (issue 10; contract §3). Every
// transition — SMS verified / failed / timed out, resend, the reviewer's approve and reject — is
// computed by the state machine table (domain::Apply, Machine::kSubmission) and persisted here,
// in the caller's transaction, together with:
//   - the append-only submission_events row (actor, time, from, to, reasons);
//   - under_review: review_started_at and review_deadline (20 working days, rules' calendar);
//   - approved / rejected / expired: decided_at, decided_by, the claim cleared, and the release
//     of the submission's open keys (certificate and domains), so another provider may submit;
//   - for under_review, approved, rejected and expired: ONE provider_events row, the result the
//     provider's agent receives (POST <callback_url>/api/v1/authority/events; contract §4).
//
//   db.Write([&](store::Tx& tx) -> core::Result<SubmissionTransitionOutcome> {
//     return TransitionSubmission(tx, ctx, {.submission_id = id, .event = "sms_verified",
//                                           .actor = "system", .role = "system",
//                                           .facts = {.all_sms_verified = true}});
//   });
// The outcome's notifications (SMS, e-mail) are the caller's: it enqueues them with
// store::NotificationRepo in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/clock.h"
#include "core/result.h"
#include "core/time_text.h"
#include "domain/calendar.h"
#include "domain/rules.h"
#include "domain/state_machine.h"
#include "store/database.h"
#include "store/submissions.h"

namespace beian::authority {

// A field-level reason of a decision: {field, code, message}.
struct Reason {
  std::string field;
  std::string code;
  std::string message;
};

boost::json::array ReasonsToJson(const std::vector<Reason>& reasons);

struct SubmissionTransitionContext {
  const core::Clock& clock;
  const domain::Rules& rules;
  const domain::BusinessCalendar& calendar;
};

struct SubmissionTransitionRequest {
  std::string submission_id;
  std::string event;  // sms_verified, resend_sms, sms_failed, sms_timeout, approve, reject
  std::string actor;  // the reviewer's user id, or "system"
  std::string role;   // "authority_reviewer" | "system"
  std::vector<Reason> reasons = {};
  domain::GuardFacts facts = {};
  // approve: what RecordApproval issued, {subject_sn, new_subject, websites:[{name, domains,
  // website_sn}]}; stored on the submission and sent to the provider.
  std::optional<boost::json::object> approval = std::nullopt;
};

struct SubmissionTransitionOutcome {
  store::SubmissionRecord submission;            // as it is after the transition
  std::optional<std::string> provider_event_id;  // the result enqueued for the provider, if any
};

// kNotFound (unknown id), kInvalidTransition naming state, event and role (or a failed guard),
// kPreconditionFailed when the row changed under a weaker isolation, or a database error. On any
// error the caller's transaction must roll back (nothing is half-written by this function, but
// the caller's other writes are not undone here).
core::Result<SubmissionTransitionOutcome> TransitionSubmission(
    store::Tx& tx, const SubmissionTransitionContext& ctx,
    const SubmissionTransitionRequest& request);

// The result body POSTed to the provider for `s` now in a state that reports (under_review,
// approved, rejected, expired); contract §4.
boost::json::object ProviderEventBody(const store::SubmissionRecord& s, const std::string& event_id,
                                      int64_t occurred_at_ms, const std::vector<Reason>& reasons);

using core::FormatRfc3339;  // core/time_text.h
using core::ToMillis;

}  // namespace beian::authority
