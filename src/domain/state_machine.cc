// The transition tables; see state_machine.h. Why some rows are the way they are:
// - withdraw is allowed from every state before approved, as DESIGN §5 says, by the applicant
//   (it is their filing) and by an admin (support acting on the applicant's request).
// - expire (the 45-day wait on the applicant, RULES.md "Timing") sends an order stuck in a
//   verification step back to `returned` (its data is kept and must be resubmitted to the
//   preliminary review, FACTS §1.2); an order already `returned` that waits 45 more days is
//   abandoned (`withdrawn`).
// - the authority's verdicts and SMS outcomes arrive as `system` events relayed from the
//   authority service; authority rejection and SMS failure/expiry both return the order.
// - a rejected verified photo goes back to `backdrop_shipped` (the applicant uploads again).
#include "domain/state_machine.h"

#include <algorithm>
#include <array>

#include "core/roles.h"

namespace beian::domain {
namespace {

using core::Error;
using core::ErrorCode;
using core::ErrorDetail;

// The people's roles come from core/roles.h; `system` is the service itself (relayed authority
// verdicts, timers), an actor of events but never an account's role.
constexpr std::string_view kApplicant = core::kRoleApplicant;
constexpr std::string_view kReviewer = core::kRoleReviewer;
constexpr std::string_view kAdmin = core::kRoleAdmin;
constexpr std::string_view kAuthorityReviewer = core::kRoleAuthorityReviewer;
constexpr std::string_view kSystem = "system";

constexpr std::array<std::string_view, 5> kRoles = {kApplicant, kReviewer, kAdmin,
                                                    kAuthorityReviewer, kSystem};

constexpr std::array<std::string_view, 11> kAppStates = {
    "draft",          "preliminary_review", "returned",
    "verification",   "backdrop_requested", "backdrop_shipped",
    "photo_uploaded", "photo_accepted",     "authority_review",
    "approved",       "withdrawn"};

constexpr std::array<std::string_view, 16> kAppEvents = {
    "submit",          "approve",           "reject",
    "resubmit",        "request_backdrop",  "ship_backdrop",
    "upload_photo",    "accept_photo",      "reject_photo",
    "forward",         "authority_approve", "authority_reject",
    "sms_failed",      "withdraw",          "expire",
    "handover_refused"};

constexpr TransitionRule kAppTable[] = {
    {"draft", "submit", kApplicant, "preliminary_review", Guard::kPrecheckPassed},
    {"preliminary_review", "approve", kReviewer, "verification"},
    {"preliminary_review", "reject", kReviewer, "returned"},
    {"returned", "resubmit", kApplicant, "preliminary_review", Guard::kPrecheckPassed},
    {"verification", "request_backdrop", kApplicant, "backdrop_requested"},
    {"backdrop_requested", "ship_backdrop", kReviewer, "backdrop_shipped"},
    {"backdrop_shipped", "upload_photo", kApplicant, "photo_uploaded"},
    {"photo_uploaded", "accept_photo", kReviewer, "photo_accepted"},
    {"photo_uploaded", "reject_photo", kReviewer, "backdrop_shipped"},
    {"photo_accepted", "forward", kReviewer, "authority_review"},
    // The hand-over worker forwards once the authority has the submission, and returns the
    // order when the authority refuses it for good (a conflict, a document that does not match).
    {"photo_accepted", "forward", kSystem, "authority_review"},
    {"photo_accepted", "handover_refused", kSystem, "returned"},
    {"authority_review", "authority_approve", kSystem, "approved"},
    {"authority_review", "authority_reject", kSystem, "returned"},
    {"authority_review", "sms_failed", kSystem, "returned"},
    {"verification", "expire", kSystem, "returned"},
    {"backdrop_shipped", "expire", kSystem, "returned"},
    {"returned", "expire", kSystem, "withdrawn"},
    // withdraw: every state before approved, applicant or admin.
    {"draft", "withdraw", kApplicant, "withdrawn"},
    {"draft", "withdraw", kAdmin, "withdrawn"},
    {"preliminary_review", "withdraw", kApplicant, "withdrawn"},
    {"preliminary_review", "withdraw", kAdmin, "withdrawn"},
    {"returned", "withdraw", kApplicant, "withdrawn"},
    {"returned", "withdraw", kAdmin, "withdrawn"},
    {"verification", "withdraw", kApplicant, "withdrawn"},
    {"verification", "withdraw", kAdmin, "withdrawn"},
    {"backdrop_requested", "withdraw", kApplicant, "withdrawn"},
    {"backdrop_requested", "withdraw", kAdmin, "withdrawn"},
    {"backdrop_shipped", "withdraw", kApplicant, "withdrawn"},
    {"backdrop_shipped", "withdraw", kAdmin, "withdrawn"},
    {"photo_uploaded", "withdraw", kApplicant, "withdrawn"},
    {"photo_uploaded", "withdraw", kAdmin, "withdrawn"},
    {"photo_accepted", "withdraw", kApplicant, "withdrawn"},
    {"photo_accepted", "withdraw", kAdmin, "withdrawn"},
    {"authority_review", "withdraw", kApplicant, "withdrawn"},
    {"authority_review", "withdraw", kAdmin, "withdrawn"},
};

constexpr std::array<std::string_view, 5> kSubStates = {"sms_verification", "under_review",
                                                        "approved", "rejected", "expired"};

constexpr std::array<std::string_view, 6> kSubEvents = {"sms_verified", "resend_sms", "sms_failed",
                                                        "sms_timeout",  "approve",    "reject"};

constexpr TransitionRule kSubTable[] = {
    {"sms_verification", "sms_verified", kSystem, "under_review", Guard::kAllSmsVerified},
    {"sms_verification", "resend_sms", kSystem, "sms_verification", Guard::kResendsLeft},
    // Five wrong entries: the authority returns the filing (RULES.md "Timing").
    {"sms_verification", "sms_failed", kSystem, "rejected"},
    {"sms_verification", "sms_timeout", kSystem, "expired"},
    {"under_review", "approve", kAuthorityReviewer, "approved"},
    {"under_review", "reject", kAuthorityReviewer, "rejected"},
};

bool Contains(std::span<const std::string_view> list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool GuardHolds(Guard g, const GuardFacts& f) {
  switch (g) {
    case Guard::kNone:
      return true;
    case Guard::kPrecheckPassed:
      return f.precheck_passed;
    case Guard::kAllSmsVerified:
      return f.all_sms_verified;
    case Guard::kResendsLeft:
      return f.resends_left;
  }
  return false;
}

std::string MachineName(Machine m) {
  return m == Machine::kApplication ? "application" : "submission";
}

}  // namespace

std::string_view GuardName(Guard g) {
  switch (g) {
    case Guard::kNone:
      return "none";
    case Guard::kPrecheckPassed:
      return "precheck_passed";
    case Guard::kAllSmsVerified:
      return "all_sms_verified";
    case Guard::kResendsLeft:
      return "resends_left";
  }
  return "none";
}

std::span<const TransitionRule> TransitionTable(Machine machine) {
  if (machine == Machine::kApplication) return kAppTable;
  return kSubTable;
}

std::span<const std::string_view> States(Machine machine) {
  if (machine == Machine::kApplication) return kAppStates;
  return kSubStates;
}

std::span<const std::string_view> Events(Machine machine) {
  if (machine == Machine::kApplication) return kAppEvents;
  return kSubEvents;
}

std::span<const std::string_view> Roles() { return kRoles; }

std::string_view InitialState(Machine machine) {
  return machine == Machine::kApplication ? "draft" : "sms_verification";
}

bool IsTerminal(Machine machine, std::string_view state) {
  if (machine == Machine::kApplication) return state == "approved" || state == "withdrawn";
  return state == "approved" || state == "rejected" || state == "expired";
}

bool IsVerificationStep(std::string_view state) {
  return state == "verification" || state == "backdrop_requested" || state == "backdrop_shipped" ||
         state == "photo_uploaded" || state == "photo_accepted";
}

core::Result<Transition> Apply(Machine machine, std::string_view state, std::string_view event,
                               std::string_view role, const GuardFacts& facts) {
  const std::string where = "state " + std::string(state) + ", event " + std::string(event) +
                            ", role " + std::string(role);
  if (!Contains(States(machine), state)) {
    std::string msg = "unknown " + MachineName(machine) + " state: " + std::string(state);
    return Error(ErrorCode::kInvalidTransition, msg, {ErrorDetail{"state", "unknown_state", msg}});
  }
  if (!Contains(Events(machine), event)) {
    std::string msg = "unknown " + MachineName(machine) + " event: " + std::string(event);
    return Error(ErrorCode::kInvalidTransition, msg, {ErrorDetail{"event", "unknown_event", msg}});
  }
  for (const TransitionRule& row : TransitionTable(machine)) {
    if (row.from != state || row.event != event || row.role != role) continue;
    if (!GuardHolds(row.guard, facts)) {
      std::string msg = "transition not allowed now (" + where + "): guard " +
                        std::string(GuardName(row.guard)) + " does not hold";
      return Error(ErrorCode::kInvalidTransition, msg, {ErrorDetail{"event", "guard_failed", msg}});
    }
    return Transition{std::string(row.from), std::string(row.event), std::string(row.role),
                      std::string(row.to)};
  }
  std::string msg = "invalid transition (" + where + ")";
  return Error(ErrorCode::kInvalidTransition, msg,
               {ErrorDetail{"event", "invalid_transition", msg}});
}

}  // namespace beian::domain
