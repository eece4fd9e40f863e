// The hand-over outbox's worker and the submission payload (see handover.h).
#include "agent/handover.h"

#include <sodium.h>

#include <random>
#include <regex>

#include "agent/applications_codec.h"
#include "agent/review_view.h"
#include "core/crypto.h"
#include "core/log.h"
#include "domain/application_json.h"
#include "domain/filing_type.h"
#include "notify/outbox.h"
#include "store/applications.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

double UnitRandom() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

std::string TextOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The agent acts on its own behalf for the hand-over's transitions.
constexpr std::string_view kSystemActor = "system";

}  // namespace

std::vector<std::string> ContractSmsPersons(const std::vector<std::string>& paths) {
  static const std::regex kWebsite(R"(^websites\[(\d+)\]\.person_in_charge$)");
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::smatch m;
    if (p == "organizer.person_in_charge") {
      out.push_back("organizer");
    } else if (std::regex_match(p, m, kWebsite)) {
      out.push_back("website:" + m[1].str());
    }
  }
  return out;
}

json::object BuildSubmissionPayload(const std::string& submission_id,
                                    const domain::Application& app,
                                    const std::vector<SubmissionDocument>& documents) {
  json::object content = domain::ToJson(app);
  json::array sms_persons;
  if (auto type = domain::ParseFilingType(app.filing_type)) {
    for (std::string& p : ContractSmsPersons(domain::SmsPersons(app, *type))) {
      sms_persons.push_back(json::value(std::move(p)));
    }
  }
  json::array docs;
  for (const SubmissionDocument& d : documents) {
    docs.push_back(json::object{{"id", d.row.id},
                                {"kind", d.row.kind},
                                {"subject", d.row.subject},
                                {"filename", d.row.original_name},
                                {"content_type", d.row.content_type},
                                {"size", d.row.size},
                                {"sha256", d.row.sha256},
                                {"content_base64", Base64(d.content)}});
  }
  const bool needs_sn = app.filing_type != "first_filing" && !app.beian.subject_sn.empty();
  return json::object{
      {"submission_id", submission_id},
      {"application_id", app.id},
      {"filing_type", app.filing_type},
      {"province", app.province},
      {"beian_sn", needs_sn ? json::value(app.beian.subject_sn) : json::value(nullptr)},
      {"organizer", content.at("organizer")},
      {"websites", content.at("websites")},
      {"sms_persons", std::move(sms_persons)},
      {"documents", std::move(docs)}};
}

ReplyVerdict JudgeReply(const SubmissionReply& reply) {
  ReplyVerdict v;
  boost::system::error_code ec;
  json::value body = json::parse(reply.body, ec);
  const json::object* o = !ec ? body.if_object() : nullptr;
  if (reply.status == 200 || reply.status == 201) {
    if (o && !TextOf(*o, "id").empty()) {
      v.kind = ReplyVerdict::Kind::kDelivered;
      v.authority_submission_id = TextOf(*o, "id");
      v.authority_state = TextOf(*o, "state");
      if (v.authority_state.empty()) v.authority_state = "sms_verification";
      return v;
    }
    v.error = "HTTP " + std::to_string(reply.status) + " without a submission id";
    return v;
  }
  std::string code;
  std::string message;
  const json::object* error = nullptr;
  if (o) {
    const json::value* e = o->if_contains("error");
    error = e ? e->if_object() : nullptr;
  }
  if (error) {
    code = TextOf(*error, "code");
    message = TextOf(*error, "message");
  }
  v.error = "HTTP " + std::to_string(reply.status) + (code.empty() ? "" : " " + code) +
            (message.empty() ? "" : ": " + message);
  if (reply.status == 409 || reply.status == 422) {
    v.kind = ReplyVerdict::Kind::kRefused;
    if (code.empty()) code = reply.status == 409 ? "submission_conflict" : "document_hash_mismatch";
    const json::value* details = error ? error->if_contains("details") : nullptr;
    if (details && details->is_array()) {
      for (const json::value& d : details->get_array()) {
        const json::object* detail = d.if_object();
        if (!detail) continue;
        Reason r{TextOf(*detail, "field"), TextOf(*detail, "code"), TextOf(*detail, "message")};
        if (r.code.empty()) r.code = code;
        v.reasons.push_back(std::move(r));
      }
    }
    if (v.reasons.empty()) v.reasons.push_back({"", code, message});
  }
  return v;
}

Result<store::Handover> EnqueueHandover(store::Tx& tx, const std::string& application_id,
                                        int64_t now_ms) {
  return store::HandoverRepo(tx).Enqueue(application_id, now_ms);
}

HandoverWorker::HandoverWorker(store::Database& db, const core::Clock& clock,
                               const core::PiiCipher& pii, blob::BlobStore& blobs,
                               TransitionContext context, SubmissionSender sender,
                               HandoverOptions options)
    : db_(db),
      clock_(clock),
      pii_(pii),
      blobs_(blobs),
      context_(context),
      sender_(std::move(sender)),
      options_(options),
      owner_("handover-" + core::RandomId().substr(0, 12)) {}

HandoverWorker::~HandoverWorker() { Stop(); }

void HandoverWorker::Start() {
  if (task_) return;
  stopping_ = false;
  task_ = std::make_unique<core::PeriodicTask>("handover", options_.poll_interval, [this] {
    // Drain: keep going while rows come (a backlog after an outage goes out at once).
    while (!stopping_) {
      auto claimed = RunOnce(owner_);
      if (!claimed) {
        core::Log(core::LogLevel::kWarn, "handover_claim_failed",
                  {{"error", claimed.error().message}});
        break;
      }
      if (*claimed == 0) break;
    }
  });
  task_->Start();
}

void HandoverWorker::Stop() {
  stopping_ = true;
  if (task_) {
    task_->Stop();
    task_.reset();
  }
}

int64_t HandoverWorker::NowMs() const { return ToMillis(clock_.Now()); }

Result<int> HandoverWorker::RunOnce(const std::string& owner) {
  const int64_t now = NowMs();
  BEIAN_ASSIGN_OR_RETURN(std::vector<store::Handover> rows,
                         db_.Write(
                             [&](store::Tx& tx) {
                               return store::HandoverRepo(tx).Claim(
                                   owner, now, options_.lease.count(), options_.batch);
                             },
                             {.isolation = store::Isolation::kReadCommitted}));
  // A row is sent only while at least half of its lease is left (see notify::Outbox::RunOnce).
  const int64_t fresh_until = now + options_.lease.count() / 2;
  for (const store::Handover& h : rows) {
    if (stopping_ || NowMs() > fresh_until) {
      auto released = db_.Write(
          [&](store::Tx& tx) {
            return store::HandoverRepo(tx).Release(h.submission_id, owner, NowMs());
          },
          {.isolation = store::Isolation::kReadCommitted});
      if (!released) {
        core::Log(core::LogLevel::kWarn, "handover_release_failed",
                  {{"submission_id", h.submission_id}, {"error", released.error().message}});
      }
      continue;
    }
    Process(owner, h);
  }
  return static_cast<int>(rows.size());
}

Result<std::string> HandoverWorker::Payload(const store::Handover& h) {
  struct Loaded {
    domain::Application app;
    std::vector<store::DocumentRow> documents;
  };
  BEIAN_ASSIGN_OR_RETURN(Loaded loaded, db_.Read([&](store::Tx& tx) -> Result<Loaded> {
    BEIAN_ASSIGN_OR_RETURN(auto record, store::ApplicationRepo(tx).Find(h.application_id));
    if (!record) return Error(ErrorCode::kNotFound, "application " + h.application_id + " is gone");
    BEIAN_ASSIGN_OR_RETURN(OpenedBody opened, OpenApplicationBody(*record, pii_));
    BEIAN_ASSIGN_OR_RETURN(auto documents, store::DocumentRepo(tx).List(h.application_id));
    return Loaded{std::move(opened.application), std::move(documents)};
  }));
  std::vector<SubmissionDocument> documents;
  documents.reserve(loaded.documents.size());
  for (store::DocumentRow& row : loaded.documents) {
    BEIAN_ASSIGN_OR_RETURN(std::string content, blobs_.Read(row.sha256));
    documents.push_back({std::move(row), std::move(content)});
  }
  return json::serialize(BuildSubmissionPayload(h.submission_id, loaded.app, documents));
}

void HandoverWorker::Process(const std::string& owner, const store::Handover& h) {
  ReplyVerdict verdict;
  auto payload = Payload(h);
  if (!payload) {
    verdict.error = "the submission cannot be built: " + payload.error().message;
  } else {
    auto reply = sender_(*payload);
    if (!reply) {
      verdict.error = reply.error().message;
    } else {
      verdict = JudgeReply(*reply);
    }
  }
  const int64_t now = NowMs();
  Result<bool> marked = false;
  std::string_view outcome;
  if (verdict.kind == ReplyVerdict::Kind::kRetry) {
    outcome = "retry";
    const auto delay =
        notify::RetryDelay(h.attempts, options_.retry_base, options_.retry_max, UnitRandom());
    marked = db_.Write(
        [&](store::Tx& tx) {
          return store::HandoverRepo(tx).MarkRetry(h.submission_id, owner, now, now + delay.count(),
                                                   verdict.error);
        },
        {.isolation = store::Isolation::kReadCommitted});
    counters_.retried.fetch_add(1, std::memory_order_relaxed);
  } else {
    const bool delivered = verdict.kind == ReplyVerdict::Kind::kDelivered;
    outcome = delivered ? "delivered" : "refused";
    marked = db_.Write([&](store::Tx& tx) -> Result<bool> {
      store::HandoverRepo repo(tx);
      BEIAN_ASSIGN_OR_RETURN(
          bool mine,
          delivered ? repo.MarkDelivered(h.submission_id, owner, now,
                                         verdict.authority_submission_id, verdict.authority_state)
                    : repo.MarkRefused(h.submission_id, owner, now, verdict.error));
      if (!mine) return false;  // another worker holds the row now; it will apply the answer
      BEIAN_ASSIGN_OR_RETURN(auto app, store::ApplicationRepo(tx).Find(h.application_id));
      if (!app || app->state != "photo_accepted") {
        // Withdrawn meanwhile: the row is settled, the application stays where it is.
        core::Log(core::LogLevel::kWarn, "handover_application_moved",
                  {{"submission_id", h.submission_id},
                   {"state", app ? app->state : std::string("gone")}});
        return true;
      }
      BEIAN_ASSIGN_OR_RETURN(
          TransitionOutcome t,
          TransitionApplication(tx, context_,
                                {.application_id = h.application_id,
                                 .event = delivered ? "forward" : "handover_refused",
                                 .actor_id = std::string(kSystemActor),
                                 .role = "system",
                                 .reasons = delivered ? std::vector<Reason>{} : verdict.reasons}));
      if (!delivered) BEIAN_TRY(RecordRejection(tx, *app, t.event, verdict.reasons));
      return true;
    });
    (delivered ? counters_.delivered : counters_.refused).fetch_add(1, std::memory_order_relaxed);
  }
  core::Log(outcome == "delivered" ? core::LogLevel::kInfo : core::LogLevel::kWarn,
            "handover_attempt",
            {{"submission_id", h.submission_id},
             {"attempt", h.attempts},
             {"outcome", outcome},
             {"detail", verdict.error}});
  if (!marked) {
    core::Log(core::LogLevel::kWarn, "handover_mark_failed",
              {{"submission_id", h.submission_id}, {"error", marked.error().message}});
  } else if (!*marked) {
    core::Log(core::LogLevel::kWarn, "handover_lease_lost",
              {{"submission_id", h.submission_id}, {"worker", owner}});
  }
}

}  // namespace beian::agent
