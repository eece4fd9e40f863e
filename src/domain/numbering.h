// Beian serial numbers (RULES.md "Numbers"; FACTS 7.1, 7.2). A subject SN is
// `<abbr>ICP备<YYYY><6-digit sequence>号` (e.g. 粤ICP备2020133024号); a website SN appends `-N`
// (粤ICP备2020133024号-3). Parsing also accepts legacy forms with 6-10 digits (8 digits = 2-digit
// year + 6-digit sequence) and the alias abbreviations 川 (Sichuan) and 甘 (Gansu); the parsed
// value names the province by its GB code and gives the canonical spelling. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/rules.h"

namespace beian::domain {

// "粤ICP备2026000123号". REQUIRES nothing; errors (kValidationFailed) for an unknown province,
// a year outside 2000-9999 or a sequence outside 1-999999.
core::Result<std::string> FormatSubjectSn(const Rules& rules, std::string_view province_code,
                                          int year, std::int64_t sequence);
// "<subject SN>-<index>"; errors for index < 1 or a subject SN that does not parse.
core::Result<std::string> FormatWebsiteSn(const Rules& rules, std::string_view subject_sn,
                                          int index);

struct ParsedSn {
  std::string province_code;         // "51"
  std::optional<int> year;           // 2021 (4-digit form), 2008 (legacy 8-digit form), or none
  std::int64_t sequence = 0;         // the digits after the year (all digits when no year)
  std::string digits;                // the digits exactly as written ("08088888")
  std::optional<int> website_index;  // N of "-N"
  std::string subject_sn;  // canonical subject SN, official abbreviation ("蜀ICP备…号")
  std::string canonical;   // subject_sn plus "-N" when it is a website SN
};

// The SN as people type it brought to the form ParseSn reads (RULES.md decision 18): full-width
// folded, every whitespace removed, "icp备" in any case → "ICP备", a missing final 号 added (before
// "-N" or at the end). Needs no rules, so the application reader applies it once; idempotent.
// Text that is not valid UTF-8 is returned as it is.
std::string NormalizeSnText(std::string_view sn);

// Parses a subject or website SN; tolerant of surrounding spaces, full-width digits and hyphens.
// nullopt for anything else (unknown abbreviation, 5 or 11 digits, "-0", trailing text, …).
std::optional<ParsedSn> ParseSn(const Rules& rules, std::string_view sn);

}  // namespace beian::domain
