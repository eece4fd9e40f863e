// The provider's preliminary review and authenticity check (issue 7 items 5–6, 8; the review
// contract): the reviewer's queue, claims, detail view, reveal of full personal numbers (each an
// audit row), decisions with reasons from the catalogue, the backdrop shipping list and the
// photo decision; and the applicant's backdrop request and photo submission. Every state change
// goes through TransitionApplication in the same transaction as what goes with it (the
// rejection snapshot, the claim's release, the backdrop row). Thread-safe; several nodes may
// share a PostgreSQL database (a claim is one conditional upsert, see store/review.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "agent/applications_service.h"
#include "agent/review_logic.h"
#include "core/clock.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "domain/calendar.h"
#include "domain/rules.h"
#include "store/database.h"
#include "store/review.h"

namespace beian::agent {

inline constexpr int kDefaultClaimMinutes = 30;

struct ReviewOptions {
  std::chrono::minutes claim_duration{kDefaultClaimMinutes};
};

struct QueueQuery {
  std::string stage = "preliminary";  // preliminary | photo | ready
  std::string province;
  std::string organizer_type;
  bool overdue_only = false;
  int limit = 20;
  std::string cursor;
};

struct ClaimAnswer {
  std::string application_id;
  std::string reviewer_id;
  int64_t expires_at_ms = 0;
};

struct BackdropInput {
  std::string recipient;
  std::string mobile;
  std::string address;
};

class ReviewService {
 public:
  // `applications` supplies the views and the precheck; `reasons` must outlive the service.
  ReviewService(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                const domain::Rules& rules, ApplicationsService& applications,
                const ReasonCatalogue& reasons, ReviewOptions options = {});

  const ReasonCatalogue& reasons() const { return reasons_; }

  // Reviewer side (the routes admit role reviewer only).
  core::Result<boost::json::object> Queue(const Actor& actor, const QueueQuery& query);
  // kNotFound, kInvalidTransition (not in a reviewable state), kClaimedByOther (details name
  // the holder and the expiry).
  core::Result<ClaimAnswer> Claim(const Actor& actor, const std::string& id);
  // Releases the actor's own claim (no error when there was none).
  core::Status Release(const Actor& actor, const std::string& id);
  core::Result<boost::json::object> Detail(const Actor& actor, const std::string& id);
  // {values: {path: full value}}; writes an audit row naming the fields.
  core::Result<boost::json::object> Reveal(const Actor& actor, const std::string& id);
  // approve/reject (stage preliminary) or accept/reject (stage photo). Order of checks: reasons
  // (kUnknownReason / kValidationFailed), the state machine (kInvalidTransition), the actor's
  // live claim (kClaimRequired). Answers the masked application JSON.
  core::Result<boost::json::object> Decide(const Actor& actor, const std::string& id,
                                           ReviewStage stage, bool accept,
                                           const std::vector<Reason>& reasons);
  core::Result<boost::json::object> Backdrops(bool shipped, int limit, const std::string& cursor);
  core::Result<boost::json::object> Ship(const Actor& actor, const std::string& id,
                                         const std::string& carrier,
                                         const std::string& tracking_number);

  // Applicant side: kNotFound for another's application.
  core::Result<ApplicationDetail> RequestBackdrop(const Actor& actor, const std::string& id,
                                                  const BackdropInput& input);
  core::Result<ApplicationDetail> SubmitPhoto(const Actor& actor, const std::string& id,
                                              const std::string& document_id);

 private:
  int64_t NowMs() const;
  // The application for a reviewer: kNotFound for unknown ids and drafts (not submitted yet).
  core::Result<ApplicationDetail> LoadForReviewer(store::Tx& tx, const std::string& id);
  boost::json::object ReviewerView(const ApplicationDetail& d) const;
  boost::json::value ClaimJson(const std::optional<store::ClaimRow>& claim, const Actor& actor,
                               int64_t now_ms) const;

  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
  const domain::Rules& rules_;
  domain::BusinessCalendar calendar_;
  ApplicationsService& applications_;
  const ReasonCatalogue& reasons_;
  ReviewOptions options_;
};

// Validation of the applicant's backdrop request (recipient 2–30 characters, a mainland mobile
// 1[3-9] + 9 digits, address 8–200 characters); kValidationFailed with field details.
core::Status ValidateBackdrop(const BackdropInput& input);
// carrier 2–40 characters, tracking number 4–40 of [A-Za-z0-9-].
core::Status ValidateShipping(const std::string& carrier, const std::string& tracking_number);

}  // namespace beian::agent
