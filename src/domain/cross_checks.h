// Checks of a whole application (RULES.md "Organizer types and certificates", "Websites and
// domains", "Numbers"; FACTS 3.3, 4.1, 4.3, 4.5, 6.4): every field through the part-1 field
// validators (with the field's path), then the rules that need more than one field — organizer
// type ↔ certificate type ↔ USCC prefix, the filing province and the cross-province policy,
// persons in charge (distinct contacts for distinct persons, one identity per person, the
// province's minimum age), individuals' service content / pre-approvals / website count, one
// domain per website, duplicate domains, and regulated name words ↔ pre-approvals.
// Pure functions; `today` is the civil date in China.
#pragma once

#include <optional>
#include <string>

#include "domain/application.h"
#include "domain/calendar.h"
#include "domain/finding.h"
#include "domain/rules.h"

namespace beian::domain {

struct ProvinceDerivation {
  // The filing province (two-digit code) or empty when it cannot be derived.
  std::string province;
  // Where it came from: "certificate" (USCC region), "residence" (organizer.province of an
  // individual), "resident_id" (an individual's ID prefix), "organizer" (organizer.province of
  // an organization whose certificate carries no region).
  std::string source;
  // Where an individual's identity document makes them local (RULES.md decision 16): the
  // province that issued the resident ID card (its prefix) or the new permanent resident card
  // (its digits 2–3); the document type itself ("passport", …) for documents that are never local
  // (passport, HK/Macao and Taiwan permits, the old permanent resident card); empty when there
  // is nothing to compare (the residence permit takes its declared province; unknown numbers).
  std::string id_province;
};

// RULES.md "Numbers": the filing province is the organizer's — where its certificate was issued
// (organizations: USCC characters 3–4) or its residence (individuals: organizer.province, else
// the ID card's prefix).
ProvinceDerivation DeriveFilingProvince(const Application& app, const Rules& rules);

// All field and cross-field findings of `app`. `existing_websites_of_subject` is the number of
// websites the registry already holds for the organizer (for the individual's limit; domains of
// this application already filed are not counted twice by the caller).
Findings CheckApplication(const Application& app, const Rules& rules, Date today,
                          int existing_websites_of_subject = 0);

// Every finding code CheckApplication emits itself (the validators' codes are ValidatorCodes()).
const std::vector<std::string_view>& CrossCheckCodes();

}  // namespace beian::domain
