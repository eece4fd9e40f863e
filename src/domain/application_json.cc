// Strict Application <-> JSON mapping; see application_json.h.
#include "domain/application_json.h"

#include <string>
#include <utility>

namespace beian::domain {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::ErrorDetail;

core::Status ReadPerson(const json::object& obj, const std::string& path, Person& p) {
  StrictObjectReader r(obj, path);
  BEIAN_TRY(r.Finish({"name", "id_type", "id_number", "mobile", "email", "legal_representative"}));
  BEIAN_TRY(r.String("name", p.name));
  BEIAN_TRY(r.String("id_type", p.id_type));
  BEIAN_TRY(r.String("id_number", p.id_number));
  BEIAN_TRY(r.String("mobile", p.mobile));
  BEIAN_TRY(r.String("email", p.email));
  bool legal = false;
  if (const json::value* v = obj.if_contains("legal_representative"); v && !v->is_null()) {
    BEIAN_TRY(r.Bool("legal_representative", legal));
    p.legal_representative = legal;
  }
  return core::Ok();
}

core::Status ReadOrganizer(const json::object& obj, const std::string& path, Organizer& o) {
  StrictObjectReader r(obj, path);
  BEIAN_TRY(r.Finish({"type", "name", "certificate", "province", "address", "person_in_charge"}));
  BEIAN_TRY(r.String("type", o.type));
  BEIAN_TRY(r.String("name", o.name));
  BEIAN_TRY(r.String("province", o.province));
  BEIAN_TRY(r.String("address", o.address));
  BEIAN_ASSIGN_OR_RETURN(const json::object* cert, r.Object("certificate"));
  if (cert != nullptr) {
    StrictObjectReader c(*cert, path + ".certificate");
    BEIAN_TRY(c.Finish({"type", "number"}));
    BEIAN_TRY(c.String("type", o.certificate.type));
    BEIAN_TRY(c.String("number", o.certificate.number));
  }
  BEIAN_ASSIGN_OR_RETURN(const json::object* person, r.Object("person_in_charge"));
  if (person != nullptr) {
    BEIAN_TRY(ReadPerson(*person, path + ".person_in_charge", o.person_in_charge));
  }
  return core::Ok();
}

core::Status ReadWebsite(const json::object& obj, const std::string& path, Website& w) {
  StrictObjectReader r(obj, path);
  BEIAN_TRY(r.Finish({"name", "domains", "homepage", "service_content", "languages",
                      "pre_approvals", "instance_id", "person_in_charge"}));
  BEIAN_TRY(r.String("name", w.name));
  BEIAN_TRY(r.Strings("domains", w.domains));
  BEIAN_TRY(r.String("homepage", w.homepage));
  BEIAN_TRY(r.String("service_content", w.service_content));
  BEIAN_TRY(r.Strings("languages", w.languages));
  BEIAN_TRY(r.Strings("pre_approvals", w.pre_approvals));
  BEIAN_TRY(r.String("instance_id", w.instance_id));
  BEIAN_ASSIGN_OR_RETURN(const json::object* person, r.Object("person_in_charge"));
  if (person != nullptr) {
    BEIAN_TRY(ReadPerson(*person, path + ".person_in_charge", w.person_in_charge));
  }
  return core::Ok();
}

core::Status ReadBeian(const json::object& obj, BeianCredentials& b) {
  StrictObjectReader r(obj, "beian");
  BEIAN_TRY(r.Finish({"subject_sn", "website_sns"}));
  BEIAN_TRY(r.String("subject_sn", b.subject_sn));
  BEIAN_ASSIGN_OR_RETURN(const json::object* sns, r.Object("website_sns"));
  if (sns != nullptr) {
    for (const auto& kv : *sns) {
      std::string path = "beian.website_sns." + std::string(kv.key());
      if (kv.value().is_null()) continue;
      if (!kv.value().is_string()) return JsonTypeError(path, "a string");
      b.website_sns[std::string(kv.key())] = std::string(kv.value().get_string());
    }
  }
  return core::Ok();
}

json::array StringArray(const std::vector<std::string>& items) {
  json::array a;
  a.reserve(items.size());
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

}  // namespace

Error JsonTypeError(const std::string& path, std::string_view expected) {
  std::string msg = path + " must be " + std::string(expected);
  return Error(ErrorCode::kValidationFailed, msg, {ErrorDetail{path, "wrong_type", msg}});
}

std::string StrictObjectReader::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

core::Status StrictObjectReader::RequireNonEmpty(std::string_view key,
                                                 const std::string& value) const {
  if (!value.empty()) return core::Ok();
  std::string path = PathOf(key);
  std::string msg = path + " is required";
  return core::Error(core::ErrorCode::kValidationFailed, msg,
                     {core::ErrorDetail{path, "required", msg}});
}

core::Status StrictObjectReader::String(std::string_view key, std::string& out) const {
  const json::value* v = obj_.if_contains(key);
  if (v == nullptr || v->is_null()) return core::Ok();
  if (!v->is_string()) return JsonTypeError(PathOf(key), "a string");
  out.assign(v->get_string().data(), v->get_string().size());
  return core::Ok();
}

core::Status StrictObjectReader::Int(std::string_view key, std::int64_t& out) const {
  const json::value* v = obj_.if_contains(key);
  if (v == nullptr || v->is_null()) return core::Ok();
  if (v->is_int64()) {
    out = v->get_int64();
  } else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    out = static_cast<std::int64_t>(v->get_uint64());
  } else {
    return JsonTypeError(PathOf(key), "an integer");
  }
  return core::Ok();
}

core::Status StrictObjectReader::Int(std::string_view key, int& out) const {
  std::int64_t wide = out;
  BEIAN_TRY(Int(key, wide));
  if (wide < INT32_MIN || wide > INT32_MAX) return JsonTypeError(PathOf(key), "a 32-bit integer");
  out = static_cast<int>(wide);
  return core::Ok();
}

core::Status StrictObjectReader::Bool(std::string_view key, bool& out) const {
  const json::value* v = obj_.if_contains(key);
  if (v == nullptr || v->is_null()) return core::Ok();
  if (!v->is_bool()) return JsonTypeError(PathOf(key), "a boolean");
  out = v->get_bool();
  return core::Ok();
}

core::Status StrictObjectReader::Strings(std::string_view key,
                                         std::vector<std::string>& out) const {
  const json::value* v = obj_.if_contains(key);
  if (v == nullptr || v->is_null()) return core::Ok();
  std::string path = PathOf(key);
  if (!v->is_array()) return JsonTypeError(path, "an array of strings");
  out.clear();
  std::size_t i = 0;
  for (const json::value& item : v->get_array()) {
    if (!item.is_string()) return JsonTypeError(path + "[" + std::to_string(i) + "]", "a string");
    out.emplace_back(item.get_string().data(), item.get_string().size());
    ++i;
  }
  return core::Ok();
}

core::Result<const json::object*> StrictObjectReader::Object(std::string_view key) const {
  const json::value* v = obj_.if_contains(key);
  if (v == nullptr || v->is_null()) return static_cast<const json::object*>(nullptr);
  if (!v->is_object()) return JsonTypeError(PathOf(key), "an object");
  return &v->get_object();
}

core::Result<const json::array*> StrictObjectReader::Array(std::string_view key) const {
  const json::value* v = obj_.if_contains(key);
  if (v == nullptr || v->is_null()) return static_cast<const json::array*>(nullptr);
  if (!v->is_array()) return JsonTypeError(PathOf(key), "an array");
  return &v->get_array();
}

core::Status StrictObjectReader::Finish(std::initializer_list<std::string_view> known) const {
  // Document order, so the error is deterministic.
  for (const auto& kv : obj_) {
    bool found = false;
    for (std::string_view k : known) found = found || kv.key() == k;
    if (!found) {
      std::string path = PathOf(kv.key());
      std::string msg = "unknown field " + path;
      return Error(ErrorCode::kUnknownField, msg, {ErrorDetail{path, "unknown_field", msg}});
    }
  }
  return core::Ok();
}

core::Result<Application> ApplicationFromJson(const json::value& value) {
  if (!value.is_object()) {
    return Error(ErrorCode::kValidationFailed, "the application must be a JSON object",
                 {ErrorDetail{"", "wrong_type", "the application must be a JSON object"}});
  }
  Application app;
  StrictObjectReader r(value.get_object(), "");
  BEIAN_TRY(r.Finish(
      {"id", "version", "state", "filing_type", "province", "organizer", "websites", "beian"}));
  BEIAN_TRY(r.String("id", app.id));
  BEIAN_TRY(r.Int("version", app.version));
  BEIAN_TRY(r.String("state", app.state));
  BEIAN_TRY(r.String("filing_type", app.filing_type));
  BEIAN_TRY(r.String("province", app.province));
  BEIAN_ASSIGN_OR_RETURN(const json::object* organizer, r.Object("organizer"));
  if (organizer != nullptr) BEIAN_TRY(ReadOrganizer(*organizer, "organizer", app.organizer));
  BEIAN_ASSIGN_OR_RETURN(const json::array* websites, r.Array("websites"));
  if (websites != nullptr) {
    app.websites.reserve(websites->size());
    for (std::size_t i = 0; i < websites->size(); ++i) {
      std::string path = "websites[" + std::to_string(i) + "]";
      const json::value& w = (*websites)[i];
      if (!w.is_object()) return JsonTypeError(path, "an object");
      BEIAN_TRY(ReadWebsite(w.get_object(), path, app.websites.emplace_back()));
    }
  }
  BEIAN_ASSIGN_OR_RETURN(const json::object* beian, r.Object("beian"));
  if (beian != nullptr) BEIAN_TRY(ReadBeian(*beian, app.beian));
  return app;
}

core::Result<Application> ApplicationFromJsonText(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) {
    return Error(ErrorCode::kInvalidJson, "malformed JSON: " + ec.message());
  }
  return ApplicationFromJson(v);
}

json::object ToJson(const Person& p) {
  json::object o{{"name", p.name},
                 {"id_type", p.id_type},
                 {"id_number", p.id_number},
                 {"mobile", p.mobile},
                 {"email", p.email}};
  if (p.legal_representative) o["legal_representative"] = *p.legal_representative;
  return o;
}

json::object ToJson(const Application& app) {
  const Organizer& o = app.organizer;
  json::object organizer{
      {"type", o.type},
      {"name", o.name},
      {"certificate", json::object{{"type", o.certificate.type}, {"number", o.certificate.number}}},
      {"province", o.province},
      {"address", o.address},
      {"person_in_charge", ToJson(o.person_in_charge)}};
  json::array websites;
  websites.reserve(app.websites.size());
  for (const Website& w : app.websites) {
    websites.emplace_back(json::object{{"name", w.name},
                                       {"domains", StringArray(w.domains)},
                                       {"homepage", w.homepage},
                                       {"service_content", w.service_content},
                                       {"languages", StringArray(w.languages)},
                                       {"pre_approvals", StringArray(w.pre_approvals)},
                                       {"instance_id", w.instance_id},
                                       {"person_in_charge", ToJson(w.person_in_charge)}});
  }
  json::object sns;
  for (const auto& [domain, sn] : app.beian.website_sns) sns[domain] = sn;
  return json::object{{"id", app.id},
                      {"version", app.version},
                      {"state", app.state},
                      {"filing_type", app.filing_type},
                      {"province", app.province},
                      {"organizer", std::move(organizer)},
                      {"websites", std::move(websites)},
                      {"beian", json::object{{"subject_sn", app.beian.subject_sn},
                                             {"website_sns", std::move(sns)}}}};
}

}  // namespace beian::domain
