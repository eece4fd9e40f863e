// The registry and its numbering on both backends: SNs per RULES.md "Numbers", never reused,
// consecutive under 8 concurrent approvals on several connections; look-up, credentials, the
// change feed and the public query; and the signature verifier's refusals.
#include "authority/registry_service.h"

#include <algorithm>
#include <set>
#include <thread>

#include "authority/providers.h"
#include "authority/signed_routes.h"
#include "core/request_signing.h"
#include "domain/numbering.h"
#include "domain/rules_test_support.h"
#include "store/testing/backends.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::ErrorCode;

class RegistryServiceTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie("authority");
    auto key = AddProvider(db(), clock_, pii_, {"p1", "Provider One", "http://127.0.0.1:1"});
    ASSERT_TRUE(key) << key.error().message;
    key_text_ = *key;
    ASSERT_TRUE(AddProvider(db(), clock_, pii_, {"p2", "Provider Two", "http://127.0.0.1:2"}));
  }

  static FilingInput Filing(std::string number, std::vector<std::string> domains,
                            std::string province = "44") {
    FilingInput f;
    f.province = std::move(province);
    f.certificate_type = "uscc";
    f.certificate_number = std::move(number);
    f.organizer_type = "enterprise";
    f.organizer_name = "深圳市示例科技有限公司";
    f.person_in_charge = domain::RegistryPerson{"张三", "resident_id_card", "440301199001011234",
                                                "13800000000", "zs@example.com"};
    f.websites.push_back({"示例网", std::move(domains), std::nullopt});
    f.provider_id = "p1";
    return f;
  }

  RegistryService Service() { return RegistryService(db(), clock_, pii_, rules()); }
  static const domain::Rules& rules() { return domain::testing::EmbeddedRules(); }

  // 2026-06-01 12:00 UTC.
  core::ManualClock clock_{core::TimePoint(std::chrono::seconds(1780315200))};
  core::PiiCipher pii_{std::string(32, 'k')};
  std::string key_text_;
};

TEST_P(RegistryServiceTest, FirstFilingNumbersSubjectAndWebsites) {
  RegistryService svc = Service();
  FilingInput f = Filing("91440300MA5FAAAA1A", {"example-one.cn"});
  f.websites.push_back({"第二站", {"www.example-two.com", "例子.中国"}, std::nullopt});
  auto a = svc.Approve(f);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE(a->new_subject);
  EXPECT_EQ(a->subject_sn, "粤ICP备2026000001号");
  EXPECT_EQ(a->website_sns,
            (std::vector<std::string>{"粤ICP备2026000001号-1", "粤ICP备2026000001号-2"}));
  // The same subject's next website continues its count; a new subject takes the next number.
  auto b = svc.Approve(Filing("91440300MA5FAAAA1A", {"example-three.cn"}));
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_FALSE(b->new_subject);
  EXPECT_EQ(b->website_sns, (std::vector<std::string>{"粤ICP备2026000001号-3"}));
  auto c = svc.Approve(Filing("91440300MA5FBBBB2B", {"example-four.cn"}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->subject_sn, "粤ICP备2026000002号");
  // Another province has its own sequence.
  auto d = svc.Approve(Filing("91110000MA5FCCCC3C", {"example-five.cn"}, "11"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->subject_sn, "京ICP备2026000001号");
  // Every SN parses back to its province and sequence.
  auto parsed = domain::ParseSn(rules(), c->subject_sn);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->province_code, "44");
  EXPECT_EQ(parsed->sequence, 2);
}

TEST_P(RegistryServiceTest, YearIsChinaTimeAndNewYearRestartsTheSequence) {
  RegistryService svc = Service();
  // 2026-12-31 16:30 UTC is already 2027 in Beijing.
  clock_.Set(core::TimePoint(std::chrono::seconds(1798734600)));
  auto a = svc.Approve(Filing("91440300MA5FAAAA1A", {"a-example.cn"}));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->subject_sn, "粤ICP备2027000001号");
}

TEST_P(RegistryServiceTest, AFiledDomainIsRefusedAndNothingIsWritten) {
  RegistryService svc = Service();
  ASSERT_TRUE(svc.Approve(Filing("91440300MA5FAAAA1A", {"example-one.cn"})));
  auto again = svc.Approve(Filing("91440300MA5FBBBB2B", {"www.example-one.cn"}));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kDomainConflict);
  // The refused approval took no number: the next subject is 2.
  auto next = svc.Approve(Filing("91440300MA5FBBBB2B", {"example-two.cn"}));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->subject_sn, "粤ICP备2026000002号");
}

TEST_P(RegistryServiceTest, EightConcurrentApprovalsInOneProvinceGetConsecutiveSns) {
  constexpr int kApprovals = 8;
  std::vector<std::unique_ptr<store::Database>> connections;
  for (int i = 0; i < kApprovals; ++i) {
    auto d = Open({.pool_size = 1});
    ASSERT_TRUE(d) << d.error().message;
    connections.push_back(std::move(*d));
  }
  std::vector<std::string> sns(kApprovals);
  std::vector<std::string> errors(kApprovals);
  std::vector<std::thread> threads;
  for (int i = 0; i < kApprovals; ++i) {
    threads.emplace_back([&, i] {
      RegistryService svc(*connections[i], clock_, pii_, rules());
      char number[32];
      std::snprintf(number, sizeof number, "91440300MA5F%04dX", i);
      auto a = svc.Approve(Filing(number, {"concurrent-" + std::to_string(i) + ".cn"}));
      if (a) {
        sns[i] = a->subject_sn;
      } else {
        errors[i] = a.error().message;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& e : errors) EXPECT_EQ(e, "");
  std::set<int64_t> sequences;
  for (const std::string& sn : sns) {
    auto parsed = domain::ParseSn(rules(), sn);
    ASSERT_TRUE(parsed) << sn;
    sequences.insert(parsed->sequence);
  }
  EXPECT_EQ(sequences.size(), static_cast<size_t>(kApprovals));
  EXPECT_EQ(*sequences.begin(), 1);
  EXPECT_EQ(*sequences.rbegin(), kApprovals);
  // The change feed holds one change per website, in commit order without gaps.
  auto changes = Service().Changes(0, 100);
  ASSERT_TRUE(changes);
  const json::array& list = changes->at("changes").as_array();
  ASSERT_EQ(list.size(), static_cast<size_t>(kApprovals));
  for (size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i].at("seq").as_int64(), static_cast<int64_t>(i + 1));
  }
}

TEST_P(RegistryServiceTest, LookupAnswersInTheRegistryJsonShape) {
  RegistryService svc = Service();
  ASSERT_TRUE(svc.Approve(Filing("91440300MA5FAAAA1A", {"example-one.cn"})));
  store::Provider p1{.id = "p1"};
  store::Provider p2{.id = "p2"};
  auto mine = svc.Lookup(p1, "uscc", "91440300ma5faaaa-1a", {"www.example-one.cn"});
  ASSERT_TRUE(mine) << mine.error().message;
  auto registry = domain::InMemoryRegistry::FromJson(*mine);
  ASSERT_TRUE(registry) << registry.error().message;
  auto subject = registry->FindSubject("uscc", "91440300MA5FAAAA1A");
  ASSERT_TRUE(subject);
  EXPECT_EQ(subject->subject_sn, "粤ICP备2026000001号");
  ASSERT_TRUE(subject->person_in_charge);  // p1 gives access
  EXPECT_EQ(subject->person_in_charge->mobile, "13800000000");
  auto website = registry->FindWebsite("example-one.cn");
  ASSERT_TRUE(website);
  EXPECT_EQ(website->providers, std::vector<std::string>{"p1"});
  // Another provider sees the filing but not the persons.
  auto theirs = svc.Lookup(p2, "uscc", "", {"example-one.cn"});
  ASSERT_TRUE(theirs);
  EXPECT_TRUE(theirs->at("subjects").as_array().empty());
  ASSERT_EQ(theirs->at("websites").as_array().size(), 1u);
  EXPECT_FALSE(theirs->at("websites").as_array()[0].as_object().contains("person_in_charge"));
  auto none = svc.Lookup(p2, "uscc", "91440300MA5FZZZZ9Z", {"unknown-example.cn"});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->at("subjects").as_array().empty());
  EXPECT_TRUE(none->at("websites").as_array().empty());
}

TEST_P(RegistryServiceTest, CredentialsNeedTheSubjectSnAndPassword) {
  RegistryService svc = Service();
  FilingInput f = Filing("91440300MA5FAAAA1A", {"example-one.cn"});
  auto hash = core::HashPassword("Kp7mWq2xZr9t", core::PasswordCost::kMinimum);
  ASSERT_TRUE(hash);
  f.icp_password_hash = *hash;
  auto a = svc.Approve(f);
  ASSERT_TRUE(a);
  auto check = [&](std::string number, std::string sn, std::string password) {
    auto r = svc.VerifyCredentials("uscc", number, sn, password);
    EXPECT_TRUE(r) << r.error().message;
    return r && *r;
  };
  EXPECT_TRUE(check("91440300MA5FAAAA1A", a->subject_sn, "Kp7mWq2xZr9t"));
  EXPECT_TRUE(check("91440300MA5FAAAA1A", "粤icp备2026000001", "Kp7mWq2xZr9t"));  // as typed
  EXPECT_FALSE(check("91440300MA5FAAAA1A", a->subject_sn, "Kp7mWq2xZr9T"));
  EXPECT_FALSE(check("91440300MA5FAAAA1A", "粤ICP备2026000002号", "Kp7mWq2xZr9t"));
  EXPECT_FALSE(check("91440300MA5FAAAA1A", a->website_sns[0], "Kp7mWq2xZr9t"));
  EXPECT_FALSE(check("91440300MA5FBBBB2B", a->subject_sn, "Kp7mWq2xZr9t"));
}

TEST_P(RegistryServiceTest, PublicQueryByDomainSnAndOrganizerWithMasking) {
  RegistryService svc = Service();
  ASSERT_TRUE(svc.Approve(Filing("91440300MA5FAAAA1A", {"example-one.cn"})));
  FilingInput person = Filing("440301199001011234", {"zhang-example.cn"});
  person.certificate_type = "resident_id_card";
  person.organizer_type = "individual";
  person.organizer_name = "张小三";
  ASSERT_TRUE(svc.Approve(person));
  auto q = [&](RegistryService::PublicQuery query) {
    auto r = svc.Query(query);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->at("results").as_array() : json::array();
  };
  auto by_domain = q({.domain = "WWW.Example-One.cn"});
  ASSERT_EQ(by_domain.size(), 1u);
  EXPECT_EQ(by_domain[0].at("website_sn").as_string(), "粤ICP备2026000001号-1");
  EXPECT_EQ(q({.sn = "粤ICP备2026000001号-1"}).size(), 1u);
  EXPECT_EQ(q({.sn = "粤ICP备2026000001号"}).size(), 1u);
  EXPECT_EQ(q({.sn = "粤ICP备2026000009号"}).size(), 0u);
  EXPECT_EQ(q({.organizer = "深圳市示例科技有限公司"}).size(), 1u);
  EXPECT_EQ(q({.organizer = "深圳市示例"}).size(), 0u);
  EXPECT_EQ(q({.organizer = "深圳市示例", .prefix = true}).size(), 1u);
  auto individual = q({.domain = "zhang-example.cn"});
  ASSERT_EQ(individual.size(), 1u);
  EXPECT_EQ(individual[0].at("organizer_name").as_string(), "张**");
  EXPECT_FALSE(svc.Query({}));
  EXPECT_FALSE(svc.Query({.domain = "a.cn", .sn = "x"}));
}

TEST_P(RegistryServiceTest, OrganizerQueryPages) {
  RegistryService svc = Service();
  FilingInput f = Filing("91440300MA5FAAAA1A", {"page-1.cn"});
  for (int i = 2; i <= 5; ++i) {
    f.websites.push_back({"站" + std::to_string(i), {"page-" + std::to_string(i) + ".cn"}, {}});
  }
  ASSERT_TRUE(svc.Approve(f));
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    auto r = svc.Query({.organizer = "深圳市示例科技有限公司", .limit = 2, .cursor = cursor});
    ASSERT_TRUE(r);
    for (const auto& item : r->at("results").as_array()) {
      seen.push_back(std::string(item.at("website_sn").as_string()));
    }
    if (r->at("next_cursor").is_null()) break;
    cursor = std::string(r->at("next_cursor").as_string());
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 5u);
}

TEST_P(RegistryServiceTest, VerifierRefusalsHaveDistinctCodes) {
  SignatureVerifier verifier(db(), clock_, pii_);
  auto key = core::ParseProviderKey(key_text_);
  ASSERT_TRUE(key);
  const int64_t now_s = 1780315200;
  auto request = [&](std::string provider, std::string_view k, int64_t ts) {
    http::Request req;
    req.method = "GET";
    req.target = "/authority/v1/registry/changes?since=0";
    for (auto& [name, value] : core::SignedHeaders(provider, k, req.method, req.target, "", ts)) {
      req.headers.emplace_back(name, value);
    }
    return req;
  };
  http::Request good = request("p1", *key, now_s);
  auto ok = verifier.Verify(good);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->id, "p1");
  EXPECT_EQ(verifier.Verify(good).error().code, ErrorCode::kReplayed);
  EXPECT_EQ(verifier.Verify(request("p1", *key, now_s - 301)).error().code,
            ErrorCode::kTimestampSkew);
  EXPECT_EQ(verifier.Verify(request("p9", *key, now_s)).error().code, ErrorCode::kUnknownProvider);
  EXPECT_EQ(verifier.Verify(request("p1", std::string(32, 'z'), now_s)).error().code,
            ErrorCode::kBadSignature);
  http::Request tampered = request("p1", *key, now_s);
  tampered.target += "&x=1";
  EXPECT_EQ(verifier.Verify(tampered).error().code, ErrorCode::kBadSignature);
  EXPECT_EQ(verifier.Verify(http::Request{}).error().code, ErrorCode::kBadSignature);
  // Nonces are purged once the window has passed; by then the timestamp refuses a replay.
  clock_.Advance(std::chrono::minutes(6));
  auto purged = verifier.PurgeExpiredNonces();
  ASSERT_TRUE(purged);
  EXPECT_GE(*purged, 1);
  EXPECT_EQ(verifier.Verify(good).error().code, ErrorCode::kTimestampSkew);
}

TEST_P(RegistryServiceTest, LocalProviderKeyIsKeptInItsFile) {
  const std::string file =
      (std::filesystem::temp_directory_path() / ("beian-provider-" + core::RandomId())).string();
  auto first =
      EnsureLocalProvider(db(), clock_, pii_, {"local", "Local", "http://127.0.0.1:8080"}, file);
  ASSERT_TRUE(first) << first.error().message;
  auto second =
      EnsureLocalProvider(db(), clock_, pii_, {"local", "Local", "http://127.0.0.1:8080"}, file);
  ASSERT_TRUE(second);
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::group_all,
            std::filesystem::perms::none);
  // A lost file: a new key, which the provider row now holds.
  std::filesystem::remove(file);
  auto third =
      EnsureLocalProvider(db(), clock_, pii_, {"local", "Local", "http://127.0.0.1:8080"}, file);
  ASSERT_TRUE(third);
  EXPECT_NE(*third, *first);
  auto stored = db().Read([&](store::Tx& tx) { return store::ProviderRepo(tx).Find("local"); });
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ(*pii_.Open((*stored)->key_sealed, store::kProviderKeyColumn), *third);
  std::filesystem::remove(file);
}

BEIAN_INSTANTIATE_STORE_SUITE(RegistryServiceTest);

TEST(PublicOrganizerNameTest, MasksIndividualsOnly) {
  EXPECT_EQ(PublicOrganizerName("individual", "张三"), "张*");
  EXPECT_EQ(PublicOrganizerName("individual", "欧阳小明"), "欧***");
  EXPECT_EQ(PublicOrganizerName("individual", "李"), "李*");
  EXPECT_EQ(PublicOrganizerName("enterprise", "某某有限公司"), "某某有限公司");
}

}  // namespace
}  // namespace beian::authority
