// The authority's review of submissions (issue 10 item 5; contract §6), for role
// authority_reviewer: the queue by province with the statutory clock (20 working days from the
// start of the review, the rules' business calendar), the submission in detail (identity numbers
// and mobiles masked), its documents, the claim (30 minutes, one conditional UPDATE), and the
// decision:
//   approve — in ONE read-committed transaction: RegistryService::RecordApproval (subject SN at a
//             first filing, a website SN per website, the provider recorded), a fresh ICP
//             password (16 characters without look-alikes) stored only as its Argon2id hash,
//             TransitionSubmission(approve) with the issued numbers (→ provider_events), and the
//             messages: `authority_icp_password` by SMS and e-mail to the organizer's person in
//             charge when the subject is new (the password sealed in the params by
//             notify::SealParam, column "notifications.icp_password"), `authority_approved` by
//             e-mail always.
//   reject  — reasons from the catalogue data/authority/reasons.tsv
//             (domain::AuthorityReasons), the transition and the `authority_rejected` e-mail.
// The decision needs the reviewer's live claim (claim_required); the first statement of the
// decision re-takes the claim, which locks the row, so two decisions on one submission — two
// reviewers, or one reviewer's double click — serialise and the second finds it decided.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "authority/registry_service.h"
#include "authority/submission_transitions.h"
#include "blob/blob_store.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "domain/authority_reasons.h"
#include "domain/calendar.h"
#include "domain/rules.h"
#include "http/request.h"
#include "http/router.h"
#include "store/database.h"

namespace beian::authority {

// How long a claim lasts.
inline constexpr int64_t kAuthorityClaimMs = 30 * 60 * 1000;

// A new ICP password: 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
std::string NewIcpPassword();

struct ReviewQueueQuery {
  std::string state = "under_review";  // under_review | sms_verification | decided
  std::string province = {};
  bool overdue_only = false;
  int limit = 20;
  std::string cursor = {};
};

struct DocumentDownload {
  std::string filename;
  std::string content_type;
  std::string content;
};

class AuthorityReviewService {
 public:
  AuthorityReviewService(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                         const domain::Rules& rules, const RegistryService& registry,
                         blob::BlobStore& blobs, domain::AuthorityReasons reasons,
                         core::PasswordCost password_cost)
      : db_(db),
        clock_(clock),
        pii_(pii),
        rules_(rules),
        calendar_(rules),
        registry_(registry),
        blobs_(blobs),
        reasons_(std::move(reasons)),
        password_cost_(password_cost) {}

  // {items:[queue item], next_cursor}.
  core::Result<boost::json::object> Queue(const ReviewQueueQuery& q) const;
  // The detail; kNotFound.
  core::Result<boost::json::object> Detail(const std::string& id) const;
  core::Result<DocumentDownload> Document(const std::string& id, const std::string& doc_id) const;
  // {claimed_by, claim_until}; kClaimedByOther, kInvalidTransition (not under review), kNotFound.
  core::Result<boost::json::object> Claim(const std::string& id,
                                          const http::Principal& reviewer) const;
  // decision "approve" | "reject". The detail after the decision.
  core::Result<boost::json::object> Decide(const std::string& id, const http::Principal& reviewer,
                                           const std::string& decision,
                                           const std::vector<Reason>& reasons) const;
  const domain::AuthorityReasons& reasons() const { return reasons_; }

 private:
  SubmissionTransitionContext Context() const { return {clock_, rules_, calendar_}; }
  boost::json::object QueueItem(const store::SubmissionRecord& s, int64_t now_ms) const;
  core::Status CheckReasons(bool rejecting, const std::vector<Reason>& reasons) const;

  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
  const domain::Rules& rules_;
  domain::BusinessCalendar calendar_;
  const RegistryService& registry_;
  blob::BlobStore& blobs_;
  domain::AuthorityReasons reasons_;
  core::PasswordCost password_cost_;
};

// The review routes under /authority/v1/review (role authority_reviewer).
// REQUIRES: `service` outlives the router.
void RegisterReviewRoutes(http::Router& router, const AuthorityReviewService& service);

}  // namespace beian::authority
