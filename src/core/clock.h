// Time as an injectable dependency: services and domain code take a `const Clock&` so tests can
// fix or advance time. SystemClock is the real one; ManualClock is for tests. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>

namespace beian::core {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that stands still until told to move.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
  TimePoint Now() const override {
    return TimePoint(TimePoint::duration(now_.load(std::memory_order_relaxed)));
  }
  void Set(TimePoint t) { now_.store(t.time_since_epoch().count(), std::memory_order_relaxed); }
  void Advance(TimePoint::duration d) { now_.fetch_add(d.count(), std::memory_order_relaxed); }

 private:
  std::atomic<TimePoint::duration::rep> now_;
};

}  // namespace beian::core
