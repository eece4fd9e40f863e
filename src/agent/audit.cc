// The hash-chained audit log (see audit.h).
#include "agent/audit.h"

#include "agent/review_logic.h"

namespace beian::agent {

core::Result<store::AuditRow> AppendAudit(store::Tx& tx, const AuditEntry& entry) {
  store::AuditRepo audit(tx);
  BEIAN_ASSIGN_OR_RETURN(auto last, audit.Last());
  store::AuditRow row;
  row.seq = last ? last->seq + 1 : 1;
  row.at_ms = entry.at_ms;
  row.actor_id = entry.actor_id;
  row.action = entry.action;
  row.application_id = entry.application_id;
  row.detail = entry.detail;
  row.prev_hash = last ? last->hash : std::string(kAuditGenesis);
  row.hash = AuditHash(row.prev_hash, row.seq, row.at_ms, row.actor_id, row.action,
                       row.application_id, row.detail);
  BEIAN_TRY(audit.Insert(row));
  return row;
}

core::Result<AuditVerification> VerifyAuditLog(store::Database& db) {
  constexpr int kPage = 1000;
  AuditVerification out;
  int64_t after = 0;
  std::string prev_hash(kAuditGenesis);
  while (true) {
    BEIAN_ASSIGN_OR_RETURN(auto rows, db.Read([&](store::Tx& tx) {
      return store::AuditRepo(tx).After(after, kPage);
    }));
    for (const store::AuditRow& row : rows) {
      ++out.rows;
      std::string problem;
      if (row.seq != after + 1) {
        problem = "expected seq " + std::to_string(after + 1) + " (a row is missing)";
      } else if (row.prev_hash != prev_hash) {
        problem = "prev_hash is not the hash of the row before";
      } else if (row.hash != AuditHash(row.prev_hash, row.seq, row.at_ms, row.actor_id, row.action,
                                       row.application_id, row.detail)) {
        problem = "hash does not match the row's content (the row was changed)";
      }
      if (!problem.empty()) {
        out.broken_seq = row.seq;
        out.problem = std::move(problem);
        return out;
      }
      after = row.seq;
      prev_hash = row.hash;
    }
    if (rows.size() < static_cast<size_t>(kPage)) return out;
  }
}

}  // namespace beian::agent
