// The filing-type judgement of RULES.md "Filing types": the type is judged from the registry,
// never chosen. Each website's domain is looked up (as its registrable domain) together with the
// organizer's certificate, and lands on one row of the table:
//
//   row id                         subject SN?  domain filed?                       result
//   first_filing                   no           no                                  first_filing
//   new_website                    yes          no                                  new_website
//   new_isp                        yes          this subject, other providers only  new_isp
//   modify                         yes          this subject, through this provider modify
//   domain_filed_by_other_subject  any          another subject (or no subject)     refused
//
// plus the refusals for orders in progress anywhere (subject_conflict, domain_conflict).
//
// Mixed applications (decided here, see docs/rules.md): one order has one type, as at the
// authority, and providers refuse to combine an access filing or a change with new websites
// (FACTS §2.2 "sequencing constraints"). So when the websites of one application land on
// different rows, the application is refused with `mixed_filing_types`, naming every website's
// type and the one to file first (modify, then new_isp, then new_website). Any refusal leaves
// `type` empty. Pure function of its inputs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/application.h"
#include "domain/finding.h"
#include "domain/registry_view.h"
#include "domain/rules.h"

namespace beian::domain {

enum class FilingType { kFirstFiling, kNewIsp, kNewWebsite, kModify };
std::string_view FilingTypeName(FilingType type);  // "first_filing", ...
std::optional<FilingType> ParseFilingType(std::string_view name);

// True for the types that ask for the subject's Beian SN and ICP password.
bool NeedsBeianCredentials(FilingType type);

struct WebsiteJudgement {
  std::size_t website = 0;  // index into Application::websites
  std::string field;        // "websites[0].domains[0]"
  std::string domain;       // canonical registrable domain
  std::string row;          // row id of the table above
  std::optional<FilingType> type;
  std::string website_sn;  // when the registry has the domain
};

struct FilingJudgement {
  std::optional<FilingType> type;  // empty when refused
  // Row id that decided the application: a table row, "subject_conflict", "domain_conflict",
  // "mixed_filing_types" or "no_websites".
  std::string row;
  // One line naming the row and why, as a message of the catalogue: code "explanation_<row>"
  // (refusals "explanation_refused_<row>") with its parameters; rendered in zh-CN and en by
  // ExplanationText. "others" counts the further domains judged alike.
  Finding explanation;
  bool needs_beian_credentials = false;
  // Persons who must pass the SMS verification for the type (SmsPersons: paths such as
  // "organizer.person_in_charge", "websites[1].person_in_charge"); a person named twice (same
  // id_type and number, or a website that uses the organizer's person) is listed once.
  std::vector<std::string> sms_persons;
  std::optional<RegistrySubject> subject;  // the registry's record of the organizer
  std::vector<WebsiteJudgement> websites;  // one per domain that could be judged
  Findings findings;                       // refusals (errors) and registry mismatches
};

// The explanation in `lang` ("zh-CN" | "en").
std::string ExplanationText(const Rules& rules, const FilingJudgement& j, std::string_view lang);

// Judges `app` against `registry`; `provider` is this provider's name as the registry's
// provider lists spell it.
FilingJudgement JudgeFilingType(const Application& app, const RegistryView& registry,
                                std::string_view provider);

// The persons SMS verification goes to for `type` (RULES.md decision 9, Tencent's table), as
// paths ("organizer.person_in_charge", "websites[1].person_in_charge"): first_filing and
// new_website → the organizer's person and every website's; new_isp → every website's; modify →
// the persons whose section changed against the registry's record (`subject` and the filed
// websites in `registry`; a section whose record lacks the person counts as changed). One path
// per distinct (id_type, id_number); a website without its own person is the organizer's.
std::vector<std::string> SmsPersons(const Application& app, FilingType type,
                                    const std::optional<RegistrySubject>& subject = std::nullopt,
                                    const RegistryView* registry = nullptr);

}  // namespace beian::domain
