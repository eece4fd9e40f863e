// Handlers of the registry routes (see registry_routes.h).
#include "authority/registry_routes.h"

#include <charconv>

#include "http/json.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

// The agent calls these at the authority's listen address, whatever names --public-url gives.
const http::RouteOptions kSignedRoute{.any_host = true};

// Lookups name at most this many domains (an application holds at most a few dozen).
constexpr size_t kMaxLookupDomains = 100;

Error Invalid(std::string field, std::string message) {
  return Error(ErrorCode::kValidationFailed, message, {{std::move(field), "invalid", message}});
}

Result<int64_t> IntQuery(const http::Request& req, std::string_view name, int64_t fallback,
                         int64_t min, int64_t max) {
  auto text = req.Query(name);
  if (!text) return fallback;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size() || v < min || v > max) {
    return Invalid(std::string(name), std::string(name) + " must be an integer from " +
                                          std::to_string(min) + " to " + std::to_string(max));
  }
  return v;
}

std::string Text(const http::Request& req, std::string_view name) {
  auto v = req.Query(name);
  return v ? std::string(*v) : std::string();
}

}  // namespace

void RegisterRegistryRoutes(http::Router& router, const RegistryService& registry,
                            const SignatureVerifier& verifier) {
  router.Add(
      "GET", "/authority/v1/registry/lookup",
      Signed(verifier,
             [&registry](http::Request& req,
                         const store::Provider& provider) -> Result<http::Response> {
               std::vector<std::string> domains;
               for (const auto& [name, value] : req.query) {
                 if (name == "domain" && !value.empty()) domains.push_back(value);
               }
               if (domains.size() > kMaxLookupDomains) {
                 return Invalid("domain", "at most 100 domains per look-up");
               }
               const std::string number = Text(req, "certificate_number");
               if (number.empty() && domains.empty()) {
                 return Invalid("certificate_number", "give a certificate_number or a domain");
               }
               BEIAN_ASSIGN_OR_RETURN(
                   json::object answer,
                   registry.Lookup(provider, Text(req, "certificate_type"), number, domains));
               return http::JsonResponse(answer);
             }),
      kSignedRoute);
  router.Add(
      "GET", "/authority/v1/registry/changes",
      Signed(verifier,
             [&registry](http::Request& req, const store::Provider&) -> Result<http::Response> {
               BEIAN_ASSIGN_OR_RETURN(int64_t since, IntQuery(req, "since", 0, 0, INT64_MAX));
               BEIAN_ASSIGN_OR_RETURN(int64_t limit, IntQuery(req, "limit", 500, 1, 10000));
               BEIAN_ASSIGN_OR_RETURN(json::object answer,
                                      registry.Changes(since, static_cast<int>(limit)));
               return http::JsonResponse(answer);
             }),
      kSignedRoute);
  router.Add(
      "POST", "/authority/v1/registry/verify-credentials",
      Signed(verifier,
             [&registry](http::Request& req, const store::Provider&) -> Result<http::Response> {
               BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
               core::JsonReader r(body);
               const std::string type = r.OptionalString("certificate_type").value_or("");
               const std::string number = r.RequiredNonEmptyString("certificate_number");
               const std::string sn = r.RequiredNonEmptyString("beian_sn");
               const std::string password = r.RequiredNonEmptyString("icp_password");
               BEIAN_TRY(r.Finish());
               BEIAN_ASSIGN_OR_RETURN(bool valid,
                                      registry.VerifyCredentials(type, number, sn, password));
               return http::JsonResponse(json::object{{"valid", valid}});
             }),
      kSignedRoute);
  router.Add("GET", "/authority/v1/public/query",
             [&registry](http::Request& req) -> Result<http::Response> {
               RegistryService::PublicQuery q;
               q.domain = Text(req, "domain");
               q.sn = Text(req, "sn");
               q.organizer = Text(req, "organizer");
               const std::string match = Text(req, "match");
               if (!match.empty() && match != "exact" && match != "prefix") {
                 return Invalid("match", "match is exact or prefix");
               }
               q.prefix = match == "prefix";
               BEIAN_ASSIGN_OR_RETURN(int64_t limit, IntQuery(req, "limit", 20, 1, 100));
               q.limit = static_cast<int>(limit);
               q.cursor = Text(req, "cursor");
               BEIAN_ASSIGN_OR_RETURN(json::object answer, registry.Query(q));
               return http::JsonResponse(answer);
             });
}

}  // namespace beian::authority
