// The authority's providers (the access providers that call its signed API) and the nonces seen
// on signed requests (issue 10 item 1). A provider's HMAC key is stored sealed by the caller
// (core::PiiCipher, column kProviderKeyColumn); this repository never sees it in clear.
// Timestamps are unix milliseconds (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

inline constexpr std::string_view kProviderKeyColumn = "providers.key";

struct Provider {
  std::string id{};
  std::string name{};
  std::string callback_url{};
  std::string key_sealed{};
  int64_t created_at_ms = 0;
};

class ProviderRepo {
 public:
  explicit ProviderRepo(Tx& tx) : tx_(tx) {}

  // kConflict (detail field "id", code "provider_exists") when the id is taken.
  core::Result<Provider> Create(const Provider& p);
  core::Result<std::optional<Provider>> Find(std::string_view id);
  // Every provider, by id.
  core::Result<std::vector<Provider>> List();
  // Replaces the sealed key (a provider whose key is lost gets a new one).
  core::Status SetKey(std::string_view id, std::string_view key_sealed);

 private:
  Tx& tx_;
};

class NonceRepo {
 public:
  explicit NonceRepo(Tx& tx) : tx_(tx) {}

  // Records `nonce` for `provider_id`, kept until `expires_at_ms`. False when it was seen
  // before (a replay); true when it is new.
  core::Result<bool> Remember(std::string_view provider_id, std::string_view nonce,
                              int64_t expires_at_ms);
  // Deletes nonces past their expiry (they are refused by the timestamp check by then).
  core::Result<int64_t> PurgeExpired(int64_t now_ms);

 private:
  Tx& tx_;
};

}  // namespace beian::store
