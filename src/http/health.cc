// /healthz, /readyz and /metrics.
#include "http/health.h"

#include "core/log.h"
#include "http/error_status.h"

namespace beian::http {

void AddHealthRoutes(Router& router, std::function<core::Status()> readiness) {
  router.Add("GET", "/healthz",
             [](Request&) -> core::Result<Response> { return Response::RawJson(kHealthzBody); });
  router.Add("GET", "/readyz", [readiness](Request&) -> core::Result<Response> {
    if (readiness) {
      core::Status s = readiness();
      if (!s) {
        // The reason goes to the log (the response may carry only a generic message).
        core::Log(core::LogLevel::kWarn, "not_ready",
                  {{"code", core::ErrorCodeName(s.error().code)}, {"message", s.error().message}});
        Response r = ErrorResponse(s.error());
        r.status = 503;  // whatever the cause, the service is not ready
        return r;
      }
    }
    return Response::RawJson("{\"status\":\"ready\"}");
  });
  Metrics* metrics = &router.metrics();
  router.Add("GET", "/metrics", [metrics](Request&) -> core::Result<Response> {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics->Render();
    r.SetHeader("Cache-Control", "no-store");
    return r;
  });
}

}  // namespace beian::http
