// The public "is this domain filed?" answer of the agent (issue 10 item 7): read from the
// agent's copy of the public registry (registry_sync.h), never from the authority per request.
// Any form of a name — a subdomain, `www.`, Unicode or punycode — finds the filing of its
// registrable domain (domain::PublicLookupKey); one primary-key read per domain.
//
// With a look-up index (public_lookup_index.h, issue 11) the answers come from its snapshot and
// overlay — no SQL per request — as pre-rendered JSON, byte for byte what the copy's answer
// serializes to; until the index serves (no snapshot yet, a rebuild after a gap) they come from
// the copy.
//
// The answer of one domain: {query, domain, domain_unicode, filed, subject_sn, website_sn,
// organizer_name, organizer_type, website_name, approved_at} — the filing's fields null when the
// domain is not filed. The batch answers each domain in order; a domain that is not a domain
// answers {query, filed: false, error: {code, message}} there instead of failing the batch.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/result.h"
#include "domain/domain_name.h"
#include "store/database.h"

namespace beian::agent {

class PublicLookupIndex;

// The most domains one batch may ask (a CDN's batch; issue 10 item 7).
inline constexpr size_t kMaxPublicBatch = 1000;

// The batch body in its common form, read in place: `{"domains":["…",…]}` — one key, 1 to
// kMaxPublicBatch strings without escapes, valid UTF-8, any JSON whitespace between tokens. True
// with `names` viewing the strings in `body`; false for anything else (then the caller parses
// the body as JSON, which gives every error its usual 400/413/422 answer), so the answer of any
// body is what the JSON path gives.
bool ParsePlainBatchBody(std::string_view body, std::vector<std::string_view>& names);

class PublicFilingsService {
 public:
  // Builds the key's public suffix table (domain::PublicSuffixView) now, not on the first
  // look-up.
  explicit PublicFilingsService(store::Database& db);

  // kValidationFailed (detail on "domain": required, domain_invalid, domain_is_public_suffix)
  // for input that is not a domain.
  core::Result<boost::json::object> Lookup(std::string_view domain) const;
  // kPayloadTooLarge over kMaxPublicBatch domains, kValidationFailed for none.
  core::Result<boost::json::array> Batch(const std::vector<std::string>& domains) const;

  // The same answers as JSON text ({"results":[…]} for the batch), from the index when it
  // serves. The hot path of the routes.
  core::Result<std::string> LookupJson(std::string_view domain) const;
  core::Result<std::string> BatchJson(const std::vector<std::string>& domains) const;
  // The same over views of the names.
  core::Result<std::string> BatchJson(std::span<const std::string_view> domains) const;

  // REQUIRES: `index` outlives the service; set before serving.
  void SetIndex(const PublicLookupIndex* index) { index_ = index; }

 private:
  core::Result<std::string> FromCopy(std::string_view query,
                                     const domain::NormalizedDomain& key) const;

  store::Database& db_;
  const PublicLookupIndex* index_ = nullptr;
};

}  // namespace beian::agent
