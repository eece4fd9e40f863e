// The HTTP/1.1 server (Boost.Beast/Asio) that serves one Router.
//
// Threads: `threads` workers, each with its own io_context and its own acceptor on the same port
// (SO_REUSEPORT), so a connection lives on one thread and needs no locking; TCP_NODELAY is set.
// Handlers run synchronously on the worker thread and may block (database calls): the thread
// count is the concurrency. Work too heavy for that (password hashing) returns a deferred
// response (Response::Deferred): the connection then waits without holding its thread, and the
// response is written when the work hands it back.
// Timeouts are enforced by a coarse periodic sweep of connection deadlines per worker instead of
// a timer per read: a new connection must send a whole header
// within header_timeout, a body within body_timeout after its header, a keep-alive connection
// is closed after idle_timeout without a new request, and a client that does not read its
// response is dropped after write_timeout. Deadlines are checked every quarter of the shortest
// timeout (between 10 ms and 1 s), so they hold to within that. A worker busy in a handler
// checks its other connections when the handler returns. Limits: header size (431), body size
// (413, enforced as the body arrives; ServerOptions::body_limit unless the route declares
// RouteOptions::body_limit), connections (beyond max_connections: a 503 and close). A route with
// RouteOptions::stream_files gets its multipart/form-data body parsed while it is read and its
// files written to ServerOptions::spool_dir (Request::form), so an upload never sits in memory
// and one refused half-way (413, a closed connection) leaves no file behind. Every response carries
// Date, X-Request-Id (a well-formed incoming one is kept) and, when enabled, the security headers;
// one JSON access log line ("http_request") is written per request at level info, held until the
// end of the worker's turn of its loop and written with that turn's other access lines.
//
// Lifecycle: Start() binds and starts the workers; Shutdown() (thread-safe, idempotent; not
// async-signal-safe) stops accepting, closes idle keep-alive connections, lets in-flight
// requests finish (their connections close after the response) and closes whatever is left
// after drain_timeout; Wait() returns once every worker has stopped. A worker blocked in a
// handler begins its drain when the handler returns. Call Wait() from one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/router.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace beian::http {

struct ServerOptions {
  // "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:8080"; port 0 picks a free port (see port()).
  std::string listen = "127.0.0.1:8080";
  int threads = 1;
  uint64_t body_limit = 1024 * 1024;
  uint32_t header_limit = 16 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds drain_timeout{10'000};
  size_t max_connections = 10'000;
  std::string service_name = "beian";
  bool access_log = true;
  // Content-Security-Policy (frame-ancestors 'none'), X-Content-Type-Options, Referrer-Policy,
  // X-Frame-Options on every response.
  bool security_headers = true;
  // Strict-Transport-Security (max-age one year) on every response: for deployments served over
  // HTTPS only (serve --cookie-secure).
  bool hsts = false;
  // Behind a reverse proxy (e.g. nginx in front of several agent nodes): take the client address
  // from the last X-Forwarded-For entry and Request::secure from X-Forwarded-Proto: https. Only
  // for listeners that nothing but the proxy can reach, since clients can send these headers.
  bool trust_proxy_headers = false;
  // Where routes with RouteOptions::stream_files write uploaded files while they arrive (e.g.
  // <data-dir>/blobs/tmp, on the blob store's file system so that a file is moved in by rename).
  // Empty: such bodies are read into memory like any other.
  std::string spool_dir = {};
};

class Server {
 public:
  // `router` must outlive the server and be fully set up before Start().
  Server(ServerOptions options, Router& router);
  ~Server();  // Shutdown() and Wait()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening sockets and starts the worker threads. kIo when the address is invalid
  // or in use. Call once.
  core::Status Start();
  // The bound port (after Start()).
  uint16_t port() const;
  void Shutdown();
  // Blocks until every worker has stopped (after Shutdown()).
  void Wait();
  // Connections open now (all workers).
  size_t open_connections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The security headers the server adds (name, value), for other front ends (e.g. bench nginx).
const std::vector<std::pair<std::string, std::string>>& SecurityHeaders();

// Pieces of the server exposed for its tests.
namespace internal {
// Appends "Name: value\r\n" to `head`, dropping CR, LF and NUL from both so that no value —
// the server's own or a handler's — can split the response.
void AppendHeaderLine(std::string& head, std::string_view name, std::string_view value);
// A worker thread's body: runs `io` until it runs out of work or is stopped; an exception of any
// type escaping a handler is logged and the loop resumes, so the worker never dies.
void RunWorkerLoop(boost::asio::io_context& io);
}  // namespace internal

}  // namespace beian::http
