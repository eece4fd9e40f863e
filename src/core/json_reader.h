// The one strict JSON object reader (Boost.JSON), for HTTP request bodies and the domain's files
// alike (the application, the precheck's registry and inventory files). It refuses wrong types,
// missing required members and unknown members, and it COLLECTS every problem so that an HTTP
// error can name them all:
//   BEIAN_ASSIGN_OR_RETURN(auto obj, core::ParseJsonObjectText(text));
//   core::JsonReader r(obj);
//   std::string email = r.RequiredString("email");
//   std::optional<std::string> name = r.OptionalString("display_name");
//   core::JsonReader& org = r.RequiredObject("organizer");
//   std::string org_name = org.RequiredString("name");   // field path "organizer.name"
//   BEIAN_TRY(r.Finish());   // checks r and every nested reader
// Finish() order of precedence: any unknown member → Error{kUnknownField} (details name each,
// code "unknown_field"); else any wrong type, missing member or caller's problem →
// Error{kValidationFailed} (details code "wrong_type", "required" or the caller's). JSON null
// counts as absent everywhere. A member is "known" when something read it (Optional*, Required*,
// Raw), so reading every member the format has is what declares them.
//
// The collection is capped: at most kMaxJsonProblems details are kept (the first ones, in the
// order found) and Error::details_total counts them all, so a body of a million unknown keys
// costs a counter, not a million-entry vector and a reply quoting every key.
//
// HTTP code may still spell this http::ObjectReader (an alias in http/json.h); new code uses
// core::JsonReader.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/result.h"

namespace beian::core {

// How many problems of each kind (unknown members; invalid values) a reader keeps.
inline constexpr std::size_t kMaxJsonProblems = 20;

// `text` as a JSON object: malformed JSON or a non-object → Error{kInvalidJson}.
Result<boost::json::object> ParseJsonObjectText(std::string_view text);

class JsonReader {
 public:
  // Reads `object`, which must outlive the reader. `path` prefixes member names in details
  // ("organizer" → "organizer.name"; "" at the top level).
  explicit JsonReader(const boost::json::object& object, std::string path = "");
  JsonReader(const JsonReader&) = delete;
  JsonReader& operator=(const JsonReader&) = delete;

  // Required readers return an empty/zero value when the member is missing or of the wrong type
  // (the problem is recorded for Finish()); optional readers return nullopt when absent or null
  // (and when of the wrong type, recording it).
  std::string RequiredString(std::string_view name);
  std::optional<std::string> OptionalString(std::string_view name);
  // A string that must be present and not empty ("required" otherwise).
  std::string RequiredNonEmptyString(std::string_view name);
  // Integers: JSON integers in [min, max]; 1.5, "1" and out-of-range values are wrong_type.
  int64_t RequiredInt(std::string_view name, int64_t min = std::numeric_limits<int64_t>::min(),
                      int64_t max = std::numeric_limits<int64_t>::max());
  std::optional<int64_t> OptionalInt(std::string_view name,
                                     int64_t min = std::numeric_limits<int64_t>::min(),
                                     int64_t max = std::numeric_limits<int64_t>::max());
  double RequiredNumber(std::string_view name);
  std::optional<double> OptionalNumber(std::string_view name);
  bool RequiredBool(std::string_view name);
  std::optional<bool> OptionalBool(std::string_view name);
  std::vector<std::string> RequiredStringArray(std::string_view name);
  std::optional<std::vector<std::string>> OptionalStringArray(std::string_view name);
  // An object used as a map from any key to a string ({"a.com": "京ICP备…"}); members that are
  // null are skipped, other non-strings are wrong_type at "name.key". Document order.
  std::optional<std::vector<std::pair<std::string, std::string>>> OptionalStringMap(
      std::string_view name);

  // A reader for a nested object (owned by this reader; Finish() checks it). When the member is
  // absent (or wrong, for Required) the returned reader is empty and records nothing itself.
  JsonReader& RequiredObject(std::string_view name);
  // nullptr when absent or null; an empty reader when of the wrong type (recorded).
  JsonReader* OptionalObject(std::string_view name);
  // Readers for each element of an array of objects (paths "name[0]", "name[1]", …); an element
  // that is not an object is wrong_type and gets an empty reader.
  std::vector<JsonReader*> RequiredObjectArray(std::string_view name);
  std::optional<std::vector<JsonReader*>> OptionalObjectArray(std::string_view name);
  // The raw value (marks the member as read); nullptr when absent or null.
  const boost::json::value* Raw(std::string_view name);

  // Records a problem of the caller's own (e.g. a checksum) at member `name`, or at this
  // reader's own path when `name` is empty. `message` says what is wrong without the path.
  void AddProblem(std::string_view name, std::string code, std::string message);

  // Ok, or the first class of problem found here or in nested readers (see the file comment).
  // The error's message names the first problem's path ("unknown field websites[0].phone",
  // "subjects[0].certificate_number must be a string"), for command-line callers.
  Status Finish();

  // The full path of member `name` in this reader ("organizer.name"); this reader's own path
  // when `name` is empty.
  std::string FieldPath(std::string_view name) const;
  const std::string& path() const { return path_; }

 private:
  // Shared by a reader and all its children. Only the first kMaxJsonProblems of each kind are
  // kept; the totals count every one.
  struct Problems {
    std::vector<ErrorDetail> unknown;
    std::size_t unknown_total = 0;
    std::vector<ErrorDetail> invalid;
    std::size_t invalid_total = 0;
  };
  JsonReader(const boost::json::object* object, std::string path,
             std::shared_ptr<Problems> problems);
  const boost::json::value* Find(std::string_view name);  // null if absent or JSON null
  void Invalid(std::string field, std::string code, std::string message);
  void WrongType(std::string_view name, std::string_view expected);
  void Missing(std::string_view name);
  JsonReader& MakeChild(const boost::json::object* object, std::string path);
  void CollectUnknown();

  const boost::json::object* object_;  // null for an empty stand-in reader
  std::string path_;
  std::shared_ptr<Problems> problems_;
  std::vector<std::string> read_;  // names read so far
  std::deque<std::unique_ptr<JsonReader>> children_;
};

}  // namespace beian::core
