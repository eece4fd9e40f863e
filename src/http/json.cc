// JSON request parsing, the strict ObjectReader, and JSON responses.
#include "http/json.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace beian::http {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const std::vector<std::string> kNoStrings;

}  // namespace

bool IsJsonContentType(std::string_view content_type) {
  std::string_view media = TrimSpaces(content_type.substr(0, content_type.find(';')));
  return EqualsIgnoreCase(media, "application/json");
}

core::Result<boost::json::object> ParseJsonObjectText(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) {
    return core::Error(core::ErrorCode::kInvalidJson,
                       "the body is not valid JSON: " + ec.message());
  }
  if (!v.is_object()) {
    return core::Error(core::ErrorCode::kInvalidJson, "the body must be a JSON object");
  }
  return std::move(v.as_object());
}

core::Result<boost::json::object> ParseJsonObject(const Request& request) {
  if (!IsJsonContentType(request.Header("content-type"))) {
    return core::Error(core::ErrorCode::kUnsupportedMediaType,
                       "the body must be sent as Content-Type: application/json");
  }
  return ParseJsonObjectText(request.body);
}

ObjectReader::ObjectReader(const boost::json::object& object, std::string path)
    : ObjectReader(&object, std::move(path), std::make_shared<Problems>()) {}

ObjectReader::ObjectReader(const boost::json::object* object, std::string path,
                           std::shared_ptr<Problems> problems)
    : object_(object), path_(std::move(path)), problems_(std::move(problems)) {}

std::string ObjectReader::FieldPath(std::string_view name) const {
  if (path_.empty()) return std::string(name);
  std::string p = path_;
  p += '.';
  p += name;
  return p;
}

const boost::json::value* ObjectReader::Find(std::string_view name) {
  if (std::find(read_.begin(), read_.end(), name) == read_.end()) read_.emplace_back(name);
  if (object_ == nullptr) return nullptr;
  auto it = object_->find(name);
  if (it == object_->end() || it->value().is_null()) return nullptr;
  return &it->value();
}

void ObjectReader::WrongType(std::string_view name, std::string_view expected) {
  problems_->invalid.push_back({FieldPath(name), "wrong_type", "must be " + std::string(expected)});
}

void ObjectReader::Missing(std::string_view name) {
  if (object_ == nullptr) return;  // the parent is missing; that was reported already
  problems_->invalid.push_back({FieldPath(name), "required", "is required"});
}

void ObjectReader::AddProblem(std::string_view name, std::string code, std::string message) {
  problems_->invalid.push_back({FieldPath(name), std::move(code), std::move(message)});
}

std::optional<std::string> ObjectReader::OptionalString(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    WrongType(name, "a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::string ObjectReader::RequiredString(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return {};
  }
  return OptionalString(name).value_or("");
}

std::optional<int64_t> ObjectReader::OptionalInt(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->get_uint64());
  }
  WrongType(name, "an integer");
  return std::nullopt;
}

int64_t ObjectReader::RequiredInt(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return 0;
  }
  return OptionalInt(name).value_or(0);
}

std::optional<double> ObjectReader::OptionalNumber(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return v->to_number<double>();
  WrongType(name, "a number");
  return std::nullopt;
}

double ObjectReader::RequiredNumber(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return 0;
  }
  return OptionalNumber(name).value_or(0);
}

std::optional<bool> ObjectReader::OptionalBool(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    WrongType(name, "true or false");
    return std::nullopt;
  }
  return v->get_bool();
}

bool ObjectReader::RequiredBool(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return false;
  }
  return OptionalBool(name).value_or(false);
}

std::optional<std::vector<std::string>> ObjectReader::OptionalStringArray(std::string_view name) {
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
      problems_->invalid.push_back(
          {FieldPath(name) + "[" + std::to_string(i) + "]", "wrong_type", "must be a string"});
      return std::nullopt;
    }
    out.emplace_back(a[i].get_string());
  }
  return out;
}

std::vector<std::string> ObjectReader::RequiredStringArray(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return {};
  }
  return OptionalStringArray(name).value_or(kNoStrings);
}

ObjectReader& ObjectReader::MakeChild(const boost::json::object* object, std::string path) {
  children_.push_back(
      std::unique_ptr<ObjectReader>(new ObjectReader(object, std::move(path), problems_)));
  return *children_.back();
}

ObjectReader* ObjectReader::OptionalObject(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    WrongType(name, "an object");
    return &MakeChild(nullptr, FieldPath(name));
  }
  return &MakeChild(&v->get_object(), FieldPath(name));
}

ObjectReader& ObjectReader::RequiredObject(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return MakeChild(nullptr, FieldPath(name));
  }
  ObjectReader* child = OptionalObject(name);
  return child != nullptr ? *child : MakeChild(nullptr, FieldPath(name));
}

std::optional<std::vector<ObjectReader*>> ObjectReader::OptionalObjectArray(std::string_view name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    WrongType(name, "an array of objects");
    return std::nullopt;
  }
  std::vector<ObjectReader*> out;
  const boost::json::array& a = v->get_array();
  for (size_t i = 0; i < a.size(); ++i) {
    std::string p = FieldPath(name) + "[" + std::to_string(i) + "]";
    if (!a[i].is_object()) {
      problems_->invalid.push_back({p, "wrong_type", "must be an object"});
      out.push_back(&MakeChild(nullptr, std::move(p)));
    } else {
      out.push_back(&MakeChild(&a[i].get_object(), std::move(p)));
    }
  }
  return out;
}

std::vector<ObjectReader*> ObjectReader::RequiredObjectArray(std::string_view name) {
  if (object_ != nullptr && Find(name) == nullptr) {
    Missing(name);
    return {};
  }
  auto r = OptionalObjectArray(name);
  return r ? std::move(*r) : std::vector<ObjectReader*>{};
}

const boost::json::value* ObjectReader::Raw(std::string_view name) { return Find(name); }

void ObjectReader::CollectUnknown() {
  if (object_ != nullptr) {
    for (const auto& kv : *object_) {
      std::string_view key = kv.key();
      if (std::find(read_.begin(), read_.end(), key) == read_.end()) {
        problems_->unknown.push_back({FieldPath(key), "unknown_field", "is not a known field"});
      }
    }
  }
  for (auto& child : children_) child->CollectUnknown();
}

core::Status ObjectReader::Finish() {
  problems_->unknown.clear();
  CollectUnknown();
  if (!problems_->unknown.empty()) {
    std::string msg = "unknown field";
    if (problems_->unknown.size() > 1) msg += 's';
    for (size_t i = 0; i < problems_->unknown.size(); ++i) {
      msg += i == 0 ? ": " : ", ";
      msg += problems_->unknown[i].field;
    }
    return core::Error(core::ErrorCode::kUnknownField, std::move(msg), problems_->unknown);
  }
  if (!problems_->invalid.empty()) {
    return core::Error(core::ErrorCode::kValidationFailed, "some fields are invalid",
                       problems_->invalid);
  }
  return core::Ok();
}

Response JsonResponse(const boost::json::value& value, unsigned status) {
  return Response::RawJson(boost::json::serialize(value), status);
}

}  // namespace beian::http
