// Contract tests of DocumentRepo on both backends.
#include "store/documents.h"

#include "store/testing/backends.h"
#include "store/users.h"

namespace beian::store {
namespace {

class DocumentsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
    NewUser u;
    u.email = "a@example.com";
    u.display_name = "a";
    u.role = "applicant";
    u.password_hash = "x";
    u.created_at_ms = 1;
    auto created = db().Write([&](Tx& tx) { return UserRepo(tx).Create(u); });
    ASSERT_TRUE(created.ok());
    user_ = created->id;
  }

  DocumentRow Doc(std::string id, std::string app, std::string kind, std::string subject,
                  int64_t at) {
    return {.id = std::move(id),
            .application_id = std::move(app),
            .kind = std::move(kind),
            .subject = std::move(subject),
            .size = 1234,
            .content_type = "image/png",
            .sha256 = std::string(64, 'a'),
            .original_name = "身份证.png",
            .width = 800,
            .height = std::nullopt,
            .uploader_id = user_,
            .created_at_ms = at};
  }

  std::string user_;
};

TEST_P(DocumentsTest, InsertFindListDeleteAndKinds) {
  ASSERT_TRUE(
      db().Write([&](Tx& tx) -> core::Status {
            DocumentRepo repo(tx);
            BEIAN_TRY(repo.Insert(Doc("d2", "app1", "id_back", "organizer.person_in_charge", 2)));
            BEIAN_TRY(repo.Insert(Doc("d1", "app1", "id_front", "organizer.person_in_charge", 1)));
            BEIAN_TRY(repo.Insert(Doc("d3", "app1", "id_front", "organizer.person_in_charge", 3)));
            BEIAN_TRY(repo.Insert(Doc("d4", "app2", "organizer_certificate", "organizer", 1)));
            return core::Ok();
          })
          .ok());
  auto found = db().Read([&](Tx& tx) { return DocumentRepo(tx).Find("app1", "d1"); });
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->kind, "id_front");
  EXPECT_EQ((*found)->original_name, "身份证.png");
  EXPECT_EQ((*found)->width, 800);
  EXPECT_FALSE((*found)->height.has_value());
  EXPECT_EQ((*found)->uploader_id, user_);
  // Another application's document is not found through this one.
  auto other = db().Read([&](Tx& tx) { return DocumentRepo(tx).Find("app1", "d4"); });
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());

  auto list = db().Read([&](Tx& tx) { return DocumentRepo(tx).List("app1"); });
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, "d1");
  EXPECT_EQ((*list)[2].id, "d3");

  auto kinds = db().Read([&](Tx& tx) { return DocumentRepo(tx).KindsAndSubjects("app1"); });
  ASSERT_TRUE(kinds.ok());
  EXPECT_EQ(*kinds, (std::set<std::pair<std::string, std::string>>{
                        {"id_back", "organizer.person_in_charge"},
                        {"id_front", "organizer.person_in_charge"}}));

  auto wrong = db().Write([&](Tx& tx) { return DocumentRepo(tx).Delete("app2", "d1"); });
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(*wrong);
  auto deleted = db().Write([&](Tx& tx) { return DocumentRepo(tx).Delete("app1", "d1"); });
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(*deleted);
  list = db().Read([&](Tx& tx) { return DocumentRepo(tx).List("app1"); });
  EXPECT_EQ(list->size(), 2u);
}

BEIAN_INSTANTIATE_STORE_SUITE(DocumentsTest);

}  // namespace
}  // namespace beian::store
