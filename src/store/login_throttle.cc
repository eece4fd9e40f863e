// LoginThrottleRepo: the login_throttle table, updated by one INSERT … ON CONFLICT statement.
#include "store/login_throttle.h"

namespace beian::store {
namespace {

using core::Result;

constexpr Statement kGet{"login_throttle.get",
                         "SELECT key, failures, window_start, locked_until"
                         " FROM login_throttle WHERE key = $1"};

// $1 key, $2 now, $3 max failures, $4 window, $5 lock duration. CASTs give PostgreSQL the
// parameter types that arithmetic alone would leave ambiguous. In SET, column names refer to
// the row before the update, hence the repeated "window expired" test.
#define BEIAN_EXPIRED "login_throttle.window_start + CAST($4 AS BIGINT) <= CAST($2 AS BIGINT)"
#define BEIAN_NEW_FAILURES "CASE WHEN " BEIAN_EXPIRED " THEN 1 ELSE login_throttle.failures + 1 END"
constexpr Statement kRecordFailure{
    "login_throttle.record_failure",
    "INSERT INTO login_throttle (key, failures, window_start, locked_until)"
    " VALUES ($1, 1, CAST($2 AS BIGINT),"
    "   CASE WHEN 1 >= CAST($3 AS BIGINT) THEN CAST($2 AS BIGINT) + CAST($5 AS BIGINT)"
    "   ELSE 0 END)"
    " ON CONFLICT (key) DO UPDATE SET"
    " failures = " BEIAN_NEW_FAILURES
    ","
    " window_start = CASE WHEN " BEIAN_EXPIRED
    "   THEN CAST($2 AS BIGINT) ELSE login_throttle.window_start END,"
    " locked_until = CASE WHEN " BEIAN_NEW_FAILURES
    " >= CAST($3 AS BIGINT)"
    "   THEN CAST($2 AS BIGINT) + CAST($5 AS BIGINT) ELSE login_throttle.locked_until END"
    " RETURNING key, failures, window_start, locked_until"};
#undef BEIAN_NEW_FAILURES
#undef BEIAN_EXPIRED

constexpr Statement kLockUntil{"login_throttle.lock_until",
                               "UPDATE login_throttle SET locked_until = CAST($2 AS BIGINT)"
                               " WHERE key = $1 AND locked_until < CAST($2 AS BIGINT)"};

constexpr Statement kDeleteStale{
    "login_throttle.delete_stale",
    "DELETE FROM login_throttle WHERE window_start < CAST($1 AS BIGINT)"
    " AND locked_until <= CAST($2 AS BIGINT)"};

constexpr Statement kReset{"login_throttle.reset", "DELETE FROM login_throttle WHERE key = $1"};

Result<ThrottleState> FromRow(const Row& row) {
  ThrottleState s;
  BEIAN_ASSIGN_OR_RETURN(s.key, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(s.failures, row.GetInt(1));
  BEIAN_ASSIGN_OR_RETURN(s.window_start_ms, row.GetInt(2));
  BEIAN_ASSIGN_OR_RETURN(s.locked_until_ms, row.GetInt(3));
  return s;
}

}  // namespace

Result<std::optional<ThrottleState>> LoginThrottleRepo::Get(std::string_view key) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kGet, {key}));
  if (!row) return std::optional<ThrottleState>();
  BEIAN_ASSIGN_OR_RETURN(ThrottleState s, FromRow(*row));
  return std::optional<ThrottleState>(std::move(s));
}

Result<ThrottleState> LoginThrottleRepo::RecordFailure(std::string_view key, int64_t now_ms,
                                                       const ThrottlePolicy& policy) {
  BEIAN_ASSIGN_OR_RETURN(
      auto row, tx_.QueryOne(kRecordFailure,
                             {key, now_ms, policy.max_failures, policy.window_ms, policy.lock_ms}));
  if (!row) return core::Error(core::ErrorCode::kDatabase, "upsert returned no row");
  return FromRow(*row);
}

core::Status LoginThrottleRepo::LockUntil(std::string_view key, int64_t until_ms) {
  BEIAN_TRY(tx_.Exec(kLockUntil, {key, until_ms}));
  return core::Ok();
}

Result<int64_t> LoginThrottleRepo::DeleteStale(int64_t window_started_before_ms, int64_t now_ms) {
  return tx_.Exec(kDeleteStale, {window_started_before_ms, now_ms});
}

core::Status LoginThrottleRepo::Reset(std::string_view key) {
  BEIAN_TRY(tx_.Exec(kReset, {key}));
  return core::Ok();
}

}  // namespace beian::store
