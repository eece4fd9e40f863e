// SubmissionIntake and the submissions route (see submission_intake.h).
#include "authority/submission_intake.h"

#include <sodium.h>

#include <chrono>
#include <set>

#include "authority/submission_transitions.h"
#include "core/crypto.h"
#include "core/json_reader.h"
#include "core/request_signing.h"
#include "domain/application_json.h"
#include "domain/deadlines.h"
#include "domain/domain_name.h"
#include "domain/registry_view.h"
#include "domain/state_machine.h"
#include "http/json.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

constexpr std::string_view kFilingTypes[] = {"first_filing", "new_website", "new_isp", "modify"};

// One document of the body, decoded.
struct IncomingDocument {
  std::string id;
  std::string kind;
  std::string subject;
  std::string filename;
  std::string content_type;
  int64_t size = 0;
  std::string sha256;
  std::string content;  // decoded bytes
};

struct Incoming {
  std::string submission_id;
  std::string application_id;
  std::string filing_type;
  std::string province;
  std::optional<std::string> beian_sn;
  domain::Application app;  // organizer + websites, normalised
  std::vector<std::string> sms_persons;
  std::vector<IncomingDocument> documents;
  json::object payload;  // the body minus "documents"
};

// Standard base64 (RFC 4648 §4, padded); whitespace (line breaks) ignored.
std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), " \t\r\n", &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

bool IsLowerHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsSubmissionId(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// Parses and checks the shape of the body; documents are decoded (not yet hash-checked).
Result<Incoming> Parse(const domain::Rules& rules, std::string_view text) {
  BEIAN_ASSIGN_OR_RETURN(json::object body, core::ParseJsonObjectText(text));
  Incoming in;
  {
    core::JsonReader r(body);
    in.submission_id = r.RequiredNonEmptyString("submission_id");
    in.application_id = r.RequiredNonEmptyString("application_id");
    in.filing_type = r.RequiredNonEmptyString("filing_type");
    in.province = r.RequiredNonEmptyString("province");
    in.beian_sn = r.OptionalString("beian_sn");
    if (in.beian_sn && in.beian_sn->empty()) in.beian_sn.reset();
    const json::value* organizer = r.Raw("organizer");
    if (organizer == nullptr || !organizer->is_object()) {
      r.AddProblem("organizer", "required", "the organizer object");
    }
    r.Raw("websites");
    in.sms_persons = r.RequiredStringArray("sms_persons");
    auto docs = r.RequiredObjectArray("documents");
    if (!in.submission_id.empty() && !IsSubmissionId(in.submission_id)) {
      r.AddProblem("submission_id", "invalid",
                   "at most 128 characters of letters, digits and - _ . :");
    }
    if (!in.filing_type.empty() && std::find(std::begin(kFilingTypes), std::end(kFilingTypes),
                                             in.filing_type) == std::end(kFilingTypes)) {
      r.AddProblem("filing_type", "invalid",
                   "filing_type is first_filing, new_website, new_isp or modify");
    }
    if (!in.province.empty() && rules.FindProvince(in.province) == nullptr) {
      r.AddProblem("province", "invalid", "unknown province code");
    }
    std::set<std::string> ids;
    for (size_t i = 0; i < docs.size(); ++i) {
      core::JsonReader& d = *docs[i];
      IncomingDocument doc;
      doc.id = d.RequiredNonEmptyString("id");
      doc.kind = d.RequiredNonEmptyString("kind");
      doc.subject = d.RequiredString("subject");
      doc.filename = d.RequiredNonEmptyString("filename");
      doc.content_type = d.RequiredNonEmptyString("content_type");
      doc.size = d.RequiredInt("size", 0, int64_t{64} << 20);
      doc.sha256 = d.RequiredNonEmptyString("sha256");
      const std::string b64 = d.RequiredString("content_base64");
      if (!doc.id.empty() && !ids.insert(doc.id).second) {
        d.AddProblem("id", "duplicate", "two documents have this id");
      }
      if (!doc.sha256.empty() && !IsLowerHex64(doc.sha256)) {
        d.AddProblem("sha256", "invalid", "64 lower-case hex digits");
      }
      auto content = DecodeBase64(b64);
      if (!content) {
        d.AddProblem("content_base64", "invalid", "not standard base64");
      } else {
        doc.content = std::move(*content);
        if (static_cast<int64_t>(doc.content.size()) != doc.size) {
          d.AddProblem("size", "invalid", "size differs from the decoded content's length");
        }
      }
      in.documents.push_back(std::move(doc));
    }
    BEIAN_TRY(r.Finish());
  }
  // Organizer and websites: the strict application reader (unknown members refused, paths named
  // as in the body).
  const json::value* websites = body.if_contains("websites");
  if (websites == nullptr || !websites->is_array() || websites->get_array().empty()) {
    return Error(ErrorCode::kValidationFailed, "websites must be a non-empty array",
                 {{"websites", "required", "at least one website"}});
  }
  json::object app_json{{"organizer", body.at("organizer")}, {"websites", *websites}};
  BEIAN_ASSIGN_OR_RETURN(in.app, domain::ApplicationFromJson(app_json));
  std::vector<core::ErrorDetail> problems;
  if (in.app.organizer.certificate.type.empty() || in.app.organizer.certificate.number.empty()) {
    problems.push_back({"organizer.certificate", "required", "certificate type and number"});
  }
  if (in.app.organizer.name.empty()) {
    problems.push_back({"organizer.name", "required", "the organizer's name"});
  }
  for (size_t i = 0; i < in.app.websites.size(); ++i) {
    const auto& w = in.app.websites[i];
    if (w.domains.empty()) {
      problems.push_back(
          {"websites[" + std::to_string(i) + "].domains", "required", "at least one domain"});
    }
    for (size_t j = 0; j < w.domains.size(); ++j) {
      if (!domain::AnalyzeDomain(w.domains[j])) {
        problems.push_back(
            {"websites[" + std::to_string(i) + "].domains[" + std::to_string(j) + "]",
             "domain_invalid", "not a valid domain name"});
      }
    }
  }
  if (in.sms_persons.empty()) {
    // The authority verifies at least one person by SMS; a hand-over naming nobody would skip
    // the check.
    problems.push_back({"sms_persons", "required", "at least one person to verify by SMS"});
  }
  for (size_t i = 0; i < in.sms_persons.size(); ++i) {
    const std::string& p = in.sms_persons[i];
    bool ok = p == "organizer";
    if (p.starts_with("website:")) {
      const std::string n = p.substr(8);
      ok = !n.empty() && n.size() < 4 && n.find_first_not_of("0123456789") == std::string::npos &&
           std::stoul(n) < in.app.websites.size();
    }
    if (!ok) {
      problems.push_back({"sms_persons[" + std::to_string(i) + "]", "invalid",
                          "\"organizer\" or \"website:N\" naming a website of the body"});
    }
  }
  if (!problems.empty()) {
    // The message first: the argument that moves `problems` may be evaluated before it.
    std::string message = problems.front().field + ": " + problems.front().message;
    return Error(ErrorCode::kValidationFailed, std::move(message), std::move(problems));
  }
  body.erase("documents");
  in.payload = std::move(body);
  return in;
}

// The registrable punycode of a (valid) domain.
std::string DomainKey(const std::string& d) {
  auto info = domain::AnalyzeDomain(d);
  if (!info) return d;
  return info->registrable.ascii.empty() ? info->name.ascii : info->registrable.ascii;
}

std::vector<SmsPerson> PersonsOf(const Incoming& in) {
  std::vector<SmsPerson> out;
  for (const std::string& p : in.sms_persons) {
    const domain::Person* person = &in.app.organizer.person_in_charge;
    if (p != "organizer") {
      const auto& w = in.app.websites.at(std::stoul(p.substr(8)));
      person = &domain::WebsitePerson(in.app, w);
    }
    out.push_back({.person = p,
                   .name = person->name,
                   .mobile = person->mobile,
                   .id_number = person->id_number});
  }
  return out;
}

// A marker error for "this (provider, submission_id) exists": the transaction rolls back and the
// stored one is answered.
bool IsRepeat(const Error& e) {
  return e.code == ErrorCode::kConflict &&
         store::ViolatedConstraint(e).starts_with("submissions.provider_id, ");
}

}  // namespace

json::object SubmissionIntake::Summary(const store::SubmissionRecord& s) {
  return {{"id", s.id},
          {"submission_id", s.provider_submission_id},
          {"state", s.state},
          {"sms_deadline", FormatRfc3339(s.sms_deadline_ms)}};
}

Result<IntakeAnswer> SubmissionIntake::Receive(const store::Provider& provider,
                                               std::string_view text) const {
  BEIAN_ASSIGN_OR_RETURN(Incoming in, Parse(rules_, text));
  auto find_existing = [&]() -> Result<std::optional<store::SubmissionRecord>> {
    return db_.Read([&](store::Tx& tx) {
      return store::SubmissionRepo(tx).FindByProvider(provider.id, in.submission_id);
    });
  };
  // A repeat is answered from what was stored, whatever its documents now say.
  BEIAN_ASSIGN_OR_RETURN(auto existing, find_existing());
  if (existing) return IntakeAnswer{false, Summary(*existing)};

  std::vector<core::ErrorDetail> mismatches;
  for (size_t i = 0; i < in.documents.size(); ++i) {
    if (core::Sha256Hex(in.documents[i].content) != in.documents[i].sha256) {
      mismatches.push_back({"documents[" + std::to_string(i) + "]", "document_hash_mismatch",
                            "the SHA-256 of the decoded content differs from sha256"});
    }
  }
  if (!mismatches.empty()) {
    return Error(ErrorCode::kDocumentHashMismatch,
                 "a document's content does not match its SHA-256; nothing was stored",
                 std::move(mismatches));
  }
  for (IncomingDocument& d : in.documents) {
    BEIAN_ASSIGN_OR_RETURN(std::string key, blobs_.Put(d.content));
    if (key != d.sha256) return Error(ErrorCode::kInternal, "the blob store changed a hash");
    d.content.clear();
    d.content.shrink_to_fit();
  }

  const core::TimePoint now = clock_.Now();
  const int64_t now_ms = ToMillis(now);
  const auto sms_deadline =
      domain::DeadlineForState(domain::Machine::kSubmission, store::kSubmissionSmsVerification, now,
                               rules_.timing, domain::BusinessCalendar(rules_));
  store::SubmissionRecord s;
  s.id = core::RandomId();
  s.provider_id = provider.id;
  s.provider_submission_id = in.submission_id;
  s.application_id = in.application_id;
  s.state = std::string(domain::InitialState(domain::Machine::kSubmission));
  s.filing_type = in.filing_type;
  s.province = in.province;
  s.organizer_type = in.app.organizer.type;
  s.organizer_name = in.app.organizer.name;
  s.certificate_type = in.app.organizer.certificate.type;
  s.certificate_hash = pii_.LookupHash(
      domain::CanonicalCertificateKey(in.app.organizer.certificate.number), kCertificateColumn);
  s.payload_sealed = pii_.Seal(json::serialize(in.payload), kPayloadColumn);
  s.beian_sn = in.beian_sn;
  s.sms_deadline_ms = sms_deadline ? ToMillis(sms_deadline->due) : now_ms;
  s.received_at_ms = now_ms;
  s.updated_at_ms = now_ms;

  // The keys this submission holds while open, each with the body field it came from.
  std::vector<std::pair<std::string, std::string>> keys;
  std::set<std::string> seen;
  keys.emplace_back("cert:" + s.certificate_type + ":" + s.certificate_hash,
                    "organizer.certificate.number");
  json::array domains;
  for (size_t i = 0; i < in.app.websites.size(); ++i) {
    const auto& w = in.app.websites[i];
    for (size_t j = 0; j < w.domains.size(); ++j) {
      const std::string d = DomainKey(w.domains[j]);
      if (!seen.insert(d).second) continue;
      domains.push_back(json::value(d));
      keys.emplace_back("domain:" + d,
                        "websites[" + std::to_string(i) + "].domains[" + std::to_string(j) + "]");
    }
  }
  s.domains_json = json::serialize(domains);
  const std::vector<SmsPerson> persons = PersonsOf(in);

  auto stored = db_.Write([&](store::Tx& tx) -> Result<store::SubmissionRecord> {
    store::SubmissionRepo repo(tx);
    BEIAN_ASSIGN_OR_RETURN(auto again, repo.FindByProvider(provider.id, in.submission_id));
    if (again) return std::move(*again);  // arrived meanwhile (answered as a repeat below)
    std::vector<core::ErrorDetail> conflicts;
    for (const auto& [key, field] : keys) {
      BEIAN_ASSIGN_OR_RETURN(auto holder, repo.OpenKeyHolderOf(key));
      if (holder) {
        conflicts.push_back({field, "submission_conflict",
                             "another open submission holds this " +
                                 std::string(key.starts_with("cert:") ? "certificate" : "domain")});
      }
    }
    if (!conflicts.empty()) {
      return Error(ErrorCode::kSubmissionConflict,
                   "another open submission has the same certificate or domain",
                   std::move(conflicts));
    }
    BEIAN_TRY(repo.Insert(s));
    for (const IncomingDocument& d : in.documents) {
      BEIAN_TRY(repo.InsertDocument({.submission_id = s.id,
                                     .doc_id = d.id,
                                     .kind = d.kind,
                                     .subject = d.subject,
                                     .filename = d.filename,
                                     .content_type = d.content_type,
                                     .size = d.size,
                                     .sha256 = d.sha256,
                                     .blob_key = d.sha256}));
    }
    for (const auto& [key, field] : keys) {
      auto put = repo.InsertOpenKey(key, s.id);
      if (!put) {
        // Taken by a concurrent arrival after the look-up: the primary key decides.
        if (store::ViolatedConstraint(put.error()) == "submission_open_keys.key") {
          return Error(ErrorCode::kSubmissionConflict,
                       "another open submission has the same certificate or domain",
                       {{field, "submission_conflict", "another open submission holds this key"}});
        }
        return std::move(put).error();
      }
    }
    BEIAN_TRY(repo.AppendEvent({.submission_id = s.id,
                                .from_state = "",
                                .to_state = s.state,
                                .event = "receive",
                                .actor = "provider:" + provider.id,
                                .at_ms = now_ms}));
    if (start_sms_) BEIAN_TRY(start_sms_(tx, s, persons, pii_, now_ms));
    return s;
  });
  if (!stored) {
    if (IsRepeat(stored.error())) {
      BEIAN_ASSIGN_OR_RETURN(auto found, find_existing());
      if (found) return IntakeAnswer{false, Summary(*found)};
    }
    return std::move(stored).error();
  }
  return IntakeAnswer{stored->id == s.id, Summary(*stored)};
}

void RegisterSubmissionRoutes(http::Router& router, const SubmissionIntake& intake,
                              const SignatureVerifier& verifier) {
  router.Add(
      "POST", "/authority/v1/submissions",
      Signed(
          verifier,
          [&intake](http::Request& req, const store::Provider& provider) -> Result<http::Response> {
            if (!http::IsJsonContentType(req.Header("Content-Type"))) {
              return Error(ErrorCode::kUnsupportedMediaType, "the body must be application/json");
            }
            BEIAN_ASSIGN_OR_RETURN(IntakeAnswer a, intake.Receive(provider, req.body));
            return http::JsonResponse(a.body, a.created ? 201 : 200);
          }),
      {.any_host = true, .body_limit = kSubmissionBodyLimit});
}

}  // namespace beian::authority
