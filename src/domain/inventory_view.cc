// In-memory inventory; see inventory_view.h.
#include "domain/inventory_view.h"

#include <utility>

#include "domain/application_json.h"
#include "domain/registry_view.h"

namespace beian::domain {

namespace json = boost::json;

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

core::Status ReadDate(const StrictObjectReader& r, std::string_view key, std::optional<Date>& out) {
  std::string text;
  BEIAN_TRY(r.String(key, text));
  if (text.empty()) return core::Ok();
  out = ParseDate(text);
  if (!out) return JsonTypeError(r.PathOf(key), "a date (YYYY-MM-DD)");
  return core::Ok();
}

}  // namespace

core::Result<InMemoryInventory> InMemoryInventory::FromJson(const json::value& value) {
  if (!value.is_object()) return JsonTypeError("(inventory)", "a JSON object");
  InMemoryInventory inv;
  StrictObjectReader top(value.get_object(), "");
  BEIAN_TRY(top.Finish({"instances", "domains"}));

  BEIAN_ASSIGN_OR_RETURN(const json::array* instances, top.Array("instances"));
  for (std::size_t i = 0; instances != nullptr && i < instances->size(); ++i) {
    std::string path = "instances[" + std::to_string(i) + "]";
    const json::value& v = (*instances)[i];
    if (!v.is_object()) return JsonTypeError(path, "an object");
    StrictObjectReader r(v.get_object(), path);
    BEIAN_TRY(r.Finish({"id", "region", "mainland", "public_ip", "billing", "expires_at",
                        "service_codes_total", "service_codes_used"}));
    Instance in;
    BEIAN_TRY(r.String("id", in.id));
    BEIAN_TRY(r.RequireNonEmpty("id", in.id));
    BEIAN_TRY(r.String("region", in.region));
    BEIAN_TRY(r.Bool("mainland", in.mainland));
    BEIAN_TRY(r.Bool("public_ip", in.public_ip));
    BEIAN_TRY(r.String("billing", in.billing));
    BEIAN_TRY(ReadDate(r, "expires_at", in.expires_at));
    BEIAN_TRY(r.Int("service_codes_total", in.service_codes_total));
    BEIAN_TRY(r.Int("service_codes_used", in.service_codes_used));
    inv.AddInstance(std::move(in));
  }

  BEIAN_ASSIGN_OR_RETURN(const json::array* domains, top.Array("domains"));
  for (std::size_t i = 0; domains != nullptr && i < domains->size(); ++i) {
    std::string path = "domains[" + std::to_string(i) + "]";
    const json::value& v = (*domains)[i];
    if (!v.is_object()) return JsonTypeError(path, "an object");
    StrictObjectReader r(v.get_object(), path);
    BEIAN_TRY(r.Finish({"name", "holder_name", "real_name_verified", "expires_at"}));
    InventoryDomain d;
    BEIAN_TRY(r.String("name", d.name));
    BEIAN_TRY(r.RequireNonEmpty("name", d.name));
    BEIAN_TRY(r.String("holder_name", d.holder_name));
    BEIAN_TRY(r.Bool("real_name_verified", d.real_name_verified));
    BEIAN_TRY(ReadDate(r, "expires_at", d.expires_at));
    inv.AddDomain(std::move(d));
  }
  return inv;
}

}  // namespace beian::domain
