// The backend-independent half of Database: statement helpers, the retry loop and URL dispatch.
#include "store/database.h"

#include <algorithm>
#include <random>
#include <thread>

#include "store/postgres/pg_database.h"
#include "store/sqlite/sqlite_database.h"

namespace beian::store {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

std::string_view DialectName(Dialect d) { return d == Dialect::kPostgres ? "postgres" : "sqlite"; }

Result<std::vector<Row>> Tx::Query(const Statement& s, std::span<const Param> p) {
  BEIAN_ASSIGN_OR_RETURN(Outcome out, Run(s, p));
  return std::move(out.rows);
}

Result<std::optional<Row>> Tx::QueryOne(const Statement& s, std::span<const Param> p) {
  BEIAN_ASSIGN_OR_RETURN(Outcome out, Run(s, p));
  if (out.rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(out.rows.front()));
}

Result<int64_t> Tx::Exec(const Statement& s, std::span<const Param> p) {
  BEIAN_ASSIGN_OR_RETURN(Outcome out, Run(s, p));
  return out.affected;
}

Status Database::RunWithRetry(TxKind kind, const TxOptions& options, const Body& body) {
  // Jitter keeps two contending writers from retrying in lock-step.
  thread_local std::minstd_rand rng(std::random_device{}());
  const int attempts = std::max(1, options_.max_attempts);
  auto delay = options_.backoff_initial;
  for (int attempt = 1;; ++attempt) {
    transactions_.fetch_add(1, std::memory_order_relaxed);
    bool reconnect = false;
    Status s = Attempt(kind, options, body, &reconnect);
    if (s.ok()) return s;
    const bool retryable = s.error().IsRetryable() || reconnect;
    if (!retryable || attempt >= attempts) return s;
    retries_.fetch_add(1, std::memory_order_relaxed);
    if (!reconnect) {
      std::uniform_int_distribution<int64_t> jitter(delay.count() / 2, delay.count());
      std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
      delay = std::min(delay * 2, options_.backoff_max);
    }
  }
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, DatabaseOptions options) {
  if (url == "sqlite::memory:") return OpenSqlite(":memory:", options);
  if (url.starts_with("sqlite://")) {
    std::string_view path = url.substr(std::string_view("sqlite://").size());
    if (path.empty() || path == "/") {
      return Error(ErrorCode::kBadRequest, "sqlite URL without a path: " + std::string(url));
    }
    return OpenSqlite(std::string(path), options);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgres(std::string(url), options);
  }
  return Error(ErrorCode::kBadRequest,
               "unsupported database URL (want sqlite:// or postgresql://): " + std::string(url));
}

std::string_view ViolatedConstraint(const Error& error) {
  if (error.code != ErrorCode::kConflict) return {};
  for (const auto& d : error.details) {
    if (d.code == "unique_violation") return d.field;
  }
  return {};
}

}  // namespace beian::store
