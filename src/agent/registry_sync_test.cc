// Tests of the public registry sync: the page parser (pure), and RegistrySync against a fake
// change feed on both backends (paging, cancellation, a failed page, resuming from the cursor),
// with the public look-up reading what it wrote.
#include "agent/registry_sync.h"

#include <gtest/gtest.h>

#include <map>

#include "agent/public_filings_service.h"
#include "store/testing/backends.h"

namespace beian::agent {
namespace {

namespace json = boost::json;

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

// A feed held in memory: change i (1-based) has seq i.
class FakeFeed {
 public:
  void Add(json::object record) {
    const std::string sn(record.at("website_sn").as_string());
    changes_.push_back(json::object{{"seq", static_cast<int64_t>(changes_.size() + 1)},
                                    {"website_sn", sn},
                                    {"record", std::move(record)},
                                    {"changed_at", "2026-12-06T10:00:00Z"}});
  }
  RegistryChangeFeed Feed() {
    return [this](int64_t since, int limit) -> core::Result<json::object> {
      ++calls;
      if (fail_next) {
        fail_next = false;
        return core::Error(core::ErrorCode::kUnavailable, "authority unreachable");
      }
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
  bool fail_next = false;
  int calls = 0;

 private:
  std::vector<json::object> changes_;
};

TEST(ParseRegistryChangePage, ActiveRecordGivesOneRowPerDomainKeyedInPunycode) {
  json::object page{
      {"changes", json::array{json::object{
                      {"seq", 5},
                      {"website_sn", "京ICP备2026000001号-1"},
                      {"record", Record("京ICP备2026000001号-1", {"例子.中国", "example.cn"})},
                      {"changed_at", "2026-12-06T10:00:00Z"}}}},
      {"next_since", 5}};
  auto parsed = ParseRegistryChangePage(page, 4);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->changes.size(), 1u);
  const auto& rows = parsed->changes[0].rows;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].domain, "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(rows[1].domain, "example.cn");
  EXPECT_EQ(rows[0].website_sn, "京ICP备2026000001号-1");
  EXPECT_EQ(rows[0].subject_sn, "京ICP备2026000001号");
  EXPECT_EQ(rows[0].organizer_name, "张*");
  EXPECT_EQ(rows[0].seq, 5);
  EXPECT_EQ(parsed->next_since, 5);
}

TEST(ParseRegistryChangePage, CancelledRecordGivesNoRows) {
  json::object page{
      {"changes", json::array{json::object{
                      {"seq", 1},
                      {"website_sn", "京ICP备2026000001号-1"},
                      {"record", Record("京ICP备2026000001号-1", {"example.cn"}, "cancelled")},
                      {"changed_at", "2026-12-06T10:00:00Z"}}}},
      {"next_since", 1}};
  auto parsed = ParseRegistryChangePage(page, 0);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->changes.size(), 1u);
  EXPECT_TRUE(parsed->changes[0].rows.empty());
}

TEST(ParseRegistryChangePage, MalformedPagesAreRefused) {
  EXPECT_FALSE(ParseRegistryChangePage(json::object{{"changes", json::array{}}}, 0));
  EXPECT_FALSE(ParseRegistryChangePage(json::object{{"next_since", 0}}, 0));
  // Seqs must increase past `since`.
  json::object stale{{"changes", json::array{json::object{
                                     {"seq", 3},
                                     {"website_sn", "x"},
                                     {"record", Record("京ICP备2026000001号-1", {"example.cn"})}}}},
                     {"next_since", 3}};
  EXPECT_FALSE(ParseRegistryChangePage(stale, 3));
  EXPECT_TRUE(ParseRegistryChangePage(stale, 2));
  // A record without its fields.
  json::object bare{
      {"changes",
       json::array{json::object{
           {"seq", 1}, {"website_sn", "x"}, {"record", json::object{{"status", "active"}}}}}},
      {"next_since", 1}};
  EXPECT_FALSE(ParseRegistryChangePage(bare, 0));
  // next_since must be the last seq.
  json::object moved{{"changes", json::array{}}, {"next_since", 9}};
  EXPECT_FALSE(ParseRegistryChangePage(moved, 0));
}

class RegistrySyncTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
  }

  bool Filed(const std::string& domain) {
    auto answer = PublicFilingsService(db()).Lookup(domain);
    EXPECT_TRUE(answer) << answer.error().message;
    return answer && answer->at("filed").as_bool();
  }

  core::ManualClock clock_{core::TimePoint{}};
  FakeFeed feed_;
};

TEST_P(RegistrySyncTest, PagesThroughTheFeedAndFollowsCancellations) {
  for (int i = 1; i <= 7; ++i) {
    const std::string sn = "京ICP备202600000" + std::to_string(i) + "号-1";
    feed_.Add(Record(sn, {"site" + std::to_string(i) + ".cn"}));
  }
  RegistrySync sync(db(), clock_, feed_.Feed(), /*page_limit=*/3);
  auto applied = sync.RunOnce();
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(*applied, 7);
  EXPECT_EQ(feed_.calls, 3);  // 3 + 3 + 1
  EXPECT_EQ(sync.Stats().last_seq, 7);
  EXPECT_TRUE(Filed("www.site1.cn"));
  EXPECT_TRUE(Filed("site7.cn"));
  EXPECT_FALSE(Filed("site8.cn"));

  // Cancelled, and a domain moved to another website.
  feed_.Add(Record("京ICP备2026000001号-1", {"site1.cn"}, "cancelled"));
  feed_.Add(Record("京ICP备2026000002号-1", {"moved.cn"}));
  applied = sync.RunOnce();
  ASSERT_TRUE(applied);
  EXPECT_EQ(*applied, 2);
  EXPECT_FALSE(Filed("site1.cn"));
  EXPECT_FALSE(Filed("site2.cn"));
  EXPECT_TRUE(Filed("moved.cn"));
  // Nothing new: nothing applied.
  applied = sync.RunOnce();
  ASSERT_TRUE(applied);
  EXPECT_EQ(*applied, 0);
}

TEST_P(RegistrySyncTest, AFailedPageKeepsTheCursorAndANewSyncResumesFromIt) {
  for (int i = 1; i <= 5; ++i) {
    feed_.Add(Record("京ICP备202600000" + std::to_string(i) + "号-1",
                     {"site" + std::to_string(i) + ".cn"}));
  }
  {
    RegistrySync sync(db(), clock_, feed_.Feed(), 2);
    feed_.fail_next = true;
    EXPECT_FALSE(sync.RunOnce());
    EXPECT_EQ(sync.Stats().failures, 1);
    EXPECT_FALSE(Filed("site1.cn"));
  }
  // A new process (a new RegistrySync) starts from the stored cursor.
  RegistrySync first(db(), clock_, feed_.Feed(), 2);
  ASSERT_TRUE(first.RunOnce());
  feed_.Add(Record("京ICP备2026000006号-1", {"site6.cn"}));
  RegistrySync second(db(), clock_, feed_.Feed(), 2);
  const int before = feed_.calls;
  auto applied = second.RunOnce();
  ASSERT_TRUE(applied);
  EXPECT_EQ(*applied, 1);  // only the new change
  EXPECT_EQ(feed_.calls - before, 1);
  EXPECT_EQ(second.Stats().last_seq, 6);
  EXPECT_TRUE(Filed("site6.cn"));
  EXPECT_TRUE(Filed("site1.cn"));
}

TEST_P(RegistrySyncTest, LookupAnswersEveryFormAndTheBatchKeepsOrder) {
  feed_.Add(Record("京ICP备2026000001号-1", {"例子.中国", "example.com.cn"}));
  RegistrySync sync(db(), clock_, feed_.Feed());
  ASSERT_TRUE(sync.RunOnce());
  PublicFilingsService service(db());
  for (const char* form : {"例子.中国", "www.例子.中国", "xn--fsqu00a.xn--fiqs8s",
                           "WWW.XN--FSQU00A.XN--FIQS8S.", "a.b.example.com.cn"}) {
    auto answer = service.Lookup(form);
    ASSERT_TRUE(answer) << form;
    EXPECT_TRUE(answer->at("filed").as_bool()) << form;
    EXPECT_EQ(answer->at("website_sn").as_string(), "京ICP备2026000001号-1") << form;
    EXPECT_EQ(answer->at("query").as_string(), form);
  }
  auto no = service.Lookup("unfiled.cn");
  ASSERT_TRUE(no);
  EXPECT_FALSE(no->at("filed").as_bool());
  EXPECT_TRUE(no->at("website_sn").is_null());
  EXPECT_EQ(no->at("domain").as_string(), "unfiled.cn");
  auto bad = service.Lookup("not a domain");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_EQ(bad.error().details.at(0).code, "domain_invalid");

  auto batch = service.Batch({"unfiled.cn", "www.example.com.cn", "1.2.3.4", "例子.中国"});
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->size(), 4u);
  EXPECT_FALSE((*batch)[0].at("filed").as_bool());
  EXPECT_TRUE((*batch)[1].at("filed").as_bool());
  EXPECT_EQ((*batch)[2].at("error").at("code").as_string(), "domain_ip_address");
  EXPECT_EQ((*batch)[3].at("domain").as_string(), "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(service.Batch({}).error().code, core::ErrorCode::kValidationFailed);
  EXPECT_EQ(service.Batch(std::vector<std::string>(1001, "example.cn")).error().code,
            core::ErrorCode::kPayloadTooLarge);
  EXPECT_TRUE(service.Batch(std::vector<std::string>(1000, "example.cn")));
}

BEIAN_INSTANTIATE_STORE_SUITE(RegistrySyncTest);

}  // namespace
}  // namespace beian::agent
