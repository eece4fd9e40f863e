// Handlers of the inventory routes (see inventory_routes.h).
#include "agent/inventory_routes.h"

#include <boost/json.hpp>
#include <charconv>

#include "core/roles.h"
#include "http/json.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

json::value OptionalText(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object InstanceJson(const store::InstanceRow& r) {
  return {{"id", r.id},
          {"product", r.product},
          {"region", r.region},
          {"mainland", r.mainland},
          {"public_ip", OptionalText(r.public_ip)},
          {"billing", r.billing},
          {"expires_at", OptionalText(r.expires_at)},
          {"service_codes_total", r.service_codes_total},
          {"service_codes_used", r.service_codes_used}};
}

json::object DomainJson(const store::DomainRow& r) {
  return {{"name", r.unicode_name},       {"ascii_name", r.name},
          {"holder_name", r.holder_name}, {"real_name_verified", r.real_name_verified},
          {"registrar", r.registrar},     {"expires_at", OptionalText(r.expires_at)}};
}

struct PageQuery {
  int limit = 100;
  std::string cursor;
};

Result<PageQuery> ReadPageQuery(const http::Request& req) {
  PageQuery q;
  if (auto limit = req.Query("limit")) {
    int v = 0;
    auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), v);
    if (ec != std::errc() || ptr != limit->data() + limit->size() || v < 1 || v > 1000) {
      return Error(ErrorCode::kValidationFailed, "limit must be an integer from 1 to 1000",
                   {{"limit", "invalid", "limit must be an integer from 1 to 1000"}});
    }
    q.limit = v;
  }
  if (auto cursor = req.Query("cursor")) q.cursor = std::string(*cursor);
  return q;
}

template <typename Row, typename ToJson>
http::Response PageResponse(const store::InventoryPage<Row>& page, ToJson to_json) {
  json::array items;
  items.reserve(page.items.size());
  for (const Row& r : page.items) items.push_back(to_json(r));
  auto response = http::JsonResponse(
      json::object{{"items", std::move(items)},
                   {"next_cursor", page.next_cursor.empty() ? json::value(nullptr)
                                                            : json::value(page.next_cursor)}});
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace

void RegisterInventoryRoutes(http::Router& router, InventoryService& service,
                             const std::string& prefix) {
  const http::RouteOptions applicant{.auth = http::Auth::kSession,
                                     .roles = {std::string(core::kRoleApplicant)}};
  const http::RouteOptions admin{.auth = http::Auth::kSession,
                                 .roles = {std::string(core::kRoleAdmin)}};

  router.Add(
      "GET", prefix + "/inventory/instances",
      [&service](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(PageQuery q, ReadPageQuery(req));
        BEIAN_ASSIGN_OR_RETURN(auto page,
                               service.ListInstances(req.principal->user_id, q.limit, q.cursor));
        return PageResponse(page, InstanceJson);
      },
      applicant);
  router.Add(
      "GET", prefix + "/inventory/domains",
      [&service](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(PageQuery q, ReadPageQuery(req));
        BEIAN_ASSIGN_OR_RETURN(auto page,
                               service.ListDomains(req.principal->user_id, q.limit, q.cursor));
        return PageResponse(page, DomainJson);
      },
      applicant);
  router.Add(
      "POST", prefix + "/admin/inventory/instances",
      [&service](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        core::JsonReader r(body);
        InstanceInput in;
        in.owner_email = r.RequiredString("owner_email");
        in.id = r.RequiredString("id");
        in.product = r.RequiredString("product");
        in.region = r.RequiredString("region");
        in.mainland = r.RequiredBool("mainland");
        in.public_ip = r.OptionalString("public_ip");
        in.billing = r.RequiredString("billing");
        in.expires_at = r.OptionalString("expires_at");
        in.service_codes_total = r.RequiredInt("service_codes_total");
        in.service_codes_used = r.OptionalInt("service_codes_used");
        BEIAN_TRY(r.Finish());
        BEIAN_ASSIGN_OR_RETURN(store::InstanceRow row, service.AddInstance(in));
        json::object out = InstanceJson(row);
        out["owner_email"] = in.owner_email;
        return http::JsonResponse(out, 201);
      },
      admin);
  router.Add(
      "POST", prefix + "/admin/inventory/domains",
      [&service](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        core::JsonReader r(body);
        DomainInput in;
        in.owner_email = r.RequiredString("owner_email");
        in.name = r.RequiredString("name");
        in.holder_name = r.RequiredString("holder_name");
        in.real_name_verified = r.RequiredBool("real_name_verified");
        in.registrar = r.OptionalString("registrar").value_or("");
        in.expires_at = r.OptionalString("expires_at");
        BEIAN_TRY(r.Finish());
        BEIAN_ASSIGN_OR_RETURN(store::DomainRow row, service.AddDomain(in));
        json::object out = DomainJson(row);
        out["owner_email"] = in.owner_email;
        return http::JsonResponse(out, 201);
      },
      admin);
}

}  // namespace beian::agent
