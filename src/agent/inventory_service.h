// The provider's inventory as a service: administrators add server instances and domains to an
// applicant's account (one at a time over the API, or a whole file with `beian admin
// import-inventory`), applicants list their own, and the filing checks read an account's
// inventory as a domain::InventoryView (LoadInventoryView — the precheck uses it).
//
// Input is validated and normalised here before the store sees it: instance ids are short
// printable tokens; `public_ip` is an IPv4/IPv6 address (canonical text) or null; `billing` is
// `subscription` | `pay_as_you_go`; dates are YYYY-MM-DD (RFC 3339 accepted, date part kept);
// domain names are normalised (lower-case, IDN → punycode via domain::NormalizeDomain) and must
// be a registrable domain (not a subdomain, not a bare public suffix). The owner is named by
// e-mail and must be an applicant. Problems come back as kValidationFailed with one detail per
// field (codes: required, invalid, unknown_account, not_an_applicant, not_registrable, …).
// Thread-safe (state lives in the database).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/result.h"
#include "domain/application.h"
#include "domain/inventory_view.h"
#include "store/database.h"
#include "store/inventory.h"

namespace beian::agent {

struct InstanceInput {
  std::string owner_email;
  std::string id;
  std::string product;
  std::string region;
  bool mainland = false;
  std::optional<std::string> public_ip;
  std::string billing;
  std::optional<std::string> expires_at;
  int64_t service_codes_total = 0;
  std::optional<int64_t> service_codes_used;  // nullopt: 0 for a new instance, else unchanged
};

struct DomainInput {
  std::string owner_email;
  std::string name;
  std::string holder_name;
  bool real_name_verified = false;
  std::string registrar;
  std::optional<std::string> expires_at;
};

// Pure checks: fill `row` (owner_id left empty) from `in`, normalised, and return the problems
// (empty when valid). Field names are the input's ("public_ip", "name", …).
std::vector<core::ErrorDetail> NormalizeInstance(const InstanceInput& in, store::InstanceRow& row);
std::vector<core::ErrorDetail> NormalizeDomain(const DomainInput& in, store::DomainRow& row);

// The account's inventory as the eligibility checks read it (run inside the caller's
// transaction, so a precheck sees one consistent snapshot).
core::Result<domain::InMemoryInventory> LoadInventoryView(store::Tx& tx,
                                                          std::string_view account_id);
// The part of it that `application` names — its websites' instances and domains, read by key —
// which is all the eligibility checks look up: the cost of a precheck does not grow with the
// account's inventory.
core::Result<domain::InMemoryInventory> LoadInventoryViewFor(
    store::Tx& tx, std::string_view account_id, const domain::Application& application);

// One row of an import file: which kind, where it came from (for the report), and its data.
struct ImportRow {
  int line = 0;          // 1-based line of the file where the row starts
  std::string location;  // "instances[2]" (JSON) or "" (CSV)
  std::variant<InstanceInput, DomainInput> input;
};

struct RejectedRow {
  int line = 0;
  std::string location;
  std::string reason;  // "public_ip: not an IP address (invalid); …"
};

struct ImportReport {
  int instances = 0;  // rows written (0 when anything was rejected)
  int domains = 0;
  std::vector<RejectedRow> rejected;
};

class InventoryService {
 public:
  InventoryService(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // kValidationFailed (details), kConflict when the id/name exists.
  core::Result<store::InstanceRow> AddInstance(const InstanceInput& in);
  core::Result<store::DomainRow> AddDomain(const DomainInput& in);

  core::Result<store::InventoryPage<store::InstanceRow>> ListInstances(std::string_view account_id,
                                                                       int limit,
                                                                       std::string_view cursor);
  core::Result<store::InventoryPage<store::DomainRow>> ListDomains(std::string_view account_id,
                                                                   int limit,
                                                                   std::string_view cursor);

  core::Result<domain::InMemoryInventory> ViewFor(std::string_view account_id);

  // All or nothing: validates every row (duplicates within the file included), then writes
  // every row in one transaction (insert, or update the owner's existing row). When any row is
  // rejected nothing is written. `progress(done, total)` is called as rows are checked and
  // written. Rows already rejected while reading the file (`rejected_before`) count as
  // rejections too: they are reported with the rest and nothing is written. An error is
  // returned only for failures of the database itself.
  core::Result<ImportReport> Import(const std::vector<ImportRow>& rows,
                                    std::vector<RejectedRow> rejected_before = {},
                                    const std::function<void(size_t, size_t)>& progress = {});

 private:
  int64_t NowMs() const;

  store::Database& db_;
  const core::Clock& clock_;
};

}  // namespace beian::agent
