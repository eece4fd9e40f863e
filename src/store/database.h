// The storage seam: one Database interface with two backends (SQLite, PostgreSQL), chosen by URL.
//
// All SQL lives in src/store as named Statements (one text per dialect, the same logical name
// in both); callers run them inside transactions:
//
//   Result<User> u = db.Write([&](Tx& tx) -> Result<User> { ... tx.Query(kStmt, {a, b}) ... });
//   Result<int64_t> n = db.Read([&](Tx& tx) -> Result<int64_t> { ... });
//
// Transactions and retries: the body may run MORE THAN ONCE. When the database reports a
// transient conflict (SQLite busy/locked, PostgreSQL 40001 serialization_failure or 40P01
// deadlock, or a PostgreSQL connection lost before COMMIT) the transaction is rolled back and
// the body re-run after a jittered exponential backoff, up to DatabaseOptions::max_attempts;
// the last error is then returned (kBusy or kSerializationFailure). So a body must not have
// side effects outside the transaction. A body that returns an error rolls back, no retry.
//
// Isolation: Write is SERIALIZABLE by default on both backends (SQLite has one writer; on
// PostgreSQL serialization failures are retried), kReadCommitted is available for hot paths
// that are safe under it (atomic upserts, SKIP LOCKED queues). Read is a consistent read-only
// snapshot (SQLite deferred transaction on a reader connection; PostgreSQL REPEATABLE READ
// READ ONLY).
//
// Error mapping: unique/primary-key violations → kConflict with one detail
// {field: <constraint>, code: "unique_violation"} (see ViolatedConstraint); busy/locked →
// kBusy; serialization failure/deadlock → kSerializationFailure; lost connection/pool
// exhausted → kUnavailable; everything else → kDatabase.
//
// Threads: a Database is safe to use from any number of threads; a Tx belongs to the thread
// running the body and must not escape it. Do not call Write/Read from inside a body (the
// SQLite writer is not re-entrant, and a nested call would not be part of the outer
// transaction anyway): pass the Tx down instead.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/result.h"
#include "store/value.h"

namespace beian::store {

enum class Dialect { kSqlite, kPostgres };

std::string_view DialectName(Dialect d);  // "sqlite" | "postgres" (also the migrations folder)

// A named SQL statement. `name` is the logical name (used for the prepared-statement cache, logs
// and errors) and must be unique per SQL text. Placeholders are $1, $2, … in both dialects
// (SQLite binds them by name). `postgres` empty means "same text as `sqlite`"; write the common
// subset (CAST(x AS BIGINT), ON CONFLICT … DO UPDATE, RETURNING) when possible.
struct Statement {
  std::string_view name;
  std::string_view sqlite;
  std::string_view postgres = {};

  std::string_view Sql(Dialect d) const {
    return d == Dialect::kPostgres && !postgres.empty() ? postgres : sqlite;
  }
};

// One transaction. Obtained only inside Database::Write/Read.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Dialect dialect() const = 0;

  // All rows of the statement.
  core::Result<std::vector<Row>> Query(const Statement& s, std::initializer_list<Param> p = {}) {
    return Query(s, std::span<const Param>(p.begin(), p.size()));
  }
  core::Result<std::vector<Row>> Query(const Statement& s, std::span<const Param> p);

  // The first row, or nullopt when there is none.
  core::Result<std::optional<Row>> QueryOne(const Statement& s,
                                            std::initializer_list<Param> p = {}) {
    return QueryOne(s, std::span<const Param>(p.begin(), p.size()));
  }
  core::Result<std::optional<Row>> QueryOne(const Statement& s, std::span<const Param> p);

  // Runs an INSERT/UPDATE/DELETE; returns the number of rows changed.
  core::Result<int64_t> Exec(const Statement& s, std::initializer_list<Param> p = {}) {
    return Exec(s, std::span<const Param>(p.begin(), p.size()));
  }
  core::Result<int64_t> Exec(const Statement& s, std::span<const Param> p);

  // Runs several ;-separated statements without parameters (migrations, test set-up).
  virtual core::Status ExecScript(std::string_view sql) = 0;

 protected:
  struct Outcome {
    std::vector<Row> rows;
    int64_t affected = 0;
  };
  virtual core::Result<Outcome> Run(const Statement& s, std::span<const Param> p) = 0;
};

enum class Isolation { kSerializable, kReadCommitted };

struct TxOptions {
  Isolation isolation = Isolation::kSerializable;
};

struct DatabaseOptions {
  // PostgreSQL: connections in the pool. SQLite: reader connections (besides the one writer);
  // ignored for sqlite::memory:, where everything goes through the writer.
  int pool_size = 8;
  // SQLite busy_timeout: how long one statement waits for a lock before reporting busy.
  std::chrono::milliseconds busy_timeout{5000};
  // Transaction attempts on retryable errors (1 = no retry).
  int max_attempts = 8;
  std::chrono::milliseconds backoff_initial{2};
  std::chrono::milliseconds backoff_max{250};
  // How long Write/Read wait for a free pooled connection before kUnavailable.
  std::chrono::milliseconds acquire_timeout{10000};
  // SQLite PRAGMA mmap_size (bytes); reads of a hot database skip the read() syscalls.
  int64_t sqlite_mmap_size = int64_t{256} << 20;
  // SQLite: the writer keeps a rollback journal (journal_mode=DELETE, synchronous=FULL) instead
  // of the WAL. For single-connection bulk loads (`beian admin generate-registry`, with
  // pool_size 0): pages new to the file are written once, not to the WAL and again at the
  // checkpoint, and a crash still rolls the last transaction back. Readers would block the
  // writer (and another process holding the file in WAL mode keeps it in WAL mode); the next
  // ordinary open turns WAL on again.
  bool sqlite_rollback_journal = false;
  // SQLite: foreign keys enforced (PRAGMA foreign_keys). Only a bulk load whose rows are
  // consistent by construction turns them off (`beian admin generate-registry`): SQLite checks
  // an immediate foreign key of a multi-row INSERT at the statement's end, which makes it keep a
  // statement journal (a copy of every page the statement touches) to undo the statement alone.
  bool sqlite_foreign_keys = true;
  // PostgreSQL connect_timeout (seconds) when the URL does not set one.
  int connect_timeout_seconds = 5;
};

// For /metrics and /readyz.
struct PoolStats {
  int in_use = 0;            // connections currently lent to a transaction
  int size = 0;              // connections open
  int64_t transactions = 0;  // transactions begun (attempts included)
  int64_t retries = 0;       // attempts repeated after a retryable error
};

class Database {
 public:
  explicit Database(DatabaseOptions options) : options_(options) {}
  virtual ~Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  virtual Dialect dialect() const = 0;
  // Round trip to the database (SELECT 1) on a pooled connection.
  virtual core::Status Ping() = 0;
  virtual PoolStats Stats() const = 0;

  // Runs `body(Tx&)` (returning Result<T> or Status) in a read-write transaction; commits on
  // success. Returns the body's result, its error, or the commit's error.
  template <typename F>
  auto Write(F&& body, TxOptions options = {}) -> std::invoke_result_t<F&, Tx&> {
    return RunTyped(TxKind::kWrite, options, body);
  }
  // Runs `body(Tx&)` in a read-only snapshot.
  template <typename F>
  auto Read(F&& body) -> std::invoke_result_t<F&, Tx&> {
    return RunTyped(TxKind::kRead, TxOptions{}, body);
  }

  const DatabaseOptions& options() const { return options_; }

 protected:
  enum class TxKind { kRead, kWrite };
  using Body = std::function<core::Status(Tx&)>;

  // One attempt: begin, body, commit (rollback when anything fails). Sets
  // `*retry_after_reconnect` when the connection was lost before COMMIT was sent, so the
  // retry loop may safely run the body again on a fresh connection.
  virtual core::Status Attempt(TxKind kind, const TxOptions& options, const Body& body,
                               bool* retry_after_reconnect) = 0;

  std::atomic<int64_t> transactions_{0};
  std::atomic<int64_t> retries_{0};

 private:
  core::Status RunWithRetry(TxKind kind, const TxOptions& options, const Body& body);

  template <typename F>
  auto RunTyped(TxKind kind, const TxOptions& options, F& body) -> std::invoke_result_t<F&, Tx&> {
    using R = std::invoke_result_t<F&, Tx&>;
    if constexpr (std::is_same_v<R, core::Status>) {
      return RunWithRetry(kind, options, [&](Tx& tx) -> core::Status { return body(tx); });
    } else {
      std::optional<R> out;
      core::Status s = RunWithRetry(kind, options, [&](Tx& tx) -> core::Status {
        out.reset();
        R r = body(tx);
        if (!r) return std::move(r).error();
        out.emplace(std::move(r));
        return core::Ok();
      });
      if (!s) return std::move(s).error();
      return std::move(*out);
    }
  }

  DatabaseOptions options_;
};

// Opens a database by URL:
//   sqlite:///abs/path/file.db   absolute path (three slashes)
//   sqlite://rel/path/file.db    path relative to the working directory
//   sqlite::memory:              private in-memory database (tests; one connection)
//   postgresql://user[:pw]@host:port/db[?params]   (also postgres://) — any libpq URL
// The SQLite file is created when missing (its folder must exist). Fails with kUnavailable
// when the database cannot be reached, kBadRequest for a URL of another scheme.
core::Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url,
                                                     DatabaseOptions options = {});

// The constraint named by a kConflict error from a unique violation, or "" for any other
// error. Names are "<table>.<column>[, <column>…]" on both backends: SQLite reports that form
// itself and PostgreSQL migrations name their unique constraints that way (see
// migrations/README.md), e.g. "users.email".
std::string_view ViolatedConstraint(const core::Error& error);

}  // namespace beian::store
