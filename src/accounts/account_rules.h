// The rules of accounts, pure (no I/O): what a valid registration is, what a password must be,
// and how repeated login failures slow down and then lock an account or a client address.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/roles.h"

namespace beian::accounts {

inline constexpr std::size_t kMinPasswordLength = 10;
inline constexpr std::size_t kMaxPasswordLength = 256;    // bounds the cost of hashing
inline constexpr std::size_t kMaxDisplayNameLength = 64;  // characters (UTF-8 code points)
inline constexpr std::size_t kMaxEmailLength = 254;

// The roles live in core/roles.h (one list for the service, the store's checks and the console).
using core::IsKnownRole;  // true for the four roles of DESIGN §1
using core::kRoleAdmin;
using core::kRoleApplicant;
using core::kRoleAuthorityReviewer;
using core::kRoleReviewer;

// Trimmed and lower-cased; e-mail addresses are compared in this form.
std::string NormalizeEmail(std::string_view email);

// Trimmed mobile number.
std::string NormalizeMobile(std::string_view mobile);

// Trimmed display name.
std::string NormalizeDisplayName(std::string_view name);

// Field-level problems of a registration; empty when it is acceptable. Fields: email, phone,
// password, display_name. Codes: required, invalid_email, invalid_mobile, password_too_short,
// password_too_long, password_equals_email, too_long, invalid_characters (control characters in
// the display name). Self-registration requires the mobile number; accounts created by an
// administrator may have none (`phone_required` false), but one that is given must be valid.
std::vector<core::ErrorDetail> ValidateRegistration(std::string_view email, std::string_view phone,
                                                    std::string_view password,
                                                    std::string_view display_name,
                                                    bool phone_required = true);

// Password rules alone (used by `beian admin create-user` too).
std::vector<core::ErrorDetail> ValidatePassword(std::string_view password, std::string_view email);

bool IsValidEmail(std::string_view email);
bool IsValidMobile(std::string_view mobile);  // ^1[3-9]\d{9}$

// Login throttling. Failures are counted per scope ("account:<email>", "ip:<address>") by two
// counters of the store, each of which locks once its count is reached within a window:
//  - the slow-down counter reaches its limit after `free_failures` failures and from then on
//    every further failure makes the next attempt wait `slow_delay`;
//  - the lock counter locks the scope for `lock_duration` at `lock_after` failures.
// Refused attempts are not failures, so slowing down also slows the way to the lock.
// A successful login resets the account's counters.
struct ThrottlePolicy {
  int free_failures;
  int lock_after;
  std::chrono::seconds slow_delay;
  std::chrono::seconds lock_duration;
  std::chrono::seconds window;  // failures older than this are forgotten
};

ThrottlePolicy AccountThrottlePolicy();
ThrottlePolicy AddressThrottlePolicy();

// One counter's limit: the failure that reaches `max_failures` (and every later one in the
// window) locks the counter for `lock_ms`.
struct CounterLimit {
  int64_t max_failures;
  int64_t window_ms;
  int64_t lock_ms;
};
CounterLimit SlowDownLimit(const ThrottlePolicy& p);
CounterLimit LockLimit(const ThrottlePolicy& p);

// A counter as the store holds it. Times are unix milliseconds.
struct CounterState {
  int64_t failures = 0;
  int64_t locked_until_ms = 0;
};

// Whether an attempt at `now_ms` must be refused: nullopt when allowed, otherwise
// account_locked (lock counter) or too_many_requests (slow-down counter), with a message saying
// when to retry; `retry_after_seconds` receives the wait.
std::optional<core::Error> RefuseAttempt(const CounterState& lock, const CounterState& slow,
                                         int64_t now_ms, int64_t* retry_after_seconds);

}  // namespace beian::accounts
