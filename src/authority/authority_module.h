// The competent authority's service (port 8090), with its own database: for now its own
// accounts (authority reviewers, created by `beian admin create-user`; no self-registration);
// later the registry, submissions, SMS verification, review and the public query.
// Register() mounts every route under /authority/v1 on a router.
#pragma once

#include "accounts/accounts_routes.h"
#include "accounts/accounts_service.h"
#include "accounts/password_pool.h"
#include "core/clock.h"
#include "core/pii_cipher.h"
#include "http/router.h"
#include "store/database.h"

namespace beian::authority {

inline constexpr std::string_view kApiPrefix = "/authority/v1";
inline constexpr std::string_view kSessionCookie = "beian_authority_session";

struct AuthorityOptions {
  bool cookie_secure = false;
  core::PasswordCost password_cost = core::PasswordCost::kInteractive;
  // Where sign-in and registration hash passwords (shared by the services of a process; must
  // outlive the server); nullptr: on the I/O threads.
  accounts::PasswordPool* password_pool = nullptr;
};

class AuthorityModule {
 public:
  AuthorityModule(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                  AuthorityOptions options);

  void Register(http::Router& router);
  accounts::AccountsService& accounts() { return accounts_; }

 private:
  AuthorityOptions options_;
  accounts::AccountsService accounts_;
};

}  // namespace beian::authority
