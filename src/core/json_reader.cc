// The strict JSON object reader; see json_reader.h.
#include "core/json_reader.h"

#include <algorithm>
#include <boost/json/parse.hpp>

namespace beian::core {
namespace {

// Longest member name quoted in a detail: an unknown key is the client's text, and an 8 MB key
// must not come back twice in the answer. Cut at a UTF-8 boundary (Boost.JSON keys are valid
// UTF-8) and marked with "…".
constexpr std::size_t kMaxQuotedName = 128;

std::string QuotedName(std::string_view name) {
  if (name.size() <= kMaxQuotedName) return std::string(name);
  std::size_t cut = kMaxQuotedName;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  std::string out(name.substr(0, cut));
  out += "\xE2\x80\xA6";  // …
  return out;
}

const std::vector<std::string> kNoStrings;

std::string Indexed(std::string path, std::size_t i) {
  path += '[';
  path += std::to_string(i);
  path += ']';
  return path;
}

// "first problem" or "first problem (and N more)".
std::string Summary(std::string first, std::size_t total, std::string_view more_noun) {
  if (total > 1) {
    first += " (and ";
    first += std::to_string(total - 1);
    first += ' ';
    first += more_noun;
    first += ')';
  }
  return first;
}

}  // namespace

Result<boost::json::object> ParseJsonObjectText(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return Error(ErrorCode::kInvalidJson, "the body is not valid JSON: " + ec.message());
  if (!v.is_object()) return Error(ErrorCode::kInvalidJson, "the body must be a JSON object");
  return std::move(v.as_object());
}

JsonReader::JsonReader(const boost::json::object& object, std::string path)
    : JsonReader(&object, std::move(path), std::make_shared<Problems>()) {}

JsonReader::JsonReader(const boost::json::object* object, std::string path,
                       std::shared_ptr<Problems> problems)
    : object_(object), path_(std::move(path)), problems_(std::move(problems)) {}

std::string JsonReader::FieldPath(std::string_view name) const {
  if (path_.empty()) return std::string(name);
  if (name.empty()) return path_;
  std::string p = path_;
  p += '.';
  p += name;
  return p;
}

const boost::json::value* JsonReader::Find(std::string_view name) {
  if (std::find(read_.begin(), read_.end(), name) == read_.end()) read_.emplace_back(name);
  if (object_ == nullptr) return nullptr;
  auto it = object_->find(name);
  if (it == object_->end() || it->value().is_null()) return nullptr;
  return &it->value();
}

void JsonReader::Invalid(std::string field, std::string code, std::string message) {
  if (++problems_->invalid_total > kMaxJsonProblems) return;
  problems_->invalid.push_back({std::move(field), std::move(code), std::move(message)});
}

void JsonReader::WrongType(std::string_view name, std::string_view expected) {
  Invalid(FieldPath(name), "wrong_type", "must be " + std::string(expected));
}

void JsonReader::Missing(std::string_view name) {
  if (object_ == nullptr) return;  // the parent is missing or wrong; that was reported already
  Invalid(FieldPath(name), "required", "is required");
}

void JsonReader::AddProblem(std::string_view name, std::string code, std::string message) {
  Invalid(FieldPath(name), std::move(code), std::move(message));
}

std::optional<std::string> JsonReader::OptionalString(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    WrongType(name, "a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::string JsonReader::RequiredString(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return {};
  }
  return OptionalString(name).value_or("");
}

std::string JsonReader::RequiredNonEmptyString(std::string_view name) {
  if (object_ == nullptr) {
    Find(name);
    return {};
  }
  const boost::json::value* v = Find(name);
  if (v != nullptr && !v->is_string()) {
    WrongType(name, "a string");
    return {};
  }
  if (v == nullptr || v->get_string().empty()) {
    Missing(name);
    return {};
  }
  return std::string(v->get_string());
}

std::optional<int64_t> JsonReader::OptionalInt(std::string_view name, int64_t min, int64_t max) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  std::optional<int64_t> n;
  if (v->is_int64()) {
    n = v->get_int64();
  } else if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    n = static_cast<int64_t>(v->get_uint64());
  }
  if (n && *n >= min && *n <= max) return n;
  if (min == std::numeric_limits<int64_t>::min() && max == std::numeric_limits<int64_t>::max()) {
    WrongType(name, "an integer");
  } else {
    WrongType(name, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return std::nullopt;
}

int64_t JsonReader::RequiredInt(std::string_view name, int64_t min, int64_t max) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return 0;
  }
  return OptionalInt(name, min, max).value_or(0);
}

std::optional<double> JsonReader::OptionalNumber(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return v->to_number<double>();
  WrongType(name, "a number");
  return std::nullopt;
}

double JsonReader::RequiredNumber(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return 0;
  }
  return OptionalNumber(name).value_or(0);
}

std::optional<bool> JsonReader::OptionalBool(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    WrongType(name, "true or false");
    return std::nullopt;
  }
  return v->get_bool();
}

bool JsonReader::RequiredBool(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return false;
  }
  return OptionalBool(name).value_or(false);
}

std::optional<std::vector<std::string>> JsonReader::OptionalStringArray(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    WrongType(name, "an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  const boost::json::array& a = v->get_array();
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string()) {
      Invalid(Indexed(FieldPath(name), i), "wrong_type", "must be a string");
      return std::nullopt;
    }
    out.emplace_back(a[i].get_string());
  }
  return out;
}

std::vector<std::string> JsonReader::RequiredStringArray(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return {};
  }
  return OptionalStringArray(name).value_or(kNoStrings);
}

std::optional<std::vector<std::pair<std::string, std::string>>> JsonReader::OptionalStringMap(
    std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    WrongType(name, "an object of strings");
    return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> out;
  bool ok = true;
  for (const auto& kv : v->get_object()) {
    if (kv.value().is_null()) continue;
    if (!kv.value().is_string()) {
      Invalid(FieldPath(name) + "." + QuotedName(kv.key()), "wrong_type", "must be a string");
      ok = false;
      continue;
    }
    out.emplace_back(std::string(kv.key()), std::string(kv.value().get_string()));
  }
  if (!ok) return std::nullopt;
  return out;
}

JsonReader& JsonReader::MakeChild(const boost::json::object* object, std::string path) {
  children_.push_back(
      std::unique_ptr<JsonReader>(new JsonReader(object, std::move(path), problems_)));
  return *children_.back();
}

JsonReader* JsonReader::OptionalObject(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    WrongType(name, "an object");
    return &MakeChild(nullptr, FieldPath(name));
  }
  return &MakeChild(&v->get_object(), FieldPath(name));
}

JsonReader& JsonReader::RequiredObject(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return MakeChild(nullptr, FieldPath(name));
  }
  JsonReader* child = OptionalObject(name);
  return child != nullptr ? *child : MakeChild(nullptr, FieldPath(name));
}

std::optional<std::vector<JsonReader*>> JsonReader::OptionalObjectArray(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    WrongType(name, "an array of objects");
    return std::nullopt;
  }
  std::vector<JsonReader*> out;
  const boost::json::array& a = v->get_array();
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    std::string p = Indexed(FieldPath(name), i);
    if (!a[i].is_object()) {
      Invalid(p, "wrong_type", "must be an object");
      out.push_back(&MakeChild(nullptr, std::move(p)));
    } else {
      out.push_back(&MakeChild(&a[i].get_object(), std::move(p)));
    }
  }
  return out;
}

std::vector<JsonReader*> JsonReader::RequiredObjectArray(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return {};
  }
  auto r = OptionalObjectArray(name);
  return r ? std::move(*r) : std::vector<JsonReader*>{};
}

const boost::json::value* JsonReader::Raw(std::string_view name) { return Find(name); }

void JsonReader::CollectUnknown() {
  if (object_ != nullptr) {
    for (const auto& kv : *object_) {
      std::string_view key = kv.key();
      if (std::find(read_.begin(), read_.end(), key) != read_.end()) continue;
      // Counted always, described only while under the cap (no path is built past it).
      if (++problems_->unknown_total > kMaxJsonProblems) continue;
      problems_->unknown.push_back(
          {FieldPath(QuotedName(key)), "unknown_field", "is not a known field"});
    }
  }
  for (auto& child : children_) child->CollectUnknown();
}

Status JsonReader::Finish() {
  problems_->unknown.clear();
  problems_->unknown_total = 0;
  CollectUnknown();
  if (problems_->unknown_total > 0) {
    Error e(ErrorCode::kUnknownField,
            Summary("unknown field " + problems_->unknown.front().field, problems_->unknown_total,
                    "more unknown fields"),
            problems_->unknown);
    e.details_total = problems_->unknown_total;
    return e;
  }
  if (problems_->invalid_total > 0) {
    const ErrorDetail& first = problems_->invalid.front();
    std::string head = first.field.empty() ? first.message : first.field + " " + first.message;
    Error e(ErrorCode::kValidationFailed,
            Summary(std::move(head), problems_->invalid_total, "more problems"),
            problems_->invalid);
    e.details_total = problems_->invalid_total;
    return e;
  }
  return Ok();
}

}  // namespace beian::core
