// Tests of static file serving: cache headers, content types, SPA fallback, API prefixes,
// traversal attempts, ETag revalidation — in-process and over a real socket.
#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/health.h"
#include "http/server.h"
#include "http/test_util.h"

namespace beian::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("beian-static-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_ / "dist" / "assets");
    Write("dist/index.html", "<!doctype html><title>app</title>");
    Write("dist/assets/app-3f2a.js", "console.log(1)");
    Write("dist/assets/app-3f2a.css", "body{}");
    Write("dist/favicon.svg", "<svg/>");
    Write("dist/.secret", "hidden");
    Write("outside.txt", "must not be served");
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& body) {
    std::ofstream(root_ / rel, std::ios::binary) << body;
  }
  Request Get(std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = "GET";
    r.target = std::move(target);
    r.headers = std::move(headers);
    EXPECT_TRUE(r.ParseTarget());
    return r;
  }
  std::shared_ptr<StaticFiles> Load() {
    auto sf = StaticFiles::Load(root_ / "dist");
    EXPECT_TRUE(sf.ok());
    return *sf;
  }
  fs::path root_;
};

TEST_F(StaticFilesTest, AssetsAreImmutableIndexIsNotCached) {
  auto sf = Load();
  EXPECT_EQ(sf->file_count(), 4u);  // the dotfile is skipped
  auto js = sf->Serve(Get("/assets/app-3f2a.js"));
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js->Header("Cache-Control"), "public, max-age=31536000, immutable");
  auto css = sf->Serve(Get("/assets/app-3f2a.css"));
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  auto index = sf->Serve(Get("/"));
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->body, "<!doctype html><title>app</title>");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index->Header("Cache-Control"), "no-cache");
  EXPECT_EQ(sf->Serve(Get("/favicon.svg"))->content_type, "image/svg+xml");
}

TEST_F(StaticFilesTest, UnknownPagesFallBackToIndex) {
  auto sf = Load();
  for (const char* page : {"/login", "/applications/42/edit", "/review?x=1"}) {
    auto r = sf->Serve(Get(page));
    ASSERT_TRUE(r.ok()) << page;
    EXPECT_EQ(r->body, "<!doctype html><title>app</title>") << page;
    EXPECT_EQ(r->Header("Cache-Control"), "no-cache");
  }
}

TEST_F(StaticFilesTest, ApiPrefixesAndMissingAssetsAre404) {
  auto sf = Load();
  for (const char* path : {"/api/v1/nothing", "/authority/v1/x", "/assets/gone.js", "/healthzz"}) {
    auto r = sf->Serve(Get(path));
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound) << path;
  }
}

TEST_F(StaticFilesTest, NoTraversal) {
  auto sf = Load();
  for (const char* path : {"/../outside.txt", "/assets/../../outside.txt", "/%2e%2e/outside.txt",
                           "/assets/%2e%2e/%2e%2e/outside.txt", "/..%2foutside.txt", "/.secret"}) {
    auto r = sf->Serve(Get(path));
    if (r.ok()) {
      EXPECT_EQ(r->body.find("must not be served"), std::string::npos) << path;
      EXPECT_EQ(r->body.find("hidden"), std::string::npos) << path;
    }
  }
}

TEST_F(StaticFilesTest, ETagRevalidation) {
  auto sf = Load();
  auto first = sf->Serve(Get("/"));
  std::string etag(first->Header("ETag"));
  ASSERT_FALSE(etag.empty());
  auto again = sf->Serve(Get("/", {{"If-None-Match", etag}}));
  EXPECT_EQ(again->status, 304u);
  EXPECT_TRUE(again->body.empty());
}

TEST_F(StaticFilesTest, MissingDirectoryOrIndexIsAnError) {
  EXPECT_FALSE(StaticFiles::Load(root_ / "nope").ok());
  fs::remove(root_ / "dist" / "index.html");
  EXPECT_FALSE(StaticFiles::Load(root_ / "dist").ok());
}

TEST_F(StaticFilesTest, OverTheWireWithSecurityHeaders) {
  Router router;
  AddHealthRoutes(router);
  router.SetFallback(Load()->AsHandler());
  Server server({.listen = "127.0.0.1:0", .access_log = false}, router);
  ASSERT_TRUE(server.Start().ok());
  testing::TestClient c(server.port());
  auto page = c.Request("GET", "/some/page");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200u);
  EXPECT_EQ(page->body, "<!doctype html><title>app</title>");
  EXPECT_EQ(page->Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->Header("Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(page->Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(page->Header("X-Content-Type-Options"), "nosniff");
  auto asset = c.Request("HEAD", "/assets/app-3f2a.js");
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->Header("Content-Length"), "14");
  auto api = c.Request("GET", "/api/v1/unknown");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 404u);
  EXPECT_EQ(api->Header("Content-Type"), "application/json");
  auto post = c.Request("POST", "/some/page");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404u);
  auto health = c.Request("GET", "/healthz");
  EXPECT_EQ(health->body, R"({"status":"ok"})");
  server.Shutdown();
  server.Wait();
}

}  // namespace
}  // namespace beian::http
