// The public look-up's rate limit per client address (issue 11 "Bad input": a request flood from
// one address gets the documented limit): a token bucket per address — `rate` requests a second,
// bursts up to `burst` — answered 429 too_many_requests (Retry-After: 1) when empty. Off by
// default (a CDN's edge nodes ask a lot); addresses in `trusted` (CIDR blocks, IPv4 or IPv6, e.g.
// a CDN's ranges) are never limited. `beian serve --public-rate-limit N --public-rate-trusted …`.
// Buckets of addresses idle long enough to be full again are dropped as the table grows, so a
// flood of distinct addresses costs bounded memory.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace beian::agent {

// An address block: "10.0.0.0/8", "2001:db8::/32", or one address ("192.0.2.7").
struct CidrBlock {
  std::array<uint8_t, 16> net{};  // IPv4 as IPv4-mapped IPv6
  int prefix = 128;
};

// kValidationFailed for text that is not an address block.
core::Result<CidrBlock> ParseCidr(std::string_view text);
// True when `address` (as Request::client_address spells it; IPv4-mapped forms included) is in
// `block`; false for text that is not an address.
bool CidrContains(const CidrBlock& block, std::string_view address);

struct PublicRateLimitOptions {
  double rate = 0;   // requests per second per address; 0: no limit
  double burst = 0;  // 0: max(rate, 1)
  std::vector<CidrBlock> trusted = {};
  size_t max_tracked = 100'000;  // addresses kept before idle ones are dropped
};

class PublicRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit PublicRateLimiter(PublicRateLimitOptions options);

  bool enabled() const { return options_.rate > 0; }
  // True when a request from `address` may proceed now (takes a token). Thread-safe.
  bool Allow(std::string_view address, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr size_t kShards = 16;

  PublicRateLimitOptions options_;
  std::array<Shard, kShards> shards_;
};

}  // namespace beian::agent
