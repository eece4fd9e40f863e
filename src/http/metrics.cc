// Metrics registration, recording and Prometheus rendering.
#include "http/metrics.h"

#include <charconv>
#include <system_error>

#include "core/log.h"

namespace beian::http {
namespace {

constexpr std::array<std::string_view, 8> kUnmatchedMethods = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"};

// Label values escape backslash, quote and newline.
void AppendLabel(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// The shortest text that reads back as `v` (sample values; may use an exponent: "2.71e-07").
std::string FormatDouble(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, end);
}

// A bucket bound as Prometheus clients print it: the shortest plain decimal that reads back as
// `v` ("0.0005", neither "0.00050000000000000001" nor "5e-04").
std::string FormatBound(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  if (ec != std::errc()) return FormatDouble(v);
  return std::string(buf, end);
}

}  // namespace

Metrics::Metrics(std::string service_name) : service_name_(std::move(service_name)) {
  for (size_t i = 0; i < kUnmatchedMethods.size(); ++i) {
    unmatched_[i] = Register("unmatched", kUnmatchedMethods[i]);
  }
}

void Metrics::SetServiceName(std::string name) {
  std::lock_guard<std::mutex> lock(mu_);
  service_name_ = std::move(name);
}

Metrics::RouteStats* Metrics::Register(std::string_view route, std::string_view method) {
  std::lock_guard<std::mutex> lock(mu_);
  for (RouteStats& s : routes_) {
    if (s.route == route && s.method == method) return &s;
  }
  RouteStats& s = routes_.emplace_back();
  s.route = std::string(route);
  s.method = std::string(method);
  return &s;
}

Metrics::RouteStats* Metrics::Unmatched(std::string_view method) {
  for (size_t i = 0; i + 1 < kUnmatchedMethods.size(); ++i) {
    if (kUnmatchedMethods[i] == method) return unmatched_[i];
  }
  return unmatched_.back();
}

void Metrics::Record(RouteStats* stats, unsigned status, uint64_t duration_ns) {
  if (stats == nullptr) return;
  if (status < 100 || status > 599) status = 500;
  stats->by_status[status - 100].fetch_add(1, std::memory_order_relaxed);
  double seconds = static_cast<double>(duration_ns) / 1e9;
  size_t b = 0;
  while (b < RouteStats::kBuckets.size() && seconds > RouteStats::kBuckets[b]) ++b;
  stats->buckets[b].fetch_add(1, std::memory_order_relaxed);
  stats->count.fetch_add(1, std::memory_order_relaxed);
  stats->sum_ns.fetch_add(duration_ns, std::memory_order_relaxed);
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> callback) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(callback)});
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out.reserve(4096);
  std::string svc;
  AppendLabel(svc, service_name_);

  out += "# HELP beian_http_requests_total HTTP requests served, by route pattern and status.\n";
  out += "# TYPE beian_http_requests_total counter\n";
  for (const RouteStats& s : routes_) {
    for (size_t i = 0; i < s.by_status.size(); ++i) {
      uint64_t n = s.by_status[i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += "beian_http_requests_total{service=\"" + svc + "\",route=\"";
      AppendLabel(out, s.route);
      out += "\",method=\"";
      AppendLabel(out, s.method);
      out += "\",status=\"" + std::to_string(i + 100) + "\"} " + std::to_string(n) + "\n";
    }
  }

  out += "# HELP beian_http_request_duration_seconds Time from a parsed request to its response.\n";
  out += "# TYPE beian_http_request_duration_seconds histogram\n";
  for (const RouteStats& s : routes_) {
    uint64_t count = s.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    std::string labels = "service=\"" + svc + "\",route=\"";
    AppendLabel(labels, s.route);
    labels += "\",method=\"";
    AppendLabel(labels, s.method);
    labels += "\"";
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= RouteStats::kBuckets.size(); ++b) {
      cumulative += s.buckets[b].load(std::memory_order_relaxed);
      std::string le = b < RouteStats::kBuckets.size() ? FormatBound(RouteStats::kBuckets[b])
                                                       : std::string("+Inf");
      out += "beian_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "beian_http_request_duration_seconds_sum{" + labels + "} " +
           FormatDouble(static_cast<double>(s.sum_ns.load(std::memory_order_relaxed)) / 1e9) + "\n";
    out += "beian_http_request_duration_seconds_count{" + labels + "} " +
           std::to_string(cumulative) + "\n";
  }

  out += "# HELP beian_http_in_flight_requests Requests being handled now.\n";
  out += "# TYPE beian_http_in_flight_requests gauge\n";
  out += "beian_http_in_flight_requests{service=\"" + svc + "\"} " + std::to_string(in_flight()) +
         "\n";

  for (const Gauge& g : gauges_) {
    double v = 0;
    try {
      v = g.callback();
    } catch (...) {
      core::Log(core::LogLevel::kError, "metrics_gauge_failed", {{"gauge", g.name}});
      continue;
    }
    out += "# HELP " + g.name + " " + g.help + "\n";
    out += "# TYPE " + g.name + " gauge\n";
    out += g.name + "{service=\"" + svc + "\"} " + FormatDouble(v) + "\n";
  }
  return out;
}

}  // namespace beian::http
