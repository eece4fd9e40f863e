// The rules of the authority's SMS verification (issue 10 item 4, RULES.md "Timing"), pure: who
// gets a code (one per distinct mobile among the filing type's sms_persons), how a code is drawn
// and what is stored of it, how an entered code, a resend and the deadline are judged. The
// service (sms_verification.h) reads the facts from the database, asks these functions, and
// writes what they decide.
//
//   auto recipients = GroupSmsRecipients(persons);
//   EntryDecision d = DecideEntry(facts, code_matches, now_ms, timing);
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/account_rules.h"
#include "core/result.h"
#include "domain/rules.h"

namespace beian::authority {

// One person who must confirm by SMS, from the submission's sms_persons, in clear (only inside
// the intake transaction; never stored unsealed).
struct SmsPerson {
  std::string person;     // "organizer" | "website:N"
  std::string name;       // the person's name
  std::string mobile;     // the mobile number
  std::string id_number;  // the identity document number (its last 6 are asked at /verify)
};

// One code's addressee: the first person with this mobile, and the persons after it who share
// the mobile (they share the code).
struct SmsRecipient {
  std::string person;
  std::vector<std::string> also;  // further persons with the same mobile
  std::string name;
  std::string mobile;    // normalised (domain::NormalizeMobile)
  std::string id_last6;  // IdLast6Of the person's identity number
};

// The recipients of `persons` in the order given, one per distinct mobile. kValidationFailed
// (detail field "sms_persons[i]") for a person without a valid mobile or identity number, and
// for an empty list.
core::Result<std::vector<SmsRecipient>> GroupSmsRecipients(std::span<const SmsPerson> persons);

// The last 6 characters of an identity number as the entry compares them: trimmed, full-width
// folded, ASCII upper-case (a resident ID's check character x → X). nullopt when fewer than 6
// characters remain or one is not a letter or digit.
std::optional<std::string> NormalizeIdLast6(std::string_view text);
// The last 6 of a whole identity number (normalised as above); nullopt when it is shorter.
std::optional<std::string> IdLast6Of(std::string_view id_number);

// A uniformly drawn code of `length` digits from the system's CSPRNG.
std::string DrawSmsCode(int length);
bool IsWellFormedSmsCode(std::string_view code, int length);
// What is hashed of a code: bound to its submission and person, so equal codes of two rows (or
// an old code after a resend) never match each other's hash. The caller keys the hash.
std::string CodeHashInput(std::string_view submission_id, std::string_view person,
                          std::string_view code);

// The deadline of a submission's codes: arrival + Timing::sms_code_validity_hours, unless a
// validity is given (tests).
int64_t SmsDeadline(int64_t received_at_ms, const domain::Timing& timing,
                    std::optional<int64_t> validity_ms = std::nullopt);

// One stored code as the rules see it.
struct SmsCodeFacts {
  int64_t attempts_wrong = 0;
  int64_t resends = 0;
  int64_t expires_at_ms = 0;
  bool verified = false;
  bool submission_open = true;  // the submission is still in sms_verification
};

enum class EntryOutcome {
  kVerified,  // the code is right: the row becomes verified
  kAgain,     // right code of a row verified before: answered like the first time, nothing changes
  kWrong,     // a wrong code, attempts_left > 0 after it
  kFailed,    // the wrong code that used the last attempt: the submission fails (sms_failed)
  kExpired,   // the deadline has passed, or the submission is no longer verifying
};

struct EntryDecision {
  EntryOutcome outcome = EntryOutcome::kWrong;
  int64_t attempts_left = 0;  // after this entry (kWrong, kFailed)
};

// An entry at `now_ms` of a code that does (`code_matches`) or does not match. A code expires at
// expires_at_ms exactly.
EntryDecision DecideEntry(const SmsCodeFacts& facts, bool code_matches, int64_t now_ms,
                          const domain::Timing& timing);

enum class ResendOutcome {
  kSend,      // draw a new code, resends + 1
  kLimit,     // Timing::sms_max_resends used up
  kExpired,   // past the deadline, or the submission is no longer verifying
  kVerified,  // this mobile's code was entered already: nothing to resend
};

struct ResendDecision {
  ResendOutcome outcome = ResendOutcome::kLimit;
  int64_t resends_left = 0;  // after this resend (kSend), else as it stands
};

ResendDecision DecideResend(const SmsCodeFacts& facts, int64_t now_ms,
                            const domain::Timing& timing);

// The throttles of the public entry and resend routes (login_throttle rows, the accounts'
// doubling delays, accounts::DelayAfter): per client address ("sms-ip:<address>") and per mobile
// ("sms-mobile:<keyed hash>"), counting every refused entry (wrong code, no such code) and every
// resend asked for. The 5-wrong-entries rule stops guessing one code; these stop an address
// probing many mobiles, or many addresses hammering one mobile.
accounts::ThrottlePolicy SmsAddressThrottle();
accounts::ThrottlePolicy SmsMobileThrottle();

}  // namespace beian::authority
