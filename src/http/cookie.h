// Cookies: reading one from a Cookie header, and building Set-Cookie values for the session
// cookie (always HttpOnly, SameSite=Lax, Path=/; Secure when the deployment is served over HTTPS).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace beian::http {

// The value of cookie `name` in a Cookie header value ("a=1; b=2"), or nullopt.
std::optional<std::string_view> FindCookie(std::string_view cookie_header, std::string_view name);

struct CookieOptions {
  std::chrono::seconds max_age{0};  // 0: a session cookie (no Max-Age)
  bool secure = false;
  bool http_only = true;
  std::string path = "/";
  std::string same_site = "Lax";
};

// "name=value; Path=/; Max-Age=N; HttpOnly; SameSite=Lax[; Secure]".
// REQUIRES: name and value contain no ';', ',', '=' (name), whitespace or control characters.
std::string BuildSetCookie(std::string_view name, std::string_view value,
                           const CookieOptions& options = {});

// The session cookie's name: `base`, or "__Host-" + base when the deployment is served over HTTPS
// (`secure`). Browsers accept a __Host- cookie only when it is Secure, has Path=/ and no Domain,
// so no other site on a sibling domain or plain-HTTP page can set or shadow it.
std::string SessionCookieName(std::string_view base, bool secure);

// A Set-Cookie value that deletes cookie `name` (empty value, Max-Age=0).
std::string BuildDeleteCookie(std::string_view name, const CookieOptions& options = {});

}  // namespace beian::http
