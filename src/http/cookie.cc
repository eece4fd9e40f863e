// Cookie parsing and Set-Cookie building.
#include "http/cookie.h"

namespace beian::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string_view> FindCookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = Trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (Trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = Trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return std::nullopt;
}

std::string BuildSetCookie(std::string_view name, std::string_view value,
                           const CookieOptions& options) {
  std::string out;
  out.reserve(name.size() + value.size() + 64);
  out.append(name).append("=").append(value);
  out.append("; Path=").append(options.path);
  if (options.max_age.count() > 0)
    out.append("; Max-Age=").append(std::to_string(options.max_age.count()));
  if (options.http_only) out.append("; HttpOnly");
  if (!options.same_site.empty()) out.append("; SameSite=").append(options.same_site);
  if (options.secure) out.append("; Secure");
  return out;
}

std::string SessionCookieName(std::string_view base, bool secure) {
  return secure ? "__Host-" + std::string(base) : std::string(base);
}

std::string BuildDeleteCookie(std::string_view name, const CookieOptions& options) {
  std::string out = BuildSetCookie(name, "",
                                   CookieOptions{.max_age = std::chrono::seconds(0),
                                                 .secure = options.secure,
                                                 .http_only = options.http_only,
                                                 .path = options.path,
                                                 .same_site = options.same_site});
  out.append("; Max-Age=0");
  return out;
}

}  // namespace beian::http
