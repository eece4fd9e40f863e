// Handlers of the accounts routes (see accounts_routes.h).
#include "accounts/accounts_routes.h"

#include <boost/json.hpp>
#include <exception>
#include <functional>
#include <utility>

#include "core/log.h"
#include "http/cookie.h"
#include "http/error_status.h"
#include "http/json.h"

namespace beian::accounts {
namespace {

namespace json = boost::json;

json::object UserJson(const UserView& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"phone", u.phone},
          {"display_name", u.display_name},
          {"role", u.role},
          {"locale", u.locale},
          {"email_confirmed", u.email_confirmed},
          {"mobile_confirmed", u.mobile_confirmed}};
}

// What registration and a reset request answer whatever the address: nothing tells whether it
// has an account.
http::Response Accepted() {
  auto response = http::JsonResponse(json::object{{"status", "accepted"}}, 202);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::Response GrantResponse(const SessionGrant& g, const AccountRoutesOptions& o,
                             unsigned status) {
  auto response = http::JsonResponse(
      json::object{{"user", UserJson(g.user)}, {"csrf_token", g.csrf_token}}, status);
  response.AddHeader("Set-Cookie",
                     http::BuildSetCookie(o.cookie_name, g.session_token,
                                          {.max_age = g.max_age, .secure = o.cookie_secure}));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

// An error, with Retry-After when the caller must wait.
core::Result<http::Response> Refusal(core::Error error, int64_t retry_after) {
  if (retry_after <= 0) return error;
  auto response = http::ErrorResponse(error);
  response.SetHeader("Retry-After", std::to_string(retry_after));
  return response;
}

http::Response SignedOut(const AccountRoutesOptions& o) {
  auto response = http::Response::NoContent();
  response.AddHeader("Set-Cookie",
                     http::BuildDeleteCookie(o.cookie_name, {.secure = o.cookie_secure}));
  return response;
}

http::Response Busy(const PasswordPool& pool) {
  auto response = http::ErrorResponse(core::Error(
      core::ErrorCode::kBusy, "the server is busy signing in others: try again shortly"));
  response.SetHeader("Retry-After", std::to_string(pool.RetryAfterSeconds()));
  return response;
}

// Runs `work` on the password pool and answers with a deferred response, or runs it here when
// there is no pool.
core::Result<http::Response> WithPasswordWork(PasswordPool* pool, const http::Request& req,
                                              std::function<core::Result<http::Response>()> work) {
  if (pool == nullptr) return work();
  return http::Response::Deferred([pool, request_id = req.request_id,
                                   work = std::move(work)](http::Completion done) {
    const bool queued = pool->Submit([pool, request_id, work, done](bool run) {
      if (!run) {
        core::ScopedLogRequestId log_id(request_id);
        core::Log(core::LogLevel::kWarn, "password_work_refused", {{"reason", "waited too long"}});
        done(Busy(*pool));
        return;
      }
      core::ScopedLogRequestId log_id(request_id);
      http::Response response;
      try {
        auto result = work();
        response = result ? std::move(*result) : http::ErrorResponse(result.error());
      } catch (const std::exception& e) {
        core::Log(core::LogLevel::kError, "handler_exception", {{"what", e.what()}});
        response = http::ErrorResponse(core::Error(core::ErrorCode::kInternal, "internal error"));
      }
      done(std::move(response));
    });
    if (!queued) {
      core::ScopedLogRequestId log_id(request_id);
      core::Log(core::LogLevel::kWarn, "password_work_refused", {{"reason", "queue full"}});
      done(Busy(*pool));
    }
  });
}

}  // namespace

http::Authenticator MakeAuthenticator(AccountsService& service, std::string cookie_name) {
  return [&service, cookie_name = std::move(cookie_name)](
             const http::Request& request) -> core::Result<std::optional<http::Principal>> {
    auto token = request.Cookie(cookie_name);
    if (!token || token->empty()) return std::optional<http::Principal>();
    return service.Authenticate(*token);
  };
}

void RegisterAccountRoutes(http::Router& router, AccountsService& service,
                           const AccountRoutesOptions& options) {
  const std::string& p = options.prefix;
  if (service.options().self_registration && service.options().confirm_accounts) {
    // 202 for a new address and a registered one alike; the client signs in next.
    router.Add("POST", p + "/auth/register",
               [&service, options](http::Request& req) -> core::Result<http::Response> {
                 BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                 core::JsonReader r(body);
                 Registration reg;
                 reg.email = r.RequiredString("email");
                 reg.phone = r.RequiredString("phone");
                 reg.password = r.RequiredString("password");
                 reg.display_name = r.RequiredString("display_name");
                 reg.locale = r.OptionalString("locale").value_or("zh-CN");
                 BEIAN_TRY(r.Finish());
                 return WithPasswordWork(
                     options.password_pool, req,
                     [&service, reg = std::move(reg),
                      address = req.client_address]() -> core::Result<http::Response> {
                       int64_t retry_after = 0;
                       auto done = service.RegisterUnconfirmed(reg, address, &retry_after);
                       if (!done) return Refusal(std::move(done).error(), retry_after);
                       return Accepted();
                     });
               });
    router.Add("POST", p + "/auth/confirm-email",
               [&service](http::Request& req) -> core::Result<http::Response> {
                 BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                 core::JsonReader r(body);
                 std::string token = r.RequiredString("token");
                 BEIAN_TRY(r.Finish());
                 BEIAN_TRY(service.ConfirmEmail(token));
                 return http::Response::NoContent();
               });
    router.Add("POST", p + "/auth/confirm-mobile",
               [&service](http::Request& req) -> core::Result<http::Response> {
                 BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                 core::JsonReader r(body);
                 std::string code = r.RequiredString("code");
                 BEIAN_TRY(r.Finish());
                 int64_t retry_after = 0;
                 auto done = service.ConfirmMobile(req.principal->user_id, code, &retry_after);
                 if (!done) return Refusal(std::move(done).error(), retry_after);
                 return http::Response::NoContent();
               },
               {.auth = http::Auth::kSession});
    router.Add("POST", p + "/auth/confirm-mobile/resend",
               [&service](http::Request& req) -> core::Result<http::Response> {
                 int64_t retry_after = 0;
                 auto done = service.ResendConfirmation(req.principal->user_id, &retry_after);
                 if (!done) return Refusal(std::move(done).error(), retry_after);
                 return Accepted();
               },
               {.auth = http::Auth::kSession});
    router.Add("POST", p + "/auth/password-reset",
               [&service](http::Request& req) -> core::Result<http::Response> {
                 BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                 core::JsonReader r(body);
                 std::string email = r.RequiredString("email");
                 BEIAN_TRY(r.Finish());
                 int64_t retry_after = 0;
                 auto done = service.RequestPasswordReset(email, req.client_address, &retry_after);
                 if (!done) return Refusal(std::move(done).error(), retry_after);
                 return Accepted();
               });
    router.Add("POST", p + "/auth/password-reset/confirm",
               [&service, options](http::Request& req) -> core::Result<http::Response> {
                 BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                 core::JsonReader r(body);
                 std::string token = r.RequiredString("token");
                 std::string password = r.RequiredString("password");
                 BEIAN_TRY(r.Finish());
                 return WithPasswordWork(
                     options.password_pool, req,
                     [&service, token = std::move(token),
                      password = std::move(password)]() -> core::Result<http::Response> {
                       BEIAN_TRY(service.ResetPassword(token, password));
                       return http::Response::NoContent();
                     });
               });
  } else if (service.options().self_registration) {
    router.Add("POST", p + "/auth/register",
               [&service, options](http::Request& req) -> core::Result<http::Response> {
                 BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                 core::JsonReader r(body);
                 Registration reg;
                 reg.email = r.RequiredString("email");
                 reg.phone = r.RequiredString("phone");
                 reg.password = r.RequiredString("password");
                 reg.display_name = r.RequiredString("display_name");
                 reg.locale = r.OptionalString("locale").value_or("zh-CN");
                 BEIAN_TRY(r.Finish());
                 return WithPasswordWork(
                     options.password_pool, req,
                     [&service, options, reg = std::move(reg),
                      address = req.client_address]() -> core::Result<http::Response> {
                       int64_t retry_after = 0;
                       auto g = service.Register(reg, address, &retry_after);
                       if (!g) return Refusal(std::move(g).error(), retry_after);
                       return GrantResponse(*g, options, 201);
                     });
               });
  }
  router.Add("POST", p + "/auth/login",
             [&service, options](http::Request& req) -> core::Result<http::Response> {
               BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
               core::JsonReader r(body);
               std::string email = r.RequiredString("email");
               std::string password = r.RequiredString("password");
               BEIAN_TRY(r.Finish());
               return WithPasswordWork(
                   options.password_pool, req,
                   [&service, options, email = std::move(email), password = std::move(password),
                    address = req.client_address]() -> core::Result<http::Response> {
                     int64_t retry_after = 0;
                     auto g = service.Login(email, password, address, &retry_after);
                     if (!g) return Refusal(std::move(g).error(), retry_after);
                     return GrantResponse(*g, options, 200);
                   });
             });
  router.Add("POST", p + "/auth/logout",
             [&service, options](http::Request& req) -> core::Result<http::Response> {
               BEIAN_TRY(service.Logout(req.principal->session_id));
               return SignedOut(options);
             },
             {.auth = http::Auth::kSession});
  // Sign out everywhere: every session of the account ends, this one included.
  router.Add("POST", p + "/auth/logout-all",
             [&service, options](http::Request& req) -> core::Result<http::Response> {
               BEIAN_TRY(service.LogoutAll(req.principal->user_id));
               return SignedOut(options);
             },
             {.auth = http::Auth::kSession});
  router.Add("GET", p + "/me",
             [&service](http::Request& req) -> core::Result<http::Response> {
               BEIAN_ASSIGN_OR_RETURN(UserView user, service.GetUser(req.principal->user_id));
               auto response = http::JsonResponse(json::object{
                   {"user", UserJson(user)}, {"csrf_token", req.principal->csrf_token}});
               response.SetHeader("Cache-Control", "no-store");
               return response;
             },
             {.auth = http::Auth::kSession});
}

}  // namespace beian::accounts
