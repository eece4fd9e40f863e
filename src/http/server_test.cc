// Tests of the server over real sockets on 127.0.0.1 (port 0): routing, limits, timeouts,
// keep-alive, connection limit, graceful shutdown, request ids and access logs. Timeouts are
// short here but every wait has a generous margin, so slow machines do not make them flaky.
#include "http/server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "core/log.h"
#include "http/health.h"
#include "http/json.h"
#include "http/multipart_stream.h"
#include "http/test_util.h"

namespace beian::http {
namespace {

using testing::TestClient;
using namespace std::chrono_literals;

std::string Code(const std::string& body) {
  return std::string(boost::json::parse(body).at("error").at("code").as_string());
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddHealthRoutes(router_);
    router_.Add("GET", "/items/{id}", [](Request& r) -> core::Result<Response> {
      return Response::Text("item " + std::string(r.PathParam("id")) +
                            " q=" + std::string(r.Query("q").value_or("-")));
    });
    router_.Add("POST", "/users", [](Request& r) -> core::Result<Response> {
      BEIAN_ASSIGN_OR_RETURN(auto obj, ParseJsonObject(r));
      core::JsonReader reader(obj);
      std::string email = reader.RequiredString("email");
      auto age = reader.OptionalInt("age");
      BEIAN_TRY(reader.Finish());
      return JsonResponse({{"email", email}, {"age", age.value_or(0)}}, 201);
    });
    router_.Add("POST", "/echo",
                [](Request& r) -> core::Result<Response> { return Response::Text(r.body); });
    router_.Add("GET", "/throw", [](Request&) -> core::Result<Response> {
      throw std::runtime_error("handler bug");
    });
    router_.Add("GET", "/slow", [this](Request&) -> core::Result<Response> {
      entered_.set_value();
      release_.get_future().wait();
      return Response::Text("finished");
    });
    // A deferred response finished by another thread when the test releases it (as password
    // hashing on a pool does).
    router_.Add("GET", "/deferred", [this](Request&) -> core::Result<Response> {
      return Response::Deferred([this](Completion done) {
        deferred_threads_.emplace_back([this, done] {
          deferred_entered_.set_value();
          deferred_release_.get_future().wait();
          done(Response::Text("computed elsewhere", 201));
        });
      });
    });
    router_.SetAuthenticator([](const Request& r) -> core::Result<std::optional<Principal>> {
      if (r.Cookie("sid") != "s1") return std::optional<Principal>();
      return std::optional<Principal>(Principal{.user_id = "u1",
                                                .email = "a@example.com",
                                                .display_name = "A",
                                                .role = "applicant",
                                                .session_id = "s1",
                                                .csrf_token = "t1"});
    });
    router_.Add("POST", "/private",
                [](Request& r) -> core::Result<Response> {
                  return Response::Text("hello " + r.principal->user_id);
                },
                {.auth = Auth::kSession});
  }

  void TearDown() override {
    if (server_) {
      server_->Shutdown();
      if (!deferred_threads_.empty() && !released_) deferred_release_.set_value();
      server_->Wait();
    }
    for (auto& t : deferred_threads_) t.join();
  }

  uint16_t Start(ServerOptions options = {}) {
    options.listen = "127.0.0.1:0";
    options.access_log = access_log_;
    server_ = std::make_unique<Server>(options, router_);
    auto s = server_->Start();
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return server_->port();
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::promise<void> entered_;
  std::promise<void> release_;
  std::promise<void> deferred_entered_;
  std::promise<void> deferred_release_;
  bool released_ = false;
  std::vector<std::thread> deferred_threads_;
  bool access_log_ = false;
};

// Issue 6 item 4: password hashing held the I/O thread, so /healthz on the same thread waited
// seconds behind logins. A deferred response leaves the thread free for other connections.
TEST_F(ServerTest, DeferredResponseDoesNotHoldUpTheIoThread) {
  uint16_t port = Start({.threads = 1});
  auto pending = std::async(std::launch::async, [port] {
    TestClient c(port);
    auto first = c.Request("GET", "/deferred");
    auto second = c.Request("GET", "/healthz");  // the same connection serves on afterwards
    return std::pair{first, second};
  });
  ASSERT_EQ(deferred_entered_.get_future().wait_for(10s), std::future_status::ready);
  TestClient other(port);
  auto start = std::chrono::steady_clock::now();
  auto health = other.Request("GET", "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);  // not behind the deferred one
  released_ = true;
  deferred_release_.set_value();
  auto [first, second] = pending.get();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 201u);
  EXPECT_EQ(first->body, "computed elsewhere");
  EXPECT_FALSE(first->Header("X-Request-Id").empty());
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200u);
}

// A drain waits for a deferred response like for any request in flight.
TEST_F(ServerTest, ShutdownWaitsForADeferredResponse) {
  uint16_t port = Start({.threads = 1});
  auto pending = std::async(std::launch::async, [port] {
    TestClient c(port);
    return c.Request("GET", "/deferred");
  });
  ASSERT_EQ(deferred_entered_.get_future().wait_for(10s), std::future_status::ready);
  server_->Shutdown();
  std::this_thread::sleep_for(100ms);
  released_ = true;
  deferred_release_.set_value();
  auto r = pending.get();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u);
  EXPECT_EQ(r->Header("Connection"), "close");
  server_->Wait();
  EXPECT_EQ(server_->open_connections(), 0u);
}

TEST_F(ServerTest, HealthzWithRequestIdAndSecurityHeaders) {
  TestClient c(Start());
  auto r = c.Request("GET", "/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, R"({"status":"ok"})");
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_EQ(r->Header("X-Request-Id").size(), 16u);
  EXPECT_EQ(r->Header("Date").size(), 29u);  // "Sat, 28 Nov 2026 07:30:00 GMT"
  EXPECT_TRUE(r->Header("Date").ends_with(" GMT"));
  EXPECT_NE(r->Header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r->Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->Header("X-Frame-Options"), "DENY");
  EXPECT_FALSE(r->Header("Referrer-Policy").empty());
}

TEST_F(ServerTest, RequestIdsAreKeptWhenWellFormedAndUnique) {
  TestClient c(Start());
  auto kept = c.Request("GET", "/healthz", "", "X-Request-Id: abc-123.x\r\n");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->Header("X-Request-Id"), "abc-123.x");
  auto bad = c.Request("GET", "/healthz", "", "X-Request-Id: no spaces allowed\r\n");
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->Header("X-Request-Id"), "no spaces allowed");
  auto a = c.Request("GET", "/healthz");
  auto b = c.Request("GET", "/healthz");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->Header("X-Request-Id"), b->Header("X-Request-Id"));
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  uint16_t port = Start();
  TestClient c(port);
  for (int i = 0; i < 50; ++i) {
    auto r = c.Request("GET", "/items/" + std::to_string(i) + "?q=z%20z");
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "item " + std::to_string(i) + " q=z z");
  }
  EXPECT_EQ(server_->open_connections(), 1u);
}

TEST_F(ServerTest, PipelinedRequests) {
  TestClient c(Start());
  ASSERT_TRUE(c.SendRaw(
      "GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /items/2 HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r1 = c.Read();
  auto r2 = c.Read();
  ASSERT_TRUE(r1 && r2);
  EXPECT_EQ(r1->body, "item 1 q=-");
  EXPECT_EQ(r2->body, "item 2 q=-");
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowedInErrorFormat) {
  TestClient c(Start());
  auto nf = c.Request("GET", "/nothing/here");
  ASSERT_TRUE(nf);
  EXPECT_EQ(nf->status, 404u);
  EXPECT_EQ(Code(nf->body), "not_found");
  auto mna = c.Request("DELETE", "/items/3");
  ASSERT_TRUE(mna);
  EXPECT_EQ(mna->status, 405u);
  EXPECT_EQ(Code(mna->body), "method_not_allowed");
  EXPECT_EQ(mna->Header("Allow"), "GET, HEAD");
}

TEST_F(ServerTest, HeadHasNoBody) {
  TestClient c(Start());
  auto r = c.Request("HEAD", "/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->Header("Content-Length"), "15");
  EXPECT_TRUE(r->body.empty());
  auto next = c.Request("GET", "/healthz");  // the connection is still in sync
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, R"({"status":"ok"})");
}

TEST_F(ServerTest, JsonBodies) {
  TestClient c(Start());
  const std::string json = "Content-Type: application/json\r\n";
  auto ok = c.Request("POST", "/users", R"({"email":"a@b.cn","age":3})", json);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201u);
  EXPECT_EQ(ok->body, R"({"email":"a@b.cn","age":3})");

  auto media = c.Request("POST", "/users", R"({"email":"a@b.cn"})", "Content-Type: text/plain\r\n");
  ASSERT_TRUE(media);
  EXPECT_EQ(media->status, 415u);
  EXPECT_EQ(Code(media->body), "unsupported_media_type");

  auto malformed = c.Request("POST", "/users", R"({"email":)", json);
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400u);
  EXPECT_EQ(Code(malformed->body), "invalid_json");

  auto unknown = c.Request("POST", "/users", R"({"email":"a@b.cn","admin":true})", json);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400u);
  EXPECT_EQ(Code(unknown->body), "unknown_field");
  EXPECT_NE(unknown->body.find(R"("field":"admin")"), std::string::npos);

  auto wrong = c.Request("POST", "/users", R"({"email":"a@b.cn","age":"3"})", json);
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 400u);
  EXPECT_EQ(Code(wrong->body), "validation_failed");
  EXPECT_NE(wrong->body.find(R"({"field":"age","code":"wrong_type")"), std::string::npos);
}

TEST_F(ServerTest, BodyOverLimitIs413) {
  TestClient c(Start({.body_limit = 1000}));
  auto small = c.Request("POST", "/echo", std::string(1000, 'a'));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200u);
  auto big = c.Request("POST", "/echo", std::string(5000, 'a'));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413u);
  EXPECT_EQ(Code(big->body), "payload_too_large");
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, RouteBodyLimitOverridesTheServerDefault) {
  router_.Add("POST", "/upload",
              [](Request& r) -> core::Result<Response> {
                return Response::Text(std::to_string(r.body.size()));
              },
              {.body_limit = 10'000});
  router_.Add("POST", "/tiny",
              [](Request& r) -> core::Result<Response> {
                return Response::Text(std::to_string(r.body.size()));
              },
              {.body_limit = 10});
  uint16_t port = Start({.body_limit = 1000});
  TestClient c(port);
  auto upload = c.Request("POST", "/upload", std::string(8000, 'u'));
  ASSERT_TRUE(upload);
  EXPECT_EQ(upload->status, 200u);
  EXPECT_EQ(upload->body, "8000");
  auto other = c.Request("POST", "/echo", std::string(2000, 'e'));  // the default still holds
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 413u);
  TestClient c2(port);
  auto too_big = c2.Request("POST", "/upload", std::string(12000, 'u'));
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 413u);
  TestClient c3(port);
  auto tiny = c3.Request("POST", "/tiny", std::string(11, 't'));
  ASSERT_TRUE(tiny);
  EXPECT_EQ(tiny->status, 413u);
  TestClient c4(port);  // chunked, arriving with the header in one packet
  ASSERT_TRUE(
      c4.SendRaw("POST /tiny HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "c\r\nhello world!\r\n0\r\n\r\n"));
  auto chunked = c4.Read();
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 413u);
}

// Uploads that stream to disk (RouteOptions::stream_files): the handler sees the form with its
// file in the spool folder; a body over the limit — declared, or found out while chunks arrive —
// is a 413 with the connection closed and nothing left in the folder.
class StreamedUploadTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    spool_ = std::filesystem::temp_directory_path() /
             ("beian-spool-" + std::to_string(::getpid()) + "-" + core::RandomId());
    std::filesystem::create_directories(spool_);
    router_.Add("POST", "/stream",
                [this](Request& r) -> core::Result<Response> {
                  if (!r.form) return Response::Text("in memory " + std::to_string(r.body.size()));
                  const StreamedFile* f = r.form->FindFile("file");
                  if (f == nullptr) return Response::Text("no file");
                  std::ifstream in(f->path, std::ios::binary);
                  std::string content((std::istreambuf_iterator<char>(in)),
                                      std::istreambuf_iterator<char>());
                  seen_path_ = f->path;
                  return Response::Text(std::string(FindPart(r.form->fields, "kind")->data) + " " +
                                        std::to_string(f->size) + " " + f->sha256 + " " +
                                        (content == expected_ ? "same" : "different") + " " +
                                        std::to_string(r.body.size()));
                },
                {.body_limit = 100000, .stream_files = true});
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(spool_);
    ServerTest::TearDown();
  }
  size_t SpoolFiles() const {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(spool_), {}));
  }
  static std::string Form(const std::string& content) {
    return "--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nid_front\r\n"
           "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
           "Content-Type: image/png\r\n\r\n" +
           content + "\r\n--XyZ--\r\n";
  }
  static constexpr const char* kType = "Content-Type: multipart/form-data; boundary=XyZ\r\n";

  std::filesystem::path spool_;
  std::string expected_;
  std::filesystem::path seen_path_;
};

TEST_F(StreamedUploadTest, TheHandlerGetsTheFileOnDiskAndItIsGoneAfterwards) {
  TestClient c(Start({.spool_dir = spool_.string()}));
  expected_.assign(70000, 'x');
  for (size_t i = 0; i < expected_.size(); i += 97) expected_[i] = static_cast<char>(i & 0xFF);
  core::Sha256 h;
  h.Update(expected_);
  auto r = c.Request("POST", "/stream", Form(expected_), kType);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u) << r->body;
  EXPECT_EQ(r->body, "id_front 70000 " + h.FinalHex() + " same 0");
  EXPECT_EQ(seen_path_.parent_path(), spool_);
  EXPECT_EQ(SpoolFiles(), 0u);  // the handler did not take it: removed with the request
  // Chunked, in many small chunks, on the same keep-alive connection.
  std::string body = Form(expected_);
  std::string raw = "POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" +
                    std::string(kType) + "\r\n";
  for (size_t i = 0; i < body.size(); i += 1000) {
    std::string piece = body.substr(i, 1000);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", piece.size());
    raw += std::string(size) + "\r\n" + piece + "\r\n";
  }
  raw += "0\r\n\r\n";
  ASSERT_TRUE(c.SendRaw(raw));
  auto chunked = c.Read();
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 200u) << chunked->body;
  EXPECT_NE(chunked->body.find(" same 0"), std::string::npos) << chunked->body;
  EXPECT_EQ(SpoolFiles(), 0u);
}

TEST_F(StreamedUploadTest, OverTheLimitIs413AndLeavesNoFile) {
  uint16_t port = Start({.spool_dir = spool_.string()});
  {
    // Declared too large: refused before a byte of the body is read.
    TestClient c(port);
    ASSERT_TRUE(c.SendRaw("POST /stream HTTP/1.1\r\nHost: x\r\n" + std::string(kType) +
                          "Content-Length: 200000\r\n\r\n"));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413u);
    EXPECT_TRUE(c.WaitClosed());
    EXPECT_EQ(SpoolFiles(), 0u);
  }
  {
    // Chunked: the file is being written when the limit is passed.
    TestClient c(port);
    std::string body = Form(std::string(150000, 'z'));
    std::string raw = "POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" +
                      std::string(kType) + "\r\n";
    ASSERT_TRUE(c.SendRaw(raw + "7530\r\n" + body.substr(0, 30000) + "\r\n"));
    for (int i = 0; i < 200 && SpoolFiles() == 0; ++i) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(SpoolFiles(), 1u);  // streaming, not buffering
    c.SendRaw("13880\r\n" + body.substr(30000, 80000) + "\r\n");
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413u);
    EXPECT_TRUE(c.WaitClosed());
    EXPECT_EQ(SpoolFiles(), 0u);
  }
  {
    // A client that goes away half-way.
    auto c = std::make_unique<TestClient>(port);
    std::string body = Form(std::string(50000, 'q'));
    ASSERT_TRUE(c->SendRaw("POST /stream HTTP/1.1\r\nHost: x\r\n" + std::string(kType) +
                           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                           body.substr(0, 20000)));
    for (int i = 0; i < 200 && SpoolFiles() == 0; ++i) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(SpoolFiles(), 1u);
    c.reset();
    for (int i = 0; i < 400 && SpoolFiles() != 0; ++i) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(SpoolFiles(), 0u);
  }
}

TEST_F(StreamedUploadTest, MalformedFormIs400AndOtherBodiesStayInMemory) {
  uint16_t port = Start({.spool_dir = spool_.string()});
  TestClient c(port);
  auto bad = c.Request("POST", "/stream", "--XyZ\r\nnot a header\r\n\r\nx\r\n--XyZ--", kType);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400u);
  EXPECT_EQ(Code(bad->body), "bad_request");
  TestClient c2(port);
  auto json = c2.Request("POST", "/stream", "{}", "Content-Type: application/json\r\n");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->body, "in memory 2");
  EXPECT_EQ(SpoolFiles(), 0u);
}

TEST_F(ServerTest, ChunkedBodyOverLimitIs413) {
  TestClient c(Start({.body_limit = 100}));
  std::string chunk(80, 'b');
  ASSERT_TRUE(
      c.SendRaw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n50\r\n" +
                chunk + "\r\n50\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413u);
}

TEST_F(ServerTest, HeaderOverLimitIs431) {
  TestClient c(Start({.header_limit = 2048}));
  auto r = c.Request("GET", "/healthz", "", "X-Big: " + std::string(4096, 'x') + "\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431u);
  EXPECT_EQ(Code(r->body), "header_too_large");
}

TEST_F(ServerTest, LargeHeaderLimitIsHonoured) {
  TestClient c(Start({.header_limit = 128 * 1024}));
  std::string headers;
  for (int i = 0; i < 4; ++i)
    headers += "X-Big" + std::to_string(i) + ": " + std::string(20000, 'x') + "\r\n";
  auto r = c.Request("GET", "/healthz", "", headers);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  // One field over 64 KiB is more than the parser holds: 431, not a dropped connection.
  TestClient c2(server_->port());
  auto big = c2.Request("GET", "/healthz", "", "X-Big: " + std::string(80 * 1024, 'x') + "\r\n");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 431u);
}

TEST_F(ServerTest, GarbageDoesNotHurtTheServer) {
  uint16_t port = Start({.header_timeout = 2s});
  std::mt19937 rng(12345);
  const std::string prefixes[] = {
      "", "GET / HTTP/1.1\r\n",
      "POST /echo HTTP/1.1\r\nContent-Length: ", "GET /items/%zz HTTP/1.1\r\nHost: x\r\n",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"};
  for (int i = 0; i < 100; ++i) {
    TestClient c(port, 5s);
    std::string junk = prefixes[i % 5];
    size_t n = rng() % 300;
    for (size_t k = 0; k < n; ++k) junk += static_cast<char>(rng() % 256);
    junk += "\r\n\r\n";
    c.SendRaw(junk);
    c.Read();  // whatever it answers (or closes), it must not die
  }
  TestClient after(port);
  auto r = after.Request("GET", "/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
}

TEST_F(ServerTest, MalformedRequestIs400) {
  TestClient c(Start());
  ASSERT_TRUE(c.SendRaw("GARBAGE\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400u);
  EXPECT_EQ(Code(r->body), "bad_request");
}

// RFC 9112 §6.3: a transfer coding other than exactly "chunked" leaves the body length unknown;
// read as an empty body, the body's bytes would be served as a second request.
TEST_F(ServerTest, TransferEncodingOtherThanChunkedIs400AndCloses) {
  uint16_t port = Start();
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const char* coding : {"xchunked", "gzip", "identity", "chunked, identity", "gzip, chunked",
                             "chunked, chunked", "chunked;x=1", ""}) {
    SCOPED_TRACE(coding);
    TestClient c(port);
    ASSERT_TRUE(c.SendRaw(std::string("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") +
                          coding + "\r\n\r\n" + smuggled));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400u);
    EXPECT_EQ(Code(r->body), "bad_request");
    EXPECT_FALSE(c.Read()) << "the body was served as a second request";
  }
  // Two header lines that together say "chunked" twice, too.
  TestClient twice(port);
  ASSERT_TRUE(
      twice.SendRaw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
  auto t = twice.Read();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->status, 400u);
  // Plain chunked (any case) still works.
  TestClient ok(port);
  ASSERT_TRUE(
      ok.SendRaw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n"
                 "2\r\nhi\r\n0\r\n\r\n"));
  auto o = ok.Read();
  ASSERT_TRUE(o);
  EXPECT_EQ(o->status, 200u);
  EXPECT_EQ(o->body, "hi");
}

TEST_F(ServerTest, MissingRepeatedOrMalformedHostIs400) {
  uint16_t port = Start();
  for (const char* head :
       {"GET /healthz HTTP/1.1\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: a b\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost: a,b\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: a/b\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost:\r\n\r\n"}) {
    SCOPED_TRACE(head);
    TestClient c(port);
    ASSERT_TRUE(c.SendRaw(head));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400u);
    EXPECT_EQ(Code(r->body), "bad_request");
    EXPECT_TRUE(c.WaitClosed());
  }
  // HTTP/1.0 needs no Host; IPv6 literals and ports are fine.
  for (const char* head :
       {"GET /healthz HTTP/1.0\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: app.example:443\r\n\r\n"}) {
    SCOPED_TRACE(head);
    TestClient c(port);
    ASSERT_TRUE(c.SendRaw(head));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
  }
}

TEST_F(ServerTest, ExpectContinue) {
  TestClient c(Start());
  ASSERT_TRUE(c.SendRaw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = c.Read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100u);
  ASSERT_TRUE(c.SendRaw("hello"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello");
}

TEST_F(ServerTest, HandlerExceptionIs500AndServerLives) {
  TestClient c(Start());
  auto r = c.Request("GET", "/throw");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500u);
  EXPECT_EQ(Code(r->body), "internal");
  auto after = c.Request("GET", "/healthz");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200u);
}

TEST_F(ServerTest, CsrfAndOriginOverTheWire) {
  TestClient c(Start());
  auto anon = c.Request("POST", "/private", "", "");
  ASSERT_TRUE(anon);
  EXPECT_EQ(anon->status, 401u);
  auto no_token = c.Request("POST", "/private", "", "Cookie: sid=s1\r\n");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 403u);
  EXPECT_EQ(Code(no_token->body), "csrf_failed");
  auto evil = c.Request("POST", "/private", "",
                        "Cookie: sid=s1\r\nX-CSRF-Token: t1\r\nOrigin: http://evil.example\r\n");
  ASSERT_TRUE(evil);
  EXPECT_EQ(evil->status, 403u);
  auto ok = c.Request("POST", "/private", "",
                      "Cookie: sid=s1\r\nX-CSRF-Token: t1\r\nOrigin: http://127.0.0.1\r\n");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200u);
  EXPECT_EQ(ok->body, "hello u1");
}

TEST_F(ServerTest, SlowHeaderIsClosed) {
  TestClient c(Start({.header_timeout = 300ms}));
  auto start = std::chrono::steady_clock::now();
  // Trickle a header slowly: activity must not extend the header deadline.
  ASSERT_TRUE(c.SendRaw("GET /healthz HTTP/1.1\r\n"));
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(100ms);
    if (!c.SendRaw("X: y\r\n")) break;
  }
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 8s);
}

TEST_F(ServerTest, SilentNewConnectionIsClosed) {
  TestClient c(Start({.header_timeout = 200ms}));
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, SlowBodyIsClosed) {
  TestClient c(Start({.body_timeout = 300ms}));
  ASSERT_TRUE(c.SendRaw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"));
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, IdleKeepAliveIsClosed) {
  TestClient c(Start({.idle_timeout = 300ms}));
  auto r = c.Request("GET", "/healthz");
  ASSERT_TRUE(r);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
}

TEST_F(ServerTest, ConnectionLimit) {
  uint16_t port = Start({.max_connections = 2});
  TestClient a(port), b(port);
  ASSERT_TRUE(a.Request("GET", "/healthz"));
  ASSERT_TRUE(b.Request("GET", "/healthz"));
  TestClient extra(port);
  auto r = extra.Request("GET", "/healthz");
  // Either the 503 arrives or the connection is already gone; never a 200.
  if (r) {
    EXPECT_EQ(r->status, 503u);
    EXPECT_EQ(Code(r->body), "unavailable");
  }
  EXPECT_TRUE(extra.WaitClosed());
  EXPECT_EQ(server_->open_connections(), 2u);
  ASSERT_TRUE(a.Request("GET", "/healthz"));  // the admitted ones still work
}

TEST_F(ServerTest, GracefulShutdownFinishesInFlightRequest) {
  // One worker: a blocking handler holds its thread, so the drain proceeds once it returns.
  uint16_t port = Start({.threads = 1});
  TestClient idle(port);
  ASSERT_TRUE(idle.Request("GET", "/healthz"));
  std::future<std::optional<testing::ClientResponse>> slow = std::async(std::launch::async, [port] {
    TestClient c(port);
    return c.Request("GET", "/slow");
  });
  ASSERT_EQ(entered_.get_future().wait_for(10s), std::future_status::ready);
  server_->Shutdown();
  release_.set_value();
  auto r = slow.get();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, "finished");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(idle.WaitClosed());  // idle keep-alive connections are closed
  server_->Wait();
  EXPECT_EQ(server_->open_connections(), 0u);
  TestClient late(port);  // nothing listens any more
  if (late.connected()) {
    EXPECT_FALSE(late.Request("GET", "/healthz").has_value());
  }
}

TEST_F(ServerTest, DrainTimeoutBoundsShutdown) {
  uint16_t port = Start({.threads = 1, .header_timeout = 60s, .drain_timeout = 300ms});
  TestClient partial(port);
  ASSERT_TRUE(partial.SendRaw("GET /healthz HTTP/1.1\r\n"));  // a request in progress
  std::this_thread::sleep_for(100ms);
  auto start = std::chrono::steady_clock::now();
  server_->Shutdown();
  server_->Wait();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_TRUE(partial.WaitClosed());
}

TEST_F(ServerTest, ShutdownWithoutRequestsReturnsPromptly) {
  Start({.threads = 3});
  auto start = std::chrono::steady_clock::now();
  server_->Shutdown();
  server_->Wait();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST_F(ServerTest, ManyConnectionsAcrossThreads) {
  uint16_t port = Start({.threads = 2});
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([port, &ok] {
      for (int i = 0; i < 5; ++i) {
        TestClient c(port);
        for (int j = 0; j < 10; ++j) {
          auto r = c.Request("GET", "/healthz");
          if (r && r->status == 200) ++ok;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8 * 5 * 10);
}

TEST_F(ServerTest, MetricsOverTheWire) {
  TestClient c(Start({.service_name = "agent"}));
  ASSERT_TRUE(c.Request("GET", "/items/1"));
  ASSERT_TRUE(c.Request("GET", "/nowhere"));
  auto m = c.Request("GET", "/metrics");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200u);
  EXPECT_NE(m->Header("Content-Type").find("text/plain"), std::string::npos);
  EXPECT_NE(m->body.find("beian_http_requests_total{service=\"agent\",route=\"/items/{id}\","
                         "method=\"GET\",status=\"200\"} 1\n"),
            std::string::npos)
      << m->body;
  EXPECT_NE(m->body.find("route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(m->body.find("beian_http_in_flight_requests{service=\"agent\"} 1\n"),
            std::string::npos);  // the /metrics request itself
  EXPECT_NE(m->body.find("beian_http_open_connections{service=\"agent\"} 1\n"), std::string::npos);
}

TEST_F(ServerTest, AccessLogLineCarriesRequestId) {
  std::mutex mu;
  std::vector<std::string> lines;
  core::SetLogWriterForTest([&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    lines.emplace_back(line);
  });
  access_log_ = true;
  router_.Add("GET", "/logs", [](Request&) -> core::Result<Response> {
    core::Log(core::LogLevel::kInfo, "inside_handler", {{"k", "v"}});
    return Response::Text("ok");
  });
  {
    TestClient c(Start({.service_name = "agent"}));
    ASSERT_TRUE(c.Request("GET", "/logs?x=1", "", "X-Request-Id: rid-42\r\n"));
  }
  server_->Shutdown();
  server_->Wait();
  core::SetLogWriterForTest({});
  std::lock_guard<std::mutex> lock(mu);
  bool saw_access = false, saw_inside = false;
  for (const std::string& line : lines) {
    auto v = boost::json::parse(line).as_object();
    if (v["event"] == "inside_handler") {
      saw_inside = true;
      EXPECT_EQ(v["request_id"], "rid-42");
    }
    if (v["event"] == "http_request") {
      saw_access = true;
      EXPECT_EQ(v["request_id"], "rid-42");
      EXPECT_EQ(v["method"], "GET");
      EXPECT_EQ(v["route"], "/logs");
      EXPECT_EQ(v["path"], "/logs");
      EXPECT_EQ(v["status"], 200);
      EXPECT_EQ(v["bytes"], 2);
      EXPECT_EQ(v["client"], "127.0.0.1");
      EXPECT_TRUE(v["duration_ms"].is_number());
      EXPECT_TRUE(v.contains("time"));
    }
  }
  EXPECT_TRUE(saw_access);
  EXPECT_TRUE(saw_inside);
}

// The access lines of a turn of the worker's loop are held and written once the turn's other
// completions have run: they reach fd 2 while the connection stays open and the worker idle.
TEST_F(ServerTest, AccessLinesReachStderrAtTheEndOfTheTurn) {
  const std::string path =
      ::testing::TempDir() + "/beian-access-" + std::to_string(::getpid()) + ".log";
  std::FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fflush(stderr);
  int saved = ::dup(STDERR_FILENO);
  ::dup2(::fileno(file), STDERR_FILENO);
  std::fclose(file);
  auto count_lines = [&path] {
    std::ifstream in(path);
    int n = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.find("\"event\":\"http_request\"") != std::string::npos) ++n;
    }
    return n;
  };
  access_log_ = true;
  int seen = 0;
  {
    TestClient c(Start());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(c.Request("GET", "/healthz"));
    for (int i = 0; i < 500 && (seen = count_lines()) < 3; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  server_->Shutdown();
  server_->Wait();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  EXPECT_EQ(seen, 3);
  EXPECT_EQ(count_lines(), 3);
  std::remove(path.c_str());
}

TEST_F(ServerTest, ProxyHeadersOnlyWhenTrusted) {
  router_.Add("GET", "/whoami", [](Request& r) -> core::Result<Response> {
    return Response::Text(r.client_address + (r.secure ? " https" : " http"));
  });
  const std::string headers =
      "X-Forwarded-For: 203.0.113.9, 198.51.100.7\r\nX-Forwarded-Proto: https\r\n";
  {
    TestClient c(Start());
    auto r = c.Request("GET", "/whoami", "", headers);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "127.0.0.1 http");
  }
  server_->Shutdown();
  server_->Wait();
  TestClient c(Start({.trust_proxy_headers = true}));
  auto r = c.Request("GET", "/whoami", "", headers);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "198.51.100.7 https");
  auto junk = c.Request("GET", "/whoami", "", "X-Forwarded-For: not-an-ip\r\n");
  ASSERT_TRUE(junk);
  EXPECT_EQ(junk->body, "127.0.0.1 http");
}

// Issue 6 item 3: behind a proxy without --trust-proxy every client shares one address (and its
// throttling); the server says so once, and only when X-Forwarded-For actually arrives.
TEST_F(ServerTest, ForwardedHeaderWithoutTrustProxyIsLoggedOnce) {
  std::mutex mu;
  int warnings = 0;
  core::SetLogWriterForTest([&](std::string_view line) {
    if (line.find("forwarded_header_ignored") == std::string_view::npos) return;
    std::lock_guard<std::mutex> lock(mu);
    ++warnings;
  });
  {
    TestClient c(Start());
    ASSERT_TRUE(c.Request("GET", "/healthz"));
    {
      std::lock_guard<std::mutex> lock(mu);
      EXPECT_EQ(warnings, 0);
    }
    ASSERT_TRUE(c.Request("GET", "/healthz", "", "X-Forwarded-For: 203.0.113.9\r\n"));
    ASSERT_TRUE(c.Request("GET", "/healthz", "", "X-Forwarded-For: 203.0.113.10\r\n"));
  }
  server_->Shutdown();
  server_->Wait();
  core::SetLogWriterForTest({});
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(warnings, 1);
}

TEST_F(ServerTest, HeaderValuesCannotSplitTheResponse) {
  router_.Add("GET", "/inject", [](Request&) -> core::Result<Response> {
    Response r = Response::Text("body");
    r.SetHeader("X-Note", "a\r\nSet-Cookie: pwned=1\r\n\r\nsmuggled");
    return r;
  });
  TestClient c(Start());
  auto r = c.Request("GET", "/inject");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "body");
  EXPECT_TRUE(r->Header("Set-Cookie").empty());
  EXPECT_EQ(r->Header("X-Note"), "aSet-Cookie: pwned=1smuggled");
  auto next = c.Request("GET", "/healthz");  // the stream is still in sync
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200u);
}

TEST(ServerInternalTest, AppendHeaderLineStripsCrLfAndNul) {
  std::string head;
  internal::AppendHeaderLine(head, "X-Plain", "value");
  EXPECT_EQ(head, "X-Plain: value\r\n");
  head.clear();
  internal::AppendHeaderLine(head, std::string_view("X-\rBad\n", 8),
                             std::string_view("a\r\nSet-Cookie: x=1\0b\r\n\r\n", 24));
  EXPECT_EQ(head, "X-Bad: aSet-Cookie: x=1b\r\n");
}

TEST(ServerInternalTest, WorkerLoopSurvivesAnyException) {
  boost::asio::io_context io;
  bool after_std = false;
  bool after_other = false;
  boost::asio::post(io, [] { throw std::runtime_error("std"); });
  boost::asio::post(io, [&] { after_std = true; });
  boost::asio::post(io, [] { throw 7; });  // not a std::exception
  boost::asio::post(io, [&] { after_other = true; });
  internal::RunWorkerLoop(io);  // returns once the work is done
  EXPECT_TRUE(after_std);
  EXPECT_TRUE(after_other);
}

TEST_F(ServerTest, HstsOnlyWhenEnabled) {
  {
    TestClient c(Start());
    auto r = c.Request("GET", "/healthz");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->Header("Strict-Transport-Security").empty());
  }
  server_->Shutdown();
  server_->Wait();
  TestClient c(Start({.hsts = true}));
  for (const char* target : {"/healthz", "/nope"}) {
    auto r = c.Request("GET", target);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->Header("Strict-Transport-Security"), "max-age=31536000") << target;
  }
  ASSERT_TRUE(c.SendRaw("GARBAGE\r\n\r\n"));  // parse errors too
  auto bad = c.Read();
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->Header("Strict-Transport-Security"), "max-age=31536000");
}

TEST_F(ServerTest, HttpTen) {
  TestClient c(Start());
  ASSERT_TRUE(c.SendRaw("GET /healthz HTTP/1.0\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->raw.version(), 10u);
  EXPECT_EQ(r->body, R"({"status":"ok"})");
  EXPECT_TRUE(c.WaitClosed());
  TestClient k(server_->port());
  ASSERT_TRUE(k.SendRaw("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto first = k.Read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->Header("Connection"), "keep-alive");
  ASSERT_TRUE(k.SendRaw("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_TRUE(k.Read().has_value());
}

TEST_F(ServerTest, NoContentHasNoLength) {
  router_.Add("DELETE", "/things/{id}",
              [](Request&) -> core::Result<Response> { return Response::NoContent(); });
  TestClient c(Start());
  auto r = c.Request("DELETE", "/things/1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204u);
  EXPECT_TRUE(r->Header("Content-Length").empty());
  auto next = c.Request("GET", "/healthz");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200u);
}

TEST_F(ServerTest, PortInUseIsAnError) {
  uint16_t port = Start();
  Router other;
  Server second({.listen = "127.0.0.1:" + std::to_string(port)}, other);
  auto s = second.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kIo);
}

TEST_F(ServerTest, BadListenAddress) {
  for (const char* bad : {"nonsense", "127.0.0.1:99999", "[::1", "300.1.1.1:80"}) {
    Router other;
    Server s({.listen = bad}, other);
    EXPECT_FALSE(s.Start().ok()) << bad;
  }
}

TEST_F(ServerTest, Ipv6Loopback) {
  Router r6;
  AddHealthRoutes(r6);
  Server s({.listen = "[::1]:0", .access_log = false}, r6);
  auto st = s.Start();
  if (!st.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << st.error().message;
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket sock(io);
  boost::system::error_code ec;
  sock.connect({boost::asio::ip::make_address("::1"), s.port()}, ec);
  ASSERT_FALSE(ec);
  std::string req = "GET /healthz HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n";
  boost::asio::write(sock, boost::asio::buffer(req));
  std::string out;
  char buf[512];
  for (;;) {
    size_t n = sock.read_some(boost::asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;
  }
  EXPECT_EQ(out.rfind("HTTP/1.1 200", 0), 0u) << out;
}

}  // namespace
}  // namespace beian::http
