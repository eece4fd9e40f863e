// The review aggregate (issue 7 items 5–6, 8): reviewers' claims on applications, backdrop
// requests, the snapshots kept at each rejection, the reviewer's queue, and the append-only audit
// log. Like applications.h it knows nothing of the rules: the agent's review service decides
// what may happen and hands this layer finished values (the backdrop mobile already sealed, the
// audit row's hash already computed).
//
// A claim is taken with ONE conditional upsert — insert, or take over the row only when it is
// the same reviewer's or has expired — so the primary key of review_claims decides between two
// concurrent claims on both backends and across processes; nothing reads first and writes after.
// Timestamps are unix milliseconds (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/applications.h"
#include "store/database.h"

namespace beian::store {

struct ClaimRow {
  std::string application_id;
  std::string reviewer_id;
  std::string reviewer_name;  // the reviewer's display name
  int64_t claimed_at_ms = 0;
  int64_t expires_at_ms = 0;
};

class ReviewClaimRepo {
 public:
  explicit ReviewClaimRepo(Tx& tx) : tx_(tx) {}

  // Claims `application_id` for `reviewer_id` until `expires_at_ms`: true when the claim is now
  // the reviewer's (new, taken over from an expired claim, or their own extended); false when
  // another reviewer's claim is live at `now_ms` (nothing changed).
  core::Result<bool> Take(std::string_view application_id, std::string_view reviewer_id,
                          int64_t now_ms, int64_t expires_at_ms);
  // The claim row, live or expired, if any.
  core::Result<std::optional<ClaimRow>> Find(std::string_view application_id);
  // Deletes the reviewer's own claim; false when they held none.
  core::Result<bool> Release(std::string_view application_id, std::string_view reviewer_id);
  // Deletes whoever's claim (after a decision).
  core::Status Clear(std::string_view application_id);

 private:
  Tx& tx_;
};

struct BackdropRow {
  std::string application_id;
  std::string recipient;
  std::string mobile_sealed;
  std::string mobile_masked;
  std::string address;
  int64_t requested_at_ms = 0;
  std::optional<std::string> carrier = std::nullopt;
  std::optional<std::string> tracking_number = std::nullopt;
  std::optional<int64_t> shipped_at_ms = std::nullopt;
  std::string organizer_name = {};  // read only: from the application
};

struct BackdropPage {
  std::vector<BackdropRow> items;
  std::string next_cursor;  // empty on the last page
};

class BackdropRepo {
 public:
  explicit BackdropRepo(Tx& tx) : tx_(tx) {}

  // Records the request, replacing an earlier one of the application (shipping cleared).
  core::Status Upsert(const BackdropRow& row);
  core::Result<std::optional<BackdropRow>> Find(std::string_view application_id);
  // Sets carrier, tracking number and time; false when there is no request.
  core::Result<bool> MarkShipped(std::string_view application_id, std::string_view carrier,
                                 std::string_view tracking_number, int64_t shipped_at_ms);
  // `shipped` false: requests not shipped yet whose application waits in backdrop_requested;
  // true: shipped ones. Oldest request first, `limit` (1…100) after `cursor`.
  core::Result<BackdropPage> List(bool shipped, int limit, std::string_view cursor);

 private:
  Tx& tx_;
};

struct RejectionRow {
  std::string application_id;
  int64_t event_seq = 0;
  std::string event;         // reject, reject_photo, authority_reject
  std::string reasons_json;  // [{field, code, message}]
  std::string body;          // the sealed application body at the rejection
  std::string documents_json;
  int64_t created_at_ms = 0;
};

class RejectionRepo {
 public:
  explicit RejectionRepo(Tx& tx) : tx_(tx) {}

  core::Status Insert(const RejectionRow& row);
  // The most recent rejection of the application.
  core::Result<std::optional<RejectionRow>> Latest(std::string_view application_id);

 private:
  Tx& tx_;
};

// What the application JSON shows besides its row and body.
struct ReviewFacts {
  std::optional<int64_t> submitted_at_ms;  // first entry into preliminary_review
  int64_t last_acceptance_seq = 0;         // seq of the last approve / accept_photo (0: none)
};

struct QueueFilter {
  std::string state = {};           // required: preliminary_review, photo_uploaded, photo_accepted
  std::string province = {};        // "" = any
  std::string organizer_type = {};  // "" = any
  bool overdue_only = false;        // SLA deadline before now_ms
  int64_t now_ms = 0;               // claims expired before this are shown as none
};

struct QueueItem {
  ApplicationRecord application;
  std::optional<ClaimRow> claim;  // a live claim
  std::optional<int64_t> submitted_at_ms;
  bool resubmission = false;  // rejected before at this stage (photo: reject_photo)
};

struct QueuePage {
  std::vector<QueueItem> items;
  std::string next_cursor;
};

class ReviewQueueRepo {
 public:
  explicit ReviewQueueRepo(Tx& tx) : tx_(tx) {}

  // Applications in `filter.state`, oldest state_entered_at first. kValidationFailed for a bad
  // cursor or limit.
  core::Result<QueuePage> List(const QueueFilter& filter, int limit, std::string_view cursor);
  core::Result<ReviewFacts> Facts(std::string_view application_id);

 private:
  Tx& tx_;
};

struct AuditRow {
  int64_t seq = 0;  // 1, 2, … over the whole log
  int64_t at_ms = 0;
  std::string actor_id;
  std::string action;  // "reveal"
  std::string application_id;
  std::string detail;  // JSON
  std::string prev_hash;
  std::string hash;
};

class AuditRepo {
 public:
  explicit AuditRepo(Tx& tx) : tx_(tx) {}

  // The last row of the chain, if any.
  core::Result<std::optional<AuditRow>> Last();
  // Inserts `row` (seq must be the last seq + 1). A concurrent append that took the same seq
  // makes this kSerializationFailure, so the caller's transaction is retried on a fresh chain.
  core::Status Insert(const AuditRow& row);
  // Rows after `after_seq`, in order, at most `limit`.
  core::Result<std::vector<AuditRow>> After(int64_t after_seq, int limit);

 private:
  Tx& tx_;
};

}  // namespace beian::store
