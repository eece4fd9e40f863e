// ReviewClaimRepo, BackdropRepo, RejectionRepo, ReviewQueueRepo and AuditRepo: named statements
// for the tables of migration 0005 (see review.h).
#include "store/review.h"

#include <charconv>

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

// Insert, or take the row over when it is this reviewer's or expired ($3 = now). RETURNING
// yields a row only when the claim is now the reviewer's.
constexpr Statement kTakeClaim{
    "review_claims.take",
    "INSERT INTO review_claims (application_id, reviewer_id, claimed_at, expires_at)"
    " VALUES ($1, $2, $3, $4) ON CONFLICT (application_id) DO UPDATE SET"
    " reviewer_id = excluded.reviewer_id, claimed_at = excluded.claimed_at,"
    " expires_at = excluded.expires_at"
    " WHERE review_claims.reviewer_id = excluded.reviewer_id"
    " OR review_claims.expires_at <= excluded.claimed_at"
    " RETURNING application_id"};
constexpr Statement kFindClaim{
    "review_claims.find",
    "SELECT c.application_id, c.reviewer_id, COALESCE(u.display_name, ''), c.claimed_at,"
    " c.expires_at FROM review_claims c LEFT JOIN users u ON u.id = c.reviewer_id"
    " WHERE c.application_id = $1"};
constexpr Statement kReleaseClaim{
    "review_claims.release",
    "DELETE FROM review_claims WHERE application_id = $1 AND reviewer_id = $2"};
constexpr Statement kClearClaim{"review_claims.clear",
                                "DELETE FROM review_claims WHERE application_id = $1"};

#define BEIAN_BACKDROP_COLUMNS                                                           \
  "b.application_id, b.recipient, b.mobile, b.mobile_masked, b.address, b.requested_at," \
  " b.carrier, b.tracking_number, b.shipped_at, a.organizer_name"

constexpr Statement kUpsertBackdrop{
    "backdrop_requests.upsert",
    "INSERT INTO backdrop_requests (application_id, recipient, mobile, mobile_masked, address,"
    " requested_at, carrier, tracking_number, shipped_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, NULL) ON CONFLICT (application_id) DO UPDATE"
    " SET recipient = excluded.recipient, mobile = excluded.mobile,"
    " mobile_masked = excluded.mobile_masked, address = excluded.address,"
    " requested_at = excluded.requested_at, carrier = NULL, tracking_number = NULL,"
    " shipped_at = NULL"};
constexpr Statement kFindBackdrop{"backdrop_requests.find",
                                  "SELECT " BEIAN_BACKDROP_COLUMNS
                                  " FROM backdrop_requests b JOIN applications a"
                                  " ON a.id = b.application_id WHERE b.application_id = $1"};
constexpr Statement kShipBackdrop{
    "backdrop_requests.ship",
    "UPDATE backdrop_requests SET carrier = $2, tracking_number = $3, shipped_at = $4"
    " WHERE application_id = $1"};
// $2: 1 = shipped, 0 = waiting; $3/$4: the cursor (requested_at, id), -1 for the first page.
constexpr Statement kListBackdrops{
    "backdrop_requests.list",
    "SELECT " BEIAN_BACKDROP_COLUMNS
    " FROM backdrop_requests b JOIN applications a ON a.id = b.application_id"
    " WHERE ((CAST($2 AS BIGINT) = 1 AND b.shipped_at IS NOT NULL)"
    " OR (CAST($2 AS BIGINT) = 0 AND b.shipped_at IS NULL AND a.state = 'backdrop_requested'))"
    " AND (CAST($3 AS BIGINT) < 0 OR b.requested_at > $3"
    " OR (b.requested_at = $3 AND b.application_id > $4))"
    " ORDER BY b.requested_at, b.application_id LIMIT $1"};

constexpr Statement kInsertRejection{
    "application_rejections.insert",
    "INSERT INTO application_rejections (application_id, event_seq, event, reasons, body,"
    " documents, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr Statement kLatestRejection{
    "application_rejections.latest",
    "SELECT application_id, event_seq, event, reasons, body, documents, created_at"
    " FROM application_rejections WHERE application_id = $1 ORDER BY event_seq DESC LIMIT 1"};

constexpr Statement kFacts{
    "review.facts",
    "SELECT (SELECT MIN(created_at) FROM application_events WHERE application_id = $1"
    " AND to_state = 'preliminary_review'),"
    " (SELECT COALESCE(MAX(seq), 0) FROM application_events WHERE application_id = $1"
    " AND event IN ('approve', 'accept_photo', 'authority_approve'))"};

// $2 state, $3 province, $4 organizer type, $5 overdue only (0/1), $6 now, $7/$8 the cursor
// (state_entered_at, id; -1 for the first page). A resubmission is an application rejected
// before at this stage: a rejected photo for the photo review, any other rejection otherwise.
constexpr Statement kQueue{
    "review.queue",
    "SELECT a.id, a.owner_id, a.state, a.version, a.filing_type, a.province, a.organizer_type,"
    " a.organizer_name, a.certificate_hash, a.body, a.created_at, a.updated_at,"
    " a.state_entered_at, a.sla_deadline,"
    " c.reviewer_id, COALESCE(u.display_name, ''), c.claimed_at, c.expires_at,"
    " (SELECT MIN(e.created_at) FROM application_events e WHERE e.application_id = a.id"
    " AND e.to_state = 'preliminary_review'),"
    " (SELECT COUNT(*) FROM application_rejections r WHERE r.application_id = a.id"
    " AND ((a.state = 'photo_uploaded') = (r.event = 'reject_photo')))"
    " FROM applications a"
    " LEFT JOIN review_claims c ON c.application_id = a.id AND c.expires_at > $6"
    " LEFT JOIN users u ON u.id = c.reviewer_id"
    " WHERE a.state = $2 AND (CAST($3 AS TEXT) = '' OR a.province = $3)"
    " AND (CAST($4 AS TEXT) = '' OR a.organizer_type = $4)"
    " AND (CAST($5 AS BIGINT) = 0 OR (a.sla_deadline IS NOT NULL AND a.sla_deadline < $6))"
    " AND (CAST($7 AS BIGINT) < 0 OR a.state_entered_at > $7"
    " OR (a.state_entered_at = $7 AND a.id > $8))"
    " ORDER BY a.state_entered_at, a.id LIMIT $1"};

constexpr Statement kLastAudit{"audit_log.last",
                               "SELECT seq, at, actor_id, action, application_id, detail,"
                               " prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1"};
constexpr Statement kInsertAudit{
    "audit_log.insert",
    "INSERT INTO audit_log (seq, at, actor_id, action, application_id, detail, prev_hash, hash)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
constexpr Statement kAuditAfter{"audit_log.after",
                                "SELECT seq, at, actor_id, action, application_id, detail,"
                                " prev_hash, hash FROM audit_log WHERE seq > $1"
                                " ORDER BY seq LIMIT $2"};

#undef BEIAN_BACKDROP_COLUMNS

Error Invalid(std::string field, std::string message) {
  return Error(ErrorCode::kValidationFailed, message, {{std::move(field), "invalid", message}});
}

// Cursor "<ms>.<id>": the sort key of the last item of the previous page.
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

Status CheckLimit(int limit) {
  if (limit < 1 || limit > 100) return Invalid("limit", "limit must be between 1 and 100");
  return core::Ok();
}

Result<BackdropRow> BackdropFromRow(const Row& row) {
  BackdropRow b;
  BEIAN_ASSIGN_OR_RETURN(b.application_id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(b.recipient, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(b.mobile_sealed, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(b.mobile_masked, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(b.address, row.GetText(4));
  BEIAN_ASSIGN_OR_RETURN(b.requested_at_ms, row.GetInt(5));
  BEIAN_ASSIGN_OR_RETURN(b.carrier, row.GetOptionalText(6));
  BEIAN_ASSIGN_OR_RETURN(b.tracking_number, row.GetOptionalText(7));
  BEIAN_ASSIGN_OR_RETURN(b.shipped_at_ms, row.GetOptionalInt(8));
  BEIAN_ASSIGN_OR_RETURN(b.organizer_name, row.GetText(9));
  return b;
}

Result<AuditRow> AuditFromRow(const Row& row) {
  AuditRow a;
  BEIAN_ASSIGN_OR_RETURN(a.seq, row.GetInt(0));
  BEIAN_ASSIGN_OR_RETURN(a.at_ms, row.GetInt(1));
  BEIAN_ASSIGN_OR_RETURN(a.actor_id, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(a.action, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(a.application_id, row.GetText(4));
  BEIAN_ASSIGN_OR_RETURN(a.detail, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(a.prev_hash, row.GetText(6));
  BEIAN_ASSIGN_OR_RETURN(a.hash, row.GetText(7));
  return a;
}

}  // namespace

Result<bool> ReviewClaimRepo::Take(std::string_view application_id, std::string_view reviewer_id,
                                   int64_t now_ms, int64_t expires_at_ms) {
  BEIAN_ASSIGN_OR_RETURN(
      auto row, tx_.QueryOne(kTakeClaim, {application_id, reviewer_id, now_ms, expires_at_ms}));
  return row.has_value();
}

Result<std::optional<ClaimRow>> ReviewClaimRepo::Find(std::string_view application_id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kFindClaim, {application_id}));
  if (!row) return std::optional<ClaimRow>();
  ClaimRow c;
  BEIAN_ASSIGN_OR_RETURN(c.application_id, row->GetText(0));
  BEIAN_ASSIGN_OR_RETURN(c.reviewer_id, row->GetText(1));
  BEIAN_ASSIGN_OR_RETURN(c.reviewer_name, row->GetText(2));
  BEIAN_ASSIGN_OR_RETURN(c.claimed_at_ms, row->GetInt(3));
  BEIAN_ASSIGN_OR_RETURN(c.expires_at_ms, row->GetInt(4));
  return std::optional<ClaimRow>(std::move(c));
}

Result<bool> ReviewClaimRepo::Release(std::string_view application_id,
                                      std::string_view reviewer_id) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kReleaseClaim, {application_id, reviewer_id}));
  return n > 0;
}

Status ReviewClaimRepo::Clear(std::string_view application_id) {
  BEIAN_TRY(tx_.Exec(kClearClaim, {application_id}));
  return core::Ok();
}

Status BackdropRepo::Upsert(const BackdropRow& b) {
  BEIAN_TRY(tx_.Exec(kUpsertBackdrop, {b.application_id, b.recipient, b.mobile_sealed,
                                       b.mobile_masked, b.address, b.requested_at_ms}));
  return core::Ok();
}

Result<std::optional<BackdropRow>> BackdropRepo::Find(std::string_view application_id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kFindBackdrop, {application_id}));
  if (!row) return std::optional<BackdropRow>();
  BEIAN_ASSIGN_OR_RETURN(BackdropRow b, BackdropFromRow(*row));
  return std::optional<BackdropRow>(std::move(b));
}

Result<bool> BackdropRepo::MarkShipped(std::string_view application_id, std::string_view carrier,
                                       std::string_view tracking_number, int64_t shipped_at_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kShipBackdrop, {application_id, carrier,
                                                             tracking_number, shipped_at_ms}));
  return n == 1;
}

Result<BackdropPage> BackdropRepo::List(bool shipped, int limit, std::string_view cursor) {
  BEIAN_TRY(CheckLimit(limit));
  int64_t after_ms = -1;
  std::string after_id;
  BEIAN_TRY(ParseCursor(cursor, &after_ms, &after_id));
  BEIAN_ASSIGN_OR_RETURN(
      auto rows, tx_.Query(kListBackdrops,
                           {int64_t{limit} + 1, int64_t{shipped ? 1 : 0}, after_ms, after_id}));
  BackdropPage page;
  for (const Row& row : rows) {
    if (page.items.size() == static_cast<size_t>(limit)) {
      const BackdropRow& last = page.items.back();
      page.next_cursor = std::to_string(last.requested_at_ms) + "." + last.application_id;
      break;
    }
    BEIAN_ASSIGN_OR_RETURN(BackdropRow b, BackdropFromRow(row));
    page.items.push_back(std::move(b));
  }
  return page;
}

Status RejectionRepo::Insert(const RejectionRow& r) {
  BEIAN_TRY(tx_.Exec(kInsertRejection, {r.application_id, r.event_seq, r.event, r.reasons_json,
                                        r.body, r.documents_json, r.created_at_ms}));
  return core::Ok();
}

Result<std::optional<RejectionRow>> RejectionRepo::Latest(std::string_view application_id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kLatestRejection, {application_id}));
  if (!row) return std::optional<RejectionRow>();
  RejectionRow r;
  BEIAN_ASSIGN_OR_RETURN(r.application_id, row->GetText(0));
  BEIAN_ASSIGN_OR_RETURN(r.event_seq, row->GetInt(1));
  BEIAN_ASSIGN_OR_RETURN(r.event, row->GetText(2));
  BEIAN_ASSIGN_OR_RETURN(r.reasons_json, row->GetText(3));
  BEIAN_ASSIGN_OR_RETURN(r.body, row->GetText(4));
  BEIAN_ASSIGN_OR_RETURN(r.documents_json, row->GetText(5));
  BEIAN_ASSIGN_OR_RETURN(r.created_at_ms, row->GetInt(6));
  return std::optional<RejectionRow>(std::move(r));
}

Result<QueuePage> ReviewQueueRepo::List(const QueueFilter& f, int limit, std::string_view cursor) {
  BEIAN_TRY(CheckLimit(limit));
  int64_t after_ms = -1;
  std::string after_id;
  BEIAN_TRY(ParseCursor(cursor, &after_ms, &after_id));
  BEIAN_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query(kQueue, {int64_t{limit} + 1, f.state, f.province, f.organizer_type,
                         int64_t{f.overdue_only ? 1 : 0}, f.now_ms, after_ms, after_id}));
  QueuePage page;
  for (const Row& row : rows) {
    if (page.items.size() == static_cast<size_t>(limit)) {
      const ApplicationRecord& last = page.items.back().application;
      page.next_cursor = std::to_string(last.state_entered_at_ms) + "." + last.id;
      break;
    }
    QueueItem item;
    BEIAN_ASSIGN_OR_RETURN(item.application, ApplicationRepo::FromRow(row, 0));
    if (!row.IsNull(14)) {
      ClaimRow c;
      c.application_id = item.application.id;
      BEIAN_ASSIGN_OR_RETURN(c.reviewer_id, row.GetText(14));
      BEIAN_ASSIGN_OR_RETURN(c.reviewer_name, row.GetText(15));
      BEIAN_ASSIGN_OR_RETURN(c.claimed_at_ms, row.GetInt(16));
      BEIAN_ASSIGN_OR_RETURN(c.expires_at_ms, row.GetInt(17));
      item.claim = std::move(c);
    }
    BEIAN_ASSIGN_OR_RETURN(item.submitted_at_ms, row.GetOptionalInt(18));
    BEIAN_ASSIGN_OR_RETURN(int64_t rejections, row.GetInt(19));
    item.resubmission = rejections > 0;
    page.items.push_back(std::move(item));
  }
  return page;
}

Result<ReviewFacts> ReviewQueueRepo::Facts(std::string_view application_id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kFacts, {application_id}));
  ReviewFacts facts;
  if (!row) return facts;
  BEIAN_ASSIGN_OR_RETURN(facts.submitted_at_ms, row->GetOptionalInt(0));
  BEIAN_ASSIGN_OR_RETURN(facts.last_acceptance_seq, row->GetInt(1));
  return facts;
}

Result<std::optional<AuditRow>> AuditRepo::Last() {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kLastAudit));
  if (!row) return std::optional<AuditRow>();
  BEIAN_ASSIGN_OR_RETURN(AuditRow a, AuditFromRow(*row));
  return std::optional<AuditRow>(std::move(a));
}

Status AuditRepo::Insert(const AuditRow& a) {
  auto r = tx_.Exec(kInsertAudit, {a.seq, a.at_ms, a.actor_id, a.action, a.application_id, a.detail,
                                   a.prev_hash, a.hash});
  if (!r) {
    if (ViolatedConstraint(r.error()) == "audit_log.seq") {
      return Error(ErrorCode::kSerializationFailure,
                   "another audit row took seq " + std::to_string(a.seq) + "; retrying");
    }
    return std::move(r).error();
  }
  return core::Ok();
}

Result<std::vector<AuditRow>> AuditRepo::After(int64_t after_seq, int limit) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kAuditAfter, {after_seq, int64_t{limit}}));
  std::vector<AuditRow> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(AuditRow a, AuditFromRow(row));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace beian::store
