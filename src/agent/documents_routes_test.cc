// The document routes through a real Router: multipart decoding, 201 with the document JSON,
// the download as an attachment with nosniff, 404 for another applicant, 422 codes, roles.
#include "agent/documents_routes.h"

#include <boost/json.hpp>
#include <filesystem>
#include <map>

#include "blob/file_blob_store.h"
#include "blob/test_files.h"
#include "store/testing/backends.h"
#include "store/users.h"

namespace beian::agent {
namespace {

namespace fs = std::filesystem;
namespace files = blob::testing;

class DocumentRoutesTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
    std::string tmpl = (fs::temp_directory_path() / "beian-docr-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    blobs_ = std::move(*blob::FileBlobStore::Open(dir_ / "blobs"));
    for (auto [email, role] :
         {std::pair{"owner@example.com", "applicant"}, std::pair{"other@example.com", "applicant"},
          std::pair{"rev@example.com", "reviewer"}}) {
      store::NewUser u;
      u.email = email;
      u.display_name = email;
      u.role = role;
      u.password_hash = "x";
      auto created = db().Write([&](store::Tx& tx) { return store::UserRepo(tx).Create(u); });
      ASSERT_TRUE(created.ok());
      users_[role == std::string("reviewer") ? "rev" : std::string(email).substr(0, 5)] = {
          created->id, role};
    }
    service_ = std::make_unique<DocumentsService>(
        db(), *blobs_, clock_,
        [this](store::Tx&,
               const std::string& id) -> core::Result<std::optional<ApplicationAccess>> {
          if (id != "app-1") return std::optional<ApplicationAccess>();
          return std::optional<ApplicationAccess>(
              ApplicationAccess{users_["owner"].first, "draft"});
        });
    router_.SetAuthenticator(
        [this](const http::Request& req) -> core::Result<std::optional<http::Principal>> {
          auto who = req.Cookie("who");
          if (!who || !users_.contains(std::string(*who))) return std::optional<http::Principal>();
          http::Principal p;
          p.user_id = users_[std::string(*who)].first;
          p.role = users_[std::string(*who)].second;
          p.csrf_token = "t";
          return std::optional<http::Principal>(p);
        });
    RegisterDocumentRoutes(router_, *service_, "/api/v1", 1 << 20);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
    StoreTest::TearDown();
  }

  http::Response Send(const std::string& who, const std::string& method, const std::string& target,
                      std::string body = "", std::string content_type = "") {
    http::Request req;
    req.method = method;
    req.target = target;
    EXPECT_TRUE(req.ParseTarget());
    req.headers = {{"Host", "127.0.0.1"}, {"Cookie", "who=" + who}, {"X-CSRF-Token", "t"}};
    if (!content_type.empty()) req.headers.push_back({"Content-Type", content_type});
    req.body = std::move(body);
    return router_.Handle(req);
  }

  static std::string Form(const std::string& kind, const std::string& file_name,
                          const std::string& bytes) {
    std::string b = "--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n" + kind +
                    "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\n"
                    "organizer.person_in_charge\r\n--XyZ\r\nContent-Disposition: form-data; "
                    "name=\"file\"; filename=\"" +
                    file_name + "\"\r\nContent-Type: image/jpeg\r\n\r\n" + bytes +
                    "\r\n--XyZ--\r\n";
    return b;
  }
  static constexpr char kForm[] = "multipart/form-data; boundary=XyZ";

  static std::string Code(const http::Response& r) {
    return std::string(boost::json::parse(r.body).at("error").at("code").as_string());
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::seconds(1'800'000'000))};
  fs::path dir_;
  std::unique_ptr<blob::FileBlobStore> blobs_;
  std::map<std::string, std::pair<std::string, std::string>> users_;
  std::unique_ptr<DocumentsService> service_;
  http::Router router_;
};

TEST_P(DocumentRoutesTest, UploadListDownloadDelete) {
  const std::string png = files::Png(400, 300);
  auto up = Send("owner", "POST", "/api/v1/applications/app-1/documents",
                 Form("id_front", "../我的\x01身份证.png", png), kForm);
  ASSERT_EQ(up.status, 201u) << up.body;
  auto doc = boost::json::parse(up.body).as_object();
  EXPECT_EQ(doc.at("content_type").as_string(), "image/png");
  EXPECT_EQ(doc.at("file_name").as_string(), "我的身份证.png");
  EXPECT_EQ(doc.at("width").as_int64(), 400);
  const std::string id(doc.at("id").as_string());

  auto list = Send("rev", "GET", "/api/v1/applications/app-1/documents");
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(boost::json::parse(list.body).at("items").as_array().size(), 1u);

  auto get = Send("owner", "GET", "/api/v1/applications/app-1/documents/" + id);
  ASSERT_EQ(get.status, 200u);
  EXPECT_EQ(get.body, png);
  EXPECT_EQ(get.content_type, "image/png");
  EXPECT_EQ(get.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(get.Header("Content-Disposition"),
            "attachment; filename=\"id_front.png\"; "
            "filename*=UTF-8''%E6%88%91%E7%9A%84%E8%BA%AB%E4%BB%BD%E8%AF%81.png");

  EXPECT_EQ(Send("other", "GET", "/api/v1/applications/app-1/documents/" + id).status, 404u);
  EXPECT_EQ(Send("other", "GET", "/api/v1/applications/app-1/documents").status, 404u);
  EXPECT_EQ(Send("other", "DELETE", "/api/v1/applications/app-1/documents/" + id).status, 404u);
  EXPECT_EQ(Send("rev", "DELETE", "/api/v1/applications/app-1/documents/" + id).status, 403u);
  EXPECT_EQ(Send("owner", "DELETE", "/api/v1/applications/app-1/documents/" + id).status, 204u);
  EXPECT_EQ(Send("owner", "GET", "/api/v1/applications/app-1/documents/" + id).status, 404u);
}

TEST_P(DocumentRoutesTest, BadUploadsAreNamed) {
  auto exe = Send("owner", "POST", "/api/v1/applications/app-1/documents",
                  Form("verified_photo", "photo.jpg", files::Elf()), kForm);
  EXPECT_EQ(exe.status, 422u);
  EXPECT_EQ(Code(exe), "unsupported_file_type");
  auto pdf = Send("owner", "POST", "/api/v1/applications/app-1/documents",
                  Form("verified_photo", "photo.pdf", files::Pdf()), kForm);
  EXPECT_EQ(pdf.status, 422u);
  EXPECT_EQ(Code(pdf), "photo_must_be_image");
  auto bomb = Send("owner", "POST", "/api/v1/applications/app-1/documents",
                   Form("id_front", "bomb.png", files::Png(10, 10, 30000, 30000)), kForm);
  EXPECT_EQ(bomb.status, 422u);
  EXPECT_EQ(Code(bomb), "image_too_large");
  auto json =
      Send("owner", "POST", "/api/v1/applications/app-1/documents", "{}", "application/json");
  EXPECT_EQ(json.status, 415u);
  std::string no_file =
      "--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nid_front\r\n--XyZ--\r\n";
  auto missing = Send("owner", "POST", "/api/v1/applications/app-1/documents", no_file, kForm);
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(Code(missing), "validation_failed");
  auto other = Send("other", "POST", "/api/v1/applications/app-1/documents",
                    Form("id_front", "a.png", files::Png(400, 300)), kForm);
  EXPECT_EQ(other.status, 404u);
  auto rev = Send("rev", "POST", "/api/v1/applications/app-1/documents",
                  Form("id_front", "a.png", files::Png(400, 300)), kForm);
  EXPECT_EQ(rev.status, 403u);
  size_t stored = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "blobs"))
    stored += e.is_regular_file();
  EXPECT_EQ(stored, 0u);
}

TEST_P(DocumentRoutesTest, UploadRouteDeclaresItsBodyLimit) {
  http::Request req;
  req.method = "POST";
  req.target = "/api/v1/applications/app-1/documents";
  ASSERT_TRUE(req.ParseTarget());
  ASSERT_TRUE(router_.BodyLimitFor(req).has_value());
  EXPECT_EQ(*router_.BodyLimitFor(req), (1u << 20) + 64u * 1024u);
}

BEIAN_INSTANTIATE_STORE_SUITE(DocumentRoutesTest);

}  // namespace
}  // namespace beian::agent
