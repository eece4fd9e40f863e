// The agent's readiness for public look-ups (issue 11 item 2): "not ready until caught up or
// serving a stated older snapshot". Pure: it combines what the registry sync knows of the
// copy's freshness (registry_sync.h) with whether the look-up index serves (public_lookup_index.h)
// into the /readyz answer — Ok with the body's `"public_lookup":{…}` member, or the 503 error.
//
//  1. A copy never known current (an empty copy, a first catch-up not finished, killed half-way)
//     → 503 registry_syncing, saying how far behind it is.
//  2. The index not serving (no snapshot yet, a rebuild after a gap or damage) → 503 unavailable
//     with the reason (look-ups still answer, from the copy, one query each).
//  3. Not caught up (the authority unreachable, a catch-up after a long outage) and older than
//     the staleness limit (--public-max-staleness; 0: none) → 503 public_lookup_stale.
//  4. Otherwise ready, stating what is served:
//       {"as_of_seq": the feed change the answers reflect,
//        "as_of": when the copy last held every change of the feed (RFC 3339) — the answers are
//                 at least that fresh,
//        "caught_up": whether the last sync run reached the feed's head,
//        "behind": changes still to apply when known (0 when caught up), else null,
//        "authority": "reachable" | "unreachable since <RFC 3339>" | "not reached yet"}
#pragma once

#include <cstdint>
#include <string>

#include "agent/registry_sync.h"
#include "core/result.h"

namespace beian::agent {

struct PublicReadinessInput {
  RegistryFreshness sync;
  bool index_serving = false;
  std::string index_reason;  // why the index does not serve
  int64_t served_seq = 0;    // the cursor the index's answers reflect
  int64_t now_ms = 0;
  int64_t max_staleness_ms = 0;  // 0: no limit
};

// Ok: the JSON member `"public_lookup":{…}` for the /readyz body; else the 503's error
// (kRegistrySyncing, kUnavailable or kPublicLookupStale).
core::Result<std::string> PublicReadiness(const PublicReadinessInput& in);

// The age of what is served, in seconds (now − as_of); -1 when the copy was never current.
double PublicLookupAgeSeconds(const RegistryFreshness& sync, int64_t now_ms);

}  // namespace beian::agent
