// The provider's service (the "agent", port 8080): its accounts (applicants register
// themselves; reviewers and admins are created by an admin), the inventory, its applicants'
// applications (applications_routes.h), their documents, and the provider's review and
// authenticity check (review_routes.h), and the public filing look-up answered from the agent's
// copy of the registry (public_filings_routes.h, kept by registry_sync.h).
// Register() mounts the service's API routes under /api/v1 on a router; the operators' endpoints
// (/healthz, /readyz, /metrics) and the static console are mounted by `beian serve`.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "accounts/accounts_routes.h"
#include "accounts/accounts_service.h"
#include "accounts/password_pool.h"
#include "agent/applications_service.h"
#include "agent/authority_events.h"
#include "agent/documents_routes.h"
#include "agent/documents_service.h"
#include "agent/handover.h"
#include "agent/inventory_service.h"
#include "agent/public_filings_service.h"
#include "agent/public_lookup_index.h"
#include "agent/public_rate_limit.h"
#include "agent/registry_sync.h"
#include "agent/review_logic.h"
#include "agent/review_service.h"
#include "blob/blob_store.h"
#include "core/clock.h"
#include "core/pii_cipher.h"
#include "domain/rules.h"
#include "http/router.h"
#include "store/database.h"

namespace beian::agent {

inline constexpr std::string_view kApiPrefix = "/api/v1";
inline constexpr std::string_view kSessionCookie = "beian_session";

struct AgentOptions {
  bool cookie_secure = false;
  core::PasswordCost password_cost = core::PasswordCost::kInteractive;
  // Where sign-in and registration hash passwords (shared by the services of a process; must
  // outlive the server); nullptr: on the I/O threads.
  accounts::PasswordPool* password_pool = nullptr;
  ApplicationsOptions applications = {};
  // Where documents are stored (must outlive the module), and the largest document accepted.
  blob::BlobStore* blobs = nullptr;
  uint64_t upload_limit = kDefaultUploadLimit;
  // The review: how long a claim lasts, and the reason catalogue (unset: the built-in one,
  // which a unit test keeps valid; `beian serve` loads and checks it before wiring).
  ReviewOptions review = {};
  std::optional<ReasonCatalogue> reasons = std::nullopt;
  // The authority's change feed (unset: no authority; the public copy of the registry is then
  // not synced and answers from what it holds).
  RegistryChangeFeed registry_changes = nullptr;
  // The hand-over to the authority (unset: the rows wait in the outbox, no worker) and the
  // provider id + key that sign the authority's events (empty: every event is refused).
  SubmissionSender submission_sender = nullptr;
  HandoverOptions handover = {};
  AuthorityLink authority_link = {};
  // Where the public look-up's snapshot lives (<data-dir>/public-snapshot; issue 11); empty: no
  // snapshot, the look-up reads the copy per request. The index is started by
  // AgentModule::public_index()->Start() before the sync runs (`beian serve`).
  std::filesystem::path public_snapshot_dir = {};
  size_t public_snapshot_rebuild_after = 50'000;
  // The public look-up's rate limit per client address (off by default).
  PublicRateLimitOptions public_rate_limit = {};
  // Changes asked per page while the copy is far behind (RegistrySync's catch_up_limit).
  int registry_catch_up_page = 10000;
};

class AgentModule {
 public:
  // REQUIRES: options.blobs is set.
  AgentModule(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
              const domain::Rules& rules, AgentOptions options);

  void Register(http::Router& router);
  accounts::AccountsService& accounts() { return accounts_; }
  InventoryService& inventory() { return inventory_; }
  ApplicationsService& applications() { return applications_; }
  DocumentsService& documents() { return documents_; }
  ReviewService& review() { return review_; }
  PublicFilingsService& public_filings() { return public_filings_; }
  // nullptr without AgentOptions::registry_changes.
  RegistrySync* registry_sync() { return registry_sync_.get(); }
  // nullptr without AgentOptions::submission_sender; `beian serve` starts and stops it.
  HandoverWorker* handover() { return handover_.get(); }
  AuthorityEventsService& authority_events() { return authority_events_; }
  // nullptr without AgentOptions::public_snapshot_dir.
  PublicLookupIndex* public_index() { return public_index_.get(); }

 private:
  AgentOptions options_;
  accounts::AccountsService accounts_;
  InventoryService inventory_;
  ApplicationsService applications_;
  DocumentsService documents_;
  ReasonCatalogue reasons_;
  ReviewService review_;
  PublicFilingsService public_filings_;
  std::unique_ptr<RegistrySync> registry_sync_;
  AuthorityEventsService authority_events_;
  std::unique_ptr<HandoverWorker> handover_;
  std::unique_ptr<PublicLookupIndex> public_index_;
  PublicRateLimiter public_rate_limiter_;
};

}  // namespace beian::agent
