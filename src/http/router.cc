// Route matching, access checks, error mapping and metrics for one service.
#include "http/router.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>

#include "core/log.h"
#include "http/error_status.h"

namespace beian::http {

struct Router::Route {
  std::string method;
  Handler handler;
  RouteOptions options;
  Metrics::RouteStats* stats = nullptr;
};

struct Router::Pattern {
  std::string text;
  struct Segment {
    std::string literal;  // when !is_param
    std::string param;    // when is_param
    bool is_param = false;
  };
  std::vector<Segment> segments;
  std::vector<Route> routes;
  std::string allow;  // "GET, HEAD, POST"

  const Route* Find(std::string_view method) const {
    for (const Route& r : routes) {
      if (r.method == method) return &r;
    }
    return nullptr;
  }
};

namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

core::Result<std::string> NormalizePublicUrl(std::string_view url) {
  auto bad = [url](std::string_view why) {
    return core::Error(core::ErrorCode::kBadRequest,
                       "public URL \"" + std::string(url) + "\": " + std::string(why));
  };
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return bad("needs http:// or https://");
  std::string scheme = ToLower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") return bad("the scheme must be http or https");
  std::string rest = ToLower(url.substr(sep + 3));
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty()) return bad("no host");
  if (rest.find_first_of("/?#@\\ ") != std::string::npos) {
    return bad("only scheme://host[:port] (no path, query or user)");
  }
  std::string host;
  std::string port;
  if (rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string::npos || close < 3) return bad("bad IPv6 address");
    host = rest.substr(0, close + 1);
    if (host.find_first_not_of("[]0123456789abcdef:.") != std::string::npos) {
      return bad("bad IPv6 address");
    }
    std::string after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("bad port");
      port = after.substr(1);
    }
  } else {
    size_t colon = rest.rfind(':');
    host = rest.substr(0, colon);
    if (colon != std::string::npos) port = rest.substr(colon + 1);
    if (host.empty() ||
        host.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-_") != std::string::npos) {
      return bad("bad host name");
    }
  }
  if (!port.empty() || rest.back() == ':') {
    if (!IsDigits(port) || port.size() > 5 || std::stoul(port) == 0 || std::stoul(port) > 65535) {
      return bad("bad port");
    }
    port = std::to_string(std::stoul(port));  // no leading zeros
  }
  if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) port.clear();
  return scheme + "://" + host + (port.empty() ? "" : ":" + port);
}

Router::Router(RouterOptions options) : options_(std::move(options)) {
  SetPublicUrls(std::move(options_.public_urls));
}

void Router::SetPublicUrls(std::vector<std::string> urls) {
  options_.public_urls = std::move(urls);
  public_authorities_.clear();
  for (const std::string& url : options_.public_urls) {
    size_t sep = url.find("://");
    if (sep == std::string::npos) continue;
    public_authorities_.push_back({.authority = url.substr(sep + 3),
                                   .default_port = url.substr(0, sep) == "https" ? "443" : "80"});
  }
}

bool Router::IsPublicHost(std::string_view host) const {
  std::string h = ToLower(host);
  if (!h.empty() && h.back() == '.') h.pop_back();  // "example.cn." names the same host
  for (const PublicAuthority& p : public_authorities_) {
    if (h == p.authority) return true;
    if (h.size() == p.authority.size() + 1 + p.default_port.size() && h.starts_with(p.authority) &&
        h[p.authority.size()] == ':' && h.ends_with(p.default_port)) {
      return true;
    }
  }
  return false;
}
Router::~Router() = default;

bool Router::IsUnsafeMethod(std::string_view m) {
  return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
}

bool Router::ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  volatile unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = static_cast<unsigned char>(
        diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
  }
  return diff == 0;
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& pattern : patterns_) {
    for (const Route& route : pattern->routes) out.push_back({route.method, pattern->text});
  }
  return out;
}

void Router::Add(std::string_view method, std::string_view pattern, Handler handler,
                 RouteOptions options) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  std::vector<Pattern::Segment> segments;
  std::string_view rest = pattern.substr(1);
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (seg.empty()) {
      if (rest.empty()) break;  // trailing slash
      throw std::invalid_argument("empty segment in route pattern: " + std::string(pattern));
    }
    Pattern::Segment s;
    if (seg.front() == '{') {
      if (seg.size() < 3 || seg.back() != '}') {
        throw std::invalid_argument("bad parameter in route pattern: " + std::string(pattern));
      }
      s.is_param = true;
      s.param = std::string(seg.substr(1, seg.size() - 2));
    } else {
      s.literal = std::string(seg);
    }
    segments.push_back(std::move(s));
  }
  Pattern* p = nullptr;
  for (auto& existing : patterns_) {
    if (existing->text == pattern) p = existing.get();
  }
  if (p == nullptr) {
    patterns_.push_back(std::make_unique<Pattern>());
    p = patterns_.back().get();
    p->text = std::string(pattern);
    p->segments = std::move(segments);
    bool literal = std::none_of(p->segments.begin(), p->segments.end(),
                                [](const Pattern::Segment& seg) { return seg.is_param; });
    if (literal) {
      std::string path;
      for (const Pattern::Segment& seg : p->segments) path += "/" + seg.literal;
      if (path.empty()) path = "/";
      literal_patterns_.emplace(std::move(path), p);  // the first of equal paths, as in Match
    }
  }
  if (p->Find(method) != nullptr) {
    throw std::invalid_argument("route registered twice: " + std::string(method) + " " +
                                std::string(pattern));
  }
  Route r;
  r.method = std::string(method);
  r.handler = std::move(handler);
  r.options = std::move(options);
  r.stats = metrics_.Register(p->text, method);
  if (r.options.body_limit) max_body_limit_ = std::max(max_body_limit_, *r.options.body_limit);
  if (r.options.stream_files) streams_files_ = true;
  p->routes.push_back(std::move(r));
  // Allow lists the methods in registration order, with HEAD implied by GET.
  p->allow.clear();
  for (const Route& route : p->routes) {
    if (!p->allow.empty()) p->allow += ", ";
    p->allow += route.method;
    if (route.method == "GET" && p->Find("HEAD") == nullptr) p->allow += ", HEAD";
  }
}

void Router::SetAuthenticator(Authenticator authenticator) {
  authenticator_ = std::move(authenticator);
}

void Router::SetFallback(Handler handler) {
  fallback_ = std::move(handler);
  fallback_get_stats_ = metrics_.Register("fallback", "GET");
  fallback_head_stats_ = metrics_.Register("fallback", "HEAD");
}

const Router::Pattern* Router::Match(
    const Request& request, std::vector<std::pair<std::string_view, std::string>>* params) const {
  // A pattern without parameters that equals the whole path is the most specific match there
  // is. Only a path without percent-escapes can be compared undecoded.
  std::string_view path = request.path;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (!path.empty() && path.find('%') == std::string_view::npos) {
    if (auto it = literal_patterns_.find(path); it != literal_patterns_.end()) {
      params->clear();
      return it->second;
    }
  }
  const Pattern* best = nullptr;
  for (const auto& p : patterns_) {
    if (p->segments.size() != request.segments.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < p->segments.size() && ok; ++i) {
      if (!p->segments[i].is_param && p->segments[i].literal != request.segments[i]) ok = false;
    }
    if (!ok) continue;
    if (best == nullptr) {
      best = p.get();
      continue;
    }
    // The more specific pattern wins: at the first segment where they differ in kind, the
    // literal one.
    for (size_t i = 0; i < p->segments.size(); ++i) {
      if (p->segments[i].is_param != best->segments[i].is_param) {
        if (!p->segments[i].is_param) best = p.get();
        break;
      }
    }
  }
  if (best != nullptr) {
    params->clear();
    for (size_t i = 0; i < best->segments.size(); ++i) {
      if (best->segments[i].is_param) {
        params->emplace_back(best->segments[i].param, request.segments[i]);
      }
    }
  }
  return best;
}

const RouteOptions* Router::OptionsFor(const Request& request) const {
  std::vector<std::pair<std::string_view, std::string>> params;
  const Pattern* pattern = Match(request, &params);
  if (pattern == nullptr) return nullptr;
  const Route* route = pattern->Find(request.method);
  return route != nullptr ? &route->options : nullptr;
}

std::optional<uint64_t> Router::BodyLimitFor(const Request& request) const {
  const RouteOptions* options = OptionsFor(request);
  return options != nullptr ? options->body_limit : std::nullopt;
}

core::Status Router::CheckOrigin(const Request& request) const {
  std::string_view origin = request.Header("origin");
  if (origin.empty()) return core::Ok();
  std::string_view host = request.Header("host");
  if (!options_.public_urls.empty()) {
    // Compared with where the service is published, never with the request's own Host: a
    // DNS-rebinding page sends a Host and an Origin of its own name, and they agree.
    auto normalized = NormalizePublicUrl(origin);
    if (normalized && std::find(options_.public_urls.begin(), options_.public_urls.end(),
                                *normalized) != options_.public_urls.end()) {
      return core::Ok();
    }
  } else if (!host.empty()) {
    std::string_view scheme =
        request.secure ? std::string_view("https") : std::string_view(options_.public_scheme);
    if (origin.size() == scheme.size() + 3 + host.size() &&
        origin.substr(0, scheme.size()) == scheme && origin.substr(scheme.size(), 3) == "://" &&
        origin.substr(scheme.size() + 3) == host) {
      return core::Ok();
    }
  }
  for (const std::string& allowed : options_.allowed_origins) {
    if (origin == allowed) return core::Ok();
  }
  return core::Error(core::ErrorCode::kCsrfFailed, "cross-origin request refused");
}

core::Result<Response> Router::Run(Request& request, const Route& route) {
  bool unsafe = IsUnsafeMethod(request.method);
  if (unsafe) BEIAN_TRY(CheckOrigin(request));
  if (route.options.auth != Auth::kPublic) {
    if (!authenticator_) {
      return core::Error(core::ErrorCode::kInternal, "no authenticator configured");
    }
    BEIAN_ASSIGN_OR_RETURN(request.principal, authenticator_(request));
    if (!request.principal && route.options.auth == Auth::kSession) {
      return core::Error(core::ErrorCode::kUnauthenticated, "sign in first");
    }
  }
  if (!route.options.roles.empty()) {
    if (!request.principal) {
      return core::Error(core::ErrorCode::kUnauthenticated, "sign in first");
    }
    bool allowed = false;
    for (const std::string& role : route.options.roles)
      allowed = allowed || role == request.principal->role;
    if (!allowed) {
      return core::Error(core::ErrorCode::kForbidden, "your role may not do this");
    }
  }
  bool csrf = route.options.csrf.value_or(unsafe && request.principal.has_value());
  if (csrf) {
    std::string_view token = request.Header("x-csrf-token");
    if (!request.principal || token.empty() ||
        !ConstantTimeEquals(token, request.principal->csrf_token)) {
      return core::Error(core::ErrorCode::kCsrfFailed, "missing or wrong X-CSRF-Token");
    }
  }
  return route.handler(request);
}

Response Router::Handle(Request& request) {
  auto start = std::chrono::steady_clock::now();
  metrics_.AddInFlight(1);
  Metrics::RouteStats* stats = nullptr;
  Response response;
  try {
    const Pattern* pattern = Match(request, &request.path_params);
    const Route* route = nullptr;
    if (pattern != nullptr) {
      route = pattern->Find(request.method);
      if (route == nullptr && request.method == "HEAD") route = pattern->Find("GET");
    }
    core::Result<Response> result = core::Error(core::ErrorCode::kInternal, "unreachable");
    if (!public_authorities_.empty() && !(route != nullptr && route->options.any_host) &&
        !IsPublicHost(request.Header("host"))) {
      stats = metrics_.Unmatched(request.method);
      result = core::Error(core::ErrorCode::kMisdirectedRequest,
                           "this service is not published under that host name");
    } else if (route != nullptr) {
      request.route = pattern->text;
      stats = route->stats;
      result = Run(request, *route);
    } else if (pattern != nullptr) {
      stats = metrics_.Unmatched(request.method);
      result = core::Error(core::ErrorCode::kMethodNotAllowed,
                           "method " + request.method + " is not allowed here");
    } else if (fallback_ && (request.method == "GET" || request.method == "HEAD")) {
      stats = request.method == "GET" ? fallback_get_stats_ : fallback_head_stats_;
      result = fallback_(request);
    } else {
      stats = metrics_.Unmatched(request.method);
      result = core::Error(core::ErrorCode::kNotFound, "no such resource");
    }
    if (result) {
      response = std::move(*result);
    } else {
      const core::Error& e = result.error();
      response = ErrorResponse(e);
      if (e.code == core::ErrorCode::kMethodNotAllowed && pattern != nullptr) {
        response.SetHeader("Allow", pattern->allow);
      }
      if (response.status >= 500) {
        core::Log(core::LogLevel::kError, "request_failed",
                  {{"route", request.route},
                   {"code", core::ErrorCodeName(e.code)},
                   {"message", e.message}});
      }
    }
  } catch (const std::exception& ex) {
    core::Log(core::LogLevel::kError, "handler_exception",
              {{"route", request.route}, {"what", ex.what()}});
    response = ErrorResponse(core::Error(core::ErrorCode::kInternal, "internal error"));
  } catch (...) {
    core::Log(core::LogLevel::kError, "handler_exception", {{"route", request.route}});
    response = ErrorResponse(core::Error(core::ErrorCode::kInternal, "internal error"));
  }
  if (stats == nullptr) stats = metrics_.Unmatched(request.method);
  if (response.deferred) {
    // Recorded when the response is delivered; a start that throws is answered with a 500.
    DeferredStart inner = std::move(response.deferred);
    response.deferred = [this, stats, start, inner = std::move(inner),
                         route = request.route](Completion done) {
      Completion recorded = [this, stats, start, done](Response r) {
        auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
        Metrics::Record(stats, r.status, static_cast<uint64_t>(ns));
        metrics_.AddInFlight(-1);
        done(std::move(r));
      };
      try {
        inner(recorded);
      } catch (...) {
        core::Log(core::LogLevel::kError, "handler_exception", {{"route", route}});
        recorded(ErrorResponse(core::Error(core::ErrorCode::kInternal, "internal error")));
      }
    };
    return response;
  }
  auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count();
  Metrics::Record(stats, response.status, static_cast<uint64_t>(ns));
  metrics_.AddInFlight(-1);
  return response;
}

}  // namespace beian::http
