// InventoryRepo: named statements for inventory_instances and inventory_domains.
#include "store/inventory.h"

#include <charconv>

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

#define BEIAN_INSTANCE_COLUMNS                                                \
  "id, owner_id, product, region, mainland, public_ip, billing, expires_at, " \
  "service_codes_total, service_codes_used, created_at"
#define BEIAN_DOMAIN_COLUMNS                                                               \
  "name, unicode_name, owner_id, holder_name, real_name_verified, registrar, expires_at, " \
  "created_at"

constexpr Statement kInsertInstance{"inventory.insert_instance",
                                    "INSERT INTO inventory_instances (" BEIAN_INSTANCE_COLUMNS
                                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"};
constexpr Statement kUpsertInstance{
    "inventory.upsert_instance",
    "INSERT INTO inventory_instances (" BEIAN_INSTANCE_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE(CAST($10 AS BIGINT), 0), $11)"
    " ON CONFLICT (id) DO UPDATE SET product = excluded.product, region = excluded.region,"
    " mainland = excluded.mainland, public_ip = excluded.public_ip, billing = excluded.billing,"
    " expires_at = excluded.expires_at, service_codes_total = excluded.service_codes_total,"
    " service_codes_used = COALESCE(CAST($10 AS BIGINT), inventory_instances.service_codes_used)"
    " WHERE inventory_instances.owner_id = excluded.owner_id"};
constexpr Statement kInstanceFirst{"inventory.instances_first",
                                   "SELECT " BEIAN_INSTANCE_COLUMNS
                                   " FROM inventory_instances WHERE owner_id = $1"
                                   " ORDER BY created_at, id LIMIT $2"};
constexpr Statement kInstanceNext{
    "inventory.instances_next",
    "SELECT " BEIAN_INSTANCE_COLUMNS
    " FROM inventory_instances WHERE owner_id = $1"
    " AND (created_at > $3 OR (created_at = $3 AND id > $4)) ORDER BY created_at, id LIMIT $2"};
constexpr Statement kInstanceAll{"inventory.instances_all",
                                 "SELECT " BEIAN_INSTANCE_COLUMNS
                                 " FROM inventory_instances WHERE owner_id = $1"
                                 " ORDER BY created_at, id"};

constexpr Statement kInstanceOfOwner{"inventory.instance_of_owner",
                                     "SELECT " BEIAN_INSTANCE_COLUMNS
                                     " FROM inventory_instances WHERE id = $1 AND owner_id = $2"};

constexpr Statement kInsertDomain{"inventory.insert_domain",
                                  "INSERT INTO inventory_domains (" BEIAN_DOMAIN_COLUMNS
                                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
constexpr Statement kUpsertDomain{
    "inventory.upsert_domain",
    "INSERT INTO inventory_domains (" BEIAN_DOMAIN_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    " ON CONFLICT (name) DO UPDATE SET unicode_name = excluded.unicode_name,"
    " holder_name = excluded.holder_name, real_name_verified = excluded.real_name_verified,"
    " registrar = excluded.registrar, expires_at = excluded.expires_at"
    " WHERE inventory_domains.owner_id = excluded.owner_id"};
constexpr Statement kDomainFirst{"inventory.domains_first",
                                 "SELECT " BEIAN_DOMAIN_COLUMNS
                                 " FROM inventory_domains WHERE owner_id = $1"
                                 " ORDER BY created_at, name LIMIT $2"};
constexpr Statement kDomainNext{
    "inventory.domains_next",
    "SELECT " BEIAN_DOMAIN_COLUMNS
    " FROM inventory_domains WHERE owner_id = $1"
    " AND (created_at > $3 OR (created_at = $3 AND name > $4)) ORDER BY created_at, name LIMIT $2"};
constexpr Statement kDomainAll{"inventory.domains_all",
                               "SELECT " BEIAN_DOMAIN_COLUMNS
                               " FROM inventory_domains WHERE owner_id = $1"
                               " ORDER BY created_at, name"};

constexpr Statement kDomainOfOwner{"inventory.domain_of_owner",
                                   "SELECT " BEIAN_DOMAIN_COLUMNS
                                   " FROM inventory_domains WHERE name = $1 AND owner_id = $2"};

#undef BEIAN_INSTANCE_COLUMNS
#undef BEIAN_DOMAIN_COLUMNS

Error Invalid(std::string field, std::string message) {
  return Error(ErrorCode::kValidationFailed, message, {{std::move(field), "invalid", message}});
}

Error Exists(std::string field, std::string what) {
  std::string message = what + " already exists";
  return Error(ErrorCode::kConflict, message, {{std::move(field), "already_exists", message}});
}

Error OwnedByAnother(std::string field, std::string what) {
  std::string message = what + " belongs to another account";
  return Error(ErrorCode::kConflict, message,
               {{std::move(field), "owned_by_another_account", message}});
}

Result<InstanceRow> InstanceFromRow(const Row& row) {
  InstanceRow r;
  BEIAN_ASSIGN_OR_RETURN(r.id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(r.owner_id, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(r.product, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(r.region, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(r.mainland, row.GetBool(4));
  BEIAN_ASSIGN_OR_RETURN(r.public_ip, row.GetOptionalText(5));
  BEIAN_ASSIGN_OR_RETURN(r.billing, row.GetText(6));
  BEIAN_ASSIGN_OR_RETURN(r.expires_at, row.GetOptionalText(7));
  BEIAN_ASSIGN_OR_RETURN(r.service_codes_total, row.GetInt(8));
  BEIAN_ASSIGN_OR_RETURN(r.service_codes_used, row.GetInt(9));
  BEIAN_ASSIGN_OR_RETURN(r.created_at_ms, row.GetInt(10));
  return r;
}

Result<DomainRow> DomainFromRow(const Row& row) {
  DomainRow r;
  BEIAN_ASSIGN_OR_RETURN(r.name, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(r.unicode_name, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(r.owner_id, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(r.holder_name, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(r.real_name_verified, row.GetBool(4));
  BEIAN_ASSIGN_OR_RETURN(r.registrar, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(r.expires_at, row.GetOptionalText(6));
  BEIAN_ASSIGN_OR_RETURN(r.created_at_ms, row.GetInt(7));
  return r;
}

// Cursor: "<created_at_ms>.<key>" of the last row of the previous page.
struct Cursor {
  int64_t created_at_ms = 0;
  std::string key;
};

Result<Cursor> ParseCursor(std::string_view cursor) {
  const auto dot = cursor.find('.');
  Cursor c;
  bool ok = dot != std::string_view::npos && dot > 0 && dot + 1 < cursor.size();
  if (ok) {
    auto [ptr, ec] = std::from_chars(cursor.data(), cursor.data() + dot, c.created_at_ms);
    ok = ec == std::errc() && ptr == cursor.data() + dot;
  }
  if (!ok) return Invalid("cursor", "malformed cursor");
  c.key = std::string(cursor.substr(dot + 1));
  return c;
}

// One page of rows: `first` without a cursor, `next` after one; one extra row tells whether
// another page follows.
template <typename T, typename Decode, typename KeyOf>
Result<InventoryPage<T>> Page(Tx& tx, const Statement& first, const Statement& next,
                              std::string_view owner_id, int limit, std::string_view cursor,
                              Decode decode, KeyOf key_of) {
  if (limit < 1 || limit > 1000) return Invalid("limit", "limit must be between 1 and 1000");
  const int64_t fetch = int64_t{limit} + 1;
  std::vector<Row> rows;
  if (cursor.empty()) {
    BEIAN_ASSIGN_OR_RETURN(rows, tx.Query(first, {owner_id, fetch}));
  } else {
    BEIAN_ASSIGN_OR_RETURN(Cursor c, ParseCursor(cursor));
    BEIAN_ASSIGN_OR_RETURN(rows, tx.Query(next, {owner_id, fetch, c.created_at_ms, c.key}));
  }
  InventoryPage<T> page;
  for (const Row& row : rows) {
    if (page.items.size() == static_cast<size_t>(limit)) {
      const T& last = page.items.back();
      page.next_cursor = std::to_string(last.created_at_ms) + "." + key_of(last);
      break;
    }
    BEIAN_ASSIGN_OR_RETURN(T item, decode(row));
    page.items.push_back(std::move(item));
  }
  return page;
}

template <typename T, typename Decode>
Result<std::vector<T>> All(Tx& tx, const Statement& s, std::string_view owner_id, Decode decode) {
  BEIAN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(s, {owner_id}));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(T item, decode(row));
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

Status InventoryRepo::CreateInstance(const InstanceRow& r) {
  auto done =
      tx_.Exec(kInsertInstance,
               {r.id, r.owner_id, r.product, r.region, r.mainland, r.public_ip, r.billing,
                r.expires_at, r.service_codes_total, r.service_codes_used, r.created_at_ms});
  if (!done) {
    if (ViolatedConstraint(done.error()) == "inventory_instances.id") {
      return Exists("id", "instance " + r.id);
    }
    return std::move(done).error();
  }
  return core::Ok();
}

Status InventoryRepo::CreateDomain(const DomainRow& r) {
  auto done =
      tx_.Exec(kInsertDomain, {r.name, r.unicode_name, r.owner_id, r.holder_name,
                               r.real_name_verified, r.registrar, r.expires_at, r.created_at_ms});
  if (!done) {
    if (ViolatedConstraint(done.error()) == "inventory_domains.name") {
      return Exists("name", "domain " + r.unicode_name);
    }
    return std::move(done).error();
  }
  return core::Ok();
}

Status InventoryRepo::UpsertInstance(const InstanceRow& r, std::optional<int64_t> used) {
  BEIAN_ASSIGN_OR_RETURN(
      int64_t changed, tx_.Exec(kUpsertInstance, {r.id, r.owner_id, r.product, r.region, r.mainland,
                                                  r.public_ip, r.billing, r.expires_at,
                                                  r.service_codes_total, used, r.created_at_ms}));
  if (changed == 0) return OwnedByAnother("id", "instance " + r.id);
  return core::Ok();
}

Status InventoryRepo::UpsertDomain(const DomainRow& r) {
  BEIAN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx_.Exec(kUpsertDomain, {r.name, r.unicode_name, r.owner_id, r.holder_name,
                               r.real_name_verified, r.registrar, r.expires_at, r.created_at_ms}));
  if (changed == 0) return OwnedByAnother("name", "domain " + r.unicode_name);
  return core::Ok();
}

Result<InventoryPage<InstanceRow>> InventoryRepo::ListInstances(std::string_view owner_id,
                                                                int limit,
                                                                std::string_view cursor) {
  return Page<InstanceRow>(tx_, kInstanceFirst, kInstanceNext, owner_id, limit, cursor,
                           InstanceFromRow, [](const InstanceRow& r) { return r.id; });
}

Result<InventoryPage<DomainRow>> InventoryRepo::ListDomains(std::string_view owner_id, int limit,
                                                            std::string_view cursor) {
  return Page<DomainRow>(tx_, kDomainFirst, kDomainNext, owner_id, limit, cursor, DomainFromRow,
                         [](const DomainRow& r) { return r.name; });
}

Result<std::vector<InstanceRow>> InventoryRepo::AllInstances(std::string_view owner_id) {
  return All<InstanceRow>(tx_, kInstanceAll, owner_id, InstanceFromRow);
}

Result<std::vector<DomainRow>> InventoryRepo::AllDomains(std::string_view owner_id) {
  return All<DomainRow>(tx_, kDomainAll, owner_id, DomainFromRow);
}

namespace {
constexpr Statement kUseServiceCode{
    "inventory_instances.use_service_code",
    "UPDATE inventory_instances SET service_codes_used = service_codes_used + 1"
    " WHERE id = $1 AND owner_id = $2 AND service_codes_used < service_codes_total"};
}  // namespace

Result<bool> InventoryRepo::UseServiceCode(std::string_view owner_id, std::string_view id) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kUseServiceCode, {id, owner_id}));
  return n == 1;
}

Result<std::optional<InstanceRow>> InventoryRepo::FindInstance(std::string_view owner_id,
                                                               std::string_view id) {
  BEIAN_ASSIGN_OR_RETURN(std::optional<Row> row, tx_.QueryOne(kInstanceOfOwner, {id, owner_id}));
  if (!row) return std::optional<InstanceRow>();
  BEIAN_ASSIGN_OR_RETURN(InstanceRow r, InstanceFromRow(*row));
  return std::optional<InstanceRow>(std::move(r));
}

Result<std::optional<DomainRow>> InventoryRepo::FindDomain(std::string_view owner_id,
                                                           std::string_view name) {
  BEIAN_ASSIGN_OR_RETURN(std::optional<Row> row, tx_.QueryOne(kDomainOfOwner, {name, owner_id}));
  if (!row) return std::optional<DomainRow>();
  BEIAN_ASSIGN_OR_RETURN(DomainRow r, DomainFromRow(*row));
  return std::optional<DomainRow>(std::move(r));
}

}  // namespace beian::store
