// Contact details (RULES.md "Check algorithms"; FACTS 4.3, 8.4): mainland mobile numbers, landline
// numbers (area code + 7-8 digits, with or without a dash or parentheses) and e-mail addresses.
// Input is normalised first (trim, full-width → ASCII, inner spaces removed); a leading +86 / 86
// country code is accepted on mobiles. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/finding.h"

namespace beian::domain {

// "13812345678" for any accepted spelling ("+86 138-1234-5678"), else nullopt.
std::optional<std::string> NormalizeMobile(std::string_view number);
// "010-12345678" / "0755-1234567" (area code, dash, subscriber), else nullopt.
std::optional<std::string> NormalizeLandline(std::string_view number);
// Trimmed, domain part lower-cased and in punycode; nullopt when not a plausible address.
std::optional<std::string> NormalizeEmail(std::string_view address);

// Codes: required, invalid_format {kind=mobile|landline|email}.
Findings ValidateMobile(std::string_view number, std::string_view field);
Findings ValidateLandline(std::string_view number, std::string_view field);
Findings ValidateEmail(std::string_view address, std::string_view field);

}  // namespace beian::domain
