// Handlers of the public filing look-up (see public_filings_routes.h).
#include "agent/public_filings_routes.h"

#include <string>

#include "http/error_status.h"
#include "http/json.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

// A CDN may keep a GET answer for a minute; errors and batch answers are not stored.
constexpr std::string_view kCacheable = "public, max-age=60";
constexpr std::string_view kNotStored = "no-store";

http::Response RateLimited() {
  http::Response res = http::ErrorResponse(
      Error(ErrorCode::kTooManyRequests,
            "too many look-ups from this address; slow down and try again in a second"));
  res.SetHeader("Retry-After", "1");
  res.SetHeader("Cache-Control", kNotStored);
  return res;
}

}  // namespace

void RegisterPublicFilingsRoutes(http::Router& router, const PublicFilingsService& service,
                                 PublicRateLimiter* limiter) {
  if (limiter != nullptr && !limiter->enabled()) limiter = nullptr;
  router.Add("GET", "/api/v1/public/filings",
             [&service, limiter](http::Request& req) -> Result<http::Response> {
               if (limiter != nullptr && !limiter->Allow(req.client_address)) {
                 return RateLimited();
               }
               auto domain = req.Query("domain");
               BEIAN_ASSIGN_OR_RETURN(std::string body,
                                      service.LookupJson(domain ? *domain : std::string_view()));
               http::Response res = http::Response::RawJson(std::move(body));
               res.SetHeader("Cache-Control", kCacheable);
               return res;
             });
  router.Add(
      "POST", "/api/v1/public/filings/batch",
      [&service, limiter](http::Request& req) -> Result<http::Response> {
        if (limiter != nullptr && !limiter->Allow(req.client_address)) return RateLimited();
        // The common body is read in place (no JSON tree, no copy per name); any other one
        // takes the JSON path below, with its errors.
        thread_local std::vector<std::string_view> names;
        if (http::IsJsonContentType(req.Header("content-type")) &&
            ParsePlainBatchBody(req.body, names)) {
          BEIAN_ASSIGN_OR_RETURN(std::string results, service.BatchJson(names));
          http::Response res = http::Response::RawJson(std::move(results));
          res.SetHeader("Cache-Control", kNotStored);
          return res;
        }
        BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        // The count is checked before any element is read: 413 whatever the elements.
        if (auto it = body.find("domains"); it != body.end() && it->value().is_array() &&
                                            it->value().get_array().size() > kMaxPublicBatch) {
          const std::string message = "at most 1000 domains per batch";
          return Error(ErrorCode::kPayloadTooLarge, message, {{"domains", "too_many", message}});
        }
        core::JsonReader r(body);
        std::vector<std::string> domains = r.RequiredStringArray("domains");
        BEIAN_TRY(r.Finish());
        BEIAN_ASSIGN_OR_RETURN(std::string results, service.BatchJson(domains));
        http::Response res = http::Response::RawJson(std::move(results));
        res.SetHeader("Cache-Control", kNotStored);
        return res;
      });
}

}  // namespace beian::agent
