// Handlers of the SMS verification routes (see sms_verification_routes.h).
#include "authority/sms_verification_routes.h"

#include <boost/json.hpp>
#include <string>

#include "core/json_reader.h"
#include "http/error_status.h"
#include "http/json.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::ErrorCode;
using core::Result;

// A refusal, with Retry-After when the caller must wait.
Result<http::Response> Refusal(core::Error error, int64_t retry_after) {
  if (error.code != ErrorCode::kTooManyRequests || retry_after <= 0) return error;
  http::Response r = http::ErrorResponse(error);
  r.SetHeader("Retry-After", std::to_string(retry_after));
  return r;
}

http::Response NoStore(http::Response r) {
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace

void RegisterSmsVerificationRoutes(http::Router& router, const SmsVerification& sms) {
  // Public: no session needed, and none checked for CSRF (a signed-in reviewer's browser may
  // carry a cookie; the entry itself is the secret).
  const http::RouteOptions open{.auth = http::Auth::kPublic, .csrf = false};
  router.Add(
      "POST", "/authority/v1/sms-verification",
      [&sms](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        core::JsonReader r(body);
        SmsEntry entry;
        entry.mobile = r.RequiredNonEmptyString("mobile");
        entry.code = r.RequiredNonEmptyString("code");
        entry.id_last6 = r.RequiredNonEmptyString("id_last6");
        BEIAN_TRY(r.Finish());
        int64_t retry_after = 0;
        auto result = sms.Verify(entry, req.client_address, &retry_after);
        if (!result) return Refusal(std::move(result).error(), retry_after);
        return NoStore(
            http::JsonResponse(json::object{{"verified", true},
                                            {"submission_state", result->submission_state},
                                            {"remaining", result->remaining}}));
      },
      open);
  router.Add(
      "POST", "/authority/v1/sms-verification/resend",
      [&sms](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        core::JsonReader r(body);
        SmsResendRequest request;
        request.mobile = r.RequiredNonEmptyString("mobile");
        request.id_last6 = r.RequiredNonEmptyString("id_last6");
        BEIAN_TRY(r.Finish());
        int64_t retry_after = 0;
        auto left = sms.Resend(request, req.client_address, &retry_after);
        if (!left) return Refusal(std::move(left).error(), retry_after);
        return NoStore(http::JsonResponse(json::object{{"resends_left", *left}}));
      },
      open);
}

}  // namespace beian::authority
