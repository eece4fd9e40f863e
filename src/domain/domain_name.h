// Domain names: normalisation (trim, lower-case, full-width dots, trailing dot), IDN ↔ punycode
// (libidn2, UTS #46 non-transitional), the registrable domain under the ICANN section of the
// public suffix list (libpsl), and the filing rules on suffixes (RULES.md "Websites and
// domains"). Parsers are data-free and pure; the public suffix list is loaded once per process
// (Debian's publicsuffix data via psl_latest, falling back to libpsl's built-in copy) and shared
// read-only by every thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/finding.h"
#include "domain/rules.h"

namespace beian::domain {

struct NormalizedDomain {
  std::string ascii;    // punycode, lower-case, no trailing dot: "xn--fiqs8s", "www.example.com"
  std::string unicode;  // the same name in Unicode: "中国", "www.example.com"
  bool operator==(const NormalizedDomain&) const = default;
};

// The canonical form of a host name typed by a person, or nullopt when it is not a valid host
// name (empty, an IP address, a URL, bad characters, a label over 63 bytes, …). Single-label
// names ("com", "中国") are accepted: they are valid suffixes.
std::optional<NormalizedDomain> NormalizeDomain(std::string_view input);

struct DomainInfo {
  NormalizedDomain name;           // the normalised input
  NormalizedDomain public_suffix;  // "com.cn"
  NormalizedDomain registrable;    // "example.com.cn"; empty when the name is a public suffix
  bool is_subdomain = false;       // name is below its registrable domain ("www.example.com.cn")
};

// Normalises `input` and splits it along the ICANN public suffix list; nullopt when the name
// is not valid. Private-section suffixes (github.io, …) are deliberately ignored: the filing is
// for what the registry sold.
std::optional<DomainInfo> AnalyzeDomain(std::string_view input);

// The ICANN public suffix of a normalised ascii name ("example.com.cn" → "com.cn").
std::string PublicSuffixOf(std::string_view ascii);

// The approved suffix that applies to `info` (its public suffix), or nullptr.
const ApprovedSuffix* ApprovedSuffixFor(const Rules& rules, const DomainInfo& info);

// Checks a website's domain for an organizer of `organizer_type` (may be empty when unknown:
// then the type-specific rules are skipped). Codes: required, domain_invalid {domain} (RULES.md
// decision 4: still malformed after normalisation), domain_is_public_suffix, suffix_not_approved
// {suffix}, suffix_not_allowed_for_organizer {suffix, organizer_type, allowed} (decision 5: a
// warning or an error by the suffix's warning_for),
// suffix_required {suffixes}, is_subdomain (warning) {registrable}. When `info` is not null it
// receives the analysis of a valid name.
Findings ValidateDomain(const Rules& rules, std::string_view input, std::string_view organizer_type,
                        std::string_view field, DomainInfo* info = nullptr);

}  // namespace beian::domain
