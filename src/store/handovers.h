// The agent's side of the authority exchange (issue 10 items 3 and 6; migration 0009): the
// hand-over outbox (authority_handovers), the authority's events received (authority_events)
// and the nonces of the authority's signed requests (authority_nonces).
//
// A hand-over row is written by accept_photo's transaction (Enqueue) and worked by
// agent::HandoverWorker: Claim takes due rows with a lease (FOR UPDATE SKIP LOCKED on
// PostgreSQL, so several nodes never take the same row), and MarkDelivered / MarkRefused /
// MarkRetry / Release end the lease — each only while the caller still holds it, so a worker
// whose lease ran out (another took the row) changes nothing. Timestamps are unix milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

struct Handover {
  std::string submission_id;  // "<application id>.<n>"
  std::string application_id;
  std::string state;  // pending | sending | delivered | refused
  int64_t attempts = 0;
  int64_t next_attempt_at_ms = 0;
  std::optional<std::string> lease_owner;
  std::optional<int64_t> lease_until_ms;
  std::string last_error;
  std::optional<std::string> authority_submission_id;
  // handing_over | sms_verification | under_review | approved | rejected | expired | refused
  std::string authority_state = "handing_over";
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::optional<int64_t> delivered_at_ms;
};

class HandoverRepo {
 public:
  explicit HandoverRepo(Tx& tx) : tx_(tx) {}

  // A new pending row for the application, due now: submission id "<application id>.<n>" with
  // n = 1 + the application's earlier rows.
  core::Result<Handover> Enqueue(std::string_view application_id, int64_t now_ms);
  // Up to `limit` due rows (pending and due, or sending with an expired lease), now leased to
  // `owner` until now + lease, attempts counted; oldest due first.
  core::Result<std::vector<Handover>> Claim(std::string_view owner, int64_t now_ms,
                                            int64_t lease_ms, int limit);
  // The ends of a lease; false when `owner` no longer holds the row.
  core::Result<bool> MarkDelivered(std::string_view submission_id, std::string_view owner,
                                   int64_t now_ms, std::string_view authority_submission_id,
                                   std::string_view authority_state);
  core::Result<bool> MarkRefused(std::string_view submission_id, std::string_view owner,
                                 int64_t now_ms, std::string_view error);
  core::Result<bool> MarkRetry(std::string_view submission_id, std::string_view owner,
                               int64_t now_ms, int64_t next_attempt_at_ms, std::string_view error);
  // Gives the row back unattempted (a worker stopping): pending, due now, attempt uncounted.
  core::Result<bool> Release(std::string_view submission_id, std::string_view owner,
                             int64_t now_ms);
  // What an event tells of the submission at the authority.
  core::Status SetAuthorityState(std::string_view submission_id, std::string_view authority_state,
                                 int64_t now_ms);

  core::Result<std::optional<Handover>> Find(std::string_view submission_id);
  // The application's newest row (its current or last submission).
  core::Result<std::optional<Handover>> Latest(std::string_view application_id);
  // Rows not delivered nor refused, and the creation time of the oldest (nullopt: none).
  struct Backlog {
    int64_t open = 0;
    std::optional<int64_t> oldest_created_at_ms;
  };
  core::Result<Backlog> OpenBacklog();

 private:
  Tx& tx_;
};

struct AuthorityEventRow {
  std::string event_id;
  std::string submission_id;
  std::string application_id;
  std::string type;
  std::string body;  // the event JSON as received
  int64_t received_at_ms = 0;
};

class AuthorityEventRepo {
 public:
  explicit AuthorityEventRepo(Tx& tx) : tx_(tx) {}
  // False when an event of this id was recorded before (nothing written).
  core::Result<bool> Insert(const AuthorityEventRow& row);

 private:
  Tx& tx_;
};

class AuthorityNonceRepo {
 public:
  explicit AuthorityNonceRepo(Tx& tx) : tx_(tx) {}
  // False when the (provider, nonce) was seen before (a replay).
  core::Result<bool> Remember(std::string_view provider_id, std::string_view nonce,
                              int64_t expires_at_ms);
  core::Result<int64_t> PurgeExpired(int64_t now_ms);

 private:
  Tx& tx_;
};

}  // namespace beian::store
