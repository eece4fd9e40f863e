// Wiring of the authority service's routes (see authority_module.h).
#include "authority/authority_module.h"

#include "authority/registry_routes.h"
#include "core/roles.h"
#include "http/cookie.h"

namespace beian::authority {
namespace {

// The built-in catalogue; `beian serve` checks it before anything listens, so an empty one is
// only ever seen by a program that skipped that check (and then refuses every rejection).
domain::AuthorityReasons BuiltInReasons() {
  auto reasons = domain::AuthorityReasons::BuiltIn();
  return reasons ? std::move(*reasons) : domain::AuthorityReasons{};
}

}  // namespace

AuthorityModule::AuthorityModule(store::Database& db, const core::Clock& clock,
                                 const core::PiiCipher& pii, const domain::Rules& rules,
                                 AuthorityOptions options)
    : options_(options),
      accounts_(db, clock, pii,
                {.login_roles = {std::string(core::kRoleAuthorityReviewer)},
                 .self_registration = false,
                 .password_cost = options.password_cost}),
      verifier_(db, clock, pii),
      registry_(db, clock, pii, rules),
      intake_(db, clock, pii, rules, *options.blobs),
      review_(db, clock, pii, rules, registry_, *options.blobs, BuiltInReasons(),
              options.password_cost) {}

void AuthorityModule::Register(http::Router& router) {
  const std::string cookie = http::SessionCookieName(kSessionCookie, options_.cookie_secure);
  router.SetAuthenticator(accounts::MakeAuthenticator(accounts_, cookie));
  accounts::RegisterAccountRoutes(router, accounts_,
                                  {.prefix = std::string(kApiPrefix),
                                   .cookie_name = cookie,
                                   .cookie_secure = options_.cookie_secure,
                                   .password_pool = options_.password_pool});
  RegisterRegistryRoutes(router, registry_, verifier_);
  RegisterSubmissionRoutes(router, intake_, verifier_);
  RegisterReviewRoutes(router, review_);
}

}  // namespace beian::authority
