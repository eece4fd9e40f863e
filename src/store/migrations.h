// Schema migrations. Each service (agent, authority) has its own database and its own numbered,
// append-only steps, embedded in the binary from migrations/<dialect>/<service>/NNNN_name.sql
// (the same numbers and names in both dialects). Migrate applies the pending steps in order,
// each in its own transaction together with its schema_migrations(version, name, applied_at,
// checksum) row, so a failed step leaves the schema at the previous version. Two processes may
// migrate at once: PostgreSQL steps take an advisory lock, SQLite steps hold the write lock.
// The checksum (SHA-256 of the step's text) makes an edited old step visible: Migrate and
// RequireCurrentSchema refuse a database whose applied step differs from the program's, naming
// the step. A brand-new, empty database may be given its schema without asking
// (CreateSchemaIfEmpty); one that is merely behind needs an explicit Migrate.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

struct Migration {
  int64_t version = 0;
  std::string name;  // "accounts" for 0001_accounts.sql
  std::string_view sql;
};

// The embedded steps of `service` for `dialect`, ordered. kNotFound when there are none;
// kInternal when the numbering is not 1, 2, 3, … or a file name is malformed.
core::Result<std::vector<Migration>> LoadMigrations(Dialect dialect, std::string_view service);

// "sha256:" + 64 hex digits of the step's text, as recorded in schema_migrations.checksum.
std::string StepChecksum(const Migration& m);

// Applies every pending step of `service`. Idempotent. kSchemaOutdated, naming the step, when
// an applied step's recorded checksum or name is not this program's; checksums missing from
// steps applied before they were recorded are filled in.
core::Status Migrate(Database& db, std::string_view service);

// Applies the pending ones of `steps` (ordered, numbered from 1): Migrate without the embedded
// files, for tests and tools.
core::Status ApplyMigrations(Database& db, std::span<const Migration> steps);

struct SchemaStatus {
  int64_t current = 0;  // highest applied version (0: nothing applied)
  int64_t latest = 0;   // highest version this binary knows
  bool up_to_date() const { return current == latest; }
};

core::Result<SchemaStatus> CheckSchema(Database& db, std::string_view service);

// Ok when the schema is exactly the binary's; kSchemaOutdated otherwise (also when the database
// is newer than the binary, or an applied step was edited since) — the server refuses to serve
// then.
core::Status RequireCurrentSchema(Database& db, std::string_view service);
// The same against `steps` (ordered, numbered from 1) instead of the embedded files.
core::Status RequireCurrentSchema(Database& db, std::string_view service,
                                  std::span<const Migration> steps);

// True when the database holds no table, index, sequence or view at all (in PostgreSQL, in its
// current schema): a database just created for this service.
core::Result<bool> IsEmptyDatabase(Database& db);

// Migrate when the database is empty; true when it did. A database that holds anything is left
// alone (its schema may be older, and upgrading it is the operator's decision: `beian migrate`).
core::Result<bool> CreateSchemaIfEmpty(Database& db, std::string_view service);

}  // namespace beian::store
