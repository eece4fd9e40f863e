// JSON bodies (Boost.JSON): parsing a request body into an object, a strict field reader that
// rejects wrong types, missing required fields and unknown fields, and JSON responses.
//   BEIAN_ASSIGN_OR_RETURN(auto obj, http::ParseJsonObject(req));
//   http::ObjectReader r(obj);
//   std::string email = r.RequiredString("email");
//   std::optional<std::string> name = r.OptionalString("display_name");
//   http::ObjectReader& org = r.RequiredObject("organizer");
//   std::string org_name = org.RequiredString("name");   // field path "organizer.name"
//   BEIAN_TRY(r.Finish());   // checks r and every nested reader
// Finish() order of precedence: any unknown field → 400 unknown_field (details name each, code
// "unknown_field"); else any wrong type or missing field → 400 validation_failed (details code
// "wrong_type" or "required"). JSON null counts as absent.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/result.h"
#include "http/request.h"
#include "http/response.h"

namespace beian::http {

// True for "application/json" with optional parameters (e.g. "; charset=utf-8"), any case.
bool IsJsonContentType(std::string_view content_type);

// The request body as a JSON object. Wrong or missing Content-Type → 415 unsupported_media_type;
// malformed JSON or a non-object → 400 invalid_json.
core::Result<boost::json::object> ParseJsonObject(const Request& request);
// The same for a body already in hand (content type not checked).
core::Result<boost::json::object> ParseJsonObjectText(std::string_view text);

class ObjectReader {
 public:
  // Reads `object`, which must outlive the reader. `path` prefixes field names in details.
  explicit ObjectReader(const boost::json::object& object, std::string path = "");
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  // Required readers return an empty/zero value when the field is missing or of the wrong type
  // (the problem is recorded for Finish()); optional readers return nullopt when absent or null.
  std::string RequiredString(std::string_view name);
  std::optional<std::string> OptionalString(std::string_view name);
  int64_t RequiredInt(std::string_view name);
  std::optional<int64_t> OptionalInt(std::string_view name);
  double RequiredNumber(std::string_view name);
  std::optional<double> OptionalNumber(std::string_view name);
  bool RequiredBool(std::string_view name);
  std::optional<bool> OptionalBool(std::string_view name);
  std::vector<std::string> RequiredStringArray(std::string_view name);
  std::optional<std::vector<std::string>> OptionalStringArray(std::string_view name);

  // A reader for a nested object (owned by this reader; Finish() checks it). When the field is
  // absent (or wrong, for Required) the returned reader is empty and records nothing itself.
  ObjectReader& RequiredObject(std::string_view name);
  // nullptr when absent or null.
  ObjectReader* OptionalObject(std::string_view name);
  // Readers for each element of an array of objects (paths "name[0]", "name[1]", …).
  std::vector<ObjectReader*> RequiredObjectArray(std::string_view name);
  std::optional<std::vector<ObjectReader*>> OptionalObjectArray(std::string_view name);
  // The raw value (marks the field as read); nullptr when absent.
  const boost::json::value* Raw(std::string_view name);

  // Records a field-level validation problem of the caller's own (e.g. a checksum).
  void AddProblem(std::string_view name, std::string code, std::string message);

  // Ok, or the first class of problem found here or in nested readers (see the file comment).
  core::Status Finish();

  // The full path of field `name` in this reader ("organizer.name").
  std::string FieldPath(std::string_view name) const;

 private:
  struct Problems {
    std::vector<core::ErrorDetail> unknown;
    std::vector<core::ErrorDetail> invalid;
  };
  ObjectReader(const boost::json::object* object, std::string path,
               std::shared_ptr<Problems> problems);
  const boost::json::value* Find(std::string_view name);  // null if absent or JSON null
  void WrongType(std::string_view name, std::string_view expected);
  void Missing(std::string_view name);
  ObjectReader& MakeChild(const boost::json::object* object, std::string path);
  void CollectUnknown();

  const boost::json::object* object_;  // null for an empty stand-in reader
  std::string path_;
  std::shared_ptr<Problems> problems_;
  std::vector<std::string> read_;  // names read so far
  std::deque<std::unique_ptr<ObjectReader>> children_;
};

// A response whose body is `value` serialized.
Response JsonResponse(const boost::json::value& value, unsigned status = 200);

}  // namespace beian::http
