// An HTTP request as handlers see it: method, target split into decoded path segments and query,
// headers, body, path parameters filled in by the router, and the authenticated principal
// (set by the router for routes that use a session). Plain data, so handler tests can build one.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace beian::http {

class StreamedForm;  // http/multipart_stream.h

// Who is calling, as the service's authenticator found it (e.g. from the session cookie).
struct Principal {
  std::string user_id;
  std::string email;
  std::string display_name;
  std::string role;
  std::string session_id;
  std::string csrf_token;
};

struct Request {
  std::string method;                 // "GET", "POST", … (as sent)
  std::string target;                 // raw request target, e.g. "/api/v1/x?y=1"
  std::string path;                   // the percent-encoded path part of the target
  std::vector<std::string> segments;  // decoded path segments ("/a/b%2Fc" → {"a", "b/c"})
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // For routes with RouteOptions::stream_files whose body is multipart/form-data: the form read
  // while it arrived (its files on disk), and `body` empty. Null otherwise.
  std::shared_ptr<StreamedForm> form;
  std::string client_address;  // peer IP address
  std::string request_id;
  bool secure = false;  // true when served over TLS (by a proxy, per configuration)

  // Filled in by the router.
  std::string_view route;  // the matched pattern ("" if none)
  std::vector<std::pair<std::string_view, std::string>> path_params;
  std::optional<Principal> principal;

  // The value of header `name` (case-insensitive), or "" if absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The path parameter `{name}` of the matched route, or "" if the route has none of that name.
  std::string_view PathParam(std::string_view name) const;
  // The first query parameter `name` (decoded), or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;
  // The cookie `name` from the Cookie header, or nullopt.
  std::optional<std::string_view> Cookie(std::string_view name) const;

  // Fills `path`, `segments` and `query` from `target`; false if the target is not origin-form.
  bool ParseTarget();
};

}  // namespace beian::http
