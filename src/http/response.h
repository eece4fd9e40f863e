// An HTTP response as handlers build it: status, content type, body and extra headers. The server
// adds Content-Length, Connection, X-Request-Id and the security headers.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace beian::http {

struct Response;
// Delivers a deferred response; callable from any thread, exactly once.
using Completion = std::function<void(Response)>;
// Starts the work of a deferred response and arranges for `done` to be called when it ends.
using DeferredStart = std::function<void(Completion done)>;

struct Response {
  unsigned status = 200;
  std::string content_type;  // empty: no Content-Type header (e.g. 204)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, in order

  // Replaces any header of the same name (case-insensitive).
  Response& SetHeader(std::string_view name, std::string_view value);
  // Appends a header even if one of that name exists (e.g. several Set-Cookie).
  Response& AddHeader(std::string_view name, std::string_view value);
  // The value of header `name`, or "" if absent.
  std::string_view Header(std::string_view name) const;

  static Response Text(std::string body, unsigned status = 200);
  // `body` must already be JSON text.
  static Response RawJson(std::string body, unsigned status = 200);
  static Response NoContent();

  // A response computed later, off the I/O thread (e.g. password hashing on a pool): the server
  // calls `start` once, after the handler returns, and leaves the connection waiting — its
  // thread serves other connections meanwhile — until `done` delivers the real response.
  static Response Deferred(DeferredStart start);
  // Set only on a deferred response (status, body and headers are then unused).
  DeferredStart deferred;
};

// ASCII case-insensitive equality (header names).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace beian::http
