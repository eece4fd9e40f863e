// Wiring of the agent service's routes (see agent_module.h).
#include "agent/agent_module.h"

#include <stdexcept>

#include "agent/applications_routes.h"
#include "agent/documents_service.h"
#include "agent/inventory_routes.h"
#include "agent/public_filings_routes.h"
#include "agent/review_routes.h"
#include "core/roles.h"
#include "http/cookie.h"

namespace beian::agent {
namespace {

// The precheck reads the account's inventory rows its application names from the store unless a
// test supplies its own.
AgentOptions WithDefaults(AgentOptions o) {
  if (!o.applications.inventory) {
    o.applications.inventory = [](store::Tx& tx, const std::string& owner_id,
                                  const domain::Application& application)
        -> core::Result<std::unique_ptr<domain::InventoryView>> {
      BEIAN_ASSIGN_OR_RETURN(domain::InMemoryInventory view,
                             LoadInventoryViewFor(tx, owner_id, application));
      return std::unique_ptr<domain::InventoryView>(
          std::make_unique<domain::InMemoryInventory>(std::move(view)));
    };
  }
  if (!o.applications.documents) o.applications.documents = SatisfiedDocuments;
  if (!o.reasons) {
    auto built_in = ReasonCatalogue::BuiltIn();
    if (!built_in) throw std::runtime_error(built_in.error().message);
    o.reasons = std::move(*built_in);
  }
  return o;
}

}  // namespace

AgentModule::AgentModule(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                         const domain::Rules& rules, AgentOptions options)
    : options_(WithDefaults(std::move(options))),
      accounts_(db, clock, pii,
                {.login_roles = {std::string(core::kRoleApplicant),
                                 std::string(core::kRoleReviewer), std::string(core::kRoleAdmin)},
                 .self_registration = true,
                 .registration_role = std::string(core::kRoleApplicant),
                 .password_cost = options_.password_cost,
                 .confirm_accounts = true}),
      inventory_(db, clock),
      applications_(db, clock, pii, rules, options_.applications),
      documents_(db, *options_.blobs, clock, StoredApplicationAccess),
      reasons_(*options_.reasons),
      review_(db, clock, pii, rules, applications_, reasons_, options_.review),
      public_filings_(db),
      authority_events_(db, clock, pii, applications_.transition_context(),
                        options_.authority_link),
      public_rate_limiter_(options_.public_rate_limit) {
  if (options_.registry_changes) {
    registry_sync_ =
        std::make_unique<RegistrySync>(db, clock, options_.registry_changes,
                                       /*page_limit=*/500, options_.registry_catch_up_page);
  }
  if (options_.submission_sender) {
    handover_ = std::make_unique<HandoverWorker>(db, clock, pii, *options_.blobs,
                                                 applications_.transition_context(),
                                                 options_.submission_sender, options_.handover);
  }
  if (!options_.public_snapshot_dir.empty()) {
    public_index_ = std::make_unique<PublicLookupIndex>(
        db, clock,
        PublicLookupIndexOptions{.dir = options_.public_snapshot_dir,
                                 .rebuild_after = options_.public_snapshot_rebuild_after});
    public_filings_.SetIndex(public_index_.get());
    if (registry_sync_) {
      // Beside the snapshot: when the copy was last current (a restart while the authority is
      // unreachable serves it as of then; registry_sync.h).
      registry_sync_->SetCurrentMarkFile(options_.public_snapshot_dir / "current");
      PublicLookupIndex* index = public_index_.get();
      registry_sync_->SetPageListener(
          [index](const std::vector<PublicWebsiteChange>& changes, int64_t from, int64_t to,
                  int64_t behind) { index->ApplyChanges(changes, from, to, behind); });
    }
  }
}

void AgentModule::Register(http::Router& router) {
  const std::string cookie = http::SessionCookieName(kSessionCookie, options_.cookie_secure);
  router.SetAuthenticator(accounts::MakeAuthenticator(accounts_, cookie));
  accounts::RegisterAccountRoutes(router, accounts_,
                                  {.prefix = std::string(kApiPrefix),
                                   .cookie_name = cookie,
                                   .cookie_secure = options_.cookie_secure,
                                   .password_pool = options_.password_pool});
  RegisterInventoryRoutes(router, inventory_, std::string(kApiPrefix));
  RegisterApplicationRoutes(
      router, applications_, std::string(kApiPrefix),
      [this](std::string_view user_id) { return accounts_.RequireConfirmed(user_id); });
  RegisterDocumentRoutes(router, documents_, std::string(kApiPrefix), options_.upload_limit);
  RegisterReviewRoutes(router, review_, applications_, std::string(kApiPrefix));
  RegisterPublicFilingsRoutes(router, public_filings_, &public_rate_limiter_);
  RegisterAuthorityEventRoutes(router, authority_events_, std::string(kApiPrefix));
}

}  // namespace beian::agent
