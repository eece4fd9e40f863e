// ReviewService (see review_service.h).
#include "agent/review_service.h"

#include <algorithm>

#include "agent/applications_codec.h"
#include "agent/applications_routes.h"
#include "agent/audit.h"
#include "agent/documents_routes.h"
#include "agent/handover.h"
#include "core/roles.h"
#include "core/time_text.h"
#include "domain/application_json.h"
#include "domain/validators_util.h"
#include "store/documents.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

Error NotFound() { return Error(ErrorCode::kNotFound, "application not found"); }

// The state a queue stage lists.
std::optional<std::string> StateOfStage(std::string_view stage) {
  if (stage.empty() || stage == "preliminary") return "preliminary_review";
  if (stage == "photo") return "photo_uploaded";
  if (stage == "ready") return "photo_accepted";
  return std::nullopt;
}

bool Reviewable(std::string_view state) {
  return state == "preliminary_review" || state == "photo_uploaded";
}

bool Between(std::string_view s, size_t min, size_t max) {
  if (!domain::text::DecodeUtf8(s)) return false;
  const size_t n = domain::text::CodePointCount(s);
  return n >= min && n <= max;
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string Trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

Error Invalid(std::vector<core::ErrorDetail> details) {
  std::string message = details.front().message;
  return Error(ErrorCode::kValidationFailed, std::move(message), std::move(details));
}

// Full personal numbers of an application JSON by path: every id_number and mobile, and the
// organizer's certificate number when it is an identity document (the views mask exactly these).
void CollectPersonalNumbers(const json::value& app, const domain::Rules& rules, json::object& out,
                            json::array& fields) {
  for (const auto& [path, value] : FlattenJson(app)) {
    if (!value.is_string() || value.get_string().empty()) continue;
    const bool personal = path.ends_with("id_number") || path.ends_with("mobile");
    bool certificate = false;
    if (path == "organizer.certificate.number") {
      const json::value* type = ValueAtPath(app, "organizer.certificate.type");
      certificate = type && type->is_string() &&
                    rules.IsIdentityDocumentType(std::string_view(type->get_string()));
    }
    if (!personal && !certificate) continue;
    out[path] = value;
    fields.push_back(json::string(path));
  }
}

}  // namespace

Status ValidateBackdrop(const BackdropInput& in) {
  std::vector<core::ErrorDetail> problems;
  if (!Between(in.recipient, 2, 30) || HasControl(in.recipient)) {
    problems.push_back({"recipient", in.recipient.empty() ? "required" : "invalid",
                        "the recipient is 2 to 30 characters"});
  }
  bool mobile_ok =
      in.mobile.size() == 11 && in.mobile[0] == '1' && in.mobile[1] >= '3' && in.mobile[1] <= '9' &&
      std::all_of(in.mobile.begin(), in.mobile.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!mobile_ok) {
    problems.push_back({"mobile", in.mobile.empty() ? "required" : "mobile_invalid",
                        "the mobile is a mainland mobile number: 1, then 3-9, then 9 digits"});
  }
  if (!Between(in.address, 8, 200) || HasControl(in.address)) {
    problems.push_back({"address", in.address.empty() ? "required" : "invalid",
                        "the address is 8 to 200 characters"});
  }
  if (!problems.empty()) return Invalid(std::move(problems));
  return core::Ok();
}

Status ValidateShipping(const std::string& carrier, const std::string& tracking) {
  std::vector<core::ErrorDetail> problems;
  if (!Between(carrier, 2, 40) || HasControl(carrier)) {
    problems.push_back(
        {"carrier", carrier.empty() ? "required" : "invalid", "the carrier is 2 to 40 characters"});
  }
  const bool tracking_ok = tracking.size() >= 4 && tracking.size() <= 40 &&
                           std::all_of(tracking.begin(), tracking.end(), [](char c) {
                             return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                    (c >= '0' && c <= '9') || c == '-';
                           });
  if (!tracking_ok) {
    problems.push_back({"tracking_number", tracking.empty() ? "required" : "invalid",
                        "the tracking number is 4 to 40 letters, digits or '-'"});
  }
  if (!problems.empty()) return Invalid(std::move(problems));
  return core::Ok();
}

ReviewService::ReviewService(store::Database& db, const core::Clock& clock,
                             const core::PiiCipher& pii, const domain::Rules& rules,
                             ApplicationsService& applications, const ReasonCatalogue& reasons,
                             ReviewOptions options)
    : db_(db),
      clock_(clock),
      pii_(pii),
      rules_(rules),
      calendar_(rules),
      applications_(applications),
      reasons_(reasons),
      options_(options) {}

int64_t ReviewService::NowMs() const { return ToMillis(clock_.Now()); }

Result<ApplicationDetail> ReviewService::LoadForReviewer(store::Tx& tx, const std::string& id) {
  BEIAN_ASSIGN_OR_RETURN(auto found, store::ApplicationRepo(tx).Find(id));
  if (!found || found->state == "draft") return NotFound();
  BEIAN_ASSIGN_OR_RETURN(OpenedBody opened, OpenApplicationBody(*found, pii_));
  ApplicationDetail d{std::move(*found), std::move(opened.application)};
  BEIAN_TRY(applications_.FillExtras(tx, d));
  return d;
}

json::object ReviewService::ReviewerView(const ApplicationDetail& d) const {
  // Reviewers see personal numbers masked (the backdrop mobile too); full values only through
  // Reveal, which leaves an audit row.
  return applications_.View(d, /*masked=*/true);
}

json::value ReviewService::ClaimJson(const std::optional<store::ClaimRow>& claim,
                                     const Actor& actor, int64_t now_ms) const {
  if (!claim || !ClaimLive(claim->expires_at_ms, now_ms)) return nullptr;
  return json::object{{"reviewer_id", claim->reviewer_id},
                      {"reviewer_name", claim->reviewer_name},
                      {"expires_at", core::FormatRfc3339(claim->expires_at_ms)},
                      {"mine", claim->reviewer_id == actor.user_id}};
}

Result<json::object> ReviewService::Queue(const Actor& actor, const QueueQuery& q) {
  const auto state = StateOfStage(q.stage);
  if (!state) {
    return Error(ErrorCode::kValidationFailed, "stage is preliminary, photo or ready",
                 {{"stage", "invalid", "stage is preliminary, photo or ready"}});
  }
  const core::TimePoint now = clock_.Now();
  const int64_t now_ms = ToMillis(now);
  BEIAN_ASSIGN_OR_RETURN(store::QueuePage page, db_.Read([&](store::Tx& tx) {
    return store::ReviewQueueRepo(tx).List({.state = *state,
                                            .province = q.province,
                                            .organizer_type = q.organizer_type,
                                            .overdue_only = q.overdue_only,
                                            .now_ms = now_ms},
                                           q.limit, q.cursor);
  }));
  const domain::Date today = domain::ChinaDate(now);
  json::array items;
  for (const store::QueueItem& item : page.items) {
    const store::ApplicationRecord& r = item.application;
    BEIAN_ASSIGN_OR_RETURN(OpenedBody opened, OpenApplicationBody(r, pii_));
    const domain::Application& app = opened.application;
    json::array domains;
    for (const domain::Website& w : app.websites) {
      for (const std::string& d : w.domains) domains.push_back(json::string(d));
    }
    const core::TimePoint entered{std::chrono::milliseconds(r.state_entered_at_ms)};
    const int waiting = calendar_.BusinessDaysBetween(domain::ChinaDate(entered), today);
    const bool overdue = r.sla_deadline_ms && now_ms > *r.sla_deadline_ms;
    items.push_back(json::object{
        {"id", r.id},
        {"state", r.state},
        {"filing_type", r.filing_type.empty() ? json::value(nullptr) : json::value(r.filing_type)},
        {"province", r.province},
        {"organizer_type", r.organizer_type},
        {"organizer_name", r.organizer_name},
        {"certificate_number", core::MaskIdentityNumber(app.organizer.certificate.number)},
        {"website_count", app.websites.size()},
        {"domains", std::move(domains)},
        {"submitted_at", item.submitted_at_ms
                             ? json::value(core::FormatRfc3339(*item.submitted_at_ms))
                             : json::value(nullptr)},
        {"state_entered_at", core::FormatRfc3339(r.state_entered_at_ms)},
        {"waiting_business_days", waiting},
        {"sla_deadline", r.sla_deadline_ms ? json::value(core::FormatRfc3339(*r.sla_deadline_ms))
                                           : json::value(nullptr)},
        {"overdue", overdue},
        {"resubmission", item.resubmission},
        {"claim", ClaimJson(item.claim, actor, now_ms)}});
  }
  return json::object{{"items", std::move(items)},
                      {"next_cursor", page.next_cursor.empty() ? json::value(nullptr)
                                                               : json::value(page.next_cursor)}};
}

Result<ClaimAnswer> ReviewService::Claim(const Actor& actor, const std::string& id) {
  return db_.Write([&](store::Tx& tx) -> Result<ClaimAnswer> {
    BEIAN_ASSIGN_OR_RETURN(auto found, store::ApplicationRepo(tx).Find(id));
    if (!found || found->state == "draft") return NotFound();
    if (!Reviewable(found->state)) {
      const std::string msg =
          "an application in state " + found->state + " is not waiting for a review (event claim)";
      return Error(ErrorCode::kInvalidTransition, msg, {{"state", "invalid_transition", msg}});
    }
    const int64_t now_ms = NowMs();
    const int64_t expires_ms =
        now_ms +
        std::chrono::duration_cast<std::chrono::milliseconds>(options_.claim_duration).count();
    store::ReviewClaimRepo claims(tx);
    BEIAN_ASSIGN_OR_RETURN(bool won, claims.Take(id, actor.user_id, now_ms, expires_ms));
    if (!won) {
      BEIAN_ASSIGN_OR_RETURN(auto holder, claims.Find(id));
      std::string name = holder ? holder->reviewer_name : std::string();
      std::string until = holder ? core::FormatRfc3339(holder->expires_at_ms) : std::string();
      return Error(ErrorCode::kClaimedByOther,
                   "the application is claimed by " + name + " until " + until,
                   {{"claim.reviewer_id", "claimed_by_other", holder ? holder->reviewer_id : ""},
                    {"claim.reviewer_name", "claimed_by_other", name},
                    {"claim.expires_at", "claimed_by_other", until}});
    }
    return ClaimAnswer{id, actor.user_id, expires_ms};
  });
}

Status ReviewService::Release(const Actor& actor, const std::string& id) {
  return db_.Write([&](store::Tx& tx) -> Status {
    BEIAN_ASSIGN_OR_RETURN(auto found, store::ApplicationRepo(tx).Find(id));
    if (!found || found->state == "draft") return NotFound();
    BEIAN_TRY(store::ReviewClaimRepo(tx).Release(id, actor.user_id));
    return core::Ok();
  });
}

Result<json::object> ReviewService::Detail(const Actor& actor, const std::string& id) {
  // The authority is asked before the transaction opens (never while one is held); a review
  // state's content does not change in between, as only drafts and returned ones are edited.
  BEIAN_ASSIGN_OR_RETURN(ApplicationDetail asked,
                         db_.Read([&](store::Tx& tx) { return LoadForReviewer(tx, id); }));
  const RemoteFacts remote = applications_.FetchRemote(asked.application);
  return db_.Read([&](store::Tx& tx) -> Result<json::object> {
    BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d, LoadForReviewer(tx, id));
    const int64_t now_ms = NowMs();
    json::array documents;
    BEIAN_ASSIGN_OR_RETURN(auto rows, store::DocumentRepo(tx).List(id));
    for (const store::DocumentRow& row : rows) documents.push_back(DocumentJson(row));
    BEIAN_ASSIGN_OR_RETURN(PrecheckAnswer precheck, applications_.RunPrecheck(tx, d, remote));
    json::array events;
    BEIAN_ASSIGN_OR_RETURN(auto timeline, store::ApplicationEventRepo(tx).List(id));
    for (const store::ApplicationEvent& e : timeline) events.push_back(EventJson(e));

    json::array changes;
    json::value last_rejection = nullptr;
    if (d.extras.last_rejection) {
      const store::RejectionRow& rej = *d.extras.last_rejection;
      last_rejection = json::object{{"at", core::FormatRfc3339(rej.created_at_ms)},
                                    {"event", rej.event},
                                    {"reasons", ReasonsToJson(ReasonsFromJson(rej.reasons_json))}};
      if (d.extras.rejection_current) {
        ReviewSubject then;
        BEIAN_ASSIGN_OR_RETURN(then.application, ContentJson(d.record, rej.body, pii_));
        then.documents = DocumentSnapshotFromJson(rej.documents_json);
        ReviewSubject now{ContentJson(d.application), {}};
        BEIAN_ASSIGN_OR_RETURN(now.documents, SnapshotDocuments(tx, id));
        MaskApplicationJson(then.application.as_object(), rules_);
        MaskApplicationJson(now.application.as_object(), rules_);
        for (FieldChange& c : Changes(then, now)) {
          changes.push_back(json::object{
              {"field", c.field}, {"before", std::move(c.before)}, {"after", std::move(c.after)}});
        }
      }
    }
    BEIAN_ASSIGN_OR_RETURN(auto claim, store::ReviewClaimRepo(tx).Find(id));
    return json::object{{"application", ReviewerView(d)},
                        {"documents", std::move(documents)},
                        {"precheck", applications_.PrecheckJson(precheck)},
                        {"events", std::move(events)},
                        {"changes_since_rejection", std::move(changes)},
                        {"last_rejection", std::move(last_rejection)},
                        {"claim", ClaimJson(claim, actor, now_ms)}};
  });
}

Result<json::object> ReviewService::Reveal(const Actor& actor, const std::string& id) {
  return db_.Write([&](store::Tx& tx) -> Result<json::object> {
    BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d, LoadForReviewer(tx, id));
    json::object values;
    json::array fields;
    CollectPersonalNumbers(ContentJson(d.application), rules_, values, fields);
    if (d.extras.backdrop && !d.extras.backdrop_mobile.empty()) {
      values["backdrop.mobile"] = d.extras.backdrop_mobile;
      fields.push_back("backdrop.mobile");
    }
    // The audit row: who saw which full numbers of which application, chained to the last row.
    BEIAN_TRY(AppendAudit(
        tx, {.at_ms = NowMs(),
             .actor_id = actor.user_id,
             .action = "reveal",
             .application_id = id,
             .detail = json::serialize(json::object{{"fields", fields}, {"role", actor.role}})}));
    return json::object{{"values", std::move(values)}};
  });
}

Result<json::object> ReviewService::Decide(const Actor& actor, const std::string& id,
                                           ReviewStage stage, bool accept,
                                           const std::vector<Reason>& reasons) {
  BEIAN_TRY(ValidateReasons(reasons_, stage, !accept, reasons));
  std::string event;
  if (stage == ReviewStage::kPreliminary) {
    event = accept ? "approve" : "reject";
  } else {
    event = accept ? "accept_photo" : "reject_photo";
  }
  return db_.Write([&](store::Tx& tx) -> Result<json::object> {
    BEIAN_ASSIGN_OR_RETURN(auto found, store::ApplicationRepo(tx).Find(id));
    if (!found || found->state == "draft") return NotFound();
    if (!reasons.empty()) {
      BEIAN_ASSIGN_OR_RETURN(boost::json::value content, ContentJson(*found, found->body, pii_));
      BEIAN_TRY(CheckReasonFields(reasons, content));
    }
    // The state machine first: a decision the state does not allow is invalid whoever claims.
    BEIAN_TRY(domain::Apply(domain::Machine::kApplication, found->state, event, actor.role));
    const int64_t now_ms = NowMs();
    store::ReviewClaimRepo claims(tx);
    BEIAN_ASSIGN_OR_RETURN(auto claim, claims.Find(id));
    if (!claim || claim->reviewer_id != actor.user_id || !ClaimLive(claim->expires_at_ms, now_ms)) {
      return Error(ErrorCode::kClaimRequired,
                   "claim the application before deciding (no live claim of yours)",
                   {{"claim", "claim_required", "no live claim of yours on this application"}});
    }
    BEIAN_ASSIGN_OR_RETURN(TransitionOutcome t,
                           TransitionApplication(tx, applications_.transition_context(),
                                                 {.application_id = id,
                                                  .event = event,
                                                  .actor_id = actor.user_id,
                                                  .role = actor.role,
                                                  .reasons = reasons,
                                                  .expected_version = found->version}));
    // The documents cannot change during the transition: the snapshot after it is the one
    // the reviewer judged.
    if (!accept) BEIAN_TRY(RecordRejection(tx, *found, t.event, reasons));
    // An accepted photo completes the provider's part: the hand-over to the authority is
    // enqueued with it, so that it is sent however the process ends (agent/handover.h).
    if (accept && stage == ReviewStage::kPhoto) BEIAN_TRY(EnqueueHandover(tx, id, now_ms));
    BEIAN_TRY(claims.Clear(id));
    BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d, LoadForReviewer(tx, id));
    return ReviewerView(d);
  });
}

Result<json::object> ReviewService::Backdrops(bool shipped, int limit, const std::string& cursor) {
  BEIAN_ASSIGN_OR_RETURN(store::BackdropPage page, db_.Read([&](store::Tx& tx) {
    return store::BackdropRepo(tx).List(shipped, limit, cursor);
  }));
  json::array items;
  for (const store::BackdropRow& b : page.items) {
    // The shipping list shows the mobile masked, as every list does; the full number is one
    // Reveal away (and audited).
    json::object item = BackdropJson(b, b.mobile_masked);
    item["application_id"] = b.application_id;
    item["organizer_name"] = b.organizer_name;
    items.push_back(std::move(item));
  }
  return json::object{{"items", std::move(items)},
                      {"next_cursor", page.next_cursor.empty() ? json::value(nullptr)
                                                               : json::value(page.next_cursor)}};
}

Result<json::object> ReviewService::Ship(const Actor& actor, const std::string& id,
                                         const std::string& carrier_in,
                                         const std::string& tracking_in) {
  const std::string carrier = Trim(carrier_in);
  const std::string tracking = Trim(tracking_in);
  BEIAN_TRY(ValidateShipping(carrier, tracking));
  return db_.Write([&](store::Tx& tx) -> Result<json::object> {
    BEIAN_ASSIGN_OR_RETURN(auto found, store::ApplicationRepo(tx).Find(id));
    if (!found || found->state == "draft") return NotFound();
    BEIAN_TRY(TransitionApplication(
        tx, applications_.transition_context(),
        {.application_id = id,
         .event = "ship_backdrop",
         .actor_id = actor.user_id,
         .role = actor.role,
         // The applicant's e-mail and SMS name the parcel.
         .notice_params = {{"carrier", carrier}, {"tracking_number", tracking}}}));
    store::BackdropRepo backdrops(tx);
    BEIAN_ASSIGN_OR_RETURN(bool shipped, backdrops.MarkShipped(id, carrier, tracking, NowMs()));
    if (!shipped) {
      return Error(ErrorCode::kInternal, "application " + id + " has no backdrop request");
    }
    BEIAN_ASSIGN_OR_RETURN(auto row, backdrops.Find(id));
    json::object item = BackdropJson(*row, row->mobile_masked);
    item["application_id"] = row->application_id;
    item["organizer_name"] = row->organizer_name;
    return item;
  });
}

Result<ApplicationDetail> ReviewService::RequestBackdrop(const Actor& actor, const std::string& id,
                                                         const BackdropInput& raw) {
  BackdropInput input{Trim(raw.recipient), Trim(raw.mobile), Trim(raw.address)};
  return db_.Write([&](store::Tx& tx) -> Result<ApplicationDetail> {
    BEIAN_ASSIGN_OR_RETURN(auto found, store::ApplicationRepo(tx).Find(id));
    if (!found || found->owner_id != actor.user_id) return NotFound();
    BEIAN_TRY(ValidateBackdrop(input));
    BEIAN_ASSIGN_OR_RETURN(TransitionOutcome t,
                           TransitionApplication(tx, applications_.transition_context(),
                                                 {.application_id = id,
                                                  .event = "request_backdrop",
                                                  .actor_id = actor.user_id,
                                                  .role = actor.role,
                                                  .owner_id = actor.user_id}));
    BEIAN_TRY(store::BackdropRepo(tx).Upsert(
        {.application_id = id,
         .recipient = input.recipient,
         .mobile_sealed = pii_.Seal(input.mobile, kBackdropMobileColumn),
         .mobile_masked = core::MaskMobile(input.mobile),
         .address = input.address,
         .requested_at_ms = t.event.created_at_ms}));
    BEIAN_ASSIGN_OR_RETURN(OpenedBody opened, OpenApplicationBody(t.application, pii_));
    ApplicationDetail d{std::move(t.application), std::move(opened.application)};
    BEIAN_TRY(applications_.FillExtras(tx, d));
    return d;
  });
}

Result<ApplicationDetail> ReviewService::SubmitPhoto(const Actor& actor, const std::string& id,
                                                     const std::string& document_id) {
  return db_.Write([&](store::Tx& tx) -> Result<ApplicationDetail> {
    BEIAN_ASSIGN_OR_RETURN(auto found, store::ApplicationRepo(tx).Find(id));
    if (!found || found->owner_id != actor.user_id) return NotFound();
    BEIAN_TRY(
        domain::Apply(domain::Machine::kApplication, found->state, "upload_photo", actor.role));
    BEIAN_ASSIGN_OR_RETURN(auto doc, store::DocumentRepo(tx).Find(id, document_id));
    if (!doc || doc->kind != "verified_photo") {
      const std::string msg = "document_id names no verified photo of this application";
      return Error(ErrorCode::kValidationFailed, msg, {{"document_id", "invalid", msg}});
    }
    BEIAN_ASSIGN_OR_RETURN(TransitionOutcome t,
                           TransitionApplication(tx, applications_.transition_context(),
                                                 {.application_id = id,
                                                  .event = "upload_photo",
                                                  .actor_id = actor.user_id,
                                                  .role = actor.role,
                                                  .owner_id = actor.user_id}));
    BEIAN_ASSIGN_OR_RETURN(OpenedBody opened, OpenApplicationBody(t.application, pii_));
    ApplicationDetail d{std::move(t.application), std::move(opened.application)};
    BEIAN_TRY(applications_.FillExtras(tx, d));
    return d;
  });
}

}  // namespace beian::agent
