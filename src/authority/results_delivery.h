// Results back to the providers (issue 10 item 6; contract §4): the worker that delivers the
// provider_events outbox. Each row was written by TransitionSubmission in the transaction of the
// transition; RunOnce() claims due rows with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL, so
// several authority nodes never take the same row), POSTs each body to
// `<provider callback_url>/api/v1/authority/events`, signed with the PROVIDER's key
// (X-Beian-Provider = the provider id; core/request_signing.h), and marks it:
//   2xx                      → delivered (the agent is idempotent on event_id)
//   409 (invalid_transition) → delivered, the answer kept in last_error and logged: the agent
//                              will never accept it, retrying would loop forever
//   anything else (network error, timeout, 5xx, 429, other 4xx)
//                            → pending again after notify::RetryDelay(attempts), at most
//                              `max_backoff` (10 min); never given up.
// A worker killed mid-delivery leaves its lease; once it runs out the row is claimed again and
// re-sent with the same event_id, so the agent applies it once ("exactly once" = at-least-once
// delivery + the receiver's idempotency). Marks are conditional on the lease.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "core/clock.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "store/database.h"

namespace beian::authority {

inline constexpr std::string_view kProviderEventsPath = "/api/v1/authority/events";

struct ResultsDeliveryOptions {
  int batch = 8;
  std::chrono::milliseconds lease{60000};
  std::chrono::milliseconds timeout{10000};  // per HTTP call
  std::chrono::milliseconds base_backoff{1000};
  std::chrono::milliseconds max_backoff{600000};
};

struct DeliveryCounters {
  std::atomic<int64_t> delivered{0};
  std::atomic<int64_t> refused{0};  // 409: delivered, not applied
  std::atomic<int64_t> retried{0};
};

class ResultsDelivery {
 public:
  ResultsDelivery(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                  ResultsDeliveryOptions options = {});

  // Claims and delivers one batch; returns how many rows were claimed (0: nothing due).
  core::Result<int> RunOnce();
  // Makes a running RunOnce give its claimed, not yet sent rows back and return.
  void RequestStop() { stopping_.store(true); }

  const DeliveryCounters& counters() const { return counters_; }
  const std::string& owner() const { return owner_; }

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
  ResultsDeliveryOptions options_;
  std::string owner_;  // this worker's lease owner id
  std::atomic<bool> stopping_{false};
  DeliveryCounters counters_;
};

}  // namespace beian::authority
