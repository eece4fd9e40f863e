// Implementation of AccountsService (see accounts_service.h).
#include "accounts/accounts_service.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "accounts/account_rules.h"
#include "accounts/confirmation_rules.h"
#include "core/log.h"
#include "core/roles.h"
#include "store/account_tokens.h"
#include "store/login_throttle.h"
#include "store/notifications.h"
#include "store/sessions.h"

namespace beian::accounts {
namespace {

using core::Error;
using core::ErrorCode;

int64_t ToMs(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

int64_t Ms(std::chrono::seconds s) { return static_cast<int64_t>(s.count()) * 1000; }

Error InvalidCredentials() {
  return Error(ErrorCode::kInvalidCredentials, "e-mail or password is incorrect");
}

Error EmailTaken() {
  return Error(ErrorCode::kEmailTaken, "this e-mail is already registered",
               {{"email", "email_taken", "this e-mail is already registered"}});
}

CounterState ToState(const std::optional<store::ThrottleState>& e, const ThrottlePolicy& p,
                     int64_t now_ms) {
  if (!e) return {};
  // A window that has run out counts as empty, as the next failure will find it.
  if (e->window_start_ms + Ms(p.window) <= now_ms) {
    return {.failures = 0, .delayed_until_ms = e->locked_until_ms};
  }
  return {.failures = e->failures, .delayed_until_ms = e->locked_until_ms};
}

// Counts one failure (or registration) for `key` and sets its delay: the store's upsert sets the
// first delay once free failures are used up, LockUntil lengthens it as failures repeat.
core::Status CountFailure(store::LoginThrottleRepo& throttle, const std::string& key,
                          const ThrottlePolicy& p, int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(store::ThrottleState state,
                         throttle.RecordFailure(key, now_ms,
                                                {.max_failures = p.free_failures + 1,
                                                 .window_ms = Ms(p.window),
                                                 .lock_ms = Ms(p.first_delay)}));
  const int64_t delay = DelayAfter(p, state.failures).count();
  if (delay > Ms(p.first_delay)) BEIAN_TRY(throttle.LockUntil(key, now_ms + delay));
  return core::Ok();
}

std::string AddressKey(std::string_view address) { return "ip:" + std::string(address); }
// Hashed: bounded length whatever was typed, and no e-mail addresses in the throttle table.
std::string AccountKey(const std::string& email) { return "account:" + core::HashToken(email); }
std::string PairKey(const std::string& email, std::string_view address) {
  return "pair:" + core::HashToken(email + "\n" + std::string(address));
}
std::string RegistrationKey(std::string_view address) { return "register:" + std::string(address); }

}  // namespace

constexpr std::string_view kPhoneColumn = "users.phone";

AccountsService::AccountsService(store::Database& db, const core::Clock& clock,
                                 const core::PiiCipher& pii, AccountsOptions options)
    : db_(db), clock_(clock), pii_(pii), options_(std::move(options)) {
  dummy_hash_ = core::HashPassword(core::RandomToken(), options_.password_cost).value_or("");
}

core::Result<UserView> AccountsService::View(const store::User& u) const {
  BEIAN_ASSIGN_OR_RETURN(std::string phone, pii_.Open(u.phone, kPhoneColumn));
  UserView view{u.id, u.email, std::move(phone), u.display_name, u.role, u.locale};
  if (options_.confirm_accounts) {
    auto state =
        db_.Read([&](store::Tx& tx) { return store::AccountTokenRepo(tx).GetConfirmation(u.id); });
    if (!state) return std::move(state).error();
    view.email_confirmed = state->email_confirmed;
    view.mobile_confirmed = state->mobile_confirmed;
  }
  return view;
}

bool AccountsService::MayLogIn(std::string_view role) const {
  return std::find(options_.login_roles.begin(), options_.login_roles.end(), role) !=
         options_.login_roles.end();
}

core::Result<store::NewUser> AccountsService::PrepareUser(
    const Registration& r, std::string_view role, bool phone_required,
    const std::function<core::Status()>& before_hashing) const {
  if (!IsKnownRole(role)) {
    return Error(ErrorCode::kValidationFailed, "unknown role",
                 {{"role", "unknown_role", "role must be one of " + core::RoleListText()}});
  }
  auto problems =
      ValidateRegistration(r.email, r.phone, r.password, r.display_name, phone_required);
  if (!problems.empty()) {
    return Error(ErrorCode::kValidationFailed, "the registration has invalid fields",
                 std::move(problems));
  }
  store::NewUser nu;
  nu.id = core::RandomId();
  nu.email = NormalizeEmail(r.email);
  // Hashing costs tens of milliseconds of CPU: a taken e-mail is refused before it.
  auto existing =
      db_.Read([&](store::Tx& tx) { return store::UserRepo(tx).FindByEmail(nu.email); });
  if (!existing) return std::move(existing).error();
  if (*existing) return EmailTaken();
  if (before_hashing) BEIAN_TRY(before_hashing());
  BEIAN_ASSIGN_OR_RETURN(nu.password_hash, core::HashPassword(r.password, options_.password_cost));
  nu.phone = pii_.Seal(NormalizeMobile(r.phone).value_or(""), kPhoneColumn);
  nu.display_name = NormalizeDisplayName(r.display_name);
  nu.role = std::string(role);
  nu.locale = r.locale == "en" ? "en" : "zh-CN";
  nu.created_at_ms = ToMs(clock_.Now());
  return nu;
}

core::Result<SessionGrant> AccountsService::Register(const Registration& r,
                                                     std::string_view client_address,
                                                     int64_t* retry_after_seconds) {
  if (!options_.self_registration) return Error(ErrorCode::kNotFound, "registration is closed");
  const std::string reg_key = RegistrationKey(client_address);
  const ThrottlePolicy reg_policy = RegistrationThrottlePolicy();
  const int64_t now = ToMs(clock_.Now());
  auto counter = db_.Read([&](store::Tx& tx) { return store::LoginThrottleRepo(tx).Get(reg_key); });
  if (!counter) return std::move(counter).error();
  const CounterState state = ToState(*counter, reg_policy, now);
  if (state.delayed_until_ms > now) {
    const int64_t wait = (state.delayed_until_ms - now + 999) / 1000;
    if (retry_after_seconds) *retry_after_seconds = wait;
    core::Log(core::LogLevel::kWarn, "registration_throttled", {});
    return Error(ErrorCode::kTooManyRequests,
                 "too many registrations from this address: try "
                 "again in " +
                     std::to_string(wait) + " seconds");
  }

  // Counted before the hash, in its own short read-committed write: every registration from an
  // address touches the same counter row, which would make concurrent sign-ups conflict inside
  // the serializable user + session transaction.
  auto count = [&]() -> core::Status {
    return db_.Write(
        [&](store::Tx& tx) -> core::Status {
          store::LoginThrottleRepo throttle(tx);
          return CountFailure(throttle, reg_key, reg_policy, now);
        },
        {.isolation = store::Isolation::kReadCommitted});
  };
  BEIAN_ASSIGN_OR_RETURN(store::NewUser nu, PrepareUser(r, options_.registration_role,
                                                        /*phone_required=*/true, count));
  store::User user{nu.id,   nu.email,         nu.phone,  nu.display_name,
                   nu.role, nu.password_hash, nu.locale, nu.created_at_ms};
  BEIAN_ASSIGN_OR_RETURN(auto session, DrawSession(user, client_address));
  // One transaction: the user and its first session.
  auto created = db_.Write([&](store::Tx& tx) -> core::Status {
    auto u = store::UserRepo(tx).Create(nu);
    if (!u) return std::move(u).error();
    return InsertSession(tx, session.second);
  });
  if (!created) {
    const ErrorCode code = created.error().code;
    if (code == ErrorCode::kEmailTaken || code == ErrorCode::kConflict) return EmailTaken();
    return std::move(created).error();
  }
  core::Log(core::LogLevel::kInfo, "user_registered", {{"user_id", nu.id}});
  return std::move(session.first);
}

core::Result<UserView> AccountsService::CreateUser(const Registration& r, std::string_view role) {
  BEIAN_ASSIGN_OR_RETURN(store::NewUser nu, PrepareUser(r, role, /*phone_required=*/false));
  auto user = db_.Write([&](store::Tx& tx) { return store::UserRepo(tx).Create(nu); });
  if (!user) {
    if (user.error().code == ErrorCode::kEmailTaken || user.error().code == ErrorCode::kConflict) {
      return EmailTaken();
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
  struct Scope {
    std::string key;
    ThrottlePolicy policy;
    CounterState state;
  };
  // Order matters below: address, pair, account (AttemptCounters).
  std::array<Scope, 3> scopes = {Scope{AddressKey(client_address), AddressThrottlePolicy(), {}},
                                 Scope{PairKey(email, client_address), PairThrottlePolicy(), {}},
                                 Scope{AccountKey(email), AccountThrottlePolicy(), {}}};
  const int64_t now = ToMs(clock_.Now());
  // An address that could not have registered is looked up nowhere (long or odd input must not
  // reach the database as a key), but is throttled and timed like any other.
  const bool plausible = IsValidEmail(email);
  auto user = db_.Read([&](store::Tx& tx) -> core::Result<std::optional<store::User>> {
    store::LoginThrottleRepo throttle(tx);
    for (Scope& scope : scopes) {
      BEIAN_ASSIGN_OR_RETURN(auto state, throttle.Get(scope.key));
      scope.state = ToState(state, scope.policy, now);
    }
    if (!plausible) return std::optional<store::User>();
    return store::UserRepo(tx).FindByEmail(email);
  });
  if (!user) return std::move(user).error();
  const AttemptCounters counters{scopes[0].state, scopes[1].state, scopes[2].state};
  if (auto refused = RefuseAttempt(counters, now, retry_after_seconds)) {
    core::Log(core::LogLevel::kWarn, "login_throttled",
              {{"address_failures", counters.address.failures},
               {"pair_failures", counters.pair.failures},
               {"account_failures", counters.account.failures}});
    return *refused;
  }

  const bool ok = *user ? core::VerifyPassword((*user)->password_hash, password)
                        : (core::VerifyPassword(dummy_hash_, password), false);
  if (ok && MayLogIn((*user)->role)) {
    BEIAN_ASSIGN_OR_RETURN(auto session, DrawSession(**user, client_address));
    // The address's count stays: one good account must not wash an address clean.
    BEIAN_TRY(db_.Write([&](store::Tx& tx) -> core::Status {
      store::LoginThrottleRepo throttle(tx);
      BEIAN_TRY(throttle.Reset(scopes[1].key));
      BEIAN_TRY(throttle.Reset(scopes[2].key));
      return InsertSession(tx, session.second);
    }));
    core::Log(core::LogLevel::kInfo, "login_succeeded", {{"user_id", (*user)->id}});
    return std::move(session.first);
  }

  auto recorded = db_.Write(
      [&](store::Tx& tx) -> core::Status {
        store::LoginThrottleRepo throttle(tx);
        for (const Scope& scope : scopes) {
          BEIAN_TRY(CountFailure(throttle, scope.key, scope.policy, now));
        }
        return core::Ok();
      },
      {.isolation = store::Isolation::kReadCommitted});
  if (!recorded) return std::move(recorded).error();
  core::Log(core::LogLevel::kWarn, "login_failed", {{"known_account", user->has_value()}});
  return InvalidCredentials();
}

core::Result<std::pair<SessionGrant, store::NewSession>> AccountsService::DrawSession(
    const store::User& user, std::string_view client_address) const {
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
  s.expires_at_ms = now + Ms(options_.session_ttl);
  s.client_address = std::string(client_address);
  return std::pair{std::move(grant), std::move(s)};
}

core::Status AccountsService::InsertSession(store::Tx& tx, const store::NewSession& s) const {
  store::SessionRepo sessions(tx);
  auto created = sessions.Create(s);
  if (!created) return std::move(created).error();
  auto ended =
      sessions.DeleteOldestBeyond(s.user_id, std::max(1, options_.max_sessions_per_account));
  if (!ended) return std::move(ended).error();
  return core::Ok();
}

core::Status AccountsService::Logout(std::string_view session_id) {
  return db_.Write([&](store::Tx& tx) -> core::Status {
    auto deleted = store::SessionRepo(tx).Delete(session_id);
    if (!deleted) return std::move(deleted).error();
    return core::Ok();
  });
}

core::Result<int64_t> AccountsService::LogoutAll(std::string_view user_id) {
  auto ended =
      db_.Write([&](store::Tx& tx) { return store::SessionRepo(tx).DeleteForUser(user_id); });
  if (ended) {
    core::Log(core::LogLevel::kInfo, "signed_out_everywhere",
              {{"user_id", user_id}, {"sessions", *ended}});
  }
  return ended;
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
  // Every throttle window is at most an hour and every delay at most 15 minutes.
  const int64_t stale_before = now - 2 * 3600 * 1000;
  return db_.Write(
      [&](store::Tx& tx) -> core::Result<int64_t> {
        BEIAN_TRY(store::LoginThrottleRepo(tx).DeleteStale(stale_before, now));
        return store::SessionRepo(tx).DeleteExpired(now);
      },
      {.isolation = store::Isolation::kReadCommitted});
}

core::Result<UserView> AccountsService::GetUser(std::string_view user_id) {
  auto user = db_.Read([&](store::Tx& tx) { return store::UserRepo(tx).FindById(user_id); });
  if (!user) return std::move(user).error();
  if (!*user) return Error(ErrorCode::kNotFound, "no such user");
  return View(**user);
}

}  // namespace beian::accounts

// ---- Confirmation and password reset (issue 9 item 8) ----

namespace beian::accounts {
namespace {

// One message into the outbox, in the caller's transaction. `dedupe` makes a retried
// transaction enqueue once.
core::Status EnqueueMessage(store::Tx& tx, const store::User& user, std::string_view channel,
                            std::string address, std::string_view template_id,
                            boost::json::object params, const std::string& dedupe, int64_t now_ms) {
  params["display_name"] = user.display_name;
  store::NewNotification n{.dedupe_key = dedupe,
                           .recipient_id = user.id,
                           .channel = std::string(channel),
                           .address = std::move(address),
                           .template_id = std::string(template_id),
                           .params_json = boost::json::serialize(params),
                           .locale = user.locale,
                           .created_at_ms = now_ms};
  BEIAN_TRY(store::NotificationRepo(tx).Enqueue(n));
  return core::Ok();
}

std::string SendKey(std::string_view user_id) { return "send:" + std::string(user_id); }
std::string CodeKey(std::string_view user_id) { return "code:" + std::string(user_id); }
std::string ResetIpKey(std::string_view address) { return "reset-ip:" + std::string(address); }
std::string ResetEmailKey(const std::string& email) { return "reset:" + core::HashToken(email); }

}  // namespace

core::Status AccountsService::Throttle(const std::string& key, const ThrottlePolicy& policy,
                                       int64_t* retry_after_seconds) {
  const int64_t now = ToMs(clock_.Now());
  return db_.Write(
      [&](store::Tx& tx) -> core::Status {
        store::LoginThrottleRepo throttle(tx);
        BEIAN_ASSIGN_OR_RETURN(auto counter, throttle.Get(key));
        const CounterState state = ToState(counter, policy, now);
        if (state.delayed_until_ms > now) {
          const int64_t wait = (state.delayed_until_ms - now + 999) / 1000;
          if (retry_after_seconds) *retry_after_seconds = wait;
          return Error(ErrorCode::kTooManyRequests,
                       "asked too often: try again in " + std::to_string(wait) + " seconds");
        }
        return CountFailure(throttle, key, policy, now);
      },
      {.isolation = store::Isolation::kReadCommitted});
}

core::Status AccountsService::SendEmailLink(store::Tx& tx, const store::User& user,
                                            int64_t now_ms) const {
  const std::string token = core::RandomToken();
  const std::string hash = core::HashToken(token);
  BEIAN_TRY(store::AccountTokenRepo(tx).Issue({.token_hash = hash,
                                               .user_id = user.id,
                                               .purpose = std::string(store::kTokenConfirmEmail),
                                               .created_at_ms = now_ms,
                                               .expires_at_ms = now_ms + Ms(kEmailLinkLifetime)}));
  return EnqueueMessage(tx, user, "email", user.email, "account_confirm_email", {{"token", token}},
                        "account:" + hash, now_ms);
}

core::Status AccountsService::SendMobileCode(store::Tx& tx, const store::User& user,
                                             int64_t now_ms) const {
  if (user.phone.empty()) return core::Ok();
  const std::string code = DrawMobileCode();
  const std::string hash = HashMobileCode(user.id, code);
  BEIAN_TRY(store::AccountTokenRepo(tx).Issue({.token_hash = hash,
                                               .user_id = user.id,
                                               .purpose = std::string(store::kTokenConfirmMobile),
                                               .created_at_ms = now_ms,
                                               .expires_at_ms = now_ms + Ms(kMobileCodeLifetime)}));
  // The dedupe key names the code's row, never the code itself.
  return EnqueueMessage(tx, user, "sms", user.phone, "account_confirm_mobile", {{"code", code}},
                        "account:" + hash + ":" + std::to_string(now_ms), now_ms);
}

core::Status AccountsService::RegisterUnconfirmed(const Registration& r,
                                                  std::string_view client_address,
                                                  int64_t* retry_after_seconds) {
  if (!options_.self_registration) return Error(ErrorCode::kNotFound, "registration is closed");
  auto problems = ValidateRegistration(r.email, r.phone, r.password, r.display_name, true);
  if (!problems.empty()) {
    return Error(ErrorCode::kValidationFailed, "the registration has invalid fields",
                 std::move(problems));
  }
  BEIAN_TRY(
      Throttle(RegistrationKey(client_address), RegistrationThrottlePolicy(), retry_after_seconds));
  const std::string email = NormalizeEmail(r.email);
  const int64_t now = ToMs(clock_.Now());
  // The password is hashed whatever happens next, so both answers take about as long.
  BEIAN_ASSIGN_OR_RETURN(std::string hash, core::HashPassword(r.password, options_.password_cost));
  auto attempt = [&]() -> core::Status {
    return db_.Write([&](store::Tx& tx) -> core::Status {
      store::UserRepo users(tx);
      BEIAN_ASSIGN_OR_RETURN(auto existing, users.FindByEmail(email));
      if (existing) {
        core::Log(core::LogLevel::kInfo, "registration_for_existing_account",
                  {{"user_id", existing->id}});
        return EnqueueMessage(tx, *existing, "email", existing->email, "account_exists", {},
                              "account-exists:" + existing->id + ":" + std::to_string(now), now);
      }
      store::NewUser nu;
      nu.id = core::RandomId();
      nu.email = email;
      nu.password_hash = hash;
      nu.phone = pii_.Seal(NormalizeMobile(r.phone).value_or(""), kPhoneColumn);
      nu.display_name = NormalizeDisplayName(r.display_name);
      nu.role = options_.registration_role;
      nu.locale = r.locale == "en" ? "en" : "zh-CN";
      nu.created_at_ms = now;
      BEIAN_ASSIGN_OR_RETURN(store::User user, users.Create(nu));
      BEIAN_TRY(store::AccountTokenRepo(tx).StartConfirmation(user.id));
      BEIAN_TRY(SendEmailLink(tx, user, now));
      BEIAN_TRY(SendMobileCode(tx, user, now));
      core::Log(core::LogLevel::kInfo, "user_registered", {{"user_id", user.id}});
      return core::Ok();
    });
  };
  auto done = attempt();
  // A concurrent registration of the same address created it first: answer as for an existing
  // account (the owner is mailed), never with email_taken.
  if (!done &&
      (done.error().code == ErrorCode::kEmailTaken || done.error().code == ErrorCode::kConflict)) {
    done = attempt();
  }
  return done;
}

core::Status AccountsService::ConfirmEmail(std::string_view token) {
  const std::string hash = core::HashToken(token);
  const int64_t now = ToMs(clock_.Now());
  return db_.Write([&](store::Tx& tx) -> core::Status {
    store::AccountTokenRepo tokens(tx);
    BEIAN_ASSIGN_OR_RETURN(auto t, tokens.FindByHash(hash));
    if (!t || t->purpose != store::kTokenConfirmEmail) {
      return Error(ErrorCode::kTokenInvalid, "this confirmation link is not valid");
    }
    if (auto refused = RefuseToken({t->expires_at_ms, t->used_at_ms.has_value(), 0}, now)) {
      return *refused;
    }
    BEIAN_ASSIGN_OR_RETURN(bool marked, tokens.MarkUsed(hash, now));
    if (!marked) return Error(ErrorCode::kTokenInvalid, "this link has been used already");
    BEIAN_TRY(tokens.ConfirmEmail(t->user_id, now));
    core::Log(core::LogLevel::kInfo, "email_confirmed", {{"user_id", t->user_id}});
    return core::Ok();
  });
}

core::Status AccountsService::ConfirmMobile(std::string_view user_id, std::string_view code,
                                            int64_t* retry_after_seconds) {
  const int64_t now = ToMs(clock_.Now());
  auto state =
      db_.Read([&](store::Tx& tx) { return store::AccountTokenRepo(tx).GetConfirmation(user_id); });
  if (!state) return std::move(state).error();
  if (state->mobile_confirmed) return core::Ok();
  {
    auto counter =
        db_.Read([&](store::Tx& tx) { return store::LoginThrottleRepo(tx).Get(CodeKey(user_id)); });
    if (!counter) return std::move(counter).error();
    const CounterState c = ToState(*counter, CodeThrottlePolicy(), now);
    if (c.delayed_until_ms > now) {
      const int64_t wait = (c.delayed_until_ms - now + 999) / 1000;
      if (retry_after_seconds) *retry_after_seconds = wait;
      return Error(ErrorCode::kTooManyRequests,
                   "too many wrong codes: try again in " + std::to_string(wait) + " seconds");
    }
  }
  bool wrong = false;
  auto result = db_.Write([&](store::Tx& tx) -> core::Status {
    wrong = false;
    store::AccountTokenRepo tokens(tx);
    BEIAN_ASSIGN_OR_RETURN(auto t, tokens.FindLatestUnused(user_id, store::kTokenConfirmMobile));
    if (!t) return Error(ErrorCode::kTokenInvalid, "no code is waiting: ask for a new one");
    if (auto refused = RefuseToken({t->expires_at_ms, false, t->attempts}, now)) return *refused;
    if (!IsWellFormedCode(code) || HashMobileCode(user_id, code) != t->token_hash) {
      BEIAN_TRY(tokens.CountAttempt(t->token_hash));
      wrong = true;
      return core::Ok();
    }
    BEIAN_ASSIGN_OR_RETURN(bool marked, tokens.MarkUsed(t->token_hash, now));
    if (!marked) return Error(ErrorCode::kTokenInvalid, "this code has been used already");
    BEIAN_TRY(tokens.ConfirmMobile(user_id, now));
    return core::Ok();
  });
  if (!result) return result;
  if (wrong) {
    BEIAN_TRY(db_.Write(
        [&](store::Tx& tx) -> core::Status {
          store::LoginThrottleRepo throttle(tx);
          return CountFailure(throttle, CodeKey(user_id), CodeThrottlePolicy(), now);
        },
        {.isolation = store::Isolation::kReadCommitted}));
    return Error(ErrorCode::kTokenInvalid, "the code is not correct",
                 {{"code", "code_incorrect", "the code is not correct"}});
  }
  core::Log(core::LogLevel::kInfo, "mobile_confirmed", {{"user_id", user_id}});
  return core::Ok();
}

core::Status AccountsService::ResendConfirmation(std::string_view user_id,
                                                 int64_t* retry_after_seconds) {
  auto state =
      db_.Read([&](store::Tx& tx) { return store::AccountTokenRepo(tx).GetConfirmation(user_id); });
  if (!state) return std::move(state).error();
  if (state->email_confirmed && state->mobile_confirmed) return core::Ok();
  BEIAN_TRY(Throttle(SendKey(user_id), SendThrottlePolicy(), retry_after_seconds));
  const int64_t now = ToMs(clock_.Now());
  return db_.Write([&](store::Tx& tx) -> core::Status {
    BEIAN_ASSIGN_OR_RETURN(auto user, store::UserRepo(tx).FindById(user_id));
    if (!user) return Error(ErrorCode::kNotFound, "no such user");
    BEIAN_ASSIGN_OR_RETURN(auto now_state, store::AccountTokenRepo(tx).GetConfirmation(user_id));
    if (!now_state.email_confirmed) BEIAN_TRY(SendEmailLink(tx, *user, now));
    if (!now_state.mobile_confirmed) BEIAN_TRY(SendMobileCode(tx, *user, now));
    return core::Ok();
  });
}

core::Status AccountsService::RequestPasswordReset(std::string_view email_in,
                                                   std::string_view client_address,
                                                   int64_t* retry_after_seconds) {
  const std::string email = NormalizeEmail(email_in);
  if (!IsValidEmail(email)) {
    return Error(ErrorCode::kValidationFailed, "the e-mail address is not valid",
                 {{"email", "invalid_email", "the e-mail address is not valid"}});
  }
  BEIAN_TRY(
      Throttle(ResetIpKey(client_address), ResetAddressThrottlePolicy(), retry_after_seconds));
  BEIAN_TRY(Throttle(ResetEmailKey(email), ResetEmailThrottlePolicy(), retry_after_seconds));
  const int64_t now = ToMs(clock_.Now());
  return db_.Write([&](store::Tx& tx) -> core::Status {
    BEIAN_ASSIGN_OR_RETURN(auto user, store::UserRepo(tx).FindByEmail(email));
    if (!user || !MayLogIn(user->role)) return core::Ok();  // the same answer
    const std::string token = core::RandomToken();
    const std::string hash = core::HashToken(token);
    BEIAN_TRY(
        store::AccountTokenRepo(tx).Issue({.token_hash = hash,
                                           .user_id = user->id,
                                           .purpose = std::string(store::kTokenPasswordReset),
                                           .created_at_ms = now,
                                           .expires_at_ms = now + Ms(kPasswordResetLifetime)}));
    core::Log(core::LogLevel::kInfo, "password_reset_requested", {{"user_id", user->id}});
    return EnqueueMessage(tx, *user, "email", user->email, "password_reset", {{"token", token}},
                          "account:" + hash, now);
  });
}

core::Status AccountsService::ResetPassword(std::string_view token, std::string_view password) {
  const std::string hash = core::HashToken(token);
  const int64_t now = ToMs(clock_.Now());
  auto found = db_.Read([&](store::Tx& tx) -> core::Result<std::optional<store::User>> {
    BEIAN_ASSIGN_OR_RETURN(auto t, store::AccountTokenRepo(tx).FindByHash(hash));
    if (!t || t->purpose != store::kTokenPasswordReset) return std::optional<store::User>();
    if (auto refused = RefuseToken({t->expires_at_ms, t->used_at_ms.has_value(), 0}, now)) {
      return *refused;
    }
    return store::UserRepo(tx).FindById(t->user_id);
  });
  if (!found) return std::move(found).error();
  if (!*found) return Error(ErrorCode::kTokenInvalid, "this reset link is not valid");
  const store::User& user = **found;
  auto problems = ValidatePassword(password, user.email);
  if (!problems.empty()) {
    return Error(ErrorCode::kValidationFailed, "the new password is not acceptable",
                 std::move(problems));
  }
  BEIAN_ASSIGN_OR_RETURN(std::string password_hash,
                         core::HashPassword(password, options_.password_cost));
  return db_.Write([&](store::Tx& tx) -> core::Status {
    store::AccountTokenRepo tokens(tx);
    BEIAN_ASSIGN_OR_RETURN(bool marked, tokens.MarkUsed(hash, now));
    if (!marked) return Error(ErrorCode::kTokenInvalid, "this reset link has been used already");
    BEIAN_TRY(store::UserRepo(tx).SetPasswordHash(user.id, password_hash));
    BEIAN_ASSIGN_OR_RETURN(int64_t ended, store::SessionRepo(tx).DeleteForUser(user.id));
    // The link proves the mailbox: an unconfirmed address is confirmed by it.
    BEIAN_TRY(tokens.ConfirmEmail(user.id, now));
    core::Log(core::LogLevel::kInfo, "password_reset", {{"user_id", user.id}, {"sessions", ended}});
    return core::Ok();
  });
}

core::Status AccountsService::RequireConfirmed(std::string_view user_id) {
  if (!options_.confirm_accounts) return core::Ok();
  auto state =
      db_.Read([&](store::Tx& tx) { return store::AccountTokenRepo(tx).GetConfirmation(user_id); });
  if (!state) return std::move(state).error();
  if (state->email_confirmed && state->mobile_confirmed) return core::Ok();
  std::vector<core::ErrorDetail> details;
  if (!state->email_confirmed) {
    details.push_back({"email", "email_unconfirmed", "the e-mail address is not confirmed"});
  }
  if (!state->mobile_confirmed) {
    details.push_back({"phone", "mobile_unconfirmed", "the mobile number is not confirmed"});
  }
  return Error(ErrorCode::kAccountUnconfirmed,
               "confirm your e-mail address and mobile number before submitting",
               std::move(details));
}

}  // namespace beian::accounts
