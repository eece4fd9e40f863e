// The key of the public "is this domain filed?" look-up (issue 10 item 7, the agent's copy of
// the registry): whatever form a CDN or a person sends — a subdomain, a `www.` name, Unicode or
// punycode, upper case, a trailing dot, full-width dots — the answer is the filing of its
// registrable domain, keyed in punycode (the form of the authority's change feed). Pure.
#pragma once

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

}  // namespace beian::domain
