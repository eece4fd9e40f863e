// Implementation of PeriodicTask (see periodic_task.h).
#include "core/periodic_task.h"

#include <exception>

#include "core/log.h"

namespace beian::core {

PeriodicTask::PeriodicTask(std::string name, std::chrono::milliseconds interval,
                           std::function<void()> work)
    : name_(std::move(name)), interval_(interval), work_(std::move(work)) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicTask::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int PeriodicTask::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

void PeriodicTask::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    try {
      work_();
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "periodic_task_failed", {{"task", name_}, {"error", e.what()}});
    } catch (...) {
      // Anything else thrown must not end the thread (std::terminate) either.
      Log(LogLevel::kError, "periodic_task_failed",
          {{"task", name_}, {"error", "unknown exception"}});
    }
    lock.lock();
    ++runs_;
    cv_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace beian::core
