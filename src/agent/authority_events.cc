// AuthorityEventsService and its route (see authority_events.h).
#include "agent/authority_events.h"

#include <array>
#include <map>
#include <set>
#include <vector>

#include "agent/applications_codec.h"
#include "agent/review_view.h"
#include "core/embedded.h"
#include "core/log.h"
#include "core/request_signing.h"
#include "domain/authority_reasons.h"
#include "domain/catalogue_tsv.h"
#include "domain/registry_view.h"
#include "http/json.h"
#include "store/applications.h"
#include "store/handovers.h"
#include "store/inventory.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

constexpr std::string_view kSystemActor = "system";
constexpr size_t kMaxIdChars = 200;

std::string TextOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

Error Invalid(std::string field, std::string message) {
  return Error(ErrorCode::kValidationFailed, message, {{std::move(field), "invalid", message}});
}

Error NotInReview(const std::string& why) {
  return Error(ErrorCode::kInvalidTransition, why, {{"submission_id", "invalid_transition", why}});
}

std::vector<Reason> ReasonsOf(const json::object& event) {
  std::vector<Reason> out;
  const json::value* reasons = event.if_contains("reasons");
  if (!reasons || !reasons->is_array()) return out;
  for (const json::value& item : reasons->get_array()) {
    const json::object* o = item.if_object();
    if (!o) continue;
    out.push_back({TextOf(*o, "field"), TextOf(*o, "code"), TextOf(*o, "message")});
  }
  return out;
}

int64_t UnixMs(core::TimePoint t) { return ToMillis(t); }

}  // namespace

std::optional<std::pair<std::string, std::string>> AuthorityReasonLabel(std::string_view code) {
  using Labels = std::map<std::string, std::pair<std::string, std::string>, std::less<>>;
  // Built once from the two embedded catalogues; both are checked when `beian serve` starts, so
  // one that does not read here only leaves its codes unnamed (the notice shows the code).
  static const Labels labels = [] {
    Labels out;
    static constexpr std::array<std::string_view, 3> kHeader = {"code", "zh-CN", "en"};
    constexpr std::string_view kFile = "data/review/authority_reasons.tsv";
    if (auto text = core::EmbeddedFile(kFile)) {
      if (auto rows = domain::ReadCatalogueTsv(*text, kFile, kHeader)) {
        for (const domain::CatalogueRow& row : *rows) {
          out.emplace(std::string(row.cols[0]),
                      std::pair{std::string(row.cols[1]), std::string(row.cols[2])});
        }
      }
    }
    if (auto reviewer = domain::AuthorityReasons::BuiltIn()) {
      for (const domain::AuthorityReason& r : reviewer->entries()) {
        out.emplace(r.code, std::pair{r.zh_cn, r.en});
      }
    }
    return out;
  }();
  auto it = labels.find(code);
  if (it == labels.end()) return std::nullopt;
  return it->second;
}

AuthorityEventsService::AuthorityEventsService(store::Database& db, const core::Clock& clock,
                                               const core::PiiCipher& pii,
                                               TransitionContext context, AuthorityLink link)
    : db_(db), clock_(clock), pii_(pii), context_(context), link_(std::move(link)) {}

core::Status AuthorityEventsService::Verify(const http::Request& request) const {
  core::ReceivedSignature sig{std::string(request.Header(core::kProviderHeader)),
                              std::string(request.Header(core::kTimestampHeader)),
                              std::string(request.Header(core::kNonceHeader)),
                              std::string(request.Header(core::kSignatureHeader))};
  BEIAN_TRY(core::CheckSignatureShape(sig));
  if (link_.provider_id.empty() || sig.provider != link_.provider_id) {
    return Error(ErrorCode::kUnknownProvider,
                 link_.provider_id.empty()
                     ? "this agent is not connected to an authority"
                     : "\"" + sig.provider + "\" is not this agent's provider id");
  }
  BEIAN_TRY(core::CheckSignature(sig, link_.key, request.method, request.target, request.body));
  const int64_t now_ms = UnixMs(clock_.Now());
  BEIAN_TRY(core::CheckTimestamp(sig, now_ms / 1000));
  const int64_t expires_ms = (std::stoll(sig.timestamp) + core::kSignatureSkewSeconds + 1) * 1000;
  BEIAN_ASSIGN_OR_RETURN(bool fresh, db_.Write([&](store::Tx& tx) {
    return store::AuthorityNonceRepo(tx).Remember(sig.provider, sig.nonce, expires_ms);
  }));
  if (!fresh) return Error(ErrorCode::kReplayed, "this request's nonce was used before (a replay)");
  return core::Ok();
}

Result<int64_t> AuthorityEventsService::PurgeExpiredNonces() const {
  const int64_t now_ms = UnixMs(clock_.Now());
  return db_.Write(
      [&](store::Tx& tx) { return store::AuthorityNonceRepo(tx).PurgeExpired(now_ms); });
}

Result<json::object> AuthorityEventsService::Apply(const json::object& event,
                                                   const std::string& body_text) {
  const std::string event_id = TextOf(event, "event_id");
  const std::string type = TextOf(event, "type");
  const std::string submission_id = TextOf(event, "submission_id");
  if (event_id.empty() || event_id.size() > kMaxIdChars) {
    return Invalid("event_id", "event_id must be 1-200 characters");
  }
  if (type != "under_review" && type != "approved" && type != "rejected" && type != "expired") {
    return Invalid("type", "type must be under_review, approved, rejected or expired");
  }
  if (submission_id.empty() || submission_id.size() > kMaxIdChars) {
    return Invalid("submission_id", "submission_id must be 1-200 characters");
  }
  // The approval's content is checked before anything is written.
  std::string subject_sn;
  std::vector<std::pair<std::string, std::vector<std::string>>> websites;  // name → domains
  std::vector<std::string> website_sns;
  if (type == "approved") {
    const json::value* a = event.if_contains("approval");
    const json::object* approval = a ? a->if_object() : nullptr;
    if (!approval) return Invalid("approval", "an approved event carries its approval");
    subject_sn = TextOf(*approval, "subject_sn");
    if (subject_sn.empty()) return Invalid("approval.subject_sn", "the subject SN is missing");
    const json::value* ws = approval->if_contains("websites");
    if (ws && ws->is_array()) {
      for (const json::value& item : ws->get_array()) {
        const json::object* w = item.if_object();
        if (!w) continue;
        std::vector<std::string> domains;
        if (const json::value* d = w->if_contains("domains"); d && d->is_array()) {
          for (const json::value& name : d->get_array()) {
            if (name.is_string()) domains.emplace_back(name.get_string());
          }
        }
        websites.emplace_back(TextOf(*w, "name"), std::move(domains));
        website_sns.push_back(TextOf(*w, "website_sn"));
      }
    }
  }
  const std::vector<Reason> given_reasons = ReasonsOf(event);
  const int64_t now_ms = UnixMs(clock_.Now());
  return db_.Write([&](store::Tx& tx) -> Result<json::object> {
    store::HandoverRepo handovers(tx);
    BEIAN_ASSIGN_OR_RETURN(auto handover, handovers.Find(submission_id));
    if (!handover) return NotInReview("no submission \"" + submission_id + "\" of this provider");
    BEIAN_ASSIGN_OR_RETURN(bool fresh, store::AuthorityEventRepo(tx).Insert(
                                           {.event_id = event_id,
                                            .submission_id = submission_id,
                                            .application_id = handover->application_id,
                                            .type = type,
                                            .body = body_text,
                                            .received_at_ms = now_ms}));
    if (!fresh) return json::object{{"event_id", event_id}, {"applied", false}};
    BEIAN_ASSIGN_OR_RETURN(auto latest, handovers.Latest(handover->application_id));
    if (!latest || latest->submission_id != submission_id) {
      return NotInReview("submission " + submission_id + " is not the application's current one");
    }
    store::ApplicationRepo apps(tx);
    BEIAN_ASSIGN_OR_RETURN(auto record, apps.Find(handover->application_id));
    if (!record || record->state != "authority_review") {
      return NotInReview("the application is " + (record ? record->state : std::string("gone")) +
                         ", not authority_review");
    }
    if (type == "under_review") {
      BEIAN_TRY(handovers.SetAuthorityState(submission_id, "under_review", now_ms));
      return json::object{{"event_id", event_id}, {"applied", true}};
    }
    TransitionRequest request{.application_id = record->id,
                              .event = "",
                              .actor_id = std::string(kSystemActor),
                              .role = "system"};
    if (type == "approved") {
      BEIAN_ASSIGN_OR_RETURN(OpenedBody opened, OpenApplicationBody(*record, pii_));
      domain::Application app = std::move(opened.application);
      app.beian.subject_sn = subject_sn;
      std::string sn_lines;
      for (size_t i = 0; i < websites.size(); ++i) {
        const auto& [name, domains] = websites[i];
        const std::string& sn = website_sns[i];
        if (sn.empty()) continue;
        // By the website's name (the contract's key) and by each domain (the key the
        // provider's own registry view and the precheck read).
        if (!name.empty()) app.beian.website_sns[name] = sn;
        for (const std::string& d : domains) {
          const std::string key = domain::CanonicalDomainKey(d);
          app.beian.website_sns[key.empty() ? d : key] = sn;
        }
        if (!sn_lines.empty()) sn_lines += "\n";
        sn_lines +=
            (name.empty() ? (domains.empty() ? std::string() : domains.front()) : name) + ": " + sn;
      }
      std::set<std::string> instances;
      for (const domain::Website& w : app.websites) {
        if (!w.instance_id.empty()) instances.insert(w.instance_id);
      }
      app.id.clear();
      app.version = 0;
      app.state.clear();
      app.filing_type.clear();
      store::ApplicationRecord updated = *record;
      updated.body = SealApplicationBody(app, opened.icp_password, pii_);
      BEIAN_ASSIGN_OR_RETURN(bool saved, apps.UpdateBody(updated, record->version, now_ms));
      if (!saved) return Error(ErrorCode::kPreconditionFailed, "the application changed; retry");
      store::InventoryRepo inventory(tx);
      for (const std::string& instance : instances) {
        BEIAN_ASSIGN_OR_RETURN(bool used, inventory.UseServiceCode(record->owner_id, instance));
        if (!used) {
          core::Log(core::LogLevel::kWarn, "service_code_not_used",
                    {{"application_id", record->id},
                     {"instance_id", instance},
                     {"message", "the instance has no filing service code left (or is gone)"}});
        }
      }
      request.event = "authority_approve";
      request.notice_params = {{"subject_sn", subject_sn}, {"website_sns", sn_lines}};
    } else if (type == "rejected") {
      request.event = "authority_reject";
      request.reasons = given_reasons;
    } else {  // expired
      request.event = "sms_failed";
      // The authority's note, if any, stays the message; the code says what happened.
      request.reasons = {
          {"", "sms_not_verified", given_reasons.empty() ? "" : given_reasons.front().message}};
    }
    BEIAN_ASSIGN_OR_RETURN(TransitionOutcome t, TransitionApplication(tx, context_, request));
    if (type != "approved") BEIAN_TRY(RecordRejection(tx, *record, t.event, request.reasons));
    BEIAN_TRY(handovers.SetAuthorityState(submission_id, type, now_ms));
    return json::object{{"event_id", event_id}, {"applied", true}};
  });
}

void RegisterAuthorityEventRoutes(http::Router& router, AuthorityEventsService& service,
                                  const std::string& prefix) {
  router.Add("POST", prefix + "/authority/events",
             [&service](http::Request& req) -> Result<http::Response> {
               BEIAN_TRY(service.Verify(req));
               BEIAN_ASSIGN_OR_RETURN(json::object event, http::ParseJsonObject(req));
               BEIAN_ASSIGN_OR_RETURN(json::object answer, service.Apply(event, req.body));
               return http::JsonResponse(answer);
             },
             {.any_host = true, .csrf = false});
}

}  // namespace beian::agent
