// Bulk writes into the authority's registry (issue 11 item 1, `beian admin generate-registry`):
// the tables of store/registry.h filled many rows per statement — multi-row INSERTs of up to
// kBulkRowsPerStatement rows, prepared once per row count — inside the caller's (big)
// transaction. One round trip carries hundreds of rows, which is what makes millions of rows
// load in minutes on PostgreSQL (a round trip per row costs ~70 µs there) and saves SQLite the
// per-statement overhead.
//
// Rows arrive complete (ids, SNs, sealed values, statuses, dates): this layer only writes them.
// Constraint violations map as elsewhere (kConflict with the violated constraint, e.g.
// "registry_domains.domain" for a domain that is already filed).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

inline constexpr size_t kBulkRowsPerStatement = 250;

struct BulkSubject {
  std::string id;
  std::string subject_sn;
  std::string province;
  int year = 0;
  int64_t sequence = 0;
  std::string certificate_type;
  std::string certificate_hash;
  std::string certificate_sealed;
  std::string organizer_type;
  std::string organizer_name;
  std::string person_sealed;
  std::string status;  // active | cancelled
  int last_website_index = 0;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

struct BulkWebsite {
  std::string id;
  std::string subject_id;
  std::string website_sn;
  int website_index = 0;
  std::string name;
  std::string person_sealed;
  std::string status;
  int64_t approved_ms = 0;
  int64_t updated_ms = 0;
};

struct BulkDomain {
  std::string domain;  // registrable, punycode
  std::string website_id;
  int64_t valid_from_ms = 0;
  std::optional<int64_t> valid_to_ms;  // set: no longer current (cancelled)
};

struct BulkWebsiteProvider {
  std::string website_id;
  std::string provider_id;
  int64_t valid_from_ms = 0;
  std::optional<int64_t> valid_to_ms;
};

struct BulkChange {
  std::string website_sn;
  std::string body;  // the website's public record (JSON)
  int64_t created_ms = 0;
};

// A secondary index (not one backing a PRIMARY KEY or UNIQUE constraint) and its definition.
struct RegistryIndex {
  std::string name;
  std::string sql;  // CREATE [UNIQUE] INDEX … as the schema defines it
};

// Rows of one table encoded as statement parameters (row after row), ready to insert: encoding
// copies every value, so a loader does it outside the transaction (e.g. on another thread).
struct BulkRows {
  enum class Table { kSubjects, kWebsites, kDomains, kWebsiteProviders, kChanges };
  Table table = Table::kSubjects;
  size_t rows = 0;
  std::vector<Param> params;
};

// (province, year) → last subject sequence.
using SnCounterMap = std::map<std::pair<std::string, int>, int64_t>;

class RegistryBulkWriter {
 public:
  explicit RegistryBulkWriter(Tx& tx) : tx_(tx) {}

  // SQLite: a bigger page cache for this connection (the writer's), so the indexes of a
  // multi-million-row load stay in memory, and a helper thread for its sorts (PRAGMA threads).
  // Durability settings are left as the connection has them. PostgreSQL: nothing.
  core::Status PrepareBulkLoad(int64_t cache_bytes);

  // Whether the registry holds no subject.
  core::Result<bool> RegistryEmpty();
  // The secondary indexes of `table` (registry_subjects, registry_websites or
  // registry_domains), read from the database's catalogue (so re-creating them gives exactly the
  // migrated schema). A bulk load into an empty registry may drop them, write, and create them
  // again: building an index from sorted rows costs a fraction of maintaining a random-key one
  // row by row.
  core::Result<std::vector<RegistryIndex>> SecondaryIndexes(std::string_view table);
  core::Status DropIndexes(const std::vector<RegistryIndex>& indexes);
  core::Status CreateIndexes(const std::vector<RegistryIndex>& indexes);

  core::Result<SnCounterMap> SnCounters();
  // Raises each counter to at least the given last sequence (never lowers one).
  core::Status RaiseSnCounters(const SnCounterMap& counters);

  static BulkRows Encode(std::span<const BulkSubject> rows);
  static BulkRows Encode(std::span<const BulkWebsite> rows);
  static BulkRows Encode(std::span<const BulkDomain> rows);
  static BulkRows Encode(std::span<const BulkWebsiteProvider> rows);
  // The changes' seqs are left 0 here: AppendChanges numbers them.
  static BulkRows Encode(std::span<const BulkChange> rows);

  // Inserts subjects, websites, domains or website providers (not changes).
  core::Status Insert(const BulkRows& rows);

  // Domain staging, SQLite only (a bulk load into an empty registry on the one writer
  // connection, which owns the TEMP table): the domains of every batch are appended to a
  // temporary table and moved into registry_domains once, sorted by its primary key, at the end.
  // Why: the punycode of generated IDN labels is not ordered like the filing index, so inserting
  // them batch by batch dirties a random leaf of the primary-key index per domain — at millions
  // of rows every transaction rewrites (and journals) most of that index. In key order the move
  // appends. Until FinishDomainStaging commits, the registry's websites have no domains.
  core::Status BeginDomainStaging();
  // Appends encoded domains (Encode(std::span<const BulkDomain>)) to the staging table.
  core::Status InsertStaged(const BulkRows& domains);
  // Moves the staged domains into registry_domains in primary-key order and drops the table;
  // returns how many moved.
  core::Result<int64_t> FinishDomainStaging();
  // Drops the staging table without moving anything (a failed load).
  core::Status AbandonDomainStaging();
  // Appends encoded changes with consecutive seqs taken from the change counter (in this
  // transaction, as RegistryRepo::AppendChange does; `rows` receives them, so a retried
  // transaction numbers them again); returns the last seq (0: none appended).
  core::Result<int64_t> AppendChanges(BulkRows& rows);

 private:
  Tx& tx_;
};

}  // namespace beian::store
