// Contract tests of PublicRegistryRepo (the agent's copy of the public registry) on both
// backends.
#include "store/public_registry.h"

#include "store/testing/backends.h"

namespace beian::store {
namespace {

PublicFilingRow Row(std::string domain, std::string website_sn, int64_t seq) {
  PublicFilingRow r;
  r.domain = std::move(domain);
  r.website_sn = std::move(website_sn);
  r.subject_sn = "京ICP备2026000001号";
  r.organizer_name = "张*";
  r.organizer_type = "individual";
  r.website_name = "张的博客";
  r.approved_at = "2026-12-06T10:00:00Z";
  r.seq = seq;
  return r;
}

class PublicRegistryTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
  }

  std::optional<PublicFilingRow> Find(const std::string& domain) {
    auto r = db().Read([&](Tx& tx) { return PublicRegistryRepo(tx).FindByDomain(domain); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::nullopt;
  }

  void Replace(const std::string& sn, const std::vector<PublicFilingRow>& rows) {
    auto s = db().Write([&](Tx& tx) { return PublicRegistryRepo(tx).ReplaceWebsite(sn, rows); });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
};

TEST_P(PublicRegistryTest, CursorStartsAtZeroAndMoves) {
  auto c = db().Read([](Tx& tx) { return PublicRegistryRepo(tx).Cursor(); });
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->last_seq, 0);
  EXPECT_EQ(c->updated_at_ms, 0);
  ASSERT_TRUE(db().Write([](Tx& tx) { return PublicRegistryRepo(tx).SetCursor(42, 1234); }).ok());
  c = db().Read([](Tx& tx) { return PublicRegistryRepo(tx).Cursor(); });
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->last_seq, 42);
  EXPECT_EQ(c->updated_at_ms, 1234);
}

TEST_P(PublicRegistryTest, ReplaceWritesFindsAndRemoves) {
  const std::string sn = "京ICP备2026000001号-1";
  Replace(sn, {Row("example.cn", sn, 1), Row("xn--fiqs8s.xn--fiqs8s", sn, 1)});
  auto found = Find("example.cn");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->website_sn, sn);
  EXPECT_EQ(found->organizer_name, "张*");
  EXPECT_EQ(found->website_name, "张的博客");
  EXPECT_EQ(found->approved_at, "2026-12-06T10:00:00Z");
  EXPECT_EQ(found->seq, 1);
  EXPECT_TRUE(Find("xn--fiqs8s.xn--fiqs8s"));
  EXPECT_FALSE(Find("other.cn"));

  // A later change names only one domain: the other is no longer filed.
  Replace(sn, {Row("example.cn", sn, 2)});
  EXPECT_EQ(Find("example.cn")->seq, 2);
  EXPECT_FALSE(Find("xn--fiqs8s.xn--fiqs8s"));
  auto count = db().Read([](Tx& tx) { return PublicRegistryRepo(tx).CountDomains(); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);

  // Cancelled: no rows.
  Replace(sn, {});
  EXPECT_FALSE(Find("example.cn"));
}

TEST_P(PublicRegistryTest, DomainMovedToAnotherWebsiteTakesTheNewOne) {
  Replace("京ICP备2026000001号-1", {Row("example.cn", "京ICP备2026000001号-1", 1)});
  Replace("京ICP备2026000002号-1", {Row("example.cn", "京ICP备2026000002号-1", 2)});
  auto found = Find("example.cn");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->website_sn, "京ICP备2026000002号-1");
  EXPECT_EQ(found->seq, 2);
}

TEST_P(PublicRegistryTest, PageAndCursorCommitTogether) {
  // A failure after the rows are written rolls the cursor and the rows back together.
  auto s = db().Write([](Tx& tx) -> core::Status {
    PublicRegistryRepo repo(tx);
    BEIAN_TRY(repo.ReplaceWebsite("京ICP备2026000001号-1",
                                  {Row("example.cn", "京ICP备2026000001号-1", 7)}));
    BEIAN_TRY(repo.SetCursor(7, 1));
    return core::Error(core::ErrorCode::kInternal, "killed");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(Find("example.cn"));
  auto c = db().Read([](Tx& tx) { return PublicRegistryRepo(tx).Cursor(); });
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->last_seq, 0);
}

BEIAN_INSTANTIATE_STORE_SUITE(PublicRegistryTest);

}  // namespace
}  // namespace beian::store
