// Implementation of the account rules (see account_rules.h).
#include "accounts/account_rules.h"

#include <algorithm>
#include <cctype>

namespace beian::accounts {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool IsAtext(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) ||
         std::string_view("!#$%&'*+/=?^_`{|}~.-").find(c) != std::string_view::npos;
}

bool IsValidDomainPart(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= d.size()) {
    std::size_t dot = d.find('.', start);
    std::string_view label = d.substr(start, dot == std::string_view::npos ? d.npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

int64_t Ms(std::chrono::seconds s) { return static_cast<int64_t>(s.count()) * 1000; }

}  // namespace

std::string NormalizeEmail(std::string_view email) {
  std::string out(Trim(email));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string NormalizeDisplayName(std::string_view name) { return std::string(Trim(name)); }

std::string NormalizeMobile(std::string_view mobile) { return std::string(Trim(mobile)); }

bool IsValidEmail(std::string_view email) {
  if (email.size() > kMaxEmailLength) return false;
  const auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  std::string_view local = email.substr(0, at);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != local.npos) return false;
  if (!std::all_of(local.begin(), local.end(), IsAtext)) return false;
  return IsValidDomainPart(email.substr(at + 1));
}

bool IsValidMobile(std::string_view m) {
  if (m.size() != 11 || m[0] != '1' || m[1] < '3' || m[1] > '9') return false;
  return std::all_of(m.begin(), m.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<core::ErrorDetail> ValidatePassword(std::string_view password, std::string_view email) {
  std::vector<core::ErrorDetail> out;
  if (password.empty()) {
    out.push_back({"password", "required", "password is required"});
  } else if (CodePoints(password) < kMinPasswordLength) {
    out.push_back({"password", "password_too_short", "password must be at least 10 characters"});
  } else if (password.size() > kMaxPasswordLength) {
    out.push_back({"password", "password_too_long", "password must be at most 256 bytes"});
  } else {
    const std::string normalized_email = NormalizeEmail(email);
    const std::string lowered = NormalizeEmail(password);
    const std::string local = normalized_email.substr(0, normalized_email.find('@'));
    if (!normalized_email.empty() && (lowered == normalized_email || lowered == local)) {
      out.push_back({"password", "password_equals_email", "password must not be the e-mail"});
    }
  }
  return out;
}

std::vector<core::ErrorDetail> ValidateRegistration(std::string_view email, std::string_view phone,
                                                    std::string_view password,
                                                    std::string_view display_name,
                                                    bool phone_required) {
  std::vector<core::ErrorDetail> out;
  const std::string normalized = NormalizeEmail(email);
  if (normalized.empty()) {
    out.push_back({"email", "required", "e-mail is required"});
  } else if (!IsValidEmail(normalized)) {
    out.push_back({"email", "invalid_email", "not a valid e-mail address"});
  }
  const std::string_view mobile = Trim(phone);
  if (mobile.empty()) {
    if (phone_required) out.push_back({"phone", "required", "mobile number is required"});
  } else if (!IsValidMobile(mobile)) {
    out.push_back({"phone", "invalid_mobile", "not a mainland mobile number (11 digits, 13–19…)"});
  }
  for (auto& d : ValidatePassword(password, normalized)) out.push_back(std::move(d));
  const std::string name = NormalizeDisplayName(display_name);
  if (name.empty()) {
    out.push_back({"display_name", "required", "display name is required"});
  } else if (CodePoints(name) > kMaxDisplayNameLength) {
    out.push_back({"display_name", "too_long", "display name must be at most 64 characters"});
  } else if (std::any_of(name.begin(), name.end(), [](char c) {
               const auto u = static_cast<unsigned char>(c);
               return u < 0x20 || u == 0x7f;
             })) {
    out.push_back({"display_name", "invalid_characters", "display name has control characters"});
  }
  return out;
}

ThrottlePolicy AccountThrottlePolicy() {
  using std::chrono::seconds;
  return {.free_failures = 3,
          .lock_after = 10,
          .slow_delay = seconds(5),
          .lock_duration = seconds(15 * 60),
          .window = seconds(15 * 60)};
}

ThrottlePolicy AddressThrottlePolicy() {
  using std::chrono::seconds;
  return {.free_failures = 20,
          .lock_after = 100,
          .slow_delay = seconds(2),
          .lock_duration = seconds(15 * 60),
          .window = seconds(15 * 60)};
}

CounterLimit SlowDownLimit(const ThrottlePolicy& p) {
  return {
      .max_failures = p.free_failures + 1, .window_ms = Ms(p.window), .lock_ms = Ms(p.slow_delay)};
}

CounterLimit LockLimit(const ThrottlePolicy& p) {
  return {.max_failures = p.lock_after, .window_ms = Ms(p.window), .lock_ms = Ms(p.lock_duration)};
}

std::optional<core::Error> RefuseAttempt(const CounterState& lock, const CounterState& slow,
                                         int64_t now_ms, int64_t* retry_after_seconds) {
  auto wait_for = [&](int64_t until) {
    const int64_t wait = (until - now_ms + 999) / 1000;
    if (retry_after_seconds) *retry_after_seconds = wait;
    return wait;
  };
  if (lock.locked_until_ms > now_ms) {
    const int64_t wait = wait_for(lock.locked_until_ms);
    return core::Error(
        core::ErrorCode::kAccountLocked,
        "too many failed logins: locked, try again in " + std::to_string(wait) + " seconds");
  }
  if (slow.locked_until_ms > now_ms) {
    const int64_t wait = wait_for(slow.locked_until_ms);
    return core::Error(core::ErrorCode::kTooManyRequests,
                       "too many failed logins: try again in " + std::to_string(wait) + " seconds");
  }
  return std::nullopt;
}

}  // namespace beian::accounts
