// Strict JSON mapping of the Application (DESIGN §6), shared by `beian precheck` and the HTTP
// API. Parsing rejects what a lenient reader would silently drop: an unknown member anywhere is
// Error{kUnknownField} whose detail names its path ("websites[1].person_in_charge.phone"); a
// member of the wrong JSON type is Error{kValidationFailed} with a detail naming the path and the
// expected type. `null` is accepted for any member and means "not given". Values are not judged
// here (that is the precheck's job), only shapes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "core/result.h"
#include "domain/application.h"

namespace beian::domain {

// Parses an application object. The top-level value must be a JSON object.
core::Result<Application> ApplicationFromJson(const boost::json::value& json);

// Parses JSON text first (Error{kInvalidJson} with the parser's message on malformed text).
core::Result<Application> ApplicationFromJsonText(std::string_view text);

// The full object, every member present (empty strings and lists included), so that
// ApplicationFromJson(ToJson(a)) == a.
boost::json::object ToJson(const Application& app);
boost::json::object ToJson(const Person& person);

// The strict reader behind ApplicationFromJson, for other inputs of the same family (the
// precheck's registry and inventory files): each call reads one member of an object at `path`;
// absent and null members leave `out` untouched; a wrong type is Error{kValidationFailed} naming
// "path.key"; Finish() reports the first member not in `known` as Error{kUnknownField}.
class StrictObjectReader {
 public:
  StrictObjectReader(const boost::json::object& obj, std::string path)
      : obj_(obj), path_(std::move(path)) {}

  core::Status String(std::string_view key, std::string& out) const;
  core::Status Int(std::string_view key, std::int64_t& out) const;
  core::Status Int(std::string_view key, int& out) const;
  core::Status Bool(std::string_view key, bool& out) const;
  core::Status Strings(std::string_view key, std::vector<std::string>& out) const;
  // The member as an object / array; nullptr when absent or null.
  core::Result<const boost::json::object*> Object(std::string_view key) const;
  core::Result<const boost::json::array*> Array(std::string_view key) const;
  core::Status Finish(std::initializer_list<std::string_view> known) const;
  // Error{kValidationFailed} with a detail {path.key, "required"} when `value` is empty.
  core::Status RequireNonEmpty(std::string_view key, const std::string& value) const;

  // "path.key" (or "key" at the top level).
  std::string PathOf(std::string_view key) const;
  const std::string& path() const { return path_; }

 private:
  const boost::json::object& obj_;
  std::string path_;
};

// Error{kValidationFailed} "`path` must be `expected`" with a detail {path, "wrong_type"} (the code
// the HTTP reader uses too).
core::Error JsonTypeError(const std::string& path, std::string_view expected);

}  // namespace beian::domain
