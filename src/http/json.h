// JSON request bodies and responses (Boost.JSON). Bodies are read with the one strict reader,
// core::JsonReader (core/json_reader.h: wrong types, missing and unknown members, problems
// collected and capped); http::ObjectReader is the same class under its older name, kept so
// that routes written against it need no edit. New code writes core::JsonReader.
//   BEIAN_ASSIGN_OR_RETURN(auto obj, http::ParseJsonObject(req));
//   core::JsonReader r(obj);
//   std::string email = r.RequiredString("email");
//   BEIAN_TRY(r.Finish());   // 400 unknown_field, else 400 validation_failed, with details
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "core/json_reader.h"
#include "core/result.h"
#include "http/request.h"
#include "http/response.h"

namespace beian::http {

// The older name of the strict reader (see the file comment).
using ObjectReader = core::JsonReader;
using core::ParseJsonObjectText;

// True for "application/json" with optional parameters (e.g. "; charset=utf-8"), any case.
bool IsJsonContentType(std::string_view content_type);

// The request body as a JSON object. Wrong or missing Content-Type → 415 unsupported_media_type;
// malformed JSON or a non-object → 400 invalid_json.
core::Result<boost::json::object> ParseJsonObject(const Request& request);

// A response whose body is `value` serialized.
Response JsonResponse(const boost::json::value& value, unsigned status = 200);

}  // namespace beian::http
