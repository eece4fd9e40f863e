// AuthorityReviewService and the review routes (see review_service.h).
#include "authority/review_service.h"

#include <charconv>

#include "authority/sms_verification.h"
#include "authority/submission_intake.h"
#include "core/json_reader.h"
#include "core/roles.h"
#include "domain/application_json.h"
#include "http/json.h"
#include "http/router.h"
#include "notify/transport.h"
#include "store/notifications.h"
#include "store/submissions.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

constexpr size_t kMaxReasonField = 200;
constexpr size_t kMaxReasonMessage = 1000;

Error NotFound() { return Error(ErrorCode::kNotFound, "submission not found"); }

// The submission's organizer and websites (the sealed payload), values in clear.
Result<domain::Application> OpenApplication(const core::PiiCipher& pii,
                                            const store::SubmissionRecord& s,
                                            json::object* payload_out) {
  BEIAN_ASSIGN_OR_RETURN(std::string text, pii.Open(s.payload_sealed, kPayloadColumn));
  BEIAN_ASSIGN_OR_RETURN(json::object payload, core::ParseJsonObjectText(text));
  json::object app_json{{"organizer", payload["organizer"]}, {"websites", payload["websites"]}};
  BEIAN_ASSIGN_OR_RETURN(domain::Application app, domain::ApplicationFromJson(app_json));
  if (payload_out) *payload_out = std::move(payload);
  return app;
}

void MaskPerson(json::value* v) {
  if (v == nullptr || !v->is_object()) return;
  json::object& o = v->get_object();
  for (const char* key : {"id_number"}) {
    if (auto* m = o.if_contains(key); m && m->is_string()) {
      *m = json::string(core::MaskIdentityNumber(std::string_view(m->get_string())));
    }
  }
  if (auto* m = o.if_contains("mobile"); m && m->is_string()) {
    *m = json::string(core::MaskMobile(std::string_view(m->get_string())));
  }
}

// The organizer / websites JSON as the reviewer sees it: identity numbers and mobiles masked
// (an individual's certificate is an identity document: masked too).
void MaskForReviewer(json::object& payload) {
  if (auto* org = payload.if_contains("organizer"); org && org->is_object()) {
    json::object& o = org->get_object();
    MaskPerson(o.if_contains("person_in_charge"));
    MaskPerson(o.if_contains("legal_representative"));
    const json::value* type = o.if_contains("type");
    if (type && type->is_string() && type->get_string() == "individual") {
      if (auto* cert = o.if_contains("certificate"); cert && cert->is_object()) {
        if (auto* n = cert->get_object().if_contains("number"); n && n->is_string()) {
          *n = json::string(core::MaskIdentityNumber(std::string_view(n->get_string())));
        }
      }
    }
  }
  if (auto* ws = payload.if_contains("websites"); ws && ws->is_array()) {
    for (json::value& w : ws->get_array()) {
      if (w.is_object()) MaskPerson(w.get_object().if_contains("person_in_charge"));
    }
  }
}

json::value OptTime(const std::optional<int64_t>& ms) {
  return ms ? json::value(FormatRfc3339(*ms)) : json::value(nullptr);
}

json::value OptText(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

domain::RegistryPerson ToRegistryPerson(const domain::Person& p) {
  return {.name = p.name,
          .id_type = p.id_type,
          .id_number = p.id_number,
          .mobile = p.mobile,
          .email = p.email};
}

http::Response NoStore(http::Response r) {
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

std::string NewIcpPassword() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  std::string out;
  while (out.size() < 16) {
    for (unsigned char b : core::RandomBytes(32)) {
      // Rejection sampling keeps every character equally likely.
      if (b >= 256 - 256 % kAlphabet.size()) continue;
      out.push_back(kAlphabet[b % kAlphabet.size()]);
      if (out.size() == 16) break;
    }
  }
  return out;
}

json::object AuthorityReviewService::QueueItem(const store::SubmissionRecord& s,
                                               int64_t now_ms) const {
  json::value domains = json::array();
  {
    boost::system::error_code ec;
    json::value parsed = json::parse(s.domains_json, ec);
    if (!ec && parsed.is_array()) domains = std::move(parsed);
  }
  const int64_t since = s.review_started_at_ms.value_or(s.received_at_ms);
  const int64_t until = s.decided_at_ms.value_or(now_ms);
  const int waiting = calendar_.BusinessDaysBetween(
      domain::ChinaDate(core::TimePoint(std::chrono::milliseconds(since))),
      domain::ChinaDate(core::TimePoint(std::chrono::milliseconds(until))));
  const bool live_claim = s.claimed_by && s.claim_until_ms && *s.claim_until_ms > now_ms;
  const bool overdue = s.state == store::kSubmissionUnderReview && s.review_deadline_ms &&
                       *s.review_deadline_ms < now_ms;
  return {{"id", s.id},
          {"provider_id", s.provider_id},
          {"provider_name", s.provider_name},
          {"application_id", s.application_id},
          {"filing_type", s.filing_type},
          {"province", s.province},
          {"organizer_type", s.organizer_type},
          {"organizer_name", s.organizer_name},
          {"domains", std::move(domains)},
          {"state", s.state},
          {"received_at", FormatRfc3339(s.received_at_ms)},
          {"sms_deadline", FormatRfc3339(s.sms_deadline_ms)},
          {"review_started_at", OptTime(s.review_started_at_ms)},
          {"business_days_waiting", waiting},
          {"deadline", OptTime(s.review_deadline_ms)},
          {"overdue", overdue},
          {"claimed_by", live_claim ? json::value(*s.claimed_by) : json::value(nullptr)},
          {"claimed_by_name", live_claim ? json::value(s.claimed_by_name) : json::value(nullptr)},
          {"claim_until", live_claim ? OptTime(s.claim_until_ms) : json::value(nullptr)},
          {"decided_at", OptTime(s.decided_at_ms)}};
}

Result<json::object> AuthorityReviewService::Queue(const ReviewQueueQuery& q) const {
  store::SubmissionQueueFilter f;
  if (q.state == "under_review" || q.state == "sms_verification") {
    f.states = {q.state};
  } else if (q.state == "decided") {
    f.states = {"approved", "rejected", "expired"};
  } else {
    const std::string msg = "state is under_review, sms_verification or decided";
    return Error(ErrorCode::kValidationFailed, msg, {{"state", "invalid", msg}});
  }
  const int64_t now_ms = ToMillis(clock_.Now());
  f.province = q.province;
  f.overdue_only = q.overdue_only;
  f.now_ms = now_ms;
  BEIAN_ASSIGN_OR_RETURN(store::SubmissionPage page, db_.Read([&](store::Tx& tx) {
    return store::SubmissionRepo(tx).List(f, q.limit, q.cursor);
  }));
  json::array items;
  for (const store::SubmissionRecord& s : page.items) items.push_back(QueueItem(s, now_ms));
  return json::object{{"items", std::move(items)},
                      {"next_cursor", page.next_cursor.empty() ? json::value(nullptr)
                                                               : json::value(page.next_cursor)}};
}

Result<json::object> AuthorityReviewService::Detail(const std::string& id) const {
  struct Loaded {
    store::SubmissionRecord s;
    std::vector<store::SubmissionDocument> documents;
    std::vector<store::SubmissionEvent> events;
    std::vector<store::SmsCodeRow> sms;
  };
  BEIAN_ASSIGN_OR_RETURN(Loaded l, db_.Read([&](store::Tx& tx) -> Result<Loaded> {
    store::SubmissionRepo repo(tx);
    BEIAN_ASSIGN_OR_RETURN(auto s, repo.Find(id));
    if (!s) return NotFound();
    Loaded out{std::move(*s), {}, {}, {}};
    BEIAN_ASSIGN_OR_RETURN(out.documents, repo.Documents(id));
    BEIAN_ASSIGN_OR_RETURN(out.events, repo.Events(id));
    BEIAN_ASSIGN_OR_RETURN(out.sms, repo.SmsCodes(id));
    return out;
  }));
  const int64_t now_ms = ToMillis(clock_.Now());
  json::object out = QueueItem(l.s, now_ms);
  BEIAN_ASSIGN_OR_RETURN(std::string text, pii_.Open(l.s.payload_sealed, kPayloadColumn));
  BEIAN_ASSIGN_OR_RETURN(json::object payload, core::ParseJsonObjectText(text));
  MaskForReviewer(payload);
  out["beian_sn"] = OptText(l.s.beian_sn);
  out["organizer"] = payload["organizer"];
  out["websites"] = payload["websites"];
  out["sms_persons"] = payload["sms_persons"];
  json::array documents;
  for (const auto& d : l.documents) {
    documents.push_back(json::object{{"id", d.doc_id},
                                     {"kind", d.kind},
                                     {"subject", d.subject},
                                     {"filename", d.filename},
                                     {"content_type", d.content_type},
                                     {"size", d.size},
                                     {"sha256", d.sha256}});
  }
  out["documents"] = std::move(documents);
  json::array sms;
  for (const auto& c : l.sms) {
    auto mobile = pii_.Open(c.mobile_sealed, kSmsMobileColumn);
    sms.push_back(json::object{{"person", c.person},
                               {"mobile", mobile ? core::MaskMobile(*mobile) : std::string()},
                               {"verified", c.verified_at_ms.has_value()},
                               {"attempts_wrong", c.attempts_wrong},
                               {"resends", c.resends}});
  }
  out["sms"] = std::move(sms);
  json::array events;
  for (const auto& e : l.events) {
    boost::system::error_code ec;
    json::value reasons = json::parse(e.reasons_json, ec);
    events.push_back(json::object{{"seq", e.seq},
                                  {"event", e.event},
                                  {"from_state", e.from_state},
                                  {"to_state", e.to_state},
                                  {"actor", e.actor},
                                  {"reasons", ec ? json::value(json::array()) : reasons},
                                  {"at", FormatRfc3339(e.at_ms)}});
  }
  out["events"] = std::move(events);
  out["subject_sn"] = OptText(l.s.subject_sn);
  json::object website_sns;
  if (l.s.approval_json) {
    boost::system::error_code ec;
    json::value approval = json::parse(*l.s.approval_json, ec);
    if (!ec && approval.is_object()) {
      if (auto* ws = approval.get_object().if_contains("websites"); ws && ws->is_array()) {
        for (const json::value& w : ws->get_array()) {
          if (!w.is_object()) continue;
          const json::value* name = w.get_object().if_contains("name");
          const json::value* sn = w.get_object().if_contains("website_sn");
          if (name && name->is_string() && sn && sn->is_string()) {
            website_sns[name->get_string()] = sn->get_string();
          }
        }
      }
      out["approval"] = std::move(approval);
    }
  }
  out["website_sns"] = std::move(website_sns);
  return out;
}

Result<DocumentDownload> AuthorityReviewService::Document(const std::string& id,
                                                          const std::string& doc_id) const {
  BEIAN_ASSIGN_OR_RETURN(auto doc, db_.Read([&](store::Tx& tx) {
    return store::SubmissionRepo(tx).FindDocument(id, doc_id);
  }));
  if (!doc) return Error(ErrorCode::kNotFound, "document not found");
  BEIAN_ASSIGN_OR_RETURN(std::string content, blobs_.Read(doc->blob_key));
  return DocumentDownload{doc->filename, doc->content_type, std::move(content)};
}

Result<json::object> AuthorityReviewService::Claim(const std::string& id,
                                                   const http::Principal& reviewer) const {
  const int64_t now_ms = ToMillis(clock_.Now());
  const int64_t until = now_ms + kAuthorityClaimMs;
  return db_.Write([&](store::Tx& tx) -> Result<json::object> {
    store::SubmissionRepo repo(tx);
    BEIAN_ASSIGN_OR_RETURN(bool taken, repo.Claim(id, reviewer.user_id, now_ms, until));
    BEIAN_ASSIGN_OR_RETURN(auto s, repo.Find(id));
    if (!s) return NotFound();
    if (!taken) {
      if (s->state != store::kSubmissionUnderReview) {
        return Error(ErrorCode::kInvalidTransition,
                     "only a submission under review can be claimed (it is " + s->state + ")",
                     {{"state", "invalid_transition", s->state}});
      }
      return Error(ErrorCode::kClaimedByOther, "another reviewer is working on this submission",
                   {{"claim.reviewer_id", "claimed_by_other", s->claimed_by.value_or("")},
                    {"claim.reviewer_name", "claimed_by_other", s->claimed_by_name},
                    {"claim.expires_at", "claimed_by_other",
                     s->claim_until_ms ? FormatRfc3339(*s->claim_until_ms) : ""}});
    }
    return json::object{{"claimed_by", reviewer.user_id}, {"claim_until", FormatRfc3339(until)}};
  });
}

core::Status AuthorityReviewService::CheckReasons(bool rejecting,
                                                  const std::vector<Reason>& reasons) const {
  std::vector<core::ErrorDetail> invalid;
  std::vector<core::ErrorDetail> unknown;
  if (rejecting && reasons.empty()) {
    invalid.push_back({"reasons", "required", "a rejection needs at least one reason"});
  }
  for (size_t i = 0; i < reasons.size(); ++i) {
    const Reason& r = reasons[i];
    const std::string at = "reasons[" + std::to_string(i) + "]";
    if (r.field.size() > kMaxReasonField) {
      invalid.push_back({at + ".field", "too_long", "a field is at most 200 bytes"});
    }
    if (r.message.size() > kMaxReasonMessage) {
      invalid.push_back({at + ".message", "too_long", "a note is at most 1000 bytes"});
    }
    const domain::AuthorityReason* e = reasons_.Find(r.code);
    if (e == nullptr) {
      unknown.push_back({at + ".code", "unknown_reason", "not in the authority's catalogue"});
    } else if (e->note_required && r.message.empty()) {
      invalid.push_back({at + ".message", "note_required", "this reason needs a note"});
    }
  }
  if (!unknown.empty()) {
    return Error(ErrorCode::kUnknownReason, "a reason code is not in the catalogue",
                 std::move(unknown));
  }
  if (!invalid.empty()) {
    // The message first: the argument that moves `invalid` may be evaluated before it.
    std::string message = invalid.front().field + ": " + invalid.front().message;
    return Error(ErrorCode::kValidationFailed, std::move(message), std::move(invalid));
  }
  return core::Ok();
}

Result<json::object> AuthorityReviewService::Decide(const std::string& id,
                                                    const http::Principal& reviewer,
                                                    const std::string& decision,
                                                    const std::vector<Reason>& reasons) const {
  const bool approve = decision == "approve";
  if (!approve && decision != "reject") {
    const std::string msg = "decision is approve or reject";
    return Error(ErrorCode::kValidationFailed, msg, {{"decision", "invalid", msg}});
  }
  BEIAN_TRY(CheckReasons(!approve, reasons));
  // The password is drawn and hashed outside the transaction (the body may run again; Argon2id
  // is slow); it is used only when the approval creates the subject.
  std::string password;
  std::string password_hash;
  if (approve) {
    password = NewIcpPassword();
    BEIAN_ASSIGN_OR_RETURN(password_hash, core::HashPassword(password, password_cost_));
  }
  const int64_t now_ms = ToMillis(clock_.Now());
  const SubmissionTransitionContext ctx = Context();
  auto done = db_.Write(
      [&](store::Tx& tx) -> core::Status {
        store::SubmissionRepo repo(tx);
        BEIAN_ASSIGN_OR_RETURN(auto s, repo.Find(id));
        if (!s) return NotFound();
        if (s->state != store::kSubmissionUnderReview) {
          return Error(ErrorCode::kInvalidTransition,
                       "the submission is " + s->state + ", not under review",
                       {{"state", "invalid_transition", s->state}});
        }
        const bool mine =
            s->claimed_by == reviewer.user_id && s->claim_until_ms && *s->claim_until_ms > now_ms;
        if (!mine) {
          return Error(ErrorCode::kClaimRequired,
                       "claim the submission before deciding (your claim may have expired)");
        }
        // Re-taking the claim locks the row: a concurrent decision waits here and then finds
        // the submission decided.
        BEIAN_ASSIGN_OR_RETURN(bool locked,
                               repo.Claim(id, reviewer.user_id, now_ms, *s->claim_until_ms));
        if (!locked) {
          return Error(ErrorCode::kInvalidTransition, "the submission was decided meanwhile");
        }
        json::object payload;
        BEIAN_ASSIGN_OR_RETURN(domain::Application app, OpenApplication(pii_, *s, &payload));
        const domain::Person& person = app.organizer.person_in_charge;
        store::NotificationRepo notes(tx);
        auto enqueue = [&](std::string channel, std::string address, std::string template_id,
                           json::object params) -> core::Status {
          if (address.empty()) return core::Ok();
          store::NewNotification n;
          n.dedupe_key = "submission:" + s->id + ":" + template_id + ":" + channel;
          n.channel = std::move(channel);
          n.address = std::move(address);
          n.template_id = std::move(template_id);
          n.params_json = json::serialize(params);
          n.created_at_ms = now_ms;
          BEIAN_TRY(notes.Enqueue(n));
          return core::Ok();
        };
        if (!approve) {
          BEIAN_TRY(TransitionSubmission(tx, ctx,
                                         {.submission_id = id,
                                          .event = "reject",
                                          .actor = reviewer.user_id,
                                          .role = std::string(core::kRoleAuthorityReviewer),
                                          .reasons = reasons}));
          // One line per reason, in Chinese (the subject's messages go out in zh-CN).
          std::string texts;
          for (const Reason& r : reasons) {
            const domain::AuthorityReason* e = reasons_.Find(r.code);
            texts += "· " + (e ? e->zh_cn : r.code);
            if (!r.message.empty()) texts += "：" + r.message;
            texts += "\n";
          }
          return enqueue("email", person.email, "authority_rejected",
                         {{"organizer_name", s->organizer_name}, {"reasons", texts}});
        }
        FilingInput filing;
        filing.province = s->province;
        filing.certificate_type = app.organizer.certificate.type;
        filing.certificate_number = app.organizer.certificate.number;
        filing.organizer_type = app.organizer.type;
        filing.organizer_name = app.organizer.name;
        if (!person.Empty()) filing.person_in_charge = ToRegistryPerson(person);
        for (const domain::Website& w : app.websites) {
          FilingWebsite fw{.name = w.name, .domains = w.domains, .person_in_charge = std::nullopt};
          const domain::Person& wp = domain::WebsitePerson(app, w);
          if (!wp.Empty()) fw.person_in_charge = ToRegistryPerson(wp);
          filing.websites.push_back(std::move(fw));
        }
        filing.provider_id = s->provider_id;
        filing.icp_password_hash = password_hash;
        BEIAN_ASSIGN_OR_RETURN(ApprovedSns sns, registry_.RecordApproval(tx, filing));
        json::array websites;
        std::string website_sns;  // "name: SN" lines, for the e-mail
        for (size_t i = 0; i < app.websites.size() && i < sns.website_sns.size(); ++i) {
          json::array domains;
          for (const std::string& d : app.websites[i].domains) domains.push_back(json::value(d));
          websites.push_back(json::object{{"name", app.websites[i].name},
                                          {"domains", std::move(domains)},
                                          {"website_sn", sns.website_sns[i]}});
          website_sns += app.websites[i].name + ": " + sns.website_sns[i] + "\n";
        }
        json::object approval{{"subject_sn", sns.subject_sn},
                              {"new_subject", sns.new_subject},
                              {"websites", std::move(websites)}};
        BEIAN_TRY(TransitionSubmission(tx, ctx,
                                       {.submission_id = id,
                                        .event = "approve",
                                        .actor = reviewer.user_id,
                                        .role = std::string(core::kRoleAuthorityReviewer),
                                        .approval = approval}));
        if (sns.new_subject) {
          // Nobody but the person in charge sees the password: sealed in the outbox, opened
          // only to render the message.
          json::object params{{"organizer_name", s->organizer_name},
                              {"subject_sn", sns.subject_sn},
                              {"icp_password", notify::SealParam(pii_, "icp_password", password)}};
          if (!person.mobile.empty()) {
            BEIAN_TRY(enqueue("sms", pii_.Seal(person.mobile, notify::kSealedAddressColumn),
                              "authority_icp_password", params));
          }
          BEIAN_TRY(enqueue("email", person.email, "authority_icp_password", params));
        }
        return enqueue("email", person.email, "authority_approved",
                       {{"organizer_name", s->organizer_name},
                        {"subject_sn", sns.subject_sn},
                        {"website_sns", website_sns}});
      },
      {.isolation = store::Isolation::kReadCommitted});
  if (!done) return std::move(done).error();
  return Detail(id);
}

namespace {

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

}  // namespace

void RegisterReviewRoutes(http::Router& router, const AuthorityReviewService& service) {
  const http::RouteOptions reviewer{.auth = http::Auth::kSession,
                                    .roles = {std::string(core::kRoleAuthorityReviewer)}};
  const std::string base = "/authority/v1/review";
  auto id_of = [](const http::Request& req) { return std::string(req.PathParam("id")); };

  router.Add(
      "GET", base + "/reasons",
      [&service](http::Request&) -> Result<http::Response> {
        return http::JsonResponse(service.reasons().ToJson());
      },
      reviewer);
  router.Add(
      "GET", base + "/queue",
      [&service](http::Request& req) -> Result<http::Response> {
        ReviewQueueQuery q;
        q.state = std::string(req.Query("state").value_or("under_review"));
        q.province = std::string(req.Query("province").value_or(""));
        BEIAN_ASSIGN_OR_RETURN(q.overdue_only, BoolQuery(req, "overdue"));
        BEIAN_ASSIGN_OR_RETURN(q.limit, LimitOf(req));
        q.cursor = std::string(req.Query("cursor").value_or(""));
        BEIAN_ASSIGN_OR_RETURN(json::object out, service.Queue(q));
        return NoStore(http::JsonResponse(out));
      },
      reviewer);
  router.Add(
      "GET", base + "/submissions/{id}",
      [&service, id_of](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object out, service.Detail(id_of(req)));
        return NoStore(http::JsonResponse(out));
      },
      reviewer);
  router.Add(
      "GET", base + "/submissions/{id}/documents/{doc_id}",
      [&service, id_of](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(DocumentDownload doc,
                               service.Document(id_of(req), std::string(req.PathParam("doc_id"))));
        http::Response response;
        response.status = 200;
        response.content_type = doc.content_type;
        response.body = std::move(doc.content);
        response.SetHeader(
            "Content-Disposition",
            "attachment; filename=\"document\"; filename*=UTF-8''" + PercentEncode(doc.filename));
        response.SetHeader("X-Content-Type-Options", "nosniff");
        response.SetHeader("Cache-Control", "private, no-store");
        return response;
      },
      reviewer);
  router.Add(
      "POST", base + "/submissions/{id}/claim",
      [&service, id_of](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object out, service.Claim(id_of(req), *req.principal));
        return NoStore(http::JsonResponse(out));
      },
      reviewer);
  router.Add(
      "POST", base + "/submissions/{id}/decision",
      [&service, id_of](http::Request& req) -> Result<http::Response> {
        BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        core::JsonReader r(body);
        const std::string decision = r.RequiredString("decision");
        std::vector<Reason> reasons;
        if (auto items = r.OptionalObjectArray("reasons")) {
          for (core::JsonReader* item : *items) {
            Reason reason;
            reason.field = item->OptionalString("field").value_or("");
            reason.code = item->RequiredString("code");
            reason.message = item->OptionalString("message").value_or("");
            reasons.push_back(std::move(reason));
          }
        }
        BEIAN_TRY(r.Finish());
        BEIAN_ASSIGN_OR_RETURN(json::object out,
                               service.Decide(id_of(req), *req.principal, decision, reasons));
        return NoStore(http::JsonResponse(out));
      },
      reviewer);
}

}  // namespace beian::authority
