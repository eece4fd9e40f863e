// Loading the embedded migration files and applying them one transaction per step.
#include "store/migrations.h"

#include <sodium.h>

#include <charconv>
#include <chrono>
#include <map>

#include "core/crypto.h"
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
// `checksum` came after the table: databases migrated before it get the column (kAddChecksum)
// with '' in the rows recorded then, filled in by the next Migrate.
constexpr Statement kCreateTable{"migrations.create_table",
                                 "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                 " version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL,"
                                 " applied_at BIGINT NOT NULL, checksum TEXT NOT NULL DEFAULT '')"};
constexpr Statement kHasChecksum{
    "migrations.has_checksum",
    "SELECT count(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'",
    "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()"
    " AND table_name = 'schema_migrations' AND column_name = 'checksum'"};
constexpr Statement kAddChecksum{
    "migrations.add_checksum",
    "ALTER TABLE schema_migrations ADD COLUMN checksum TEXT NOT NULL DEFAULT ''"};
constexpr Statement kAppliedSteps{"migrations.applied",
                                  "SELECT version, name, checksum FROM schema_migrations"
                                  " ORDER BY version"};
constexpr Statement kAppliedStepsLegacy{"migrations.applied_legacy",
                                        "SELECT version, name, '' FROM schema_migrations"
                                        " ORDER BY version"};
constexpr Statement kFillChecksum{"migrations.fill_checksum",
                                  "UPDATE schema_migrations SET checksum = $2"
                                  " WHERE version = $1 AND checksum = ''"};
// Every table, index, sequence or view in the database's own schema: none means brand-new.
constexpr Statement kObjectCount{"migrations.object_count", "SELECT count(*) FROM sqlite_master",
                                 "SELECT count(*) FROM pg_catalog.pg_class c"
                                 " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                                 " WHERE n.nspname = current_schema()"};
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
                            "INSERT INTO schema_migrations (version, name, applied_at, checksum)"
                            " VALUES ($1, $2, $3, $4)"};

// One row of schema_migrations.
struct AppliedStep {
  int64_t version = 0;
  std::string name;
  std::string checksum;  // '' for a step recorded before checksums were kept
};

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string StepLabel(int64_t version, std::string_view name) {
  return std::to_string(version) + "_" + std::string(name);
}

// The recorded steps, inside `tx`; none when schema_migrations does not exist yet.
Result<std::vector<AppliedStep>> ReadApplied(Tx& tx) {
  BEIAN_ASSIGN_OR_RETURN(auto exists, tx.QueryOne(kTableExists));
  BEIAN_ASSIGN_OR_RETURN(int64_t tables, exists->GetInt(0));
  std::vector<AppliedStep> out;
  if (tables == 0) return out;
  BEIAN_ASSIGN_OR_RETURN(auto has, tx.QueryOne(kHasChecksum));
  BEIAN_ASSIGN_OR_RETURN(int64_t columns, has->GetInt(0));
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx.Query(columns > 0 ? kAppliedSteps : kAppliedStepsLegacy));
  for (const Row& row : rows) {
    AppliedStep a;
    BEIAN_ASSIGN_OR_RETURN(a.version, row.GetInt(0));
    BEIAN_ASSIGN_OR_RETURN(a.name, row.GetText(1));
    BEIAN_ASSIGN_OR_RETURN(a.checksum, row.GetText(2));
    out.push_back(std::move(a));
  }
  return out;
}

// Every applied step this program also has must be the step this program has: same name, and
// the same text (when a checksum was recorded). An edited old step would leave databases that
// applied the old text and databases that applied the new one with different schemas under
// the same version number, so the program refuses both and names the step.
Status VerifyApplied(const std::vector<AppliedStep>& applied, std::span<const Migration> steps) {
  std::map<int64_t, const Migration*> by_version;
  for (const Migration& m : steps) by_version[m.version] = &m;
  for (const AppliedStep& a : applied) {
    auto it = by_version.find(a.version);
    if (it == by_version.end()) continue;  // newer than this program: reported by the callers
    const Migration& m = *it->second;
    if (a.name != m.name) {
      return Error(ErrorCode::kSchemaOutdated,
                   "migration " + StepLabel(a.version, a.name) + " applied to this database is " +
                       StepLabel(m.version, m.name) + " in this program: the database belongs " +
                       "to another version of the program");
    }
    if (!a.checksum.empty() && a.checksum != StepChecksum(m)) {
      return Error(ErrorCode::kSchemaOutdated,
                   "migration " + StepLabel(m.version, m.name) +
                       " was changed after it was applied to this database (recorded " +
                       a.checksum + ", this program has " + StepChecksum(m) +
                       "): applied steps are append-only; restore the step and add a new one");
    }
  }
  return core::Ok();
}

// Brings schema_migrations itself up to date (the checksum column), checks the applied steps
// against `steps`, and records the checksums missing from steps applied before they were kept.
Status PrepareBookkeeping(Database& db, std::span<const Migration> steps) {
  return db.Write(
      [&](Tx& tx) -> Status {
        BEIAN_TRY(tx.Query(kLock));
        BEIAN_TRY(tx.Exec(kCreateTable));
        BEIAN_ASSIGN_OR_RETURN(auto has, tx.QueryOne(kHasChecksum));
        BEIAN_ASSIGN_OR_RETURN(int64_t columns, has->GetInt(0));
        if (columns == 0) BEIAN_TRY(tx.Exec(kAddChecksum));
        BEIAN_ASSIGN_OR_RETURN(auto applied, ReadApplied(tx));
        BEIAN_TRY(VerifyApplied(applied, steps));
        for (const AppliedStep& a : applied) {
          if (!a.checksum.empty()) continue;
          for (const Migration& m : steps) {
            if (m.version == a.version)
              BEIAN_TRY(tx.Exec(kFillChecksum, {m.version, StepChecksum(m)}));
          }
        }
        return core::Ok();
      },
      TxOptions{Isolation::kReadCommitted});
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
          e.message = "migration " + StepLabel(m.version, m.name) + ": " + e.message;
          return e;
        }
        BEIAN_TRY(tx.Exec(kRecord, {m.version, m.name, NowMillis(), StepChecksum(m)}));
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

std::string StepChecksum(const Migration& m) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(m.sql.data()), m.sql.size());
  return "sha256:" +
         core::HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

Status ApplyMigrations(Database& db, std::span<const Migration> steps) {
  if (steps.empty()) return core::Ok();
  BEIAN_TRY(PrepareBookkeeping(db, steps));
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
  BEIAN_ASSIGN_OR_RETURN(auto steps, LoadMigrations(db.dialect(), service));
  return RequireCurrentSchema(db, service, steps);
}

Status RequireCurrentSchema(Database& db, std::string_view service,
                            std::span<const Migration> steps) {
  const int64_t latest = steps.empty() ? 0 : steps.back().version;
  BEIAN_ASSIGN_OR_RETURN(auto applied, db.Read([&](Tx& tx) { return ReadApplied(tx); }));
  if (auto verified = VerifyApplied(applied, steps); !verified) {
    Error e = std::move(verified).error();
    e.message = "database schema of " + std::string(service) + ": " + e.message;
    return e;
  }
  const int64_t current = applied.empty() ? 0 : applied.back().version;
  if (current == latest) return core::Ok();
  return Error(ErrorCode::kSchemaOutdated, "database schema of " + std::string(service) +
                                               " is at version " + std::to_string(current) +
                                               ", this program needs " + std::to_string(latest) +
                                               " (run `beian migrate`)");
}

Result<bool> IsEmptyDatabase(Database& db) {
  return db.Read([&](Tx& tx) -> Result<bool> {
    BEIAN_ASSIGN_OR_RETURN(auto row, tx.QueryOne(kObjectCount));
    BEIAN_ASSIGN_OR_RETURN(int64_t n, row->GetInt(0));
    return n == 0;
  });
}

Result<bool> CreateSchemaIfEmpty(Database& db, std::string_view service) {
  BEIAN_ASSIGN_OR_RETURN(bool empty, IsEmptyDatabase(db));
  if (!empty) return false;
  BEIAN_TRY(Migrate(db, service));
  return true;
}

}  // namespace beian::store
