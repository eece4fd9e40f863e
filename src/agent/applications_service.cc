// ApplicationsService (see applications_service.h).
#include "agent/applications_service.h"

#include <algorithm>
#include <map>

#include "agent/applications_codec.h"
#include "core/crypto.h"
#include "domain/application_json.h"
#include "domain/messages.h"
#include "domain/registry_view.h"
#include "store/idempotency.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

constexpr std::string_view kAnswerColumn = "idempotency_keys.response";

Error NotFound() { return Error(ErrorCode::kNotFound, "application not found"); }

// The provider's own approved filings as the filing-type judgement reads the registry (until
// the authority's registry feed replaces it). Lives inside one transaction.
class OwnFilingsRegistry final : public domain::RegistryView {
 public:
  OwnFilingsRegistry(store::Tx& tx, const core::PiiCipher& pii, std::string provider,
                     std::string application_id)
      : tx_(tx),
        pii_(pii),
        provider_(std::move(provider)),
        application_id_(std::move(application_id)) {}

  // Decision 12: the match key is (certificate type, number); an empty type matches any.
  std::optional<domain::RegistrySubject> FindSubject(std::string_view certificate_type,
                                                     std::string_view number) const override {
    for (domain::RegistrySubject& subject : SubjectsWithNumber(number)) {
      if (certificate_type.empty() || subject.certificate_type.empty() ||
          subject.certificate_type == certificate_type) {
        return std::move(subject);
      }
    }
    return std::nullopt;
  }

  std::vector<domain::RegistrySubject> SubjectsWithNumber(std::string_view number) const override {
    std::vector<domain::RegistrySubject> out;
    const std::string hash = CertificateHash(std::string(number), pii_);
    auto approved = store::ApplicationRepo(tx_).ApprovedByCertificate(hash);
    if (!approved) return out;
    for (const store::ApplicationRecord& r : *approved) {
      auto opened = OpenApplicationBody(r, pii_);
      if (!opened || opened->application.beian.subject_sn.empty()) continue;
      const domain::Application& a = opened->application;
      subjects_[a.beian.subject_sn] = hash;
      domain::RegistrySubject subject;
      subject.certificate_type = a.organizer.certificate.type;
      subject.certificate_number = a.organizer.certificate.number;
      subject.name = a.organizer.name;
      subject.province = a.organizer.province;
      subject.subject_sn = a.beian.subject_sn;
      out.push_back(std::move(subject));
    }
    return out;
  }

  std::optional<domain::RegistryWebsite> FindWebsite(std::string_view domain) const override {
    const std::string key = domain::CanonicalDomainKey(domain);
    auto approved = store::ApplicationRepo(tx_).ApprovedByDomain(key);
    if (!approved || !*approved) return std::nullopt;
    auto opened = OpenApplicationBody(**approved, pii_);
    if (!opened) return std::nullopt;
    return WebsiteOf(opened->application, key);
  }

  std::vector<domain::RegistryWebsite> WebsitesOfSubject(
      std::string_view subject_sn) const override {
    // Only subjects found by FindSubject in this judgement are known by their SN here.
    std::vector<domain::RegistryWebsite> out;
    auto it = subjects_.find(std::string(subject_sn));
    if (it == subjects_.end()) return out;
    auto approved = store::ApplicationRepo(tx_).ApprovedByCertificate(it->second);
    if (!approved) return out;
    for (const store::ApplicationRecord& r : *approved) {
      auto opened = OpenApplicationBody(r, pii_);
      if (!opened) continue;
      for (const domain::Website& w : opened->application.websites) {
        for (const std::string& d : w.domains) {
          out.push_back(WebsiteOf(opened->application, domain::CanonicalDomainKey(d)));
        }
      }
    }
    return out;
  }

  bool HasOpenOrderForCertificate(std::string_view number) const override {
    auto holder =
        store::ApplicationRepo(tx_).SubjectHolder(CertificateHash(std::string(number), pii_));
    return holder && *holder && (*holder)->application_id != application_id_;
  }

  bool HasOpenOrderForDomain(std::string_view domain) const override {
    auto holder = store::ApplicationRepo(tx_).DomainHolder(domain::CanonicalDomainKey(domain));
    return holder && *holder && (*holder)->application_id != application_id_;
  }

 private:
  domain::RegistryWebsite WebsiteOf(const domain::Application& a, const std::string& key) const {
    domain::RegistryWebsite w;
    w.domain = key;
    auto sn = a.beian.website_sns.find(key);
    if (sn != a.beian.website_sns.end()) w.website_sn = sn->second;
    w.subject_sn = a.beian.subject_sn;
    w.providers = {provider_};
    return w;
  }

  store::Tx& tx_;
  const core::PiiCipher& pii_;
  std::string provider_;
  std::string application_id_;
  mutable std::map<std::string, std::string> subjects_;  // subject SN -> certificate hash
};

// The authority's registry as the judgement reads it: filed subjects and websites from the
// authority's look-up, orders in progress from this provider's own open applications.
class AuthorityRegistry final : public domain::RegistryView {
 public:
  AuthorityRegistry(const domain::InMemoryRegistry& remote, const OwnFilingsRegistry& local)
      : remote_(remote), local_(local) {}

  std::optional<domain::RegistrySubject> FindSubject(std::string_view certificate_type,
                                                     std::string_view number) const override {
    return remote_.FindSubject(certificate_type, number);
  }
  std::vector<domain::RegistrySubject> SubjectsWithNumber(std::string_view number) const override {
    return remote_.SubjectsWithNumber(number);
  }
  std::optional<domain::RegistryWebsite> FindWebsite(std::string_view domain) const override {
    return remote_.FindWebsite(domain);
  }
  std::vector<domain::RegistryWebsite> WebsitesOfSubject(
      std::string_view subject_sn) const override {
    return remote_.WebsitesOfSubject(subject_sn);
  }
  bool HasOpenOrderForCertificate(std::string_view number) const override {
    return local_.HasOpenOrderForCertificate(number);
  }
  bool HasOpenOrderForDomain(std::string_view domain) const override {
    return local_.HasOpenOrderForDomain(domain);
  }

 private:
  const domain::InMemoryRegistry& remote_;
  const OwnFilingsRegistry& local_;
};

std::vector<store::DomainKey> DomainKeys(const domain::Application& app) {
  std::vector<store::DomainKey> out;
  for (size_t i = 0; i < app.websites.size(); ++i) {
    const auto& domains = app.websites[i].domains;
    for (size_t j = 0; j < domains.size(); ++j) {
      if (domains[j].empty()) continue;
      out.push_back({domain::CanonicalDomainKey(domains[j]),
                     "websites[" + std::to_string(i) + "].domains[" + std::to_string(j) + "]"});
    }
  }
  return out;
}

// JSON merge patch (RFC 7386).
void MergePatch(json::value& target, const json::value& patch) {
  if (!patch.is_object()) {
    target = patch;
    return;
  }
  if (!target.is_object()) target = json::object();
  json::object& t = target.get_object();
  for (const auto& [key, value] : patch.get_object()) {
    if (value.is_null()) {
      t.erase(key);
    } else {
      MergePatch(t[key], value);
    }
  }
}

// The content of an application as the applicant gives it: what the service owns is cleared.
domain::Application Content(domain::Application app) {
  app.id.clear();
  app.version = 0;
  app.state.clear();
  app.filing_type.clear();
  return app;
}

// Reading, asking the authority and writing again: how often the content may change in between
// before the caller is told to try again.
constexpr int kRemoteAttempts = 3;

Error ChangedMeanwhile() {
  return Error(ErrorCode::kPreconditionFailed,
               "the application kept changing while the authority was asked; try again");
}

bool Editable(std::string_view state) { return state == "draft" || state == "returned"; }

Result<std::optional<StoredAnswer>> Replay(store::Tx& tx, const Actor& actor,
                                           const Idempotency& idem, const core::PiiCipher& pii) {
  if (idem.key.empty()) return std::optional<StoredAnswer>();
  BEIAN_ASSIGN_OR_RETURN(auto found, store::IdempotencyRepo(tx).Find(actor.user_id, idem.key));
  if (!found) return std::optional<StoredAnswer>();
  if (found->request_hash != idem.request_hash) {
    return Error(ErrorCode::kIdempotencyKeyReused,
                 "this Idempotency-Key was used for a different request",
                 {{"Idempotency-Key", "idempotency_key_reused",
                   "this Idempotency-Key was used for a different request"}});
  }
  BEIAN_ASSIGN_OR_RETURN(std::string body, pii.Open(found->response, kAnswerColumn));
  return std::optional<StoredAnswer>(StoredAnswer{static_cast<unsigned>(found->status), body});
}

Status Remember(store::Tx& tx, const Actor& actor, const Idempotency& idem,
                const StoredAnswer& answer, const core::PiiCipher& pii, int64_t now_ms) {
  if (idem.key.empty()) return core::Ok();
  return store::IdempotencyRepo(tx).Insert({actor.user_id, idem.key, idem.request_hash,
                                            static_cast<int>(answer.status),
                                            pii.Seal(answer.body, kAnswerColumn), now_ms});
}

}  // namespace

ApplicationsService::ApplicationsService(store::Database& db, const core::Clock& clock,
                                         const core::PiiCipher& pii, const domain::Rules& rules,
                                         ApplicationsOptions options)
    : db_(db),
      clock_(clock),
      pii_(pii),
      rules_(rules),
      calendar_(rules),
      options_(std::move(options)) {}

Status ApplicationsService::CheckLimits(const domain::Application& app) const {
  std::vector<core::ErrorDetail> details;
  if (app.websites.size() > static_cast<size_t>(options_.max_websites)) {
    details.push_back(
        {"websites", "too_many_websites",
         "at most " + std::to_string(options_.max_websites) + " websites per application"});
  }
  size_t domains = 0;
  for (const domain::Website& w : app.websites) domains += w.domains.size();
  if (domains > static_cast<size_t>(options_.max_domains)) {
    details.push_back(
        {"websites", "too_many_domains",
         "at most " + std::to_string(options_.max_domains) + " domains per application"});
  }
  if (details.empty()) return core::Ok();
  std::string message = details.front().message;
  return Error(ErrorCode::kLimitExceeded, message, std::move(details));
}

Result<store::ApplicationRecord> ApplicationsService::Save(store::Tx& tx,
                                                           store::ApplicationRecord record,
                                                           const domain::Application& app,
                                                           const std::string& icp_password,
                                                           int64_t expected_version) {
  const int64_t now_ms = ToMillis(clock_.Now());
  record.body = SealApplicationBody(Content(app), icp_password, pii_);
  record.organizer_type = app.organizer.type;
  record.organizer_name = app.organizer.name;
  record.province = app.organizer.province;
  record.certificate_hash = CertificateHash(app.organizer.certificate.number, pii_);
  store::ApplicationRepo repo(tx);
  BEIAN_ASSIGN_OR_RETURN(bool saved, repo.UpdateBody(record, expected_version, now_ms));
  if (!saved) {
    return Error(ErrorCode::kPreconditionFailed,
                 "the application has changed; reload it and try again");
  }
  record.version = expected_version + 1;
  record.updated_at_ms = now_ms;
  const auto keys = DomainKeys(app);
  BEIAN_TRY(repo.ClaimKeys(record.id, record.owner_id, record.certificate_hash, keys));
  std::vector<std::string> domains;
  for (const auto& k : keys) domains.push_back(k.domain);
  BEIAN_TRY(repo.SetDomains(record.id, domains));
  return record;
}

Result<ApplicationDetail> ApplicationsService::Load(store::Tx& tx, const Actor& actor,
                                                    const std::string& id) {
  BEIAN_ASSIGN_OR_RETURN(auto found, store::ApplicationRepo(tx).Find(id));
  if (!found || found->owner_id != actor.user_id) return NotFound();
  BEIAN_ASSIGN_OR_RETURN(OpenedBody opened, OpenApplicationBody(*found, pii_));
  return ApplicationDetail{std::move(*found), std::move(opened.application)};
}

json::object ApplicationsService::View(const ApplicationDetail& d, bool masked) const {
  json::object out = ApplicationView(d.application, d.record, masked, rules_);
  AddReviewFields(out, d.extras, masked);
  return out;
}

Status ApplicationsService::FillExtras(store::Tx& tx, ApplicationDetail& d) const {
  BEIAN_ASSIGN_OR_RETURN(d.extras, LoadReviewExtras(tx, d.record, d.application, pii_));
  return core::Ok();
}

Result<StoredAnswer> ApplicationsService::Create(const Actor& actor,
                                                 const domain::Application& input,
                                                 const Idempotency& idem) {
  BEIAN_TRY(CheckLimits(input));
  const domain::Application app = Content(input);
  return db_.Write([&](store::Tx& tx) -> Result<StoredAnswer> {
    BEIAN_ASSIGN_OR_RETURN(auto replay, Replay(tx, actor, idem, pii_));
    if (replay) return std::move(*replay);
    const int64_t now_ms = ToMillis(clock_.Now());
    store::ApplicationRecord r;
    r.id = core::RandomId();
    r.owner_id = actor.user_id;
    r.state = std::string(domain::InitialState(domain::Machine::kApplication));
    r.version = 1;
    r.body = SealApplicationBody(app, "", pii_);
    r.organizer_type = app.organizer.type;
    r.organizer_name = app.organizer.name;
    r.province = app.organizer.province;
    r.certificate_hash = CertificateHash(app.organizer.certificate.number, pii_);
    r.created_at_ms = r.updated_at_ms = r.state_entered_at_ms = now_ms;
    store::ApplicationRepo repo(tx);
    BEIAN_TRY(repo.Insert(r));
    const auto keys = DomainKeys(app);
    BEIAN_TRY(repo.ClaimKeys(r.id, r.owner_id, r.certificate_hash, keys));
    std::vector<std::string> domains;
    for (const auto& k : keys) domains.push_back(k.domain);
    BEIAN_TRY(repo.SetDomains(r.id, domains));
    BEIAN_TRY(RecordCreation(tx, transition_context(), r, actor.user_id, actor.role));
    domain::Application shown = app;
    shown.state = r.state;
    StoredAnswer answer{201, json::serialize(View({r, shown}, false))};
    BEIAN_TRY(Remember(tx, actor, idem, answer, pii_, now_ms));
    return answer;
  });
}

Result<ApplicationDetail> ApplicationsService::Get(const Actor& actor, const std::string& id) {
  return db_.Read([&](store::Tx& tx) -> Result<ApplicationDetail> {
    BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d, Load(tx, actor, id));
    BEIAN_TRY(FillExtras(tx, d));
    return d;
  });
}

Result<ApplicationList> ApplicationsService::List(const Actor& actor, const std::string& state,
                                                  int limit, const std::string& cursor) {
  if (!state.empty()) {
    const auto states = domain::States(domain::Machine::kApplication);
    if (std::find(states.begin(), states.end(), state) == states.end()) {
      return Error(ErrorCode::kValidationFailed, "unknown state: " + state,
                   {{"state", "invalid", "unknown state: " + state}});
    }
  }
  return db_.Read([&](store::Tx& tx) -> Result<ApplicationList> {
    BEIAN_ASSIGN_OR_RETURN(store::ApplicationPage page,
                           store::ApplicationRepo(tx).List(
                               {.owner_id = actor.user_id, .state = state}, limit, cursor));
    ApplicationList out;
    out.next_cursor = page.next_cursor;
    for (store::ApplicationRecord& r : page.items) {
      BEIAN_ASSIGN_OR_RETURN(OpenedBody opened, OpenApplicationBody(r, pii_));
      ApplicationDetail d{std::move(r), std::move(opened.application)};
      BEIAN_TRY(FillExtras(tx, d));
      out.items.push_back(std::move(d));
    }
    return out;
  });
}

Result<ApplicationDetail> ApplicationsService::Update(const Actor& actor, const std::string& id,
                                                      const json::object& patch,
                                                      int64_t expected_version) {
  return db_.Write([&](store::Tx& tx) -> Result<ApplicationDetail> {
    BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d, Load(tx, actor, id));
    if (d.record.version != expected_version) {
      return Error(ErrorCode::kPreconditionFailed,
                   "the application is at version " + std::to_string(d.record.version) + ", not " +
                       std::to_string(expected_version) + "; reload it and try again");
    }
    if (!Editable(d.record.state)) {
      const std::string msg =
          "an application in state " + d.record.state + " cannot be edited (event update)";
      return Error(ErrorCode::kInvalidTransition, msg, {{"state", "invalid_transition", msg}});
    }
    json::value merged = domain::ToJson(Content(d.application));
    json::object content_patch = patch;
    for (std::string_view owned : {"id", "version", "state", "filing_type"}) {
      content_patch.erase(owned);
    }
    MergePatch(merged, content_patch);
    BEIAN_ASSIGN_OR_RETURN(domain::Application app, domain::ApplicationFromJson(merged));
    BEIAN_TRY(CheckLimits(app));
    BEIAN_ASSIGN_OR_RETURN(OpenedBody secrets, OpenApplicationBody(d.record, pii_));
    BEIAN_ASSIGN_OR_RETURN(store::ApplicationRecord saved,
                           Save(tx, d.record, app, secrets.icp_password, expected_version));
    app.id = saved.id;
    app.version = saved.version;
    app.state = saved.state;
    app.filing_type = saved.filing_type;
    ApplicationDetail out{std::move(saved), std::move(app)};
    BEIAN_TRY(FillExtras(tx, out));
    return out;
  });
}

Result<ApplicationDetail> ApplicationsService::Withdraw(const Actor& actor, const std::string& id) {
  return db_.Write([&](store::Tx& tx) -> Result<ApplicationDetail> {
    BEIAN_ASSIGN_OR_RETURN(TransitionOutcome t, TransitionApplication(tx, transition_context(),
                                                                      {.application_id = id,
                                                                       .event = "withdraw",
                                                                       .actor_id = actor.user_id,
                                                                       .role = actor.role,
                                                                       .owner_id = actor.user_id}));
    BEIAN_ASSIGN_OR_RETURN(OpenedBody opened, OpenApplicationBody(t.application, pii_));
    ApplicationDetail out{std::move(t.application), std::move(opened.application)};
    BEIAN_TRY(FillExtras(tx, out));
    return out;
  });
}

RemoteFacts ApplicationsService::FetchRemote(const domain::Application& app,
                                             const std::string& beian_sn,
                                             const std::string& icp_password) const {
  RemoteFacts facts;
  if (options_.registry_lookup) facts.registry = options_.registry_lookup(app);
  if (options_.credentials_check && !beian_sn.empty() && !icp_password.empty()) {
    facts.credentials_valid = options_.credentials_check(
        app.organizer.certificate.type, app.organizer.certificate.number, beian_sn, icp_password);
  }
  return facts;
}

Result<PrecheckAnswer> ApplicationsService::RunPrecheck(store::Tx& tx, const ApplicationDetail& d,
                                                        const RemoteFacts& facts) {
  std::unique_ptr<domain::InventoryView> inventory;
  if (options_.inventory) {
    BEIAN_ASSIGN_OR_RETURN(inventory, options_.inventory(tx, d.record.owner_id, d.application));
  } else {
    inventory = std::make_unique<domain::InMemoryInventory>();
  }
  OwnFilingsRegistry registry(tx, pii_, options_.provider, d.record.id);
  PrecheckAnswer answer;
  if (facts.registry) {
    const core::Result<domain::InMemoryRegistry>& remote = *facts.registry;
    const domain::InMemoryRegistry nothing;
    AuthorityRegistry view(remote ? *remote : nothing, registry);
    answer.result =
        domain::Precheck(d.application, view, inventory.get(), rules_, clock_, options_.provider);
    if (!remote) {
      // Without the registry the type cannot be judged: say so, and block submission.
      domain::Finding unreachable{domain::Severity::kError,
                                  "filing_type",
                                  "authority_unreachable",
                                  {{"reason", remote.error().message}}};
      answer.result.filing_type.reset();
      answer.result.needs_beian_credentials = false;
      answer.result.explanation = unreachable;
      answer.result.findings.insert(answer.result.findings.begin(), std::move(unreachable));
    }
  } else {
    answer.result = domain::Precheck(d.application, registry, inventory.get(), rules_, clock_,
                                     options_.provider);
  }
  DocumentSet uploaded;
  if (options_.documents) {
    BEIAN_ASSIGN_OR_RETURN(uploaded, options_.documents(tx, d.record.id));
  }
  // The verified photo is one photo per application in the authenticity check (taken in front
  // of the one backdrop mailed, uploaded under the subject `organizer`), whichever person in
  // charge the rules name for it.
  const bool has_photo =
      std::any_of(uploaded.begin(), uploaded.end(),
                  [](const auto& kind_subject) { return kind_subject.first == "verified_photo"; });
  for (const domain::RequiredDocument& doc : answer.result.required_documents) {
    answer.satisfied.push_back(
        doc.kind == "verified_photo" ? has_photo : uploaded.contains({doc.kind, doc.subject}));
  }
  return answer;
}

Result<PrecheckAnswer> ApplicationsService::Precheck(const Actor& actor, const std::string& id) {
  for (int attempt = 1;; ++attempt) {
    BEIAN_ASSIGN_OR_RETURN(ApplicationDetail before,
                           db_.Read([&](store::Tx& tx) { return Load(tx, actor, id); }));
    const RemoteFacts remote = FetchRemote(before.application);
    BEIAN_ASSIGN_OR_RETURN(std::optional<PrecheckAnswer> answer,
                           PrecheckAt(actor, id, before.record.version, remote));
    if (answer) return std::move(*answer);
    if (attempt == kRemoteAttempts) return ChangedMeanwhile();
  }
}

Result<std::optional<PrecheckAnswer>> ApplicationsService::PrecheckAt(const Actor& actor,
                                                                      const std::string& id,
                                                                      int64_t version,
                                                                      const RemoteFacts& remote) {
  return db_.Write([&](store::Tx& tx) -> Result<std::optional<PrecheckAnswer>> {
    BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d, Load(tx, actor, id));
    // Saved again while the authority was asked: judge the new content instead.
    if (d.record.version != version) return std::optional<PrecheckAnswer>();
    BEIAN_ASSIGN_OR_RETURN(PrecheckAnswer answer, RunPrecheck(tx, d, remote));
    // The filing type is the last precheck's judgement, kept while the application is editable.
    if (Editable(d.record.state)) {
      const std::string type = answer.result.filing_type
                                   ? std::string(FilingTypeName(*answer.result.filing_type))
                                   : std::string();
      if (type != d.record.filing_type) {
        BEIAN_TRY(store::ApplicationRepo(tx).SetFilingType(d.record.id, type));
      }
    }
    return std::optional<PrecheckAnswer>(std::move(answer));
  });
}

json::object ApplicationsService::PrecheckJson(const PrecheckAnswer& answer) const {
  json::object out = domain::ToJson(answer.result, rules_);
  json::array& docs = out["required_documents"].as_array();
  for (size_t i = 0; i < docs.size() && i < answer.satisfied.size(); ++i) {
    docs[i].as_object()["satisfied"] = static_cast<bool>(answer.satisfied[i]);
  }
  return out;
}

Result<StoredAnswer> ApplicationsService::Submit(const Actor& actor, const std::string& id,
                                                 const SubmitRequest& request,
                                                 const Idempotency& idem) {
  for (int attempt = 1;; ++attempt) {
    // What the authority is asked about: the content as stored, with the SN and password given.
    struct Before {
      std::optional<StoredAnswer> replay;
      ApplicationDetail detail;
      std::string icp_password;
    };
    BEIAN_ASSIGN_OR_RETURN(Before before, db_.Read([&](store::Tx& tx) -> Result<Before> {
      Before b;
      BEIAN_ASSIGN_OR_RETURN(b.replay, Replay(tx, actor, idem, pii_));
      if (b.replay) return b;
      BEIAN_ASSIGN_OR_RETURN(b.detail, Load(tx, actor, id));
      BEIAN_ASSIGN_OR_RETURN(OpenedBody secrets, OpenApplicationBody(b.detail.record, pii_));
      b.icp_password = request.icp_password.empty() ? secrets.icp_password : request.icp_password;
      return b;
    }));
    if (before.replay) return std::move(*before.replay);
    domain::Application asked = before.detail.application;
    if (!request.beian_sn.empty()) asked.beian.subject_sn = request.beian_sn;
    const RemoteFacts remote = FetchRemote(asked, asked.beian.subject_sn, before.icp_password);
    BEIAN_ASSIGN_OR_RETURN(
        std::optional<StoredAnswer> answer,
        SubmitAt(actor, id, request, idem, before.detail.record.version, remote));
    if (answer) return std::move(*answer);
    if (attempt == kRemoteAttempts) return ChangedMeanwhile();
  }
}

Result<std::optional<StoredAnswer>> ApplicationsService::SubmitAt(
    const Actor& actor, const std::string& id, const SubmitRequest& request,
    const Idempotency& idem, int64_t version, const RemoteFacts& remote) {
  return db_.Write([&](store::Tx& tx) -> Result<std::optional<StoredAnswer>> {
    BEIAN_ASSIGN_OR_RETURN(auto replay, Replay(tx, actor, idem, pii_));
    if (replay) return replay;
    BEIAN_ASSIGN_OR_RETURN(ApplicationDetail d, Load(tx, actor, id));
    // Saved again while the authority was asked: ask about the new content.
    if (d.record.version != version) return std::optional<StoredAnswer>();
    const std::string event = d.record.state == "returned" ? "resubmit" : "submit";
    if (!Editable(d.record.state)) {
      // Let the state machine name the refusal.
      BEIAN_TRY(domain::Apply(domain::Machine::kApplication, d.record.state, event, actor.role,
                              {.precheck_passed = true}));
    }
    domain::Application app = d.application;
    if (!request.beian_sn.empty()) app.beian.subject_sn = request.beian_sn;
    BEIAN_ASSIGN_OR_RETURN(OpenedBody secrets, OpenApplicationBody(d.record, pii_));
    const std::string icp_password =
        request.icp_password.empty() ? secrets.icp_password : request.icp_password;
    ApplicationDetail judged{d.record, app};
    BEIAN_ASSIGN_OR_RETURN(PrecheckAnswer answer, RunPrecheck(tx, judged, remote));
    const domain::PrecheckResult& result = answer.result;

    std::vector<core::ErrorDetail> problems;
    for (const domain::Finding& f : result.findings) {
      if (f.severity != domain::Severity::kError) continue;
      problems.push_back({f.field, f.code, domain::RenderMessage(rules_, f, "en")});
    }
    for (size_t i = 0; i < result.required_documents.size(); ++i) {
      const domain::RequiredDocument& doc = result.required_documents[i];
      if (answer.satisfied[i] || doc.kind == "verified_photo") continue;
      problems.push_back({doc.subject, "document_missing",
                          "the document " + doc.kind + " for " + doc.subject + " is missing"});
    }
    if (!problems.empty()) {
      return Error(ErrorCode::kPrecheckFailed,
                   "the application cannot be submitted yet: " + std::to_string(problems.size()) +
                       " problem(s) remain",
                   std::move(problems));
    }
    if (result.needs_beian_credentials) {
      std::vector<core::ErrorDetail> missing;
      if (app.beian.subject_sn.empty()) {
        missing.push_back(
            {"beian_sn", "required", "this filing type needs the subject's Beian SN (备案号)"});
      }
      if (icp_password.empty()) {
        missing.push_back(
            {"icp_password", "required", "this filing type needs the ICP password (备案密码)"});
      }
      if (!missing.empty()) {
        return Error(ErrorCode::kCredentialsRequired,
                     "this filing type needs the Beian SN and the ICP password",
                     std::move(missing));
      }
      if (remote.credentials_valid) {
        BEIAN_ASSIGN_OR_RETURN(bool valid, *remote.credentials_valid);
        if (!valid) {
          const std::string msg =
              "the Beian SN and ICP password do not match the subject filed under this "
              "certificate";
          return Error(ErrorCode::kBeianCredentialsInvalid, msg,
                       {{"beian_sn", "beian_credentials_invalid", msg},
                        {"icp_password", "beian_credentials_invalid", msg}});
        }
      }
    }
    app.filing_type =
        result.filing_type ? std::string(FilingTypeName(*result.filing_type)) : std::string();
    store::ApplicationRecord record = d.record;
    record.filing_type = app.filing_type;
    BEIAN_ASSIGN_OR_RETURN(record, Save(tx, record, app, icp_password, d.record.version));
    BEIAN_ASSIGN_OR_RETURN(TransitionOutcome t,
                           TransitionApplication(tx, transition_context(),
                                                 {.application_id = id,
                                                  .event = event,
                                                  .actor_id = actor.user_id,
                                                  .role = actor.role,
                                                  .facts = {.precheck_passed = true},
                                                  .owner_id = actor.user_id}));
    app.state = t.application.state;
    ApplicationDetail submitted{t.application, app};
    BEIAN_TRY(FillExtras(tx, submitted));
    StoredAnswer out{200, json::serialize(View(submitted, false))};
    BEIAN_TRY(Remember(tx, actor, idem, out, pii_, ToMillis(clock_.Now())));
    return std::optional<StoredAnswer>(std::move(out));
  });
}

Result<std::vector<store::ApplicationEvent>> ApplicationsService::Events(const Actor& actor,
                                                                         const std::string& id) {
  return db_.Read([&](store::Tx& tx) -> Result<std::vector<store::ApplicationEvent>> {
    BEIAN_ASSIGN_OR_RETURN(auto found, store::ApplicationRepo(tx).Find(id));
    if (!found || found->owner_id != actor.user_id) return NotFound();
    return store::ApplicationEventRepo(tx).List(id);
  });
}

Result<int64_t> ApplicationsService::PurgeIdempotencyKeys() {
  const int64_t before =
      ToMillis(clock_.Now() -
               std::chrono::duration_cast<core::TimePoint::duration>(options_.idempotency_ttl));
  return db_.Write([&](store::Tx& tx) { return store::IdempotencyRepo(tx).PurgeBefore(before); });
}

}  // namespace beian::agent
