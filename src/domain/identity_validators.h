// Personal identity documents (RULES.md "Organizer types and certificates", "Check
// algorithms"): the resident ID card (GB 11643-1999), the HK/Macao/Taiwan residence permit (same
// structure, 810000/820000/830000), HK/Macao and Taiwan travel permits, passports, the foreign
// permanent resident card and the military officer certificate; plus a dispatcher that checks
// any certificate number by its type's number_format in the rules. "Today" is a parameter so the
// functions stay pure. Input is normalised (trim, full-width → ASCII, lower-case x → X).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/finding.h"
#include "domain/rules.h"

namespace beian::domain {

// The GB 11643 check character for 17 digits; nullopt when `first17` is not 17 digits.
std::optional<char> ResidentIdCheckChar(std::string_view first17);

struct ResidentId {
  std::string number;       // normalised, 18 characters, upper-case X
  std::string region_code;  // first 6 digits (GB/T 2260 county, or 810000/820000/830000)
  std::chrono::year_month_day birth_date;
  bool male = false;  // odd sequence number
};

// Parses an 18-character number with a real birth date (any year, decision 19) and a correct
// check character;
// nullopt otherwise. Does not look at the province or the age.
std::optional<ResidentId> ParseResidentId(std::string_view number);

// Completed years of age on `today` (a 29 February birthday counts from 1 March in common years).
int AgeOn(std::chrono::year_month_day birth, std::chrono::year_month_day today);

// Resident ID card. Codes: required, invalid_length {expected, actual}, invalid_format
// {kind=resident_id}, invalid_birth_date {date} (not a calendar date; years before 1900 are
// real), birth_date_in_future {date}, implausible_age {age, max} (over 120 years),
// checksum_mismatch {expected, actual}, unknown_province_prefix {prefix}, under_age {age, min}
// (only when `minimum_age` is given).
Findings ValidateResidentId(const Rules& rules, std::string_view number,
                            std::chrono::year_month_day today, std::string_view field,
                            std::optional<int> minimum_age = std::nullopt);

// HK/Macao/Taiwan residence permit: as ValidateResidentId, but the number must start with
// 810000, 820000 or 830000 (invalid_residence_permit_prefix {prefix}).
Findings ValidateResidencePermit(std::string_view number, std::chrono::year_month_day today,
                                 std::string_view field,
                                 std::optional<int> minimum_age = std::nullopt);

// Format-only documents; codes: required, invalid_format {kind}.
// H/M + 8 or 10 digits, or HA/MA + 7 digits (non-Chinese residents, decision 20).
Findings ValidateHkMacaoPermit(std::string_view number, std::string_view field);
Findings ValidateTaiwanPermit(std::string_view number, std::string_view field);  // 8 digits
// RULES.md decision 1: upper-case, ^[A-Z0-9]{6,20}$; else id_number_invalid {kind, reason}.
Findings ValidatePassport(std::string_view number, std::string_view field);
// RULES.md decision 1: the 2004 card ^[A-Z]{3}\d{12}$ (format only) or the 2023 card
// ^9\d{16}[0-9X]$ with the resident ID's check character, birth date and age rule. Codes:
// required, id_number_invalid {kind, reason: format | invalid_birth_date | birth_date_in_future |
// checksum_mismatch}, under_age {age, min} (only when `minimum_age` is given).
Findings ValidateForeignPermanentResidentCard(std::string_view number,
                                              std::chrono::year_month_day today,
                                              std::string_view field,
                                              std::optional<int> minimum_age = std::nullopt);
// "南字第12345678号": one Chinese character, 字第, 6-8 digits, 号.
Findings ValidateMilitaryOfficerCertificate(std::string_view number, std::string_view field);
// 部队代号, RULES.md decision 2: "37001部队" → 37001 passes; four digits → warning
// military_code_4_digit; anything else invalid_format {kind=military_unit_code}.
Findings ValidateMilitaryUnitCode(std::string_view number, std::string_view field);

// Any certificate or identity document, by its type code in `rules`. `minimum_age` applies to
// documents that carry a birth date. unknown_certificate_type {type} for an unknown type.
Findings ValidateCertificateNumber(const Rules& rules, std::string_view certificate_type,
                                   std::string_view number, std::chrono::year_month_day today,
                                   std::string_view field,
                                   std::optional<int> minimum_age = std::nullopt);

}  // namespace beian::domain
