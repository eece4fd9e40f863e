// Wiring of the agent service's routes (see agent_module.h).
#include "agent/agent_module.h"

#include "agent/inventory_routes.h"
#include "core/roles.h"
#include "http/cookie.h"

namespace beian::agent {

AgentModule::AgentModule(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                         AgentOptions options)
    : options_(options),
      accounts_(db, clock, pii,
                {.login_roles = {std::string(core::kRoleApplicant),
                                 std::string(core::kRoleReviewer), std::string(core::kRoleAdmin)},
                 .self_registration = true,
                 .registration_role = std::string(core::kRoleApplicant),
                 .password_cost = options.password_cost}),
      inventory_(db, clock) {}

void AgentModule::Register(http::Router& router) {
  const std::string cookie = http::SessionCookieName(kSessionCookie, options_.cookie_secure);
  router.SetAuthenticator(accounts::MakeAuthenticator(accounts_, cookie));
  accounts::RegisterAccountRoutes(router, accounts_,
                                  {.prefix = std::string(kApiPrefix),
                                   .cookie_name = cookie,
                                   .cookie_secure = options_.cookie_secure,
                                   .password_pool = options_.password_pool});
  RegisterInventoryRoutes(router, inventory_, std::string(kApiPrefix));
}

}  // namespace beian::agent
