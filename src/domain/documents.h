// Required documents (RULES.md "Documents"): the rules data's requirements
// (Rules::document_requirements, data/rules/document_requirements.tsv) applied to one application
// — its organizer type, filing province, persons, websites and filing type. Each requirement's
// subject pattern ("websites[*].person_in_charge") expands to concrete paths, and its condition
// decides whether it applies:
//   always; two_sided_id (the person's identity document type has a back);
//   province_extra (the filing province lists the kind; a domain certificate is not asked for a
//     website whose domain is already filed through this provider, i.e. filing type modify);
//   cross_province_individual (an individual whose ID card was issued in another province that
//     asks for a residence permit); not_legal_representative (RULES.md decision 10: the person's
//     (id_type, id_number) differs from organizer.legal_representative's, or from the organizer's
//     person in charge's when no legal representative is given); pre_approval (one per
//     pre-approval the website holds or its service content needs); pre_approval_keyword
//     (decision 7: the name has a regulated word whose approval the website does not hold — a
//     commitment letter).
// A person named twice (a website using the organizer's person, or the same identity number) is
// asked for their documents once. Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/application.h"
#include "domain/filing_type.h"
#include "domain/rules.h"

namespace beian::domain {

struct RequiredDocument {
  std::string kind;     // RULES.md "Enumerations": organizer_certificate, id_front, ...
  std::string subject;  // "organizer", "organizer.person_in_charge", "websites[0]", ...
  std::string reason;   // message code
  std::map<std::string, std::string> params;  // for the reason, e.g. {"pre_approval","news"}

  bool operator==(const RequiredDocument&) const = default;
};

// Whether `person` is the organizer's legal representative (decision 10; see above).
bool IsLegalRepresentative(const Application& app, const Person& person);

// `filing_province` is the derived filing province code (may be empty when unknown: province
// extras are then skipped); `id_province` the province that issued an individual's ID card.
std::vector<RequiredDocument> RequiredDocuments(const Application& app, const Rules& rules,
                                                const std::string& filing_province,
                                                const std::string& id_province,
                                                std::optional<FilingType> type);

}  // namespace beian::domain
