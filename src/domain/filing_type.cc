// Filing-type judgement; see filing_type.h for the table and the decisions.
#include "domain/filing_type.h"

#include <algorithm>
#include <set>

#include "core/pii_cipher.h"
#include "domain/messages.h"
#include "domain/validators_util.h"

namespace beian::domain {
namespace {

std::string WebsiteField(std::size_t i) { return "websites[" + std::to_string(i) + "]"; }

Finding Error(std::string field, std::string code, std::map<std::string, std::string> params) {
  return Finding{Severity::kError, std::move(field), std::move(code), std::move(params)};
}

Finding Warning(std::string field, std::string code, std::map<std::string, std::string> params) {
  return Finding{Severity::kWarning, std::move(field), std::move(code), std::move(params)};
}

// Order in which mixed types must be filed: a change first, then access, then new websites.
int FilingOrder(FilingType t) {
  switch (t) {
    case FilingType::kModify:
      return 0;
    case FilingType::kNewIsp:
      return 1;
    case FilingType::kNewWebsite:
      return 2;
    case FilingType::kFirstFiling:
      return 3;
  }
  return 4;
}

// The explanation of one website's row: the message code and what it names.
Finding RowExplanation(const WebsiteJudgement& w, const std::string& cert,
                       const std::optional<RegistrySubject>& subject, std::string_view provider,
                       bool refused) {
  Finding f{Severity::kWarning,
            w.field,
            (refused ? "explanation_refused_" : "explanation_") + w.row,
            {{"domain", w.domain}}};
  const std::string sn = subject ? subject->subject_sn : "";
  if (w.row == "first_filing") {
    f.params["certificate"] = cert;
  } else if (w.row == "new_website") {
    f.params["certificate"] = cert;
    f.params["subject_sn"] = sn;
  } else if (w.row == "new_isp" || w.row == "modify") {
    f.params["website_sn"] = w.website_sn;
    f.params["subject_sn"] = sn;
    f.params["provider"] = std::string(provider);
  } else {
    f.params["website_sn"] = w.website_sn;
  }
  return f;
}

}  // namespace

std::string ExplanationText(const Rules& rules, const FilingJudgement& j, std::string_view lang) {
  return RenderMessage(rules, j.explanation, lang);
}

std::string_view FilingTypeName(FilingType type) {
  switch (type) {
    case FilingType::kFirstFiling:
      return "first_filing";
    case FilingType::kNewIsp:
      return "new_isp";
    case FilingType::kNewWebsite:
      return "new_website";
    case FilingType::kModify:
      return "modify";
  }
  return "";
}

std::optional<FilingType> ParseFilingType(std::string_view name) {
  for (FilingType t : {FilingType::kFirstFiling, FilingType::kNewIsp, FilingType::kNewWebsite,
                       FilingType::kModify}) {
    if (FilingTypeName(t) == name) return t;
  }
  return std::nullopt;
}

bool NeedsBeianCredentials(FilingType type) {
  return type == FilingType::kNewIsp || type == FilingType::kNewWebsite;
}

namespace {

// Whether the registry's recorded person differs from `p` in a field it recorded; an unrecorded
// person counts as changed (the code is sent rather than skipped).
bool PersonChanged(const std::optional<RegistryPerson>& filed, const Person& p) {
  if (!filed) return true;
  auto differs = [](const std::string& recorded, const std::string& given, bool code) {
    if (recorded.empty()) return false;
    return code ? text::NormalizeCode(recorded) != text::NormalizeCode(given)
                : text::Trim(recorded) != text::Trim(given);
  };
  return differs(filed->name, p.name, false) || differs(filed->id_type, p.id_type, false) ||
         differs(filed->id_number, p.id_number, true) || differs(filed->mobile, p.mobile, true) ||
         differs(filed->email, p.email, false);
}

}  // namespace

std::vector<std::string> SmsPersons(const Application& app, FilingType type,
                                    const std::optional<RegistrySubject>& subject,
                                    const RegistryView* registry) {
  std::vector<std::string> out;
  // One code per distinct (id_type, id_number) (RULES.md decision 9).
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](std::string path, const Person& p) {
    std::string id = text::NormalizeCode(p.id_number);
    if (!id.empty() && !seen.insert({std::string(text::Trim(p.id_type)), id}).second) return;
    if (std::find(out.begin(), out.end(), path) != out.end()) return;
    out.push_back(std::move(path));
  };
  const Organizer& o = app.organizer;
  bool organizer_too = type != FilingType::kNewIsp;
  if (type == FilingType::kModify) {
    // The organizer's section changed: its name, province or person in charge differ from the
    // registry's record of the subject.
    organizer_too =
        !subject || (!subject->name.empty() && text::Trim(subject->name) != text::Trim(o.name)) ||
        (!subject->province.empty() && text::Trim(subject->province) != text::Trim(o.province)) ||
        PersonChanged(subject->person_in_charge, o.person_in_charge);
  }
  if (organizer_too) add("organizer.person_in_charge", o.person_in_charge);
  for (std::size_t i = 0; i < app.websites.size(); ++i) {
    const Website& w = app.websites[i];
    if (type == FilingType::kModify) {
      // The website's section changed: its name or person differ from the filed website's.
      std::optional<RegistryWebsite> filed;
      if (registry != nullptr && !w.domains.empty()) {
        filed = registry->FindWebsite(CanonicalDomainKey(w.domains.front()));
      }
      const bool changed =
          !filed || (!filed->name.empty() && text::Trim(filed->name) != text::Trim(w.name)) ||
          PersonChanged(filed->person_in_charge, WebsitePerson(app, w));
      if (!changed) continue;
    }
    if (w.person_in_charge.Empty()) {
      // The organizer's person stands for the website: verified under the organizer's path.
      add("organizer.person_in_charge", o.person_in_charge);
      continue;
    }
    add(WebsiteField(i) + ".person_in_charge", w.person_in_charge);
  }
  return out;
}

FilingJudgement JudgeFilingType(const Application& app, const RegistryView& registry,
                                std::string_view provider) {
  FilingJudgement j;
  const Certificate& cert = app.organizer.certificate;
  const std::string cert_key = CanonicalCertificateKey(cert.number);
  // The explanation is shown in lists and logs: the number is masked whatever the certificate
  // (an individual's certificate is an identity number).
  const std::string cert_label = core::MaskIdentityNumber(cert_key);

  if (!cert_key.empty()) j.subject = registry.FindSubject(cert.type, cert_key);
  if (!cert_key.empty() && !j.subject) {
    // RULES.md decision 12: the match key is (type, number). The same number under another
    // type, or a USCC whose characters 9-17 are a registered organization code, is a subject
    // to modify first.
    std::optional<RegistrySubject> other;
    for (RegistrySubject& s : registry.SubjectsWithNumber(cert_key)) {
      if (s.certificate_type != cert.type) {
        other = std::move(s);
        break;
      }
    }
    // Identity documents (RULES.md "Enumerations") carry no USCC.
    static constexpr std::string_view kIdentityTypes[] = {"resident_id_card",
                                                          "hk_macao_permit",
                                                          "taiwan_permit",
                                                          "hk_macao_taiwan_residence_permit",
                                                          "passport",
                                                          "foreign_permanent_resident_card",
                                                          "military_officer_certificate"};
    const bool identity = std::find(std::begin(kIdentityTypes), std::end(kIdentityTypes),
                                    cert.type) != std::end(kIdentityTypes);
    if (!other && !identity && cert_key.size() == 18) {
      for (RegistrySubject& s : registry.SubjectsWithNumber(cert_key.substr(8, 9))) {
        if (s.certificate_type == "organization_code_certificate") {
          other = std::move(s);
          break;
        }
      }
    }
    if (other) {
      j.findings.push_back(Warning("organizer.certificate.number",
                                   "subject_registered_under_other_certificate",
                                   {{"registered", other->certificate_type},
                                    {"number", other->certificate_number},
                                    {"subject_sn", other->subject_sn}}));
    }
  }
  if (j.subject) {
    if (!j.subject->name.empty() && !app.organizer.name.empty() &&
        text::Trim(j.subject->name) != text::Trim(app.organizer.name)) {
      j.findings.push_back(
          Warning("organizer.name", "registry_name_mismatch",
                  {{"registered", j.subject->name}, {"subject_sn", j.subject->subject_sn}}));
    }
  }

  // Rows per domain.
  bool other_subject = false;
  for (std::size_t i = 0; i < app.websites.size(); ++i) {
    const Website& w = app.websites[i];
    for (std::size_t d = 0; d < w.domains.size(); ++d) {
      if (text::Trim(w.domains[d]).empty()) continue;
      WebsiteJudgement wj;
      wj.website = i;
      wj.field = WebsiteField(i) + ".domains[" + std::to_string(d) + "]";
      wj.domain = CanonicalDomainKey(w.domains[d]);
      std::optional<RegistryWebsite> filed = registry.FindWebsite(wj.domain);
      if (filed) wj.website_sn = filed->website_sn;
      if (!filed) {
        wj.row = j.subject ? "new_website" : "first_filing";
        wj.type = j.subject ? FilingType::kNewWebsite : FilingType::kFirstFiling;
      } else if (!j.subject || filed->subject_sn != j.subject->subject_sn) {
        wj.row = "domain_filed_by_other_subject";
        other_subject = true;
        j.findings.push_back(Error(wj.field, "domain_filed_by_other_subject",
                                   {{"domain", wj.domain}, {"website_sn", filed->website_sn}}));
      } else {
        bool here = std::find(filed->providers.begin(), filed->providers.end(), provider) !=
                    filed->providers.end();
        wj.row = here ? "modify" : "new_isp";
        wj.type = here ? FilingType::kModify : FilingType::kNewIsp;
      }
      if (registry.HasOpenOrderForDomain(wj.domain)) {
        j.findings.push_back(Error(wj.field, "domain_conflict", {{"domain", wj.domain}}));
      }
      j.websites.push_back(std::move(wj));
    }
  }

  const bool subject_conflict = !cert_key.empty() && registry.HasOpenOrderForCertificate(cert_key);
  if (subject_conflict) {
    j.findings.push_back(Error("organizer.certificate.number", "subject_conflict",
                               {{"certificate_number", cert_key}}));
  }
  const bool domain_conflict =
      std::any_of(j.findings.begin(), j.findings.end(),
                  [](const Finding& f) { return f.code == "domain_conflict"; });

  std::set<FilingType> types;
  for (const WebsiteJudgement& w : j.websites) {
    if (w.type) types.insert(*w.type);
  }

  if (j.websites.empty()) {
    j.row = "no_websites";
    j.explanation = Finding{Severity::kWarning, "websites", "explanation_no_websites", {}};
  } else if (other_subject) {
    auto it = std::find_if(j.websites.begin(), j.websites.end(), [](const WebsiteJudgement& w) {
      return w.row == "domain_filed_by_other_subject";
    });
    j.row = "domain_filed_by_other_subject";
    j.explanation = RowExplanation(*it, cert_label, j.subject, provider, /*refused=*/true);
  } else if (subject_conflict) {
    j.row = "subject_conflict";
    j.explanation = Finding{Severity::kWarning,
                            "organizer.certificate.number",
                            "explanation_refused_subject_conflict",
                            {{"certificate", cert_key}}};
  } else if (domain_conflict) {
    auto it = std::find_if(j.findings.begin(), j.findings.end(),
                           [](const Finding& f) { return f.code == "domain_conflict"; });
    j.row = "domain_conflict";
    j.explanation = Finding{Severity::kWarning,
                            it->field,
                            "explanation_refused_domain_conflict",
                            {{"domain", it->params.at("domain")}}};
  } else if (types.size() > 1) {
    std::string list;
    FilingType first = *types.begin();
    for (const WebsiteJudgement& w : j.websites) {
      if (!list.empty()) list += ", ";
      list += w.field + ": " + std::string(FilingTypeName(*w.type));
      if (FilingOrder(*w.type) < FilingOrder(first)) first = *w.type;
    }
    // The order to file them in (modify, new_isp, then new_website), e.g. "new_isp → new_website".
    std::vector<FilingType> order(types.begin(), types.end());
    std::sort(order.begin(), order.end(),
              [](FilingType a, FilingType b) { return FilingOrder(a) < FilingOrder(b); });
    std::string sequence;
    for (FilingType t : order) {
      if (!sequence.empty()) sequence += " → ";
      sequence += FilingTypeName(t);
    }
    j.row = "mixed_filing_types";
    j.explanation = Finding{Severity::kWarning,
                            "websites",
                            "explanation_refused_mixed_filing_types",
                            {{"types", list}, {"first", std::string(FilingTypeName(first))}}};
    // RULES.md decision 14: the finding is on each website, naming its own row.
    std::set<std::size_t> flagged;
    for (const WebsiteJudgement& w : j.websites) {
      if (!flagged.insert(w.website).second) continue;
      j.findings.push_back(Error(
          "websites[" + std::to_string(w.website) + "]", "mixed_filing_types",
          {{"row", w.row}, {"type", std::string(FilingTypeName(*w.type))}, {"order", sequence}}));
    }
  } else {
    j.type = *types.begin();
    j.row = j.websites.front().row;
    j.explanation =
        RowExplanation(j.websites.front(), cert_label, j.subject, provider, /*refused=*/false);
    if (j.websites.size() > 1) {
      j.explanation.code += "_and_others";
      j.explanation.params["others"] = std::to_string(j.websites.size() - 1);
    }
    j.needs_beian_credentials = NeedsBeianCredentials(*j.type);
    j.sms_persons = SmsPersons(app, *j.type, j.subject, &registry);
  }
  return j;
}

}  // namespace beian::domain
