// RegistryBulkWriter: multi-row INSERTs into the registry tables (see registry_bulk.h).
#include "store/registry_bulk.h"

#include <bit>
#include <memory>
#include <mutex>
#include <vector>

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

constexpr Statement kSnCounters{"sn_counters.all",
                                "SELECT province, year, last_sequence FROM sn_counters"};
constexpr Statement kRaiseSnCounter{
    "sn_counters.raise",
    "INSERT INTO sn_counters (province, year, last_sequence) VALUES ($1, $2, $3)"
    " ON CONFLICT (province, year) DO UPDATE SET last_sequence = CASE"
    " WHEN excluded.last_sequence > sn_counters.last_sequence THEN excluded.last_sequence"
    " ELSE sn_counters.last_sequence END"};
constexpr Statement kAnySubject{"registry_subjects.any", "SELECT 1 FROM registry_subjects LIMIT 1"};
constexpr Statement kSecondaryIndexes{
    "registry.secondary_indexes",
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    " AND tbl_name = $1 ORDER BY name",
    "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = current_schema()"
    " AND tablename = $1"
    " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
    " ORDER BY indexname"};
constexpr Statement kReserveChangeSeqs{
    "registry_change_counter.reserve",
    "UPDATE registry_change_counter SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq"};

// A multi-row INSERT statement: `head` ("INSERT INTO t (a, b) VALUES ") followed by `rows`
// groups of `columns` placeholders. Statements hold views, so the texts live in a process-wide
// table built on first use; the name carries the row count (one prepared statement each).
const Statement& MultiRowInsert(std::string_view name, std::string_view head, int columns,
                                size_t rows) {
  struct Entry {
    std::string name;
    std::string sql;  // SQLite's
    std::string postgres;
    Statement statement;
  };
  static std::mutex mu;
  static auto* table = new std::map<std::string, std::unique_ptr<Entry>, std::less<>>();
  // SQLite gets "INSERT OR ROLLBACK": a constraint violation then ends the whole transaction
  // (the batch fails as one, as it would anyway) instead of undoing just the statement, so
  // SQLite keeps no statement journal — with ON CONFLICT ABORT (the default) every multi-row
  // statement copied the pages it touched to a temporary file first, some 20 KB per filing.
  // PostgreSQL has no such clause (nor a statement journal).

  std::string key = std::string(name) + ".bulk" + std::to_string(rows);
  std::lock_guard lock(mu);
  auto it = table->find(key);
  if (it != table->end()) return it->second->statement;
  auto e = std::make_unique<Entry>();
  e->name = key;
  e->sql = std::string(head);
  int n = 0;
  for (size_t r = 0; r < rows; ++r) {
    e->sql += r == 0 ? "(" : ", (";
    for (int c = 0; c < columns; ++c) {
      if (c > 0) e->sql += ", ";
      e->sql += "$" + std::to_string(++n);
    }
    e->sql += ")";
  }
  e->postgres = e->sql;
  e->sql.insert(std::string_view("INSERT ").size(), "OR ROLLBACK ");
  e->statement = Statement{e->name, e->sql, e->postgres};
  return table->emplace(std::move(key), std::move(e)).first->second->statement;
}

struct TableSpec {
  std::string_view name;
  std::string_view head;
  int columns;
};

const TableSpec& Spec(BulkRows::Table t) {
  static constexpr TableSpec kSpecs[] = {
      {"registry_subjects.insert",
       "INSERT INTO registry_subjects (id, subject_sn, province, sn_year, sn_sequence,"
       " certificate_type, certificate_hash, certificate_sealed, organizer_type, organizer_name,"
       " person_sealed, icp_password_hash, status, last_website_index, created_at, updated_at)"
       " VALUES ",
       16},
      {"registry_websites.insert",
       "INSERT INTO registry_websites (id, subject_id, website_sn, website_index, name,"
       " person_sealed, status, approved_at, updated_at) VALUES ",
       9},
      {"registry_domains.insert",
       "INSERT INTO registry_domains (domain, website_id, valid_from, valid_to) VALUES ", 4},
      {"registry_website_providers.insert",
       "INSERT INTO registry_website_providers (website_id, provider_id, valid_from, valid_to)"
       " VALUES ",
       4},
      {"registry_changes.insert",
       "INSERT INTO registry_changes (seq, website_sn, body, created_at) VALUES ", 4},
  };
  return kSpecs[static_cast<size_t>(t)];
}

// The staging table of domains (RegistryBulkWriter::BeginDomainStaging): registry_domains'
// columns, no key (rows are appended in rowid order), in the connection's temporary database.
constexpr TableSpec kStagedDomains{
    "registry_domains_staged.insert",
    "INSERT INTO temp.registry_domains_staged (domain, website_id, valid_from, valid_to) VALUES ",
    4};

// Inserts encoded rows in statements of kBulkRowsPerStatement rows, the rest in power-of-two
// chunks (so that at most ~9 statement shapes exist per table, whatever the batch sizes).
Status InsertChunked(Tx& tx, const BulkRows& rows, const TableSpec& spec) {
  const size_t columns = static_cast<size_t>(spec.columns);
  if (rows.params.size() != rows.rows * columns) {
    return Error(ErrorCode::kInternal, "bulk rows of " + std::string(spec.name) + " are ragged");
  }
  size_t start = 0;
  while (start < rows.rows) {
    const size_t left = rows.rows - start;
    const size_t n = left >= kBulkRowsPerStatement ? kBulkRowsPerStatement : std::bit_floor(left);
    BEIAN_TRY(tx.Exec(MultiRowInsert(spec.name, spec.head, spec.columns, n),
                      std::span<const Param>(rows.params).subspan(start * columns, n * columns)));
    start += n;
  }
  return core::Ok();
}

Status InsertChunked(Tx& tx, const BulkRows& rows) {
  return InsertChunked(tx, rows, Spec(rows.table));
}

template <typename T, typename F>
BulkRows EncodeRows(BulkRows::Table table, std::span<const T> rows, F&& append) {
  BulkRows out;
  out.table = table;
  out.rows = rows.size();
  out.params.reserve(rows.size() * static_cast<size_t>(Spec(table).columns));
  for (const T& r : rows) append(r, out.params);
  return out;
}

}  // namespace

Status RegistryBulkWriter::PrepareBulkLoad(int64_t cache_bytes) {
  if (tx_.dialect() != Dialect::kSqlite) return core::Ok();
  // A negative cache_size is in KiB.
  // The WAL may grow to ~400 MB before a checkpoint copies it back: an index page written by
  // several batches reaches the database file once per checkpoint, not once per batch.
  // threads=2: the sorts of a bulk load's end (CREATE INDEX, the staged domains' ORDER BY) use a
  // helper thread — the builder thread is idle by then.
  return tx_.ExecScript("PRAGMA cache_size=-" + std::to_string(cache_bytes / 1024) +
                        "; PRAGMA wal_autocheckpoint=100000; PRAGMA threads=2;");
}

Result<bool> RegistryBulkWriter::RegistryEmpty() {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kAnySubject));
  return !row.has_value();
}

Result<std::vector<RegistryIndex>> RegistryBulkWriter::SecondaryIndexes(std::string_view table) {
  if (table != "registry_subjects" && table != "registry_websites" && table != "registry_domains") {
    return Error(ErrorCode::kInternal, "not a registry table: " + std::string(table));
  }
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kSecondaryIndexes, {table}));
  std::vector<RegistryIndex> out;
  for (const Row& row : rows) {
    RegistryIndex i;
    BEIAN_ASSIGN_OR_RETURN(i.name, row.GetText(0));
    BEIAN_ASSIGN_OR_RETURN(i.sql, row.GetText(1));
    if (i.name.find('"') != std::string::npos) {
      return Error(ErrorCode::kInternal, "unexpected index name " + i.name);
    }
    out.push_back(std::move(i));
  }
  return out;
}

Status RegistryBulkWriter::DropIndexes(const std::vector<RegistryIndex>& indexes) {
  for (const RegistryIndex& i : indexes) BEIAN_TRY(tx_.ExecScript("DROP INDEX \"" + i.name + "\""));
  return core::Ok();
}

Status RegistryBulkWriter::CreateIndexes(const std::vector<RegistryIndex>& indexes) {
  for (const RegistryIndex& i : indexes) BEIAN_TRY(tx_.ExecScript(i.sql));
  return core::Ok();
}

Result<SnCounterMap> RegistryBulkWriter::SnCounters() {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kSnCounters));
  SnCounterMap out;
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(std::string province, row.GetText(0));
    BEIAN_ASSIGN_OR_RETURN(int64_t year, row.GetInt(1));
    BEIAN_ASSIGN_OR_RETURN(int64_t last, row.GetInt(2));
    out[{std::move(province), static_cast<int>(year)}] = last;
  }
  return out;
}

Status RegistryBulkWriter::RaiseSnCounters(const SnCounterMap& counters) {
  for (const auto& [key, last] : counters) {
    BEIAN_TRY(tx_.Exec(kRaiseSnCounter, {key.first, key.second, last}));
  }
  return core::Ok();
}

BulkRows RegistryBulkWriter::Encode(std::span<const BulkSubject> rows) {
  return EncodeRows(BulkRows::Table::kSubjects, rows,
                    [](const BulkSubject& s, std::vector<Param>& p) {
                      p.emplace_back(s.id);
                      p.emplace_back(s.subject_sn);
                      p.emplace_back(s.province);
                      p.emplace_back(s.year);
                      p.emplace_back(s.sequence);
                      p.emplace_back(s.certificate_type);
                      p.emplace_back(s.certificate_hash);
                      p.emplace_back(s.certificate_sealed);
                      p.emplace_back(s.organizer_type);
                      p.emplace_back(s.organizer_name);
                      p.emplace_back(s.person_sealed);
                      p.emplace_back("");  // no ICP password: authority/registry_generator.h
                      p.emplace_back(s.status);
                      p.emplace_back(s.last_website_index);
                      p.emplace_back(s.created_ms);
                      p.emplace_back(s.updated_ms);
                    });
}

BulkRows RegistryBulkWriter::Encode(std::span<const BulkWebsite> rows) {
  return EncodeRows(BulkRows::Table::kWebsites, rows,
                    [](const BulkWebsite& w, std::vector<Param>& p) {
                      p.emplace_back(w.id);
                      p.emplace_back(w.subject_id);
                      p.emplace_back(w.website_sn);
                      p.emplace_back(w.website_index);
                      p.emplace_back(w.name);
                      p.emplace_back(w.person_sealed);
                      p.emplace_back(w.status);
                      p.emplace_back(w.approved_ms);
                      p.emplace_back(w.updated_ms);
                    });
}

BulkRows RegistryBulkWriter::Encode(std::span<const BulkDomain> rows) {
  return EncodeRows(BulkRows::Table::kDomains, rows,
                    [](const BulkDomain& d, std::vector<Param>& p) {
                      p.emplace_back(d.domain);
                      p.emplace_back(d.website_id);
                      p.emplace_back(d.valid_from_ms);
                      p.emplace_back(d.valid_to_ms);
                    });
}

BulkRows RegistryBulkWriter::Encode(std::span<const BulkWebsiteProvider> rows) {
  return EncodeRows(BulkRows::Table::kWebsiteProviders, rows,
                    [](const BulkWebsiteProvider& w, std::vector<Param>& p) {
                      p.emplace_back(w.website_id);
                      p.emplace_back(w.provider_id);
                      p.emplace_back(w.valid_from_ms);
                      p.emplace_back(w.valid_to_ms);
                    });
}

BulkRows RegistryBulkWriter::Encode(std::span<const BulkChange> rows) {
  return EncodeRows(BulkRows::Table::kChanges, rows,
                    [](const BulkChange& c, std::vector<Param>& p) {
                      p.emplace_back(int64_t{0});
                      p.emplace_back(c.website_sn);
                      p.emplace_back(c.body);
                      p.emplace_back(c.created_ms);
                    });
}

Status RegistryBulkWriter::Insert(const BulkRows& rows) {
  if (rows.table == BulkRows::Table::kChanges) {
    return Error(ErrorCode::kInternal, "changes are appended with AppendChanges");
  }
  return InsertChunked(tx_, rows);
}

Status RegistryBulkWriter::BeginDomainStaging() {
  if (tx_.dialect() != Dialect::kSqlite) {
    return Error(ErrorCode::kInternal, "domain staging is for SQLite only");
  }
  return tx_.ExecScript(
      "DROP TABLE IF EXISTS temp.registry_domains_staged;"
      " CREATE TEMP TABLE registry_domains_staged (domain TEXT NOT NULL, website_id TEXT NOT NULL,"
      " valid_from INTEGER NOT NULL, valid_to INTEGER) STRICT;");
}

Status RegistryBulkWriter::InsertStaged(const BulkRows& domains) {
  if (domains.table != BulkRows::Table::kDomains) {
    return Error(ErrorCode::kInternal, "only domains are staged");
  }
  return InsertChunked(tx_, domains, kStagedDomains);
}

Result<int64_t> RegistryBulkWriter::FinishDomainStaging() {
  static constexpr Statement kMove{
      "registry_domains_staged.move",
      "INSERT OR ROLLBACK INTO registry_domains (domain, website_id, valid_from, valid_to)"
      " SELECT domain, website_id, valid_from, valid_to FROM temp.registry_domains_staged"
      " ORDER BY domain, website_id, valid_from"};
  BEIAN_ASSIGN_OR_RETURN(int64_t moved, tx_.Exec(kMove));
  BEIAN_TRY(AbandonDomainStaging());
  return moved;
}

Status RegistryBulkWriter::AbandonDomainStaging() {
  return tx_.ExecScript("DROP TABLE IF EXISTS temp.registry_domains_staged");
}

Result<int64_t> RegistryBulkWriter::AppendChanges(BulkRows& rows) {
  if (rows.table != BulkRows::Table::kChanges) {
    return Error(ErrorCode::kInternal, "AppendChanges takes changes");
  }
  if (rows.rows == 0) return int64_t{0};
  BEIAN_ASSIGN_OR_RETURN(auto row,
                         tx_.QueryOne(kReserveChangeSeqs, {static_cast<int64_t>(rows.rows)}));
  if (!row) return Error(ErrorCode::kInternal, "registry_change_counter has no row");
  BEIAN_ASSIGN_OR_RETURN(const int64_t last, row->GetInt(0));
  int64_t seq = last - static_cast<int64_t>(rows.rows);
  for (size_t i = 0; i < rows.rows; ++i) rows.params[i * 4] = Param(++seq);
  BEIAN_TRY(InsertChunked(tx_, rows));
  return last;
}

}  // namespace beian::store
