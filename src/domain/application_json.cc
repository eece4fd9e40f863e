// Strict Application <-> JSON mapping; see application_json.h.
#include "domain/application_json.h"

#include <string>
#include <utility>
#include <vector>

#include "core/json_reader.h"
#include "domain/contact_validators.h"
#include "domain/normalize.h"
#include "domain/numbering.h"

namespace beian::domain {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::ErrorDetail;

void ReadPerson(core::JsonReader& r, Person& p) {
  p.name = r.OptionalString("name").value_or("");
  p.id_type = r.OptionalString("id_type").value_or("");
  p.id_number = r.OptionalString("id_number").value_or("");
  // Normalised here, once (RULES.md decision 11): what is stored and judged is the 11-digit
  // form; a number that does not normalise is kept as typed for the precheck to refuse.
  std::string mobile = r.OptionalString("mobile").value_or("");
  p.mobile = NormalizeMobile(mobile).value_or(std::move(mobile));
  p.email = r.OptionalString("email").value_or("");
}

void ReadOrganizer(core::JsonReader& r, Organizer& o) {
  o.type = r.OptionalString("type").value_or("");
  o.name = r.OptionalString("name").value_or("");
  if (core::JsonReader* c = r.OptionalObject("certificate")) {
    o.certificate.type = c->OptionalString("type").value_or("");
    o.certificate.number = c->OptionalString("number").value_or("");
  }
  o.province = r.OptionalString("province").value_or("");
  o.address = r.OptionalString("address").value_or("");
  if (core::JsonReader* person = r.OptionalObject("person_in_charge")) {
    ReadPerson(*person, o.person_in_charge);
  }
  // RULES.md decision 10: optional; absent = the person in charge.
  if (core::JsonReader* legal = r.OptionalObject("legal_representative")) {
    o.legal_representative.name = legal->OptionalString("name").value_or("");
    o.legal_representative.id_type = legal->OptionalString("id_type").value_or("");
    o.legal_representative.id_number = legal->OptionalString("id_number").value_or("");
  }
}

void ReadWebsite(core::JsonReader& r, Website& w) {
  w.name = r.OptionalString("name").value_or("");
  w.domains = r.OptionalStringArray("domains").value_or(std::vector<std::string>{});
  w.homepage = r.OptionalString("homepage").value_or("");
  w.service_content = r.OptionalString("service_content").value_or("");
  w.languages = r.OptionalStringArray("languages").value_or(std::vector<std::string>{});
  w.pre_approvals = r.OptionalStringArray("pre_approvals").value_or(std::vector<std::string>{});
  w.instance_id = r.OptionalString("instance_id").value_or("");
  if (core::JsonReader* person = r.OptionalObject("person_in_charge")) {
    ReadPerson(*person, w.person_in_charge);
  }
}

void ReadBeian(core::JsonReader& r, BeianCredentials& b) {
  // SNs as people type them, normalised here once (RULES.md decision 18).
  b.subject_sn = NormalizeSnText(r.OptionalString("subject_sn").value_or(""));
  if (auto sns = r.OptionalStringMap("website_sns")) {
    for (auto& [domain, sn] : *sns) b.website_sns[std::move(domain)] = NormalizeSnText(sn);
  }
}

json::array StringArray(const std::vector<std::string>& items) {
  json::array a;
  a.reserve(items.size());
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

}  // namespace

core::Result<Application> ApplicationFromJson(const json::value& value) {
  if (!value.is_object()) {
    return Error(ErrorCode::kValidationFailed, "the application must be a JSON object",
                 {ErrorDetail{"", "wrong_type", "the application must be a JSON object"}});
  }
  Application app;
  core::JsonReader r(value.get_object());
  app.id = r.OptionalString("id").value_or("");
  app.version = r.OptionalInt("version").value_or(0);
  app.state = r.OptionalString("state").value_or("");
  app.filing_type = r.OptionalString("filing_type").value_or("");
  app.province = r.OptionalString("province").value_or("");
  if (core::JsonReader* organizer = r.OptionalObject("organizer")) {
    ReadOrganizer(*organizer, app.organizer);
  }
  if (auto websites = r.OptionalObjectArray("websites")) {
    app.websites.resize(websites->size());
    for (std::size_t i = 0; i < websites->size(); ++i)
      ReadWebsite(*(*websites)[i], app.websites[i]);
  }
  if (core::JsonReader* beian = r.OptionalObject("beian")) ReadBeian(*beian, app.beian);
  BEIAN_TRY(r.Finish());
  // What is stored and judged is the normalised application (RULES.md decisions, 2026-12-02).
  NormalizeApplication(app);
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
  if (!o.legal_representative.Empty()) {
    organizer["legal_representative"] =
        json::object{{"name", o.legal_representative.name},
                     {"id_type", o.legal_representative.id_type},
                     {"id_number", o.legal_representative.id_number}};
  }
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
