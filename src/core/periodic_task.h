// A small background loop: runs `work` every `interval` on its own thread until Stop(), which
// wakes the loop at once and joins it. Failures of `work` are logged by the caller's function;
// the loop itself never dies of them. Used for housekeeping (expired sessions, …).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace beian::core {

class PeriodicTask {
 public:
  PeriodicTask(std::string name, std::chrono::milliseconds interval, std::function<void()> work);
  ~PeriodicTask();  // Stop()
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  void Start();
  // Idempotent; returns after the current run of `work`, if any, has finished.
  void Stop();
  int runs() const;

 private:
  void Loop();

  std::string name_;
  std::chrono::milliseconds interval_;
  std::function<void()> work_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int runs_ = 0;
  std::thread thread_;
};

}  // namespace beian::core
