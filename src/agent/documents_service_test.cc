// DocumentsService on both backends with a real FileBlobStore and a stand-in for the
// applications: ownership (others get not_found), reviewer access, editable states, checks by
// content with nothing stored on refusal, file names kept as labels only.
#include "agent/documents_service.h"

#include <filesystem>
#include <map>

#include "blob/file_blob_store.h"
#include "blob/test_files.h"
#include "store/testing/backends.h"
#include "store/users.h"

namespace beian::agent {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;
namespace files = blob::testing;

class DocumentsServiceTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
    std::string tmpl = (fs::temp_directory_path() / "beian-docs-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto blobs = blob::FileBlobStore::Open(dir_ / "blobs");
    ASSERT_TRUE(blobs.ok());
    blobs_ = std::move(*blobs);
    owner_ = {User("owner@example.com", "applicant"), "applicant"};
    other_ = {User("other@example.com", "applicant"), "applicant"};
    reviewer_ = {User("reviewer@example.com", "reviewer"), "reviewer"};
    apps_["app-1"] = {owner_.user_id, "draft"};
    service_ = std::make_unique<DocumentsService>(
        db(), *blobs_, clock_,
        [this](store::Tx&,
               const std::string& id) -> core::Result<std::optional<ApplicationAccess>> {
          auto it = apps_.find(id);
          if (it == apps_.end()) return std::optional<ApplicationAccess>();
          return std::optional<ApplicationAccess>(it->second);
        });
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
    StoreTest::TearDown();
  }

  std::string User(const std::string& email, const std::string& role) {
    store::NewUser u;
    u.email = email;
    u.display_name = email;
    u.role = role;
    u.password_hash = "x";
    u.created_at_ms = 1;
    auto created = db().Write([&](store::Tx& tx) { return store::UserRepo(tx).Create(u); });
    EXPECT_TRUE(created.ok());
    return created.ok() ? created->id : "";
  }

  size_t StoredFiles() const {
    size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_ / "blobs")) n += e.is_regular_file();
    return n;
  }

  core::Result<store::DocumentRow> Upload(const DocumentActor& actor, const std::string& kind,
                                          const std::string& bytes,
                                          const std::string& name = "scan.png",
                                          const std::string& app = "app-1") {
    return service_->Upload(
        actor, app,
        {.kind = kind, .subject = "organizer.person_in_charge", .file_name = name, .bytes = bytes});
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::seconds(1'800'000'000))};
  fs::path dir_;
  std::unique_ptr<blob::FileBlobStore> blobs_;
  std::map<std::string, ApplicationAccess> apps_;
  std::unique_ptr<DocumentsService> service_;
  DocumentActor owner_, other_, reviewer_;
};

TEST_P(DocumentsServiceTest, OwnerUploadsListsDownloadsAndDeletes) {
  const std::string png = files::Png(400, 300);
  auto up = Upload(owner_, "id_front", png, "../../etc/身份证\n.png");
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(up->content_type, "image/png");
  EXPECT_EQ(up->size, static_cast<int64_t>(png.size()));
  EXPECT_EQ(up->width, 400);
  EXPECT_EQ(up->original_name, "身份证.png");
  EXPECT_EQ(up->uploader_id, owner_.user_id);
  EXPECT_EQ(up->created_at_ms, 1'800'000'000'000);
  EXPECT_TRUE(fs::is_regular_file(blobs_->PathOf(up->sha256)));

  auto list = service_->List(owner_, "app-1");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  auto content = service_->Download(owner_, "app-1", up->id);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(content->bytes, png);
  auto satisfied = db().Read([&](store::Tx& tx) { return SatisfiedDocuments(tx, "app-1"); });
  ASSERT_TRUE(satisfied.ok());
  EXPECT_TRUE(satisfied->contains({"id_front", "organizer.person_in_charge"}));

  ASSERT_TRUE(service_->Delete(owner_, "app-1", up->id).ok());
  EXPECT_TRUE(service_->List(owner_, "app-1")->empty());
  auto again = service_->Delete(owner_, "app-1", up->id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_P(DocumentsServiceTest, OthersGetNotFoundReviewersMayRead) {
  auto up = Upload(owner_, "organizer_certificate", files::Pdf(), "licence.pdf");
  ASSERT_TRUE(up.ok()) << up.error().message;
  for (auto code : {Upload(other_, "id_front", files::Png(400, 300)).error().code,
                    service_->List(other_, "app-1").error().code,
                    service_->Download(other_, "app-1", up->id).error().code,
                    service_->Delete(other_, "app-1", up->id).error().code,
                    Upload(reviewer_, "id_front", files::Png(400, 300)).error().code,
                    service_->Delete(reviewer_, "app-1", up->id).error().code,
                    service_->List(owner_, "no-such-app").error().code,
                    service_->Download(owner_, "app-1", "no-such-doc").error().code}) {
    EXPECT_EQ(code, ErrorCode::kNotFound);
  }
  auto seen = service_->Download(reviewer_, "app-1", up->id);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->row.content_type, "application/pdf");
  EXPECT_EQ(service_->List(reviewer_, "app-1")->size(), 1u);
}

TEST_P(DocumentsServiceTest, OnlyEditableStatesChangeDocuments) {
  auto up = Upload(owner_, "id_front", files::Png(400, 300));
  ASSERT_TRUE(up.ok());
  apps_["app-1"].state = "preliminary_review";
  auto late = Upload(owner_, "id_back", files::Png(400, 300));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kInvalidTransition);
  auto del = service_->Delete(owner_, "app-1", up->id);
  ASSERT_FALSE(del.ok());
  EXPECT_EQ(del.error().code, ErrorCode::kInvalidTransition);
  apps_["app-1"].state = "verification";
  EXPECT_TRUE(Upload(owner_, "verified_photo", files::Jpeg(1200, 900)).ok());
  EXPECT_FALSE(Upload(owner_, "id_back", files::Png(400, 300)).ok());
  // While the backdrop is shipped a new verified photo replaces the earlier one.
  apps_["app-1"].state = "backdrop_shipped";
  auto second = Upload(owner_, "verified_photo", files::Jpeg(1300, 1000));
  ASSERT_TRUE(second.ok());
  auto listed = service_->List(owner_, "app-1");
  ASSERT_TRUE(listed.ok());
  size_t photos = 0;
  for (const auto& d : *listed) photos += d.kind == "verified_photo";
  EXPECT_EQ(photos, 1u);
  EXPECT_FALSE(Upload(owner_, "id_back", files::Png(400, 300)).ok());
  apps_["app-1"].state = "returned";
  EXPECT_TRUE(service_->Delete(owner_, "app-1", up->id).ok());
}

TEST_P(DocumentsServiceTest, RefusedFilesLeaveNothingOnDisk) {
  const std::pair<std::string, ErrorCode> cases[] = {
      {files::Elf(), ErrorCode::kUnsupportedFileType},
      {files::Pdf(), ErrorCode::kPhotoMustBeImage},
      {files::Png(10, 10, 30000, 30000), ErrorCode::kImageTooLarge},
  };
  for (const auto& [bytes, code] : cases) {
    auto r = Upload(owner_, "verified_photo", bytes, "photo.jpg");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, code);
  }
  auto bad_kind = Upload(owner_, "selfie", files::Png(400, 300));
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_EQ(bad_kind.error().code, ErrorCode::kValidationFailed);
  auto bad_subject = service_->Upload(
      owner_, "app-1",
      {.kind = "id_front", .subject = "../x", .file_name = "a.png", .bytes = files::Png(400, 300)});
  ASSERT_FALSE(bad_subject.ok());
  EXPECT_EQ(bad_subject.error().details[0].field, "subject");
  EXPECT_EQ(StoredFiles(), 0u);
  EXPECT_TRUE(service_->List(owner_, "app-1")->empty());
}

BEIAN_INSTANTIATE_STORE_SUITE(DocumentsServiceTest);

}  // namespace
}  // namespace beian::agent
