// Handlers of the application routes (see applications_routes.h): parse, call one service
// function, render.
#include "agent/applications_routes.h"

#include <charconv>

#include "agent/applications_codec.h"
#include "core/crypto.h"
#include "core/roles.h"
#include "core/time_text.h"
#include "domain/application_json.h"
#include "http/json.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

constexpr size_t kMaxIdempotencyKey = 200;

Actor ActorOf(const http::Request& req) { return {req.principal->user_id, req.principal->role}; }

std::string Id(const http::Request& req) { return std::string(req.PathParam("id")); }

// The Idempotency-Key header (printable ASCII, at most 200 characters) and a hash of the request
// it came with.
Result<Idempotency> IdempotencyOf(const http::Request& req) {
  Idempotency out;
  std::string_view key = req.Header("Idempotency-Key");
  if (key.empty()) return out;
  bool ok = key.size() <= kMaxIdempotencyKey;
  for (char c : key) ok = ok && c > 0x20 && c < 0x7f;
  if (!ok) {
    const std::string msg = "Idempotency-Key must be 1 to 200 printable ASCII characters";
    return Error(ErrorCode::kValidationFailed, msg, {{"Idempotency-Key", "invalid", msg}});
  }
  out.key = std::string(key);
  out.request_hash = core::HashToken(req.method + " " + req.path + "\n" + req.body);
  return out;
}

http::Response WithETag(http::Response r, int64_t version) {
  r.SetHeader("ETag", "\"" + std::to_string(version) + "\"");
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

http::Response Answer(const StoredAnswer& a) {
  http::Response r = http::Response::RawJson(a.body, a.status);
  r.SetHeader("Cache-Control", "no-store");
  // The version of the application in the answer, for a following If-Match.
  boost::system::error_code ec;
  json::value v = json::parse(a.body, ec);
  if (!ec && v.is_object()) {
    if (const json::value* ver = v.get_object().if_contains("version"); ver && ver->is_int64()) {
      r.SetHeader("ETag", "\"" + std::to_string(ver->get_int64()) + "\"");
    }
  }
  return r;
}

// If-Match: 3, "3" or W/"3".
Result<int64_t> ExpectedVersion(const http::Request& req) {
  std::string_view v = req.Header("If-Match");
  if (v.empty()) {
    return Error(ErrorCode::kPreconditionRequired,
                 "If-Match with the application's version is required",
                 {{"If-Match", "required", "If-Match with the application's version is required"}});
  }
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int64_t version = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (ec != std::errc() || ptr != v.data() + v.size() || version < 1) {
    return Error(ErrorCode::kPreconditionFailed,
                 "If-Match does not name a version of this "
                 "application");
  }
  return version;
}

Result<int> LimitOf(const http::Request& req) {
  auto raw = req.Query("limit");
  if (!raw) return 20;
  int limit = 0;
  auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), limit);
  if (ec != std::errc() || ptr != raw->data() + raw->size() || limit < 1 || limit > 100) {
    return Error(ErrorCode::kValidationFailed, "limit must be between 1 and 100",
                 {{"limit", "invalid", "limit must be between 1 and 100"}});
  }
  return limit;
}

}  // namespace

json::object EventJson(const store::ApplicationEvent& e) {
  json::array reasons = ReasonsToJson(ReasonsFromJson(e.reasons_json));
  return json::object{
      {"seq", e.seq},
      {"event", e.event},
      {"actor_id", e.actor_id},
      {"role", e.role},
      {"from", e.from_state.empty() ? json::value(nullptr) : json::value(e.from_state)},
      {"to", e.to_state},
      {"reasons", std::move(reasons)},
      {"sla", e.sla ? json::value(*e.sla) : json::value(nullptr)},
      {"sla_deadline", e.sla_deadline_ms ? json::value(core::FormatRfc3339(*e.sla_deadline_ms))
                                         : json::value(nullptr)},
      {"at", core::FormatRfc3339(e.created_at_ms)}};
}

void RegisterApplicationRoutes(http::Router& router, ApplicationsService& service,
                               const std::string& prefix,
                               std::function<core::Status(std::string_view user_id)> may_submit) {
  const http::RouteOptions applicant{.auth = http::Auth::kSession,
                                     .roles = {std::string(core::kRoleApplicant)}};
  const std::string base = prefix + "/applications";

  router.Add(
      "POST", base,
      [&service](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        BEIAN_ASSIGN_OR_RETURN(domain::Application app, domain::ApplicationFromJson(body));
        BEIAN_ASSIGN_OR_RETURN(Idempotency idem, IdempotencyOf(req));
        BEIAN_ASSIGN_OR_RETURN(StoredAnswer a, service.Create(ActorOf(req), app, idem));
        return Answer(a);
      },
      applicant);

  router.Add(
      "GET", base,
      [&service](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(int limit, LimitOf(req));
        const std::string state(req.Query("state").value_or(""));
        const std::string cursor(req.Query("cursor").value_or(""));
        BEIAN_ASSIGN_OR_RETURN(ApplicationList list,
                               service.List(ActorOf(req), state, limit, cursor));
        json::array items;
        for (const ApplicationDetail& d : list.items) {
          items.push_back(service.View(d, /*masked=*/true));
        }
        auto r = http::JsonResponse(json::object{
            {"items", std::move(items)},
            {"next_cursor",
             list.next_cursor.empty() ? json::value(nullptr) : json::value(list.next_cursor)}});
        r.SetHeader("Cache-Control", "no-store");
        return r;
      },
      applicant);

  router.Add(
      "GET", base + "/{id}",
      [&service](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d, service.Get(ActorOf(req), Id(req)));
        return WithETag(http::JsonResponse(service.View(d, /*masked=*/false)), d.record.version);
      },
      applicant);

  router.Add(
      "PATCH", base + "/{id}",
      [&service](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(int64_t version, ExpectedVersion(req));
        BEIAN_ASSIGN_OR_RETURN(json::object patch, http::ParseJsonObject(req));
        BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d,
                               service.Update(ActorOf(req), Id(req), patch, version));
        return WithETag(http::JsonResponse(service.View(d, /*masked=*/false)), d.record.version);
      },
      applicant);

  router.Add(
      "POST", base + "/{id}/precheck",
      [&service](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(PrecheckAnswer a, service.Precheck(ActorOf(req), Id(req)));
        auto r = http::JsonResponse(service.PrecheckJson(a));
        r.SetHeader("Cache-Control", "no-store");
        return r;
      },
      applicant);

  router.Add(
      "POST", base + "/{id}/submit",
      [&service, may_submit](http::Request& req) -> Result<http::Response> {
        if (may_submit) BEIAN_TRY(may_submit(req.principal->user_id));
        SubmitRequest submit;
        if (!req.body.empty()) {
          BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
          http::ObjectReader r(body);
          submit.beian_sn = r.OptionalString("beian_sn").value_or("");
          submit.icp_password = r.OptionalString("icp_password").value_or("");
          BEIAN_TRY(r.Finish());
        }
        BEIAN_ASSIGN_OR_RETURN(Idempotency idem, IdempotencyOf(req));
        BEIAN_ASSIGN_OR_RETURN(StoredAnswer a, service.Submit(ActorOf(req), Id(req), submit, idem));
        return Answer(a);
      },
      applicant);

  router.Add(
      "POST", base + "/{id}/withdraw",
      [&service](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d, service.Withdraw(ActorOf(req), Id(req)));
        return WithETag(http::JsonResponse(service.View(d, /*masked=*/false)), d.record.version);
      },
      applicant);

  router.Add(
      "GET", base + "/{id}/events",
      [&service](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(auto events, service.Events(ActorOf(req), Id(req)));
        json::array items;
        for (const store::ApplicationEvent& e : events) items.push_back(EventJson(e));
        auto r = http::JsonResponse(json::object{{"items", std::move(items)}});
        r.SetHeader("Cache-Control", "no-store");
        return r;
      },
      applicant);
}

}  // namespace beian::agent
