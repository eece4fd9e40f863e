// The HTTP surface of accounts, mounted under a service's API prefix (DESIGN §6):
//   POST {prefix}/auth/register   (only when the service allows self-registration)
//   POST {prefix}/auth/login      → {user, csrf_token} and the session cookie
//   POST {prefix}/auth/logout     → 204, cookie cleared
//   POST {prefix}/auth/logout-all → 204, every session of the account ended, cookie cleared
//   GET  {prefix}/me              → {user, csrf_token}
// Handlers only decode, call AccountsService, and render. With a PasswordPool, register and login
// (the requests that hash or verify a password) run on the pool and answer through a deferred
// response; a full pool, or work that waited too long there, is answered 503 busy + Retry-After.
#pragma once

#include <string>

#include "accounts/accounts_service.h"
#include "accounts/password_pool.h"
#include "http/router.h"

namespace beian::accounts {

struct AccountRoutesOptions {
  std::string prefix;       // "/api/v1" or "/authority/v1"
  std::string cookie_name;  // distinct per service: browsers share cookies across ports
  bool cookie_secure = false;
  // Where register and login do their password work; nullptr: on the I/O thread (tests, tools).
  PasswordPool* password_pool = nullptr;
};

void RegisterAccountRoutes(http::Router& router, AccountsService& service,
                           const AccountRoutesOptions& options);

// The router's authenticator: the principal of the session named by the cookie.
http::Authenticator MakeAuthenticator(AccountsService& service, std::string cookie_name);

}  // namespace beian::accounts
