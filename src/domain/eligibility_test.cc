// Server and domain eligibility against the provider's inventory.
#include "domain/eligibility.h"

#include <gtest/gtest.h>

#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

using namespace std::chrono;

constexpr Date kToday = 2025y / June / 2;

const Rules& R() { return testing::EmbeddedRules(); }

Instance Good() {
  return {"i-1", "cn-beijing", true, true, "subscription", 2025y / September / 2, 5, 4};
}
InventoryDomain GoodDomain() {
  return {"example.com", "北京示例科技有限公司", true, 2025y / September / 2};
}

std::vector<std::string> Codes(const Findings& fs) {
  std::vector<std::string> out;
  for (const Finding& f : fs) out.push_back(f.code);
  return out;
}

Application App(int websites, std::string organizer_type = "enterprise") {
  Application app;
  app.organizer.type = std::move(organizer_type);
  app.organizer.name = "北京示例科技有限公司";
  for (int i = 0; i < websites; ++i) {
    Website w;
    w.domains = {i == 0 ? "www.example.com" : "example" + std::to_string(i) + ".cn"};
    w.instance_id = "i-1";
    app.websites.push_back(w);
  }
  return app;
}

TEST(EligibilityTest, GoodInstanceExactlyThreeMonthsLeft) {
  EXPECT_TRUE(CheckInstance(Good(), 1, Timing{}, kToday, "f").empty());
}

TEST(EligibilityTest, InstanceRules) {
  Instance in = Good();
  in.mainland = false;
  EXPECT_EQ(Codes(CheckInstance(in, 1, Timing{}, kToday, "f")),
            std::vector<std::string>{"instance_not_mainland"});
  in = Good();
  in.public_ip = false;
  EXPECT_EQ(Codes(CheckInstance(in, 1, Timing{}, kToday, "f")),
            std::vector<std::string>{"instance_no_public_ip"});
  in = Good();
  in.billing = "pay_as_you_go";
  EXPECT_EQ(Codes(CheckInstance(in, 1, Timing{}, kToday, "f")),
            std::vector<std::string>{"instance_not_subscription"});
  in = Good();
  in.expires_at = 2025y / September / 1;  // one day short of three months
  EXPECT_EQ(Codes(CheckInstance(in, 1, Timing{}, kToday, "f")),
            std::vector<std::string>{"instance_expires_soon"});
  in.expires_at = std::nullopt;
  EXPECT_EQ(Codes(CheckInstance(in, 1, Timing{}, kToday, "f")),
            std::vector<std::string>{"instance_expires_soon"});
  in = Good();
  EXPECT_EQ(Codes(CheckInstance(in, 2, Timing{}, kToday, "f")),
            std::vector<std::string>{"instance_no_service_code"});
  Timing six;
  six.server_min_months_left = 6;
  EXPECT_EQ(Codes(CheckInstance(Good(), 1, six, kToday, "f")),
            std::vector<std::string>{"instance_expires_soon"});
}

TEST(EligibilityTest, DomainRules) {
  const Province* beijing = R().FindProvince("11");
  const Province* tianjin = R().FindProvince("12");  // accepts the legal representative
  EXPECT_TRUE(
      CheckInventoryDomain(GoodDomain(), "北京示例科技有限公司", "", beijing, Timing{}, kToday, "f")
          .empty());
  InventoryDomain d = GoodDomain();
  d.real_name_verified = false;
  EXPECT_EQ(
      Codes(CheckInventoryDomain(d, "北京示例科技有限公司", "", beijing, Timing{}, kToday, "f")),
      std::vector<std::string>{"domain_not_real_name_verified"});
  d = GoodDomain();
  d.expires_at = 2025y / August / 31;
  EXPECT_EQ(
      Codes(CheckInventoryDomain(d, "北京示例科技有限公司", "", beijing, Timing{}, kToday, "f")),
      std::vector<std::string>{"domain_expires_soon"});
  d = GoodDomain();
  d.holder_name = "王五";
  Findings mismatch =
      CheckInventoryDomain(d, "北京示例科技有限公司", "", beijing, Timing{}, kToday, "f");
  ASSERT_EQ(Codes(mismatch), std::vector<std::string>{"domain_holder_mismatch"});
  EXPECT_EQ(mismatch[0].severity, Severity::kError);
  // Decision 6: Tianjin accepts the legal representative as holder — when it is them.
  EXPECT_TRUE(
      CheckInventoryDomain(d, "北京示例科技有限公司", "王五", tianjin, Timing{}, kToday, "f")
          .empty());
  EXPECT_EQ(Codes(CheckInventoryDomain(d, "北京示例科技有限公司", "赵六", tianjin, Timing{}, kToday,
                                       "f")),
            std::vector<std::string>{"domain_holder_mismatch"});
  // Beijing does not.
  EXPECT_EQ(Codes(CheckInventoryDomain(d, "北京示例科技有限公司", "王五", beijing, Timing{}, kToday,
                                       "f")),
            std::vector<std::string>{"domain_holder_mismatch"});
}

TEST(EligibilityTest, HolderNamesCompareAsPrinted) {
  InventoryDomain d = GoodDomain();
  d.holder_name = "示例（北京）科技有限公司 ";
  EXPECT_TRUE(CheckInventoryDomain(d, "示例(北京)科技有限公司", "", nullptr, Timing{}, kToday, "f")
                  .empty());
}

// Spaces inside a name (ASCII or the ideographic U+3000) are not part of it: the holder's
// registrar record and the certificate often space a name differently. Anything else that
// differs still does.
TEST(EligibilityTest, HolderNamesIgnoreInteriorSpaces) {
  struct Case {
    const char* holder;
    const char* organizer;
    bool same;
  };
  const Case cases[] = {
      {"示例 科技有限公司", "示例科技有限公司", true},
      {"示例科技有限公司", "示 例 科 技 有 限 公 司", true},
      {"示例\u3000科技有限公司", "示例科技有限公司", true},
      {"示例  （北京）  科技有限公司", "示例(北京)科技有限公司", true},
      {"Example Tech  Co", "ExampleTechCo", true},
      // RULES.md decision 6: whitespace only, nothing more — ASCII case counts.
      {"Example Tech  Co", "exampletechco", false},
      {"示例 科技有限公司", "示例科技有限公", false},
      {"示例-科技有限公司", "示例科技有限公司", false},
      {"示例 科技有限公司", "示例(科技)有限公司", false},
  };
  for (const Case& c : cases) {
    InventoryDomain d = GoodDomain();
    d.holder_name = c.holder;
    Findings f = CheckInventoryDomain(d, c.organizer, "", nullptr, Timing{}, kToday, "f");
    if (c.same) {
      EXPECT_TRUE(f.empty()) << c.holder << " / " << c.organizer;
    } else {
      EXPECT_EQ(Codes(f), std::vector<std::string>{"domain_holder_mismatch"})
          << c.holder << " / " << c.organizer;
    }
  }
}

TEST(EligibilityTest, WebsitesOnOneInstanceShareItsCodes) {
  InMemoryInventory inv;
  inv.AddInstance(Good());  // one free code
  inv.AddDomain(GoodDomain());
  inv.AddDomain({"example1.cn", "北京示例科技有限公司", true, 2026y / January / 1});
  Findings one = CheckEligibility(App(1), &inv, R(), R().FindProvince("11"), kToday);
  EXPECT_TRUE(one.empty());
  Findings two = CheckEligibility(App(2), &inv, R(), R().FindProvince("11"), kToday);
  ASSERT_EQ(Codes(two), std::vector<std::string>{"instance_no_service_code"});
  EXPECT_EQ(two[0].field, "websites[0].instance_id");
  EXPECT_EQ(two[0].params.at("needed"), "2");
  // A website already filed through this provider keeps its code.
  EXPECT_TRUE(
      CheckEligibility(App(2), &inv, R(), R().FindProvince("11"), kToday, {false, true}).empty());
}

TEST(EligibilityTest, UnknownInstanceMissingInstanceAndForeignDomain) {
  InMemoryInventory inv;
  Application app = App(1);
  Findings fs = CheckEligibility(app, &inv, R(), nullptr, kToday);
  EXPECT_EQ(Codes(fs), (std::vector<std::string>{"instance_not_found", "domain_not_in_inventory"}));
  EXPECT_EQ(fs[0].severity, Severity::kError);
  EXPECT_EQ(fs[1].severity, Severity::kWarning);
  app.websites[0].instance_id = " ";
  EXPECT_EQ(Codes(CheckEligibility(app, &inv, R(), nullptr, kToday))[0], "required");
}

TEST(EligibilityTest, WithoutInventoryOnlyWarnings) {
  Findings fs = CheckEligibility(App(2), nullptr, R(), nullptr, kToday);
  EXPECT_EQ(Codes(fs), (std::vector<std::string>{"instance_not_verified", "domain_not_verified",
                                                 "instance_not_verified", "domain_not_verified"}));
  EXPECT_FALSE(HasError(fs));
  EXPECT_EQ(fs[1].params.at("domain"), "example.com");
}

TEST(EligibilityTest, IndividualsHaveNoLegalRepresentativeAlternative) {
  InMemoryInventory inv;
  inv.AddInstance(Good());
  InventoryDomain d = GoodDomain();
  d.holder_name = "王五";
  inv.AddDomain(d);
  Application app = App(1, "individual");
  app.organizer.name = "张三";
  Findings fs = CheckEligibility(app, &inv, R(), R().FindProvince("12"), kToday);
  EXPECT_EQ(Codes(fs), std::vector<std::string>{"domain_holder_mismatch"});
}

}  // namespace
}  // namespace beian::domain

namespace beian::domain {
namespace {

// RULES.md decision 6: holder names compare after NFKC with all whitespace removed, nothing more;
// in the listed provinces the legal representative may hold the domain instead.
struct HolderCase {
  const char* holder;
  const char* organizer;
  const char* legal_representative;
  const char* province;
  bool ok;
};

class Decision6 : public ::testing::TestWithParam<HolderCase> {};

TEST_P(Decision6, Table) {
  const HolderCase& c = GetParam();
  InventoryDomain d = GoodDomain();
  d.holder_name = c.holder;
  Findings f = CheckInventoryDomain(d, c.organizer, c.legal_representative,
                                    R().FindProvince(c.province), Timing{}, kToday, "f");
  if (c.ok) {
    EXPECT_TRUE(f.empty()) << c.holder << " / " << c.organizer;
  } else {
    ASSERT_EQ(Codes(f), std::vector<std::string>{"domain_holder_mismatch"}) << c.holder;
    EXPECT_EQ(f[0].severity, Severity::kError);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Decision6,
    ::testing::Values(
        HolderCase{"示例（北京）科技有限公司", "示例(北京)科技有限公司", "", "11", true},
        HolderCase{"ＡＢＣ科技有限公司", "ABC科技有限公司", "", "11", true},  // full width
        HolderCase{"示例 北京 科技有限公司", "示例北京科技有限公司", "", "11", true},
        HolderCase{"示例　北京科技有限公司\t", "示例北京科技有限公司", "", "11", true},
        HolderCase{"示例科技有限公司", "示例科技(有限公司)", "", "11", false},  // brackets count
        HolderCase{"abc科技有限公司", "ABC科技有限公司", "", "11", false},      // so does case
        HolderCase{"示例科技股份有限公司", "示例科技有限公司", "", "11", false},
        // Legal representative as holder: listed provinces only, never Ningxia.
        HolderCase{"王五", "示例科技有限公司", "王五", "35", true},   // Fujian
        HolderCase{"王五", "示例科技有限公司", "王 五", "44", true},  // Guangdong
        HolderCase{"王五", "示例科技有限公司", "王五", "12", true},   // Tianjin
        HolderCase{"王五", "示例科技有限公司", "王五", "50", true},   // Chongqing
        HolderCase{"王五", "示例科技有限公司", "王五", "64", false},  // Ningxia
        HolderCase{"王五", "示例科技有限公司", "王五", "11", false},  // Beijing
        HolderCase{"王五", "示例科技有限公司", "王五", "34", false},  // Anhui (not listed)
        HolderCase{"王五", "示例科技有限公司", "赵六", "35", false},
        HolderCase{"王五", "示例科技有限公司", "", "35", false}),
    [](const auto& p) { return "case" + std::to_string(p.index); });

TEST(Decision6, LegalRepresentativeFromTheApplication) {
  InMemoryInventory inv;
  inv.AddInstance(Good());
  InventoryDomain d = GoodDomain();
  d.name = "example.com";
  d.holder_name = "王五";
  inv.AddDomain(d);
  Application app = App(1);
  app.websites[0].domains = {"example.com"};
  app.organizer.person_in_charge.name = "王五";  // absent representative: the person in charge
  const Province* fujian = R().FindProvince("35");
  EXPECT_TRUE(CheckEligibility(app, &inv, R(), fujian, kToday, {}).empty());
  app.organizer.legal_representative = {"赵六", "resident_id_card", "11010519491231002X"};
  EXPECT_EQ(Codes(CheckEligibility(app, &inv, R(), fujian, kToday, {})),
            std::vector<std::string>{"domain_holder_mismatch"});
  app.organizer.legal_representative.name = "王五";
  EXPECT_TRUE(CheckEligibility(app, &inv, R(), fujian, kToday, {}).empty());
}

// RULES.md decision 8: calendar months on China dates, expiry ≥ AddMonths(today, N) clamped to
// month end; the boundary passes; "长期" always passes.
struct MonthsCase {
  Date today;
  std::optional<Date> expires;
  bool long_term;
  int months;
  bool ok;
};

class Decision8 : public ::testing::TestWithParam<MonthsCase> {};

TEST_P(Decision8, Table) {
  const MonthsCase& c = GetParam();
  EXPECT_EQ(EnoughLeft(c.expires, c.long_term, c.today, c.months), c.ok);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Decision8,
    ::testing::Values(MonthsCase{2026y / November / 30, 2027y / February / 28, false, 3, true},
                      MonthsCase{2026y / November / 30, 2027y / February / 27, false, 3, false},
                      MonthsCase{2027y / November / 30, 2028y / February / 29, false, 3, true},
                      MonthsCase{2027y / November / 30, 2028y / February / 28, false, 3, false},
                      MonthsCase{2026y / January / 31, 2026y / April / 30, false, 3, true},
                      MonthsCase{2026y / June / 15, 2026y / September / 15, false, 3, true},
                      MonthsCase{2026y / June / 15, 2026y / September / 14, false, 3, false},
                      MonthsCase{2026y / June / 15, 2026y / July / 15, false, 1, true},
                      MonthsCase{2026y / June / 15, std::nullopt, true, 3, true},  // 长期
                      MonthsCase{2026y / June / 15, std::nullopt, false, 3, false}),
    [](const auto& p) { return "case" + std::to_string(p.index); });

TEST(Decision8, LongTermAndProvinceMonthsFromTheData) {
  auto inv = InMemoryInventory::FromJson(boost::json::parse(
      R"({"domains": [{"name": "example.com", "holder_name": "北京示例科技有限公司",
                       "real_name_verified": true, "expires_at": "长期"}]})"));
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  std::optional<InventoryDomain> d = inv->FindDomain("example.com");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->long_term);
  EXPECT_TRUE(CheckInventoryDomain(*d, "北京示例科技有限公司", "", R().FindProvince("11"),
                                   R().timing, kToday, "f")
                  .empty());
  // A province's own months override the default.
  Province p = *R().FindProvince("11");
  p.domain_min_months_left = 1;
  InventoryDomain soon = GoodDomain();
  soon.expires_at = 2025y / July / 2;  // one month after kToday
  EXPECT_TRUE(
      CheckInventoryDomain(soon, "北京示例科技有限公司", "", &p, R().timing, kToday, "f").empty());
  EXPECT_EQ(Codes(CheckInventoryDomain(soon, "北京示例科技有限公司", "", R().FindProvince("11"),
                                       R().timing, kToday, "f")),
            std::vector<std::string>{"domain_expires_soon"});
}

}  // namespace
}  // namespace beian::domain
