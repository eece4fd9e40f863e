// SessionRepo: named statements for the sessions table.
#include "store/sessions.h"

#include "core/crypto.h"

namespace beian::store {
namespace {

using core::Result;

constexpr Statement kInsert{"sessions.insert",
                            "INSERT INTO sessions (id, token_hash, user_id, csrf_token, created_at,"
                            " expires_at, last_seen_at, client_address)"
                            " VALUES ($1, $2, $3, $4, $5, $6, $5, $7)"};
constexpr Statement kFindValid{
    "sessions.find_valid",
    "SELECT s.id, s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at,"
    " s.last_seen_at, s.client_address,"
    " u.id, u.email, u.phone, u.display_name, u.role, u.password_hash, u.locale, u.created_at"
    " FROM sessions s JOIN users u ON u.id = s.user_id"
    " WHERE s.token_hash = $1 AND s.expires_at > $2"};
constexpr Statement kDelete{"sessions.delete", "DELETE FROM sessions WHERE id = $1"};
constexpr Statement kDeleteForUser{"sessions.delete_for_user",
                                   "DELETE FROM sessions WHERE user_id = $1"};
constexpr Statement kDeleteOldestBeyond{
    "sessions.delete_oldest_beyond",
    "DELETE FROM sessions WHERE user_id = $1 AND id NOT IN"
    " (SELECT id FROM sessions WHERE user_id = $1"
    " ORDER BY created_at DESC, id DESC LIMIT CAST($2 AS BIGINT))"};
constexpr Statement kTouch{"sessions.touch",
                           "UPDATE sessions SET last_seen_at = $2"
                           " WHERE id = $1 AND last_seen_at < $2"};
constexpr Statement kDeleteExpired{"sessions.delete_expired",
                                   "DELETE FROM sessions WHERE expires_at <= $1"};

}  // namespace

Result<Session> SessionRepo::Create(const NewSession& n) {
  Session s{n.id.empty() ? core::RandomId() : n.id,
            n.token_hash,
            n.user_id,
            n.csrf_token,
            n.created_at_ms,
            n.expires_at_ms,
            n.created_at_ms,
            n.client_address};
  BEIAN_TRY(tx_.Exec(kInsert, {s.id, s.token_hash, s.user_id, s.csrf_token, s.created_at_ms,
                               s.expires_at_ms, s.client_address}));
  return s;
}

Result<std::optional<SessionWithUser>> SessionRepo::FindValidByTokenHash(
    std::string_view token_hash, int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kFindValid, {token_hash, now_ms}));
  if (!row) return std::optional<SessionWithUser>();
  SessionWithUser out;
  Session& s = out.session;
  BEIAN_ASSIGN_OR_RETURN(s.id, row->GetText(0));
  BEIAN_ASSIGN_OR_RETURN(s.token_hash, row->GetText(1));
  BEIAN_ASSIGN_OR_RETURN(s.user_id, row->GetText(2));
  BEIAN_ASSIGN_OR_RETURN(s.csrf_token, row->GetText(3));
  BEIAN_ASSIGN_OR_RETURN(s.created_at_ms, row->GetInt(4));
  BEIAN_ASSIGN_OR_RETURN(s.expires_at_ms, row->GetInt(5));
  BEIAN_ASSIGN_OR_RETURN(s.last_seen_at_ms, row->GetInt(6));
  BEIAN_ASSIGN_OR_RETURN(s.client_address, row->GetText(7));
  BEIAN_ASSIGN_OR_RETURN(out.user, UserRepo::FromRow(*row, 8));
  return std::optional<SessionWithUser>(std::move(out));
}

Result<bool> SessionRepo::Delete(std::string_view id) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kDelete, {id}));
  return n > 0;
}

Result<int64_t> SessionRepo::DeleteForUser(std::string_view user_id) {
  return tx_.Exec(kDeleteForUser, {user_id});
}

Result<int64_t> SessionRepo::DeleteOldestBeyond(std::string_view user_id, int64_t keep) {
  return tx_.Exec(kDeleteOldestBeyond, {user_id, keep});
}

Result<bool> SessionRepo::Touch(std::string_view id, int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kTouch, {id, now_ms}));
  return n > 0;
}

Result<int64_t> SessionRepo::DeleteExpired(int64_t now_ms) {
  return tx_.Exec(kDeleteExpired, {now_ms});
}

}  // namespace beian::store
