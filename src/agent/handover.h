// The hand-over of an application to the authority (issue 10 item 3; the authority contract §1):
// accept_photo's transaction enqueues a row of the hand-over outbox (store/handovers.h,
// EnqueueHandover); the HandoverWorker claims due rows with a lease, builds the submission
// (BuildSubmissionPayload: the application in clear and every document, base64), POSTs it signed
// to POST /authority/v1/submissions, and applies the answer in ONE transaction:
//   200/201        the row is delivered, the authority's id stored, `forward` (system) →
//                  authority_review;
//   409/422        the authority refused it for good (submission_conflict,
//                  document_hash_mismatch): the row is refused, `handover_refused` (system) →
//                  returned with a rejection snapshot of the authority's details as reasons;
//   anything else  (no answer, 5xx, 429, 400, 401, 413) a retry after notify::RetryDelay (base
//                  doubled per attempt, capped at 10 minutes, jittered); it never gives up.
// The authority is idempotent on submission_id, so a worker killed after the POST and before
// its transaction (or one whose lease ran out) only makes the next attempt a repeat, answered
// 200 with the same submission: nothing is lost or doubled. The agent does not depend on the
// authority room: `beian serve` hands it the sender (authority::AuthorityClient::Submit).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "agent/application_transitions.h"
#include "blob/blob_store.h"
#include "core/clock.h"
#include "core/periodic_task.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "domain/application.h"
#include "store/database.h"
#include "store/documents.h"
#include "store/handovers.h"

namespace beian::agent {

// The authority's HTTP answer to a submission.
struct SubmissionReply {
  long status = 0;
  std::string body;
};
// POSTs the submission JSON (signed); an error only when no answer came (kUnavailable).
using SubmissionSender = std::function<core::Result<SubmissionReply>(const std::string& body)>;

struct HandoverOptions {
  std::chrono::milliseconds poll_interval{500};
  std::chrono::milliseconds retry_base{2000};
  std::chrono::milliseconds retry_max{std::chrono::minutes(10)};
  // How long a worker holds a claimed row; longer than the sender's timeout.
  std::chrono::milliseconds lease{std::chrono::seconds(120)};
  int batch = 4;
};

// A document with its bytes, as the submission carries it.
struct SubmissionDocument {
  store::DocumentRow row;
  std::string content;
};

// The contract's "sms_persons" of a precheck's paths: "organizer.person_in_charge" →
// "organizer", "websites[i].person_in_charge" → "website:i".
std::vector<std::string> ContractSmsPersons(const std::vector<std::string>& paths);

// The submission JSON (contract §1) of `app` (values in clear; filing_type judged).
boost::json::object BuildSubmissionPayload(const std::string& submission_id,
                                           const domain::Application& app,
                                           const std::vector<SubmissionDocument>& documents);

// What an answer of the authority means for the row.
struct ReplyVerdict {
  enum class Kind { kDelivered, kRefused, kRetry };
  Kind kind = Kind::kRetry;
  std::string authority_submission_id;  // kDelivered
  std::string authority_state;          // kDelivered: the submission's state ("sms_verification")
  std::vector<Reason> reasons;          // kRefused: the reasons of the returned application
  std::string error;                    // kRefused and kRetry: what happened, for the row
};
ReplyVerdict JudgeReply(const SubmissionReply& reply);

// Inserts the hand-over row of an application whose photo was just accepted (the caller's
// transaction is accept_photo's).
core::Result<store::Handover> EnqueueHandover(store::Tx& tx, const std::string& application_id,
                                              int64_t now_ms);

struct HandoverCounters {
  std::atomic<int64_t> delivered{0};
  std::atomic<int64_t> refused{0};
  std::atomic<int64_t> retried{0};
};

class HandoverWorker {
 public:
  // `blobs` holds the documents; `context` is the applications service's transition context.
  HandoverWorker(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                 blob::BlobStore& blobs, TransitionContext context, SubmissionSender sender,
                 HandoverOptions options = {});
  ~HandoverWorker();  // Stop()
  HandoverWorker(const HandoverWorker&) = delete;
  HandoverWorker& operator=(const HandoverWorker&) = delete;

  void Start();
  // Returns after the row in hand is finished; claimed rows not begun go back.
  void Stop();

  // One claim-and-send round of worker `owner` (tests, and the loop); the rows claimed.
  core::Result<int> RunOnce(const std::string& owner);

  const HandoverCounters& counters() const { return counters_; }
  const HandoverOptions& options() const { return options_; }

 private:
  void Process(const std::string& owner, const store::Handover& h);
  core::Result<std::string> Payload(const store::Handover& h);
  int64_t NowMs() const;

  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
  blob::BlobStore& blobs_;
  TransitionContext context_;
  SubmissionSender sender_;
  HandoverOptions options_;
  std::string owner_;
  HandoverCounters counters_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<core::PeriodicTask> task_;
};

}  // namespace beian::agent
