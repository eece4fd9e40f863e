// Prometheus metrics of one service: requests by route/method/status, a latency histogram per
// route, in-flight requests, and gauges supplied by other rooms (e.g. database pool use).
// Each route's counters are created when the route is registered, so recording a request is a
// few relaxed atomic increments (no lock, no lookup). Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace beian::http {

class Metrics {
 public:
  // Counters of one (route pattern, method) pair.
  struct RouteStats {
    static constexpr std::array<double, 14> kBuckets = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    std::string route;
    std::string method;
    std::array<std::atomic<uint64_t>, 500> by_status{};                // index: status - 100
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_ns{0};
  };

  explicit Metrics(std::string service_name = "beian");
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void SetServiceName(std::string name);

  // The stats of (route, method), created on first use; the pointer stays valid for the life of
  // this object. Called at route registration, not per request.
  RouteStats* Register(std::string_view route, std::string_view method);
  // The stats for requests that matched no route, for one of the usual methods (else "OTHER").
  RouteStats* Unmatched(std::string_view method);

  static void Record(RouteStats* stats, unsigned status, uint64_t duration_ns);

  void AddInFlight(int delta) { in_flight_.fetch_add(delta, std::memory_order_relaxed); }
  int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

  // Adds a gauge `name` (a valid Prometheus metric name) whose value is read at scrape time.
  // `callback` must be thread-safe and cheap; it must not call back into this object.
  void AddGauge(std::string name, std::string help, std::function<double()> callback);

  // The exposition text (Prometheus text format 0.0.4).
  std::string Render() const;

 private:
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> callback;
  };
  mutable std::mutex mu_;  // guards service_name_, routes_ membership, gauges_; not the counters
  std::string service_name_;
  std::deque<RouteStats> routes_;
  std::vector<Gauge> gauges_;
  std::array<RouteStats*, 8> unmatched_{};
  std::atomic<int64_t> in_flight_{0};
};

}  // namespace beian::http
