// SMS verification of a submission's persons (issue 10 item 4; contract §5): the codes sent on
// arrival, the public entry and resend, and the sweeper of the deadline. The rules are
// sms_rules.h; every state change goes through TransitionSubmission (submission_transitions.h).
//
// StartSmsVerification runs INSIDE the intake transaction of a first arrival (never for a
// repeat): one 6-digit code per distinct mobile among `persons` (persons sharing a mobile share
// ONE sms_codes row, person = the first of them), stored as a keyed hash bound to the row, the
// mobile and the ID's last 6 as keyed hashes (the mobile also sealed, to resend), sent by SMS
// with template `authority_sms_code` {code (sealed), organizer_name, deadline} through
// store::NotificationRepo on the authority database; the deadline is s.sms_deadline_ms.
// The intake calls it through authority::StartSmsHook (submission_intake.h), which `beian serve`
// sets.
//
// SmsVerification answers the public routes (sms_verification_routes.h):
//   Verify({mobile, code, id_last6})  → {submission_state, remaining}; 422 sms_code_wrong (a
//     detail {field: "attempts_left", code: "sms_code_wrong", message: "<n>"}); the 5th wrong
//     entry fails the submission (sms_failed → rejected) and is answered, like every entry after
//     it, 410 sms_code_expired (also past the deadline, or once the submission expired); 404
//     sms_code_not_found (no code for mobile + ID tail). The last code verified moves the
//     submission sms_verified → under_review.
//   Resend({mobile, id_last6})        → resends_left; a new code replaces the old (resend_sms);
//     429 sms_resend_limit after Timing::sms_max_resends.
//   Sweep()                           → sms_timeout → expired for submissions past the deadline.
// Both routes are throttled per client address and per mobile (too_many_requests with
// retry_after_seconds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "authority/sms_rules.h"
#include "core/clock.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "domain/calendar.h"
#include "domain/rules.h"
#include "store/database.h"
#include "store/submissions.h"

namespace beian::authority {

using store::SubmissionRecord;

// The PiiCipher columns of sms_codes.
inline constexpr std::string_view kSmsMobileColumn = "sms_codes.mobile";
inline constexpr std::string_view kSmsIdLast6Column = "sms_codes.id_last6";
inline constexpr std::string_view kSmsCodeColumn = "sms_codes.code";
inline constexpr int kSmsCodeLength = 6;

core::Status StartSmsVerification(store::Tx& tx, const SubmissionRecord& s,
                                  const std::vector<SmsPerson>& persons, const core::PiiCipher& pii,
                                  int64_t now_ms);

// "2026-12-07 20:15": a deadline as the SMS names it, in Beijing time (UTC+8).
std::string BeijingMinute(int64_t unix_ms);

struct SmsEntry {
  std::string mobile;
  std::string code;
  std::string id_last6;
};

struct SmsEntryResult {
  std::string submission_state;  // sms_verification | under_review
  int64_t remaining = 0;         // codes of the submission still to be entered
};

struct SmsResendRequest {
  std::string mobile;
  std::string id_last6;
};

struct SmsVerificationOptions {
  // Test-only (serve --sms-code-validity): codes and the submission's deadline this long after
  // arrival instead of Timing::sms_code_validity_hours.
  std::optional<int64_t> code_validity_ms = std::nullopt;
  int sweep_batch = 100;
};

class SmsVerification {
 public:
  SmsVerification(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                  const domain::Rules& rules, SmsVerificationOptions options = {});

  // `client_address` keys the per-address throttle; on too_many_requests `*retry_after_seconds`
  // is set.
  core::Result<SmsEntryResult> Verify(const SmsEntry& entry, std::string_view client_address,
                                      int64_t* retry_after_seconds = nullptr) const;
  core::Result<int64_t> Resend(const SmsResendRequest& request, std::string_view client_address,
                               int64_t* retry_after_seconds = nullptr) const;
  // Expires the submissions past their SMS deadline (sms_timeout → expired), at most
  // options.sweep_batch per call; returns how many.
  core::Result<int> Sweep() const;

  // What `beian serve` hands the intake (StartSmsHook): StartSmsVerification, with the test-only
  // validity applied to the submission first.
  core::Status Start(store::Tx& tx, const SubmissionRecord& s,
                     const std::vector<SmsPerson>& persons) const;

 private:
  int64_t NowMs() const;

  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
  const domain::Rules& rules_;
  domain::BusinessCalendar calendar_;
  SmsVerificationOptions options_;
};

}  // namespace beian::authority
