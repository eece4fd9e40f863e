// The one place where error codes become HTTP statuses, and the rendering of an Error as the
// API's JSON error body (DESIGN §6):
//   {"error":{"code":"validation_failed","message":"…","details":[{"field","code","message"}]}}
// (plus "details_total" when the details were capped)
#pragma once

#include <cstddef>
#include <string>

#include "core/error.h"
#include "http/response.h"

namespace beian::http {

// The HTTP status for `code`; 0 only if a code was added without a mapping (a test catches it).
// account_locked maps to 429 (with too_many_requests): the client should wait, and 423 is a
// WebDAV status that generic clients do not understand.
unsigned HttpStatusFor(core::ErrorCode code);

// At most this many details are rendered (the first ones); a longer list adds
// "details_total": N beside them, so a request with a million problems cannot make a huge
// answer. The message is cut at 1024 bytes and each detail's field, code and message at 256
// (with "…"): they may quote the request.
inline constexpr size_t kMaxErrorDetails = 20;

// The JSON body for `error` (without a trailing newline), with details capped as above.
std::string ErrorBody(const core::Error& error);

// A complete response for `error`: its mapped status (500 if unmapped) and the JSON body.
Response ErrorResponse(const core::Error& error);

}  // namespace beian::http
