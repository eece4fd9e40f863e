// libpq connection pool, prepared statements, SQLSTATE → ErrorCode mapping and transactions.
#include "store/postgres/pg_database.h"

#include <libpq-fe.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

// Type OIDs from pg_type.h (stable across PostgreSQL versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

void IgnoreNotice(void*, const char*) {}

std::string Trimmed(const char* s) {
  std::string out = s ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// Owns one libpq connection: movable, never copied (a copy would PQfinish it twice).
class PgConn {
 public:
  explicit PgConn(std::string url) : url_(std::move(url)) {}
  ~PgConn() {
    if (conn_) PQfinish(conn_);
  }
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;
  PgConn(PgConn&& other) noexcept
      : url_(std::move(other.url_)),
        conn_(std::exchange(other.conn_, nullptr)),
        prepared_(std::exchange(other.prepared_, {})) {}
  PgConn& operator=(PgConn&& other) noexcept {
    if (this != &other) {
      if (conn_) PQfinish(conn_);
      url_ = std::move(other.url_);
      conn_ = std::exchange(other.conn_, nullptr);
      prepared_ = std::exchange(other.prepared_, {});
    }
    return *this;
  }

  // Connects (or re-connects when the previous connection broke).
  Status Connect() {
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) return core::Ok();
    if (conn_) PQfinish(conn_);
    prepared_.clear();
    conn_ = PQconnectdb(url_.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      Error e(ErrorCode::kUnavailable,
              "cannot connect to PostgreSQL: " + Trimmed(conn_ ? PQerrorMessage(conn_) : "oom"));
      return e;
    }
    // Notices (e.g. "relation already exists, skipping") would go to stderr otherwise.
    PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
    return core::Ok();
  }

  bool broken() const { return !conn_ || PQstatus(conn_) != CONNECTION_OK; }
  PGconn* get() const { return conn_; }

  Error MapError(const PGresult* r, std::string_view what) const {
    std::string msg =
        std::string(what) + ": " +
        Trimmed(r && PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
    if (broken()) return Error(ErrorCode::kUnavailable, msg);
    const char* raw = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string_view state = raw ? raw : "";
    if (state == "40001" || state == "40P01") return Error(ErrorCode::kSerializationFailure, msg);
    if (state == "55P03") return Error(ErrorCode::kBusy, msg);
    if (state == "23505") {
      const char* c = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
      return Error(ErrorCode::kConflict, msg, {{c ? c : "", "unique_violation", "already exists"}});
    }
    if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03") {
      return Error(ErrorCode::kUnavailable, msg);
    }
    return Error(ErrorCode::kDatabase, msg);
  }

  // Runs parameterless SQL (one or several statements).
  Status Exec(std::string_view sql) {
    std::string text(sql);
    PgResult r(PQexec(conn_, text.c_str()));
    const auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return MapError(r.get(), "exec");
    return core::Ok();
  }

  // COMMIT of a transaction that hit an error answers "ROLLBACK" without failing.
  Status Commit() {
    PgResult r(PQexec(conn_, "COMMIT"));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) return MapError(r.get(), "commit");
    if (std::strcmp(PQcmdStatus(r.get()), "COMMIT") != 0) {
      return Error(ErrorCode::kDatabase, "transaction was aborted by an earlier error");
    }
    return core::Ok();
  }

  Result<PgResult> Run(const Statement& s, std::span<const Param> params) {
    const std::string name(s.name);
    const std::string_view sql = s.Sql(Dialect::kPostgres);
    auto it = prepared_.find(name);
    if (it == prepared_.end()) {
      PgResult r(PQprepare(conn_, name.c_str(), std::string(sql).c_str(), 0, nullptr));
      if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
        return MapError(r.get(), "prepare " + name);
      }
      prepared_.emplace(name, std::string(sql));
    } else if (it->second != sql) {
      return Error(ErrorCode::kInternal, "statement name reused for other SQL: " + name);
    }
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i].value();
      if (std::holds_alternative<std::monostate>(v)) continue;
      if (const auto* n = std::get_if<int64_t>(&v)) {
        text[i] = std::to_string(*n);
      } else if (const auto* b = std::get_if<bool>(&v)) {
        text[i] = *b ? "true" : "false";
      } else if (const auto* t = std::get_if<std::string>(&v)) {
        // PostgreSQL text cannot hold NUL, and libpq would silently cut the value there — a
        // look-up of "a@x.cn\0…" must not find "a@x.cn". SQLite stores the whole value.
        if (t->find('\0') != std::string::npos) {
          return Error(
              ErrorCode::kValidationFailed,
              name + ": parameter $" + std::to_string(i + 1) + " contains a NUL character");
        }
        text[i] = *t;
      } else if (const auto* by = std::get_if<Bytes>(&v)) {
        values[i] = by->data.data();
        lengths[i] = static_cast<int>(by->data.size());
        formats[i] = 1;  // binary: bytea without escaping
        continue;
      }
      values[i] = text[i].c_str();
      lengths[i] = static_cast<int>(text[i].size());
    }
    PgResult r(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(),
                              lengths.data(), formats.data(), 0));
    const auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return MapError(r.get(), name);
    return r;
  }

 private:
  std::string url_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // name → SQL on this connection
};
static_assert(!std::is_copy_constructible_v<PgConn> && !std::is_copy_assignable_v<PgConn>);
static_assert(std::is_nothrow_move_constructible_v<PgConn>);

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Value> ConvertCell(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return Value(std::monostate{});
  const char* v = PQgetvalue(r, row, col);
  const int len = PQgetlength(r, row, col);
  switch (PQftype(r, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      return Value(int64_t{std::strtoll(v, nullptr, 10)});
    case kBoolOid:
      return Value(v[0] == 't');
    case kByteaOid: {
      // Text output of bytea is "\x" followed by hex (bytea_output = hex, the default).
      std::string_view hex(v, static_cast<size_t>(len));
      if (!hex.starts_with("\\x") || hex.size() % 2 != 0) {
        return Error(ErrorCode::kDatabase, "unexpected bytea encoding");
      }
      std::string out;
      out.reserve(hex.size() / 2 - 1);
      for (size_t i = 2; i + 1 < hex.size(); i += 2) {
        int hi = HexValue(hex[i]);
        int lo = HexValue(hex[i + 1]);
        if (hi < 0 || lo < 0) return Error(ErrorCode::kDatabase, "bad bytea hex");
        out.push_back(static_cast<char>(hi * 16 + lo));
      }
      return Value(Bytes{std::move(out)});
    }
    default:
      return Value(std::string(v, static_cast<size_t>(len)));
  }
}

class PgTx final : public Tx {
 public:
  explicit PgTx(PgConn& c) : c_(c) {}
  Dialect dialect() const override { return Dialect::kPostgres; }
  Status ExecScript(std::string_view sql) override { return c_.Exec(sql); }

 protected:
  Result<Outcome> Run(const Statement& s, std::span<const Param> params) override {
    BEIAN_ASSIGN_OR_RETURN(PgResult r, c_.Run(s, params));
    Outcome out;
    const int rows = PQntuples(r.get());
    const int cols = PQnfields(r.get());
    out.rows.reserve(static_cast<size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(cols));
      for (int c = 0; c < cols; ++c) {
        BEIAN_ASSIGN_OR_RETURN(Value v, ConvertCell(r.get(), i, c));
        values.push_back(std::move(v));
      }
      out.rows.emplace_back(std::move(values));
    }
    const char* affected = PQcmdTuples(r.get());
    out.affected = affected && affected[0] ? std::strtoll(affected, nullptr, 10) : 0;
    return out;
  }

 private:
  PgConn& c_;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, const DatabaseOptions& o) : Database(o), url_(std::move(url)) {}

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status Ping() override {
    BEIAN_ASSIGN_OR_RETURN(PgConn * c, Acquire());
    Status s = c->Exec("SELECT 1");
    if (!s.ok() && c->broken()) {
      // One reconnect: a server restart should not fail the first probe after it.
      s = c->Connect();
      if (s.ok()) s = c->Exec("SELECT 1");
    }
    Release(c);
    return s;
  }

  PoolStats Stats() const override {
    PoolStats s;
    {
      std::lock_guard lock(mu_);
      s.size = static_cast<int>(all_.size());
      s.in_use = static_cast<int>(all_.size() - idle_.size());
    }
    s.transactions = transactions_.load(std::memory_order_relaxed);
    s.retries = retries_.load(std::memory_order_relaxed);
    return s;
  }

  Status Warm() {
    BEIAN_ASSIGN_OR_RETURN(PgConn * c, Acquire());
    Release(c);
    return core::Ok();
  }

 protected:
  Status Attempt(TxKind kind, const TxOptions& options, const Body& body,
                 bool* retry_after_reconnect) override {
    BEIAN_ASSIGN_OR_RETURN(PgConn * c, Acquire());
    const char* begin = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    if (kind == TxKind::kWrite) {
      begin = options.isolation == Isolation::kSerializable
                  ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                  : "BEGIN ISOLATION LEVEL READ COMMITTED";
    }
    Status s = c->Exec(begin);
    if (s.ok()) {
      PgTx tx(*c);
      s = body(tx);
      if (s.ok()) {
        s = c->Commit();
        // A connection lost during COMMIT leaves the outcome unknown: never retried.
      } else if (c->broken()) {
        *retry_after_reconnect = true;
      }
    } else if (c->broken()) {
      *retry_after_reconnect = true;
    }
    if (!s.ok() && !c->broken() && PQtransactionStatus(c->get()) != PQTRANS_IDLE) {
      (void)c->Exec("ROLLBACK");
    }
    Release(c);
    return s;
  }

 private:
  Result<PgConn*> Acquire() {
    PgConn* c = nullptr;
    {
      std::unique_lock lock(mu_);
      const auto cap = static_cast<size_t>(std::max(1, options().pool_size));
      if (!cv_.wait_for(lock, options().acquire_timeout,
                        [&] { return !idle_.empty() || all_.size() + opening_ < cap; })) {
        return Error(ErrorCode::kUnavailable, "PostgreSQL pool exhausted");
      }
      if (!idle_.empty()) {
        c = idle_.back();
        idle_.pop_back();
      } else {
        ++opening_;
      }
    }
    if (c) {
      if (c->broken()) {
        Status s = c->Connect();
        if (!s.ok()) {
          Release(c);
          return std::move(s).error();
        }
      }
      return c;
    }
    // Connect outside the lock: it is slow and others may be returning connections meanwhile.
    auto fresh = std::make_unique<PgConn>(url_);
    Status s = fresh->Connect();
    std::lock_guard lock(mu_);
    --opening_;
    if (!s.ok()) {
      cv_.notify_one();
      return std::move(s).error();
    }
    c = fresh.get();
    all_.push_back(std::move(fresh));
    return c;
  }

  void Release(PgConn* c) {
    {
      std::lock_guard lock(mu_);
      idle_.push_back(c);
    }
    cv_.notify_one();
  }

  std::string url_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> all_;
  std::vector<PgConn*> idle_;
  size_t opening_ = 0;
};

std::string WithConnectTimeout(std::string url, int seconds) {
  if (url.find("connect_timeout=") != std::string::npos) return url;
  url += url.find('?') == std::string::npos ? '?' : '&';
  return url + "connect_timeout=" + std::to_string(seconds);
}

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url,
                                               const DatabaseOptions& options) {
  auto db = std::make_unique<PgDatabase>(WithConnectTimeout(url, options.connect_timeout_seconds),
                                         options);
  BEIAN_TRY(db->Warm());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace beian::store
