// SMS verification of submissions (see sms_verification.h).
#include "authority/sms_verification.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>

#include "authority/submission_transitions.h"
#include "core/crypto.h"
#include "core/log.h"
#include "domain/contact_validators.h"
#include "notify/transport.h"
#include "store/login_throttle.h"
#include "store/notifications.h"
#include "store/sms_codes.h"

namespace beian::authority {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;

constexpr std::string_view kSystem = "system";
constexpr std::string_view kSmsTemplate = "authority_sms_code";

std::string CodeHash(const core::PiiCipher& pii, std::string_view submission_id,
                     std::string_view person, std::string_view code) {
  return pii.LookupHash(CodeHashInput(submission_id, person, code), kSmsCodeColumn);
}

// Enqueues the SMS of a code; `round` (0 for the first, then the resend number) keeps each
// message's dedupe key its own.
core::Status EnqueueCode(store::Tx& tx, const core::PiiCipher& pii, std::string_view submission_id,
                         std::string_view person, std::string_view mobile, std::string_view code,
                         std::string_view organizer_name, int64_t deadline_ms, int64_t round,
                         int64_t now_ms) {
  const boost::json::object params{{"code", notify::SealParam(pii, "code", code)},
                                   {"organizer_name", organizer_name},
                                   {"deadline", BeijingMinute(deadline_ms)}};
  store::NewNotification n{.dedupe_key = "authority_sms:" + std::string(submission_id) + ":" +
                                         std::string(person) + ":" + std::to_string(round),
                           .recipient_id = "",
                           .channel = "sms",
                           .address = pii.Seal(mobile, notify::kSealedAddressColumn),
                           .template_id = std::string(kSmsTemplate),
                           .params_json = boost::json::serialize(params),
                           .locale = "zh-CN",
                           .created_at_ms = now_ms};
  BEIAN_TRY(store::NotificationRepo(tx).Enqueue(n));
  return core::Ok();
}

// The throttle keys of one request: the client address, and the mobile (its keyed hash).
struct ThrottleKeys {
  std::string address;
  std::string mobile;
};

ThrottleKeys KeysFor(std::string_view client_address, std::string_view mobile_hash) {
  return {"sms-ip:" + std::string(client_address), "sms-mobile:" + std::string(mobile_hash)};
}

// too_many_requests while either key is delayed.
core::Status CheckThrottle(store::Database& db, const ThrottleKeys& keys, int64_t now_ms,
                           int64_t* retry_after_seconds) {
  BEIAN_ASSIGN_OR_RETURN(int64_t until, db.Read([&](store::Tx& tx) -> Result<int64_t> {
    store::LoginThrottleRepo throttle(tx);
    int64_t latest = 0;
    for (const std::string* key : {&keys.address, &keys.mobile}) {
      BEIAN_ASSIGN_OR_RETURN(auto state, throttle.Get(*key));
      if (state) latest = std::max(latest, state->locked_until_ms);
    }
    return latest;
  }));
  if (until <= now_ms) return core::Ok();
  const int64_t wait = (until - now_ms + 999) / 1000;
  if (retry_after_seconds) *retry_after_seconds = wait;
  core::Log(core::LogLevel::kWarn, "sms_verification_throttled", {});
  return Error(ErrorCode::kTooManyRequests,
               "too many attempts: try again in " + std::to_string(wait) + " seconds");
}

// Counts one request against both keys (its own short read-committed write: every request of an
// address touches the same row).
void CountThrottle(store::Database& db, const ThrottleKeys& keys, int64_t now_ms) {
  auto counted = db.Write(
      [&](store::Tx& tx) -> core::Status {
        store::LoginThrottleRepo throttle(tx);
        const std::pair<const std::string*, accounts::ThrottlePolicy> scopes[] = {
            {&keys.address, SmsAddressThrottle()}, {&keys.mobile, SmsMobileThrottle()}};
        for (const auto& [key, p] : scopes) {
          const auto ms = [](std::chrono::seconds s) {
            return std::chrono::duration_cast<std::chrono::milliseconds>(s).count();
          };
          BEIAN_ASSIGN_OR_RETURN(store::ThrottleState state,
                                 throttle.RecordFailure(*key, now_ms,
                                                        {.max_failures = p.free_failures + 1,
                                                         .window_ms = ms(p.window),
                                                         .lock_ms = ms(p.first_delay)}));
          const int64_t delay = accounts::DelayAfter(p, state.failures).count();
          if (delay > ms(p.first_delay)) BEIAN_TRY(throttle.LockUntil(*key, now_ms + delay));
        }
        return core::Ok();
      },
      {.isolation = store::Isolation::kReadCommitted});
  if (!counted) {
    core::Log(core::LogLevel::kWarn, "sms_throttle_count_failed",
              {{"error", counted.error().message}});
  }
}

SmsCodeFacts FactsOf(const store::SmsCodeMatch& m) {
  return {.attempts_wrong = m.code.attempts_wrong,
          .resends = m.code.resends,
          .expires_at_ms = m.code.expires_at_ms,
          .verified = m.code.verified_at_ms.has_value(),
          .submission_open = m.submission_state == store::kSubmissionSmsVerification};
}

Error NotFound() {
  return Error(ErrorCode::kSmsCodeNotFound,
               "no verification code is open for this mobile number and identity number",
               {{"mobile", "sms_code_not_found",
                 "no open code for this mobile number and the last 6 characters of the "
                 "identity number"}});
}

Error Expired() {
  return Error(ErrorCode::kSmsCodeExpired,
               "the verification code has expired, or the filing was returned",
               {{"code", "sms_code_expired", "the code can no longer be entered"}});
}

}  // namespace

std::string BeijingMinute(int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(unix_ms) + hours(8)};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<minutes>(t - day)};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()));
  return buf;
}

core::Status StartSmsVerification(store::Tx& tx, const SubmissionRecord& s,
                                  const std::vector<SmsPerson>& persons, const core::PiiCipher& pii,
                                  int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(std::vector<SmsRecipient> recipients, GroupSmsRecipients(persons));
  store::SmsCodeRepo codes(tx);
  for (const SmsRecipient& r : recipients) {
    const std::string code = DrawSmsCode(kSmsCodeLength);
    store::SmsCodeRow row{.submission_id = s.id,
                          .person = r.person,
                          .mobile_hash = pii.LookupHash(r.mobile, kSmsMobileColumn),
                          .mobile_sealed = pii.Seal(r.mobile, kSmsMobileColumn),
                          .id_last6_hash = pii.LookupHash(r.id_last6, kSmsIdLast6Column),
                          .code_hash = CodeHash(pii, s.id, r.person, code),
                          .attempts_wrong = 0,
                          .resends = 0,
                          .sent_at_ms = now_ms,
                          .expires_at_ms = s.sms_deadline_ms,
                          .verified_at_ms = std::nullopt};
    BEIAN_TRY(codes.Insert(row));
    BEIAN_TRY(EnqueueCode(tx, pii, s.id, r.person, r.mobile, code, s.organizer_name,
                          s.sms_deadline_ms, 0, now_ms));
  }
  core::Log(core::LogLevel::kInfo, "sms_codes_sent",
            {{"submission_id", s.id}, {"codes", static_cast<int64_t>(recipients.size())}});
  return core::Ok();
}

SmsVerification::SmsVerification(store::Database& db, const core::Clock& clock,
                                 const core::PiiCipher& pii, const domain::Rules& rules,
                                 SmsVerificationOptions options)
    : db_(db), clock_(clock), pii_(pii), rules_(rules), calendar_(rules), options_(options) {}

int64_t SmsVerification::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

core::Status SmsVerification::Start(store::Tx& tx, const SubmissionRecord& s,
                                    const std::vector<SmsPerson>& persons) const {
  if (!options_.code_validity_ms) return StartSmsVerification(tx, s, persons, pii_, NowMs());
  SubmissionRecord shortened = s;
  shortened.sms_deadline_ms =
      SmsDeadline(s.received_at_ms, rules_.timing, options_.code_validity_ms);
  BEIAN_TRY(store::SmsCodeRepo(tx).SetDeadline(s.id, shortened.sms_deadline_ms));
  return StartSmsVerification(tx, shortened, persons, pii_, NowMs());
}

Result<SmsEntryResult> SmsVerification::Verify(const SmsEntry& entry,
                                               std::string_view client_address,
                                               int64_t* retry_after_seconds) const {
  const int64_t now = NowMs();
  std::vector<core::ErrorDetail> problems;
  const auto mobile = domain::NormalizeMobile(entry.mobile);
  if (!mobile) problems.push_back({"mobile", "mobile_invalid", "not a mainland mobile number"});
  const auto last6 = NormalizeIdLast6(entry.id_last6);
  if (!last6) {
    problems.push_back(
        {"id_last6", "invalid", "the last 6 characters of the identity document number"});
  }
  if (!IsWellFormedSmsCode(entry.code, kSmsCodeLength)) {
    problems.push_back({"code", "invalid", "the code has 6 digits"});
  }
  if (!problems.empty()) {
    return Error(ErrorCode::kValidationFailed, "the entry is incomplete", std::move(problems));
  }
  const std::string mobile_hash = pii_.LookupHash(*mobile, kSmsMobileColumn);
  const ThrottleKeys keys = KeysFor(client_address, mobile_hash);
  BEIAN_TRY(CheckThrottle(db_, keys, now, retry_after_seconds));

  // The transaction commits what it decided (a wrong entry counts, a failed submission stays
  // failed) and hands the refusal, if any, out to be answered.
  struct Outcome {
    std::optional<Error> refusal;
    bool counted = false;  // a refused guess: counts for the throttles
    SmsEntryResult result;
  };
  const SubmissionTransitionContext ctx{clock_, rules_, calendar_};
  BEIAN_ASSIGN_OR_RETURN(Outcome outcome, db_.Write([&](store::Tx& tx) -> Result<Outcome> {
    store::SmsCodeRepo codes(tx);
    BEIAN_ASSIGN_OR_RETURN(
        auto rows, codes.FindByMobile(mobile_hash, pii_.LookupHash(*last6, kSmsIdLast6Column), 20));
    if (rows.empty()) return Outcome{NotFound(), true, {}};
    struct Judged {
      const store::SmsCodeMatch* row;
      EntryDecision decision;
    };
    std::vector<Judged> judged;
    for (const store::SmsCodeMatch& m : rows) {
      const bool matches = core::ConstantTimeEquals(
          m.code.code_hash, CodeHash(pii_, m.code.submission_id, m.code.person, entry.code));
      judged.push_back({&m, DecideEntry(FactsOf(m), matches, now, rules_.timing)});
    }
    // The right code of a row: verified (or verified before: answered alike).
    for (const Judged& j : judged) {
      const auto outcome = j.decision.outcome;
      if (outcome != EntryOutcome::kVerified && outcome != EntryOutcome::kAgain) continue;
      const std::string& id = j.row->code.submission_id;
      std::string state = j.row->submission_state;
      if (outcome == EntryOutcome::kVerified) {
        BEIAN_TRY(codes.MarkVerified(id, j.row->code.person, now));
      }
      BEIAN_ASSIGN_OR_RETURN(int64_t remaining, codes.CountUnverified(id));
      if (outcome == EntryOutcome::kVerified && remaining == 0) {
        BEIAN_ASSIGN_OR_RETURN(auto moved,
                               TransitionSubmission(tx, ctx,
                                                    {.submission_id = id,
                                                     .event = "sms_verified",
                                                     .actor = std::string(kSystem),
                                                     .role = std::string(kSystem),
                                                     .facts = {.all_sms_verified = true}}));
        state = moved.submission.state;
      }
      core::Log(core::LogLevel::kInfo, "sms_code_verified",
                {{"submission_id", id}, {"person", j.row->code.person}, {"remaining", remaining}});
      return Outcome{std::nullopt, false, {state, remaining}};
    }
    // A wrong code counts against every open code of this mobile; the one that uses the last
    // attempt fails its submission.
    std::optional<int64_t> left;
    bool failed = false;
    for (const Judged& j : judged) {
      const auto outcome = j.decision.outcome;
      if (outcome != EntryOutcome::kWrong && outcome != EntryOutcome::kFailed) continue;
      const std::string& id = j.row->code.submission_id;
      BEIAN_TRY(codes.RecordWrong(id, j.row->code.person));
      left = std::min(left.value_or(j.decision.attempts_left), j.decision.attempts_left);
      if (outcome == EntryOutcome::kFailed) {
        failed = true;
        BEIAN_TRY(TransitionSubmission(
            tx, ctx,
            {.submission_id = id,
             .event = "sms_failed",
             .actor = std::string(kSystem),
             .role = std::string(kSystem),
             .reasons = {{"", "sms_failed",
                          "a wrong SMS verification code was entered " +
                              std::to_string(rules_.timing.sms_max_wrong_entries) + " times"}}}));
        core::Log(core::LogLevel::kInfo, "sms_verification_failed",
                  {{"submission_id", id}, {"person", j.row->code.person}});
      }
    }
    // The entry that used the last attempt is answered like every one after it.
    if (failed) {
      return Outcome{Error(ErrorCode::kSmsCodeExpired,
                           "too many wrong codes: the filing is returned to the provider",
                           {{"code", "sms_code_expired", "too many wrong codes"}}),
                     true,
                     {}};
    }
    if (left) {
      // The attempts left as a detail of their own (field attempts_left, message the number),
      // so a form can show them beside the code.
      return Outcome{Error(ErrorCode::kSmsCodeWrong, "the verification code is wrong",
                           {{"code", "sms_code_wrong", "the verification code is wrong"},
                            {"attempts_left", "sms_code_wrong", std::to_string(*left)}}),
                     true,
                     {}};
    }
    // Nothing open: past the deadline (expired here if the sweeper has not come by yet), or the
    // submission failed, expired or moved on.
    for (const store::SmsCodeMatch& m : rows) {
      if (m.submission_state == store::kSubmissionSmsVerification && now >= m.sms_deadline_ms) {
        BEIAN_TRY(TransitionSubmission(tx, ctx,
                                       {.submission_id = m.code.submission_id,
                                        .event = "sms_timeout",
                                        .actor = std::string(kSystem),
                                        .role = std::string(kSystem),
                                        .reasons = {{"", "sms_not_verified",
                                                     "the SMS verification was not completed "
                                                     "before the deadline"}}}));
        break;
      }
    }
    return Outcome{Expired(), false, {}};
  }));
  if (outcome.counted) CountThrottle(db_, keys, now);
  if (outcome.refusal) return std::move(*outcome.refusal);
  return outcome.result;
}

Result<int64_t> SmsVerification::Resend(const SmsResendRequest& request,
                                        std::string_view client_address,
                                        int64_t* retry_after_seconds) const {
  const int64_t now = NowMs();
  std::vector<core::ErrorDetail> problems;
  const auto mobile = domain::NormalizeMobile(request.mobile);
  if (!mobile) problems.push_back({"mobile", "mobile_invalid", "not a mainland mobile number"});
  const auto last6 = NormalizeIdLast6(request.id_last6);
  if (!last6) {
    problems.push_back(
        {"id_last6", "invalid", "the last 6 characters of the identity document number"});
  }
  if (!problems.empty()) {
    return Error(ErrorCode::kValidationFailed, "the request is incomplete", std::move(problems));
  }
  const std::string mobile_hash = pii_.LookupHash(*mobile, kSmsMobileColumn);
  const ThrottleKeys keys = KeysFor(client_address, mobile_hash);
  BEIAN_TRY(CheckThrottle(db_, keys, now, retry_after_seconds));
  // Every resend asked for counts: each one sends an SMS.
  CountThrottle(db_, keys, now);

  const SubmissionTransitionContext ctx{clock_, rules_, calendar_};
  struct Outcome {
    std::optional<Error> refusal;
    int64_t resends_left = 0;
  };
  BEIAN_ASSIGN_OR_RETURN(Outcome outcome, db_.Write([&](store::Tx& tx) -> Result<Outcome> {
    store::SmsCodeRepo codes(tx);
    BEIAN_ASSIGN_OR_RETURN(
        auto rows, codes.FindByMobile(mobile_hash, pii_.LookupHash(*last6, kSmsIdLast6Column), 20));
    bool expired = false;
    bool limit = false;
    std::optional<int64_t> left;
    for (const store::SmsCodeMatch& m : rows) {
      const ResendDecision d = DecideResend(FactsOf(m), now, rules_.timing);
      if (d.outcome == ResendOutcome::kExpired) expired = true;
      if (d.outcome == ResendOutcome::kLimit) limit = true;
      if (d.outcome != ResendOutcome::kSend) continue;
      const std::string& id = m.code.submission_id;
      const std::string code = DrawSmsCode(kSmsCodeLength);
      BEIAN_ASSIGN_OR_RETURN(
          bool replaced,
          codes.ReplaceCode(id, m.code.person, CodeHash(pii_, id, m.code.person, code),
                            m.code.resends, now));
      if (!replaced) continue;  // verified or resent meanwhile
      BEIAN_TRY(TransitionSubmission(tx, ctx,
                                     {.submission_id = id,
                                      .event = "resend_sms",
                                      .actor = std::string(kSystem),
                                      .role = std::string(kSystem),
                                      .facts = {.resends_left = true}}));
      BEIAN_ASSIGN_OR_RETURN(std::string opened, pii_.Open(m.code.mobile_sealed, kSmsMobileColumn));
      BEIAN_TRY(EnqueueCode(tx, pii_, id, m.code.person, opened, code, m.organizer_name,
                            m.code.expires_at_ms, m.code.resends + 1, now));
      left = std::min(left.value_or(d.resends_left), d.resends_left);
      core::Log(core::LogLevel::kInfo, "sms_code_resent",
                {{"submission_id", id}, {"person", m.code.person}, {"resends_left", *left}});
    }
    if (left) return Outcome{std::nullopt, *left};
    if (limit) {
      return Outcome{Error(ErrorCode::kSmsResendLimit,
                           "the code was sent again " +
                               std::to_string(rules_.timing.sms_max_resends) + " times already",
                           {{"mobile", "sms_resend_limit", "no more resends for this code"}}),
                     0};
    }
    if (expired) return Outcome{Expired(), 0};
    return Outcome{NotFound(), 0};
  }));
  if (outcome.refusal) return std::move(*outcome.refusal);
  return outcome.resends_left;
}

Result<int> SmsVerification::Sweep() const {
  const int64_t now = NowMs();
  BEIAN_ASSIGN_OR_RETURN(std::vector<std::string> ids, db_.Read([&](store::Tx& tx) {
    return store::SubmissionRepo(tx).SmsOverdue(now, options_.sweep_batch);
  }));
  const SubmissionTransitionContext ctx{clock_, rules_, calendar_};
  int expired = 0;
  for (const std::string& id : ids) {
    // One transaction per submission: one that moved on meanwhile (its last code entered just
    // now) is left alone.
    auto moved = db_.Write([&](store::Tx& tx) -> Result<bool> {
      BEIAN_ASSIGN_OR_RETURN(auto s, store::SubmissionRepo(tx).Find(id));
      if (!s || s->state != store::kSubmissionSmsVerification || s->sms_deadline_ms > now) {
        return false;
      }
      BEIAN_TRY(TransitionSubmission(tx, ctx,
                                     {.submission_id = id,
                                      .event = "sms_timeout",
                                      .actor = std::string(kSystem),
                                      .role = std::string(kSystem),
                                      .reasons = {{"", "sms_not_verified",
                                                   "the SMS verification was not completed "
                                                   "before the deadline"}}}));
      return true;
    });
    if (!moved) {
      core::Log(core::LogLevel::kWarn, "sms_sweep_failed",
                {{"submission_id", id}, {"error", moved.error().message}});
      continue;
    }
    if (*moved) {
      ++expired;
      core::Log(core::LogLevel::kInfo, "sms_verification_expired", {{"submission_id", id}});
    }
  }
  return expired;
}

}  // namespace beian::authority
