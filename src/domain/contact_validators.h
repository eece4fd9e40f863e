// Contact details (RULES.md "Check algorithms"; FACTS 4.3, 8.4): mainland mobile numbers, landline
// numbers (area code + 7-8 digits, with or without a dash or parentheses) and e-mail addresses.
// Input is normalised first (trim, full-width → ASCII, inner spaces removed). Mobiles follow
// RULES.md decision 11: spaces, '-', '.', '(' and ')' removed; a leading +86, 0086 or 86 removed
// when 11 digits remain; then ^1[3-9]\d{9}$. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/finding.h"

namespace beian::domain {

// "13812345678" for any accepted spelling ("+86 138-0013-8000", "(0086)138.1234.5678"), else
// nullopt. The one mobile normaliser of the server (accounts and applications).
std::optional<std::string> NormalizeMobile(std::string_view number);
// "010-12345678" / "0755-1234567" (area code, dash, subscriber), else nullopt.
std::optional<std::string> NormalizeLandline(std::string_view number);
// Trimmed, domain part lower-cased and in punycode; nullopt when not a plausible address.
std::optional<std::string> NormalizeEmail(std::string_view address);

// Codes: required, mobile_invalid (decision 11).
Findings ValidateMobile(std::string_view number, std::string_view field);
// Codes: required, invalid_format {kind=landline|email}.
Findings ValidateLandline(std::string_view number, std::string_view field);
Findings ValidateEmail(std::string_view address, std::string_view field);

}  // namespace beian::domain
