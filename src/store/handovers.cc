// HandoverRepo, AuthorityEventRepo and AuthorityNonceRepo: named statements for migration 0009.
#include "store/handovers.h"

#include <algorithm>

namespace beian::store {
namespace {

using core::Result;

#define BEIAN_HANDOVER_COLUMNS                                                      \
  "submission_id, application_id, state, attempts, next_attempt_at, lease_owner, "  \
  "lease_until, last_error, authority_submission_id, authority_state, created_at, " \
  "updated_at, delivered_at"

constexpr Statement kCount{"authority_handovers.count",
                           "SELECT CAST(COUNT(*) AS BIGINT) FROM authority_handovers"
                           " WHERE application_id = $1"};
constexpr Statement kInsert{
    "authority_handovers.insert",
    "INSERT INTO authority_handovers (submission_id, application_id, state, attempts,"
    " next_attempt_at, created_at, updated_at) VALUES ($1, $2, 'pending', 0, $3, $3, $3)"
    " RETURNING " BEIAN_HANDOVER_COLUMNS};

#define BEIAN_DUE_HANDOVERS                                                    \
  "SELECT submission_id FROM authority_handovers WHERE (state = 'pending' AND" \
  " next_attempt_at <= $3) OR (state = 'sending' AND lease_until <= $3)"       \
  " ORDER BY next_attempt_at, submission_id LIMIT $4"

constexpr Statement kClaim{
    "authority_handovers.claim",
    "UPDATE authority_handovers SET state = 'sending', lease_owner = $1, lease_until = $2,"
    " attempts = attempts + 1, updated_at = $3 WHERE submission_id IN (" BEIAN_DUE_HANDOVERS
    ") RETURNING " BEIAN_HANDOVER_COLUMNS,
    "UPDATE authority_handovers SET state = 'sending', lease_owner = $1, lease_until = $2,"
    " attempts = attempts + 1, updated_at = $3 WHERE submission_id IN (" BEIAN_DUE_HANDOVERS
    " FOR UPDATE SKIP LOCKED) RETURNING " BEIAN_HANDOVER_COLUMNS};

#undef BEIAN_DUE_HANDOVERS

constexpr Statement kDelivered{
    "authority_handovers.delivered",
    "UPDATE authority_handovers SET state = 'delivered', lease_owner = NULL, lease_until = NULL,"
    " updated_at = $3, delivered_at = $3, authority_submission_id = $4, authority_state = $5,"
    " last_error = '' WHERE submission_id = $1 AND lease_owner = $2 AND state = 'sending'"};
constexpr Statement kRefused{
    "authority_handovers.refused",
    "UPDATE authority_handovers SET state = 'refused', lease_owner = NULL, lease_until = NULL,"
    " updated_at = $3, last_error = $4, authority_state = 'refused'"
    " WHERE submission_id = $1 AND lease_owner = $2 AND state = 'sending'"};
constexpr Statement kRetry{
    "authority_handovers.retry",
    "UPDATE authority_handovers SET state = 'pending', lease_owner = NULL, lease_until = NULL,"
    " updated_at = $3, next_attempt_at = $4, last_error = $5"
    " WHERE submission_id = $1 AND lease_owner = $2 AND state = 'sending'"};
constexpr Statement kRelease{
    "authority_handovers.release",
    "UPDATE authority_handovers SET state = 'pending', lease_owner = NULL, lease_until = NULL,"
    " updated_at = $3, next_attempt_at = $3, attempts = attempts - 1"
    " WHERE submission_id = $1 AND lease_owner = $2 AND state = 'sending'"};
constexpr Statement kSetAuthorityState{
    "authority_handovers.set_authority_state",
    "UPDATE authority_handovers SET authority_state = $2, updated_at = $3"
    " WHERE submission_id = $1"};
constexpr Statement kFind{"authority_handovers.find",
                          "SELECT " BEIAN_HANDOVER_COLUMNS
                          " FROM authority_handovers WHERE submission_id = $1"};
constexpr Statement kLatest{"authority_handovers.latest",
                            "SELECT " BEIAN_HANDOVER_COLUMNS
                            " FROM authority_handovers WHERE application_id = $1"
                            " ORDER BY created_at DESC, submission_id DESC LIMIT 1"};
constexpr Statement kBacklog{
    "authority_handovers.backlog",
    "SELECT CAST(COUNT(*) AS BIGINT), MIN(created_at) FROM authority_handovers"
    " WHERE state IN ('pending', 'sending')"};

#undef BEIAN_HANDOVER_COLUMNS

constexpr Statement kEventInsert{
    "authority_events.insert",
    "INSERT INTO authority_events (event_id, submission_id, application_id, type, body,"
    " received_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING"};

constexpr Statement kNonceRemember{
    "authority_nonces.remember",
    "INSERT INTO authority_nonces (provider_id, nonce, expires_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (provider_id, nonce) DO NOTHING"};
constexpr Statement kNoncePurge{"authority_nonces.purge",
                                "DELETE FROM authority_nonces WHERE expires_at < $1"};

Result<Handover> FromRow(const Row& row) {
  Handover h;
  BEIAN_ASSIGN_OR_RETURN(h.submission_id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(h.application_id, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(h.state, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(h.attempts, row.GetInt(3));
  BEIAN_ASSIGN_OR_RETURN(h.next_attempt_at_ms, row.GetInt(4));
  BEIAN_ASSIGN_OR_RETURN(h.lease_owner, row.GetOptionalText(5));
  BEIAN_ASSIGN_OR_RETURN(h.lease_until_ms, row.GetOptionalInt(6));
  BEIAN_ASSIGN_OR_RETURN(h.last_error, row.GetText(7));
  BEIAN_ASSIGN_OR_RETURN(h.authority_submission_id, row.GetOptionalText(8));
  BEIAN_ASSIGN_OR_RETURN(h.authority_state, row.GetText(9));
  BEIAN_ASSIGN_OR_RETURN(h.created_at_ms, row.GetInt(10));
  BEIAN_ASSIGN_OR_RETURN(h.updated_at_ms, row.GetInt(11));
  BEIAN_ASSIGN_OR_RETURN(h.delivered_at_ms, row.GetOptionalInt(12));
  return h;
}

Result<std::optional<Handover>> OneOrNone(Result<std::optional<Row>> row) {
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<Handover>();
  BEIAN_ASSIGN_OR_RETURN(Handover h, FromRow(**row));
  return std::optional<Handover>(std::move(h));
}

}  // namespace

Result<Handover> HandoverRepo::Enqueue(std::string_view application_id, int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(auto count, tx_.QueryOne(kCount, {application_id}));
  int64_t earlier = 0;
  if (count) {
    BEIAN_ASSIGN_OR_RETURN(earlier, count->GetInt(0));
  }
  const std::string submission_id = std::string(application_id) + "." + std::to_string(earlier + 1);
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kInsert, {submission_id, application_id, now_ms}));
  if (!row) return core::Error(core::ErrorCode::kDatabase, "the hand-over insert returned no row");
  return FromRow(*row);
}

Result<std::vector<Handover>> HandoverRepo::Claim(std::string_view owner, int64_t now_ms,
                                                  int64_t lease_ms, int limit) {
  BEIAN_ASSIGN_OR_RETURN(auto rows,
                         tx_.Query(kClaim, {owner, now_ms + lease_ms, now_ms, int64_t{limit}}));
  std::vector<Handover> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(Handover h, FromRow(row));
    out.push_back(std::move(h));
  }
  std::sort(out.begin(), out.end(), [](const Handover& a, const Handover& b) {
    return a.created_at_ms != b.created_at_ms ? a.created_at_ms < b.created_at_ms
                                              : a.submission_id < b.submission_id;
  });
  return out;
}

Result<bool> HandoverRepo::MarkDelivered(std::string_view submission_id, std::string_view owner,
                                         int64_t now_ms, std::string_view authority_submission_id,
                                         std::string_view authority_state) {
  BEIAN_ASSIGN_OR_RETURN(
      int64_t n, tx_.Exec(kDelivered, {submission_id, owner, now_ms, authority_submission_id,
                                       authority_state}));
  return n == 1;
}

Result<bool> HandoverRepo::MarkRefused(std::string_view submission_id, std::string_view owner,
                                       int64_t now_ms, std::string_view error) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kRefused, {submission_id, owner, now_ms, error}));
  return n == 1;
}

Result<bool> HandoverRepo::MarkRetry(std::string_view submission_id, std::string_view owner,
                                     int64_t now_ms, int64_t next_attempt_at_ms,
                                     std::string_view error) {
  BEIAN_ASSIGN_OR_RETURN(
      int64_t n, tx_.Exec(kRetry, {submission_id, owner, now_ms, next_attempt_at_ms, error}));
  return n == 1;
}

Result<bool> HandoverRepo::Release(std::string_view submission_id, std::string_view owner,
                                   int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kRelease, {submission_id, owner, now_ms}));
  return n == 1;
}

core::Status HandoverRepo::SetAuthorityState(std::string_view submission_id,
                                             std::string_view authority_state, int64_t now_ms) {
  BEIAN_TRY(tx_.Exec(kSetAuthorityState, {submission_id, authority_state, now_ms}));
  return core::Ok();
}

Result<std::optional<Handover>> HandoverRepo::Find(std::string_view submission_id) {
  return OneOrNone(tx_.QueryOne(kFind, {submission_id}));
}

Result<std::optional<Handover>> HandoverRepo::Latest(std::string_view application_id) {
  return OneOrNone(tx_.QueryOne(kLatest, {application_id}));
}

Result<HandoverRepo::Backlog> HandoverRepo::OpenBacklog() {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kBacklog, {}));
  Backlog out;
  if (!row) return out;
  BEIAN_ASSIGN_OR_RETURN(out.open, row->GetInt(0));
  BEIAN_ASSIGN_OR_RETURN(out.oldest_created_at_ms, row->GetOptionalInt(1));
  return out;
}

Result<bool> AuthorityEventRepo::Insert(const AuthorityEventRow& r) {
  BEIAN_ASSIGN_OR_RETURN(
      int64_t n, tx_.Exec(kEventInsert, {r.event_id, r.submission_id, r.application_id, r.type,
                                         r.body, r.received_at_ms}));
  return n == 1;
}

Result<bool> AuthorityNonceRepo::Remember(std::string_view provider_id, std::string_view nonce,
                                          int64_t expires_at_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kNonceRemember, {provider_id, nonce, expires_at_ms}));
  return n == 1;
}

Result<int64_t> AuthorityNonceRepo::PurgeExpired(int64_t now_ms) {
  return tx_.Exec(kNoncePurge, {now_ms});
}

}  // namespace beian::store
