// The rules of account confirmation and password reset (issue 9 item 8), pure: how long a link
// or code lives, how a 6-digit mobile code is drawn and hashed, when a stored token may be used,
// and how often messages may be asked for (per account and per address).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "accounts/account_rules.h"
#include "core/error.h"

namespace beian::accounts {

inline constexpr std::chrono::seconds kEmailLinkLifetime{24 * 3600};
inline constexpr std::chrono::seconds kMobileCodeLifetime{10 * 60};
inline constexpr std::chrono::seconds kPasswordResetLifetime{30 * 60};
// Wrong guesses at one mobile code before it is void (a new one must be sent).
inline constexpr int64_t kMaxCodeAttempts = 5;

// A uniformly drawn 6-digit code ("000000"…"999999") from the system's CSPRNG.
std::string DrawMobileCode();
bool IsWellFormedCode(std::string_view code);
// What is stored for a code: bound to the account, so equal codes of two accounts differ.
std::string HashMobileCode(std::string_view user_id, std::string_view code);

// What a stored token looks like to the check.
struct TokenFacts {
  int64_t expires_at_ms = 0;
  bool used = false;
  int64_t attempts = 0;
};

// nullopt when the token may be used at `now_ms`; else token_invalid saying why (expired, used,
// too many wrong codes). A token expires at expires_at_ms exactly.
std::optional<core::Error> RefuseToken(const TokenFacts& t, int64_t now_ms);

// Messages asked for (confirmation e-mails and codes, password-reset links), per account
// ("send:<user>"): one a minute after the first three, doubling, within an hour.
ThrottlePolicy SendThrottlePolicy();
// Password-reset requests per client address ("reset-ip:<address>") and per e-mail address
// ("reset:<hash of e-mail>"), whether or not it has an account.
ThrottlePolicy ResetAddressThrottlePolicy();
ThrottlePolicy ResetEmailThrottlePolicy();
// Wrong mobile codes per account ("code:<user>") across codes.
ThrottlePolicy CodeThrottlePolicy();

}  // namespace beian::accounts
