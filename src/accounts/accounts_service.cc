// Implementation of AccountsService (see accounts_service.h).
#include "accounts/accounts_service.h"

#include <algorithm>
#include <array>

#include "accounts/account_rules.h"
#include "core/log.h"
#include "core/roles.h"
#include "store/login_throttle.h"
#include "store/sessions.h"

namespace beian::accounts {
namespace {

using core::Error;
using core::ErrorCode;

int64_t ToMs(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Error InvalidCredentials() {
  return Error(ErrorCode::kInvalidCredentials, "e-mail or password is incorrect");
}

CounterState ToState(const std::optional<store::ThrottleState>& e) {
  if (!e) return {};
  return {.failures = e->failures, .locked_until_ms = e->locked_until_ms};
}

store::ThrottlePolicy ToStore(const CounterLimit& l) {
  return {.max_failures = l.max_failures, .window_ms = l.window_ms, .lock_ms = l.lock_ms};
}

// The store keys of a scope's two counters.
std::string LockKey(std::string_view scope) { return std::string(scope); }
std::string SlowKey(std::string_view scope) { return std::string(scope) + "#slow"; }

}  // namespace

constexpr std::string_view kPhoneColumn = "users.phone";

AccountsService::AccountsService(store::Database& db, const core::Clock& clock,
                                 const core::PiiCipher& pii, AccountsOptions options)
    : db_(db), clock_(clock), pii_(pii), options_(std::move(options)) {
  dummy_hash_ = core::HashPassword(core::RandomToken(), options_.password_cost).value_or("");
}

core::Result<UserView> AccountsService::View(const store::User& u) const {
  BEIAN_ASSIGN_OR_RETURN(std::string phone, pii_.Open(u.phone, kPhoneColumn));
  return UserView{u.id, u.email, std::move(phone), u.display_name, u.role, u.locale};
}

bool AccountsService::MayLogIn(std::string_view role) const {
  return std::find(options_.login_roles.begin(), options_.login_roles.end(), role) !=
         options_.login_roles.end();
}

core::Result<SessionGrant> AccountsService::Register(const Registration& r,
                                                     std::string_view client_address) {
  if (!options_.self_registration) return Error(ErrorCode::kNotFound, "registration is closed");
  auto problems = ValidateRegistration(r.email, r.phone, r.password, r.display_name);
  if (!problems.empty()) {
    return Error(ErrorCode::kValidationFailed, "the registration has invalid fields",
                 std::move(problems));
  }
  BEIAN_ASSIGN_OR_RETURN(UserView created, CreateUser(r, options_.registration_role));
  auto user = db_.Read([&](store::Tx& tx) { return store::UserRepo(tx).FindById(created.id); });
  if (!user) return std::move(user).error();
  if (!*user) return Error(ErrorCode::kInternal, "registered user vanished");
  core::Log(core::LogLevel::kInfo, "user_registered", {{"user_id", created.id}});
  return StartSession(**user, client_address);
}

core::Result<UserView> AccountsService::CreateUser(const Registration& r, std::string_view role) {
  if (!IsKnownRole(role)) {
    return Error(ErrorCode::kValidationFailed, "unknown role",
                 {{"role", "unknown_role", "role must be one of " + core::RoleListText()}});
  }
  auto problems = ValidateRegistration(r.email, r.phone, r.password, r.display_name,
                                       /*phone_required=*/false);
  if (!problems.empty()) {
    return Error(ErrorCode::kValidationFailed, "the user has invalid fields", std::move(problems));
  }
  BEIAN_ASSIGN_OR_RETURN(std::string hash, core::HashPassword(r.password, options_.password_cost));
  store::NewUser nu;
  nu.email = NormalizeEmail(r.email);
  nu.phone = pii_.Seal(NormalizeMobile(r.phone), kPhoneColumn);
  nu.display_name = NormalizeDisplayName(r.display_name);
  nu.role = std::string(role);
  nu.password_hash = std::move(hash);
  nu.locale = r.locale == "en" ? "en" : "zh-CN";
  nu.created_at_ms = ToMs(clock_.Now());
  auto user = db_.Write([&](store::Tx& tx) { return store::UserRepo(tx).Create(nu); });
  if (!user) {
    if (user.error().code == ErrorCode::kEmailTaken || user.error().code == ErrorCode::kConflict) {
      return Error(ErrorCode::kEmailTaken, "this e-mail is already registered",
                   {{"email", "email_taken", "this e-mail is already registered"}});
    }
    return std::move(user).error();
  }
  return View(*user);
}

core::Result<bool> AccountsService::EnsureUser(const Registration& r, std::string_view role) {
  auto existing = db_.Read(
      [&](store::Tx& tx) { return store::UserRepo(tx).FindByEmail(NormalizeEmail(r.email)); });
  if (!existing) return std::move(existing).error();
  if (*existing) return false;
  auto created = CreateUser(r, role);
  if (!created) {
    if (created.error().code == ErrorCode::kEmailTaken) return false;  // created concurrently
    return std::move(created).error();
  }
  return true;
}

core::Result<SessionGrant> AccountsService::Login(std::string_view email_in,
                                                  std::string_view password,
                                                  std::string_view client_address,
                                                  int64_t* retry_after_seconds) {
  const std::string email = NormalizeEmail(email_in);
  // Hashed: bounded length whatever was typed, and no e-mail addresses in the throttle table.
  const std::string account_key = "account:" + core::HashToken(email);
  const std::string address_key = "ip:" + std::string(client_address);
  const auto account_policy = AccountThrottlePolicy();
  const auto address_policy = AddressThrottlePolicy();
  const int64_t now = ToMs(clock_.Now());

  struct Scope {
    std::string key;
    ThrottlePolicy policy;
    CounterState lock, slow;
  };
  std::array<Scope, 2> scopes = {Scope{account_key, account_policy, {}, {}},
                                 Scope{address_key, address_policy, {}, {}}};
  // An address that could not have registered is looked up nowhere (long or odd input must not
  // reach the database as a key), but is throttled and timed like any other.
  const bool plausible = IsValidEmail(email);
  auto user = db_.Read([&](store::Tx& tx) -> core::Result<std::optional<store::User>> {
    store::LoginThrottleRepo throttle(tx);
    for (Scope& scope : scopes) {
      BEIAN_ASSIGN_OR_RETURN(auto lock, throttle.Get(LockKey(scope.key)));
      BEIAN_ASSIGN_OR_RETURN(auto slow, throttle.Get(SlowKey(scope.key)));
      scope.lock = ToState(lock);
      scope.slow = ToState(slow);
    }
    if (!plausible) return std::optional<store::User>();
    return store::UserRepo(tx).FindByEmail(email);
  });
  if (!user) return std::move(user).error();
  for (const Scope& scope : scopes) {
    if (auto refused = RefuseAttempt(scope.lock, scope.slow, now, retry_after_seconds)) {
      core::Log(core::LogLevel::kWarn, "login_throttled", {{"scope", scope.key.substr(0, 3)}});
      return *refused;
    }
  }

  const bool ok = *user ? core::VerifyPassword((*user)->password_hash, password)
                        : (core::VerifyPassword(dummy_hash_, password), false);
  if (ok && MayLogIn((*user)->role)) {
    BEIAN_TRY(db_.Write([&](store::Tx& tx) -> core::Status {
      store::LoginThrottleRepo throttle(tx);
      BEIAN_TRY(throttle.Reset(LockKey(account_key)));
      return throttle.Reset(SlowKey(account_key));
    }));
    core::Log(core::LogLevel::kInfo, "login_succeeded", {{"user_id", (*user)->id}});
    return StartSession(**user, client_address);
  }

  auto recorded = db_.Write(
      [&](store::Tx& tx) -> core::Status {
        store::LoginThrottleRepo throttle(tx);
        for (const Scope& scope : scopes) {
          auto lock =
              throttle.RecordFailure(LockKey(scope.key), now, ToStore(LockLimit(scope.policy)));
          if (!lock) return std::move(lock).error();
          auto slow =
              throttle.RecordFailure(SlowKey(scope.key), now, ToStore(SlowDownLimit(scope.policy)));
          if (!slow) return std::move(slow).error();
        }
        return core::Ok();
      },
      {.isolation = store::Isolation::kReadCommitted});
  if (!recorded) return std::move(recorded).error();
  core::Log(core::LogLevel::kWarn, "login_failed", {{"known_account", user->has_value()}});
  return InvalidCredentials();
}

core::Result<SessionGrant> AccountsService::StartSession(const store::User& user,
                                                         std::string_view client_address) {
  SessionGrant grant;
  BEIAN_ASSIGN_OR_RETURN(grant.user, View(user));
  grant.session_token = core::RandomToken();
  grant.csrf_token = core::RandomToken();
  grant.max_age = options_.session_ttl;
  const int64_t now = ToMs(clock_.Now());
  store::NewSession s;
  s.id = core::RandomId();
  s.token_hash = core::HashToken(grant.session_token);
  s.user_id = user.id;
  s.csrf_token = grant.csrf_token;
  s.created_at_ms = now;
  s.expires_at_ms = now + static_cast<int64_t>(options_.session_ttl.count()) * 1000;
  s.client_address = std::string(client_address);
  BEIAN_TRY(db_.Write([&](store::Tx& tx) -> core::Status {
    auto created = store::SessionRepo(tx).Create(s);
    if (!created) return std::move(created).error();
    return core::Ok();
  }));
  return grant;
}

core::Status AccountsService::Logout(std::string_view session_id) {
  return db_.Write([&](store::Tx& tx) -> core::Status {
    auto deleted = store::SessionRepo(tx).Delete(session_id);
    if (!deleted) return std::move(deleted).error();
    return core::Ok();
  });
}

core::Result<std::optional<http::Principal>> AccountsService::Authenticate(
    std::string_view session_token) {
  if (session_token.size() != 43) return std::optional<http::Principal>();
  const std::string hash = core::HashToken(session_token);
  const int64_t now = ToMs(clock_.Now());
  auto found = db_.Read(
      [&](store::Tx& tx) { return store::SessionRepo(tx).FindValidByTokenHash(hash, now); });
  if (!found) return std::move(found).error();
  if (!*found || !MayLogIn((*found)->user.role)) return std::optional<http::Principal>();
  const auto& [session, user] = **found;
  return std::optional<http::Principal>(http::Principal{.user_id = user.id,
                                                        .email = user.email,
                                                        .display_name = user.display_name,
                                                        .role = user.role,
                                                        .session_id = session.id,
                                                        .csrf_token = session.csrf_token});
}

core::Result<int64_t> AccountsService::PurgeExpiredSessions() {
  const int64_t now = ToMs(clock_.Now());
  return db_.Write([&](store::Tx& tx) { return store::SessionRepo(tx).DeleteExpired(now); },
                   {.isolation = store::Isolation::kReadCommitted});
}

core::Result<UserView> AccountsService::GetUser(std::string_view user_id) {
  auto user = db_.Read([&](store::Tx& tx) { return store::UserRepo(tx).FindById(user_id); });
  if (!user) return std::move(user).error();
  if (!*user) return Error(ErrorCode::kNotFound, "no such user");
  return View(**user);
}

}  // namespace beian::accounts
