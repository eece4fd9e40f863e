// AccountTokenRepo: named statements for account_confirmations and account_tokens.
#include "store/account_tokens.h"

namespace beian::store {
namespace {

using core::Result;

#define BEIAN_TOKEN_COLUMNS \
  "token_hash, user_id, purpose, created_at, expires_at, used_at, attempts"

constexpr Statement kStart{"account_confirmations.insert",
                           "INSERT INTO account_confirmations (user_id) VALUES ($1)"};
constexpr Statement kGetConfirmation{
    "account_confirmations.get",
    "SELECT email_confirmed_at, mobile_confirmed_at FROM account_confirmations WHERE user_id = $1"};
constexpr Statement kConfirmEmail{"account_confirmations.email",
                                  "UPDATE account_confirmations SET email_confirmed_at = $2"
                                  " WHERE user_id = $1 AND email_confirmed_at IS NULL"};
constexpr Statement kConfirmMobile{"account_confirmations.mobile",
                                   "UPDATE account_confirmations SET mobile_confirmed_at = $2"
                                   " WHERE user_id = $1 AND mobile_confirmed_at IS NULL"};
constexpr Statement kVoidEarlier{"account_tokens.void_earlier",
                                 "UPDATE account_tokens SET used_at = $3"
                                 " WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL"};
constexpr Statement kInsert{"account_tokens.insert",
                            "INSERT INTO account_tokens (" BEIAN_TOKEN_COLUMNS
                            ") VALUES ($1, $2, $3, $4, $5, NULL, 0)"};
constexpr Statement kByHash{"account_tokens.by_hash", "SELECT " BEIAN_TOKEN_COLUMNS
                                                      " FROM account_tokens WHERE token_hash = $1"};
constexpr Statement kLatestUnused{"account_tokens.latest_unused",
                                  "SELECT " BEIAN_TOKEN_COLUMNS
                                  " FROM account_tokens WHERE user_id = $1 AND purpose = $2"
                                  " AND used_at IS NULL ORDER BY created_at DESC LIMIT 1"};
constexpr Statement kMarkUsed{
    "account_tokens.mark_used",
    "UPDATE account_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL"};
constexpr Statement kCountAttempt{"account_tokens.count_attempt",
                                  "UPDATE account_tokens SET attempts = attempts + 1"
                                  " WHERE token_hash = $1 RETURNING attempts"};
constexpr Statement kDeleteExpired{"account_tokens.delete_expired",
                                   "DELETE FROM account_tokens WHERE expires_at < $1"};

#undef BEIAN_TOKEN_COLUMNS

Result<AccountToken> FromRow(const Row& row) {
  AccountToken t;
  BEIAN_ASSIGN_OR_RETURN(t.token_hash, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(t.user_id, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(t.purpose, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(t.created_at_ms, row.GetInt(3));
  BEIAN_ASSIGN_OR_RETURN(t.expires_at_ms, row.GetInt(4));
  if (!row.IsNull(5)) {
    BEIAN_ASSIGN_OR_RETURN(int64_t used, row.GetInt(5));
    t.used_at_ms = used;
  }
  BEIAN_ASSIGN_OR_RETURN(t.attempts, row.GetInt(6));
  return t;
}

Result<std::optional<AccountToken>> OneToken(Result<std::optional<Row>> row) {
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<AccountToken>();
  BEIAN_ASSIGN_OR_RETURN(AccountToken t, FromRow(**row));
  return std::optional<AccountToken>(std::move(t));
}

}  // namespace

core::Status AccountTokenRepo::StartConfirmation(std::string_view user_id) {
  BEIAN_TRY(tx_.Exec(kStart, {user_id}));
  return core::Ok();
}

Result<Confirmation> AccountTokenRepo::GetConfirmation(std::string_view user_id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kGetConfirmation, {user_id}));
  if (!row) return Confirmation{};
  return Confirmation{.email_confirmed = !row->IsNull(0), .mobile_confirmed = !row->IsNull(1)};
}

core::Status AccountTokenRepo::ConfirmEmail(std::string_view user_id, int64_t now_ms) {
  BEIAN_TRY(tx_.Exec(kConfirmEmail, {user_id, now_ms}));
  return core::Ok();
}

core::Status AccountTokenRepo::ConfirmMobile(std::string_view user_id, int64_t now_ms) {
  BEIAN_TRY(tx_.Exec(kConfirmMobile, {user_id, now_ms}));
  return core::Ok();
}

core::Status AccountTokenRepo::Issue(const AccountToken& t) {
  BEIAN_TRY(tx_.Exec(kVoidEarlier, {t.user_id, t.purpose, t.created_at_ms}));
  BEIAN_TRY(
      tx_.Exec(kInsert, {t.token_hash, t.user_id, t.purpose, t.created_at_ms, t.expires_at_ms}));
  return core::Ok();
}

Result<std::optional<AccountToken>> AccountTokenRepo::FindByHash(std::string_view token_hash) {
  return OneToken(tx_.QueryOne(kByHash, {token_hash}));
}

Result<std::optional<AccountToken>> AccountTokenRepo::FindLatestUnused(std::string_view user_id,
                                                                       std::string_view purpose) {
  return OneToken(tx_.QueryOne(kLatestUnused, {user_id, purpose}));
}

Result<bool> AccountTokenRepo::MarkUsed(std::string_view token_hash, int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kMarkUsed, {token_hash, now_ms}));
  return n == 1;
}

Result<int64_t> AccountTokenRepo::CountAttempt(std::string_view token_hash) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kCountAttempt, {token_hash}));
  if (!row) return int64_t{0};
  return row->GetInt(0);
}

Result<int64_t> AccountTokenRepo::DeleteExpired(int64_t before_ms) {
  return tx_.Exec(kDeleteExpired, {before_ms});
}

}  // namespace beian::store
