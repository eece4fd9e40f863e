// Whole-application checks; see cross_checks.h. The field validators are part 1's; this file
// decides which validator a field needs and adds the rules that relate fields to each other.
#include "domain/cross_checks.h"

#include <algorithm>
#include <map>
#include <set>

#include "domain/contact_validators.h"
#include "domain/domain_name.h"
#include "domain/identity_validators.h"
#include "domain/name_validators.h"
#include "domain/registry_view.h"
#include "domain/uscc.h"
#include "domain/validators_util.h"

namespace beian::domain {
namespace {

using Params = std::map<std::string, std::string>;

void Add(Findings& out, Severity s, std::string field, std::string code, Params params = {}) {
  out.push_back(Finding{s, std::move(field), std::move(code), std::move(params)});
}
void Err(Findings& out, std::string field, std::string code, Params params = {}) {
  Add(out, Severity::kError, std::move(field), std::move(code), std::move(params));
}
void Warn(Findings& out, std::string field, std::string code, Params params = {}) {
  Add(out, Severity::kWarning, std::move(field), std::move(code), std::move(params));
}
void Append(Findings& out, Findings more) {
  out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

std::string WebsitePath(std::size_t i) { return "websites[" + std::to_string(i) + "]"; }

bool Blank(std::string_view s) { return text::Trim(s).empty(); }

// The province code in characters 3–4 of a USCC-shaped number, when it names a province.
std::string UsccProvince(const Rules& rules, std::string_view number) {
  std::string n = text::NormalizeCode(number);
  if (n.size() != 18) return "";
  std::string code = n.substr(2, 2);
  return rules.FindProvince(code) != nullptr ? code : "";
}

// The province that issued a resident ID card (first two digits), when it parses.
std::string ResidentIdProvince(const Rules& rules, std::string_view number) {
  std::optional<ResidentId> id = ParseResidentId(number);
  if (!id) return "";
  const Province* p = rules.ProvinceByResidentIdPrefix(id->region_code.substr(0, 2));
  return p != nullptr ? p->code : "";
}

// RULES.md decision 16: where an individual's identity document makes them local (see
// ProvinceDerivation::id_province).
std::string IdentityProvince(const Rules& rules, std::string_view id_type,
                             std::string_view number) {
  if (id_type == "resident_id_card") return ResidentIdProvince(rules, number);
  if (id_type == "passport" || id_type == "hk_macao_permit" || id_type == "taiwan_permit") {
    return std::string(id_type);
  }
  if (id_type == "foreign_permanent_resident_card") {
    // The 2017 card (18 characters, 9 + province + …) is local in the province of its digits
    // 2–3; the 2004 card (15 characters) is never local.
    const std::string s = text::NormalizeCode(number);
    if (s.size() == 18 && s[0] == '9' && text::IsAsciiDigits(s.substr(1, 2))) {
      const Province* p = rules.FindProvince(s.substr(1, 2));
      return p != nullptr ? p->code : std::string(id_type);
    }
    return std::string(id_type);
  }
  return "";
}

// One person in charge: name, identity document (an identity type, valid number, old enough),
// mobile, e-mail.
void CheckPerson(Findings& out, const Rules& rules, const Person& p, const std::string& path,
                 Date today, int minimum_age) {
  if (Blank(p.name)) Err(out, path + ".name", "required");
  if (Blank(p.id_type)) {
    Err(out, path + ".id_type", "required");
  } else if (rules.FindCertificateType(p.id_type) == nullptr) {
    Err(out, path + ".id_type", "unknown_certificate_type", {{"type", p.id_type}});
  } else if (!rules.IsIdentityDocumentType(p.id_type)) {
    Err(out, path + ".id_type", "not_identity_document", {{"type", p.id_type}});
  } else {
    Append(out, ValidateCertificateNumber(rules, p.id_type, p.id_number, today, path + ".id_number",
                                          minimum_age));
  }
  Append(out, ValidateMobile(p.mobile, path + ".mobile"));
  Append(out, ValidateEmail(p.email, path + ".email"));
}

struct NamedPerson {
  std::string path;
  const Person* person;
  // Normalised once: normalising an e-mail runs IDNA on its domain.
  std::string id;
  std::optional<std::string> mobile;
  std::optional<std::string> email;

  NamedPerson(std::string p, const Person* pp)
      : path(std::move(p)),
        person(pp),
        id(text::NormalizeCode(pp->id_number)),
        mobile(NormalizeMobile(pp->mobile)),
        email(NormalizeEmail(pp->email)) {
    if (email) *email = text::AsciiLower(*email);
  }
};

// FACTS 4.3: distinct persons in charge must not share a mobile or an e-mail; one person keeps
// one name and (warning) one set of contacts across the application.
void CheckPersonsTogether(Findings& out, const std::vector<NamedPerson>& persons) {
  for (std::size_t b = 1; b < persons.size(); ++b) {
    const Person& pb = *persons[b].person;
    for (std::size_t a = 0; a < b; ++a) {
      const Person& pa = *persons[a].person;
      const NamedPerson& na = persons[a];
      const NamedPerson& nb = persons[b];
      const bool same_person = !na.id.empty() && na.id == nb.id;
      const auto& mobile_a = na.mobile;
      const auto& mobile_b = nb.mobile;
      const auto& email_a = na.email;
      const auto& email_b = nb.email;
      const bool same_mobile = mobile_a && mobile_b && *mobile_a == *mobile_b;
      const bool same_email = email_a && email_b && *email_a == *email_b;
      Params other{{"other", persons[a].path}};
      if (same_person) {
        if (text::Trim(pa.name) != text::Trim(pb.name)) {
          Err(out, persons[b].path + ".name", "same_id_different_name", other);
        }
        if ((mobile_a && mobile_b && !same_mobile) || (email_a && email_b && !same_email)) {
          Warn(out, persons[b].path, "same_person_different_contact", other);
        }
        continue;
      }
      if (same_mobile) Err(out, persons[b].path + ".mobile", "duplicate_mobile", other);
      if (same_email) Err(out, persons[b].path + ".email", "duplicate_email", other);
    }
  }
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The host of a homepage URL ("https://www.example.com/index.html" → "www.example.com").
std::string HomepageHost(std::string_view url) {
  std::string_view s = text::Trim(url);
  if (auto p = s.find("://"); p != std::string_view::npos) s = s.substr(p + 3);
  s = s.substr(0, s.find_first_of("/?#"));
  if (auto at = s.rfind('@'); at != std::string_view::npos) s = s.substr(at + 1);
  s = s.substr(0, s.find(':'));
  return std::string(s);
}

void CheckOrganizer(Findings& out, const Application& app, const Rules& rules,
                    const OrganizerType* type, Date today, int minimum_age) {
  const Organizer& o = app.organizer;
  if (Blank(o.type)) {
    Err(out, "organizer.type", "required");
  } else if (type == nullptr) {
    Err(out, "organizer.type", "unknown_organizer_type", {{"type", o.type}});
  }
  Append(out, ValidateOrganizerName(rules, o.name, o.type, "organizer.name"));
  if (Blank(o.address)) Err(out, "organizer.address", "required");

  const Certificate& c = o.certificate;
  if (Blank(c.type)) {
    Err(out, "organizer.certificate.type", "required");
  } else if (rules.FindCertificateType(c.type) == nullptr) {
    Err(out, "organizer.certificate.type", "unknown_certificate_type", {{"type", c.type}});
  } else {
    if (type != nullptr && !Contains(type->certificate_types, c.type)) {
      std::string allowed;
      for (const std::string& t : type->certificate_types) {
        allowed += (allowed.empty() ? "" : ", ") + t;
      }
      Err(out, "organizer.certificate.type", "certificate_type_not_allowed",
          {{"type", c.type}, {"organizer_type", o.type}, {"allowed", allowed}});
    }
    const bool individual = type != nullptr && type->is_individual;
    Append(out,
           ValidateCertificateNumber(rules, c.type, c.number, today, "organizer.certificate.number",
                                     individual ? std::optional<int>(minimum_age) : std::nullopt));
    if (type != nullptr) {
      Append(out, CheckUsccPrefix(rules, o.type, c.number, "organizer.certificate.number"));
    }
  }

  // An individual is their own person in charge (FACTS 3.3).
  if (type != nullptr && type->is_individual && !o.person_in_charge.Empty()) {
    const Person& p = o.person_in_charge;
    if (!Blank(p.id_number) && !Blank(c.number) &&
        text::NormalizeCode(p.id_number) != text::NormalizeCode(c.number)) {
      Err(out, "organizer.person_in_charge.id_number", "individual_person_mismatch");
    } else if (!Blank(p.name) && !Blank(o.name) && text::Trim(p.name) != text::Trim(o.name)) {
      Err(out, "organizer.person_in_charge.name", "individual_person_mismatch");
    }
  }
}

void CheckProvince(Findings& out, const Application& app, const Rules& rules,
                   const OrganizerType* type, const ProvinceDerivation& d) {
  const Organizer& o = app.organizer;
  if (!Blank(o.province) && rules.FindProvince(text::Trim(o.province)) == nullptr) {
    Err(out, "organizer.province", "unknown_province", {{"province", o.province}});
    return;
  }
  if (!Blank(app.province) && rules.FindProvince(text::Trim(app.province)) == nullptr) {
    Err(out, "province", "unknown_province", {{"province", app.province}});
    return;
  }
  if (d.province.empty()) {
    Err(out, "organizer.province", "filing_province_unknown");
    return;
  }
  const bool individual = type != nullptr && type->is_individual;
  // Organizations file where their certificate was issued (FACTS 6.4); a different province
  // given for the organizer is a warning (RULES.md decision 17; a national registration,
  // characters 3-8 "100000", names no province and is never compared).
  if (!individual && d.source == "certificate" && !Blank(o.province) &&
      text::Trim(o.province) != d.province) {
    Warn(out, "organizer.province", "certificate_region_mismatch",
         {{"province", std::string(text::Trim(o.province))}, {"certificate_province", d.province}});
  }
  if (!Blank(app.province) && text::Trim(app.province) != d.province) {
    Err(out, "province", "filing_province_mismatch",
        {{"given", std::string(text::Trim(app.province))}, {"expected", d.province}});
  }
  // Identity documents a province does not accept from individuals (decision 16, data).
  const Province* filing = rules.FindProvince(d.province);
  if (individual && filing != nullptr &&
      Contains(filing->refused_individual_id_types, o.certificate.type)) {
    Err(out, "organizer.certificate.type", "id_type_not_accepted_in_province",
        {{"type", o.certificate.type}, {"province", d.province}});
    return;
  }
  // Individuals whose identity document is not local (RULES.md "Documents", decision 16).
  if (individual && !d.id_province.empty() && d.id_province != d.province) {
    const Province* p = rules.FindProvince(d.province);
    Params params{{"province", d.province}, {"id_province", d.id_province}};
    if (p != nullptr && p->cross_province_individuals == CrossProvincePolicy::kRefused) {
      Err(out, "organizer.province", "cross_province_refused", params);
    } else if (p != nullptr &&
               p->cross_province_individuals == CrossProvincePolicy::kResidencePermitRequired) {
      Warn(out, "organizer.province", "cross_province_residence_permit", params);
    }
  }
}

void CheckWebsites(Findings& out, const Application& app, const Rules& rules,
                   const OrganizerType* type, int existing_websites) {
  const bool individual = type != nullptr && type->is_individual;
  if (app.websites.empty()) Err(out, "websites", "websites_required");
  if (individual && existing_websites + static_cast<int>(app.websites.size()) >
                        rules.max_websites_per_individual) {
    Err(out, "websites", "individual_website_limit",
        {{"max", std::to_string(rules.max_websites_per_individual)},
         {"count", std::to_string(existing_websites + static_cast<int>(app.websites.size()))}});
  }
  // National bodies (central government: USCC region 10; the military) may use 中国, 国家, ….
  const std::string cert = text::NormalizeCode(app.organizer.certificate.number);
  const bool national =
      (app.organizer.type == "government" && cert.size() == 18 && cert.compare(2, 2, "10") == 0) ||
      app.organizer.type == "military";

  std::map<std::string, std::string> domain_seen;  // registrable → first field
  std::map<std::string, std::string> name_seen;
  for (std::size_t i = 0; i < app.websites.size(); ++i) {
    const Website& w = app.websites[i];
    const std::string path = WebsitePath(i);

    WebsiteNameContext ctx{app.organizer.type, national, w.pre_approvals};
    Append(out, ValidateWebsiteName(rules, w.name, ctx, path + ".name"));
    std::string name(text::Trim(w.name));
    if (!name.empty()) {
      auto [it, fresh] = name_seen.emplace(name, path + ".name");
      if (!fresh) Warn(out, path + ".name", "duplicate_website_name", {{"other", it->second}});
    }

    // Domains: one per website since 2019-04-22, no domain twice in one application.
    if (w.domains.empty()) Err(out, path + ".domains", "required");
    if (w.domains.size() > 1) {
      Err(out, path + ".domains", "one_domain_per_website",
          {{"count", std::to_string(w.domains.size())}});
    }
    std::vector<std::string> registrables;
    for (std::size_t d = 0; d < w.domains.size(); ++d) {
      const std::string field = path + ".domains[" + std::to_string(d) + "]";
      DomainInfo info;
      Findings df = ValidateDomain(rules, w.domains[d], app.organizer.type, field, &info);
      const bool valid = !HasError(df) && !info.registrable.ascii.empty();
      Append(out, std::move(df));
      if (!valid) continue;
      registrables.push_back(info.registrable.ascii);
      auto [it, fresh] = domain_seen.emplace(info.registrable.ascii, field);
      if (!fresh) {
        Err(out, field, "duplicate_domain",
            {{"domain", info.registrable.unicode}, {"other", it->second}});
      }
    }

    if (!Blank(w.homepage) && !registrables.empty()) {
      std::string host = HomepageHost(w.homepage);
      if (!Contains(registrables, CanonicalDomainKey(host))) {
        Warn(out, path + ".homepage", "homepage_not_on_domain",
             {{"homepage", w.homepage}, {"domain", registrables.front()}});
      }
    }
    if (w.languages.empty()) Err(out, path + ".languages", "required");

    // Service content and pre-approvals (individuals: blog/other only, no pre-approvals).
    const ServiceContent* sc = nullptr;
    if (Blank(w.service_content)) {
      Err(out, path + ".service_content", "required");
    } else if ((sc = rules.FindServiceContent(w.service_content)) == nullptr) {
      Err(out, path + ".service_content", "unknown_service_content",
          {{"value", w.service_content}});
    } else if (individual && !sc->allowed_for_individual) {
      Err(out, path + ".service_content", "individual_service_content",
          {{"value", w.service_content}});
    }
    for (std::size_t k = 0; k < w.pre_approvals.size(); ++k) {
      if (rules.FindPreApprovalKind(w.pre_approvals[k]) == nullptr) {
        Err(out, path + ".pre_approvals[" + std::to_string(k) + "]", "unknown_pre_approval_kind",
            {{"kind", w.pre_approvals[k]}});
      }
    }
    if (individual && !w.pre_approvals.empty()) {
      Err(out, path + ".pre_approvals", "individual_pre_approval");
    }
    if (!individual && sc != nullptr && !sc->pre_approval_kind.empty() &&
        !Contains(w.pre_approvals, sc->pre_approval_kind)) {
      // RULES.md decision 7: regulated content needs its pre_approvals entry (and the
      // pre_approval document, listed in required_documents).
      Err(out, path + ".pre_approvals", "pre_approval_required",
          {{"service_content", w.service_content}, {"kind", sc->pre_approval_kind}});
    }
  }
}

}  // namespace

ProvinceDerivation DeriveFilingProvince(const Application& app, const Rules& rules) {
  ProvinceDerivation d;
  const Organizer& o = app.organizer;
  const OrganizerType* type = rules.FindOrganizerType(o.type);
  const std::string given(text::Trim(o.province));
  const bool given_known = !given.empty() && rules.FindProvince(given) != nullptr;
  if (type != nullptr && type->is_individual) {
    d.id_province = IdentityProvince(rules, o.certificate.type, o.certificate.number);
    if (given_known) {
      d.province = given;
      d.source = "residence";
    } else if (o.certificate.type == "resident_id_card" && !d.id_province.empty()) {
      d.province = d.id_province;
      d.source = "resident_id";
    }
    return d;
  }
  if (std::string p = UsccProvince(rules, o.certificate.number); !p.empty()) {
    d.province = p;
    d.source = "certificate";
  } else if (given_known) {
    d.province = given;
    d.source = "organizer";
  }
  return d;
}

Findings CheckApplication(const Application& app, const Rules& rules, Date today,
                          int existing_websites_of_subject) {
  Findings out;
  const OrganizerType* type = rules.FindOrganizerType(app.organizer.type);
  const ProvinceDerivation derived = DeriveFilingProvince(app, rules);
  const Province* province = rules.FindProvince(derived.province);
  const int minimum_age = province != nullptr ? province->minimum_age : 18;

  CheckOrganizer(out, app, rules, type, today, minimum_age);
  CheckProvince(out, app, rules, type, derived);

  std::vector<NamedPerson> persons;
  if (app.organizer.person_in_charge.Empty()) {
    Err(out, "organizer.person_in_charge", "required");
  } else {
    CheckPerson(out, rules, app.organizer.person_in_charge, "organizer.person_in_charge", today,
                minimum_age);
    persons.emplace_back("organizer.person_in_charge", &app.organizer.person_in_charge);
  }
  const bool individual = type != nullptr && type->is_individual;
  for (std::size_t i = 0; i < app.websites.size(); ++i) {
    const Person& p = app.websites[i].person_in_charge;
    if (p.Empty()) continue;  // the organizer's person, checked above
    std::string path = WebsitePath(i) + ".person_in_charge";
    // An individual is also the person in charge of each of their websites (FACTS 3.3).
    if (individual && !Blank(p.id_number) &&
        text::NormalizeCode(p.id_number) != text::NormalizeCode(app.organizer.certificate.number)) {
      Err(out, path + ".id_number", "individual_person_mismatch");
    }
    CheckPerson(out, rules, p, path, today, minimum_age);
    persons.emplace_back(path, &p);
  }
  CheckPersonsTogether(out, persons);

  CheckWebsites(out, app, rules, type, existing_websites_of_subject);
  return out;
}

const std::vector<std::string_view>& CrossCheckCodes() {
  static const std::vector<std::string_view> kCodes = {
      "certificate_region_mismatch",
      "certificate_type_not_allowed",
      "cross_province_refused",
      "cross_province_residence_permit",
      "duplicate_domain",
      "duplicate_email",
      "duplicate_mobile",
      "duplicate_website_name",
      "filing_province_mismatch",
      "filing_province_unknown",
      "homepage_not_on_domain",
      "id_type_not_accepted_in_province",
      "individual_person_mismatch",
      "individual_pre_approval",
      "individual_service_content",
      "individual_website_limit",
      "not_identity_document",
      "one_domain_per_website",
      "pre_approval_required",
      "same_id_different_name",
      "same_person_different_contact",
      "unknown_organizer_type",
      "unknown_pre_approval_kind",
      "unknown_province",
      "unknown_service_content",
      "websites_required",
  };
  return kCodes;
}

}  // namespace beian::domain
