// Reading the agent's whole public registry copy in domain order, for the look-up snapshot
// (agent/public_snapshot.h): keyset pages of public_filings by domain, inside one read
// transaction so that the rows and the cursor read with them are one consistent state.
// (Kept apart from public_registry.h, which the sync writes through.)
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/public_registry.h"

namespace beian::store {

class PublicRegistryScan {
 public:
  explicit PublicRegistryScan(Tx& tx) : tx_(tx) {}

  // Up to `limit` rows whose domain sorts after `after` ("" : from the first), in domain order.
  core::Result<std::vector<PublicFilingRow>> Page(std::string_view after, size_t limit);

 private:
  Tx& tx_;
};

}  // namespace beian::store
