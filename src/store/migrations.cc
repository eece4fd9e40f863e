// Loading the embedded migration files and applying them one transaction per step.
#include "store/migrations.h"

#include <charconv>
#include <chrono>

#include "core/embedded.h"

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

// Serialises concurrent migrators on PostgreSQL (an arbitrary constant: "beianmig").
constexpr Statement kLock{"migrations.lock", "SELECT 1",
                          "SELECT pg_advisory_xact_lock(7089063218466416999)"};
constexpr Statement kCreateTable{"migrations.create_table",
                                 "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                 " version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL,"
                                 " applied_at BIGINT NOT NULL)"};
constexpr Statement kTableExists{
    "migrations.table_exists",
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
    "SELECT count(*) FROM pg_catalog.pg_tables"
    " WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"};
constexpr Statement kCurrent{"migrations.current",
                             "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT)"
                             " FROM schema_migrations"};
constexpr Statement kIsApplied{"migrations.is_applied",
                               "SELECT 1 FROM schema_migrations WHERE version = $1"};
constexpr Statement kRecord{"migrations.record",
                            "INSERT INTO schema_migrations (version, name, applied_at)"
                            " VALUES ($1, $2, $3)"};

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status ApplyStep(Database& db, const Migration& m) {
  // READ COMMITTED on PostgreSQL: the check below must see a step committed by another
  // migrator while this one waited for the lock (a snapshot taken before the lock would not).
  return db.Write(
      [&](Tx& tx) -> Status {
        BEIAN_TRY(tx.Query(kLock));
        BEIAN_TRY(tx.Exec(kCreateTable));
        BEIAN_ASSIGN_OR_RETURN(auto applied, tx.QueryOne(kIsApplied, {m.version}));
        if (applied) return core::Ok();
        Status s = tx.ExecScript(m.sql);
        if (!s.ok()) {
          Error e = std::move(s).error();
          e.message = "migration " + std::to_string(m.version) + "_" + m.name + ": " + e.message;
          return e;
        }
        BEIAN_TRY(tx.Exec(kRecord, {m.version, m.name, NowMillis()}));
        return core::Ok();
      },
      TxOptions{Isolation::kReadCommitted});
}

// Highest applied version; 0 before the first migration created schema_migrations.
Result<int64_t> CurrentVersion(Database& db) {
  return db.Read([&](Tx& tx) -> Result<int64_t> {
    BEIAN_ASSIGN_OR_RETURN(auto exists, tx.QueryOne(kTableExists));
    BEIAN_ASSIGN_OR_RETURN(int64_t n, exists->GetInt(0));
    if (n == 0) return int64_t{0};
    BEIAN_ASSIGN_OR_RETURN(auto row, tx.QueryOne(kCurrent));
    return row->GetInt(0);
  });
}

}  // namespace

Result<std::vector<Migration>> LoadMigrations(Dialect dialect, std::string_view service) {
  const std::string prefix =
      "migrations/" + std::string(DialectName(dialect)) + "/" + std::string(service) + "/";
  std::vector<Migration> out;
  for (const auto& f : core::EmbeddedFilesUnder(prefix)) {
    std::string_view file = f.path.substr(prefix.size());
    if (!file.ends_with(".sql")) continue;
    file.remove_suffix(4);
    const auto underscore = file.find('_');
    Migration m;
    bool ok = underscore != std::string_view::npos && underscore > 0 &&
              file.find('/') == std::string_view::npos;
    if (ok) {
      auto [ptr, ec] = std::from_chars(file.data(), file.data() + underscore, m.version);
      ok = ec == std::errc() && ptr == file.data() + underscore;
    }
    if (!ok) {
      return Error(ErrorCode::kInternal, "malformed migration file name: " + std::string(f.path));
    }
    m.name = std::string(file.substr(underscore + 1));
    m.sql = f.data;
    if (m.version != static_cast<int64_t>(out.size()) + 1) {
      return Error(ErrorCode::kInternal, "migrations of " + prefix +
                                             " are not numbered 1, 2, 3…: " + std::string(f.path));
    }
    out.push_back(std::move(m));
  }
  if (out.empty()) {
    return Error(ErrorCode::kNotFound, "no migrations for service " + std::string(service));
  }
  return out;
}

Status Migrate(Database& db, std::string_view service) {
  BEIAN_ASSIGN_OR_RETURN(auto steps, LoadMigrations(db.dialect(), service));
  return ApplyMigrations(db, steps);
}

Status ApplyMigrations(Database& db, std::span<const Migration> steps) {
  if (steps.empty()) return core::Ok();
  SchemaStatus status;
  status.latest = steps.back().version;
  BEIAN_ASSIGN_OR_RETURN(status.current, CurrentVersion(db));
  if (status.current > status.latest) {
    return Error(ErrorCode::kSchemaOutdated,
                 "database schema version " + std::to_string(status.current) +
                     " is newer than this program (" + std::to_string(status.latest) + ")");
  }
  for (const auto& m : steps) {
    if (m.version <= status.current) continue;
    BEIAN_TRY(ApplyStep(db, m));
  }
  return core::Ok();
}

Result<SchemaStatus> CheckSchema(Database& db, std::string_view service) {
  BEIAN_ASSIGN_OR_RETURN(auto steps, LoadMigrations(db.dialect(), service));
  SchemaStatus status;
  status.latest = steps.back().version;
  BEIAN_ASSIGN_OR_RETURN(status.current, CurrentVersion(db));
  return status;
}

Status RequireCurrentSchema(Database& db, std::string_view service) {
  BEIAN_ASSIGN_OR_RETURN(SchemaStatus s, CheckSchema(db, service));
  if (s.up_to_date()) return core::Ok();
  return Error(ErrorCode::kSchemaOutdated, "database schema of " + std::string(service) +
                                               " is at version " + std::to_string(s.current) +
                                               ", this program needs " + std::to_string(s.latest) +
                                               " (run `beian migrate`)");
}

}  // namespace beian::store
