// SMS verification rules (see sms_rules.h).
#include "authority/sms_rules.h"

#include <algorithm>

#include "core/crypto.h"
#include "domain/contact_validators.h"
#include "domain/normalize.h"

namespace beian::authority {
namespace {

using core::Error;
using core::ErrorCode;

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

core::Result<std::vector<SmsRecipient>> GroupSmsRecipients(std::span<const SmsPerson> persons) {
  std::vector<SmsRecipient> out;
  std::vector<core::ErrorDetail> problems;
  for (size_t i = 0; i < persons.size(); ++i) {
    const SmsPerson& p = persons[i];
    auto mobile = domain::NormalizeMobile(p.mobile);
    auto last6 = IdLast6Of(p.id_number);
    if (!mobile || !last6) {
      problems.push_back({"sms_persons[" + std::to_string(i) + "]", "invalid",
                          p.person + " has no valid mobile number or identity number"});
      continue;
    }
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const SmsRecipient& r) { return r.mobile == *mobile; });
    if (same != out.end()) {
      if (same->person != p.person &&
          std::find(same->also.begin(), same->also.end(), p.person) == same->also.end()) {
        same->also.push_back(p.person);
      }
      continue;
    }
    out.push_back(
        {.person = p.person, .also = {}, .name = p.name, .mobile = *mobile, .id_last6 = *last6});
  }
  if (!problems.empty()) {
    return Error(ErrorCode::kValidationFailed, "the persons to verify by SMS are not usable",
                 std::move(problems));
  }
  if (out.empty()) {
    return Error(ErrorCode::kValidationFailed, "no person to verify by SMS",
                 {{"sms_persons", "required", "at least one person is verified by SMS"}});
  }
  return out;
}

std::optional<std::string> NormalizeIdLast6(std::string_view text) {
  const std::string n = domain::NormalizeNumber(text);
  if (n.size() != 6) return std::nullopt;
  if (!std::all_of(n.begin(), n.end(), IsAsciiAlnum)) return std::nullopt;
  return n;
}

std::optional<std::string> IdLast6Of(std::string_view id_number) {
  const std::string n = domain::NormalizeNumber(id_number);
  if (n.size() < 6) return std::nullopt;
  return NormalizeIdLast6(std::string_view(n).substr(n.size() - 6));
}

std::string DrawSmsCode(int length) {
  // Digit by digit, each by rejection sampling over one random byte (250 = 25 × 10), so every
  // code of `length` digits is equally likely.
  std::string code;
  code.reserve(static_cast<size_t>(length));
  while (static_cast<int>(code.size()) < length) {
    const std::string b = core::RandomBytes(16);
    for (char c : b) {
      const auto v = static_cast<unsigned char>(c);
      if (v >= 250) continue;
      code += static_cast<char>('0' + v % 10);
      if (static_cast<int>(code.size()) == length) break;
    }
  }
  return code;
}

bool IsWellFormedSmsCode(std::string_view code, int length) {
  return static_cast<int>(code.size()) == length &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string CodeHashInput(std::string_view submission_id, std::string_view person,
                          std::string_view code) {
  std::string s("sms-code\n");
  s.append(submission_id).append("\n").append(person).append("\n").append(code);
  return s;
}

int64_t SmsDeadline(int64_t received_at_ms, const domain::Timing& timing,
                    std::optional<int64_t> validity_ms) {
  return received_at_ms +
         validity_ms.value_or(int64_t{timing.sms_code_validity_hours} * 3600 * 1000);
}

EntryDecision DecideEntry(const SmsCodeFacts& facts, bool code_matches, int64_t now_ms,
                          const domain::Timing& timing) {
  const int64_t max_wrong = timing.sms_max_wrong_entries;
  const int64_t left = std::max<int64_t>(0, max_wrong - facts.attempts_wrong);
  // A code entered before stays entered: the person repeating it (a double submit, a reload) is
  // told the same, whatever became of the submission since.
  if (facts.verified) {
    return code_matches ? EntryDecision{EntryOutcome::kAgain, left}
                        : EntryDecision{EntryOutcome::kExpired, left};
  }
  if (!facts.submission_open || now_ms >= facts.expires_at_ms || left == 0) {
    return {EntryOutcome::kExpired, left};
  }
  if (code_matches) return {EntryOutcome::kVerified, left};
  if (left <= 1) return {EntryOutcome::kFailed, 0};
  return {EntryOutcome::kWrong, left - 1};
}

ResendDecision DecideResend(const SmsCodeFacts& facts, int64_t now_ms,
                            const domain::Timing& timing) {
  const int64_t left = std::max<int64_t>(0, timing.sms_max_resends - facts.resends);
  if (facts.verified) return {ResendOutcome::kVerified, left};
  if (!facts.submission_open || now_ms >= facts.expires_at_ms ||
      facts.attempts_wrong >= timing.sms_max_wrong_entries) {
    return {ResendOutcome::kExpired, left};
  }
  if (left == 0) return {ResendOutcome::kLimit, 0};
  return {ResendOutcome::kSend, left - 1};
}

accounts::ThrottlePolicy SmsAddressThrottle() {
  using std::chrono::seconds;
  return {.free_failures = 50,
          .first_delay = seconds(10),
          .max_delay = seconds(15 * 60),
          .window = seconds(60 * 60)};
}

accounts::ThrottlePolicy SmsMobileThrottle() {
  using std::chrono::seconds;
  return {.free_failures = 10,
          .first_delay = seconds(30),
          .max_delay = seconds(15 * 60),
          .window = seconds(60 * 60)};
}

}  // namespace beian::authority
