// The route table of one service, with access rules declared beside each route:
//   http::Router router;
//   router.SetAuthenticator(sessions.Authenticator());
//   router.Add("GET", "/api/v1/applications/{id}", GetApplication,
//              {.auth = http::Auth::kSession, .roles = {"applicant", "reviewer"}});
// Handle() checks Host against the public URLs (421), matches the path (literal segments win
// over {params}), answers 404 / 405 (with Allow) in the error format, checks Origin on unsafe
// methods, authenticates, checks roles and the CSRF
// token, calls the handler, turns an Error (or any exception) into the JSON error response, and
// records metrics under the route pattern. Add/Set* before serving; Handle() is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/response.h"

namespace beian::http {

enum class Auth {
  kPublic,           // no principal looked up
  kSession,          // a principal is required (401 unauthenticated otherwise)
  kOptionalSession,  // the principal is looked up and set when there is one
};

struct RouteOptions {
  Auth auth = Auth::kPublic;
  // Served whatever the Host (RouterOptions::public_urls does not apply): for probes that reach
  // the service by address (/healthz, /readyz), and for the signed service-to-service routes,
  // which one service calls at the other's listen address and which no browser session can
  // reach (no cookie counts there; the signature is the authentication).
  bool any_host = false;
  // When non-empty, the principal's role must be one of these (403 forbidden otherwise).
  std::vector<std::string> roles = {};
  // Check X-CSRF-Token against the principal's token. Default: on for unsafe methods
  // (POST, PUT, PATCH, DELETE) whenever a principal is present.
  std::optional<bool> csrf = std::nullopt;
  // The largest request body for this route (e.g. uploads), instead of ServerOptions::body_limit.
  std::optional<uint64_t> body_limit = std::nullopt;
  // A multipart/form-data body is parsed while it is read, its file fields written to temporary
  // files under ServerOptions::spool_dir (Request::form) instead of the body held in memory.
  bool stream_files = false;
};

// "scheme://host[:port]" with scheme http or https, lower-cased, the scheme's default port and a
// trailing "/" dropped ("HTTPS://Beian.Example.cn:443/" → "https://beian.example.cn"); an IPv6
// host in brackets. kBadRequest for anything else (a path, user info, a query, another scheme).
core::Result<std::string> NormalizePublicUrl(std::string_view url);

using Handler = std::function<core::Result<Response>(Request&)>;
// Finds the caller from the request (e.g. the session cookie). nullopt: no (valid) session.
using Authenticator = std::function<core::Result<std::optional<Principal>>(const Request&)>;

struct RouterOptions {
  // The URLs the service is reached at, as NormalizePublicUrl returns them
  // ("https://beian.example.cn", "http://127.0.0.1:8080"). When set, a request whose Host is
  // not one of their authorities gets 421 misdirected_request (a DNS-rebinding page reaches us
  // under its own name), and an unsafe method's Origin must be one of them. When empty, any Host
  // is served and Origin is compared with the request's own Host (embedding, tests).
  std::vector<std::string> public_urls = {};
  // Origins besides those accepted on unsafe methods.
  std::vector<std::string> allowed_origins = {};
  // Without public_urls: the scheme of the request's own origin when Request::secure is false
  // (behind a TLS proxy configure "https").
  std::string public_scheme = "http";
};

class Router {
 public:
  explicit Router(RouterOptions options = {});
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers `handler` for `method` on `pattern` ("/a/{id}/b": literal segments and whole-
  // segment parameters). REQUIRES: a well-formed pattern, not already registered for `method`
  // (throws std::invalid_argument otherwise — a wiring mistake caught at start-up).
  void Add(std::string_view method, std::string_view pattern, Handler handler,
           RouteOptions options = {});
  void SetAuthenticator(Authenticator authenticator);
  // Replaces RouterOptions::public_urls (each already normalized by NormalizePublicUrl).
  void SetPublicUrls(std::vector<std::string> urls);
  // Handles GET/HEAD requests that match no route (e.g. the static web UI); else 404.
  void SetFallback(Handler handler);

  // Serves `request` (its target already parsed). Never throws.
  Response Handle(Request& request);

  Metrics& metrics() { return metrics_; }

  // Body limits declared by routes (for the server, before the body is read).
  bool HasRouteBodyLimits() const { return max_body_limit_ > 0; }
  // Whether some route declares RouteOptions::stream_files.
  bool HasStreamingRoutes() const { return streams_files_; }
  uint64_t MaxBodyLimit() const { return max_body_limit_; }
  // The body limit of the route `request` (target parsed) would reach, if it declares one.
  std::optional<uint64_t> BodyLimitFor(const Request& request) const;
  // The options of the route `request` (target parsed) would reach; nullptr when none.
  const RouteOptions* OptionsFor(const Request& request) const;

  // The registered routes, pattern by pattern in registration order: what the service
  // answers besides the fallback (`beian routes` prints them; a test compares docs/openapi.yaml).
  struct RouteInfo {
    std::string method;
    std::string pattern;
  };
  std::vector<RouteInfo> Routes() const;

  // Constant-time comparison (for tokens).
  static bool ConstantTimeEquals(std::string_view a, std::string_view b);
  static bool IsUnsafeMethod(std::string_view method);

 private:
  struct Route;
  struct Pattern;
  const Pattern* Match(const Request& request,
                       std::vector<std::pair<std::string_view, std::string>>* params) const;
  core::Result<Response> Run(Request& request, const Route& route);
  core::Status CheckOrigin(const Request& request) const;
  bool IsPublicHost(std::string_view host) const;

  RouterOptions options_;
  // The authority ("host[:port]") of each public URL, and the scheme's default port.
  struct PublicAuthority {
    std::string authority;
    std::string default_port;
  };
  std::vector<PublicAuthority> public_authorities_;
  Metrics metrics_;
  std::vector<std::unique_ptr<Pattern>> patterns_;
  // Patterns without parameters by their path ("/api/v1/x"): most requests are matched with one
  // hash look-up instead of a walk over every pattern.
  struct PathHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, const Pattern*, PathHash, std::equal_to<>> literal_patterns_;
  Authenticator authenticator_;
  Handler fallback_;
  uint64_t max_body_limit_ = 0;
  bool streams_files_ = false;
  Metrics::RouteStats* fallback_get_stats_ = nullptr;
  Metrics::RouteStats* fallback_head_stats_ = nullptr;
};

}  // namespace beian::http
