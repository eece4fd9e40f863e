// The outbox workers (issue 9 item 2): `workers` threads, each a loop that claims due
// notifications (store::NotificationRepo::Claim — a lease, SKIP LOCKED on PostgreSQL), renders
// them (templates.h), hands them to the channel's transport and marks the outcome: sent; a
// retry after an exponential backoff with jitter; or failed (a permanent refusal, or the last of
// max_attempts). A worker that dies leaves its lease; when it runs out another worker (in this
// or another process) claims the row again, so a message may be delivered twice at worst, never
// lost. A template's secret parameters (a code, an ICP password) arrive sealed: they are opened
// only to render, and once sent the row keeps the text with them masked and their values blank.
// Stop() is the clean drain for SIGTERM: no new claims, the message in hand finishes,
// claimed rows not yet begun are released (their attempt not counted), then the threads join.
//
//   notify::Outbox outbox(db, *templates, {.email = smtp.get(), .sms = sms.get()}, clock, opts);
//   outbox.Start();  …  outbox.Stop();
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "notify/templates.h"
#include "notify/transport.h"
#include "store/database.h"
#include "store/notifications.h"

namespace beian::notify {

struct OutboxOptions {
  int workers = 2;
  int batch = 16;  // rows one claim takes
  std::chrono::milliseconds lease{60000};
  int max_attempts = 8;
  std::chrono::milliseconds retry_base{30000};  // delay before the 2nd attempt
  std::chrono::milliseconds retry_max{3600000};
  std::chrono::milliseconds poll_interval{200};  // idle wait between claims
  AddressOpener open_address = nullptr;          // nullptr: addresses are in clear
  // Opens the secret parameters (catalogue.h); nullptr: a message with one is parked as failed.
  ParamOpener open_param = nullptr;
};

struct Transports {
  Transport* email = nullptr;
  Transport* sms = nullptr;
};

// The delay before attempt `attempt` + 1 (attempt ≥ 1 just failed): base · 2^(attempt-1)
// capped at `max`, of which a random half is jitter ("equal jitter": between d/2 and d), so
// workers that failed together do not retry together. `unit_random` is in [0, 1).
std::chrono::milliseconds RetryDelay(int64_t attempt, std::chrono::milliseconds base,
                                     std::chrono::milliseconds max, double unit_random);

// Counters per channel for /metrics.
struct ChannelCounters {
  std::atomic<int64_t> sent{0};
  std::atomic<int64_t> retried{0};
  std::atomic<int64_t> failed{0};
};

class Outbox {
 public:
  Outbox(store::Database& db, const TemplateSet& templates, Transports transports,
         const core::Clock& clock, OutboxOptions options);
  ~Outbox();  // Stop()
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  void Start();
  // Idempotent; returns when every worker has finished its message in hand and exited.
  void Stop();

  // One claim-and-deliver round of worker `owner` (tests, and each worker's loop). Returns the
  // number of rows claimed.
  core::Result<int> RunOnce(const std::string& owner);

  const ChannelCounters& counters(std::string_view channel) const {
    return channel == "sms" ? sms_counters_ : email_counters_;
  }
  const OutboxOptions& options() const { return options_; }

 private:
  void Loop(int index);
  void Process(const std::string& owner, const store::Notification& n);
  ChannelCounters& CountersOf(std::string_view channel) {
    return channel == "sms" ? sms_counters_ : email_counters_;
  }
  int64_t NowMs() const;

  store::Database& db_;
  const TemplateSet& templates_;
  Transports transports_;
  const core::Clock& clock_;
  OutboxOptions options_;
  std::string owner_prefix_;
  ChannelCounters email_counters_;
  ChannelCounters sms_counters_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace beian::notify
