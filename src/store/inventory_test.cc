// Contract tests of InventoryRepo on both backends.
#include "store/inventory.h"

#include "store/testing/backends.h"
#include "store/users.h"

namespace beian::store {
namespace {

using core::ErrorCode;

class InventoryTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
    alice_ = MakeUser("alice@example.com");
    bob_ = MakeUser("bob@example.com");
  }

  std::string MakeUser(const std::string& email) {
    NewUser u;
    u.email = email;
    u.display_name = email;
    u.role = "applicant";
    u.password_hash = "x";
    u.created_at_ms = 1;
    auto created = db().Write([&](Tx& tx) { return UserRepo(tx).Create(u); });
    EXPECT_TRUE(created.ok());
    return created.ok() ? created->id : "";
  }

  InstanceRow Instance(std::string id, const std::string& owner, int64_t at) {
    return {.id = std::move(id),
            .owner_id = owner,
            .product = "ecs",
            .region = "cn-hangzhou",
            .mainland = true,
            .public_ip = "47.96.1.2",
            .billing = "subscription",
            .expires_at = "2027-12-31",
            .service_codes_total = 5,
            .service_codes_used = 1,
            .created_at_ms = at};
  }

  DomainRow Domain(std::string name, const std::string& owner, int64_t at) {
    return {.name = name,
            .unicode_name = name,
            .owner_id = owner,
            .holder_name = "杭州示例科技有限公司",
            .real_name_verified = true,
            .registrar = "阿里云",
            .expires_at = std::nullopt,
            .created_at_ms = at};
  }

  std::string alice_, bob_;
};

TEST_P(InventoryTest, CreatedInstanceReadsBackWithEveryField) {
  InstanceRow in = Instance("i-1", alice_, 10);
  in.public_ip = std::nullopt;
  ASSERT_TRUE(db().Write([&](Tx& tx) { return InventoryRepo(tx).CreateInstance(in); }).ok());
  auto all = db().Read([&](Tx& tx) { return InventoryRepo(tx).AllInstances(alice_); });
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 1u);
  const InstanceRow& r = (*all)[0];
  EXPECT_EQ(r.id, "i-1");
  EXPECT_EQ(r.owner_id, alice_);
  EXPECT_EQ(r.product, "ecs");
  EXPECT_EQ(r.region, "cn-hangzhou");
  EXPECT_TRUE(r.mainland);
  EXPECT_FALSE(r.public_ip.has_value());
  EXPECT_EQ(r.billing, "subscription");
  EXPECT_EQ(r.expires_at, "2027-12-31");
  EXPECT_EQ(r.service_codes_total, 5);
  EXPECT_EQ(r.service_codes_used, 1);
  EXPECT_EQ(r.created_at_ms, 10);
  auto none = db().Read([&](Tx& tx) { return InventoryRepo(tx).AllInstances(bob_); });
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(InventoryTest, FindByKeyAnswersOnlyTheOwnersRow) {
  ASSERT_TRUE(db().Write([&](Tx& tx) -> core::Status {
                    InventoryRepo repo(tx);
                    BEIAN_TRY(repo.CreateInstance(Instance("i-1", alice_, 1)));
                    BEIAN_TRY(repo.CreateInstance(Instance("i-2", bob_, 2)));
                    BEIAN_TRY(repo.CreateDomain(Domain("example.com", alice_, 3)));
                    return repo.CreateDomain(Domain("example.cn", bob_, 4));
                  })
                  .ok());
  auto found = db().Read([&](Tx& tx) -> core::Result<std::pair<bool, bool>> {
    InventoryRepo repo(tx);
    BEIAN_ASSIGN_OR_RETURN(auto instance, repo.FindInstance(alice_, "i-1"));
    BEIAN_ASSIGN_OR_RETURN(auto domain, repo.FindDomain(alice_, "example.com"));
    EXPECT_EQ(instance->service_codes_used, 1);
    EXPECT_EQ(domain->holder_name, "杭州示例科技有限公司");
    return std::pair{instance.has_value(), domain.has_value()};
  });
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_TRUE(found->first);
  EXPECT_TRUE(found->second);
  // Bob's rows and unknown keys are not Alice's.
  auto absent = db().Read([&](Tx& tx) -> core::Result<int> {
    InventoryRepo repo(tx);
    int present = 0;
    BEIAN_ASSIGN_OR_RETURN(auto a, repo.FindInstance(alice_, "i-2"));
    BEIAN_ASSIGN_OR_RETURN(auto b, repo.FindInstance(alice_, "i-9"));
    BEIAN_ASSIGN_OR_RETURN(auto c, repo.FindDomain(alice_, "example.cn"));
    BEIAN_ASSIGN_OR_RETURN(auto d, repo.FindDomain(bob_, "example.com"));
    present = a.has_value() + b.has_value() + c.has_value() + d.has_value();
    return present;
  });
  ASSERT_TRUE(absent.ok()) << absent.error().message;
  EXPECT_EQ(*absent, 0);
}

TEST_P(InventoryTest, SecondCreateOfTheSameKeyIsConflict) {
  ASSERT_TRUE(db().Write([&](Tx& tx) {
                    return InventoryRepo(tx).CreateInstance(Instance("i-1", alice_, 1));
                  })
                  .ok());
  auto again = db().Write(
      [&](Tx& tx) { return InventoryRepo(tx).CreateInstance(Instance("i-1", bob_, 2)); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  ASSERT_EQ(again.error().details.size(), 1u);
  EXPECT_EQ(again.error().details[0].code, "already_exists");

  ASSERT_TRUE(db().Write([&](Tx& tx) {
                    return InventoryRepo(tx).CreateDomain(Domain("example.com", alice_, 1));
                  })
                  .ok());
  auto dup = db().Write(
      [&](Tx& tx) { return InventoryRepo(tx).CreateDomain(Domain("example.com", bob_, 2)); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().details[0].field, "name");
}

TEST_P(InventoryTest, UpsertUpdatesOwnRowsKeepsUsedCodesAndRefusesOthers) {
  ASSERT_TRUE(db().Write([&](Tx& tx) {
                    return InventoryRepo(tx).CreateInstance(Instance("i-1", alice_, 1));
                  })
                  .ok());
  InstanceRow changed = Instance("i-1", alice_, 99);
  changed.region = "cn-beijing";
  changed.service_codes_total = 7;
  ASSERT_TRUE(
      db().Write([&](Tx& tx) { return InventoryRepo(tx).UpsertInstance(changed, std::nullopt); })
          .ok());
  auto all = db().Read([&](Tx& tx) { return InventoryRepo(tx).AllInstances(alice_); });
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].region, "cn-beijing");
  EXPECT_EQ((*all)[0].service_codes_total, 7);
  EXPECT_EQ((*all)[0].service_codes_used, 1);  // kept
  EXPECT_EQ((*all)[0].created_at_ms, 1);       // kept

  ASSERT_TRUE(
      db().Write([&](Tx& tx) { return InventoryRepo(tx).UpsertInstance(changed, 3); }).ok());
  all = db().Read([&](Tx& tx) { return InventoryRepo(tx).AllInstances(alice_); });
  EXPECT_EQ((*all)[0].service_codes_used, 3);

  auto theirs = db().Write([&](Tx& tx) {
    return InventoryRepo(tx).UpsertInstance(Instance("i-1", bob_, 5), std::nullopt);
  });
  ASSERT_FALSE(theirs.ok());
  EXPECT_EQ(theirs.error().code, ErrorCode::kConflict);
  EXPECT_EQ(theirs.error().details[0].code, "owned_by_another_account");

  ASSERT_TRUE(db().Write([&](Tx& tx) {
                    return InventoryRepo(tx).UpsertDomain(Domain("example.com", alice_, 1));
                  })
                  .ok());
  DomainRow d = Domain("example.com", alice_, 2);
  d.holder_name = "新的持有人";
  ASSERT_TRUE(db().Write([&](Tx& tx) { return InventoryRepo(tx).UpsertDomain(d); }).ok());
  auto domains = db().Read([&](Tx& tx) { return InventoryRepo(tx).AllDomains(alice_); });
  ASSERT_TRUE(domains.ok());
  ASSERT_EQ(domains->size(), 1u);
  EXPECT_EQ((*domains)[0].holder_name, "新的持有人");
  auto other = db().Write(
      [&](Tx& tx) { return InventoryRepo(tx).UpsertDomain(Domain("example.com", bob_, 3)); });
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().details[0].code, "owned_by_another_account");
}

TEST_P(InventoryTest, ListPagesThroughTheOwnersRowsOnly) {
  ASSERT_TRUE(
      db().Write([&](Tx& tx) -> core::Status {
            InventoryRepo repo(tx);
            for (int i = 0; i < 5; ++i) {
              BEIAN_TRY(
                  repo.CreateDomain(Domain("d" + std::to_string(i) + ".example.com", alice_, 100)));
              BEIAN_TRY(repo.CreateInstance(Instance("i-" + std::to_string(i), alice_, 100 + i)));
            }
            BEIAN_TRY(repo.CreateDomain(Domain("bob.example.com", bob_, 50)));
            return core::Ok();
          })
          .ok());
  std::vector<std::string> names;
  std::string cursor;
  int pages = 0;
  do {
    auto page = db().Read([&](Tx& tx) { return InventoryRepo(tx).ListDomains(alice_, 2, cursor); });
    ASSERT_TRUE(page.ok()) << page.error().message;
    for (const auto& d : page->items) names.push_back(d.name);
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names, (std::vector<std::string>{"d0.example.com", "d1.example.com", "d2.example.com",
                                             "d3.example.com", "d4.example.com"}));

  auto instances =
      db().Read([&](Tx& tx) { return InventoryRepo(tx).ListInstances(alice_, 3, ""); });
  ASSERT_TRUE(instances.ok());
  ASSERT_EQ(instances->items.size(), 3u);
  EXPECT_EQ(instances->next_cursor, "102.i-2");
  auto rest = db().Read(
      [&](Tx& tx) { return InventoryRepo(tx).ListInstances(alice_, 3, instances->next_cursor); });
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->items.size(), 2u);
  EXPECT_EQ(rest->items[0].id, "i-3");
  EXPECT_TRUE(rest->next_cursor.empty());

  for (std::string bad : {"x", ".a", "12", "a.b"}) {
    auto r = db().Read([&](Tx& tx) { return InventoryRepo(tx).ListDomains(alice_, 2, bad); });
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed) << bad;
  }
  auto zero = db().Read([&](Tx& tx) { return InventoryRepo(tx).ListDomains(alice_, 0, ""); });
  EXPECT_FALSE(zero.ok());
}

BEIAN_INSTANTIATE_STORE_SUITE(InventoryTest);

}  // namespace
}  // namespace beian::store
