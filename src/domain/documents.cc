// Required documents; see documents.h.
#include "domain/documents.h"

#include <algorithm>
#include <set>

#include "domain/name_validators.h"
#include "domain/validators_util.h"

namespace beian::domain {
namespace {

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// A concrete subject of a requirement: its path, the person it names (if any) and the website
// it belongs to (if any).
struct Subject {
  std::string path;
  const Person* person = nullptr;
  const Website* website = nullptr;
};

std::vector<Subject> Expand(const Application& app, const std::string& pattern) {
  std::vector<Subject> out;
  if (pattern == "organizer") {
    out.push_back({"organizer", nullptr, nullptr});
  } else if (pattern == "organizer.person_in_charge") {
    out.push_back({pattern, &app.organizer.person_in_charge, nullptr});
  } else if (pattern == "websites[*]") {
    for (std::size_t i = 0; i < app.websites.size(); ++i) {
      out.push_back({"websites[" + std::to_string(i) + "]", nullptr, &app.websites[i]});
    }
  } else if (pattern == "websites[*].person_in_charge") {
    for (std::size_t i = 0; i < app.websites.size(); ++i) {
      const Website& w = app.websites[i];
      if (w.person_in_charge.Empty()) {  // the organizer's person stands for the website
        out.push_back({"organizer.person_in_charge", &app.organizer.person_in_charge, &w});
        continue;
      }
      out.push_back(
          {"websites[" + std::to_string(i) + "].person_in_charge", &w.person_in_charge, &w});
    }
  }
  return out;
}

// Pre-approval kinds a website holds or its service content needs, in order, unique.
std::vector<std::string> PreApprovalKinds(const Website& w, const Rules& rules) {
  std::vector<std::string> kinds;
  for (const std::string& k : w.pre_approvals) {
    if (!Contains(kinds, k)) kinds.push_back(k);
  }
  if (const ServiceContent* sc = rules.FindServiceContent(w.service_content);
      sc != nullptr && !sc->pre_approval_kind.empty() && !Contains(kinds, sc->pre_approval_kind)) {
    kinds.push_back(sc->pre_approval_kind);
  }
  return kinds;
}

}  // namespace

bool IsLegalRepresentative(const Application& app, const Person& person) {
  const LegalRepresentative& legal = app.organizer.legal_representative;
  const Person& pic = app.organizer.person_in_charge;
  // Absent: the organizer's person in charge is taken as the legal representative.
  const std::string& type = legal.Empty() ? pic.id_type : legal.id_type;
  const std::string& number = legal.Empty() ? pic.id_number : legal.id_number;
  return text::Trim(person.id_type) == text::Trim(type) &&
         text::NormalizeCode(person.id_number) == text::NormalizeCode(number);
}

std::vector<RequiredDocument> RequiredDocuments(const Application& app, const Rules& rules,
                                                const std::string& filing_province,
                                                const std::string& id_province,
                                                std::optional<FilingType> type) {
  std::vector<RequiredDocument> out;
  const Province* province = rules.FindProvince(filing_province);
  const OrganizerType* org_type = rules.FindOrganizerType(app.organizer.type);
  const bool individual = org_type != nullptr && org_type->is_individual;
  // (kind, identity number) of person documents already asked for.
  std::set<std::pair<std::string, std::string>> person_docs;

  for (const DocumentRequirement& req : rules.document_requirements) {
    if (!req.organizer_types.empty() && !Contains(req.organizer_types, app.organizer.type)) {
      continue;
    }
    for (const Subject& s : Expand(app, req.subject)) {
      if (s.person != nullptr) {
        std::string id = text::NormalizeCode(s.person->id_number);
        if (!id.empty() && !person_docs.insert({req.kind, id}).second) continue;
      }
      const std::string& c = req.condition;
      if (c == "always") {
        out.push_back({req.kind, s.path, req.reason, {}});
      } else if (c == "two_sided_id") {
        const CertificateType* t =
            s.person != nullptr ? rules.FindCertificateType(s.person->id_type) : nullptr;
        if (t != nullptr && t->two_sided) out.push_back({req.kind, s.path, req.reason, {}});
      } else if (c == "province_extra") {
        if (province == nullptr || !Contains(province->extra_documents, req.kind)) continue;
        if (req.kind == "domain_certificate" && type == FilingType::kModify) continue;
        out.push_back({req.kind, s.path, req.reason, {{"province", province->name_zh}}});
      } else if (c == "cross_province_individual") {
        if (!individual || province == nullptr || id_province.empty() ||
            id_province == filing_province ||
            province->cross_province_individuals != CrossProvincePolicy::kResidencePermitRequired) {
          continue;
        }
        out.push_back({req.kind, s.path, req.reason, {{"province", province->name_zh}}});
      } else if (c == "not_legal_representative") {
        if (s.person != nullptr && !IsLegalRepresentative(app, *s.person)) {
          out.push_back({req.kind, s.path, req.reason, {}});
        }
      } else if (c == "pre_approval") {
        if (s.website == nullptr) continue;
        for (const std::string& kind : PreApprovalKinds(*s.website, rules)) {
          out.push_back({req.kind, s.path, req.reason, {{"pre_approval", kind}}});
        }
      } else if (c == "pre_approval_keyword") {
        // Decision 7: a regulated word in the name, without that approval: the letter promising
        // no regulated service (once per website, for the first such word).
        if (s.website == nullptr) continue;
        for (const RegulatedMatch& m : RegulatedWordsIn(rules, s.website->name)) {
          if (Contains(s.website->pre_approvals, m.pre_approval_kind)) continue;
          out.push_back(
              {req.kind, s.path, req.reason, {{"word", m.word}, {"kind", m.pre_approval_kind}}});
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace beian::domain
