// This provider's inventory as the eligibility checks need it: the applicant's server instances
// and the domains the provider registered for them (with their real-name status). The agent
// service implements InventoryView over its database; InMemoryInventory serves the CLI and
// tests. Domain keys are canonical (CanonicalDomainKey). Implementations must be safe for
// concurrent readers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "core/result.h"
#include "domain/calendar.h"

namespace beian::domain {

struct Instance {
  std::string id;
  std::string region;
  bool mainland = false;
  bool public_ip = false;
  std::string billing;  // "subscription" | "pay_as_you_go"
  std::optional<Date> expires_at;
  int service_codes_total = 0;
  int service_codes_used = 0;
  bool long_term = false;  // expires_at given as "长期": never expires (RULES.md decision 8)
};

struct InventoryDomain {
  std::string name;
  std::string holder_name;
  bool real_name_verified = false;
  std::optional<Date> expires_at;
  bool long_term = false;  // expires_at given as "长期": never expires (RULES.md decision 8)
};

class InventoryView {
 public:
  virtual ~InventoryView() = default;
  virtual std::optional<Instance> FindInstance(std::string_view id) const = 0;
  // By registrable domain (any form CanonicalDomainKey accepts).
  virtual std::optional<InventoryDomain> FindDomain(std::string_view domain) const = 0;
};

class InMemoryInventory final : public InventoryView {
 public:
  void AddInstance(Instance instance);
  void AddDomain(InventoryDomain domain);

  // The INVENTORY.json of `beian precheck`: {"instances":[{id, region, mainland, public_ip,
  // billing, expires_at, service_codes_total, service_codes_used}], "domains":[{name,
  // holder_name, real_name_verified, expires_at}]}; dates as YYYY-MM-DD (or RFC 3339), or "长期"
  // (long-term: never expires). Unknown
  // members, wrong types and invalid dates are errors naming their path.
  static core::Result<InMemoryInventory> FromJson(const boost::json::value& json);

  std::optional<Instance> FindInstance(std::string_view id) const override;
  std::optional<InventoryDomain> FindDomain(std::string_view domain) const override;

 private:
  std::map<std::string, Instance, std::less<>> instances_;
  std::map<std::string, InventoryDomain, std::less<>> domains_;
};

}  // namespace beian::domain
