// The inventory aggregate: server instances and domains this provider sold, each belonging to
// one applicant account (`owner_id`). Rows are plain data; the agent's inventory service
// validates and normalises them before they arrive here (ids, IP addresses, domain names in
// punycode). Expiry dates are text 'YYYY-MM-DD' or nullopt (none); created_at is unix ms.
// Like every repository, InventoryRepo runs inside a caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

struct InstanceRow {
  std::string id;
  std::string owner_id;
  std::string product;
  std::string region;
  bool mainland = false;
  std::optional<std::string> public_ip;  // the address as text; nullopt: none
  std::string billing;                   // "subscription" | "pay_as_you_go"
  std::optional<std::string> expires_at;
  int64_t service_codes_total = 0;
  int64_t service_codes_used = 0;
  int64_t created_at_ms = 0;
};

struct DomainRow {
  std::string name;          // registrable domain, punycode, lower-case (the key)
  std::string unicode_name;  // the same name as people read it
  std::string owner_id;
  std::string holder_name;
  bool real_name_verified = false;
  std::string registrar;
  std::optional<std::string> expires_at;
  int64_t created_at_ms = 0;
};

template <typename T>
struct InventoryPage {
  std::vector<T> items;
  std::string next_cursor;  // empty on the last page
};

class InventoryRepo {
 public:
  explicit InventoryRepo(Tx& tx) : tx_(tx) {}

  // kConflict (detail field "id" / "name", code "already_exists") when the key exists.
  core::Status CreateInstance(const InstanceRow& row);
  core::Status CreateDomain(const DomainRow& row);

  // Insert, or update the row of the same key when it belongs to the same owner (created_at
  // kept). For instances, `service_codes_used` nullopt keeps the stored count (0 on insert).
  // kConflict (code "owned_by_another_account") when the key belongs to another account.
  core::Status UpsertInstance(const InstanceRow& row, std::optional<int64_t> service_codes_used);
  core::Status UpsertDomain(const DomainRow& row);

  // The owner's rows in creation order, `limit` (1…1000) per page after `cursor` (a
  // next_cursor of an earlier page, or "" for the first). kValidationFailed for a bad cursor
  // or limit.
  core::Result<InventoryPage<InstanceRow>> ListInstances(std::string_view owner_id, int limit,
                                                         std::string_view cursor);
  core::Result<InventoryPage<DomainRow>> ListDomains(std::string_view owner_id, int limit,
                                                     std::string_view cursor);

  // The owner's instance `id` / domain `name` (the key); nullopt when there is none or it
  // belongs to another account (the precheck's view of one application).
  core::Result<std::optional<InstanceRow>> FindInstance(std::string_view owner_id,
                                                        std::string_view id);
  core::Result<std::optional<DomainRow>> FindDomain(std::string_view owner_id,
                                                    std::string_view name);
  // Uses one filing service code of the owner's instance `id` (an approved filing, issue 10
  // item 6). False when the instance is not the owner's or has no code left.
  core::Result<bool> UseServiceCode(std::string_view owner_id, std::string_view id);

  // Every row of the owner.
  core::Result<std::vector<InstanceRow>> AllInstances(std::string_view owner_id);
  core::Result<std::vector<DomainRow>> AllDomains(std::string_view owner_id);

 private:
  Tx& tx_;
};

}  // namespace beian::store
