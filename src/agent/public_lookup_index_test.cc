// Tests of the public look-up index on both backends: answers byte for byte what the copy
// answers, the overlay over the snapshot (a cancellation, a domain moved, a website that drops
// a domain) before any rebuild, answers that never go backwards while changes and rebuilds run,
// a restart serving from the snapshot + journal at once, a gap or a damaged file (a flipped byte,
// a file cut before the start or under the live mapping) → look-ups from the copy until rebuilt,
// never from the damaged file. Also the rate limit (pure).
#include "agent/public_lookup_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <optional>
#include <thread>

#include "agent/public_filings_service.h"
#include "agent/public_rate_limit.h"
#include "domain/public_lookup.h"
#include "store/testing/backends.h"

namespace beian::agent {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

json::object Record(const std::string& sn, std::vector<std::string> domains,
                    const std::string& status = "active") {
  json::array d;
  for (auto& x : domains) d.push_back(json::value(x));
  return {{"website_sn", sn},
          {"subject_sn", sn.substr(0, sn.find('-'))},
          {"organizer_name", "张*"},
          {"organizer_type", "individual"},
          {"website_name", "博客 " + sn},
          {"domains", std::move(d)},
          {"status", status},
          {"approved_at", "2026-12-06T10:00:00Z"}};
}

class FakeFeed {
 public:
  void Add(json::object record) {
    std::lock_guard l(mu_);
    const std::string sn(record.at("website_sn").as_string());
    changes_.push_back(json::object{{"seq", static_cast<int64_t>(changes_.size() + 1)},
                                    {"website_sn", sn},
                                    {"record", std::move(record)},
                                    {"changed_at", "2026-12-06T10:00:00Z"}});
  }
  RegistryChangeFeed Feed() {
    return [this](int64_t since, int limit) -> core::Result<json::object> {
      std::lock_guard l(mu_);
      json::array page;
      for (int64_t i = since;
           i < static_cast<int64_t>(changes_.size()) && page.size() < static_cast<size_t>(limit);
           ++i) {
        page.push_back(changes_[static_cast<size_t>(i)]);
      }
      const int64_t next = page.empty() ? since : page.back().at("seq").as_int64();
      return json::object{{"changes", std::move(page)}, {"next_since", next}};
    };
  }

 private:
  std::mutex mu_;
  std::vector<json::object> changes_;
};

class PublicLookupIndexTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
    plain_.emplace(db());
    indexed_.emplace(db());
    std::string tmpl = (fs::temp_directory_path() / "beian-index-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    index_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
    StoreTest::TearDown();
  }

  PublicLookupIndexOptions Options() {
    return {.dir = dir_, .rebuild_after = 1000, .check_interval = 10ms, .scan_page = 3};
  }
  // A new index (as a new process would have), started, and a sync that feeds it.
  void StartIndex(PublicLookupIndexOptions options) {
    index_.reset();
    index_ = std::make_unique<PublicLookupIndex>(db(), clock_, options);
    sync_ = std::make_unique<RegistrySync>(db(), clock_, feed_.Feed(), 3);
    PublicLookupIndex* index = index_.get();
    sync_->SetPageListener([index](const auto& changes, int64_t from, int64_t to, int64_t behind) {
      index->ApplyChanges(changes, from, to, behind);
    });
    ASSERT_TRUE(index_->Start());
    indexed_->SetIndex(index_.get());
  }
  void Sync() {
    auto applied = sync_->RunOnce();
    ASSERT_TRUE(applied) << applied.error().message;
  }
  // A serving index whose overlay holds at most 6 changes, then a sync of 9 (a catch-up in
  // small): the overlay is dropped and look-ups read the copy until a rebuild.
  void SyncPastTheOverlayLimit() {
    PublicLookupIndexOptions options = Options();
    options.overlay_limit = 6;
    StartIndex(options);
    ASSERT_TRUE(index_->WaitServing(5s));
    for (int i = 1; i <= 9; ++i) {
      feed_.Add(Record("京ICP备202600000" + std::to_string(i) + "号-1",
                       {"site" + std::to_string(i) + ".cn"}));
    }
    Sync();
  }
  // The index's answer, checked against the copy's, byte for byte.
  std::string Answer(const std::string& domain) {
    auto mine = indexed_->LookupJson(domain);
    auto copy = plain_->LookupJson(domain);
    EXPECT_TRUE(mine && copy);
    if (!mine || !copy) return "";
    EXPECT_EQ(*mine, *copy) << domain;
    return *mine;
  }
  std::string WebsiteOf(const std::string& domain) {
    const json::object o = json::parse(Answer(domain)).as_object();
    return o.at("filed").as_bool() ? std::string(o.at("website_sn").as_string()) : "";
  }

  core::SystemClock clock_;
  FakeFeed feed_;
  fs::path dir_;
  std::unique_ptr<PublicLookupIndex> index_;
  std::unique_ptr<RegistrySync> sync_;
  std::optional<PublicFilingsService> plain_;    // from the copy
  std::optional<PublicFilingsService> indexed_;  // from the index
};

TEST_P(PublicLookupIndexTest, AnswersFromTheSnapshotExactlyAsTheCopyDoes) {
  feed_.Add(Record("京ICP备2026000001号-1", {"例子.中国", "example.com.cn"}));
  for (int i = 2; i <= 9; ++i) {
    feed_.Add(Record("京ICP备202600000" + std::to_string(i) + "号-1",
                     {"site" + std::to_string(i) + ".cn"}));
  }
  StartIndex(Options());
  Sync();
  ASSERT_TRUE(index_->Rebuild());
  ASSERT_TRUE(index_->WaitServing(5s));
  EXPECT_EQ(index_->Stats().snapshot_entries, 10u);
  EXPECT_EQ(index_->Stats().overlay_entries, 0u);
  for (const char* form :
       {"例子.中国", "www.例子.中国", "xn--fsqu00a.xn--fiqs8s", "WWW.XN--FSQU00A.XN--FIQS8S.",
        "a.b.example.com.cn", "site5.cn", "unfiled.cn", "www.site10.cn"}) {
    Answer(form);
  }
  EXPECT_EQ(WebsiteOf("site5.cn"), "京ICP备2026000005号-1");
  const std::vector<std::string> batch{"unfiled.cn", "www.example.com.cn", "1.2.3.4", "例子.中国"};
  auto mine = indexed_->BatchJson(batch);
  auto copy = plain_->BatchJson(batch);
  ASSERT_TRUE(mine && copy);
  EXPECT_EQ(*mine, *copy);
  EXPECT_EQ(indexed_->LookupJson("not a domain").error().code, core::ErrorCode::kValidationFailed);
}

// The batch answers each name exactly as the single look-up does (and as the copy's batch),
// whatever form it comes in, from the snapshot and from the overlay over it.
TEST_P(PublicLookupIndexTest, TheBatchAnswersEachNameAsTheSingleLookUp) {
  feed_.Add(Record("京ICP备2026000001号-1", {"例子.中国", "example.com.cn"}));
  feed_.Add(Record("京ICP备2026000002号-1", {"shop.xn--fiqs8s"}));
  StartIndex(Options());
  Sync();
  ASSERT_TRUE(index_->Rebuild());
  ASSERT_TRUE(index_->WaitServing(5s));
  // After the snapshot: in the overlay only.
  feed_.Add(Record("京ICP备2026000003号-1", {"late.cn", "晚.中国"}));
  Sync();
  const std::vector<std::string> names{"example.com.cn",
                                       "EXAMPLE.COM.CN",
                                       "www.example.com.cn.",
                                       "例子.中国",
                                       "xn--fsqu00a.xn--fiqs8s",
                                       "WWW.XN--FSQU00A.XN--FIQS8S.",
                                       "nf-example.com.cn",
                                       "shop.xn--fiqs8s",
                                       "nf-shop.xn--fiqs8s",
                                       "www.NF-shop.XN--FIQS8S.",
                                       "ab--cd.xn--fiqs8s",
                                       "nf.例子.中国",
                                       "不在.中国",
                                       "late.cn",
                                       "www.晚.中国",
                                       "x.kawasaki.jp",
                                       "a.b.x.kawasaki.jp",
                                       "www.city.kawasaki.jp",
                                       "1.2.3.4",
                                       "not a domain",
                                       "com.cn",
                                       "xn--zz-invalid.com",
                                       "xn--pple-43d.com",
                                       std::string(70, 'a') + ".cn",
                                       ""};
  auto batch = indexed_->BatchJson(names);
  auto copy = plain_->BatchJson(names);
  ASSERT_TRUE(batch && copy);
  EXPECT_EQ(*batch, *copy);
  const json::array results = json::parse(*batch).as_object().at("results").as_array();
  ASSERT_EQ(results.size(), names.size());
  int errors = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    auto single = indexed_->LookupJson(names[i]);
    if (!single) {
      ++errors;
      EXPECT_EQ(results[i].as_object().at("error").at("code").as_string(),
                single.error().details.at(0).code)
          << names[i];
      continue;
    }
    EXPECT_EQ(json::serialize(results[i]), *single) << names[i];
  }
  EXPECT_EQ(errors, 9);  // x.kawasaki.jp is a public suffix (under a wildcard rule)
}

// The common batch body is read in place; anything else is left to the JSON path (its errors).
TEST(ParsePlainBatchBody, ReadsTheCommonFormAndLeavesTheRest) {
  std::vector<std::string_view> names;
  ASSERT_TRUE(ParsePlainBatchBody(R"({"domains":["a.cn","例子.中国",""]})", names));
  EXPECT_EQ(names, (std::vector<std::string_view>{"a.cn", "例子.中国", ""}));
  ASSERT_TRUE(ParsePlainBatchBody(" {\n \"domains\" : [ \"a.cn\" ,\t\"b.cn\" ] }\r\n", names));
  EXPECT_EQ(names, (std::vector<std::string_view>{"a.cn", "b.cn"}));
  std::string big = R"({"domains":[)";
  for (int i = 0; i < 1000; ++i) big += (i ? ",\"" : "\"") + std::to_string(i) + ".cn\"";
  EXPECT_TRUE(ParsePlainBatchBody(big + "]}", names));
  EXPECT_EQ(names.size(), 1000u);
  EXPECT_FALSE(ParsePlainBatchBody(big + ",\"x.cn\"]}", names));  // 1001: the JSON path's 413
  for (const char* other :
       {"", "{}", R"({"domains":[]})", R"({"domains":"a.cn"})", R"({"domains":[1]})",
        R"({"domains":["a.cn",]})", R"({"domains":["a\u002ecn"]})", R"({"domains":["a\\cn"]})",
        R"({"domains":["a.cn"],"x":1})", R"({"x":1,"domains":["a.cn"]})",
        R"({"domains":["a.cn"]}x)", R"({"domains":["a.cn"])", R"({"domains":["a.cn)", R"(["a.cn"])",
        "{\"domains\":[\"a\tb\"]}", "{\"domains\":[\"\xC0\xAF\"]}",
        "{\"domains\":[\"\xED\xA0\x80\"]}", "{\"domains\":[\"\xF4\x90\x80\x80\"]}",
        "{\"domains\":[\"\xE4\xBE\"]}"}) {
    EXPECT_FALSE(ParsePlainBatchBody(other, names)) << other;
  }
}

TEST_P(PublicLookupIndexTest, TheOverlayShowsChangesBeforeAnyRebuild) {
  feed_.Add(Record("京ICP备2026000001号-1", {"one.cn", "shared.cn"}));
  feed_.Add(Record("京ICP备2026000002号-1", {"two.cn", "dropped.cn"}));
  StartIndex(Options());
  Sync();
  ASSERT_TRUE(index_->Rebuild());
  const int64_t snapshot_seq = index_->Stats().snapshot_seq;
  EXPECT_EQ(snapshot_seq, 2);
  feed_.Add(Record("京ICP备2026000001号-1", {"one.cn"}, "cancelled"));  // cancelled
  feed_.Add(Record("京ICP备2026000002号-1", {"two.cn", "shared.cn"}));  // drops, takes
  feed_.Add(Record("京ICP备2026000003号-1", {"three.cn"}));             // new
  Sync();
  EXPECT_EQ(index_->Stats().snapshot_seq, snapshot_seq);
  EXPECT_GT(index_->Stats().overlay_entries, 0u);
  EXPECT_TRUE(index_->Stats().serving);
  EXPECT_EQ(WebsiteOf("one.cn"), "");
  EXPECT_EQ(WebsiteOf("dropped.cn"), "");
  EXPECT_EQ(WebsiteOf("shared.cn"), "京ICP备2026000002号-1");
  EXPECT_EQ(WebsiteOf("two.cn"), "京ICP备2026000002号-1");
  EXPECT_EQ(WebsiteOf("three.cn"), "京ICP备2026000003号-1");
  // Filed again after the cancellation.
  feed_.Add(Record("京ICP备2026000001号-1", {"one.cn"}));
  Sync();
  EXPECT_EQ(WebsiteOf("one.cn"), "京ICP备2026000001号-1");
  // The rebuild folds the overlay in; the answers stay.
  ASSERT_TRUE(index_->Rebuild());
  EXPECT_EQ(index_->Stats().overlay_entries, 0u);
  EXPECT_EQ(index_->Stats().snapshot_seq, 6);
  for (const char* d : {"one.cn", "dropped.cn", "shared.cn", "two.cn", "three.cn"}) Answer(d);
}

TEST_P(PublicLookupIndexTest, AnAnswerNeverGoesBackWhileChangesAndRebuildsRun) {
  StartIndex(Options());
  ASSERT_TRUE(index_->WaitServing(5s));
  // The domain moves from website k to website k + 1; a reader must never see k go down.
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::atomic<int> backwards{0};
  std::thread reader([&] {
    int last = 0;
    while (!done) {
      std::string out;
      auto key = domain::PublicLookupKey("moving.cn");
      if (index_->AppendAnswer(out, "moving.cn", *key) != PublicLookupIndex::Lookup::kAnswered) {
        continue;  // rebuilding: the copy's turn
      }
      const json::object o = json::parse(out).as_object();
      int k = 0;
      if (o.at("filed").as_bool()) {
        const std::string sn(o.at("website_sn").as_string());
        k = std::stoi(sn.substr(sn.find("备") + 3, 10)) - 2026000000;
      }
      if (k < last) ++backwards;
      last = std::max(last, k);
      ++reads;
    }
  });
  for (int k = 1; k <= 40; ++k) {
    feed_.Add(Record("京ICP备" + std::to_string(2026000000 + k) + "号-1", {"moving.cn"}));
    Sync();
    if (k % 7 == 0) {
      ASSERT_TRUE(index_->Rebuild());
    }
  }
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(backwards.load(), 0);
  EXPECT_EQ(WebsiteOf("moving.cn"), "京ICP备2026000040号-1");
}

TEST_P(PublicLookupIndexTest, ARestartServesFromTheSnapshotAndItsJournalAtOnce) {
  feed_.Add(Record("京ICP备2026000001号-1", {"one.cn"}));
  StartIndex(Options());
  Sync();
  ASSERT_TRUE(index_->Rebuild());
  feed_.Add(Record("京ICP备2026000001号-1", {"one.cn"}, "cancelled"));
  feed_.Add(Record("京ICP备2026000002号-1", {"two.cn"}));
  Sync();
  EXPECT_GT(index_->Stats().overlay_entries, 0u);
  // A new process: serving as soon as Start returns, with the journal's changes.
  StartIndex(Options());
  EXPECT_TRUE(index_->Stats().serving) << index_->Stats().reason;
  EXPECT_EQ(index_->Stats().rebuilds, 0);
  EXPECT_EQ(index_->Stats().snapshot_seq, 1);
  EXPECT_EQ(WebsiteOf("one.cn"), "");
  EXPECT_EQ(WebsiteOf("two.cn"), "京ICP备2026000002号-1");
}

// A build the background thread decided on (no snapshot yet) while another build ran is not
// done again once that one has served: the thread looks again instead.
TEST_P(PublicLookupIndexTest, ABuildDecidedDuringAnotherIsNotRepeated) {
  for (int i = 1; i <= 1500; ++i) {
    feed_.Add(Record("京ICP备2026" + std::to_string(100000 + i) + "号-1",
                     {"site" + std::to_string(i) + ".cn"}));
  }
  RegistrySync other(db(), clock_, feed_.Feed(), 500);
  ASSERT_TRUE(other.RunOnce());
  PublicLookupIndexOptions options = Options();
  // A slow build, and a thread that looks often: it decides on a build of its own while this
  // one runs.
  options.scan_page = 1;
  options.check_interval = 1ms;
  StartIndex(options);
  ASSERT_TRUE(index_->Rebuild());
  const int64_t built = index_->Stats().rebuilds;
  EXPECT_TRUE(index_->Stats().serving) << index_->Stats().reason;
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(index_->Stats().rebuilds, built);
  EXPECT_EQ(index_->Stats().snapshot_entries, 1500u);
}

TEST_P(PublicLookupIndexTest, ChangesAppliedElsewhereAreAGapReadFromTheCopyUntilRebuilt) {
  feed_.Add(Record("京ICP备2026000001号-1", {"one.cn"}));
  StartIndex(Options());
  Sync();
  ASSERT_TRUE(index_->Rebuild());
  // Another process's sync (no listener) cancels it: this index cannot know which domains.
  feed_.Add(Record("京ICP备2026000001号-1", {"one.cn"}, "cancelled"));
  RegistrySync other(db(), clock_, feed_.Feed(), 3);
  ASSERT_TRUE(other.RunOnce());
  // Our sync sees the cursor moved: the index stops serving, the copy answers, a rebuild follows.
  feed_.Add(Record("京ICP备2026000002号-1", {"two.cn"}));
  Sync();
  EXPECT_EQ(WebsiteOf("one.cn"), "");
  ASSERT_TRUE(index_->WaitServing(10s)) << index_->Stats().reason;
  EXPECT_EQ(WebsiteOf("one.cn"), "");
  EXPECT_EQ(WebsiteOf("two.cn"), "京ICP备2026000002号-1");
  // The same at a restart: the copy moved on while no index ran.
  index_.reset();
  feed_.Add(Record("京ICP备2026000002号-1", {"two.cn"}, "cancelled"));
  ASSERT_TRUE(other.RunOnce());
  StartIndex(Options());
  EXPECT_FALSE(index_->Stats().serving);
  EXPECT_EQ(WebsiteOf("two.cn"), "");
  ASSERT_TRUE(index_->WaitServing(10s)) << index_->Stats().reason;
  EXPECT_EQ(WebsiteOf("two.cn"), "");
}

TEST_P(PublicLookupIndexTest, ADamagedSnapshotIsRebuiltAndNeverServed) {
  for (int i = 1; i <= 9; ++i) {
    feed_.Add(Record("京ICP备202600000" + std::to_string(i) + "号-1",
                     {"site" + std::to_string(i) + ".cn"}));
  }
  StartIndex(Options());
  Sync();
  ASSERT_TRUE(index_->Rebuild());
  const fs::path file = index_->snapshot_path();
  index_.reset();
  // A flipped byte in a record: the file opens (the body is verified lazily) but no answer
  // comes from it.
  const auto size = fs::file_size(file);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 8 - 40));
    f.put('#');
  }
  StartIndex(Options());
  // Every answer equals the copy's (Answer checks) while the damage is found and rebuilt.
  for (int i = 1; i <= 9; ++i) Answer("site" + std::to_string(i) + ".cn");
  for (int i = 0; i < 1000 && index_->Stats().rebuilds == 0; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(index_->WaitServing(10s)) << index_->Stats().reason;
  EXPECT_GE(index_->Stats().damaged, 1);
  EXPECT_GE(index_->Stats().rebuilds, 1);
  for (int i = 1; i <= 9; ++i) {
    EXPECT_EQ(WebsiteOf("site" + std::to_string(i) + ".cn"),
              "京ICP备202600000" + std::to_string(i) + "号-1");
  }
  // Truncated: refused at open, rebuilt.
  index_.reset();
  fs::resize_file(file, fs::file_size(file) - 100);
  StartIndex(Options());
  EXPECT_FALSE(index_->Stats().serving);
  EXPECT_EQ(index_->Stats().damaged, 1);
  EXPECT_EQ(WebsiteOf("site3.cn"), "京ICP备2026000003号-1");
  ASSERT_TRUE(index_->WaitServing(10s)) << index_->Stats().reason;
  EXPECT_EQ(WebsiteOf("site3.cn"), "京ICP备2026000003号-1");
}

// The file truncated under the live mapping (issue 11 item 4): look-ups that touch a lost page
// fault, the guard turns that into "read the copy", the snapshot is dropped and rebuilt; no
// answer is wrong meanwhile and the process lives. The periodic checks are made rare so that the
// look-ups find the damage first.
TEST_P(PublicLookupIndexTest, ASnapshotTruncatedUnderItsMappingIsNeverServedAndRebuilt) {
  constexpr int kSites = 2000;
  for (int i = 1; i <= kSites; ++i) {
    feed_.Add(Record("京ICP备" + std::to_string(2026000000 + i) + "号-1",
                     {"site" + std::to_string(i) + ".cn"}));
  }
  PublicLookupIndexOptions options = Options();
  options.rebuild_after = 100'000;
  options.check_interval = 1h;
  StartIndex(options);
  Sync();
  ASSERT_TRUE(index_->Rebuild());
  ASSERT_TRUE(index_->Stats().serving);
  const int64_t rebuilds = index_->Stats().rebuilds;
  const fs::path file = index_->snapshot_path();
  fs::resize_file(file, fs::file_size(file) / 2);
  // Every answer equals the copy's (Answer checks), from the snapshot or, past the fault, the copy.
  for (int i = kSites; i >= 1; --i) Answer("site" + std::to_string(i) + ".cn");
  for (int i = 0; i < 1000 && index_->Stats().rebuilds == rebuilds; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(index_->WaitServing(10s)) << index_->Stats().reason;
  EXPECT_EQ(index_->Stats().damaged, 1);
  EXPECT_GT(index_->Stats().rebuilds, rebuilds);
  for (int i = 1; i <= kSites; i += 7) {
    EXPECT_EQ(WebsiteOf("site" + std::to_string(i) + ".cn"),
              "京ICP备" + std::to_string(2026000000 + i) + "号-1");
  }
}

TEST_P(PublicLookupIndexTest, ACatchUpPastTheOverlayLimitReadsTheCopyThenRebuilds) {
  ASSERT_NO_FATAL_FAILURE(SyncPastTheOverlayLimit());
  EXPECT_FALSE(index_->Stats().serving);
  EXPECT_EQ(WebsiteOf("site9.cn"), "京ICP备2026000009号-1");
  ASSERT_TRUE(index_->WaitServing(10s)) << index_->Stats().reason;
  EXPECT_EQ(index_->Stats().snapshot_entries, 9u);
  EXPECT_EQ(WebsiteOf("site9.cn"), "京ICP备2026000009号-1");
}

// At 10 M filings a catch-up page takes longer than the back-to-back window: the feed's "still
// to come" holds the rebuild until the catch-up ends (each rebuild reads the whole copy).
TEST_P(PublicLookupIndexTest, ARebuildWaitsWhileTheFeedSaysMuchIsStillToCome) {
  ASSERT_NO_FATAL_FAILURE(SyncPastTheOverlayLimit());
  ASSERT_FALSE(index_->Stats().serving);
  const int64_t rebuilds = index_->Stats().rebuilds;
  // A slow page that says 50,000 more are coming; then past the back-to-back window.
  index_->ApplyChanges({}, 9, 9, 50'000);
  std::this_thread::sleep_for(2s);
  EXPECT_FALSE(index_->Stats().serving);
  EXPECT_EQ(index_->Stats().rebuilds, rebuilds);
  EXPECT_EQ(WebsiteOf("site9.cn"), "京ICP备2026000009号-1");  // from the copy meanwhile
  // The last page: nothing more to come.
  index_->ApplyChanges({}, 9, 9, 0);
  ASSERT_TRUE(index_->WaitServing(10s)) << index_->Stats().reason;
  // (The count follows the swap that makes it serve.)
  for (int i = 0; i < 100 && index_->Stats().rebuilds == rebuilds; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(index_->Stats().rebuilds, rebuilds + 1);
  EXPECT_EQ(WebsiteOf("site9.cn"), "京ICP备2026000009号-1");
}

BEIAN_INSTANTIATE_STORE_SUITE(PublicLookupIndexTest);

TEST(PublicRateLimit, ABucketPerAddressRefillsAtTheRate) {
  PublicRateLimiter limiter({.rate = 10, .burst = 3, .trusted = {}});
  const auto t0 = PublicRateLimiter::Clock::now();
  EXPECT_TRUE(limiter.Allow("192.0.2.1", t0));
  EXPECT_TRUE(limiter.Allow("192.0.2.1", t0));
  EXPECT_TRUE(limiter.Allow("192.0.2.1", t0));
  EXPECT_FALSE(limiter.Allow("192.0.2.1", t0));
  EXPECT_TRUE(limiter.Allow("192.0.2.2", t0));  // another address has its own
  EXPECT_TRUE(limiter.Allow("192.0.2.1", t0 + 100ms));
  EXPECT_FALSE(limiter.Allow("192.0.2.1", t0 + 100ms));
  EXPECT_TRUE(limiter.Allow("192.0.2.1", t0 + 10s));
  PublicRateLimiter off({});
  EXPECT_FALSE(off.enabled());
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.Allow("192.0.2.1", t0));
}

TEST(PublicRateLimit, TrustedBlocksAreNeverLimited) {
  auto v4 = ParseCidr("203.0.113.0/24");
  auto v6 = ParseCidr("2001:db8::/32");
  auto one = ParseCidr("127.0.0.1");
  ASSERT_TRUE(v4 && v6 && one);
  PublicRateLimiter limiter({.rate = 1, .burst = 1, .trusted = {*v4, *v6}});
  const auto t0 = PublicRateLimiter::Clock::now();
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(limiter.Allow("203.0.113.77", t0));
    EXPECT_TRUE(limiter.Allow("::ffff:203.0.113.9", t0));
    EXPECT_TRUE(limiter.Allow("2001:db8:1::5", t0));
  }
  EXPECT_TRUE(limiter.Allow("203.0.114.1", t0));
  EXPECT_FALSE(limiter.Allow("203.0.114.1", t0));
  EXPECT_TRUE(CidrContains(*one, "127.0.0.1"));
  EXPECT_FALSE(CidrContains(*one, "127.0.0.2"));
  for (const char* bad : {"", "10.0.0.0/33", "2001:db8::/129", "not-an-ip", "10.0.0.0/x"}) {
    EXPECT_FALSE(ParseCidr(bad)) << bad;
  }
}

}  // namespace
}  // namespace beian::agent
