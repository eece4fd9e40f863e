// The HTTP surface of accounts, mounted under a service's API prefix (DESIGN §6):
//   POST {prefix}/auth/register   (only when the service allows self-registration)
//   POST {prefix}/auth/login      → {user, csrf_token} and the session cookie
//   POST {prefix}/auth/logout     → 204, cookie cleared
//   POST {prefix}/auth/logout-all → 204, every session of the account ended, cookie cleared
//   GET  {prefix}/me              → {user, csrf_token}
// Handlers only decode, call AccountsService, and render.
#pragma once

#include <string>

#include "accounts/accounts_service.h"
#include "http/router.h"

namespace beian::accounts {

struct AccountRoutesOptions {
  std::string prefix;       // "/api/v1" or "/authority/v1"
  std::string cookie_name;  // distinct per service: browsers share cookies across ports
  bool cookie_secure = false;
};

void RegisterAccountRoutes(http::Router& router, AccountsService& service,
                           const AccountRoutesOptions& options);

// The router's authenticator: the principal of the session named by the cookie.
http::Authenticator MakeAuthenticator(AccountsService& service, std::string cookie_name);

}  // namespace beian::accounts
