// Implementation of the account rules (see account_rules.h).
#include "accounts/account_rules.h"

#include <pwquality.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <set>

#include "core/log.h"
#include "domain/contact_validators.h"

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

// The code points of valid UTF-8 (request bodies are valid UTF-8 by the time they get here);
// a stray byte counts as itself.
std::vector<char32_t> CodePointsOf(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t len = b < 0x80           ? 1
                       : (b >> 5) == 0x6  ? 2
                       : (b >> 4) == 0xE  ? 3
                       : (b >> 3) == 0x1E ? 4
                                          : 1;
    if (len == 1 || i + len > s.size()) {
      out.push_back(b);
      ++i;
      continue;
    }
    char32_t cp = b & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

// Unicode general category Cc: C0 controls, DEL and C1 controls.
bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// "abcabcabc", "aaaaaaaaaa", "密码密码密码": the whole password is one shorter unit repeated.
bool IsRepeatedUnit(const std::vector<char32_t>& cps) {
  const size_t n = cps.size();
  for (size_t unit = 1; unit <= n / 2; ++unit) {
    if (n % unit != 0) continue;
    bool repeated = true;
    for (size_t i = unit; i < n && repeated; ++i) repeated = cps[i] == cps[i - unit];
    if (repeated) return true;
  }
  return false;
}

// libpwquality with fixed settings (no /etc/security/pwquality.conf: the rule must not depend on
// the host). cracklib opens its dictionary per check and keeps static state: one check at a time.
class PasswordQuality {
 public:
  // min_length: libpwquality refuses shorter words before it consults the dictionary; the
  // dictionary-only instance (for the core of a password, see CheckPasswordStrength) uses 6, the
  // library's own floor, and switches the sequence rule off.
  explicit PasswordQuality(int min_length = static_cast<int>(kMinPasswordLength),
                           int max_sequence = 4)
      : settings_(pwquality_default_settings()) {
    if (settings_ == nullptr) return;
    pwquality_set_int_value(settings_, PWQ_SETTING_MIN_LENGTH, min_length);
    pwquality_set_int_value(settings_, PWQ_SETTING_MAX_SEQUENCE, max_sequence);
    pwquality_set_int_value(settings_, PWQ_SETTING_MAX_REPEAT, 0);
    pwquality_set_int_value(settings_, PWQ_SETTING_DICT_CHECK, 1);
  }
  ~PasswordQuality() { pwquality_free_settings(settings_); }
  PasswordQuality(const PasswordQuality&) = delete;
  PasswordQuality& operator=(const PasswordQuality&) = delete;

  std::optional<std::string> Check(const std::string& password) {
    if (settings_ == nullptr) return std::nullopt;
    std::lock_guard lock(mu_);
    void* aux = nullptr;
    const int score = pwquality_check(settings_, password.c_str(), nullptr, nullptr, &aux);
    const std::string detail = aux != nullptr && score == PWQ_ERROR_CRACKLIB_CHECK
                                   ? std::string(static_cast<const char*>(aux))
                                   : std::string();
    if (score >= 0) return std::nullopt;
    switch (score) {
      case PWQ_ERROR_CRACKLIB_CHECK:
        if (detail.find("dictionary word") != std::string::npos) return "password_too_common";
        if (detail.find("error loading dictionary") != std::string::npos) {
          if (!warned_) {
            core::Log(core::LogLevel::kError, "password_dictionary_missing",
                      {{"detail", detail}, {"fix", "install the Debian package cracklib-runtime"}});
            warned_ = true;
          }
          return std::nullopt;
        }
        return "password_too_simple";
      case PWQ_ERROR_PALINDROME:
      case PWQ_ERROR_MAX_CONSECUTIVE:
      case PWQ_ERROR_MAX_SEQUENCE:
      case PWQ_ERROR_MAX_CLASS_REPEAT:
      case PWQ_ERROR_MIN_CLASSES:
      case PWQ_ERROR_CASE_CHANGES_ONLY:
      case PWQ_ERROR_TOO_SIMILAR:
        return "password_too_simple";
      default:  // length and errors of the library itself: the length is checked by us
        return std::nullopt;
    }
  }

 private:
  pwquality_settings_t* settings_;
  std::mutex mu_;
  bool warned_ = false;
};

// The password without the digits and ASCII punctuation around it ("Password2024!" → "Password").
std::string PasswordCore(std::string_view password) {
  const auto decoration = [](unsigned char c) { return std::isdigit(c) || std::ispunct(c); };
  size_t begin = 0;
  size_t end = password.size();
  while (begin < end && decoration(static_cast<unsigned char>(password[begin]))) ++begin;
  while (end > begin && decoration(static_cast<unsigned char>(password[end - 1]))) --end;
  return std::string(password.substr(begin, end - begin));
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

std::optional<std::string> NormalizeMobile(std::string_view mobile) {
  return domain::NormalizeMobile(mobile);
}

bool IsValidEmail(std::string_view email) {
  if (email.size() > kMaxEmailLength) return false;
  const auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  std::string_view local = email.substr(0, at);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != local.npos) return false;
  if (!std::all_of(local.begin(), local.end(), IsAtext)) return false;
  return IsValidDomainPart(email.substr(at + 1));
}

bool IsValidMobile(std::string_view m) { return NormalizeMobile(m).has_value(); }

std::optional<std::string> CheckPasswordStrength(std::string_view password) {
  const auto cps = CodePointsOf(password);
  if (IsRepeatedUnit(cps) || std::set<char32_t>(cps.begin(), cps.end()).size() < 4) {
    return "password_too_simple";
  }
  static PasswordQuality quality;
  if (auto weak = quality.Check(std::string(password))) return weak;
  // cracklib refuses "password123" but not "password1234": judge the word people decorate with
  // digits and symbols on its own too.
  const std::string core = PasswordCore(password);
  if (core.size() >= 6 && core.size() < password.size()) {
    static PasswordQuality dictionary_only(6, 0);
    if (dictionary_only.Check(core) == std::optional<std::string>("password_too_common")) {
      return "password_too_common";
    }
  }
  return std::nullopt;
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
    } else if (auto weak = CheckPasswordStrength(password)) {
      out.push_back({"password", *weak,
                     *weak == "password_too_common"
                         ? "password is a common word or password: choose a longer, unusual one"
                         : "password is too simple (repeated or sequential characters)"});
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
  } else if (const auto cps = CodePointsOf(name); std::any_of(cps.begin(), cps.end(), IsControl)) {
    out.push_back({"display_name", "invalid_characters", "display name has control characters"});
  }
  return out;
}

ThrottlePolicy AddressThrottlePolicy() {
  using std::chrono::seconds;
  return {.free_failures = 20,
          .first_delay = seconds(2),
          .max_delay = seconds(15 * 60),
          .window = seconds(60 * 60)};
}

ThrottlePolicy PairThrottlePolicy() {
  using std::chrono::seconds;
  return {.free_failures = 3,
          .first_delay = seconds(5),
          .max_delay = seconds(15 * 60),
          .window = seconds(60 * 60)};
}

ThrottlePolicy AccountThrottlePolicy() {
  using std::chrono::seconds;
  return {.free_failures = 10,
          .first_delay = seconds(5),
          .max_delay = seconds(15 * 60),
          .window = seconds(60 * 60)};
}

ThrottlePolicy RegistrationThrottlePolicy() {
  using std::chrono::seconds;
  return {.free_failures = 50,
          .first_delay = seconds(30),
          .max_delay = seconds(15 * 60),
          .window = seconds(60 * 60)};
}

std::chrono::milliseconds DelayAfter(const ThrottlePolicy& p, int64_t failures) {
  if (failures <= p.free_failures) return std::chrono::milliseconds(0);
  const int64_t max_ms = Ms(p.max_delay);
  int64_t delay = Ms(p.first_delay);
  for (int64_t n = p.free_failures + 1; n < failures && delay < max_ms; ++n) delay *= 2;
  return std::chrono::milliseconds(std::min(delay, max_ms));
}

std::optional<core::Error> RefuseAttempt(const AttemptCounters& c, int64_t now_ms,
                                         int64_t* retry_after_seconds) {
  int64_t until = 0;
  if (c.address.delayed_until_ms > now_ms) until = std::max(until, c.address.delayed_until_ms);
  if (c.pair.delayed_until_ms > now_ms) until = std::max(until, c.pair.delayed_until_ms);
  // The account-wide delay reaches only addresses that have been failing on this account or
  // are being slowed down already.
  const bool failing = c.pair.failures > 0 || until > 0;
  if (failing && c.account.delayed_until_ms > now_ms) {
    until = std::max(until, c.account.delayed_until_ms);
  }
  if (until == 0) return std::nullopt;
  const int64_t wait = (until - now_ms + 999) / 1000;
  if (retry_after_seconds) *retry_after_seconds = wait;
  return core::Error(core::ErrorCode::kTooManyRequests,
                     "too many failed logins: try again in " + std::to_string(wait) + " seconds");
}

}  // namespace beian::accounts
