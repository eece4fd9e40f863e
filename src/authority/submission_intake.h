// The hand-over's receiving end (issue 10 item 3; contract §1): `POST /authority/v1/submissions`,
// signed by the provider. One call carries a whole filing — organizer, websites, the persons
// who must confirm by SMS and every document, base64-encoded (the route accepts 64 MiB).
//
// Receive() answers 201 for a first arrival and 200 for a repeat of the same
// (provider, submission_id) — a repeat writes nothing: no second submission, no codes, no
// messages. Otherwise, in order, nothing being stored on a refusal:
//   400 validation_failed / unknown_field  malformed body (organizer and websites are read with
//                                          the strict application reader,
//                                          domain::ApplicationFromJson)
//   422 document_hash_mismatch             a document's decoded content does not hash to `sha256`
//                                          (details field "documents[i]")
//   409 submission_conflict                another OPEN submission (sms_verification, under_review)
//                                          of ANY provider holds the certificate or a domain
//                                          (details name "organizer.certificate.number" /
//                                          "websites[i].domains[j]")
// On arrival, in ONE transaction: the submission row (payload sealed with PiiCipher, certificate
// as a keyed hash), its documents (bytes in the authority's FileBlobStore, content-addressed,
// written before the transaction: a refused or rolled-back arrival leaves at most unreferenced
// blobs), the "receive" event, the open keys, and the SMS codes through the StartSmsHook.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "authority/signed_routes.h"
#include "authority/sms_verification.h"
#include "blob/blob_store.h"
#include "core/clock.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "domain/calendar.h"
#include "domain/rules.h"
#include "http/router.h"
#include "store/database.h"
#include "store/providers.h"
#include "store/submissions.h"

namespace beian::authority {

// How the intake starts SMS verification; `beian serve` sets it to &StartSmsVerification
// (authority/sms_verification.h). Empty: no codes are sent (the submission waits in
// sms_verification until its deadline).
using StartSmsHook =
    std::function<core::Status(store::Tx&, const store::SubmissionRecord&,
                               const std::vector<SmsPerson>&, const core::PiiCipher&, int64_t)>;

// The largest hand-over body (documents included, base64).
inline constexpr uint64_t kSubmissionBodyLimit = uint64_t{64} << 20;

// The PiiCipher columns of the submission's sealed payload and certificate hash (the certificate
// hash is the registry's, so a submission and its registry subject hash alike).
inline constexpr std::string_view kPayloadColumn = "submissions.payload";
inline constexpr std::string_view kCertificateColumn = "registry_subjects.certificate";

struct IntakeAnswer {
  bool created = false;  // 201 when true, 200 for a repeat
  boost::json::object body;
};

class SubmissionIntake {
 public:
  SubmissionIntake(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                   const domain::Rules& rules, blob::BlobStore& blobs)
      : db_(db), clock_(clock), pii_(pii), rules_(rules), blobs_(blobs) {}

  void SetStartSmsHook(StartSmsHook hook) { start_sms_ = std::move(hook); }

  core::Result<IntakeAnswer> Receive(const store::Provider& provider, std::string_view body) const;

  // {id, submission_id, state, sms_deadline} of a stored submission.
  static boost::json::object Summary(const store::SubmissionRecord& s);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
  const domain::Rules& rules_;
  blob::BlobStore& blobs_;
  StartSmsHook start_sms_;
};

// POST /authority/v1/submissions (signed; body limit kSubmissionBodyLimit).
// REQUIRES: `intake` and `verifier` outlive the router.
void RegisterSubmissionRoutes(http::Router& router, const SubmissionIntake& intake,
                              const SignatureVerifier& verifier);

}  // namespace beian::authority
