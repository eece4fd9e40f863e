// The sync at scale (issue 11 item 2) on both backends: far behind it asks for big pages, a
// page cut short by the feed's byte bound does not end the run while the head is ahead, the
// readiness says "not caught up" with the distance until a run has reached the head once (and
// stays ready through later failures, and — per the mark file — in a later process while the
// authority is unreachable), and the page parser refuses a head behind the page.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "agent/registry_sync.h"
#include "core/time_text.h"
#include "store/public_registry.h"
#include "store/testing/backends.h"

namespace beian::agent {
namespace {

namespace json = boost::json;

json::object Change(int64_t seq) {
  const std::string sn = "京ICP备2026" + std::to_string(100000 + seq) + "号-1";
  json::array domains{json::value("site" + std::to_string(seq) + ".cn")};
  return {{"seq", seq},
          {"website_sn", sn},
          {"record", json::object{{"website_sn", sn},
                                  {"subject_sn", sn.substr(0, sn.find('-'))},
                                  {"organizer_name", "张*"},
                                  {"organizer_type", "individual"},
                                  {"website_name", "博客"},
                                  {"domains", std::move(domains)},
                                  {"status", "active"},
                                  {"approved_at", "2026-12-06T10:00:00Z"}}},
          {"changed_at", "2026-12-06T10:00:00Z"}};
}

// A feed of `head` changes (seq 1..head) that reports its head and cuts every page at
// `max_page` changes whatever the limit (as the authority's byte bound does).
struct HeadFeed {
  int64_t head = 0;
  size_t max_page = 1u << 30;
  bool fail = false;
  std::vector<int> limits;  // the limit of each call

  RegistryChangeFeed Feed() {
    return [this](int64_t since, int limit) -> core::Result<json::object> {
      limits.push_back(limit);
      if (fail) return core::Error(core::ErrorCode::kUnavailable, "authority unreachable");
      json::array page;
      for (int64_t s = since + 1;
           s <= head && page.size() < static_cast<size_t>(limit) && page.size() < max_page; ++s) {
        page.push_back(Change(s));
      }
      const int64_t next = page.empty() ? since : page.back().at("seq").as_int64();
      return json::object{{"changes", std::move(page)}, {"next_since", next}, {"last_seq", head}};
    };
  }
};

class RegistrySyncScaleTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
  }
  core::ManualClock clock_{core::TimePoint{}};
};

TEST_P(RegistrySyncScaleTest, FarBehindItAsksForBigPagesAndCatchesUp) {
  HeadFeed feed;
  feed.head = 95;
  RegistrySync sync(db(), clock_, feed.Feed(), /*page_limit=*/10, /*catch_up_limit=*/40);
  EXPECT_FALSE(sync.CaughtUp());
  auto not_ready = sync.Readiness();
  ASSERT_FALSE(not_ready);
  EXPECT_EQ(not_ready.error().code, core::ErrorCode::kRegistrySyncing);
  EXPECT_NE(not_ready.error().message.find("not been reached"), std::string::npos);

  auto applied = sync.RunOnce();
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(*applied, 95);
  // The small first page (then 85 behind), catch-up pages of 40, and a small one for the last 5.
  EXPECT_EQ(feed.limits, (std::vector<int>{10, 40, 40, 10}));
  EXPECT_TRUE(sync.CaughtUp());
  EXPECT_TRUE(sync.Readiness());
  EXPECT_EQ(sync.Stats().behind, 0);
  EXPECT_EQ(sync.Stats().last_seq, 95);

  // Following: a few new changes come in small pages; the authority down later keeps it ready.
  feed.head = 97;
  feed.limits.clear();
  ASSERT_TRUE(sync.RunOnce());
  EXPECT_EQ(feed.limits, (std::vector<int>{10}));
  feed.fail = true;
  EXPECT_FALSE(sync.RunOnce());
  EXPECT_TRUE(sync.Readiness());
}

TEST_P(RegistrySyncScaleTest, PagesCutShortByTheByteBoundDoNotEndTheRun) {
  HeadFeed feed;
  feed.head = 30;
  feed.max_page = 7;
  RegistrySync sync(db(), clock_, feed.Feed(), 10, 40);
  auto applied = sync.RunOnce();
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(*applied, 30);
  EXPECT_EQ(feed.limits.size(), 5u);  // 7 + 7 + 7 + 7 + 2, each page shorter than asked
  EXPECT_TRUE(sync.CaughtUp());
}

TEST_P(RegistrySyncScaleTest, ReadinessSaysHowFarBehindAfterAFailedCatchUp) {
  HeadFeed feed;
  feed.head = 50;
  {
    // Apply the first two pages, then the authority goes away.
    int calls = 0;
    RegistrySync partial(
        db(), clock_,
        [&](int64_t since, int limit) -> core::Result<json::object> {
          if (++calls > 2) {
            return core::Error(core::ErrorCode::kUnavailable, "gone");
          }
          return feed.Feed()(since, limit);
        },
        10, 20);
    EXPECT_FALSE(partial.RunOnce());
    EXPECT_FALSE(partial.CaughtUp());
    auto why = partial.Readiness();
    ASSERT_FALSE(why);
    EXPECT_NE(why.error().message.find("at change 30 of 50 (20 behind)"), std::string::npos)
        << why.error().message;
    EXPECT_EQ(partial.Stats().behind, 20);
  }
  // A new process resumes from the cursor: only the rest is asked for.
  feed.limits.clear();
  RegistrySync resumed(db(), clock_, feed.Feed(), 10, 20);
  auto applied = resumed.RunOnce();
  ASSERT_TRUE(applied);
  EXPECT_EQ(*applied, 20);
  EXPECT_TRUE(resumed.CaughtUp());
}

// The mark of "current" (issue 11 item 2): a run that reached the head records it; a process
// started later while the authority is unreachable is ready from its copy as of then; a half-done
// catch-up writes none; a damaged mark or one past the copy's cursor is ignored.
TEST_P(RegistrySyncScaleTest, TheCurrentMarkLetsARestartServeAStatedOlderCopy) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "beian-mark-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const std::filesystem::path dir = tmpl;
  const std::filesystem::path mark = dir / "current";
  HeadFeed feed;
  feed.head = 25;
  {
    // A first catch-up cut short: no mark.
    int calls = 0;
    RegistrySync partial(
        db(), clock_,
        [&](int64_t since, int limit) -> core::Result<json::object> {
          if (++calls > 1) return core::Error(core::ErrorCode::kUnavailable, "gone");
          return feed.Feed()(since, limit);
        },
        10, 10);
    partial.SetCurrentMarkFile(mark);
    EXPECT_FALSE(partial.RunOnce());
    EXPECT_FALSE(std::filesystem::exists(mark));
    EXPECT_FALSE(partial.Readiness());
    EXPECT_EQ(partial.Freshness().current_at_ms, 0);
  }
  clock_.Advance(std::chrono::seconds(100));
  const int64_t caught_up_at = core::ToMillis(clock_.Now());
  {
    RegistrySync sync(db(), clock_, feed.Feed(), 10, 10);
    sync.SetCurrentMarkFile(mark);
    ASSERT_TRUE(sync.RunOnce());
    const RegistryFreshness f = sync.Freshness();
    EXPECT_TRUE(f.caught_up);
    EXPECT_EQ(f.current_seq, 25);
    EXPECT_EQ(f.current_at_ms, caught_up_at);
    EXPECT_EQ(f.failing_since_ms, 0);
    EXPECT_TRUE(std::filesystem::exists(mark));
  }
  // A new process, the authority down.
  clock_.Advance(std::chrono::seconds(3600));
  feed.fail = true;
  {
    RegistrySync restarted(db(), clock_, feed.Feed(), 10, 10);
    restarted.SetCurrentMarkFile(mark);
    EXPECT_FALSE(restarted.Readiness()) << "nothing known before the first run reads the copy";
    EXPECT_FALSE(restarted.RunOnce());
    EXPECT_TRUE(restarted.Readiness());
    const RegistryFreshness f = restarted.Freshness();
    EXPECT_TRUE(f.cursor_known);
    EXPECT_FALSE(f.caught_up);
    EXPECT_EQ(f.cursor, 25);
    EXPECT_EQ(f.current_seq, 25);
    EXPECT_EQ(f.current_at_ms, caught_up_at);
    EXPECT_EQ(f.failing_since_ms, core::ToMillis(clock_.Now()));
    // Back: caught up again, the failure over.
    feed.fail = false;
    clock_.Advance(std::chrono::seconds(5));
    ASSERT_TRUE(restarted.RunOnce());
    EXPECT_TRUE(restarted.CaughtUp());
    EXPECT_EQ(restarted.Freshness().failing_since_ms, 0);
    EXPECT_EQ(restarted.Freshness().current_at_ms, core::ToMillis(clock_.Now()));
  }
  // A damaged mark is ignored.
  {
    std::fstream f(mark, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(12);
    f.put('\x7f');
  }
  feed.fail = true;
  {
    RegistrySync restarted(db(), clock_, feed.Feed(), 10, 10);
    restarted.SetCurrentMarkFile(mark);
    EXPECT_FALSE(restarted.RunOnce());
    EXPECT_FALSE(restarted.Readiness());
  }
  // A mark past the copy's cursor (the copy restored from an older backup) is ignored.
  feed.fail = false;
  {
    RegistrySync sync(db(), clock_, feed.Feed(), 10, 10);
    sync.SetCurrentMarkFile(mark);
    ASSERT_TRUE(sync.RunOnce());
  }
  ASSERT_TRUE(
      db().Write([](store::Tx& tx) { return store::PublicRegistryRepo(tx).SetCursor(3, 1); }));
  feed.fail = true;
  {
    RegistrySync restarted(db(), clock_, feed.Feed(), 10, 10);
    restarted.SetCurrentMarkFile(mark);
    EXPECT_FALSE(restarted.RunOnce());
    EXPECT_FALSE(restarted.Readiness());
  }
  std::filesystem::remove_all(dir);
}

TEST(ParseRegistryChangePageScale, AHeadBehindThePageIsRefused) {
  json::object page{{"changes", json::array{Change(5)}}, {"next_since", 5}, {"last_seq", 4}};
  EXPECT_FALSE(ParseRegistryChangePage(page, 4));
  page["last_seq"] = 9;
  auto parsed = ParseRegistryChangePage(page, 4);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->last_seq, 9);
  page.erase("last_seq");
  parsed = ParseRegistryChangePage(page, 4);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->last_seq, -1);
}

BEIAN_INSTANTIATE_STORE_SUITE(RegistrySyncScaleTest);

}  // namespace
}  // namespace beian::agent
