// The Beast/Asio server: one io_context + acceptor per worker thread, connections parsed with a
// Beast request parser fed by plain async_read_some calls, deadlines checked by a periodic sweep.
#include "http/server.h"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/log.h"
#include "http/error_status.h"
#include "http/multipart_stream.h"

namespace beian::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A well-formed incoming request id: 1–64 characters of [A-Za-z0-9._:-].
bool IsGoodRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// 16 hex digits from a per-thread splitmix64 stream seeded from the OS.
std::string NewRequestId() {
  thread_local uint64_t state = [] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }();
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kHex[z & 0xF];
    z >>= 4;
  }
  return out;
}

core::Result<tcp::endpoint> ParseListen(const std::string& listen) {
  std::string host;
  std::string port;
  if (!listen.empty() && listen.front() == '[') {
    size_t close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return core::Error(core::ErrorCode::kIo, "bad listen address: " + listen);
    }
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string::npos) {
      return core::Error(core::ErrorCode::kIo, "listen address needs host:port: " + listen);
    }
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  if (host.empty()) host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return core::Error(core::ErrorCode::kIo, "bad listen host: " + host);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535) {
    return core::Error(core::ErrorCode::kIo, "bad listen port: " + listen);
  }
  return tcp::endpoint(address, static_cast<uint16_t>(std::stoul(port)));
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A Host value as RFC 3986 allows it (uri-host [":" port]): reg-name, IPv4 or [IPv6] characters
// only, never empty.
bool IsGoodHost(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("-._~%!$&'()*+;=:[]").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

// The IMF-fixdate for the Date header, formatted once per second per thread.
std::string_view HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local char buf[40];
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    // Not strftime: %a and %b follow the locale, and HTTP wants the English names.
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                  tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    cached_second = now;
  }
  return buf;
}

}  // namespace

namespace internal {

void AppendHeaderLine(std::string& head, std::string_view name, std::string_view value) {
  auto append_clean = [&head](std::string_view s) {
    // One pass over the bytes: find_first_of with a three-character set calls memchr per byte,
    // which for a long header (the CSP) cost more than the whole look-up it decorated.
    auto is_bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
    if (std::none_of(s.begin(), s.end(), is_bad)) {
      head += s;  // the usual case: one append
      return;
    }
    for (char c : s) {
      if (!is_bad(c)) head += c;
    }
  };
  append_clean(name);
  head += ": ";
  append_clean(value);
  head += "\r\n";
}

void RunWorkerLoop(asio::io_context& io) {
  for (;;) {
    try {
      io.run();
      core::FlushHeldLogLines();
      return;
    } catch (const std::exception& e) {
      core::Log(core::LogLevel::kError, "http_worker_exception", {{"what", e.what()}});
    } catch (...) {
      // A non-std exception must not end the worker (std::terminate) either.
      core::Log(core::LogLevel::kError, "http_worker_exception", {{"what", "unknown exception"}});
    }
  }
}

}  // namespace internal

const std::vector<std::pair<std::string, std::string>>& SecurityHeaders() {
  static const std::vector<std::pair<std::string, std::string>> kHeaders = {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "same-origin"},
      {"X-Frame-Options", "DENY"},
  };
  return kHeaders;
}

// The request body as a connection reads it: into memory, or — once the header has chosen a
// route with RouteOptions::stream_files — through a MultipartStreamParser that writes files to
// disk as they arrive. (A Beast Body: the parser calls the reader after the header, and the
// connection parses the header alone first, so the choice is made before any body byte.)
struct RequestBody {
  struct value_type {
    std::string text;
    std::unique_ptr<MultipartStreamParser> stream;
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(bhttp::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::system::error_code& ec) {
      ec = {};
      // The parser's body limit has already refused a length over the route's limit.
      if (!body_.stream && length) body_.text.reserve(static_cast<size_t>(*length));
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
      ec = {};
      size_t n = 0;
      for (auto b : beast::buffers_range_ref(buffers)) {
        std::string_view bytes(static_cast<const char*>(b.data()), b.size());
        if (body_.stream) {
          body_.stream->Feed(bytes);
        } else {
          body_.text.append(bytes);
        }
        n += bytes.size();
      }
      return n;
    }

    void finish(boost::system::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

// The security headers as wire lines, rendered once: most responses set none of them.
const std::string& SecurityHeaderLines() {
  static const std::string kLines = [] {
    std::string lines;
    for (const auto& [name, value] : SecurityHeaders()) {
      internal::AppendHeaderLine(lines, name, value);
    }
    return lines;
  }();
  return kLines;
}

class Connection;

// What the workers share (Server::Impl is private to Server).
struct ServerState {
  ServerState(ServerOptions o, Router& r) : options(std::move(o)), router(r) {
    int64_t shortest = std::min({options.header_timeout.count(), options.body_timeout.count(),
                                 options.idle_timeout.count(), options.write_timeout.count(),
                                 options.drain_timeout.count()});
    sweep_interval_ms = std::clamp<int64_t>(shortest / 4, 10, 1000);
  }
  ServerOptions options;
  Router& router;
  std::atomic<size_t> connections{0};
  std::atomic<bool> shutting_down{false};     // set by Shutdown() before the workers see it
  std::atomic<bool> warned_forwarded{false};  // X-Forwarded-For seen without trust_proxy_headers
  int64_t sweep_interval_ms = 1000;
};

// One thread's share of the server: its io_context, acceptor, connections and sweep timer.
struct Worker {
  explicit Worker(ServerState* s) : server(s) {}
  ServerState* server;
  asio::io_context io{1};
  std::optional<tcp::acceptor> acceptor;
  asio::steady_timer sweep{io};
  asio::steady_timer accept_retry{io};
  Connection* head = nullptr;  // intrusive list of live connections (this thread only)
  int64_t now_ms = SteadyMs();
  bool draining = false;
  int64_t drain_deadline_ms = 0;
  bool log_flush_posted = false;  // this turn's access lines leave after its other handlers
  std::array<char, 16384> discard{};
  std::thread thread;

  void Accept();
  void Tick();
  void BeginDrain();
  void ArmSweep();
};

class Server::Impl : public ServerState {
 public:
  using ServerState::ServerState;
  std::vector<std::unique_ptr<Worker>> workers;
  uint16_t port = 0;
  bool started = false;
  bool joined = false;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  enum class State { kIdle, kHeader, kBody, kHandling, kWriting, kLinger };

  Connection(Worker& worker, tcp::socket socket)
      : w_(worker),
        socket_(std::move(socket)),
        buffer_(std::max<size_t>(64 * 1024, size_t{w_.server->options.header_limit} + 16 * 1024)) {
    next_ = w_.head;
    if (next_ != nullptr) next_->prev_ = this;
    w_.head = this;
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    if (!ec) client_ = ep.address().to_string();
  }

  ~Connection() {
    if (prev_ != nullptr) prev_->next_ = next_;
    if (next_ != nullptr) next_->prev_ = prev_;
    if (w_.head == this) w_.head = next_;
    w_.server->connections.fetch_sub(1, std::memory_order_relaxed);
    if (w_.draining && w_.head == nullptr) w_.sweep.cancel();  // the last one: stop now
  }

  void Start() {
    state_ = State::kIdle;
    deadline_ms_ = w_.now_ms + Opt().header_timeout.count();  // a new client must speak promptly
    NewParser();
    Read();
  }

  void Close() {
    boost::system::error_code ec;
    socket_.close(ec);
  }

  State state() const { return state_; }
  int64_t deadline_ms() const { return deadline_ms_; }
  Connection* next() const { return next_; }

 private:
  const ServerOptions& Opt() const { return w_.server->options; }

  void NewParser() {
    parser_.emplace();
    parser_->header_limit(Opt().header_limit);
    // The largest limit of any route until the route is known (see ApplyRouteBodyLimit).
    body_limit_ = Opt().body_limit;
    parser_->body_limit(std::max<uint64_t>(body_limit_, w_.server->router.MaxBodyLimit()));
    // The header alone first: the route it names decides where the body goes (StartBody).
    parser_->eager(false);
  }

  // Once the header is in: the route's own body limit, if it has one, and where its body goes
  // (streamed for RouteOptions::stream_files). False when the declared Content-Length is already
  // over the limit (a 413 has been sent).
  bool ApplyRouteBodyLimit() {
    if (!w_.server->router.HasRouteBodyLimits() && !w_.server->router.HasStreamingRoutes()) {
      return true;
    }
    // No body follows the header (no Content-Length, or 0, and not chunked): nothing to limit
    // or stream, and no second parse of the target for the route (most GETs).
    if (parser_->is_done()) return true;
    Request probe;
    probe.method = std::string(parser_->get().method_string());
    probe.target = std::string(parser_->get().target());
    const RouteOptions* route = nullptr;
    if (probe.ParseTarget()) route = w_.server->router.OptionsFor(probe);
    body_limit_ = route != nullptr && route->body_limit ? *route->body_limit : Opt().body_limit;
    auto declared = parser_->content_length();
    if (declared && *declared > body_limit_) {
      SendTooLarge();
      return false;
    }
    // Chunked bodies are checked as they arrive (and every body once complete).
    parser_->body_limit(body_limit_);
    if (route != nullptr && route->stream_files && !Opt().spool_dir.empty() &&
        !parser_->is_done()) {
      // Not multipart/form-data: read into memory, and the handler answers 415.
      auto stream = MultipartStreamParser::Create(parser_->get()[bhttp::field::content_type],
                                                  {.spool_dir = Opt().spool_dir, .limits = {}});
      if (stream) parser_->get().body().stream = std::move(*stream);
    }
    return true;
  }

  void SendTooLarge() {
    SendError(core::Error(core::ErrorCode::kPayloadTooLarge,
                          "the body is larger than " + std::to_string(body_limit_) + " bytes"));
  }

  void Read() {
    size_t room = std::min<size_t>(16384, buffer_.max_size() - buffer_.size());
    if (room == 0) {
      SendError(core::Error(core::ErrorCode::kHeaderTooLarge, "request header too large"));
      return;
    }
    socket_.async_read_some(buffer_.prepare(room),
                            [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                              self->OnRead(ec, n);
                            });
  }

  void OnRead(boost::system::error_code ec, size_t n) {
    if (ec) {
      Close();
      return;
    }
    buffer_.commit(n);
    if (state_ == State::kIdle) {
      state_ = State::kHeader;
      deadline_ms_ = w_.now_ms + Opt().header_timeout.count();
    }
    Parse();
  }

  void Parse() {
    for (;;) {
      if (buffer_.size() == 0) {
        Read();
        return;
      }
      boost::system::error_code ec;
      size_t used = 0;
      try {
        used = parser_->put(buffer_.data(), ec);
      } catch (const std::length_error&) {
        // beast::http::fields refuses a single name or value over 64 KiB by throwing.
        ec = bhttp::error::header_limit;
      } catch (const std::exception&) {
        ec = bhttp::error::bad_value;
      }
      buffer_.consume(used);
      if (ec == bhttp::error::need_more) {
        Read();
        return;
      }
      if (ec) {
        // The header may be in and the body have failed in the same (eager) put: a framing
        // problem is the better answer then.
        if (state_ == State::kHeader && parser_->is_header_done()) {
          if (auto problem = FramingProblem(parser_->get())) {
            SendError(core::Error(core::ErrorCode::kBadRequest, std::move(*problem)));
            return;
          }
        }
        OnParseError(ec);
        return;
      }
      if (state_ == State::kHeader && parser_->is_header_done()) {
        state_ = State::kBody;
        deadline_ms_ = w_.now_ms + Opt().body_timeout.count();
        if (auto problem = FramingProblem(parser_->get())) {
          SendError(core::Error(core::ErrorCode::kBadRequest, std::move(*problem)));
          return;
        }
        if (!ApplyRouteBodyLimit()) return;
        parser_->eager(true);
        if (!parser_->is_done() && ExpectsContinue()) {
          asio::async_write(socket_, asio::buffer(kContinue, sizeof(kContinue) - 1),
                            [self = shared_from_this()](boost::system::error_code wec, size_t) {
                              if (wec) {
                                self->Close();
                              } else {
                                self->Parse();
                              }
                            });
          return;
        }
      }
      if (parser_->is_done()) {
        HandleRequest();
        return;
      }
      if (used == 0) {
        Read();
        return;
      }
    }
  }

  // What the parser accepts but we refuse, once the header is in (RFC 9112): a Transfer-Encoding
  // other than exactly `chunked` (§6.3: the body length cannot be known, so its bytes would be
  // read as the next request), and a missing (HTTP/1.1), repeated or malformed Host (§3.2).
  // The caller answers 400 and closes.
  static std::optional<std::string> FramingProblem(const bhttp::request_header<>& msg) {
    auto codings = msg.equal_range(bhttp::field::transfer_encoding);
    if (codings.first != codings.second) {
      size_t elements = 0;
      bool chunked_only = true;
      for (auto it = codings.first; it != codings.second; ++it) {
        std::string_view list = it->value();
        while (!list.empty()) {
          size_t comma = list.find(',');
          std::string_view element = TrimOws(list.substr(0, comma));
          list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
          if (element.empty()) continue;  // a list may hold empty elements
          ++elements;
          chunked_only = chunked_only && EqualsIgnoreCase(element, "chunked");
        }
      }
      if (elements != 1 || !chunked_only) {
        return "unsupported Transfer-Encoding: only \"chunked\" is accepted";
      }
    }
    auto hosts = msg.equal_range(bhttp::field::host);
    size_t host_count = static_cast<size_t>(std::distance(hosts.first, hosts.second));
    if (host_count == 0) {
      if (msg.version() >= 11) return std::string("missing Host header");
    } else if (host_count > 1) {
      return std::string("more than one Host header");
    } else if (!IsGoodHost(hosts.first->value())) {
      return std::string("malformed Host header");
    }
    return std::nullopt;
  }

  bool ExpectsContinue() const {
    auto it = parser_->get().find(bhttp::field::expect);
    return it != parser_->get().end() && EqualsIgnoreCase(it->value(), "100-continue");
  }

  void OnParseError(boost::system::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      SendTooLarge();
    } else if (ec == bhttp::error::header_limit) {
      SendError(core::Error(core::ErrorCode::kHeaderTooLarge, "request header too large"));
    } else {
      SendError(core::Error(core::ErrorCode::kBadRequest, "malformed HTTP request"));
    }
  }

  // Answers a request that could not be parsed, then closes the connection.
  void SendError(const core::Error& error) {
    state_ = State::kHandling;
    Request req;
    if (parser_ && parser_->is_header_done()) {
      req.method = std::string(parser_->get().method_string());
      req.target = std::string(parser_->get().target());
      auto it = parser_->get().find("x-request-id");
      if (it != parser_->get().end() && IsGoodRequestId(it->value())) {
        req.request_id = std::string(it->value());
      }
    }
    if (req.request_id.empty()) req.request_id = NewRequestId();
    auto start = std::chrono::steady_clock::now();
    Response res = ErrorResponse(error);
    Metrics::Record(w_.server->router.metrics().Unmatched(req.method), res.status, 0);
    head_only_ = false;
    version_ = 11;
    parser_.reset();  // a body being streamed to disk: its files go now
    Finish(req, std::move(res), /*keep_alive=*/false, start);
  }

  void HandleRequest() {
    if (parser_->get().body().text.size() > body_limit_) {
      SendTooLarge();
      return;
    }
    std::shared_ptr<StreamedForm> form;
    if (auto& stream = parser_->get().body().stream) {
      auto finished = stream->Finish();
      if (!finished) {
        SendError(finished.error());
        return;
      }
      form = std::move(*finished);
    }
    state_ = State::kHandling;
    auto start = std::chrono::steady_clock::now();
    bhttp::request<RequestBody> msg = parser_->release();
    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    req.headers.reserve(8);
    for (const auto& f : msg) {
      req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    req.body = std::move(msg.body().text);
    req.form = std::move(form);
    req.client_address = client_;
    if (Opt().trust_proxy_headers) {
      ApplyProxyHeaders(req);
    } else if (!w_.server->warned_forwarded.load(std::memory_order_relaxed) &&
               !req.Header("x-forwarded-for").empty() &&
               !w_.server->warned_forwarded.exchange(true)) {
      // Behind a proxy every client then shares the proxy's address, and with it the
      // per-address login throttling: say so once.
      core::Log(core::LogLevel::kWarn, "forwarded_header_ignored",
                {{"service", Opt().service_name},
                 {"hint",
                  "requests carry X-Forwarded-For but --trust-proxy is off: all clients "
                  "share the proxy's address for throttling"}});
    }
    std::string_view incoming = req.Header("x-request-id");
    req.request_id = IsGoodRequestId(incoming) ? std::string(incoming) : NewRequestId();
    head_only_ = msg.method() == bhttp::verb::head;
    version_ = msg.version();
    bool keep_alive = msg.keep_alive();
    Response res;
    {
      core::ScopedLogRequestId log_id(req.request_id);
      if (!req.ParseTarget()) {
        res = ErrorResponse(core::Error(core::ErrorCode::kBadRequest, "malformed request target"));
        Metrics::Record(w_.server->router.metrics().Unmatched(req.method), res.status, 0);
      } else {
        res = w_.server->router.Handle(req);
      }
      // Streamed files the handler did not take are removed before the answer leaves (a
      // deferred handler keeps its own reference if it needs them).
      req.form.reset();
      if (res.deferred) {
        Defer(std::move(req), std::move(res.deferred), keep_alive, start);
        return;
      }
    }
    Finish(req, std::move(res), keep_alive, start);
  }

  // A deferred response: the connection stays kHandling (no deadline, no reads) while this
  // thread serves its other connections; `done` may run on any thread and hands the response
  // back to this connection's thread. The connection stays in the worker's list until then, so
  // a drain waits for it (and closes it at the drain deadline; the late answer then finds the
  // socket closed).
  void Defer(Request req, DeferredStart deferred, bool keep_alive,
             std::chrono::steady_clock::time_point start) {
    auto shared_req = std::make_shared<Request>(std::move(req));
    deferred([self = shared_from_this(), shared_req, keep_alive, start](Response r) {
      asio::post(self->w_.io, [self, shared_req, keep_alive, start, r = std::move(r)]() mutable {
        self->Finish(*shared_req, std::move(r), keep_alive, start);
      });
    });
  }

  static void ApplyProxyHeaders(Request& req) {
    std::string_view forwarded = req.Header("x-forwarded-for");
    if (!forwarded.empty()) {
      size_t comma = forwarded.rfind(',');
      std::string_view last =
          comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1);
      while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
      while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
      boost::system::error_code ec;
      auto address = asio::ip::make_address(last, ec);
      if (!ec) req.client_address = address.to_string();
    }
    if (EqualsIgnoreCase(req.Header("x-forwarded-proto"), "https")) req.secure = true;
  }

  void Finish(const Request& req, Response res, bool keep_alive,
              std::chrono::steady_clock::time_point start) {
    // The handler may have run long: refresh the worker's coarse clock for the next deadline.
    w_.now_ms = SteadyMs();
    if (w_.draining || w_.server->shutting_down.load(std::memory_order_relaxed)) {
      keep_alive = false;
    }
    if (Opt().access_log && core::LogEnabled(core::LogLevel::kInfo)) {
      double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      core::ScopedLogRequestId log_id(req.request_id);
      core::LogHeld(core::LogLevel::kInfo, "http_request",
                    {{"service", Opt().service_name},
                     {"method", req.method},
                     {"route", req.route},
                     {"path", req.path.empty() ? std::string_view(req.target) : req.path},
                     {"status", res.status},
                     {"duration_ms", ms},
                     {"bytes", res.body.size()},
                     {"client", client_}});
      // A handler posted now runs after the completions this turn of the loop already has, so
      // the turn's access lines leave together, in writes of whole lines.
      if (!w_.log_flush_posted && core::HasHeldLogLines()) {
        w_.log_flush_posted = true;
        asio::post(w_.io, [w = &w_] {
          w->log_flush_posted = false;
          core::FlushHeldLogLines();
        });
      }
    }
    // The head is serialized here rather than through beast::http::fields: one string, no
    // per-field allocations; head and body leave in one gather write.
    head_.clear();
    head_ += version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    head_ += std::to_string(res.status);
    head_ += ' ';
    head_ += bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
    head_ += "\r\n";
    if (!res.content_type.empty()) AppendHeader("Content-Type", res.content_type);
    for (const auto& [name, value] : res.headers) AppendHeader(name, value);
    AppendHeader("Date", HttpDate());
    AppendHeader("X-Request-Id", req.request_id);  // validated or generated
    if (Opt().security_headers) {
      bool overridden = false;
      for (const auto& [name, value] : SecurityHeaders()) {
        overridden = overridden || !res.Header(name).empty();
      }
      if (!overridden) {
        head_ += SecurityHeaderLines();
      } else {
        for (const auto& [name, value] : SecurityHeaders()) {
          if (res.Header(name).empty()) AppendHeader(name, value);
        }
      }
    }
    if (Opt().hsts) AppendHeader("Strict-Transport-Security", "max-age=31536000");
    bool no_body_status = res.status < 200 || res.status == 204 || res.status == 304;
    if (!no_body_status) AppendHeader("Content-Length", std::to_string(res.body.size()));
    if (!keep_alive && version_ != 10) AppendHeader("Connection", "close");
    if (keep_alive && version_ == 10) AppendHeader("Connection", "keep-alive");
    head_ += "\r\n";
    body_ = head_only_ || no_body_status ? std::string() : std::move(res.body);
    state_ = State::kWriting;
    deadline_ms_ = w_.now_ms + Opt().write_timeout.count();
    std::array<asio::const_buffer, 2> buffers = {asio::buffer(head_), asio::buffer(body_)};
    asio::async_write(socket_, buffers,
                      [self = shared_from_this(), keep_alive](
                          boost::system::error_code ec, size_t) { self->OnWrite(ec, keep_alive); });
  }

  void AppendHeader(std::string_view name, std::string_view value) {
    internal::AppendHeaderLine(head_, name, value);
  }

  void OnWrite(boost::system::error_code ec, bool keep_alive) {
    if (ec) {
      Close();
      return;
    }
    if (!keep_alive) {
      Linger();
      return;
    }
    if (w_.draining) {  // the drain began while this response was being written
      Close();
      return;
    }
    NewParser();
    if (buffer_.size() > 0) {  // a pipelined request is already here
      state_ = State::kHeader;
      deadline_ms_ = w_.now_ms + Opt().header_timeout.count();
      Parse();
    } else {
      state_ = State::kIdle;
      deadline_ms_ = w_.now_ms + Opt().idle_timeout.count();
      Read();
    }
  }

  // Closing with unread input would reset the connection and could destroy the response in
  // flight (e.g. a 413 sent before the body was read): half-close, then discard input until the
  // client closes or a short deadline passes.
  void Linger() {
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      Close();
      return;
    }
    if (state_ != State::kLinger) {
      state_ = State::kLinger;
      deadline_ms_ = w_.now_ms + std::min<int64_t>(2000, Opt().idle_timeout.count());
    }
    socket_.async_read_some(asio::buffer(w_.discard),
                            [self = shared_from_this()](boost::system::error_code rec, size_t) {
                              if (rec) {
                                self->Close();
                              } else {
                                self->LingerRead();
                              }
                            });
  }

  void LingerRead() {
    socket_.async_read_some(asio::buffer(w_.discard),
                            [self = shared_from_this()](boost::system::error_code rec, size_t) {
                              if (rec) {
                                self->Close();
                              } else {
                                self->LingerRead();
                              }
                            });
  }

  Worker& w_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;  // bounded: a header, plus the start of a body being parsed
  std::optional<bhttp::request_parser<RequestBody>> parser_;
  std::string head_;  // the response being written
  std::string body_;
  std::string client_;
  State state_ = State::kIdle;
  int64_t deadline_ms_ = 0;
  uint64_t body_limit_ = 0;  // of the request being read
  bool head_only_ = false;
  unsigned version_ = 11;
  Connection* prev_ = nullptr;
  Connection* next_ = nullptr;
};

void Worker::Accept() {
  acceptor->async_accept(io, [this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
    if (ec) {
      // E.g. out of file descriptors: back off instead of spinning.
      core::Log(core::LogLevel::kWarn, "http_accept_failed", {{"error", ec.message()}});
      accept_retry.expires_after(std::chrono::milliseconds(50));
      accept_retry.async_wait([this](boost::system::error_code tec) {
        if (!tec && !draining) Accept();
      });
      return;
    }
    size_t before = server->connections.fetch_add(1, std::memory_order_relaxed);
    if (before >= server->options.max_connections) {
      server->connections.fetch_sub(1, std::memory_order_relaxed);
      static const std::string kBusy = [] {
        std::string body = ErrorBody(
            core::Error(core::ErrorCode::kUnavailable, "too many connections; try again later"));
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
               "Connection: close\r\nRetry-After: 1\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body;
      }();
      boost::system::error_code wec;
      socket.non_blocking(true, wec);
      socket.send(asio::buffer(kBusy), 0, wec);  // a fresh socket's buffer takes it at once
      socket.shutdown(tcp::socket::shutdown_both, wec);
      socket.close(wec);
    } else {
      now_ms = SteadyMs();  // the coarse clock may be a sweep interval old
      boost::system::error_code oec;
      socket.set_option(tcp::no_delay(true), oec);
      std::make_shared<Connection>(*this, std::move(socket))->Start();
    }
    Accept();
  });
}

void Worker::ArmSweep() {
  sweep.expires_after(std::chrono::milliseconds(server->sweep_interval_ms));
  sweep.async_wait([this](boost::system::error_code ec) {
    if (!ec) Tick();
  });
}

void Worker::Tick() {
  now_ms = SteadyMs();
  bool force = draining && now_ms >= drain_deadline_ms;
  for (Connection* c = head; c != nullptr;) {
    Connection* next = c->next();  // Close() only cancels; the object dies later
    if (force || (c->state() != Connection::State::kHandling && c->deadline_ms() <= now_ms) ||
        (draining && c->state() == Connection::State::kIdle)) {
      c->Close();
    }
    c = next;
  }
  if (draining && head == nullptr) return;  // nothing left: let io_context::run() return
  ArmSweep();
}

void Worker::BeginDrain() {
  if (draining) return;
  draining = true;
  now_ms = SteadyMs();
  drain_deadline_ms = now_ms + server->options.drain_timeout.count();
  boost::system::error_code ec;
  if (acceptor) acceptor->close(ec);
  accept_retry.cancel();
  sweep.cancel();
  Tick();
}

Server::Server(ServerOptions options, Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() {
  Shutdown();
  Wait();
}

core::Status Server::Start() {
  Impl& s = *impl_;
  if (s.started) return core::Error(core::ErrorCode::kInternal, "server started twice");
  BEIAN_ASSIGN_OR_RETURN(tcp::endpoint endpoint, ParseListen(s.options.listen));
  int threads = std::max(1, s.options.threads);
  boost::system::error_code ec;
  if (endpoint.port() != 0) {
    // SO_REUSEPORT would silently share a port held by another process of ours: probe first.
    asio::io_context probe_io;
    tcp::acceptor probe(probe_io);
    probe.open(endpoint.protocol(), ec);
    if (!ec) probe.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) probe.bind(endpoint, ec);
    if (ec) {
      return core::Error(core::ErrorCode::kIo,
                         "cannot listen on " + s.options.listen + ": " + ec.message());
    }
  }
  for (int i = 0; i < threads; ++i) {
    auto w = std::make_unique<Worker>(&s);
    w->acceptor.emplace(w->io);
    tcp::acceptor& a = *w->acceptor;
    a.open(endpoint.protocol(), ec);
    if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) a.set_option(ReusePort(true), ec);
    if (!ec) a.bind(endpoint, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return core::Error(core::ErrorCode::kIo,
                         "cannot listen on " + s.options.listen + ": " + ec.message());
    }
    if (endpoint.port() == 0) endpoint.port(a.local_endpoint().port());  // the others join it
    s.workers.push_back(std::move(w));
  }
  s.port = endpoint.port();
  s.router.metrics().SetServiceName(s.options.service_name);
  s.router.metrics().AddGauge(
      "beian_http_open_connections", "Open client connections.", [impl = impl_.get()] {
        return static_cast<double>(impl->connections.load(std::memory_order_relaxed));
      });
  s.started = true;
  for (auto& w : s.workers) {
    w->Accept();
    w->ArmSweep();
    Worker* worker = w.get();
    w->thread = std::thread([worker] { internal::RunWorkerLoop(worker->io); });
  }
  core::Log(core::LogLevel::kInfo, "http_listening",
            {{"service", s.options.service_name},
             {"address", endpoint.address().to_string()},
             {"port", s.port},
             {"threads", threads}});
  return core::Ok();
}

uint16_t Server::port() const { return impl_->port; }

size_t Server::open_connections() const {
  return impl_->connections.load(std::memory_order_relaxed);
}

void Server::Shutdown() {
  if (impl_->shutting_down.exchange(true)) return;
  for (auto& w : impl_->workers) {
    Worker* worker = w.get();
    asio::post(worker->io, [worker] { worker->BeginDrain(); });
  }
}

void Server::Wait() {
  if (impl_->joined) return;
  for (auto& w : impl_->workers) {
    if (w->thread.joinable()) w->thread.join();
  }
  impl_->joined = true;
}

}  // namespace beian::http
