// Normalisation as the application is read (RULES.md decisions 2026-12-02: points 2, 3, 4 and the
// names of 6): one table per kind of value, and the application-wide pass.
#include "domain/normalize.h"

#include <gtest/gtest.h>

#include <string>

namespace beian::domain {
namespace {

struct Case {
  const char* in;
  const char* out;
};

class DomainNormalisation : public ::testing::TestWithParam<Case> {};

TEST_P(DomainNormalisation, Decision4) {
  EXPECT_EQ(NormalizeDomainName(GetParam().in), GetParam().out) << GetParam().in;
}

INSTANTIATE_TEST_SUITE_P(
    Table, DomainNormalisation,
    ::testing::Values(Case{"example.com", "example.com"},
                      Case{" WWW.Example.COM. ", "example.com"},  // trim, case, dot, registrable
                      Case{"example.com.", "example.com"},
                      Case{"ＥＸＡＭＰＬＥ．ＣＯＭ", "example.com"},  // NFKC (full width)
                      Case{"例子。中国", "例子.中国"},                // 。 → .
                      Case{"www.例子.中国", "例子.中国"},
                      Case{"xn--fsqu00a.xn--fiqs8s", "例子.中国"},  // stored as Unicode
                      Case{"shop.example.com.cn", "example.com.cn"},
                      Case{"com.cn", "com.cn"},  // a bare suffix stays (the check reports it)
                      // Still malformed: kept trimmed, judged as domain_invalid.
                      Case{" http://example.com ", "http://example.com"},
                      Case{"a_b.com", "a_b.com"}, Case{"", ""}));

class NumberNormalisation : public ::testing::TestWithParam<Case> {};

TEST_P(NumberNormalisation, Decisions1And3) {
  EXPECT_EQ(NormalizeNumber(GetParam().in), GetParam().out) << GetParam().in;
}

INSTANTIATE_TEST_SUITE_P(Table, NumberNormalisation,
                         ::testing::Values(Case{"91350100m000100y43", "91350100M000100Y43"},
                                           Case{" ９１３５ ０１００Ｍ０００１００Ｙ４３ ",
                                                "91350100M000100Y43"},
                                           Case{"e1234567", "E1234567"},
                                           Case{"11010519491231002x", "11010519491231002X"},
                                           Case{"南字第12345678号", "南字第12345678号"}));

class UnitCodeNormalisation : public ::testing::TestWithParam<Case> {};

TEST_P(UnitCodeNormalisation, Decision2) {
  EXPECT_EQ(NormalizeMilitaryUnitCode(GetParam().in), GetParam().out) << GetParam().in;
}

INSTANTIATE_TEST_SUITE_P(Table, UnitCodeNormalisation,
                         ::testing::Values(Case{"37001部队", "37001"},
                                           Case{"37001部队12分队", "37001"},
                                           Case{" ３７００１部队 ", "37001"}, Case{"6100", "6100"},
                                           Case{"37001", "37001"}));

class NameNormalisation : public ::testing::TestWithParam<Case> {};

TEST_P(NameNormalisation, Decision6) {
  EXPECT_EQ(NormalizeName(GetParam().in), GetParam().out) << GetParam().in;
}

INSTANTIATE_TEST_SUITE_P(Table, NameNormalisation,
                         ::testing::Values(Case{" 示例（北京）科技有限公司　",
                                                "示例(北京)科技有限公司"},
                                           Case{"ＡＢＣ科技", "ABC科技"},
                                           Case{"张 三", "张 三"}));  // inner space is kept

TEST(NormalizeApplication, EveryGovernedField) {
  Application app;
  app.organizer.name = " 示例（北京）科技有限公司 ";
  app.organizer.certificate = {"business_license", "91350100m000100y43 "};
  app.organizer.person_in_charge = {"张三 ", "resident_id_card", "11010519491231002x", "", ""};
  app.organizer.legal_representative = {" 王五", "passport", "e1234567"};
  Website w;
  w.name = "示例网 ";
  w.domains = {"WWW.Example.COM."};
  w.person_in_charge = {"李四", "passport", " e7654321", "", ""};
  app.websites = {w};
  NormalizeApplication(app);
  EXPECT_EQ(app.organizer.name, "示例(北京)科技有限公司");
  EXPECT_EQ(app.organizer.certificate.number, "91350100M000100Y43");
  EXPECT_EQ(app.organizer.person_in_charge.name, "张三");
  EXPECT_EQ(app.organizer.person_in_charge.id_number, "11010519491231002X");
  EXPECT_EQ(app.organizer.legal_representative,
            (LegalRepresentative{"王五", "passport", "E1234567"}));
  EXPECT_EQ(app.websites[0].name, "示例网");
  EXPECT_EQ(app.websites[0].domains[0], "example.com");
  EXPECT_EQ(app.websites[0].person_in_charge.id_number, "E7654321");
  // Idempotent: normalising twice changes nothing.
  Application again = app;
  NormalizeApplication(again);
  EXPECT_EQ(again, app);

  app.organizer.certificate = {"military_unit_code", "37001部队"};
  NormalizeApplication(app);
  EXPECT_EQ(app.organizer.certificate.number, "37001");
}

}  // namespace
}  // namespace beian::domain
