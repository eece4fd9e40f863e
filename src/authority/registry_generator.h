// The national-scale registry generator (issue 11 item 1, `beian admin generate-registry`):
// writes N synthetic filings (domain/synthetic_registry.h) into the authority's registry as
// approvals would have left them — subjects numbered per RULES.md "Numbers" continuing
// sn_counters (so later approvals go on from the generated sequences), websites "-1", "-2", …,
// domains and, when a provider is named, the website's access provider; certificate numbers and
// persons in charge really sealed (core::PiiCipher, the columns RegistryService uses) with the
// certificate's keyed hash; cancelled subjects and websites with their domains' validity
// closed; and one change-feed row per website carrying its public record
// (RegistryService::PublicRecord), so agents sync the generated registry like a real one.
//
// Batches of `batch` filings are built outside the database and written in one transaction
// each with multi-row statements (store/registry_bulk.h); a failed batch rolls back alone, the
// batches before it stay. Deterministic: the same N, seed and provinces give the same rows into
// an empty registry (ids included). Generated subjects have no ICP password (an Argon2id hash
// per subject would cost hours at this scale): VerifyCredentials refuses them.
// Run it while no approvals happen: it numbers subjects from the counters it read at the start.
//
// Speed: into an empty registry (and N ≥ rebuild_indexes_from) the subjects' secondary indexes
// (certificate hash, organizer name: random keys) are dropped first and built once at the end —
// a sort instead of millions of random B-tree inserts. ASCII domain labels grow with the filing
// index, but the punycode of IDN labels does not: on SQLite the domains are staged in a TEMP
// table and moved into registry_domains in key order at the end
// (store::RegistryBulkWriter::BeginDomainStaging), their secondary indexes dropped and built
// after the move. If the process is KILLED during such a load, the partial registry lacks those
// indexes (and on SQLite its domains): delete it and generate again (an error return moves the
// staged domains in and re-creates the indexes). SQLite: `beian admin generate-registry` opens
// the file with a rollback journal (store::DatabaseOptions::sqlite_rollback_journal): crash-safe,
// new pages written once; and without foreign-key enforcement (sqlite_foreign_keys), which with
// the bulk writer's INSERT OR ROLLBACK spares SQLite its statement journal.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "domain/rules.h"
#include "store/database.h"

namespace beian::authority {

struct GenerateRegistryOptions {
  int64_t filings = 0;
  uint64_t seed = 1;
  std::vector<std::string> provinces;  // GB codes; empty = all
  std::string provider_id;             // "" = no provider rows
  // Filings per transaction. Every transaction rewrites (and journals) the last leaf of each
  // (province, year) sequence in the SN indexes, some 2,500 pages: 25,000 filings amortize that
  // to a few percent of the rows' own bytes (5,000 doubled the bytes written).
  int batch = 25000;
  std::ostream* domains_out = nullptr;  // the active registrable domains (punycode), one a line
  // Into an empty registry, from this many filings on, the subjects' secondary indexes are
  // dropped for the load and created again at the end (store/registry_bulk.h).
  int64_t rebuild_indexes_from = 100'000;
  // Called after each committed batch with the filings written so far.
  std::function<void(int64_t done, int64_t total)> progress;
};

struct GenerateRegistryReport {
  int64_t subjects = 0;
  int64_t websites = 0;
  int64_t domains = 0;
  int64_t active_domains = 0;  // those written to domains_out
  int64_t cancelled_websites = 0;
  int64_t last_seq = 0;  // the change feed's last seq afterwards
  // CPU seconds of the two threads: building batches (generation, sealing, records, encoding)
  // and writing them (the database client's side; PostgreSQL's server work is not in it).
  double build_cpu_seconds = 0;
  double write_cpu_seconds = 0;
  bool indexes_rebuilt = false;
  double index_seconds = 0;           // creating them again
  bool domains_staged = false;        // SQLite fast path: domains moved in at the end
  double staged_domains_seconds = 0;  // moving them
};

// kValidationFailed for N outside 1..kMaxSyntheticFilings, an unknown province or a batch
// outside 1..100000; kConflict when a generated row is already in the registry (the same seed
// generated before; see domain/synthetic_registry.h).
core::Result<GenerateRegistryReport> GenerateRegistry(store::Database& db, const core::Clock& clock,
                                                      const core::PiiCipher& pii,
                                                      const domain::Rules& rules,
                                                      const GenerateRegistryOptions& options);

}  // namespace beian::authority
