// ProviderRepo and NonceRepo: named statements for providers and request_nonces.
#include "store/providers.h"

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;

constexpr Statement kInsert{
    "providers.insert",
    "INSERT INTO providers (id, name, callback_url, key_sealed, created_at) VALUES ($1, $2, $3, "
    "$4, $5)"};
constexpr Statement kFind{
    "providers.find",
    "SELECT id, name, callback_url, key_sealed, created_at FROM providers WHERE id = $1"};
constexpr Statement kList{
    "providers.list",
    "SELECT id, name, callback_url, key_sealed, created_at FROM providers ORDER BY id"};
constexpr Statement kSetKey{"providers.set_key",
                            "UPDATE providers SET key_sealed = $2 WHERE id = $1"};
constexpr Statement kRemember{"request_nonces.remember",
                              "INSERT INTO request_nonces (provider_id, nonce, expires_at) VALUES "
                              "($1, $2, $3) ON CONFLICT (provider_id, nonce) DO NOTHING"};
constexpr Statement kPurge{"request_nonces.purge",
                           "DELETE FROM request_nonces WHERE expires_at < $1"};

Result<Provider> FromRow(const Row& row) {
  Provider p;
  BEIAN_ASSIGN_OR_RETURN(p.id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(p.name, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(p.callback_url, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(p.key_sealed, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(p.created_at_ms, row.GetInt(4));
  return p;
}

}  // namespace

Result<Provider> ProviderRepo::Create(const Provider& p) {
  auto r = tx_.Exec(kInsert, {p.id, p.name, p.callback_url, p.key_sealed, p.created_at_ms});
  if (!r) {
    if (ViolatedConstraint(r.error()) == "providers.id") {
      return Error(ErrorCode::kConflict, "a provider with this id exists",
                   {{"id", "provider_exists", "a provider with this id exists"}});
    }
    return std::move(r).error();
  }
  return p;
}

Result<std::optional<Provider>> ProviderRepo::Find(std::string_view id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kFind, {id}));
  if (!row) return std::optional<Provider>();
  BEIAN_ASSIGN_OR_RETURN(Provider p, FromRow(*row));
  return std::optional<Provider>(std::move(p));
}

Result<std::vector<Provider>> ProviderRepo::List() {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kList));
  std::vector<Provider> out;
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(Provider p, FromRow(row));
    out.push_back(std::move(p));
  }
  return out;
}

core::Status ProviderRepo::SetKey(std::string_view id, std::string_view key_sealed) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kSetKey, {id, key_sealed}));
  if (n == 0) return Error(ErrorCode::kNotFound, "no such provider");
  return core::Ok();
}

Result<bool> NonceRepo::Remember(std::string_view provider_id, std::string_view nonce,
                                 int64_t expires_at_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kRemember, {provider_id, nonce, expires_at_ms}));
  return n == 1;
}

Result<int64_t> NonceRepo::PurgeExpired(int64_t now_ms) { return tx_.Exec(kPurge, {now_ms}); }

}  // namespace beian::store
