// The agent's public filing look-up (issue 10 item 7), without sign-in, for people and CDNs:
//   GET  /api/v1/public/filings?domain=NAME   → the answer of PublicFilingsService::Lookup
//   POST /api/v1/public/filings/batch {domains:[…]} (at most 1,000) → {results:[…]} in order
// Answers come from the agent's copy of the registry; the GET may be cached by a CDN for a
// minute (Cache-Control: public, max-age=60), so a new filing shows there within the sync
// interval plus that minute. With a rate limit (public_rate_limit.h) a client address over it
// gets 429 too_many_requests with Retry-After: 1, before any work.
#pragma once

#include "agent/public_filings_service.h"
#include "agent/public_rate_limit.h"
#include "http/router.h"

namespace beian::agent {

// REQUIRES: `service` and `limiter` (nullptr: no limit) outlive the router.
void RegisterPublicFilingsRoutes(http::Router& router, const PublicFilingsService& service,
                                 PublicRateLimiter* limiter = nullptr);

}  // namespace beian::agent
