// The operational routes every service exposes: GET /healthz (the process answers: always 200
// {"status":"ok"}), GET /readyz (200 {"status":"ready"} when `readiness` is Ok — e.g. database
// reachable and schema current — plus what a described readiness adds, else 503 with the error
// body) and GET /metrics (Prometheus),
// which only loopback clients, or callers with `Authorization: Bearer <metrics_token>`, may read;
// everyone else gets 404 not_found, as if it were not there. /healthz and /readyz answer whatever
// the Host (RouteOptions::any_host); /metrics keeps the router's Host check, so a DNS-rebinding
// page in a browser on this host cannot read it as a loopback client.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/router.h"

namespace beian::http {

// The exact /healthz body (the benchmark's reference server returns the same bytes).
inline constexpr char kHealthzBody[] = "{\"status\":\"ok\"}";

// Registers the three routes on `router`. `readiness` may be empty (always ready); it must be
// thread-safe.
struct HealthOptions {
  // When non-empty, GET /metrics also answers `Authorization: Bearer <metrics_token>` from any
  // address.
  std::string metrics_token = {};
};

// Which failed /readyz answers reach the log: a probe polls every second or so, and a catch-up
// or a rebuild keeps the answer 503 for minutes. The first failure of a run is logged, then any
// failure with another error code, and otherwise one a minute (saying how many went unlogged);
// the return to ready is logged once. Thread-safe.
class NotReadyLogGate {
 public:
  static constexpr int64_t kRepeatMs = 60'000;
  // The count of failures left unlogged since the last logged one if this failure is to be
  // logged; -1 if not.
  int64_t OnNotReady(std::string_view code, int64_t now_ms);
  // How long the run of failures that just ended lasted (ms), or -1 if there was none.
  int64_t OnReady(int64_t now_ms);

 private:
  std::mutex mu_;
  bool failing_ = false;
  std::string code_;
  int64_t since_ms_ = 0;
  int64_t logged_ms_ = 0;
  int64_t unlogged_ = 0;
};

void AddHealthRoutes(Router& router, std::function<core::Status()> readiness = {},
                     HealthOptions options = {});

// The same, with a readiness that also says what is served: Ok with the members /readyz adds
// after "status":"ready" (a JSON fragment such as `"public_lookup":{…}`; empty for none), or the
// error its 503 carries.
using DescribedReadiness = std::function<core::Result<std::string>()>;
void AddDescribedHealthRoutes(Router& router, DescribedReadiness readiness,
                              HealthOptions options = {});

// True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x addresses (as Request::client_address spells
// them).
bool IsLoopbackAddress(std::string_view address);

}  // namespace beian::http
