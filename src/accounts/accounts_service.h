// Accounts of one service (the agent's or the authority's, each on its own database):
// registration, login with throttling, sessions (256-bit tokens stored only as hashes, a CSRF
// token per session), logout, and the authenticator the router uses. Thread-safe; every
// operation is one database transaction, so several nodes may share a PostgreSQL database.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "http/request.h"
#include "store/database.h"
#include "store/sessions.h"
#include "store/users.h"

namespace beian::accounts {

struct AccountsOptions {
  // Roles whose users may log in to this service (the agent: applicant, reviewer, admin; the
  // authority: authority_reviewer).
  std::vector<std::string> login_roles;
  // Whether POST /auth/register exists, and the role it grants.
  bool self_registration = false;
  std::string registration_role = "applicant";
  std::chrono::seconds session_ttl{12 * 3600};
  // Sessions one account may hold; a new one beyond this ends the oldest.
  int max_sessions_per_account = 20;
  core::PasswordCost password_cost = core::PasswordCost::kInteractive;
};

// What a client sees of a user (DESIGN §6 `user`).
struct UserView {
  std::string id;
  std::string email;
  std::string phone;
  std::string display_name;
  std::string role;
  std::string locale;
};

struct Registration {
  std::string email;
  std::string phone;
  std::string password;
  std::string display_name;
  std::string locale = "zh-CN";
};

// A new session: the token goes into the cookie and is never stored; the CSRF token is
// returned to the client in the body.
struct SessionGrant {
  UserView user;
  std::string session_token;
  std::string csrf_token;
  std::chrono::seconds max_age{0};
};

class AccountsService {
 public:
  // Mobile numbers are stored sealed by `pii` (column "users.phone").
  AccountsService(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                  AccountsOptions options);

  // validation_failed (details per field), email_taken (checked before the password is hashed),
  // too_many_requests (retry_after_seconds set) when the address has registered too many
  // accounts lately (RegistrationThrottlePolicy). On success the user is logged in: the user and
  // its first session commit in one transaction.
  core::Result<SessionGrant> Register(const Registration& r, std::string_view client_address,
                                      int64_t* retry_after_seconds = nullptr);

  // invalid_credentials (the same for an unknown e-mail and a wrong password, in about the same
  // time), too_many_requests while throttled (retry_after_seconds set; see ThrottlePolicy in
  // account_rules.h: failing addresses are slowed, the owner's address is not).
  core::Result<SessionGrant> Login(std::string_view email, std::string_view password,
                                   std::string_view client_address,
                                   int64_t* retry_after_seconds = nullptr);

  core::Status Logout(std::string_view session_id);
  // Ends every session of the user ("sign out everywhere"); returns how many.
  core::Result<int64_t> LogoutAll(std::string_view user_id);

  // The principal for a session token, or nullopt when the token is unknown or expired.
  core::Result<std::optional<http::Principal>> Authenticate(std::string_view session_token);

  core::Result<UserView> GetUser(std::string_view user_id);

  // For administrators and the `beian admin create-user` command: any role, password rules
  // applied. email_taken when the address exists.
  core::Result<UserView> CreateUser(const Registration& r, std::string_view role);

  // Creates the user unless the e-mail exists (demo data). Returns true when created.
  core::Result<bool> EnsureUser(const Registration& r, std::string_view role);

  // Deletes sessions that have expired, and throttle counters that have run out; returns how many
  // sessions (housekeeping, run periodically).
  core::Result<int64_t> PurgeExpiredSessions();

  const AccountsOptions& options() const { return options_; }

 private:
  // A new session for `user` (tokens drawn) and the row to store with InsertSession.
  core::Result<std::pair<SessionGrant, store::NewSession>> DrawSession(
      const store::User& user, std::string_view client_address) const;
  // Stores the session and ends the user's oldest beyond max_sessions_per_account.
  core::Status InsertSession(store::Tx& tx, const store::NewSession& s) const;
  // validation_failed for an unknown role or invalid fields; email_taken when the address
  // exists (looked up before hashing); the error of `before_hashing` (run just before the hash);
  // else the user to create, password hashed.
  core::Result<store::NewUser> PrepareUser(
      const Registration& r, std::string_view role, bool phone_required,
      const std::function<core::Status()>& before_hashing = {}) const;
  bool MayLogIn(std::string_view role) const;
  // The client's view of a stored user (mobile number opened).
  core::Result<UserView> View(const store::User& u) const;

  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
  AccountsOptions options_;
  std::string dummy_hash_;  // verified against for unknown e-mails, to keep timing uniform
};

}  // namespace beian::accounts
