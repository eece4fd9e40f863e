// JSON request parsing and JSON responses; the reader itself is core/json_reader.
#include "http/json.h"

#include <boost/json/serialize.hpp>

namespace beian::http {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool IsJsonContentType(std::string_view content_type) {
  std::string_view media = TrimSpaces(content_type.substr(0, content_type.find(';')));
  return EqualsIgnoreCase(media, "application/json");
}

core::Result<boost::json::object> ParseJsonObject(const Request& request) {
  if (!IsJsonContentType(request.Header("content-type"))) {
    return core::Error(core::ErrorCode::kUnsupportedMediaType,
                       "the body must be sent as Content-Type: application/json");
  }
  return core::ParseJsonObjectText(request.body);
}

Response JsonResponse(const boost::json::value& value, unsigned status) {
  return Response::RawJson(boost::json::serialize(value), status);
}

}  // namespace beian::http
