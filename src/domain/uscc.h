// Organization identifiers: the Unified Social Credit Code (USCC, GB 32100-2015) and the
// organization code it embeds (GB 11714). Input is normalised first (trim, full-width → ASCII,
// upper-case, spaces removed), so "９１３５０１００ｍａ…" is read as typed on a Chinese keyboard.
// Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/finding.h"
#include "domain/rules.h"

namespace beian::domain {

inline constexpr std::string_view kUsccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// The check character for the first 17 characters of a USCC; nullopt when `first17` is not 17
// characters of kUsccCharset.
std::optional<char> UsccCheckChar(std::string_view first17);

// The GB 11714 check character ('0'-'9' or 'X') for the first 8 characters of an organization
// code (0-9, A-Z); nullopt when `first8` is not 8 such characters.
std::optional<char> OrganizationCodeCheckChar(std::string_view first8);

// The normalised USCC when `number` is a valid one (both checks pass), else nullopt.
std::optional<std::string> ParseUscc(std::string_view number);
// The normalised 9-character organization code (hyphen removed), else nullopt.
std::optional<std::string> ParseOrganizationCode(std::string_view number);

// Codes: required, invalid_length {expected, actual}, invalid_character {position, char},
// invalid_format {kind=uscc}, checksum_mismatch {expected, actual},
// organization_code_checksum_mismatch {expected, actual}.
Findings ValidateUscc(std::string_view number, std::string_view field);

// "12345678-9" or "123456789". Same codes as ValidateUscc (kind=organization_code).
Findings ValidateOrganizationCode(std::string_view number, std::string_view field);

// Warning uscc_prefix_type_mismatch {prefix, expected} when a well-formed USCC's first two
// characters do not fit the organizer type (RULES.md: a warning, not an error). Nothing for unknown
// types, types without prefixes, or malformed numbers (ValidateUscc reports those).
Findings CheckUsccPrefix(const Rules& rules, std::string_view organizer_type,
                         std::string_view number, std::string_view field);

}  // namespace beian::domain
