// Implementation of PasswordPool (see password_pool.h).
#include "accounts/password_pool.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <exception>

#include "core/log.h"

namespace beian::accounts {

PasswordPool::PasswordPool(Options options) : options_(options) {
  const int n = std::max(1, options_.threads);
  threads_.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { Run(); });
}

PasswordPool::~PasswordPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool PasswordPool::Submit(Job job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= options_.max_queue) return false;
    queue_.push_back({std::move(job), std::chrono::steady_clock::now()});
  }
  cv_.notify_one();
  return true;
}

int64_t PasswordPool::RetryAfterSeconds() const {
  return std::max<int64_t>(1, options_.retry_after.count());
}

void PasswordPool::Run() {
  // Below the I/O threads: when hashing saturates the cores, /healthz and the other requests
  // still get the CPU first (Linux applies nice per thread).
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
  for (;;) {
    Queued item;
    bool stopping = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      item = std::move(queue_.front());
      queue_.pop_front();
      stopping = stopping_;
    }
    const bool in_time =
        !stopping && std::chrono::steady_clock::now() - item.queued_at <= options_.max_wait;
    try {
      item.job(in_time);
    } catch (const std::exception& e) {
      core::Log(core::LogLevel::kError, "password_job_failed", {{"what", e.what()}});
    } catch (...) {
      core::Log(core::LogLevel::kError, "password_job_failed", {});
    }
  }
}

}  // namespace beian::accounts
