// /healthz, /readyz and /metrics.
#include "http/health.h"

#include <chrono>
#include <memory>
#include <utility>

#include "core/log.h"
#include "http/error_status.h"

namespace beian::http {

bool IsLoopbackAddress(std::string_view address) {
  if (address.starts_with("::ffff:")) address.remove_prefix(7);
  return address == "::1" || address.starts_with("127.");
}

int64_t NotReadyLogGate::OnNotReady(std::string_view code, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!failing_ || code != code_ || now_ms - logged_ms_ >= kRepeatMs) {
    if (!failing_) since_ms_ = now_ms;
    failing_ = true;
    code_ = code;
    logged_ms_ = now_ms;
    return std::exchange(unlogged_, 0);
  }
  ++unlogged_;
  return -1;
}

int64_t NotReadyLogGate::OnReady(int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!failing_) return -1;
  failing_ = false;
  unlogged_ = 0;
  return now_ms - since_ms_;
}

namespace {

int64_t SteadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void AddHealthRoutes(Router& router, std::function<core::Status()> readiness,
                     HealthOptions options) {
  DescribedReadiness described;
  if (readiness) {
    described = [readiness = std::move(readiness)]() -> core::Result<std::string> {
      BEIAN_TRY(readiness());
      return std::string();
    };
  }
  AddDescribedHealthRoutes(router, std::move(described), std::move(options));
}

void AddDescribedHealthRoutes(Router& router, DescribedReadiness readiness, HealthOptions options) {
  // Probes reach the service by address, whatever its public names: any Host will do here.
  router.Add("GET", "/healthz",
             [](Request&) -> core::Result<Response> { return Response::RawJson(kHealthzBody); },
             {.any_host = true});
  auto gate = std::make_shared<NotReadyLogGate>();
  router.Add("GET", "/readyz",
             [readiness, gate](Request&) -> core::Result<Response> {
               if (!readiness) return Response::RawJson("{\"status\":\"ready\"}");
               core::Result<std::string> s = readiness();
               if (!s) {
                 // The reason goes to the log (the response may carry only a generic message).
                 const std::string_view code = core::ErrorCodeName(s.error().code);
                 if (const int64_t unlogged = gate->OnNotReady(code, SteadyNowMs());
                     unlogged >= 0) {
                   core::Log(core::LogLevel::kWarn, "not_ready",
                             {{"code", code},
                              {"message", s.error().message},
                              {"unlogged_since_last", unlogged}});
                 }
                 Response r = ErrorResponse(s.error());
                 r.status = 503;  // whatever the cause, the service is not ready
                 return r;
               }
               if (const int64_t ms = gate->OnReady(SteadyNowMs()); ms >= 0) {
                 core::Log(core::LogLevel::kInfo, "ready_again", {{"not_ready_ms", ms}});
               }
               if (s->empty()) return Response::RawJson("{\"status\":\"ready\"}");
               return Response::RawJson("{\"status\":\"ready\"," + *s + "}");
             },
             {.any_host = true});
  Metrics* metrics = &router.metrics();
  router.Add("GET", "/metrics",
             [metrics, token = std::move(options.metrics_token)](
                 Request& request) -> core::Result<Response> {
               // The client address is the proxy's X-Forwarded-For entry under --trust-proxy, so a
               // proxy on this host does not make every client local.
               bool allowed = IsLoopbackAddress(request.client_address);
               if (!allowed && !token.empty()) {
                 std::string_view auth = request.Header("authorization");
                 constexpr std::string_view kBearer = "Bearer ";
                 allowed = auth.size() > kBearer.size() &&
                           EqualsIgnoreCase(auth.substr(0, 7), kBearer) &&
                           Router::ConstantTimeEquals(auth.substr(kBearer.size()), token);
               }
               if (!allowed) return core::Error(core::ErrorCode::kNotFound, "no such resource");
               Response r;
               r.content_type = "text/plain; version=0.0.4; charset=utf-8";
               r.body = metrics->Render();
               r.SetHeader("Cache-Control", "no-store");
               return r;
             });
}

}  // namespace beian::http
