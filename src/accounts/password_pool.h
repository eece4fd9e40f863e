// PasswordPool: a few threads, apart from the HTTP I/O threads, that run the password work of
// sign-in and registration (Argon2id costs tens of milliseconds of CPU and 64 MiB per hash). With
// it a burst of logins no longer holds up /healthz or the other requests of an I/O thread: the
// login handler queues its work here and returns a deferred response (http::Response::Deferred).
//
// Bounded twice, so that overload is answered quickly instead of late: at most `max_queue` jobs
// wait (Submit returns false beyond), and a job that has waited longer than `max_wait` is not run
// but called with run = false (its client gets 503 busy with Retry-After). The threads run at a
// lower scheduling priority than the I/O threads. One pool serves every service of the process;
// it must outlive the servers whose handlers submit to it. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace beian::accounts {

class PasswordPool {
 public:
  struct Options {
    int threads = 2;
    size_t max_queue = 32;
    // Generous: on a slow or busy machine a few concurrent sign-ups already wait seconds, and
    // they should still succeed; the queue bound is what sheds a real overload.
    std::chrono::milliseconds max_wait{10'000};
    std::chrono::seconds retry_after{2};  // the Retry-After of a refusal
  };
  // `run` false: the job is refused (waited longer than max_wait, or the pool is stopping); it
  // must answer without doing the work.
  using Job = std::function<void(bool run)>;

  explicit PasswordPool(Options options);
  // Refuses the jobs still queued (job(false)) and joins the threads.
  ~PasswordPool();
  PasswordPool(const PasswordPool&) = delete;
  PasswordPool& operator=(const PasswordPool&) = delete;

  // Queues `job`; false (and `job` is not kept) when max_queue jobs are waiting already.
  bool Submit(Job job);
  // What to put in Retry-After when refusing (seconds).
  int64_t RetryAfterSeconds() const;
  const Options& options() const { return options_; }

 private:
  struct Queued {
    Job job;
    std::chrono::steady_clock::time_point queued_at;
  };
  void Run();

  const Options options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace beian::accounts
