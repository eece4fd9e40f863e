// IdempotencyRepo: named statements for idempotency_keys.
#include "store/idempotency.h"

namespace beian::store {
namespace {

constexpr Statement kFind{"idempotency_keys.find",
                          "SELECT owner_id, key, request_hash, status, response, created_at"
                          " FROM idempotency_keys WHERE owner_id = $1 AND key = $2"};
constexpr Statement kInsert{"idempotency_keys.insert",
                            "INSERT INTO idempotency_keys (owner_id, key, request_hash, status,"
                            " response, created_at) VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr Statement kPurge{"idempotency_keys.purge",
                           "DELETE FROM idempotency_keys WHERE created_at < $1"};

}  // namespace

core::Result<std::optional<IdempotentAnswer>> IdempotencyRepo::Find(std::string_view owner_id,
                                                                    std::string_view key) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kFind, {owner_id, key}));
  if (!row) return std::optional<IdempotentAnswer>();
  IdempotentAnswer a;
  BEIAN_ASSIGN_OR_RETURN(a.owner_id, row->GetText(0));
  BEIAN_ASSIGN_OR_RETURN(a.key, row->GetText(1));
  BEIAN_ASSIGN_OR_RETURN(a.request_hash, row->GetText(2));
  BEIAN_ASSIGN_OR_RETURN(int64_t status, row->GetInt(3));
  a.status = static_cast<int>(status);
  BEIAN_ASSIGN_OR_RETURN(a.response, row->GetText(4));
  BEIAN_ASSIGN_OR_RETURN(a.created_at_ms, row->GetInt(5));
  return std::optional<IdempotentAnswer>(std::move(a));
}

core::Status IdempotencyRepo::Insert(const IdempotentAnswer& a) {
  BEIAN_TRY(tx_.Exec(kInsert,
                     {a.owner_id, a.key, a.request_hash, a.status, a.response, a.created_at_ms}));
  return core::Ok();
}

core::Result<int64_t> IdempotencyRepo::PurgeBefore(int64_t before_ms) {
  return tx_.Exec(kPurge, {before_ms});
}

}  // namespace beian::store
