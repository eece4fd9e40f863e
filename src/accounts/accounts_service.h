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

#include "accounts/account_rules.h"
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
  // Issue 9 item 8 (the agent): self-registered accounts confirm their e-mail address (a link)
  // and mobile (a 6-digit code) through the notification outbox, registration no longer tells
  // whether an address has an account, and passwords can be reset by an e-mail link. Needs the
  // agent's migration 0008.
  bool confirm_accounts = false;
};

// What a client sees of a user (DESIGN §6 `user`).
struct UserView {
  std::string id;
  std::string email;
  std::string phone;
  std::string display_name;
  std::string role;
  std::string locale;
  // False only for a self-registered account that has not confirmed it yet.
  bool email_confirmed = true;
  bool mobile_confirmed = true;
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

  // Registration with confirmation (options.confirm_accounts): validation_failed and
  // too_many_requests as Register; otherwise Ok whether or not the address has an account, in
  // about the same time. A new account is created unconfirmed and is sent the e-mail link and
  // the mobile code; the owner of an existing address is mailed "someone tried to register with
  // your address" instead. Nobody is signed in (the client signs in next).
  core::Status RegisterUnconfirmed(const Registration& r, std::string_view client_address,
                                   int64_t* retry_after_seconds = nullptr);
  // token_invalid for an unknown, used or expired link (one-time; 24 hours).
  core::Status ConfirmEmail(std::string_view token);
  // token_invalid for a wrong, used or expired code (10 minutes, 5 guesses), too_many_requests
  // after repeated wrong codes. Ok when the mobile is confirmed already.
  core::Status ConfirmMobile(std::string_view user_id, std::string_view code,
                             int64_t* retry_after_seconds = nullptr);
  // Sends a new mobile code (and a new e-mail link while the address is unconfirmed);
  // too_many_requests when asked too often for this account. Ok with nothing sent when both are
  // confirmed.
  core::Status ResendConfirmation(std::string_view user_id, int64_t* retry_after_seconds = nullptr);
  // Mails a reset link (one-time, 30 minutes) when the address has an account; Ok either way.
  // too_many_requests per client address and per e-mail address.
  core::Status RequestPasswordReset(std::string_view email, std::string_view client_address,
                                    int64_t* retry_after_seconds = nullptr);
  // Sets the new password (password rules apply: validation_failed) and ends every session of
  // the account; token_invalid for an unknown, used or expired link.
  core::Status ResetPassword(std::string_view token, std::string_view password);
  // account_unconfirmed unless the account has confirmed both its e-mail address and its mobile.
  core::Status RequireConfirmed(std::string_view user_id);

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
  // Issues an e-mail link / mobile code for `user` and enqueues its message (inside `tx`).
  core::Status SendEmailLink(store::Tx& tx, const store::User& user, int64_t now_ms) const;
  core::Status SendMobileCode(store::Tx& tx, const store::User& user, int64_t now_ms) const;
  // Counts one use of `key` against `policy`, refusing with too_many_requests while delayed.
  core::Status Throttle(const std::string& key, const ThrottlePolicy& policy,
                        int64_t* retry_after_seconds);
  // The client's view of a stored user (mobile number opened).
  core::Result<UserView> View(const store::User& u) const;

  store::Database& db_;
  const core::Clock& clock_;
  const core::PiiCipher& pii_;
  AccountsOptions options_;
  std::string dummy_hash_;  // verified against for unknown e-mails, to keep timing uniform
};

}  // namespace beian::accounts
