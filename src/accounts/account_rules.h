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

namespace beian::accounts {

inline constexpr std::size_t kMinPasswordLength = 10;
inline constexpr std::size_t kMaxPasswordLength = 256;    // bounds the cost of hashing
inline constexpr std::size_t kMaxDisplayNameLength = 64;  // characters (UTF-8 code points)
inline constexpr std::size_t kMaxEmailLength = 254;

inline constexpr std::string_view kRoleApplicant = "applicant";
inline constexpr std::string_view kRoleReviewer = "reviewer";
inline constexpr std::string_view kRoleAdmin = "admin";
inline constexpr std::string_view kRoleAuthorityReviewer = "authority_reviewer";

// True for the four roles of DESIGN §1.
bool IsKnownRole(std::string_view role);

// Trimmed and lower-cased; e-mail addresses are compared in this form.
std::string NormalizeEmail(std::string_view email);

// Trimmed display name.
std::string NormalizeDisplayName(std::string_view name);

// Field-level problems of a registration; empty when it is acceptable. Fields: email, phone,
// password, display_name. Codes: required, invalid_email, invalid_mobile, password_too_short,
// password_too_long, password_equals_email, too_long.
std::vector<core::ErrorDetail> ValidateRegistration(std::string_view email, std::string_view phone,
                                                    std::string_view password,
                                                    std::string_view display_name);

// Password rules alone (used by `beian admin create-user` too).
std::vector<core::ErrorDetail> ValidatePassword(std::string_view password, std::string_view email);

bool IsValidEmail(std::string_view email);
bool IsValidMobile(std::string_view mobile);  // ^1[3-9]\d{9}$

// Login throttling. A key ("account:<email>" or "ip:<address>") counts failures in a window.
// The first `free_failures` cost nothing; each further failure makes the next attempt wait
// (base_delay doubling, capped at max_delay); at `lock_after` failures the key is locked for
// `lock_duration`. A success resets the account key.
struct ThrottlePolicy {
  int free_failures;
  int lock_after;
  std::chrono::seconds base_delay;
  std::chrono::seconds max_delay;
  std::chrono::seconds lock_duration;
  std::chrono::seconds window;  // failures older than this are forgotten
};

ThrottlePolicy AccountThrottlePolicy();
ThrottlePolicy AddressThrottlePolicy();

// Times are unix milliseconds.
struct ThrottleState {
  int failures = 0;
  int64_t window_start_ms = 0;
  int64_t locked_until_ms = 0;
};

// The state after one more failure at `now_ms`.
ThrottleState AfterFailure(const ThrottleState& s, int64_t now_ms, const ThrottlePolicy& p);

// Whether an attempt at `now_ms` must be refused, and for how long: nullopt when allowed,
// otherwise an error (account_locked when the lock threshold was reached, too_many_requests
// while slowed down) whose message says when to retry; `retry_after` receives the seconds.
std::optional<core::Error> RefuseAttempt(const ThrottleState& s, int64_t now_ms,
                                         const ThrottlePolicy& p, int64_t* retry_after_seconds);

}  // namespace beian::accounts
