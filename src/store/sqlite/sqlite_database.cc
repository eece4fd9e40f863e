// SQLite connections, the statement cache, parameter binding, error mapping and the
// writer/reader transaction scheme described in sqlite_database.h.
#include "store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <charconv>
#include <condition_variable>
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

Error MapError(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Error(ErrorCode::kBusy, msg);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    // "UNIQUE constraint failed: users.email" → "users.email".
    std::string_view text = db ? sqlite3_errmsg(db) : "";
    std::string_view marker = "constraint failed: ";
    auto pos = text.find(marker);
    std::string name(pos == std::string_view::npos ? text : text.substr(pos + marker.size()));
    return Error(ErrorCode::kConflict, msg, {{name, "unique_violation", "already exists"}});
  }
  return Error(ErrorCode::kDatabase, msg);
}

// One prepared statement and, for each SQLite parameter slot, which $N it stands for.
struct Prepared {
  sqlite3_stmt* stmt = nullptr;
  std::string sql;  // to catch one name reused for two texts
  std::vector<int> slot_to_param;
};

// Owns one sqlite3 handle and its prepared statements: movable, never copied (a copy would
// close the handle twice).
class Connection {
 public:
  Connection() = default;
  ~Connection() { Release(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&& other) noexcept
      : db_(std::exchange(other.db_, nullptr)),
        cache_(std::exchange(other.cache_, {})),
        fixed_(std::exchange(other.fixed_, {})) {}
  Connection& operator=(Connection&& other) noexcept {
    if (this != &other) {
      Release();
      db_ = std::exchange(other.db_, nullptr);
      cache_ = std::exchange(other.cache_, {});
      fixed_ = std::exchange(other.fixed_, {});
    }
    return *this;
  }

  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool reader,
                                                  const DatabaseOptions& o) {
    auto c = std::make_unique<Connection>();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &c->db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      Error e = MapError(c->db_, rc, "open " + path);
      e.code = ErrorCode::kUnavailable;
      return e;
    }
    sqlite3_extended_result_codes(c->db_, 1);
    sqlite3_busy_timeout(c->db_, static_cast<int>(o.busy_timeout.count()));
    std::string pragmas = std::string("PRAGMA foreign_keys=") +
                          (o.sqlite_foreign_keys ? "ON" : "OFF") +
                          "; PRAGMA mmap_size=" + std::to_string(o.sqlite_mmap_size) + ";";
    if (!reader && o.sqlite_rollback_journal) {
      // A bulk load's own connection (see DatabaseOptions::sqlite_rollback_journal).
      pragmas += "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;";
    } else if (!reader) {
      // WAL lets readers run beside the one writer; NORMAL sync is durable across
      // application crashes and only risks the last commits on power loss, the usual WAL trade.
      pragmas += "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
    } else {
      pragmas += "PRAGMA query_only=ON;";
    }
    BEIAN_TRY(c->Exec(pragmas));
    return c;
  }

  sqlite3* db() const { return db_; }

  Status Exec(std::string_view sql) {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (err) sqlite3_free(err);
    if (rc != SQLITE_OK) return MapError(db_, rc, "exec");
    return core::Ok();
  }

  // A statement without parameters or rows that every transaction runs (BEGIN, COMMIT,
  // ROLLBACK), kept prepared: sqlite3_exec would compile it again each time.
  Status ExecFixed(const char* sql) {
    auto it = fixed_.find(sql);
    if (it == fixed_.end()) {
      sqlite3_stmt* stmt = nullptr;
      int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) return MapError(db_, rc, std::string("prepare ") + sql);
      it = fixed_.emplace(sql, stmt).first;
    }
    int rc = sqlite3_step(it->second);
    sqlite3_reset(it->second);
    if (rc != SQLITE_DONE) return MapError(db_, rc, sql);
    return core::Ok();
  }

  Result<Prepared*> Prepare(const Statement& s) {
    std::string_view sql = s.Sql(Dialect::kSqlite);
    auto it = cache_.find(std::string(s.name));
    if (it != cache_.end()) {
      if (it->second.sql != sql) {
        return Error(ErrorCode::kInternal,
                     "statement name reused for other SQL: " + std::string(s.name));
      }
      return &it->second;
    }
    Prepared p;
    p.sql = std::string(sql);
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &p.stmt, nullptr);
    if (rc != SQLITE_OK) return MapError(db_, rc, "prepare " + std::string(s.name));
    const int slots = sqlite3_bind_parameter_count(p.stmt);
    for (int k = 1; k <= slots; ++k) {
      const char* name = sqlite3_bind_parameter_name(p.stmt, k);
      int n = k;
      if (name && name[0] == '$') {
        std::string_view digits(name + 1);
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec != std::errc() || ptr != digits.data() + digits.size()) {
          sqlite3_finalize(p.stmt);
          return Error(ErrorCode::kInternal,
                       "statement " + std::string(s.name) + ": bad placeholder " + name);
        }
      }
      p.slot_to_param.push_back(n);
    }
    return &cache_.emplace(std::string(s.name), p).first->second;
  }

 private:
  void Release() {
    for (auto& [name, p] : cache_) sqlite3_finalize(p.stmt);
    cache_.clear();
    for (auto& [sql, stmt] : fixed_) sqlite3_finalize(stmt);
    fixed_.clear();
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Prepared> cache_;
  std::unordered_map<std::string, sqlite3_stmt*> fixed_;  // by SQL text (ExecFixed)
};
static_assert(!std::is_copy_constructible_v<Connection> && !std::is_copy_assignable_v<Connection>);
static_assert(std::is_nothrow_move_constructible_v<Connection>);

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(Connection& c) : c_(c) {}
  Dialect dialect() const override { return Dialect::kSqlite; }
  Status ExecScript(std::string_view sql) override { return c_.Exec(sql); }

 protected:
  Result<Outcome> Run(const Statement& s, std::span<const Param> params) override {
    BEIAN_ASSIGN_OR_RETURN(Prepared * p, c_.Prepare(s));
    sqlite3_stmt* st = p->stmt;
    // Reset on every exit so the statement holds no read lock past this call.
    struct Resetter {
      sqlite3_stmt* st;
      ~Resetter() {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
      }
    } resetter{st};
    for (size_t k = 0; k < p->slot_to_param.size(); ++k) {
      const int n = p->slot_to_param[k];
      if (n < 1 || static_cast<size_t>(n) > params.size()) {
        return Error(ErrorCode::kInternal, "statement " + std::string(s.name) + " needs $" +
                                               std::to_string(n) + ", got " +
                                               std::to_string(params.size()) + " parameters");
      }
      const int slot = static_cast<int>(k) + 1;
      const Value& v = params[static_cast<size_t>(n) - 1].value();
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(st, slot);
      } else if (const auto* i = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(st, slot, *i);
      } else if (const auto* b = std::get_if<bool>(&v)) {
        rc = sqlite3_bind_int(st, slot, *b ? 1 : 0);
      } else if (const auto* t = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(st, slot, t->data(), t->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else if (const auto* by = std::get_if<Bytes>(&v)) {
        rc = sqlite3_bind_blob64(st, slot, by->data.data(), by->data.size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return MapError(c_.db(), rc, "bind " + std::string(s.name));
    }
    Outcome out;
    const int cols = sqlite3_column_count(st);
    for (;;) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return MapError(c_.db(), rc, std::string(s.name));
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(cols));
      for (int c = 0; c < cols; ++c) {
        switch (sqlite3_column_type(st, c)) {
          case SQLITE_NULL:
            values.emplace_back(std::monostate{});
            break;
          case SQLITE_INTEGER:
            values.emplace_back(int64_t{sqlite3_column_int64(st, c)});
            break;
          case SQLITE_BLOB: {
            const void* data = sqlite3_column_blob(st, c);
            const int len = sqlite3_column_bytes(st, c);
            values.emplace_back(
                Bytes{std::string(static_cast<const char*>(data), static_cast<size_t>(len))});
            break;
          }
          default: {  // TEXT, and FLOAT rendered as text (the schema has no REAL columns)
            const unsigned char* text = sqlite3_column_text(st, c);
            const int len = sqlite3_column_bytes(st, c);
            values.emplace_back(
                std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(len)));
          }
        }
      }
      out.rows.emplace_back(std::move(values));
    }
    out.affected = sqlite3_changes64(c_.db());
    return out;
  }

 private:
  Connection& c_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const DatabaseOptions& o, std::unique_ptr<Connection> writer,
                 std::vector<std::unique_ptr<Connection>> readers)
      : Database(o), writer_(std::move(writer)), readers_(std::move(readers)) {
    for (auto& r : readers_) idle_.push_back(r.get());
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status Ping() override {
    static constexpr Statement kPing{"store.ping", "SELECT 1"};
    return Read([&](Tx& tx) -> Status {
      BEIAN_TRY(tx.Query(kPing));
      return core::Ok();
    });
  }

  PoolStats Stats() const override {
    PoolStats s;
    {
      std::lock_guard lock(pool_mu_);
      s.size = static_cast<int>(readers_.size()) + 1;
      s.in_use = static_cast<int>(readers_.size() - idle_.size()) + writer_busy_;
    }
    s.transactions = transactions_.load(std::memory_order_relaxed);
    s.retries = retries_.load(std::memory_order_relaxed);
    return s;
  }

 protected:
  Status Attempt(TxKind kind, const TxOptions&, const Body& body, bool*) override {
    if (kind == TxKind::kWrite || readers_.empty()) {
      std::lock_guard lock(writer_mu_);
      SetWriterBusy(1);
      // BEGIN IMMEDIATE takes the write lock up front (waiting busy_timeout for another
      // process), so the body never meets SQLITE_BUSY half-way through.
      Status s;
      if (kind == TxKind::kWrite) {
        s = RunIn(*writer_, "BEGIN IMMEDIATE", body);
      } else {
        // In-memory database: reads share the writer, made read-only for the transaction so
        // that Read behaves as on a file.
        s = writer_->Exec("PRAGMA query_only=ON");
        if (s.ok()) s = RunIn(*writer_, "BEGIN", body);
        Status off = writer_->Exec("PRAGMA query_only=OFF");
        if (s.ok()) s = std::move(off);
      }
      SetWriterBusy(0);
      return s;
    }
    Connection* c = nullptr;
    {
      std::unique_lock lock(pool_mu_);
      if (!pool_cv_.wait_for(lock, options().acquire_timeout, [&] { return !idle_.empty(); })) {
        return Error(ErrorCode::kUnavailable, "no free SQLite reader connection");
      }
      c = idle_.back();
      idle_.pop_back();
    }
    Status s = RunIn(*c, "BEGIN", body);
    {
      std::lock_guard lock(pool_mu_);
      idle_.push_back(c);
    }
    pool_cv_.notify_one();
    return s;
  }

 private:
  void SetWriterBusy(int v) {
    std::lock_guard lock(pool_mu_);
    writer_busy_ = v;
  }

  static Status RunIn(Connection& c, const char* begin, const Body& body) {
    BEIAN_TRY(c.ExecFixed(begin));
    SqliteTx tx(c);
    Status s = body(tx);
    if (s.ok()) s = c.ExecFixed("COMMIT");
    if (!s.ok() && !sqlite3_get_autocommit(c.db())) {
      (void)c.ExecFixed("ROLLBACK");  // the original error is the one worth reporting
    }
    return s;
  }

  std::mutex writer_mu_;
  std::unique_ptr<Connection> writer_;
  std::vector<std::unique_ptr<Connection>> readers_;
  mutable std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<Connection*> idle_;
  int writer_busy_ = 0;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                             const DatabaseOptions& options) {
  BEIAN_ASSIGN_OR_RETURN(auto writer, Connection::Open(path, false, options));
  std::vector<std::unique_ptr<Connection>> readers;
  if (path != ":memory:") {
    for (int i = 0; i < options.pool_size; ++i) {
      BEIAN_ASSIGN_OR_RETURN(auto r, Connection::Open(path, true, options));
      readers.push_back(std::move(r));
    }
  }
  return std::unique_ptr<Database>(
      std::make_unique<SqliteDatabase>(options, std::move(writer), std::move(readers)));
}

}  // namespace beian::store
