// The authority's submissions aggregate (issue 10 items 3–6; contract §2): the submissions
// handed over by providers, their documents, the append-only timeline, the keys that hold one
// OPEN submission per certificate and per domain across all providers, a read of the SMS codes
// (for the reviewer's detail), and the results outbox back to the providers (provider_events).
// Like applications.h it knows nothing of the rules: src/authority/submission_transitions.h is
// the one place that assigns states, and the intake hands this layer finished values
// (payload already sealed, certificate already hashed).
//
// Uniqueness is the database's: submission_open_keys has the key as primary key, so a second
// open submission for the same certificate or domain fails in the INSERT however requests from
// any providers interleave; UNIQUE(provider_id, provider_submission_id) makes a hand-over
// idempotent. The reviewer's claim is ONE conditional UPDATE of the row (claimed_by,
// claim_until), so two concurrent claims cannot both win. The provider_events claim follows
// store/notifications.h: one statement, FOR UPDATE SKIP LOCKED on PostgreSQL (run it READ
// COMMITTED), every later mark conditional on the caller's lease.
// Timestamps are unix milliseconds (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

// Submission states (the words of the API and the database; domain/state_machine.cc).
inline constexpr std::string_view kSubmissionSmsVerification = "sms_verification";
inline constexpr std::string_view kSubmissionUnderReview = "under_review";
inline constexpr std::string_view kSubmissionApproved = "approved";
inline constexpr std::string_view kSubmissionRejected = "rejected";
inline constexpr std::string_view kSubmissionExpired = "expired";

struct SubmissionRecord {
  std::string id = {};
  std::string provider_id = {};
  std::string provider_submission_id = {};  // the provider's "<application id>.<n>"
  std::string application_id = {};
  std::string state = {};
  std::string filing_type = {};
  std::string province = {};
  std::string organizer_type = {};
  std::string organizer_name = {};
  std::string certificate_type = {};
  std::string certificate_hash = {};  // PiiCipher keyed hash of the canonical certificate number
  std::string payload_sealed = {};    // the received JSON minus documents, sealed
  std::string domains_json = "[]";    // registrable punycode domains, for lists
  std::optional<std::string> beian_sn = {};  // the subject SN sent with new_website/new_isp/modify
  int64_t sms_deadline_ms = 0;
  int64_t received_at_ms = 0;
  std::optional<int64_t> review_started_at_ms = {};
  std::optional<int64_t> review_deadline_ms = {};  // review_started_at + 20 working days
  std::optional<int64_t> decided_at_ms = {};
  std::optional<std::string> decided_by = {};
  std::optional<std::string> claimed_by = {};
  std::optional<int64_t> claim_until_ms = {};
  std::optional<std::string> subject_sn = {};
  std::optional<std::string> approval_json = {};  // {subject_sn, new_subject, websites:[…]}
  int64_t version = 1;
  int64_t updated_at_ms = 0;
  std::string provider_name = {};    // read only: joined from providers
  std::string claimed_by_name = {};  // read only: the claiming reviewer's display name
};

struct SubmissionPage {
  std::vector<SubmissionRecord> items = {};
  std::string next_cursor = {};  // empty on the last page
};

struct SubmissionQueueFilter {
  std::vector<std::string> states;  // required, e.g. {"under_review"} or the decided ones
  std::string province = {};        // "" = any
  bool overdue_only = false;        // under review with review_deadline before now_ms
  int64_t now_ms = 0;
};

struct SubmissionDocument {
  std::string submission_id = {};
  std::string doc_id = {};
  std::string kind = {};
  std::string subject = {};
  std::string filename = {};
  std::string content_type = {};
  int64_t size = 0;
  std::string sha256 = {};  // hex
  std::string blob_key = {};
};

// One row of the timeline.
struct SubmissionEvent {
  int64_t seq = 0;  // assigned by the database, increasing over all submissions
  std::string submission_id = {};
  std::string from_state = {};  // "" for the arrival
  std::string to_state = {};
  std::string event = {};
  std::string actor = {};           // a user id, "system", or "provider:<id>"
  std::string reasons_json = "[]";  // [{field, code, message}]
  int64_t at_ms = 0;
};

// Which open submission holds a key.
struct OpenKeyHolder {
  std::string submission_id = {};
  std::string provider_id = {};
};

// An SMS code row as the reviewer's detail shows it (the SMS helper's service owns the writes).
struct SmsCodeRow {
  std::string submission_id = {};
  std::string person = {};  // "organizer" | "website:N"
  std::string mobile_hash = {};
  std::string mobile_sealed = {};
  std::string id_last6_hash = {};
  std::string code_hash = {};
  int64_t attempts_wrong = 0;
  int64_t resends = 0;
  int64_t sent_at_ms = 0;
  int64_t expires_at_ms = 0;
  std::optional<int64_t> verified_at_ms = {};
};

class SubmissionRepo {
 public:
  explicit SubmissionRepo(Tx& tx) : tx_(tx) {}

  // kConflict when the id or (provider_id, provider_submission_id) exists (the constraint name
  // of the latter differs by dialect: check ViolatedConstraint(e).starts_with(
  // "submissions.provider_id, ")).
  core::Status Insert(const SubmissionRecord& r);
  core::Result<std::optional<SubmissionRecord>> Find(std::string_view id);
  core::Result<std::optional<SubmissionRecord>> FindByProvider(
      std::string_view provider_id, std::string_view provider_submission_id);

  // Writes the state and the review/decision/claim/approval columns of `r` when the row is still
  // at `expected_version`; the version becomes expected_version + 1. False when the row is gone
  // or at another version. Only authority/submission_transitions.cc changes the state.
  core::Result<bool> Update(const SubmissionRecord& r, int64_t expected_version);

  // Claims an under_review submission for `reviewer_id` until `until_ms`: true when the claim is
  // now the reviewer's (new, taken over from an expired one, or their own extended); false when
  // another reviewer's claim is live at `now_ms` or the submission is not under review.
  core::Result<bool> Claim(std::string_view id, std::string_view reviewer_id, int64_t now_ms,
                           int64_t until_ms);

  // Submissions in `filter.states`, oldest received first, `limit` (1…100) after `cursor`.
  // kValidationFailed for a bad cursor or limit.
  core::Result<SubmissionPage> List(const SubmissionQueueFilter& filter, int limit,
                                    std::string_view cursor);
  // Submissions in sms_verification whose sms_deadline is before `now_ms` (the sweeper's work),
  // at most `limit`, earliest deadline first.
  core::Result<std::vector<std::string>> SmsOverdue(int64_t now_ms, int limit);

  // Documents.
  core::Status InsertDocument(const SubmissionDocument& d);
  core::Result<std::vector<SubmissionDocument>> Documents(std::string_view submission_id);
  core::Result<std::optional<SubmissionDocument>> FindDocument(std::string_view submission_id,
                                                               std::string_view doc_id);

  // Timeline.
  core::Status AppendEvent(const SubmissionEvent& e);
  core::Result<std::vector<SubmissionEvent>> Events(std::string_view submission_id);

  // Open keys ("cert:<type>:<hash>", "domain:<punycode>"). InsertOpenKey fails with kConflict
  // (constraint "submission_open_keys.key") when another open submission holds the key.
  core::Status InsertOpenKey(std::string_view key, std::string_view submission_id);
  core::Result<std::optional<OpenKeyHolder>> OpenKeyHolderOf(std::string_view key);
  core::Status ReleaseOpenKeys(std::string_view submission_id);

  // SMS codes of a submission, by person.
  core::Result<std::vector<SmsCodeRow>> SmsCodes(std::string_view submission_id);

  static core::Result<SubmissionRecord> FromRow(const Row& row);

 private:
  Tx& tx_;
};

// provider_events states.
inline constexpr std::string_view kProviderEventPending = "pending";
inline constexpr std::string_view kProviderEventSending = "sending";
inline constexpr std::string_view kProviderEventDelivered = "delivered";

struct ProviderEvent {
  std::string event_id = {};
  std::string provider_id = {};
  std::string submission_id = {};
  std::string type = {};  // under_review | approved | rejected | expired
  std::string body = {};  // the JSON POSTed to the provider
  std::string state = std::string(kProviderEventPending);
  int64_t attempts = 0;
  int64_t next_attempt_at_ms = 0;
  std::optional<std::string> lease_owner = {};
  std::optional<int64_t> lease_until_ms = {};
  std::string last_error = {};
  int64_t created_at_ms = 0;
  std::optional<int64_t> delivered_at_ms = {};
};

struct ProviderEventStats {
  int64_t pending = 0;  // pending or sending
  std::optional<int64_t> oldest_pending_created_at_ms;
};

class ProviderEventRepo {
 public:
  explicit ProviderEventRepo(Tx& tx) : tx_(tx) {}

  // Inserts a pending row due at created_at. False (nothing written) when event_id exists.
  core::Result<bool> Enqueue(const ProviderEvent& e);
  // Claims up to `limit` due rows (pending with next_attempt_at <= now, or sending with an
  // expired lease): they become `sending`, leased to `owner` until `lease_until_ms`,
  // attempts + 1. Oldest due first. Never gives up: there is no attempt limit.
  core::Result<std::vector<ProviderEvent>> Claim(std::string_view owner, int64_t now_ms,
                                                 int64_t lease_until_ms, int limit);
  // The marks change the row only while `owner` holds its lease; false otherwise.
  // `note` is kept in last_error (e.g. why a 409 counted as delivered), "" when none.
  core::Result<bool> MarkDelivered(std::string_view event_id, std::string_view owner,
                                   int64_t now_ms, std::string_view note);
  core::Result<bool> MarkRetry(std::string_view event_id, std::string_view owner,
                               int64_t next_attempt_at_ms, std::string_view error);
  // Gives a claimed row back without counting the attempt (a worker stopping before it began).
  core::Result<bool> Release(std::string_view event_id, std::string_view owner);

  core::Result<std::optional<ProviderEvent>> Find(std::string_view event_id);
  core::Result<std::vector<ProviderEvent>> ForSubmission(std::string_view submission_id);
  core::Result<ProviderEventStats> Stats();

 private:
  Tx& tx_;
};

}  // namespace beian::store
