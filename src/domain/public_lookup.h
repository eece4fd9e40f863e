// The key of the public "is this domain filed?" look-up (issue 10 item 7, the agent's copy of
// the registry): whatever form a CDN or a person sends — a subdomain, a `www.` name, Unicode or
// punycode, upper case, a trailing dot, full-width dots — the answer is the filing of its
// registrable domain, keyed in punycode (the form of the authority's change feed). Pure.
#pragma once

#include <optional>
#include <string_view>

#include "core/result.h"
#include "domain/domain_name.h"

namespace beian::domain {

// Longer input is refused before any parsing (a host name is at most 253 bytes; full-width
// dots and a trailing dot may add a few).
inline constexpr size_t kMaxLookupInput = 1024;

// The registrable domain of `input` (ascii: the key; unicode: for display). kValidationFailed
// with a detail for `field`: code "required" (empty), "domain_invalid" (not a host name: an IP
// address, a URL, bad characters, an over-long label, invalid punycode, …) or
// "domain_is_public_suffix" ("com.cn": nothing is filed under a bare suffix).
core::Result<NormalizedDomain> PublicLookupKey(std::string_view input,
                                               std::string_view field = "domain");

// The hot path of the look-up (issue 11): the same key for the common input — plain ASCII
// letters, digits, hyphens and dots, no A-label ("xn--"), no spaces — computed without IDNA
// processing; nullopt for everything else (IDN, A-labels, anything malformed, a bare public
// suffix), which then takes PublicLookupKey. Where it answers, it answers what PublicLookupKey
// answers (unit-tested on both). With `a_labels`, a name whose A-labels are all in its registrable
// domain ("www.xn--fsqu00a.xn--fiqs8s") also gets its key, with `unicode` EMPTY and the A-labels
// NOT validated: usable only to find a domain known to be valid (the look-up snapshot's keys,
// which give their Unicode form); for any other answer, take PublicLookupKey.
std::optional<NormalizedDomain> FastLookupKey(std::string_view input, bool a_labels = false);

}  // namespace beian::domain
