// ErrorCode → HTTP status (exactly one mapping per code) and the JSON error body.
#include "http/error_status.h"

#include "core/log.h"

namespace beian::http {

unsigned HttpStatusFor(core::ErrorCode code) {
  using core::ErrorCode;
  // No default: the compiler warns about a code without a case, and the test checks each code.
  switch (code) {
    case ErrorCode::kInvalidJson:
    case ErrorCode::kValidationFailed:
    case ErrorCode::kUnknownField:
    case ErrorCode::kBadRequest:
      return 400;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kInvalidCredentials:
    case ErrorCode::kBadSignature:
    case ErrorCode::kReplayed:
      return 401;
    case ErrorCode::kForbidden:
    case ErrorCode::kCsrfFailed:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kTimeout:
      return 408;
    case ErrorCode::kEmailTaken:
    case ErrorCode::kConflict:
    case ErrorCode::kInvalidTransition:
      return 409;
    case ErrorCode::kVersionMismatch:
      return 412;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kTooManyRequests:
    case ErrorCode::kAccountLocked:
      return 429;
    case ErrorCode::kHeaderTooLarge:
      return 431;
    case ErrorCode::kInternal:
    case ErrorCode::kDatabase:
    case ErrorCode::kIo:
    case ErrorCode::kRulesInvalid:
      return 500;
    case ErrorCode::kUnavailable:
    case ErrorCode::kBusy:
    case ErrorCode::kSerializationFailure:
    case ErrorCode::kSchemaOutdated:
      return 503;
  }
  return 0;
}

std::string ErrorBody(const core::Error& error) {
  std::string out;
  out.reserve(96 + error.message.size());
  out += "{\"error\":{\"code\":\"";
  core::AppendJsonEscaped(out, core::ErrorCodeName(error.code));
  out += "\",\"message\":\"";
  core::AppendJsonEscaped(out, error.message);
  out += "\",\"details\":[";
  bool first = true;
  for (const core::ErrorDetail& d : error.details) {
    if (!first) out += ',';
    first = false;
    out += "{\"field\":\"";
    core::AppendJsonEscaped(out, d.field);
    out += "\",\"code\":\"";
    core::AppendJsonEscaped(out, d.code);
    out += "\",\"message\":\"";
    core::AppendJsonEscaped(out, d.message);
    out += "\"}";
  }
  out += "]}}";
  return out;
}

Response ErrorResponse(const core::Error& error) {
  unsigned status = HttpStatusFor(error.code);
  Response r;
  r.status = status == 0 ? 500 : status;
  r.content_type = "application/json";
  // schema_outdated is the one server-side message of our own making, and it tells the
  // operator what to do (run `beian migrate`).
  if (r.status >= 500 && error.code != core::ErrorCode::kSchemaOutdated) {
    // A server-side failure's own text (database messages, host names, statement names) stays in
    // the log, which carries the request id; the client gets the code and a generic message.
    r.body = ErrorBody(core::Error(
        error.code, r.status == 503 ? "the service is temporarily unavailable; try again later"
                                    : "the service could not complete the request"));
  } else {
    r.body = ErrorBody(error);
  }
  return r;
}

}  // namespace beian::http
