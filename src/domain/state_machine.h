// The two state machines of DESIGN §5 as tables of {from, event, role, to, guard}: the agent's
// application (draft → preliminary_review → verification sub-steps → authority_review →
// approved, with returned and withdrawn) and the authority's submission (sms_verification →
// under_review → approved | rejected, expired). Apply() is the only way to compute a next state;
// the services persist its result together with the event-log row. States, events and roles
// are the stable snake_case words of the API and the database. Tables are static, thread-safe.
//
// Agent verification sub-steps are states of their own so that every step is a table row:
//   verification (waiting for the applicant to request the backdrop) → backdrop_requested →
//   backdrop_shipped → photo_uploaded → photo_accepted (or photo_rejected → upload again).
// IsVerificationStep() tells them apart from the top-level states.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace beian::domain {

enum class Machine { kApplication, kSubmission };

// A condition a row needs besides state, event and role; the caller states the facts.
enum class Guard {
  kNone,
  kPrecheckPassed,  // the precheck has no error-level finding
  kAllSmsVerified,  // every person named for the filing type entered a correct code
  kResendsLeft,     // fewer SMS resends than Timing::sms_max_resends
};
std::string_view GuardName(Guard g);

struct TransitionRule {
  std::string_view from;
  std::string_view event;
  std::string_view role;
  std::string_view to;
  Guard guard = Guard::kNone;
};

// Facts for the guards, established by the caller (the service) before applying the event.
struct GuardFacts {
  bool precheck_passed = false;
  bool all_sms_verified = false;
  bool resends_left = false;
};

struct Transition {
  std::string from;
  std::string event;
  std::string role;
  std::string to;
};

// The rows, states, events and roles of `machine`, in a fixed order.
std::span<const TransitionRule> TransitionTable(Machine machine);
std::span<const std::string_view> States(Machine machine);
std::span<const std::string_view> Events(Machine machine);
std::span<const std::string_view> Roles();
// The state a new application / submission starts in ("draft", "sms_verification").
std::string_view InitialState(Machine machine);
// No event leaves these (approved, withdrawn; approved, rejected, expired).
bool IsTerminal(Machine machine, std::string_view state);
// True for the agent's verification sub-steps (including "verification" itself).
bool IsVerificationStep(std::string_view state);

// The transition for `event` by `role` in `state`. Error{kInvalidTransition} when no row allows
// it (the message and a detail name the state, the event and the role), or when the row's guard
// does not hold (detail code "guard_failed" naming the guard).
core::Result<Transition> Apply(Machine machine, std::string_view state, std::string_view event,
                               std::string_view role, const GuardFacts& facts = {});

}  // namespace beian::domain
