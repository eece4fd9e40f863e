// What the review adds to the application JSON (the review contract): `submitted_at`,
// `backdrop`, `flagged_fields` and (issue 10) `authority`, read inside the caller's transaction,
// and the pieces the reviewer's detail shares with it (the documents snapshot, the state at the
// last rejection).
// Used by ApplicationsService (the applicant's views) and ReviewService (the reviewer's).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "agent/review_logic.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "domain/application.h"
#include "domain/rules.h"
#include "store/applications.h"
#include "store/database.h"
#include "store/handovers.h"
#include "store/review.h"

namespace beian::agent {

// The column the backdrop mobile is sealed under.
inline constexpr std::string_view kBackdropMobileColumn = "backdrop_requests.mobile";

struct ReviewExtras {
  std::optional<int64_t> submitted_at_ms;
  std::optional<store::BackdropRow> backdrop;
  std::string backdrop_mobile;        // in clear ("" when no backdrop)
  boost::json::array flagged_fields;  // [{field, code, message, changed}]
  std::optional<store::RejectionRow> last_rejection;
  bool rejection_current = false;  // no approval since the last rejection
  // The application's newest hand-over to the authority (the JSON's `authority`), if any.
  std::optional<store::Handover> handover;
};

// Records what a rejection judged (the sealed body of `before`, the documents now) beside its
// event, in the caller's transaction, before anything else changes: the preliminary `reject`,
// `reject_photo`, and the authority's rejection when it is relayed, so that flagged_fields and
// changes_since_rejection work for all of them.
core::Status RecordRejection(store::Tx& tx, const store::ApplicationRecord& before,
                             const store::ApplicationEvent& event,
                             const std::vector<Reason>& reasons);

// The application's documents as "kind:subject" → files.
core::Result<DocumentSnapshot> SnapshotDocuments(store::Tx& tx, const std::string& application_id);

// The application JSON (values in clear, service-owned members removed) of a stored body.
core::Result<boost::json::value> ContentJson(const store::ApplicationRecord& record,
                                             const std::string& body, const core::PiiCipher& pii);
boost::json::value ContentJson(const domain::Application& app);

core::Result<ReviewExtras> LoadReviewExtras(store::Tx& tx, const store::ApplicationRecord& record,
                                            const domain::Application& app,
                                            const core::PiiCipher& pii);

// Adds submitted_at, backdrop (mobile masked when `mask_mobile`) and flagged_fields to `view`.
void AddReviewFields(boost::json::object& view, const ReviewExtras& extras, bool mask_mobile);

// The backdrop entry {application_id?, recipient, mobile, address, requested_at, carrier,
// tracking_number, shipped_at}.
boost::json::object BackdropJson(const store::BackdropRow& row, const std::string& mobile);

}  // namespace beian::agent
