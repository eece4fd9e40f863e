// Account confirmation rules (see confirmation_rules.h).
#include "accounts/confirmation_rules.h"

#include <cstdint>
#include <cstdio>

#include "core/crypto.h"

namespace beian::accounts {

std::string DrawMobileCode() {
  // Rejection sampling over 32-bit draws keeps the six digits uniform.
  constexpr uint32_t kLimit = 4294000000u;  // a multiple of 1'000'000 below 2^32
  uint32_t v = 0;
  do {
    const std::string b = core::RandomBytes(4);
    v = 0;
    for (char c : b) v = (v << 8) | static_cast<unsigned char>(c);
  } while (v >= kLimit);
  char out[8];
  std::snprintf(out, sizeof out, "%06u", static_cast<unsigned>(v % 1000000u));
  return out;
}

bool IsWellFormedCode(std::string_view code) {
  if (code.size() != 6) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string HashMobileCode(std::string_view user_id, std::string_view code) {
  return core::HashToken("mobile-code\n" + std::string(user_id) + "\n" + std::string(code));
}

std::optional<core::Error> RefuseToken(const TokenFacts& t, int64_t now_ms) {
  using core::Error;
  using core::ErrorCode;
  if (t.used) return Error(ErrorCode::kTokenInvalid, "this link or code has been used already");
  if (now_ms >= t.expires_at_ms) {
    return Error(ErrorCode::kTokenInvalid, "this link or code has expired: ask for a new one");
  }
  if (t.attempts >= kMaxCodeAttempts) {
    return Error(ErrorCode::kTokenInvalid, "too many wrong codes: ask for a new one");
  }
  return std::nullopt;
}

ThrottlePolicy SendThrottlePolicy() {
  using std::chrono::seconds;
  return {.free_failures = 3,
          .first_delay = seconds(60),
          .max_delay = seconds(15 * 60),
          .window = seconds(60 * 60)};
}

ThrottlePolicy ResetAddressThrottlePolicy() {
  using std::chrono::seconds;
  return {.free_failures = 20,
          .first_delay = seconds(30),
          .max_delay = seconds(15 * 60),
          .window = seconds(60 * 60)};
}

ThrottlePolicy ResetEmailThrottlePolicy() {
  using std::chrono::seconds;
  return {.free_failures = 3,
          .first_delay = seconds(60),
          .max_delay = seconds(15 * 60),
          .window = seconds(60 * 60)};
}

ThrottlePolicy CodeThrottlePolicy() {
  using std::chrono::seconds;
  return {.free_failures = 10,
          .first_delay = seconds(60),
          .max_delay = seconds(15 * 60),
          .window = seconds(60 * 60)};
}

}  // namespace beian::accounts
