// The agent's audit trail (DESIGN §7, issue 7 item 8): an append-only, hash-chained log of the
// views of full personal numbers (and any later audited action). Each row's hash is
// AuditHash(prev_hash, its content) (review_logic.h); the first row chains to kAuditGenesis.
// AppendAudit runs inside the caller's transaction (two concurrent appends cannot take the same
// place in the chain: the second is retried by the database layer); VerifyAuditLog walks the
// whole chain (`beian audit verify`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "store/database.h"
#include "store/review.h"

namespace beian::agent {

struct AuditEntry {
  int64_t at_ms = 0;
  std::string actor_id;
  std::string action;
  std::string application_id;
  std::string detail;  // JSON
};

core::Result<store::AuditRow> AppendAudit(store::Tx& tx, const AuditEntry& entry);

struct AuditVerification {
  int64_t rows = 0;  // rows checked (up to and including the first broken one)
  std::optional<int64_t> broken_seq;
  std::string problem;  // why the first broken row is broken
};

// Walks the chain in seq order, in pages; the first row whose seq is not the next number, whose
// prev_hash is not the previous row's hash or whose hash does not match its content is reported.
core::Result<AuditVerification> VerifyAuditLog(store::Database& db);

}  // namespace beian::agent
