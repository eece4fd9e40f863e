// The public look-up's rate limit (see public_rate_limit.h).
#include "agent/public_rate_limit.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>

namespace beian::agent {
namespace {

// The address as 16 bytes (IPv4 mapped into IPv6), or false.
bool ParseAddress(std::string_view text, std::array<uint8_t, 16>& out, bool& v4) {
  std::string s(text);
  // "[::1]" as some front ends spell it.
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  in_addr a4{};
  if (::inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    out.fill(0);
    out[10] = 0xFF;
    out[11] = 0xFF;
    std::memcpy(out.data() + 12, &a4, 4);
    v4 = true;
    return true;
  }
  in6_addr a6{};
  if (::inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    std::memcpy(out.data(), &a6, 16);
    v4 = false;
    return true;
  }
  return false;
}

}  // namespace

core::Result<CidrBlock> ParseCidr(std::string_view text) {
  auto bad = [&] {
    return core::Error(core::ErrorCode::kValidationFailed,
                       "not an address block: " + std::string(text));
  };
  const size_t slash = text.find('/');
  CidrBlock b;
  bool v4 = false;
  if (!ParseAddress(text.substr(0, slash), b.net, v4)) return bad();
  int prefix = v4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (ec != std::errc() || end != p.data() + p.size() || prefix < 0 || prefix > (v4 ? 32 : 128)) {
      return bad();
    }
  }
  b.prefix = v4 ? prefix + 96 : prefix;
  // Host bits cleared, so that containment compares the network part only.
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(b.prefix - i * 8, 0, 8);
    b.net[static_cast<size_t>(i)] &= static_cast<uint8_t>(0xFF00 >> keep);
  }
  return b;
}

bool CidrContains(const CidrBlock& block, std::string_view address) {
  std::array<uint8_t, 16> a{};
  bool v4 = false;
  if (!ParseAddress(address, a, v4)) return false;
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(block.prefix - i * 8, 0, 8);
    const auto mask = static_cast<uint8_t>(0xFF00 >> keep);
    if ((a[static_cast<size_t>(i)] & mask) != block.net[static_cast<size_t>(i)]) return false;
  }
  return true;
}

PublicRateLimiter::PublicRateLimiter(PublicRateLimitOptions options)
    : options_(std::move(options)) {
  if (options_.burst <= 0) options_.burst = std::max(options_.rate, 1.0);
}

bool PublicRateLimiter::Allow(std::string_view address, Clock::time_point now) {
  if (!enabled()) return true;
  for (const CidrBlock& b : options_.trusted) {
    if (CidrContains(b, address)) return true;
  }
  Shard& shard = shards_[std::hash<std::string_view>{}(address) % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(std::string(address));
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= options_.max_tracked / kShards) {
      // Idle long enough to be full again: the same as not being tracked.
      const auto refill = std::chrono::duration<double>(options_.burst / options_.rate);
      std::erase_if(shard.buckets, [&](const auto& kv) { return now - kv.second.at >= refill; });
      // Still full: a flood from more distinct addresses than tracked; each of them is new, so
      // it has its burst anyway — let it through untracked rather than grow without bound.
      if (shard.buckets.size() >= options_.max_tracked / kShards) return true;
    }
    it = shard.buckets.emplace(std::string(address), Bucket{options_.burst, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.at).count();
  b.tokens = std::min(options_.burst, b.tokens + elapsed * options_.rate);
  b.at = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

}  // namespace beian::agent
