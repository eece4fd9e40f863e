// Strict JSON mapping of the Application (DESIGN §6), shared by `beian precheck` and the HTTP
// API, read with the one strict reader (core/json_reader.h). Parsing rejects what a lenient
// reader would silently drop: unknown members anywhere are Error{kUnknownField} whose details
// name their paths ("websites[1].person_in_charge.phone"); members of the wrong JSON type are
// Error{kValidationFailed} with details naming the paths and the expected types. Every problem
// is reported (up to core::kMaxJsonProblems, with the total). `null` is accepted for any member
// and means "not given". Values are not judged here (that is the precheck's job), only shapes;
// what is read is normalised once (normalize.h: NFKC, trimmed names, upper-case numbers,
// registrable domains), never judged.
#pragma once

#include <string_view>

#include <boost/json.hpp>

#include "core/result.h"
#include "domain/application.h"

namespace beian::domain {

// Parses an application object. The top-level value must be a JSON object.
core::Result<Application> ApplicationFromJson(const boost::json::value& json);

// Parses JSON text first (Error{kInvalidJson} with the parser's message on malformed text).
core::Result<Application> ApplicationFromJsonText(std::string_view text);

// The full object, every member present (empty strings and lists included), so that
// ApplicationFromJson(ToJson(a)) == a for a normalised `a` (organizer.legal_representative is
// written only when given).
boost::json::object ToJson(const Application& app);
boost::json::object ToJson(const Person& person);

}  // namespace beian::domain
