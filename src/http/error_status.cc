// ErrorCode → HTTP status (exactly one mapping per code) and the JSON error body.
#include "http/error_status.h"

#include <algorithm>
#include <string_view>

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
    case ErrorCode::kTokenInvalid:
      return 400;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kInvalidCredentials:
    case ErrorCode::kBadSignature:
    case ErrorCode::kReplayed:
    case ErrorCode::kTimestampSkew:
    case ErrorCode::kUnknownProvider:
      return 401;
    case ErrorCode::kForbidden:
    case ErrorCode::kCsrfFailed:
    case ErrorCode::kAccountUnconfirmed:
      return 403;
    case ErrorCode::kNotFound:
    case ErrorCode::kSmsCodeNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kTimeout:
      return 408;
    case ErrorCode::kEmailTaken:
    case ErrorCode::kConflict:
    case ErrorCode::kInvalidTransition:
    case ErrorCode::kSubjectConflict:
    case ErrorCode::kDomainConflict:
    case ErrorCode::kClaimedByOther:
    case ErrorCode::kClaimRequired:
    case ErrorCode::kSubmissionConflict:
      return 409;
    case ErrorCode::kVersionMismatch:
    case ErrorCode::kPreconditionFailed:
      return 412;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kUnsupportedFileType:
    case ErrorCode::kPhotoMustBeImage:
    case ErrorCode::kImageTooLarge:
    case ErrorCode::kImageTooSmall:
    case ErrorCode::kPrecheckFailed:
    case ErrorCode::kLimitExceeded:
    case ErrorCode::kCredentialsRequired:
    case ErrorCode::kIdempotencyKeyReused:
    case ErrorCode::kUnknownReason:
    case ErrorCode::kBeianCredentialsInvalid:
    case ErrorCode::kSmsCodeWrong:
    case ErrorCode::kDocumentHashMismatch:
      return 422;
    case ErrorCode::kPreconditionRequired:
      return 428;
    case ErrorCode::kTooManyRequests:
    case ErrorCode::kAccountLocked:
    case ErrorCode::kSmsResendLimit:
      return 429;
    case ErrorCode::kMisdirectedRequest:
      return 421;
    case ErrorCode::kSmsCodeExpired:
      return 410;
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
    case ErrorCode::kRegistrySyncing:
    case ErrorCode::kPublicLookupStale:
      return 503;
  }
  return 0;
}

namespace {

// The longest error message and detail text rendered, in bytes (cut at a UTF-8 character
// boundary): messages may quote the request (e.g. every unknown key).
constexpr size_t kMaxMessage = 1024;
constexpr size_t kMaxDetailText = 256;

void AppendCapped(std::string& out, std::string_view s, size_t limit = kMaxDetailText) {
  if (s.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    core::AppendJsonEscaped(out, s.substr(0, cut));
    out += "\u2026";  // …
    return;
  }
  core::AppendJsonEscaped(out, s);
}

}  // namespace

std::string ErrorBody(const core::Error& error) {
  std::string out;
  const size_t shown = std::min(error.details.size(), kMaxErrorDetails);
  out.reserve(96 + std::min(error.message.size(), kMaxMessage) + shown * 96);
  out += "{\"error\":{\"code\":\"";
  core::AppendJsonEscaped(out, core::ErrorCodeName(error.code));
  out += "\",\"message\":\"";
  AppendCapped(out, error.message, kMaxMessage);
  out += "\",\"details\":[";
  for (size_t i = 0; i < shown; ++i) {
    const core::ErrorDetail& d = error.details[i];
    if (i > 0) out += ',';
    out += "{\"field\":\"";
    AppendCapped(out, d.field);
    out += "\",\"code\":\"";
    AppendCapped(out, d.code);
    out += "\",\"message\":\"";
    AppendCapped(out, d.message);
    out += "\"}";
  }
  out += ']';
  // A collector that kept only its first problems (core::JsonReader) says how many it saw.
  const size_t total = std::max(error.details.size(), error.details_total);
  if (shown < total) {
    out += ",\"details_total\":";
    out += std::to_string(total);
  }
  out += "}}";
  return out;
}

Response ErrorResponse(const core::Error& error) {
  unsigned status = HttpStatusFor(error.code);
  Response r;
  r.status = status == 0 ? 500 : status;
  r.content_type = "application/json";
  // schema_outdated, registry_syncing and public_lookup_stale are server-side messages of our own
  // making: they tell the operator what to do (run `beian migrate`), how far the catch-up is or
  // how old the answers are.
  if (r.status >= 500 && error.code != core::ErrorCode::kSchemaOutdated &&
      error.code != core::ErrorCode::kRegistrySyncing &&
      error.code != core::ErrorCode::kPublicLookupStale) {
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
