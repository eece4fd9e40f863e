// The rules of accounts, pure (no I/O apart from the packaged password dictionary): what a valid
// registration is, what a password must be, and how repeated login failures slow down a client
// address, an (account, address) pair and an account.
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

// The mainland mobile number in its stored form ("13800138000") for every accepted spelling
// ("+86 138 0013 8000", "+86-138-0013-8000", "8613800138000", full-width digits), else nullopt.
// The one place the server normalises mobile numbers (domain::NormalizeMobile).
std::optional<std::string> NormalizeMobile(std::string_view mobile);

// Trimmed display name.
std::string NormalizeDisplayName(std::string_view name);

// Field-level problems of a registration; empty when it is acceptable. Fields: email, phone,
// password, display_name. Codes: required, invalid_email, invalid_mobile, password_too_short,
// password_too_long, password_equals_email, password_too_common, password_too_simple, too_long,
// invalid_characters (control characters — C0, DEL, C1 — in the display name). Self-registration
// requires the mobile number; accounts created by an administrator may have none (`phone_required`
// false), but one that is given must be valid.
std::vector<core::ErrorDetail> ValidateRegistration(std::string_view email, std::string_view phone,
                                                    std::string_view password,
                                                    std::string_view display_name,
                                                    bool phone_required = true);

// Password rules alone (used by `beian admin create-user` too): length, not the e-mail, and
// not common or trivially simple (see CheckPasswordStrength).
std::vector<core::ErrorDetail> ValidatePassword(std::string_view password, std::string_view email);

// Whether a password of acceptable length is too easy to guess: "password_too_common" when it is
// (based on) a word of the cracklib dictionary that Debian packages (libpwquality), and
// "password_too_simple" when it is monotonic ("1234567890"), repetitive ("aaaaaaaaaa",
// "abcabcabcabc", fewer than 4 different characters) or a palindrome; nullopt when acceptable.
// Thread-safe. When the dictionary cannot be loaded the dictionary check is skipped (logged once).
std::optional<std::string> CheckPasswordStrength(std::string_view password);

bool IsValidEmail(std::string_view email);
bool IsValidMobile(std::string_view mobile);  // NormalizeMobile accepts it

// Login throttling (issue 6 item 3). Failures are counted in a window per scope, with delays
// that double from `first_delay` up to `max_delay` once `free_failures` are used up:
//  - the address ("ip:<address>"): slows every attempt from an address that keeps failing;
//  - the pair ("pair:<account, address>"): slows one address guessing one account;
//  - the account ("account:<email>"): slows only addresses that have failed on this account
//    themselves (pair failures) or are being slowed down; an address that has not been failing
//    is never refused, so nobody can lock an owner out of their account by failing on purpose.
// A throttled attempt gets too_many_requests with Retry-After, never account_locked. Refused
// attempts are not failures. Unknown e-mails are counted like known ones. A successful login
// forgets the pair's and the account's failures.
struct ThrottlePolicy {
  int free_failures;  // failures in the window that cost nothing
  std::chrono::seconds first_delay;
  std::chrono::seconds max_delay;
  std::chrono::seconds window;  // failures older than this (from the window's first) are forgotten
};

ThrottlePolicy AddressThrottlePolicy();
ThrottlePolicy PairThrottlePolicy();
ThrottlePolicy AccountThrottlePolicy();
// Registrations per address ("register:<address>"): every registration that gets as far as
// hashing a password counts, successful or not.
ThrottlePolicy RegistrationThrottlePolicy();

// The wait imposed after the `failures`-th failure in a window: 0 up to free_failures, then
// first_delay, doubling with each further failure, at most max_delay.
std::chrono::milliseconds DelayAfter(const ThrottlePolicy& p, int64_t failures);

// A counter as the store holds it. Times are unix milliseconds.
struct CounterState {
  int64_t failures = 0;
  int64_t delayed_until_ms = 0;
};

// The three counters of one attempt.
struct AttemptCounters {
  CounterState address = {};
  CounterState pair = {};
  CounterState account = {};
};

// Whether an attempt at `now_ms` must wait: nullopt when allowed, otherwise too_many_requests
// with a message saying when to retry; `retry_after_seconds` receives the wait, rounded up (an
// attempt exactly at the end of a delay is allowed).
std::optional<core::Error> RefuseAttempt(const AttemptCounters& c, int64_t now_ms,
                                         int64_t* retry_after_seconds);

}  // namespace beian::accounts
