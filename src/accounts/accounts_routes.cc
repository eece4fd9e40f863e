// Handlers of the accounts routes (see accounts_routes.h).
#include "accounts/accounts_routes.h"

#include <boost/json.hpp>

#include "http/cookie.h"
#include "http/error_status.h"
#include "http/json.h"

namespace beian::accounts {
namespace {

namespace json = boost::json;

json::object UserJson(const UserView& u) {
  return {{"id", u.id},       {"email", u.email},
          {"phone", u.phone}, {"display_name", u.display_name},
          {"role", u.role},   {"locale", u.locale}};
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
  if (service.options().self_registration) {
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
                 int64_t retry_after = 0;
                 auto g = service.Register(reg, req.client_address, &retry_after);
                 if (!g) return Refusal(std::move(g).error(), retry_after);
                 return GrantResponse(*g, options, 201);
               });
  }
  router.Add("POST", p + "/auth/login",
             [&service, options](http::Request& req) -> core::Result<http::Response> {
               BEIAN_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
               core::JsonReader r(body);
               std::string email = r.RequiredString("email");
               std::string password = r.RequiredString("password");
               BEIAN_TRY(r.Finish());
               int64_t retry_after = 0;
               auto g = service.Login(email, password, req.client_address, &retry_after);
               if (!g) return Refusal(std::move(g).error(), retry_after);
               return GrantResponse(*g, options, 200);
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
