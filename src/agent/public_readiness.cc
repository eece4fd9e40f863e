// The agent's readiness for public look-ups (see public_readiness.h).
#include "agent/public_readiness.h"

#include <algorithm>

#include "core/time_text.h"

namespace beian::agent {

using core::Error;
using core::ErrorCode;

namespace {

std::string Seconds(int64_t ms) { return std::to_string(ms / 1000) + " s"; }

std::string AuthorityState(const RegistryFreshness& s) {
  if (s.failing_since_ms > 0) return "unreachable since " + core::FormatRfc3339(s.failing_since_ms);
  if (s.head < 0) return "not reached yet";
  return "reachable";
}

}  // namespace

double PublicLookupAgeSeconds(const RegistryFreshness& sync, int64_t now_ms) {
  if (sync.current_seq < 0) return -1;
  return static_cast<double>(std::max<int64_t>(0, now_ms - sync.current_at_ms)) / 1000.0;
}

core::Result<std::string> PublicReadiness(const PublicReadinessInput& in) {
  const RegistryFreshness& s = in.sync;
  if (!s.cursor_known || (!s.caught_up && s.current_seq < 0)) {
    std::string why =
        "the public registry copy has not caught up with the authority's change feed yet";
    if (s.head >= 0) {
      why += ": at change " + std::to_string(s.cursor) + " of " + std::to_string(s.head) + " (" +
             std::to_string(std::max<int64_t>(0, s.head - s.cursor)) + " behind)";
    } else {
      why += ": the feed has not been reached";
    }
    if (s.failing_since_ms > 0) why += "; the authority is " + AuthorityState(s);
    return Error(ErrorCode::kRegistrySyncing, why);
  }
  if (!in.index_serving) {
    return Error(ErrorCode::kUnavailable, "public look-up snapshot: " + in.index_reason);
  }
  const int64_t age_ms = std::max<int64_t>(0, in.now_ms - s.current_at_ms);
  if (!s.caught_up && in.max_staleness_ms > 0 && age_ms > in.max_staleness_ms) {
    return Error(ErrorCode::kPublicLookupStale,
                 "the public look-up answers are " + Seconds(age_ms) +
                     " old (the registry copy was last current at " +
                     core::FormatRfc3339(s.current_at_ms) + ", change " +
                     std::to_string(s.current_seq) + "), over the limit of " +
                     Seconds(in.max_staleness_ms) + "; the authority is " + AuthorityState(s));
  }
  // Behind: known while the feed answers (0 once caught up); unknown while it does not.
  std::string behind = "null";
  if (s.caught_up) {
    behind = "0";
  } else if (s.failing_since_ms == 0 && s.head >= 0) {
    behind = std::to_string(std::max<int64_t>(0, s.head - s.cursor));
  }
  std::string out = "\"public_lookup\":{\"as_of_seq\":" + std::to_string(in.served_seq) +
                    ",\"as_of\":\"" + core::FormatRfc3339(s.current_at_ms) +
                    "\",\"caught_up\":" + (s.caught_up ? "true" : "false") +
                    ",\"behind\":" + behind + ",\"authority\":\"" + AuthorityState(s) + "\"}";
  return out;
}

}  // namespace beian::agent
