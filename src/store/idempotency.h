// Idempotency-Key (DESIGN §6): the first successful answer to a create or submit, remembered
// per account and key so that a client repeating the request (a lost response, a double click)
// gets the same answer and causes no second change. The answer is stored sealed by the caller
// (it may hold personal data); `request_hash` tells a repeat from a different request that
// reuses the key. Rows are written in the same transaction as the change they answer for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

struct IdempotentAnswer {
  std::string owner_id;
  std::string key;
  std::string request_hash;
  int status = 200;
  std::string response;  // sealed by the caller
  int64_t created_at_ms = 0;
};

class IdempotencyRepo {
 public:
  explicit IdempotencyRepo(Tx& tx) : tx_(tx) {}

  core::Result<std::optional<IdempotentAnswer>> Find(std::string_view owner_id,
                                                     std::string_view key);
  // kConflict when the account already has an answer under this key.
  core::Status Insert(const IdempotentAnswer& a);
  // Forgets answers older than `before_ms`; returns how many.
  core::Result<int64_t> PurgeBefore(int64_t before_ms);

 private:
  Tx& tx_;
};

}  // namespace beian::store
