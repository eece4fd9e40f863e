// Handlers of the review routes (see review_routes.h): parse, call one service function, render.
#include "agent/review_routes.h"

#include <charconv>

#include "agent/applications_codec.h"
#include "core/roles.h"
#include "core/time_text.h"
#include "http/json.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

Actor ActorOf(const http::Request& req) { return {req.principal->user_id, req.principal->role}; }

std::string Id(const http::Request& req) { return std::string(req.PathParam("id")); }

http::Response NoStore(http::Response r) {
  r.SetHeader("Cache-Control", "no-store");
  return r;
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

Result<bool> BoolQuery(const http::Request& req, std::string_view name) {
  auto raw = req.Query(name);
  if (!raw || raw->empty() || *raw == "false" || *raw == "0") return false;
  if (*raw == "true" || *raw == "1") return true;
  const std::string msg = std::string(name) + " is true or false";
  return Error(ErrorCode::kValidationFailed, msg, {{std::string(name), "invalid", msg}});
}

struct DecisionBody {
  std::string decision;
  std::vector<Reason> reasons;
};

// {decision, reasons: [{field, code, message?}]}; `decision` one of `accept_word` / "reject".
Result<DecisionBody> ParseDecision(const http::Request& req, std::string_view accept_word) {
  BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
  http::ObjectReader r(body);
  DecisionBody out;
  out.decision = r.RequiredString("decision");
  if (auto items = r.OptionalObjectArray("reasons")) {
    for (core::JsonReader* item : *items) {
      Reason reason;
      reason.field = item->RequiredString("field");
      reason.code = item->RequiredString("code");
      reason.message = item->OptionalString("message").value_or("");
      out.reasons.push_back(std::move(reason));
    }
  }
  BEIAN_TRY(r.Finish());
  if (out.decision != accept_word && out.decision != "reject") {
    const std::string msg = "decision is " + std::string(accept_word) + " or reject";
    return Error(ErrorCode::kValidationFailed, msg, {{"decision", "invalid", msg}});
  }
  return out;
}

}  // namespace

void RegisterReviewRoutes(http::Router& router, ReviewService& review,
                          ApplicationsService& applications, const std::string& prefix) {
  const http::RouteOptions reviewer{.auth = http::Auth::kSession,
                                    .roles = {std::string(core::kRoleReviewer)}};
  const http::RouteOptions applicant{.auth = http::Auth::kSession,
                                     .roles = {std::string(core::kRoleApplicant)}};
  const std::string base = prefix + "/review";

  router.Add(
      "GET", base + "/reasons",
      [&review](http::Request&) -> Result<http::Response> {
        return http::JsonResponse(review.reasons().ToJson());
      },
      reviewer);

  router.Add(
      "GET", base + "/queue",
      [&review](http::Request& req) -> Result<http::Response> {
        QueueQuery q;
        q.stage = std::string(req.Query("stage").value_or("preliminary"));
        q.province = std::string(req.Query("province").value_or(""));
        q.organizer_type = std::string(req.Query("organizer_type").value_or(""));
        BEIAN_ASSIGN_OR_RETURN(q.overdue_only, BoolQuery(req, "overdue"));
        BEIAN_ASSIGN_OR_RETURN(q.limit, LimitOf(req));
        q.cursor = std::string(req.Query("cursor").value_or(""));
        BEIAN_ASSIGN_OR_RETURN(json::object out, review.Queue(ActorOf(req), q));
        return NoStore(http::JsonResponse(out));
      },
      reviewer);

  router.Add(
      "POST", base + "/applications/{id}/claim",
      [&review](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(ClaimAnswer c, review.Claim(ActorOf(req), Id(req)));
        return NoStore(
            http::JsonResponse(json::object{{"application_id", c.application_id},
                                            {"reviewer_id", c.reviewer_id},
                                            {"expires_at", core::FormatRfc3339(c.expires_at_ms)}}));
      },
      reviewer);

  router.Add(
      "DELETE", base + "/applications/{id}/claim",
      [&review](http::Request& req) -> Result<http::Response> {
        BEIAN_TRY(review.Release(ActorOf(req), Id(req)));
        return http::Response::NoContent();
      },
      reviewer);

  router.Add(
      "GET", base + "/applications/{id}",
      [&review](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object out, review.Detail(ActorOf(req), Id(req)));
        return NoStore(http::JsonResponse(out));
      },
      reviewer);

  router.Add(
      "POST", base + "/applications/{id}/reveal",
      [&review](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object out, review.Reveal(ActorOf(req), Id(req)));
        return NoStore(http::JsonResponse(out));
      },
      reviewer);

  router.Add(
      "POST", base + "/applications/{id}/decision",
      [&review](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(DecisionBody d, ParseDecision(req, "approve"));
        BEIAN_ASSIGN_OR_RETURN(json::object out,
                               review.Decide(ActorOf(req), Id(req), ReviewStage::kPreliminary,
                                             d.decision == "approve", d.reasons));
        return NoStore(http::JsonResponse(out));
      },
      reviewer);

  router.Add(
      "POST", base + "/applications/{id}/photo-decision",
      [&review](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(DecisionBody d, ParseDecision(req, "accept"));
        BEIAN_ASSIGN_OR_RETURN(json::object out,
                               review.Decide(ActorOf(req), Id(req), ReviewStage::kPhoto,
                                             d.decision == "accept", d.reasons));
        return NoStore(http::JsonResponse(out));
      },
      reviewer);

  router.Add(
      "GET", base + "/backdrops",
      [&review](http::Request& req) -> Result<http::Response> {
        const std::string status(req.Query("status").value_or("requested"));
        if (status != "requested" && status != "shipped") {
          return Error(ErrorCode::kValidationFailed, "status is requested or shipped",
                       {{"status", "invalid", "status is requested or shipped"}});
        }
        BEIAN_ASSIGN_OR_RETURN(int limit, LimitOf(req));
        BEIAN_ASSIGN_OR_RETURN(json::object out,
                               review.Backdrops(status == "shipped", limit,
                                                std::string(req.Query("cursor").value_or(""))));
        return NoStore(http::JsonResponse(out));
      },
      reviewer);

  router.Add(
      "POST", base + "/backdrops/{application_id}/ship",
      [&review](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        http::ObjectReader r(body);
        std::string carrier = r.RequiredString("carrier");
        std::string tracking = r.RequiredString("tracking_number");
        BEIAN_TRY(r.Finish());
        BEIAN_ASSIGN_OR_RETURN(
            json::object out,
            review.Ship(ActorOf(req), std::string(req.PathParam("application_id")), carrier,
                        tracking));
        return NoStore(http::JsonResponse(out));
      },
      reviewer);

  const std::string apps = prefix + "/applications";
  router.Add(
      "POST", apps + "/{id}/backdrop",
      [&review, &applications](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        http::ObjectReader r(body);
        BackdropInput input;
        input.recipient = r.RequiredString("recipient");
        input.mobile = r.RequiredString("mobile");
        input.address = r.RequiredString("address");
        BEIAN_TRY(r.Finish());
        BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d,
                               review.RequestBackdrop(ActorOf(req), Id(req), input));
        auto out = http::JsonResponse(applications.View(d, /*masked=*/false));
        out.SetHeader("ETag", "\"" + std::to_string(d.record.version) + "\"");
        return NoStore(std::move(out));
      },
      applicant);

  router.Add(
      "POST", apps + "/{id}/photo",
      [&review, &applications](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        http::ObjectReader r(body);
        std::string document_id = r.RequiredString("document_id");
        BEIAN_TRY(r.Finish());
        BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d,
                               review.SubmitPhoto(ActorOf(req), Id(req), document_id));
        auto out = http::JsonResponse(applications.View(d, /*masked=*/false));
        out.SetHeader("ETag", "\"" + std::to_string(d.record.version) + "\"");
        return NoStore(std::move(out));
      },
      applicant);
}

}  // namespace beian::agent
