// SubmissionRepo and ProviderEventRepo: named statements for the tables of authority migration
// 0003 (see submissions.h).
#include "store/submissions.h"

#include <charconv>

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

#define BEIAN_SUBMISSION_COLUMNS                                                                  \
  "s.id, s.provider_id, s.provider_submission_id, s.application_id, s.state, s.filing_type,"      \
  " s.province, s.organizer_type, s.organizer_name, s.certificate_type, s.certificate_hash,"      \
  " s.payload_sealed, s.domains, s.beian_sn, s.sms_deadline, s.received_at, s.review_started_at," \
  " s.review_deadline, s.decided_at, s.decided_by, s.claimed_by, s.claim_until, s.subject_sn,"    \
  " s.approval, s.version, s.updated_at, COALESCE(p.name, ''), COALESCE(u.display_name, '')"
#define BEIAN_SUBMISSION_FROM                                         \
  " FROM submissions s LEFT JOIN providers p ON p.id = s.provider_id" \
  " LEFT JOIN users u ON u.id = s.claimed_by"

constexpr Statement kInsert{
    "submissions.insert",
    "INSERT INTO submissions (id, provider_id, provider_submission_id, application_id, state,"
    " filing_type, province, organizer_type, organizer_name, certificate_type, certificate_hash,"
    " payload_sealed, domains, beian_sn, sms_deadline, received_at, review_started_at,"
    " review_deadline, decided_at, decided_by, claimed_by, claim_until, subject_sn, approval,"
    " version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
    " $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)"};
constexpr Statement kById{"submissions.by_id",
                          "SELECT " BEIAN_SUBMISSION_COLUMNS BEIAN_SUBMISSION_FROM
                          " WHERE s.id = $1"};
constexpr Statement kByProvider{"submissions.by_provider",
                                "SELECT " BEIAN_SUBMISSION_COLUMNS BEIAN_SUBMISSION_FROM
                                " WHERE s.provider_id = $1 AND s.provider_submission_id = $2"};
constexpr Statement kUpdate{
    "submissions.update",
    "UPDATE submissions SET state = $3, review_started_at = $4, review_deadline = $5,"
    " decided_at = $6, decided_by = $7, claimed_by = $8, claim_until = $9, subject_sn = $10,"
    " approval = $11, updated_at = $12, version = version + 1 WHERE id = $1 AND version = $2"};
constexpr Statement kClaim{"submissions.claim",
                           "UPDATE submissions SET claimed_by = $2, claim_until = $4 WHERE id = $1"
                           " AND state = 'under_review' AND (claimed_by IS NULL OR claimed_by = $2"
                           " OR claim_until IS NULL OR claim_until <= $3)"};
// $2..$4 the states ("" unused), $5 province ("" any), $6 overdue only (0/1), $7 now,
// $8/$9 the cursor (received_at, id; -1 for the first page).
constexpr Statement kList{
    "submissions.list",
    "SELECT " BEIAN_SUBMISSION_COLUMNS BEIAN_SUBMISSION_FROM
    " WHERE s.state IN ($2, $3, $4) AND (CAST($5 AS TEXT) = '' OR s.province = $5)"
    " AND (CAST($6 AS BIGINT) = 0 OR (s.state = 'under_review'"
    " AND s.review_deadline IS NOT NULL AND s.review_deadline < $7))"
    " AND (CAST($8 AS BIGINT) < 0 OR s.received_at > $8"
    " OR (s.received_at = $8 AND s.id > $9))"
    " ORDER BY s.received_at, s.id LIMIT $1"};
constexpr Statement kSmsOverdue{
    "submissions.sms_overdue",
    "SELECT id FROM submissions WHERE state = 'sms_verification' AND sms_deadline < $1"
    " ORDER BY sms_deadline, id LIMIT $2"};

#define BEIAN_DOCUMENT_COLUMNS \
  "submission_id, doc_id, kind, subject, filename, content_type, size, sha256, blob_key"
constexpr Statement kInsertDocument{"submission_documents.insert",
                                    "INSERT INTO submission_documents (" BEIAN_DOCUMENT_COLUMNS
                                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr Statement kDocuments{"submission_documents.list",
                               "SELECT " BEIAN_DOCUMENT_COLUMNS
                               " FROM submission_documents WHERE submission_id = $1"
                               " ORDER BY doc_id"};
constexpr Statement kFindDocument{"submission_documents.find",
                                  "SELECT " BEIAN_DOCUMENT_COLUMNS
                                  " FROM submission_documents WHERE submission_id = $1"
                                  " AND doc_id = $2"};
#undef BEIAN_DOCUMENT_COLUMNS

constexpr Statement kAppendEvent{
    "submission_events.append",
    "INSERT INTO submission_events (submission_id, from_state, to_state, event, actor, reasons,"
    " at) VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr Statement kEvents{"submission_events.list",
                            "SELECT seq, submission_id, from_state, to_state, event, actor,"
                            " reasons, at FROM submission_events WHERE submission_id = $1"
                            " ORDER BY seq"};

constexpr Statement kInsertOpenKey{
    "submission_open_keys.insert",
    "INSERT INTO submission_open_keys (key, submission_id) VALUES ($1, $2)"};
constexpr Statement kOpenKeyHolder{
    "submission_open_keys.holder",
    "SELECT k.submission_id, s.provider_id FROM submission_open_keys k"
    " JOIN submissions s ON s.id = k.submission_id WHERE k.key = $1"};
constexpr Statement kReleaseOpenKeys{"submission_open_keys.release",
                                     "DELETE FROM submission_open_keys WHERE submission_id = $1"};

constexpr Statement kSmsCodes{
    "sms_codes.for_submission",
    "SELECT submission_id, person, mobile_hash, mobile_sealed, id_last6_hash, code_hash,"
    " attempts_wrong, resends, sent_at, expires_at, verified_at FROM sms_codes"
    " WHERE submission_id = $1 ORDER BY person"};

#define BEIAN_EVENT_COLUMNS                                                             \
  "event_id, provider_id, submission_id, type, body, state, attempts, next_attempt_at," \
  " lease_owner, lease_until, last_error, created_at, delivered_at"
constexpr Statement kEnqueueEvent{
    "provider_events.enqueue",
    "INSERT INTO provider_events (event_id, provider_id, submission_id, type, body, state,"
    " attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6)"
    " ON CONFLICT (event_id) DO NOTHING"};
#define BEIAN_DUE_EVENTS                                                                     \
  "SELECT event_id FROM provider_events WHERE (state = 'pending' AND next_attempt_at <= $3)" \
  " OR (state = 'sending' AND lease_until <= $3) ORDER BY next_attempt_at, event_id LIMIT $4"
constexpr Statement kClaimEvents{
    "provider_events.claim",
    "UPDATE provider_events SET state = 'sending', lease_owner = $1, lease_until = $2,"
    " attempts = attempts + 1 WHERE event_id IN (" BEIAN_DUE_EVENTS
    ") RETURNING " BEIAN_EVENT_COLUMNS,
    "UPDATE provider_events SET state = 'sending', lease_owner = $1, lease_until = $2,"
    " attempts = attempts + 1 WHERE event_id IN (" BEIAN_DUE_EVENTS
    " FOR UPDATE SKIP LOCKED) RETURNING " BEIAN_EVENT_COLUMNS};
#undef BEIAN_DUE_EVENTS
constexpr Statement kMarkDelivered{
    "provider_events.mark_delivered",
    "UPDATE provider_events SET state = 'delivered', lease_owner = NULL, lease_until = NULL,"
    " delivered_at = $3, last_error = $4"
    " WHERE event_id = $1 AND lease_owner = $2 AND state = 'sending'"};
constexpr Statement kMarkRetry{
    "provider_events.mark_retry",
    "UPDATE provider_events SET state = 'pending', lease_owner = NULL, lease_until = NULL,"
    " next_attempt_at = $3, last_error = $4"
    " WHERE event_id = $1 AND lease_owner = $2 AND state = 'sending'"};
constexpr Statement kReleaseEvent{
    "provider_events.release",
    "UPDATE provider_events SET state = 'pending', lease_owner = NULL, lease_until = NULL,"
    " attempts = attempts - 1 WHERE event_id = $1 AND lease_owner = $2 AND state = 'sending'"};
constexpr Statement kFindEvent{"provider_events.find", "SELECT " BEIAN_EVENT_COLUMNS
                                                       " FROM provider_events WHERE event_id = $1"};
constexpr Statement kEventsForSubmission{"provider_events.for_submission",
                                         "SELECT " BEIAN_EVENT_COLUMNS
                                         " FROM provider_events WHERE submission_id = $1"
                                         " ORDER BY created_at, event_id"};
constexpr Statement kEventStats{
    "provider_events.stats",
    "SELECT CAST(COUNT(*) AS BIGINT), MIN(created_at) FROM provider_events"
    " WHERE state IN ('pending', 'sending')"};
#undef BEIAN_EVENT_COLUMNS

#undef BEIAN_SUBMISSION_COLUMNS
#undef BEIAN_SUBMISSION_FROM

Error Invalid(std::string field, std::string message) {
  return Error(ErrorCode::kValidationFailed, message, {{std::move(field), "invalid", message}});
}

// Cursor "<received_at_ms>.<id>" of the last item of the previous page.
Status ParseCursor(std::string_view cursor, int64_t* ms, std::string* id) {
  *ms = -1;
  id->clear();
  if (cursor.empty()) return core::Ok();
  const auto dot = cursor.find('.');
  bool ok = dot != std::string_view::npos && dot > 0 && dot + 1 < cursor.size();
  if (ok) {
    auto [ptr, ec] = std::from_chars(cursor.data(), cursor.data() + dot, *ms);
    ok = ec == std::errc() && ptr == cursor.data() + dot && *ms >= 0;
  }
  if (!ok) return Invalid("cursor", "malformed cursor");
  *id = std::string(cursor.substr(dot + 1));
  return core::Ok();
}

Result<SubmissionDocument> DocumentFromRow(const Row& row) {
  SubmissionDocument d;
  BEIAN_ASSIGN_OR_RETURN(d.submission_id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(d.doc_id, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(d.kind, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(d.subject, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(d.filename, row.GetText(4));
  BEIAN_ASSIGN_OR_RETURN(d.content_type, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(d.size, row.GetInt(6));
  BEIAN_ASSIGN_OR_RETURN(d.sha256, row.GetText(7));
  BEIAN_ASSIGN_OR_RETURN(d.blob_key, row.GetText(8));
  return d;
}

Result<ProviderEvent> EventFromRow(const Row& row) {
  ProviderEvent e;
  BEIAN_ASSIGN_OR_RETURN(e.event_id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(e.provider_id, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(e.submission_id, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(e.type, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(e.body, row.GetText(4));
  BEIAN_ASSIGN_OR_RETURN(e.state, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(e.attempts, row.GetInt(6));
  BEIAN_ASSIGN_OR_RETURN(e.next_attempt_at_ms, row.GetInt(7));
  BEIAN_ASSIGN_OR_RETURN(e.lease_owner, row.GetOptionalText(8));
  BEIAN_ASSIGN_OR_RETURN(e.lease_until_ms, row.GetOptionalInt(9));
  BEIAN_ASSIGN_OR_RETURN(e.last_error, row.GetText(10));
  BEIAN_ASSIGN_OR_RETURN(e.created_at_ms, row.GetInt(11));
  BEIAN_ASSIGN_OR_RETURN(e.delivered_at_ms, row.GetOptionalInt(12));
  return e;
}

}  // namespace

Result<SubmissionRecord> SubmissionRepo::FromRow(const Row& row) {
  SubmissionRecord r;
  BEIAN_ASSIGN_OR_RETURN(r.id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(r.provider_id, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(r.provider_submission_id, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(r.application_id, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(r.state, row.GetText(4));
  BEIAN_ASSIGN_OR_RETURN(r.filing_type, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(r.province, row.GetText(6));
  BEIAN_ASSIGN_OR_RETURN(r.organizer_type, row.GetText(7));
  BEIAN_ASSIGN_OR_RETURN(r.organizer_name, row.GetText(8));
  BEIAN_ASSIGN_OR_RETURN(r.certificate_type, row.GetText(9));
  BEIAN_ASSIGN_OR_RETURN(r.certificate_hash, row.GetText(10));
  BEIAN_ASSIGN_OR_RETURN(r.payload_sealed, row.GetText(11));
  BEIAN_ASSIGN_OR_RETURN(r.domains_json, row.GetText(12));
  BEIAN_ASSIGN_OR_RETURN(r.beian_sn, row.GetOptionalText(13));
  BEIAN_ASSIGN_OR_RETURN(r.sms_deadline_ms, row.GetInt(14));
  BEIAN_ASSIGN_OR_RETURN(r.received_at_ms, row.GetInt(15));
  BEIAN_ASSIGN_OR_RETURN(r.review_started_at_ms, row.GetOptionalInt(16));
  BEIAN_ASSIGN_OR_RETURN(r.review_deadline_ms, row.GetOptionalInt(17));
  BEIAN_ASSIGN_OR_RETURN(r.decided_at_ms, row.GetOptionalInt(18));
  BEIAN_ASSIGN_OR_RETURN(r.decided_by, row.GetOptionalText(19));
  BEIAN_ASSIGN_OR_RETURN(r.claimed_by, row.GetOptionalText(20));
  BEIAN_ASSIGN_OR_RETURN(r.claim_until_ms, row.GetOptionalInt(21));
  BEIAN_ASSIGN_OR_RETURN(r.subject_sn, row.GetOptionalText(22));
  BEIAN_ASSIGN_OR_RETURN(r.approval_json, row.GetOptionalText(23));
  BEIAN_ASSIGN_OR_RETURN(r.version, row.GetInt(24));
  BEIAN_ASSIGN_OR_RETURN(r.updated_at_ms, row.GetInt(25));
  BEIAN_ASSIGN_OR_RETURN(r.provider_name, row.GetText(26));
  BEIAN_ASSIGN_OR_RETURN(r.claimed_by_name, row.GetText(27));
  return r;
}

Status SubmissionRepo::Insert(const SubmissionRecord& r) {
  BEIAN_TRY(tx_.Exec(kInsert, {r.id,
                               r.provider_id,
                               r.provider_submission_id,
                               r.application_id,
                               r.state,
                               r.filing_type,
                               r.province,
                               r.organizer_type,
                               r.organizer_name,
                               r.certificate_type,
                               r.certificate_hash,
                               r.payload_sealed,
                               r.domains_json,
                               r.beian_sn,
                               r.sms_deadline_ms,
                               r.received_at_ms,
                               r.review_started_at_ms,
                               r.review_deadline_ms,
                               r.decided_at_ms,
                               r.decided_by,
                               r.claimed_by,
                               r.claim_until_ms,
                               r.subject_sn,
                               r.approval_json,
                               r.version,
                               r.updated_at_ms}));
  return core::Ok();
}

Result<std::optional<SubmissionRecord>> SubmissionRepo::Find(std::string_view id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kById, {id}));
  if (!row) return std::optional<SubmissionRecord>();
  BEIAN_ASSIGN_OR_RETURN(SubmissionRecord r, FromRow(*row));
  return std::optional<SubmissionRecord>(std::move(r));
}

Result<std::optional<SubmissionRecord>> SubmissionRepo::FindByProvider(
    std::string_view provider_id, std::string_view provider_submission_id) {
  BEIAN_ASSIGN_OR_RETURN(auto row,
                         tx_.QueryOne(kByProvider, {provider_id, provider_submission_id}));
  if (!row) return std::optional<SubmissionRecord>();
  BEIAN_ASSIGN_OR_RETURN(SubmissionRecord r, FromRow(*row));
  return std::optional<SubmissionRecord>(std::move(r));
}

Result<bool> SubmissionRepo::Update(const SubmissionRecord& r, int64_t expected_version) {
  BEIAN_ASSIGN_OR_RETURN(
      int64_t n,
      tx_.Exec(kUpdate, {r.id, expected_version, r.state, r.review_started_at_ms,
                         r.review_deadline_ms, r.decided_at_ms, r.decided_by, r.claimed_by,
                         r.claim_until_ms, r.subject_sn, r.approval_json, r.updated_at_ms}));
  return n == 1;
}

Result<bool> SubmissionRepo::Claim(std::string_view id, std::string_view reviewer_id,
                                   int64_t now_ms, int64_t until_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kClaim, {id, reviewer_id, now_ms, until_ms}));
  return n == 1;
}

Result<SubmissionPage> SubmissionRepo::List(const SubmissionQueueFilter& filter, int limit,
                                            std::string_view cursor) {
  if (limit < 1 || limit > 100) return Invalid("limit", "limit must be between 1 and 100");
  if (filter.states.empty() || filter.states.size() > 3) {
    return Invalid("state", "one to three states");
  }
  int64_t after_ms = -1;
  std::string after_id;
  BEIAN_TRY(ParseCursor(cursor, &after_ms, &after_id));
  std::string states[3];
  for (size_t i = 0; i < 3; ++i) {
    states[i] = i < filter.states.size() ? filter.states[i] : filter.states[0];
  }
  const int64_t fetch = int64_t{limit} + 1;  // one more tells whether a next page exists
  BEIAN_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query(kList, {fetch, states[0], states[1], states[2], filter.province,
                        int64_t{filter.overdue_only ? 1 : 0}, filter.now_ms, after_ms, after_id}));
  SubmissionPage page;
  for (const Row& row : rows) {
    if (page.items.size() == static_cast<size_t>(limit)) {
      const SubmissionRecord& last = page.items.back();
      page.next_cursor = std::to_string(last.received_at_ms) + "." + last.id;
      break;
    }
    BEIAN_ASSIGN_OR_RETURN(SubmissionRecord r, FromRow(row));
    page.items.push_back(std::move(r));
  }
  return page;
}

Result<std::vector<std::string>> SubmissionRepo::SmsOverdue(int64_t now_ms, int limit) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kSmsOverdue, {now_ms, int64_t{limit}}));
  std::vector<std::string> ids;
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(std::string id, row.GetText(0));
    ids.push_back(std::move(id));
  }
  return ids;
}

Status SubmissionRepo::InsertDocument(const SubmissionDocument& d) {
  BEIAN_TRY(tx_.Exec(kInsertDocument, {d.submission_id, d.doc_id, d.kind, d.subject, d.filename,
                                       d.content_type, d.size, d.sha256, d.blob_key}));
  return core::Ok();
}

Result<std::vector<SubmissionDocument>> SubmissionRepo::Documents(std::string_view submission_id) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kDocuments, {submission_id}));
  std::vector<SubmissionDocument> out;
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(SubmissionDocument d, DocumentFromRow(row));
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::optional<SubmissionDocument>> SubmissionRepo::FindDocument(
    std::string_view submission_id, std::string_view doc_id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kFindDocument, {submission_id, doc_id}));
  if (!row) return std::optional<SubmissionDocument>();
  BEIAN_ASSIGN_OR_RETURN(SubmissionDocument d, DocumentFromRow(*row));
  return std::optional<SubmissionDocument>(std::move(d));
}

Status SubmissionRepo::AppendEvent(const SubmissionEvent& e) {
  BEIAN_TRY(tx_.Exec(kAppendEvent, {e.submission_id, e.from_state, e.to_state, e.event, e.actor,
                                    e.reasons_json, e.at_ms}));
  return core::Ok();
}

Result<std::vector<SubmissionEvent>> SubmissionRepo::Events(std::string_view submission_id) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kEvents, {submission_id}));
  std::vector<SubmissionEvent> out;
  for (const Row& row : rows) {
    SubmissionEvent e;
    BEIAN_ASSIGN_OR_RETURN(e.seq, row.GetInt(0));
    BEIAN_ASSIGN_OR_RETURN(e.submission_id, row.GetText(1));
    BEIAN_ASSIGN_OR_RETURN(e.from_state, row.GetText(2));
    BEIAN_ASSIGN_OR_RETURN(e.to_state, row.GetText(3));
    BEIAN_ASSIGN_OR_RETURN(e.event, row.GetText(4));
    BEIAN_ASSIGN_OR_RETURN(e.actor, row.GetText(5));
    BEIAN_ASSIGN_OR_RETURN(e.reasons_json, row.GetText(6));
    BEIAN_ASSIGN_OR_RETURN(e.at_ms, row.GetInt(7));
    out.push_back(std::move(e));
  }
  return out;
}

Status SubmissionRepo::InsertOpenKey(std::string_view key, std::string_view submission_id) {
  BEIAN_TRY(tx_.Exec(kInsertOpenKey, {key, submission_id}));
  return core::Ok();
}

Result<std::optional<OpenKeyHolder>> SubmissionRepo::OpenKeyHolderOf(std::string_view key) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kOpenKeyHolder, {key}));
  if (!row) return std::optional<OpenKeyHolder>();
  OpenKeyHolder h;
  BEIAN_ASSIGN_OR_RETURN(h.submission_id, row->GetText(0));
  BEIAN_ASSIGN_OR_RETURN(h.provider_id, row->GetText(1));
  return std::optional<OpenKeyHolder>(std::move(h));
}

Status SubmissionRepo::ReleaseOpenKeys(std::string_view submission_id) {
  BEIAN_TRY(tx_.Exec(kReleaseOpenKeys, {submission_id}));
  return core::Ok();
}

Result<std::vector<SmsCodeRow>> SubmissionRepo::SmsCodes(std::string_view submission_id) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kSmsCodes, {submission_id}));
  std::vector<SmsCodeRow> out;
  for (const Row& row : rows) {
    SmsCodeRow c;
    BEIAN_ASSIGN_OR_RETURN(c.submission_id, row.GetText(0));
    BEIAN_ASSIGN_OR_RETURN(c.person, row.GetText(1));
    BEIAN_ASSIGN_OR_RETURN(c.mobile_hash, row.GetText(2));
    BEIAN_ASSIGN_OR_RETURN(c.mobile_sealed, row.GetText(3));
    BEIAN_ASSIGN_OR_RETURN(c.id_last6_hash, row.GetText(4));
    BEIAN_ASSIGN_OR_RETURN(c.code_hash, row.GetText(5));
    BEIAN_ASSIGN_OR_RETURN(c.attempts_wrong, row.GetInt(6));
    BEIAN_ASSIGN_OR_RETURN(c.resends, row.GetInt(7));
    BEIAN_ASSIGN_OR_RETURN(c.sent_at_ms, row.GetInt(8));
    BEIAN_ASSIGN_OR_RETURN(c.expires_at_ms, row.GetInt(9));
    BEIAN_ASSIGN_OR_RETURN(c.verified_at_ms, row.GetOptionalInt(10));
    out.push_back(std::move(c));
  }
  return out;
}

Result<bool> ProviderEventRepo::Enqueue(const ProviderEvent& e) {
  BEIAN_ASSIGN_OR_RETURN(
      int64_t n, tx_.Exec(kEnqueueEvent, {e.event_id, e.provider_id, e.submission_id, e.type,
                                          e.body, e.created_at_ms}));
  return n == 1;
}

Result<std::vector<ProviderEvent>> ProviderEventRepo::Claim(std::string_view owner, int64_t now_ms,
                                                            int64_t lease_until_ms, int limit) {
  BEIAN_ASSIGN_OR_RETURN(auto rows,
                         tx_.Query(kClaimEvents, {owner, lease_until_ms, now_ms, int64_t{limit}}));
  std::vector<ProviderEvent> out;
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(ProviderEvent e, EventFromRow(row));
    out.push_back(std::move(e));
  }
  return out;
}

Result<bool> ProviderEventRepo::MarkDelivered(std::string_view event_id, std::string_view owner,
                                              int64_t now_ms, std::string_view note) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kMarkDelivered, {event_id, owner, now_ms, note}));
  return n == 1;
}

Result<bool> ProviderEventRepo::MarkRetry(std::string_view event_id, std::string_view owner,
                                          int64_t next_attempt_at_ms, std::string_view error) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n,
                         tx_.Exec(kMarkRetry, {event_id, owner, next_attempt_at_ms, error}));
  return n == 1;
}

Result<bool> ProviderEventRepo::Release(std::string_view event_id, std::string_view owner) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kReleaseEvent, {event_id, owner}));
  return n == 1;
}

Result<std::optional<ProviderEvent>> ProviderEventRepo::Find(std::string_view event_id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kFindEvent, {event_id}));
  if (!row) return std::optional<ProviderEvent>();
  BEIAN_ASSIGN_OR_RETURN(ProviderEvent e, EventFromRow(*row));
  return std::optional<ProviderEvent>(std::move(e));
}

Result<std::vector<ProviderEvent>> ProviderEventRepo::ForSubmission(
    std::string_view submission_id) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kEventsForSubmission, {submission_id}));
  std::vector<ProviderEvent> out;
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(ProviderEvent e, EventFromRow(row));
    out.push_back(std::move(e));
  }
  return out;
}

Result<ProviderEventStats> ProviderEventRepo::Stats() {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kEventStats, {}));
  ProviderEventStats s;
  if (!row) return s;
  BEIAN_ASSIGN_OR_RETURN(s.pending, row->GetInt(0));
  BEIAN_ASSIGN_OR_RETURN(s.oldest_pending_created_at_ms, row->GetOptionalInt(1));
  return s;
}

}  // namespace beian::store
