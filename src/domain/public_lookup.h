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

// The allocation-free form of FastLookupKey (the batch look-up's and the GET's hot path): the
// lower-cased registrable domain is written into `buf` (at least kFastKeyBuffer bytes) and
// `ascii` views it; its Unicode form is `ascii` itself unless `a_labels` (then unknown: see
// FastLookupKey). Same answers as FastLookupKey.
inline constexpr size_t kFastKeyBuffer = 253;
struct FastKeyView {
  std::string_view ascii;
  bool a_labels = false;
  // A label of the name with "--" in its 3rd and 4th places that is not an A-label ("ab--cd"):
  // fine in a plain name, refused by IDNA beside A-labels.
  bool reserved_label = false;
};
std::optional<FastKeyView> FastLookupKeyView(std::string_view input, char* buf,
                                             bool a_labels = false);

// The key, with its Unicode form, of a name whose A-labels all lie in its public suffix
// ("www.nf-shop.xn--fiqs8s": FastLookupKeyView's key, with a_labels, when the registrable domain's
// first label is plain): the Unicode form is the plain label then the suffix's, which IDNA gives
// once per suffix (a per-thread cache) instead of once per name. For a name that is not filed (a
// filed one has its Unicode form in the snapshot). nullopt when the first label is an A-label, a
// label is reserved (reserved_label) or IDNA refuses the suffix: then PublicLookupKey (which says
// why). Same answers as PublicLookupKey for the names FastLookupKeyView takes (unit-tested over
// every IDN suffix of the list).
std::optional<NormalizedDomain> SuffixIdnKey(const FastKeyView& key);

// PublicSuffixOf (domain_name.h) without allocating and without asking libpsl for every
// candidate: the public suffix of the lower-case A-label name `ascii`, as a view into it. The
// candidates are walked right to left in a table built once from the ICANN rules of the list
// libpsl was built from (psl_builtin_filename()), each rule's answer taken from libpsl itself;
// only a name under a wildcard rule asks libpsl per look-up. Without that file (or when libpsl
// disagrees with it about one of its rules) it asks PublicSuffixOf. Same answers (unit-tested
// over every rule of the list).
std::string_view PublicSuffixView(std::string_view ascii);
// Whether PublicSuffixView walks its table (tests; false: it asks PublicSuffixOf).
bool PublicSuffixTableInUse();

}  // namespace beian::domain
