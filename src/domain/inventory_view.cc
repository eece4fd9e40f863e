// In-memory inventory; see inventory_view.h.
#include "domain/inventory_view.h"

#include <utility>

#include "core/json_reader.h"
#include "domain/registry_view.h"
#include "domain/validators_util.h"

namespace beian::domain {

namespace json = boost::json;
using Readers = std::vector<core::JsonReader*>;

void InMemoryInventory::AddInstance(Instance instance) {
  std::string key = instance.id;
  instances_[key] = std::move(instance);
}

void InMemoryInventory::AddDomain(InventoryDomain domain) {
  domains_[CanonicalDomainKey(domain.name)] = std::move(domain);
}

std::optional<Instance> InMemoryInventory::FindInstance(std::string_view id) const {
  auto it = instances_.find(id);
  if (it == instances_.end()) return std::nullopt;
  return it->second;
}

std::optional<InventoryDomain> InMemoryInventory::FindDomain(std::string_view domain) const {
  auto it = domains_.find(CanonicalDomainKey(domain));
  if (it == domains_.end()) return std::nullopt;
  return it->second;
}

namespace {

// An optional date member ("YYYY-MM-DD", or "长期": long-term, RULES.md decision 8); anything
// else is wrong_type.
std::optional<Date> ReadDate(core::JsonReader& r, std::string_view key, bool& long_term) {
  std::string text = r.OptionalString(key).value_or("");
  if (text.empty()) return std::nullopt;
  if (text::NormalizeText(text) == "长期") {
    long_term = true;
    return std::nullopt;
  }
  std::optional<Date> date = ParseDate(text);
  if (!date) r.AddProblem(key, "wrong_type", "must be a date (YYYY-MM-DD) or \"长期\"");
  return date;
}

}  // namespace

core::Result<InMemoryInventory> InMemoryInventory::FromJson(const json::value& value) {
  if (!value.is_object()) {
    return core::Error(core::ErrorCode::kValidationFailed, "the inventory must be a JSON object",
                       {core::ErrorDetail{"", "wrong_type", "must be a JSON object"}});
  }
  InMemoryInventory inv;
  core::JsonReader top(value.get_object());
  for (core::JsonReader* r : top.OptionalObjectArray("instances").value_or(Readers{})) {
    Instance in;
    in.id = r->RequiredNonEmptyString("id");
    in.region = r->OptionalString("region").value_or("");
    in.mainland = r->OptionalBool("mainland").value_or(in.mainland);
    in.public_ip = r->OptionalBool("public_ip").value_or(in.public_ip);
    in.billing = r->OptionalString("billing").value_or("");
    in.expires_at = ReadDate(*r, "expires_at", in.long_term);
    in.service_codes_total =
        static_cast<int>(r->OptionalInt("service_codes_total", INT32_MIN, INT32_MAX).value_or(0));
    in.service_codes_used =
        static_cast<int>(r->OptionalInt("service_codes_used", INT32_MIN, INT32_MAX).value_or(0));
    inv.AddInstance(std::move(in));
  }
  for (core::JsonReader* r : top.OptionalObjectArray("domains").value_or(Readers{})) {
    InventoryDomain d;
    d.name = r->RequiredNonEmptyString("name");
    d.holder_name = r->OptionalString("holder_name").value_or("");
    d.real_name_verified = r->OptionalBool("real_name_verified").value_or(d.real_name_verified);
    d.expires_at = ReadDate(*r, "expires_at", d.long_term);
    inv.AddDomain(std::move(d));
  }
  BEIAN_TRY(top.Finish());
  return inv;
}

}  // namespace beian::domain
