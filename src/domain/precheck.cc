// The precheck pipeline; see precheck.h.
#include "domain/precheck.h"

#include <algorithm>
#include <map>
#include <optional>

#include "domain/cross_checks.h"
#include "domain/eligibility.h"
#include "domain/messages.h"
#include "domain/numbering.h"

namespace beian::domain {
namespace {

namespace json = boost::json;

// The canonical form of an SN for comparing (蜀 ≡ 川, 陇 ≡ 甘: ParseSn names the official
// abbreviation), or the text itself when it does not parse.
std::string CanonicalSn(const Rules& rules, const std::string& sn) {
  auto p = ParseSn(rules, sn);
  return p ? p->canonical : sn;
}

// The Beian SNs the applicant quotes (already normalised by the reader, RULES.md decision 18):
// each must be an SN; when the type needs the subject's credentials they must be the registry's.
// A website SN given as the subject SN is compared on its subject part, with a warning.
void CheckCredentials(const Application& app, const FilingJudgement& j, const Rules& rules,
                      Findings& out) {
  std::optional<ParsedSn> subject;
  if (!app.beian.subject_sn.empty()) {
    subject = ParseSn(rules, app.beian.subject_sn);
    if (!subject) {
      out.push_back({Severity::kError,
                     "beian.subject_sn",
                     "beian_sn_invalid",
                     {{"given", app.beian.subject_sn}}});
    } else if (subject->website_index) {
      out.push_back({Severity::kWarning,
                     "beian.subject_sn",
                     "website_sn_given_for_subject",
                     {{"given", app.beian.subject_sn}, {"subject_sn", subject->subject_sn}}});
    }
  }
  std::map<std::string, std::optional<ParsedSn>> websites;
  for (const auto& [domain, sn] : app.beian.website_sns) {
    auto parsed = ParseSn(rules, sn);
    if (!parsed) {
      out.push_back(
          {Severity::kError, "beian.website_sns." + domain, "beian_sn_invalid", {{"given", sn}}});
    }
    websites[domain] = std::move(parsed);
  }
  if (!j.needs_beian_credentials || !j.subject) return;
  if (app.beian.subject_sn.empty()) {
    out.push_back({Severity::kWarning,
                   "beian.subject_sn",
                   "beian_sn_required",
                   {{"filing_type", std::string(FilingTypeName(*j.type))}}});
  } else if (subject && subject->subject_sn != CanonicalSn(rules, j.subject->subject_sn)) {
    out.push_back({Severity::kError,
                   "beian.subject_sn",
                   "beian_sn_mismatch",
                   {{"given", app.beian.subject_sn}}});
  }
  // Website SNs the applicant quotes (new_isp) must be the registry's for that domain.
  for (const auto& [domain, sn] : app.beian.website_sns) {
    const std::optional<ParsedSn>& given = websites[domain];
    if (!given) continue;
    const std::string key = CanonicalDomainKey(domain);
    for (const WebsiteJudgement& w : j.websites) {
      if (w.domain == key && !w.website_sn.empty() &&
          CanonicalSn(rules, w.website_sn) != given->canonical) {
        out.push_back({Severity::kError,
                       "beian.website_sns." + domain,
                       "beian_sn_mismatch",
                       {{"given", sn}}});
      }
    }
  }
}

json::object Messages(const Rules& rules, const Finding& f) {
  return json::object{{"en", RenderMessage(rules, f, "en")},
                      {"zh-CN", RenderMessage(rules, f, "zh-CN")}};
}

}  // namespace

PrecheckResult Precheck(const Application& app, const RegistryView& registry,
                        const InventoryView* inventory, const Rules& rules, Date today,
                        std::string_view provider) {
  PrecheckResult r;
  FilingJudgement j = JudgeFilingType(app, registry, provider);
  r.filing_type = j.type;
  r.filing_row = j.row;
  r.explanation = std::move(j.explanation);
  r.needs_beian_credentials = j.needs_beian_credentials;
  r.sms_persons = j.sms_persons;

  const ProvinceDerivation province = DeriveFilingProvince(app, rules);
  r.province = province.province;

  // An individual's existing websites count towards the limit (those of this application that
  // are already filed are counted once, as part of the application).
  int existing = 0;
  if (j.subject) {
    for (const RegistryWebsite& w : registry.WebsitesOfSubject(j.subject->subject_sn)) {
      bool in_app = std::any_of(j.websites.begin(), j.websites.end(),
                                [&](const WebsiteJudgement& wj) { return wj.domain == w.domain; });
      if (!in_app) ++existing;
    }
  }
  r.findings = CheckApplication(app, rules, today, existing);
  r.findings.insert(r.findings.end(), j.findings.begin(), j.findings.end());
  CheckCredentials(app, j, rules, r.findings);

  // A website already filed through this provider keeps its service code.
  std::vector<bool> needs_code(app.websites.size(), true);
  for (const WebsiteJudgement& wj : j.websites) {
    if (wj.type != FilingType::kModify) continue;
    if (wj.website < needs_code.size()) needs_code[wj.website] = false;
  }
  Findings elig = CheckEligibility(app, inventory, rules, rules.FindProvince(province.province),
                                   today, needs_code);
  r.findings.insert(r.findings.end(), elig.begin(), elig.end());
  std::stable_partition(r.findings.begin(), r.findings.end(),
                        [](const Finding& f) { return f.severity == Severity::kError; });

  r.required_documents =
      RequiredDocuments(app, rules, province.province, province.id_province, j.type);
  return r;
}

PrecheckResult Precheck(const Application& app, const RegistryView& registry,
                        const InventoryView* inventory, const Rules& rules,
                        const core::Clock& clock, std::string_view provider) {
  return Precheck(app, registry, inventory, rules, ChinaDate(clock.Now()), provider);
}

json::object ToJson(const PrecheckResult& r, const Rules& rules) {
  json::array findings;
  for (const Finding& f : r.findings) {
    json::object params;
    for (const auto& [k, v] : f.params) params[k] = v;
    findings.emplace_back(json::object{{"severity", SeverityName(f.severity)},
                                       {"field", f.field},
                                       {"code", f.code},
                                       {"params", std::move(params)},
                                       {"message", Messages(rules, f)}});
  }
  json::array docs;
  for (const RequiredDocument& d : r.required_documents) {
    Finding reason{Severity::kWarning, d.subject, d.reason, d.params};
    docs.emplace_back(json::object{{"kind", d.kind},
                                   {"subject", d.subject},
                                   {"reason", d.reason},
                                   {"message", Messages(rules, reason)}});
  }
  json::array sms;
  for (const std::string& p : r.sms_persons) sms.emplace_back(p);
  json::value type = nullptr;
  if (r.filing_type) type = FilingTypeName(*r.filing_type);
  return json::object{{"filing_type", type},
                      {"filing_row", r.filing_row},
                      {"explanation", RenderMessage(rules, r.explanation, "en")},
                      {"explanation_message", Messages(rules, r.explanation)},
                      {"needs_beian_credentials", r.needs_beian_credentials},
                      {"sms_persons", std::move(sms)},
                      {"province", r.province},
                      {"findings", std::move(findings)},
                      {"required_documents", std::move(docs)}};
}

std::vector<std::string_view> PrecheckCodes() {
  std::vector<std::string_view> codes = CrossCheckCodes();
  const auto& e = EligibilityCodes();
  codes.insert(codes.end(), e.begin(), e.end());
  for (std::string_view c :
       {"domain_filed_by_other_subject", "subject_conflict", "domain_conflict",
        "mixed_filing_types", "subject_registered_under_other_certificate",
        "registry_name_mismatch", "beian_sn_required", "beian_sn_mismatch", "beian_sn_invalid",
        "website_sn_given_for_subject", "instance_expires_soon",
        // Explanations of the filing-type judgement (one per row; "_and_others" when several
        // domains were judged alike).
        "explanation_first_filing", "explanation_first_filing_and_others",
        "explanation_new_website", "explanation_new_website_and_others", "explanation_new_isp",
        "explanation_new_isp_and_others", "explanation_modify", "explanation_modify_and_others",
        "explanation_refused_domain_filed_by_other_subject", "explanation_refused_subject_conflict",
        "explanation_refused_domain_conflict", "explanation_refused_mixed_filing_types",
        "explanation_no_websites"}) {
    codes.push_back(c);
  }
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  return codes;
}

}  // namespace beian::domain
