// Tests of routing, access rules (session, roles, CSRF, Origin), error mapping and metrics,
// driven in-process through Router::Handle.
#include "http/router.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/log.h"
#include "http/cookie.h"
#include "http/health.h"

namespace beian::http {
namespace {

Request Make(std::string method, std::string target,
             std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers = std::move(headers);
  r.headers.emplace_back("Host", "app.example");
  EXPECT_TRUE(r.ParseTarget());
  return r;
}

std::string Code(const Response& r) {
  return std::string(boost::json::parse(r.body).at("error").at("code").as_string());
}

Handler Echo(std::string tag) {
  return [tag](Request& req) -> core::Result<Response> {
    std::string out = tag;
    for (auto& [k, v] : req.path_params) out += " " + std::string(k) + "=" + v;
    if (req.principal) out += " user=" + req.principal->user_id;
    return Response::Text(out);
  };
}

TEST(RouterTest, PathParamsAndLiteralsWin) {
  Router router;
  router.Add("GET", "/api/v1/applications/{id}/documents/{doc_id}", Echo("doc"));
  router.Add("GET", "/api/v1/applications/{id}", Echo("app"));
  router.Add("GET", "/api/v1/applications/mine", Echo("mine"));
  Request r1 = Make("GET", "/api/v1/applications/a%2Fb/documents/d7?x=1");
  EXPECT_EQ(router.Handle(r1).body, "doc id=a/b doc_id=d7");
  EXPECT_EQ(r1.route, "/api/v1/applications/{id}/documents/{doc_id}");
  Request r2 = Make("GET", "/api/v1/applications/mine");
  EXPECT_EQ(router.Handle(r2).body, "mine");
  Request r3 = Make("GET", "/api/v1/applications/42/");
  EXPECT_EQ(router.Handle(r3).body, "app id=42");
}

TEST(RouterTest, RoutesListsEachMethodOfEachPatternInOrder) {
  Router router;
  router.Add("GET", "/api/v1/items/{id}", Echo("get"));
  router.Add("POST", "/api/v1/items", Echo("post"));
  router.Add("DELETE", "/api/v1/items/{id}", Echo("delete"));
  router.SetFallback(Echo("fallback"));
  const auto routes = router.Routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0].method, "GET");
  EXPECT_EQ(routes[0].pattern, "/api/v1/items/{id}");
  EXPECT_EQ(routes[1].method, "DELETE");
  EXPECT_EQ(routes[1].pattern, "/api/v1/items/{id}");
  EXPECT_EQ(routes[2].method, "POST");
  EXPECT_EQ(routes[2].pattern, "/api/v1/items");
}

TEST(RouterTest, TargetForms) {
  Request absolute;
  absolute.target = "http://app.example/items/7?x=1";
  ASSERT_TRUE(absolute.ParseTarget());
  EXPECT_EQ(absolute.path, "/items/7");
  EXPECT_EQ(absolute.segments, (std::vector<std::string>{"items", "7"}));
  EXPECT_EQ(absolute.Query("x"), "1");
  for (const char* bad : {"*", "items", "ftp://x/y", "/a b", ""}) {
    Request r;
    r.target = bad;
    EXPECT_FALSE(r.ParseTarget()) << bad;
  }
}

TEST(RouterTest, QueryParameters) {
  Request r = Make("GET", "/p?domain=%E4%BE%8B.cn&x=1&x=2&empty=");
  EXPECT_EQ(r.Query("domain"), "例.cn");
  EXPECT_EQ(r.Query("x"), "1");
  EXPECT_EQ(r.Query("empty"), "");
  EXPECT_FALSE(r.Query("nope").has_value());
}

// Targets without escapes skip the decoding pass: the result must equal the decoded one.
TEST(RouterTest, PlainAndEscapedTargetsParseAlike) {
  Request plain = Make("GET", "/api/v1/public/filings/?domain=example.cn&flag&b=");
  EXPECT_EQ(plain.path, "/api/v1/public/filings/");
  EXPECT_EQ(plain.segments, (std::vector<std::string>{"api", "v1", "public", "filings"}));
  EXPECT_EQ(plain.query, (std::vector<std::pair<std::string, std::string>>{
                             {"domain", "example.cn"}, {"flag", ""}, {"b", ""}}));
  Request escaped = Make("GET", "/api/v1/public/fil%69ngs?dom%61in=example.cn&flag&b=");
  EXPECT_EQ(escaped.segments, plain.segments);
  EXPECT_EQ(escaped.query, plain.query);
  // A '+' in the query goes through the decoding view, as before the fast path.
  Request plus = Make("GET", "/p?q=a+b");
  Request plus_decoded;
  plus_decoded.target = "/p?q=a+b";
  auto parsed = boost::urls::parse_origin_form(plus_decoded.target);
  ASSERT_TRUE(parsed.has_value());
  std::string expected;
  for (auto p : parsed->params()) expected = p.value;
  EXPECT_EQ(plus.Query("q"), expected);
}

TEST(RouterTest, LiteralRoutesWinOverParametersAndMatchWithTrailingSlash) {
  Router router;
  router.Add("GET", "/things/{id}", Echo("param"));
  router.Add("GET", "/things/new", Echo("literal"));
  Request literal = Make("GET", "/things/new/");
  EXPECT_EQ(router.Handle(literal).body, "literal");
  Request escaped = Make("GET", "/things/n%65w");
  EXPECT_EQ(router.Handle(escaped).body, "literal");
  Request param = Make("GET", "/things/7");
  EXPECT_EQ(router.Handle(param).body, "param id=7");
  Request root = Make("GET", "/");
  EXPECT_EQ(router.Handle(root).status, 404u);
}

TEST(RouterTest, NotFoundAndMethodNotAllowed) {
  Router router;
  router.Add("GET", "/things/{id}", Echo("get"));
  router.Add("DELETE", "/things/{id}", Echo("del"));
  Request r1 = Make("GET", "/nothing");
  Response nf = router.Handle(r1);
  EXPECT_EQ(nf.status, 404u);
  EXPECT_EQ(Code(nf), "not_found");
  Request r2 = Make("PUT", "/things/1");
  Response mna = router.Handle(r2);
  EXPECT_EQ(mna.status, 405u);
  EXPECT_EQ(Code(mna), "method_not_allowed");
  EXPECT_EQ(mna.Header("allow"), "GET, HEAD, DELETE");
  Request r3 = Make("HEAD", "/things/1");
  EXPECT_EQ(router.Handle(r3).status, 200u);
}

TEST(RouterTest, BadPatternsAndDuplicatesThrow) {
  Router router;
  router.Add("GET", "/a/{id}", Echo("a"));
  EXPECT_THROW(router.Add("GET", "/a/{id}", Echo("a")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "a", Echo("a")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a//b", Echo("a")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/{}", Echo("a")), std::invalid_argument);
}

TEST(RouterTest, ErrorsAndExceptionsBecomeJson) {
  Router router;
  router.Add("POST", "/conflict", [](Request&) -> core::Result<Response> {
    return core::Error(core::ErrorCode::kEmailTaken, "taken");
  });
  router.Add("GET", "/throws",
             [](Request&) -> core::Result<Response> { throw std::runtime_error("boom"); });
  Request r1 = Make("POST", "/conflict");
  Response c = router.Handle(r1);
  EXPECT_EQ(c.status, 409u);
  EXPECT_EQ(Code(c), "email_taken");
  Request r2 = Make("GET", "/throws");
  Response t = router.Handle(r2);
  EXPECT_EQ(t.status, 500u);
  EXPECT_EQ(Code(t), "internal");
  EXPECT_EQ(t.body.find("boom"), std::string::npos);  // no internals leak to the client
}

class AuthRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.SetAuthenticator([](const Request& req) -> core::Result<std::optional<Principal>> {
      auto sid = req.Cookie("sid");
      if (!sid) return std::optional<Principal>();
      if (*sid == "broken") return core::Error(core::ErrorCode::kDatabase, "db down");
      Principal p;
      p.user_id = std::string(*sid);
      p.role = *sid == "rev" ? "reviewer" : "applicant";
      p.csrf_token = "tok-" + std::string(*sid);
      return std::optional<Principal>(p);
    });
    router_.Add("GET", "/me", Echo("me"), {.auth = Auth::kSession});
    router_.Add("POST", "/apps", Echo("create"), {.auth = Auth::kSession});
    router_.Add("POST", "/review", Echo("review"),
                {.auth = Auth::kSession, .roles = {"reviewer", "admin"}});
    router_.Add("POST", "/login", Echo("login"));
    router_.Add("POST", "/nocsrf", Echo("nocsrf"), {.auth = Auth::kSession, .csrf = false});
    router_.Add("GET", "/maybe", Echo("maybe"), {.auth = Auth::kOptionalSession});
  }
  Router router_{RouterOptions{.allowed_origins = {"https://console.example"}}};
};

TEST_F(AuthRouterTest, SessionRequired) {
  Request r1 = Make("GET", "/me");
  Response no = router_.Handle(r1);
  EXPECT_EQ(no.status, 401u);
  EXPECT_EQ(Code(no), "unauthenticated");
  Request r2 = Make("GET", "/me", {{"Cookie", "a=b; sid=u1"}});
  EXPECT_EQ(router_.Handle(r2).body, "me user=u1");
  Request r3 = Make("GET", "/maybe");
  EXPECT_EQ(router_.Handle(r3).body, "maybe");
  Request r4 = Make("GET", "/maybe", {{"Cookie", "sid=u2"}});
  EXPECT_EQ(router_.Handle(r4).body, "maybe user=u2");
  Request r5 = Make("GET", "/me", {{"Cookie", "sid=broken"}});
  EXPECT_EQ(router_.Handle(r5).status, 500u);
}

TEST_F(AuthRouterTest, CsrfTokenOnUnsafeMethods) {
  Request r1 = Make("POST", "/apps", {{"Cookie", "sid=u1"}});
  Response missing = router_.Handle(r1);
  EXPECT_EQ(missing.status, 403u);
  EXPECT_EQ(Code(missing), "csrf_failed");
  Request r2 = Make("POST", "/apps", {{"Cookie", "sid=u1"}, {"X-CSRF-Token", "tok-u2"}});
  EXPECT_EQ(router_.Handle(r2).status, 403u);
  Request r3 = Make("POST", "/apps", {{"Cookie", "sid=u1"}, {"X-CSRF-Token", "tok-u1"}});
  EXPECT_EQ(router_.Handle(r3).body, "create user=u1");
  Request r4 = Make("POST", "/nocsrf", {{"Cookie", "sid=u1"}});
  EXPECT_EQ(router_.Handle(r4).status, 200u);
}

TEST_F(AuthRouterTest, Roles) {
  Request r1 = Make("POST", "/review", {{"Cookie", "sid=u1"}, {"X-CSRF-Token", "tok-u1"}});
  Response f = router_.Handle(r1);
  EXPECT_EQ(f.status, 403u);
  EXPECT_EQ(Code(f), "forbidden");
  Request r2 = Make("POST", "/review", {{"Cookie", "sid=rev"}, {"X-CSRF-Token", "tok-rev"}});
  EXPECT_EQ(router_.Handle(r2).status, 200u);
}

TEST_F(AuthRouterTest, OriginCheckedOnUnsafeMethods) {
  Request same = Make("POST", "/login", {{"Origin", "http://app.example"}});
  EXPECT_EQ(router_.Handle(same).status, 200u);
  Request allowed = Make("POST", "/login", {{"Origin", "https://console.example"}});
  EXPECT_EQ(router_.Handle(allowed).status, 200u);
  Request none = Make("POST", "/login");
  EXPECT_EQ(router_.Handle(none).status, 200u);
  for (const char* bad : {"http://evil.example", "null", "https://app.example",
                          "http://app.example.evil", "http://app.exampl"}) {
    Request r = Make("POST", "/login", {{"Origin", bad}});
    Response resp = router_.Handle(r);
    EXPECT_EQ(resp.status, 403u) << bad;
    EXPECT_EQ(Code(resp), "csrf_failed") << bad;
  }
  Request get = Make("GET", "/me", {{"Origin", "http://evil.example"}, {"Cookie", "sid=u1"}});
  EXPECT_EQ(router_.Handle(get).status, 200u);
}

// Every unsafe method gets the CSRF and Origin checks, registered or not yet used by a route:
// dropping one from Router::IsUnsafeMethod must fail here.
TEST_F(AuthRouterTest, EveryUnsafeMethodIsCheckedForCsrfAndOrigin) {
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    SCOPED_TRACE(method);
    EXPECT_TRUE(Router::IsUnsafeMethod(method));
    router_.Add(method, "/unsafe", Echo(method), {.auth = Auth::kSession});
    router_.Add(method, "/unsafe-public", Echo(method));
    Request no_token = Make(method, "/unsafe", {{"Cookie", "sid=u1"}});
    Response refused = router_.Handle(no_token);
    EXPECT_EQ(refused.status, 403u);
    EXPECT_EQ(Code(refused), "csrf_failed");
    Request with_token =
        Make(method, "/unsafe", {{"Cookie", "sid=u1"}, {"X-CSRF-Token", "tok-u1"}});
    EXPECT_EQ(router_.Handle(with_token).status, 200u);
    Request cross = Make(method, "/unsafe-public", {{"Origin", "http://evil.example"}});
    Response cross_refused = router_.Handle(cross);
    EXPECT_EQ(cross_refused.status, 403u);
    EXPECT_EQ(Code(cross_refused), "csrf_failed");
    Request same = Make(method, "/unsafe-public", {{"Origin", "http://app.example"}});
    EXPECT_EQ(router_.Handle(same).status, 200u);
  }
  for (const char* method : {"GET", "HEAD", "OPTIONS"}) {
    EXPECT_FALSE(Router::IsUnsafeMethod(method)) << method;
  }
}

TEST(RouterTest, NormalizePublicUrl) {
  const std::pair<const char*, const char*> kGood[] = {
      {"https://Beian.Example.CN:443/", "https://beian.example.cn"},
      {"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
      {"http://localhost:80", "http://localhost"},
      {"HTTP://[::1]:08090", "http://[::1]:8090"},
      {"https://beian.example.cn:8443", "https://beian.example.cn:8443"},
  };
  for (const auto& [in, out] : kGood) {
    auto n = NormalizePublicUrl(in);
    ASSERT_TRUE(n) << in << ": " << n.error().message;
    EXPECT_EQ(*n, out) << in;
  }
  for (const char* bad :
       {"beian.example.cn", "ftp://x.example", "https://", "https://x/app", "https://u@x.example",
        "https://x.example?q", "https://x.example:", "https://x.example:99999",
        "https://x.example:0", "https://[::1", "https://a b.example", "https://x.example:8o"}) {
    EXPECT_FALSE(NormalizePublicUrl(bad)) << bad;
  }
}

// Origin was compared with the request's own Host: a DNS-rebinding page (Host and Origin both
// its own name) could sign in. With public URLs, the Host must be one of them (421 otherwise)
// and Origin is compared with them.
TEST(RouterTest, PublicUrlsRefuseOtherHostsAndOrigins) {
  Router router(
      RouterOptions{.public_urls = {"https://beian.example.cn", "http://127.0.0.1:8080"}});
  AddHealthRoutes(router);
  router.Add("POST", "/login", Echo("login"));
  router.Add("GET", "/page", Echo("page"));
  auto call = [&](std::string method, std::string target,
                  std::vector<std::pair<std::string, std::string>> headers) {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.headers = std::move(headers);
    r.client_address = "127.0.0.1";
    EXPECT_TRUE(r.ParseTarget());
    return router.Handle(r);
  };
  // The rebinding attack: Host and Origin agree, but name the attacker's domain.
  Response rebind =
      call("POST", "/login",
           {{"Host", "rebind.evil.example"}, {"Origin", "http://rebind.evil.example"}});
  EXPECT_EQ(rebind.status, 421u);
  EXPECT_EQ(Code(rebind), "misdirected_request");
  for (const char* host : {"rebind.evil.example", "beian.example.cn.evil", "127.0.0.1:8081",
                           "127.0.0.1", "", "localhost:8080"}) {
    Response r = call("GET", "/page", {{"Host", host}});
    EXPECT_EQ(r.status, 421u) << host;
  }
  Response no_host = call("GET", "/page", {});
  EXPECT_EQ(no_host.status, 421u);
  Response metrics = call("GET", "/metrics", {{"Host", "rebind.evil.example"}});
  EXPECT_EQ(metrics.status, 421u) << "a rebinding page is a loopback client";
  for (const char* host :
       {"beian.example.cn", "BEIAN.example.cn:443", "beian.example.cn.", "127.0.0.1:8080"}) {
    EXPECT_EQ(call("GET", "/page", {{"Host", host}}).status, 200u) << host;
  }
  // Probes by address.
  EXPECT_EQ(call("GET", "/healthz", {{"Host", "10.1.2.3:8080"}}).status, 200u);
  EXPECT_EQ(call("GET", "/readyz", {}).status, 200u);
  // Origin: one of the public URLs, whatever the Host among them.
  EXPECT_EQ(
      call("POST", "/login", {{"Host", "127.0.0.1:8080"}, {"Origin", "https://beian.example.cn"}})
          .status,
      200u);
  EXPECT_EQ(call("POST", "/login",
                 {{"Host", "beian.example.cn"}, {"Origin", "https://Beian.Example.cn:443"}})
                .status,
            200u);
  for (const char* origin : {"http://beian.example.cn", "https://evil.example", "null",
                             "http://127.0.0.1:8081", "https://beian.example.cn/x"}) {
    Response r = call("POST", "/login", {{"Host", "beian.example.cn"}, {"Origin", origin}});
    EXPECT_EQ(r.status, 403u) << origin;
    EXPECT_EQ(Code(r), "csrf_failed") << origin;
  }
}

TEST(RouterTest, ConstantTimeEquals) {
  EXPECT_TRUE(Router::ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(Router::ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(Router::ConstantTimeEquals("abc", "ab"));
  EXPECT_TRUE(Router::ConstantTimeEquals("", ""));
}

TEST(RouterTest, FallbackOnlyForGetAndHead) {
  Router router;
  router.SetFallback([](Request&) -> core::Result<Response> { return Response::Text("app"); });
  Request g = Make("GET", "/some/page");
  EXPECT_EQ(router.Handle(g).body, "app");
  Request p = Make("POST", "/some/page");
  EXPECT_EQ(router.Handle(p).status, 404u);
}

// A deferred response is counted (status, latency, in flight) when it is delivered, not when the
// handler returns.
TEST(RouterTest, DeferredResponsesAreCountedWhenDelivered) {
  Router router;
  router.metrics().SetServiceName("agent");
  Completion pending;
  router.Add("POST", "/auth/login", [&pending](Request&) -> core::Result<Response> {
    return Response::Deferred([&pending](Completion done) { pending = std::move(done); });
  });
  Request r = Make("POST", "/auth/login");
  Response deferred = router.Handle(r);
  ASSERT_TRUE(deferred.deferred);
  std::optional<Response> delivered;
  deferred.deferred([&delivered](Response out) { delivered = std::move(out); });
  ASSERT_TRUE(pending);
  EXPECT_EQ(router.metrics().in_flight(), 1);
  EXPECT_EQ(router.metrics().Render().find("route=\"/auth/login\",method=\"POST\",status="),
            std::string::npos);
  pending(Response::Text("late", 503));
  ASSERT_TRUE(delivered);
  EXPECT_EQ(delivered->status, 503u);
  EXPECT_EQ(router.metrics().in_flight(), 0);
  EXPECT_NE(
      router.metrics().Render().find("route=\"/auth/login\",method=\"POST\",status=\"503\"} 1"),
      std::string::npos);
}

TEST(RouterTest, MetricsCountByRouteAndStatus) {
  Router router;
  router.metrics().SetServiceName("agent");
  AddHealthRoutes(router);
  router.metrics().AddGauge("beian_db_pool_in_use", "Connections in use.", [] { return 3.0; });
  for (int i = 0; i < 3; ++i) {
    Request r = Make("GET", "/healthz");
    EXPECT_EQ(router.Handle(r).body, R"({"status":"ok"})");
  }
  Request nf = Make("GET", "/nope");
  router.Handle(nf);
  std::string text = router.metrics().Render();
  EXPECT_NE(text.find("beian_http_requests_total{service=\"agent\",route=\"/healthz\","
                      "method=\"GET\",status=\"200\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"unmatched\",method=\"GET\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(text.find("beian_http_request_duration_seconds_bucket{service=\"agent\",route=\""
                      "/healthz\",method=\"GET\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("beian_http_request_duration_seconds_count{service=\"agent\",route=\""
                      "/healthz\",method=\"GET\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("beian_http_in_flight_requests{service=\"agent\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("beian_db_pool_in_use{service=\"agent\"} 3\n"), std::string::npos);
}

TEST(RouterTest, ReadinessFailsWith503) {
  Router router;
  bool ready = false;
  AddHealthRoutes(router, [&ready]() -> core::Status {
    if (ready) return core::Ok();
    return core::Error(core::ErrorCode::kSchemaOutdated, "schema 3, binary needs 4");
  });
  Request r1 = Make("GET", "/readyz");
  Response not_ready = router.Handle(r1);
  EXPECT_EQ(not_ready.status, 503u);
  EXPECT_EQ(Code(not_ready), "schema_outdated");
  ready = true;
  Request r2 = Make("GET", "/readyz");
  EXPECT_EQ(router.Handle(r2).status, 200u);
}

TEST(NotReadyLogGateTest, LogsTheFirstFailureEachNewCodeAndThenOneAMinute) {
  NotReadyLogGate gate;
  EXPECT_EQ(gate.OnReady(0), -1);  // ready all along: nothing to say
  EXPECT_EQ(gate.OnNotReady("registry_syncing", 1'000), 0);
  EXPECT_EQ(gate.OnNotReady("registry_syncing", 2'000), -1);
  EXPECT_EQ(gate.OnNotReady("registry_syncing", 3'000), -1);
  EXPECT_EQ(gate.OnNotReady("unavailable", 4'000), 2);  // another cause: at once
  EXPECT_EQ(gate.OnNotReady("unavailable", 5'000), -1);
  EXPECT_EQ(gate.OnNotReady("unavailable", 4'000 + NotReadyLogGate::kRepeatMs - 1), -1);
  EXPECT_EQ(gate.OnNotReady("unavailable", 4'000 + NotReadyLogGate::kRepeatMs), 2);
  EXPECT_EQ(gate.OnReady(70'000), 69'000);  // the run lasted from the first failure
  EXPECT_EQ(gate.OnReady(71'000), -1);
  // A new run starts afresh.
  EXPECT_EQ(gate.OnNotReady("unavailable", 72'000), 0);
  EXPECT_EQ(gate.OnReady(72'500), 500);
}

TEST(RouterTest, AnUnreadyServicePolledOftenLogsOnceAndItsReturnOnce) {
  std::vector<std::string> lines;
  core::SetLogWriterForTest([&](std::string_view line) { lines.emplace_back(line); });
  Router router;
  bool ready = false;
  AddHealthRoutes(router, [&ready]() -> core::Status {
    if (ready) return core::Ok();
    return core::Error(core::ErrorCode::kUnavailable, "public look-up snapshot: rebuilding");
  });
  for (int i = 0; i < 50; ++i) {
    Request r = Make("GET", "/readyz");
    EXPECT_EQ(router.Handle(r).status, 503u);
  }
  ready = true;
  for (int i = 0; i < 3; ++i) {
    Request r = Make("GET", "/readyz");
    EXPECT_EQ(router.Handle(r).status, 200u);
  }
  core::SetLogWriterForTest({});
  int not_ready = 0, ready_again = 0;
  for (const std::string& line : lines) {
    not_ready += line.find("\"event\":\"not_ready\"") != std::string::npos;
    ready_again += line.find("\"event\":\"ready_again\"") != std::string::npos;
  }
  EXPECT_EQ(not_ready, 1);
  EXPECT_EQ(ready_again, 1);
}

// /metrics was open on the public port: loopback clients only, or a bearer token if configured.
TEST(RouterTest, MetricsOnlyToLoopbackOrWithTheToken) {
  Router router;
  AddHealthRoutes(router, {}, {.metrics_token = "s3cret-token"});
  auto get = [&](std::string address, std::string authorization = "") {
    Request r = Make("GET", "/metrics");
    r.client_address = std::move(address);
    if (!authorization.empty()) r.headers.emplace_back("Authorization", authorization);
    return router.Handle(r);
  };
  for (const char* local : {"127.0.0.1", "127.9.8.7", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_EQ(get(local).status, 200u) << local;
  }
  for (const char* remote : {"203.0.113.5", "::ffff:203.0.113.5", "2001:db8::1", "", "1.127.0.0"}) {
    Response r = get(remote);
    EXPECT_EQ(r.status, 404u) << remote;
    EXPECT_EQ(Code(r), "not_found");
    EXPECT_EQ(r.body.find("beian_http"), std::string::npos);
  }
  EXPECT_EQ(get("203.0.113.5", "Bearer s3cret-token").status, 200u);
  EXPECT_EQ(get("203.0.113.5", "bearer s3cret-token").status, 200u);
  for (const char* wrong : {"Bearer s3cret-toke", "Bearer s3cret-token2", "Bearer ", "s3cret-token",
                            "Basic s3cret-token", "Bearer  s3cret-token"}) {
    EXPECT_EQ(get("203.0.113.5", wrong).status, 404u) << wrong;
  }
  // Without a configured token, no bearer opens it.
  Router no_token;
  AddHealthRoutes(no_token);
  Request r = Make("GET", "/metrics", {{"Authorization", "Bearer "}});
  r.client_address = "203.0.113.5";
  EXPECT_EQ(no_token.Handle(r).status, 404u);
}

// le="0.00050000000000000001" was printed for the 0.5 ms bucket.
TEST(RouterTest, HistogramBucketLabelsAreShortest) {
  Router router;
  router.Add("GET", "/x", Echo("x"));
  Request r = Make("GET", "/x");
  router.Handle(r);
  std::string text = router.metrics().Render();
  for (const char* le : {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                         "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"}) {
    EXPECT_NE(text.find(std::string("route=\"/x\",method=\"GET\",le=\"") + le + "\"} 1"),
              std::string::npos)
        << le << "\n"
        << text;
  }
  EXPECT_EQ(text.find("0000000"), std::string::npos) << text;
}

TEST(CookieTest, SessionCookieNameIsHostPrefixedWhenSecure) {
  EXPECT_EQ(SessionCookieName("beian_session", false), "beian_session");
  EXPECT_EQ(SessionCookieName("beian_session", true), "__Host-beian_session");
  // What a browser requires of a __Host- cookie: Secure, Path=/, no Domain.
  std::string set = BuildSetCookie(SessionCookieName("s", true), "v", {.secure = true});
  EXPECT_NE(set.find("; Secure"), std::string::npos);
  EXPECT_NE(set.find("; Path=/;"), std::string::npos);
  EXPECT_EQ(set.find("Domain"), std::string::npos);
}

TEST(CookieTest, FindCookie) {
  EXPECT_EQ(FindCookie("a=1; sid=xyz; b=2", "sid"), "xyz");
  EXPECT_EQ(FindCookie("sid=\"q\"", "sid"), "q");
  EXPECT_FALSE(FindCookie("asid=1; sidx=2", "sid").has_value());
  EXPECT_FALSE(FindCookie("", "sid").has_value());
  EXPECT_EQ(FindCookie("broken; sid=1", "sid"), "1");
}

TEST(CookieTest, BuildSetCookie) {
  EXPECT_EQ(BuildSetCookie("sid", "abc", {.max_age = std::chrono::hours(1)}),
            "sid=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
  EXPECT_EQ(BuildSetCookie("sid", "abc", {.secure = true}),
            "sid=abc; Path=/; HttpOnly; SameSite=Lax; Secure");
  EXPECT_EQ(BuildDeleteCookie("sid"), "sid=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
}

}  // namespace
}  // namespace beian::http
