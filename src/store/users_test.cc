// Contract tests of UserRepo on both backends.
#include "store/users.h"

#include "store/testing/backends.h"

namespace beian::store {
namespace {

using core::ErrorCode;
using core::Result;

class UsersTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
  }

  NewUser Applicant(std::string email, int64_t created_at_ms = 1'700'000'000'000) {
    NewUser u;
    u.email = std::move(email);
    u.phone = "13800000000";
    u.display_name = "张三";
    u.role = "applicant";
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$salt$hash";
    u.created_at_ms = created_at_ms;
    return u;
  }

  Result<User> Create(const NewUser& u) {
    return db().Write([&](Tx& tx) { return UserRepo(tx).Create(u); });
  }
};

TEST_P(UsersTest, CreateThenFindByEmailAndId) {
  auto created = Create(Applicant("Alice@Example.COM"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->email, "alice@example.com");
  EXPECT_EQ(created->id.size(), 32u);
  EXPECT_EQ(created->locale, "zh-CN");

  auto by_email = db().Read([&](Tx& tx) { return UserRepo(tx).FindByEmail("ALICE@example.com"); });
  ASSERT_TRUE(by_email.ok()) << by_email.error().message;
  ASSERT_TRUE(by_email->has_value());
  const User& u = **by_email;
  EXPECT_EQ(u.id, created->id);
  EXPECT_EQ(u.display_name, "张三");
  EXPECT_EQ(u.phone, "13800000000");
  EXPECT_EQ(u.role, "applicant");
  EXPECT_EQ(u.password_hash, created->password_hash);
  EXPECT_EQ(u.created_at_ms, 1'700'000'000'000);

  auto by_id = db().Read([&](Tx& tx) { return UserRepo(tx).FindById(created->id); });
  ASSERT_TRUE(by_id.ok());
  ASSERT_TRUE(by_id->has_value());
  EXPECT_EQ((*by_id)->email, "alice@example.com");
}

TEST_P(UsersTest, MissingUserIsNulloptNotError) {
  auto r = db().Read([&](Tx& tx) { return UserRepo(tx).FindByEmail("nobody@example.com"); });
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  auto r2 = db().Read([&](Tx& tx) { return UserRepo(tx).FindById("0123"); });
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE(r2->has_value());
}

TEST_P(UsersTest, DuplicateEmailIsEmailTakenWhateverTheCase) {
  ASSERT_TRUE(Create(Applicant("bob@example.com")).ok());
  auto dup = Create(Applicant("BOB@example.com"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kEmailTaken);
  ASSERT_EQ(dup.error().details.size(), 1u);
  EXPECT_EQ(dup.error().details[0].field, "email");
  auto count = db().Read([&](Tx& tx) { return UserRepo(tx).Count(); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
}

TEST_P(UsersTest, DuplicateIdIsConflictNamingThePrimaryKey) {
  NewUser a = Applicant("a@example.com");
  a.id = "00000000000000000000000000000001";
  ASSERT_TRUE(Create(a).ok());
  NewUser b = Applicant("b@example.com");
  b.id = a.id;
  auto dup = Create(b);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(ViolatedConstraint(dup.error()), "users.id");
}

TEST_P(UsersTest, UnknownRoleOrLocaleIsRefused) {
  NewUser u = Applicant("c@example.com");
  u.role = "root";
  auto r = Create(u);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  u.role = "authority_reviewer";
  u.locale = "fr";
  r = Create(u);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  u.locale = "en";
  r = Create(u);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->role, "authority_reviewer");
  EXPECT_EQ(r->locale, "en");
}

TEST_P(UsersTest, ListPagesInCreationOrderWithCursor) {
  // Two users share a timestamp so that the id tie-break of the cursor is exercised.
  const int64_t times[] = {30, 10, 20, 20, 40};
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Create(Applicant("u" + std::to_string(i) + "@example.com", times[i])).ok());
  }
  std::vector<int64_t> seen;
  std::vector<std::string> ids;
  std::string cursor;
  int pages = 0;
  do {
    auto page = db().Read([&](Tx& tx) { return UserRepo(tx).List(2, cursor); });
    ASSERT_TRUE(page.ok()) << page.error().message;
    for (const auto& u : page->users) {
      seen.push_back(u.created_at_ms);
      ids.push_back(u.id);
    }
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<int64_t>{10, 20, 20, 30, 40}));
  EXPECT_LT(ids[1], ids[2]);  // same created_at: ordered by id
  auto count = db().Read([&](Tx& tx) { return UserRepo(tx).Count(); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 5);
}

TEST_P(UsersTest, ListRejectsBadCursorAndLimit) {
  auto r = db().Read([&](Tx& tx) { return UserRepo(tx).List(10, "garbage"); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  r = db().Read([&](Tx& tx) { return UserRepo(tx).List(0, ""); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
}

BEIAN_INSTANTIATE_STORE_SUITE(UsersTest);

}  // namespace
}  // namespace beian::store
