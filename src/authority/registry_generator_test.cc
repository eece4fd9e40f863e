// The registry generator on both backends: the same seed gives the same registry; SNs per
// RULES.md "Numbers", unique, continued by a later approval; one change per website whose record
// equals what the registry answers; certificates and persons sealed and found as approved ones
// are; the fast path (indexes dropped and re-created) leaves the schema as migrated; a second
// run of the same seed is refused without damage.
#include "authority/registry_generator.h"

#include <gmock/gmock.h>

#include <map>
#include <set>
#include <sstream>

#include "authority/providers.h"
#include "authority/registry_service.h"
#include "domain/numbering.h"
#include "domain/rules_test_support.h"
#include "domain/synthetic_registry.h"
#include "store/registry.h"
#include "store/registry_bulk.h"
#include "store/testing/backends.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::ErrorCode;

const domain::Rules& R() { return domain::testing::EmbeddedRules(); }

class RegistryGeneratorTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie("authority");
    ASSERT_TRUE(AddProvider(db(), clock_, pii_, {"p1", "Provider One", "http://127.0.0.1:1"}));
  }

  core::Result<GenerateRegistryReport> Generate(store::Database& target, int64_t n, uint64_t seed,
                                                int64_t rebuild_from = 100'000,
                                                std::ostream* domains = nullptr) {
    return GenerateRegistry(target, clock_, pii_, R(),
                            {.filings = n,
                             .seed = seed,
                             .provinces = {},
                             .provider_id = "p1",
                             .batch = 64,
                             .domains_out = domains,
                             .rebuild_indexes_from = rebuild_from,
                             .progress = {}});
  }

  // Every row that the generator writes, as text, in key order (ids included).
  std::string Dump(store::Database& target) {
    static constexpr store::Statement kDump{
        "test.registry_dump",
        "SELECT s.id || '|' || s.subject_sn || '|' || s.certificate_hash || '|' || s.organizer_name"
        " || '|' || s.status || '|' || w.id || '|' || w.website_sn || '|' || w.name || '|' ||"
        " w.status || '|' || CAST(w.approved_at AS TEXT) || '|' || COALESCE((SELECT"
        " MIN(d.domain) FROM registry_domains d WHERE d.website_id = w.id), '')"
        " FROM registry_websites w JOIN registry_subjects s ON s.id = w.subject_id"
        " ORDER BY w.website_sn"};
    static constexpr store::Statement kChanges{
        "test.registry_changes_dump",
        "SELECT CAST(seq AS TEXT) || '|' || website_sn || '|' || body FROM registry_changes"
        " ORDER BY seq"};
    static constexpr store::Statement kDomains{
        "test.registry_domains_dump",
        "SELECT domain || '|' || website_id || '|' || CAST(valid_from AS TEXT) || '|' ||"
        " COALESCE(CAST(valid_to AS TEXT), '') FROM registry_domains ORDER BY domain, website_id"};
    auto text = target.Read([&](store::Tx& tx) -> core::Result<std::string> {
      std::string out;
      for (const auto* s : {&kDump, &kChanges, &kDomains}) {
        BEIAN_ASSIGN_OR_RETURN(auto rows, tx.Query(*s));
        for (const store::Row& row : rows) {
          BEIAN_ASSIGN_OR_RETURN(std::string line, row.GetText(0));
          out += line + "\n";
        }
      }
      return out;
    });
    EXPECT_TRUE(text) << text.error().message;
    return text ? *text : "";
  }

  std::vector<std::string> IndexNames(store::Database& target) {
    std::vector<std::string> names;
    for (const char* table : {"registry_subjects", "registry_websites", "registry_domains"}) {
      auto indexes = target.Read(
          [&](store::Tx& tx) { return store::RegistryBulkWriter(tx).SecondaryIndexes(table); });
      EXPECT_TRUE(indexes) << indexes.error().message;
      if (indexes) {
        for (const auto& i : *indexes) names.push_back(i.name);
      }
    }
    return names;
  }

  // A second, fresh authority database on the same backend (dropped in TearDown).
  std::unique_ptr<store::Database> OpenOther() {
    std::string url;
    if (postgres()) {
      const std::string server = store::testing::EnvOr("BEIAN_TEST_POSTGRES_URL", "");
      other_pg_ = "beian_test_gen_" + std::to_string(getpid());
      store::testing::PgAdmin(server, "DROP DATABASE IF EXISTS " + other_pg_ + " WITH (FORCE)");
      EXPECT_EQ(store::testing::PgAdmin(server, "CREATE DATABASE " + other_pg_), "");
      url = store::testing::WithDatabase(server, other_pg_);
    } else {
      other_file_ = std::filesystem::temp_directory_path() /
                    ("beian-gen-other-" + std::to_string(getpid()) + ".db");
      std::filesystem::remove(other_file_);
      url = "sqlite://" + other_file_.string();
    }
    auto other = store::OpenDatabase(url);
    EXPECT_TRUE(other) << other.error().message;
    if (!other) return nullptr;
    auto migrated = store::Migrate(**other, "authority");
    EXPECT_TRUE(migrated) << migrated.error().message;
    return std::move(*other);
  }

  void TearDown() override {
    if (!other_pg_.empty()) {
      store::testing::PgAdmin(store::testing::EnvOr("BEIAN_TEST_POSTGRES_URL", ""),
                              "DROP DATABASE IF EXISTS " + other_pg_ + " WITH (FORCE)");
    }
    if (!other_file_.empty()) {
      for (const char* ext : {"", "-wal", "-shm"}) {
        std::filesystem::remove(other_file_.string() + ext);
      }
    }
    StoreTest::TearDown();
  }

  std::string other_pg_;
  std::filesystem::path other_file_;

  // 2026-06-01 12:00 UTC.
  core::ManualClock clock_{core::TimePoint(std::chrono::seconds(1780315200))};
  core::PiiCipher pii_{std::string(32, 'k')};
};

TEST_P(RegistryGeneratorTest, WritesSubjectsWebsitesDomainsAndOneChangePerWebsite) {
  const std::vector<std::string> before = IndexNames(db());
  ASSERT_EQ(before.size(), 5u);  // the migrated secondary indexes of the registry tables
  std::ostringstream domains_out;
  // rebuild_from 1: the fast path (indexes dropped and re-created) even for this small N.
  auto report = Generate(db(), 300, 9, 1, &domains_out);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->indexes_rebuilt);
  EXPECT_EQ(report->domains_staged, !postgres());
  EXPECT_EQ(IndexNames(db()), before);
  EXPECT_EQ(report->subjects, 300);
  EXPECT_GE(report->websites, 300);
  EXPECT_EQ(report->last_seq, report->websites);  // one change per website

  // The domains file: the filed (active) domains, each answered by the registry.
  std::istringstream lines(domains_out.str());
  std::vector<std::string> filed;
  for (std::string d; std::getline(lines, d);) filed.push_back(d);
  EXPECT_EQ(static_cast<int64_t>(filed.size()), report->active_domains);
  EXPECT_EQ(std::set<std::string>(filed.begin(), filed.end()).size(), filed.size());

  RegistryService svc(db(), clock_, pii_, R());
  auto changes = svc.Changes(0, 1000);
  ASSERT_TRUE(changes) << changes.error().message;
  const json::array& items = changes->at("changes").as_array();
  ASSERT_EQ(static_cast<int64_t>(items.size()), report->websites);
  std::set<std::string> sns;
  int active = 0;
  for (const json::value& item : items) {
    const json::object& c = item.as_object();
    const std::string sn(c.at("website_sn").as_string());
    EXPECT_TRUE(sns.insert(sn).second) << sn;
    auto parsed = domain::ParseSn(R(), sn);
    ASSERT_TRUE(parsed && parsed->website_index) << sn;
    EXPECT_EQ(parsed->canonical, sn);
    // The feed's record is what the registry answers for the website now.
    auto row = db().Read([&](store::Tx& tx) { return store::RegistryRepo(tx).WebsiteBySn(sn); });
    ASSERT_TRUE(row && *row);
    EXPECT_EQ(json::serialize(c.at("record")),
              json::serialize(RegistryService::PublicRecord(**row)));
    if ((*row)->status == "active") {
      ++active;
      for (const std::string& d : (*row)->domains) {
        EXPECT_THAT(filed, ::testing::Contains(d));
        auto q = svc.Query({.domain = d});
        ASSERT_TRUE(q);
        EXPECT_EQ(q->at("results").as_array().size(), 1u) << d;
      }
    }
  }
  EXPECT_GT(active, 0);
  EXPECT_LT(active, static_cast<int>(items.size()));  // some cancelled
}

TEST_P(RegistryGeneratorTest, SameSeedSameRegistry) {
  auto first = Generate(db(), 150, 5);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(first->indexes_rebuilt);  // below rebuild_indexes_from

  std::unique_ptr<store::Database> other = OpenOther();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(AddProvider(*other, clock_, pii_, {"p1", "Provider One", "http://127.0.0.1:1"}));
  auto second = Generate(*other, 150, 5, 1);  // the fast path: the same rows
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_FALSE(first->domains_staged);
  EXPECT_EQ(second->domains_staged, !postgres());  // SQLite stages the domains
  EXPECT_EQ(second->domains, first->domains);
  const std::string a = Dump(db());
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, Dump(*other));
}

TEST_P(RegistryGeneratorTest, SnsFollowCountersAndApprovalsContinueThem) {
  auto report = Generate(db(), 400, 3);
  ASSERT_TRUE(report) << report.error().message;
  // Per (province, year): sequences 1..k without gaps, and sn_counters at k.
  static constexpr store::Statement kSubjects{
      "test.subject_sequences", "SELECT province, sn_year, sn_sequence FROM registry_subjects"};
  auto rows = db().Read([](store::Tx& tx) { return tx.Query(kSubjects); });
  ASSERT_TRUE(rows);
  std::map<std::pair<std::string, int>, std::set<int64_t>> seqs;
  for (const store::Row& r : *rows) {
    seqs[{*r.GetText(0), static_cast<int>(*r.GetInt(1))}].insert(*r.GetInt(2));
  }
  auto counters =
      db().Read([](store::Tx& tx) { return store::RegistryBulkWriter(tx).SnCounters(); });
  ASSERT_TRUE(counters);
  ASSERT_EQ(counters->size(), seqs.size());
  for (const auto& [key, set] : seqs) {
    EXPECT_EQ(*set.begin(), 1);
    EXPECT_EQ(*set.rbegin(), static_cast<int64_t>(set.size()));
    EXPECT_EQ(counters->at(key), static_cast<int64_t>(set.size()));
  }
  // An approval now (2026, a province with generated 2026 filings) takes the next number.
  auto key =
      std::find_if(seqs.begin(), seqs.end(), [](const auto& e) { return e.first.second == 2026; });
  ASSERT_NE(key, seqs.end());
  FilingInput f;
  f.province = key->first.first;
  f.certificate_type = "business_license";
  f.certificate_number = "91440300MA5FXXXX0X";
  f.organizer_type = "enterprise";
  f.organizer_name = "深圳市示例科技有限公司";
  f.websites.push_back({"示例网", {"generator-followup.cn"}, std::nullopt});
  f.provider_id = "p1";
  auto approved = RegistryService(db(), clock_, pii_, R()).Approve(f);
  ASSERT_TRUE(approved) << approved.error().message;
  auto expected = domain::FormatSubjectSn(R(), key->first.first, 2026,
                                          static_cast<int64_t>(key->second.size()) + 1);
  ASSERT_TRUE(expected);
  EXPECT_EQ(approved->subject_sn, *expected);
}

TEST_P(RegistryGeneratorTest, CertificatesAndPersonsAreSealedAsApprovalsSealThem) {
  auto report = Generate(db(), 50, 4);
  ASSERT_TRUE(report) << report.error().message;
  const domain::SyntheticRegistry synthetic(R(), {.seed = 4, .provinces = {}, .now_ms = 0});
  RegistryService svc(db(), clock_, pii_, R());
  int checked = 0;
  for (int64_t i = 0; i < 50 && checked < 5; ++i) {
    const domain::SyntheticFiling f = synthetic.Filing(i);
    if (f.cancelled_ms != 0) continue;
    // Found by its certificate number (the keyed hash), the person opened for the provider.
    auto found =
        svc.Lookup(store::Provider{.id = "p1"}, f.certificate_type, f.certificate_number, {});
    ASSERT_TRUE(found) << found.error().message;
    const json::array& subjects = found->at("subjects").as_array();
    ASSERT_EQ(subjects.size(), 1u) << f.certificate_number;
    const json::object& s = subjects[0].as_object();
    EXPECT_EQ(s.at("name").as_string(), f.organizer_name);
    ASSERT_TRUE(s.contains("person_in_charge"));
    EXPECT_EQ(s.at("person_in_charge").at("id_number").as_string(), f.person_in_charge.id_number);
    ++checked;
  }
  EXPECT_EQ(checked, 5);
  // Stored sealed: no plaintext certificate number in the table.
  static constexpr store::Statement kSealed{
      "test.sealed_certificates", "SELECT certificate_sealed FROM registry_subjects LIMIT 5"};
  auto rows = db().Read([](store::Tx& tx) { return tx.Query(kSealed); });
  ASSERT_TRUE(rows);
  for (const store::Row& r : *rows) EXPECT_TRUE(r.GetText(0)->starts_with("enc1:"));
}

TEST_P(RegistryGeneratorTest, TheSameSeedAgainIsRefusedAndTheSchemaStays) {
  ASSERT_TRUE(Generate(db(), 40, 6));
  const std::vector<std::string> before = IndexNames(db());
  auto again = Generate(db(), 40, 6, 1);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(IndexNames(db()), before);
  EXPECT_FALSE(Generate(db(), 0, 6));
  GenerateRegistryOptions unknown_province;
  unknown_province.filings = 5;
  unknown_province.provinces = {"99"};
  auto bad = GenerateRegistry(db(), clock_, pii_, R(), unknown_province);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kValidationFailed);
}

BEIAN_INSTANTIATE_STORE_SUITE(RegistryGeneratorTest);

}  // namespace
}  // namespace beian::authority
