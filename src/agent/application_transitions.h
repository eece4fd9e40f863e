// The one place that assigns an application a new state (issue 7 item 7). Every transition —
// submit, resubmit, withdraw, the reviewer's decisions, the verification sub-steps, the
// authority's outcome — is computed by the state machine table (domain::Apply) and persisted
// here, in the caller's transaction, together with its append-only event row (actor, role,
// time, from, to, reasons, the SLA deadline of the state entered) and, when the application
// closes (approved, withdrawn), the release of its certificate and domain keys.
//
//   db.Write([&](store::Tx& tx) -> core::Result<TransitionOutcome> {
//     return TransitionApplication(tx, ctx, {.application_id = id, .event = "approve",
//                                            .actor_id = me, .role = "reviewer",
//                                            .reasons = {}});
//   });
// Other services (review, verification) reuse it; nothing else writes applications.state.
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
#include "notify/templates.h"
#include "store/applications.h"
#include "store/database.h"

namespace beian::agent {

// A field-level reason of a decision: {field, code, message} (the message is the actor's note).
struct Reason {
  std::string field;
  std::string code;
  std::string message;
};

boost::json::array ReasonsToJson(const std::vector<Reason>& reasons);
std::vector<Reason> ReasonsFromJson(std::string_view text);  // [] for malformed text

// What the transition needs from the service around it.
struct TransitionContext {
  const core::Clock& clock;
  const domain::Rules& rules;
  const domain::BusinessCalendar& calendar;
};

struct TransitionRequest {
  std::string application_id;
  std::string event;
  std::string actor_id;
  std::string role;
  std::vector<Reason> reasons = {};
  domain::GuardFacts facts = {};
  // When set, an application of another owner is kNotFound (an applicant's own routes).
  std::optional<std::string> owner_id = std::nullopt;
  // When set, the application must be at this version (kPreconditionFailed otherwise).
  std::optional<int64_t> expected_version = std::nullopt;
  // Parameters of the applicant's notification that the event brings and the application does
  // not hold (ship_backdrop: "carrier", "tracking_number"); see notify/enqueue.h.
  notify::Params notice_params = {};
};

struct TransitionOutcome {
  store::ApplicationRecord application;  // as it is after the transition
  store::ApplicationEvent event;
};

// kNotFound (unknown id, or another owner's), kInvalidTransition naming the state, the event
// and the role (no row of the table allows it, or its guard fails), kPreconditionFailed, or a
// database error. On any error nothing was written (the caller's transaction rolls back).
core::Result<TransitionOutcome> TransitionApplication(store::Tx& tx, const TransitionContext& ctx,
                                                      const TransitionRequest& request);

// The creation row of the timeline (from "" to the machine's initial state).
core::Result<store::ApplicationEvent> RecordCreation(store::Tx& tx, const TransitionContext& ctx,
                                                     const store::ApplicationRecord& application,
                                                     const std::string& actor_id,
                                                     const std::string& role);

using core::ToMillis;  // core/time_text.h

}  // namespace beian::agent
