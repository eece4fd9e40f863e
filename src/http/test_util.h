// Test helpers (header-only, used by *_test.cc only): a blocking raw-socket HTTP/1.1 client with
// receive timeouts, so a server bug fails a test instead of hanging it.
#pragma once

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace beian::http::testing {

struct ClientResponse {
  unsigned status = 0;
  std::string body;
  boost::beast::http::response<boost::beast::http::string_body> raw;
  std::string Header(const std::string& name) const {
    auto it = raw.find(name);
    return it == raw.end() ? std::string() : std::string(it->value());
  }
};

class TestClient {
 public:
  explicit TestClient(uint16_t port, std::chrono::seconds timeout = std::chrono::seconds(10))
      : socket_(io_) {
    boost::system::error_code ec;
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    connected_ = !ec;
    if (connected_) {
      timeval tv{};
      tv.tv_sec = timeout.count();
      ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    }
  }
  bool connected() const { return connected_; }

  bool SendRaw(const std::string& bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes), ec);
    return !ec;
  }

  // Reads one response; nullopt on EOF, reset or timeout.
  std::optional<ClientResponse> Read(bool head = false) {
    ClientResponse r;
    boost::system::error_code ec;
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.skip(head);
    parser.body_limit(64 * 1024 * 1024);
    boost::beast::http::read(socket_, buffer_, parser, ec);
    if (ec) return std::nullopt;
    r.raw = parser.release();
    r.status = r.raw.result_int();
    r.body = r.raw.body();
    return r;
  }

  // Sends a request with the given extra header lines ("Name: value\r\n" each) and reads it.
  std::optional<ClientResponse> Request(const std::string& method, const std::string& target,
                                        const std::string& body = "",
                                        const std::string& headers = "") {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers;
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += "\r\n" + body;
    if (!SendRaw(req)) return std::nullopt;
    return Read(method == "HEAD");
  }

  // True when the server has closed the connection (EOF or reset) before the timeout.
  bool WaitClosed() {
    char c;
    boost::system::error_code ec;
    for (;;) {
      size_t n = socket_.read_some(boost::asio::buffer(&c, 1), ec);
      if (ec) {
        return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
      }
      if (n == 0) return true;
    }
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  bool connected_ = false;
};

}  // namespace beian::http::testing
