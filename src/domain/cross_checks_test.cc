// One test (or more) per cross-field rule of CheckApplication, over the shipped rules data.
#include "domain/cross_checks.h"

#include <gtest/gtest.h>

#include <set>

#include "domain/identity_validators.h"
#include "domain/rules_test_support.h"
#include "domain/uscc.h"

namespace beian::domain {
namespace {

using namespace std::chrono;

constexpr Date kToday = 2025y / June / 2;

const Rules& R() { return testing::EmbeddedRules(); }

Person Zhang() {
  return {"张三", "resident_id_card", "110105199003071239", "13800138000", "zhang@example.com"};
}
Person Li() {
  return {"李四", "resident_id_card", "44030419920115452X", "13900139000", "li@example.com"};
}

Website Site(std::string name, std::string domain, std::string content = "enterprise_portal") {
  Website w;
  w.name = std::move(name);
  w.domains = {std::move(domain)};
  w.service_content = std::move(content);
  w.languages = {"zh-CN"};
  w.instance_id = "i-1";
  return w;
}

Application Enterprise() {
  Application app;
  app.organizer = {
      "enterprise", "北京示例科技有限公司",      {"business_license", "91110108MA01ABCD5T"},
      "11",         "北京市海淀区中关村大街1号", Zhang()};
  app.websites = {Site("示例科技官网", "example.com")};
  app.websites[0].person_in_charge = Li();
  return app;
}

Application Individual(std::string province = "11") {
  Application app;
  app.organizer = {"individual",        "李四",        {"resident_id_card", "44030419920115452X"},
                   std::move(province), "某地某路1号", Li()};
  app.websites = {Site("李四的博客", "lisi.cn", "blog")};
  return app;
}

std::string Dump(const Findings& fs) {
  std::string s;
  for (const Finding& f : fs) {
    s += std::string(SeverityName(f.severity)) + " " + f.field + " " + f.code + "\n";
  }
  return s;
}

// The finding with `code` at `field` (a copy: callers pass temporaries), or nullopt.
std::optional<Finding> Find(const Findings& fs, std::string_view code, std::string_view field) {
  for (const Finding& f : fs) {
    if (f.code == code && f.field == field) return f;
  }
  return std::nullopt;
}

Findings Check(const Application& app, int existing = 0) {
  return CheckApplication(app, R(), kToday, existing);
}

TEST(CrossChecksTest, CleanApplicationsHaveNoFindings) {
  EXPECT_TRUE(Check(Enterprise()).empty()) << Dump(Check(Enterprise()));
  EXPECT_TRUE(Check(Individual()).empty()) << Dump(Check(Individual()));
}

TEST(CrossChecksTest, OrganizerTypeMustBeKnown) {
  Application app = Enterprise();
  app.organizer.type = "company";
  EXPECT_NE(Find(Check(app), "unknown_organizer_type", "organizer.type"), std::nullopt);
  app.organizer.type = "";
  EXPECT_NE(Find(Check(app), "required", "organizer.type"), std::nullopt);
}

TEST(CrossChecksTest, CertificateTypeMustFitOrganizerType) {
  Application app = Enterprise();
  app.organizer.certificate.type = "foundation_certificate";
  const std::optional<Finding> f =
      Find(Check(app), "certificate_type_not_allowed", "organizer.certificate.type");
  ASSERT_NE(f, std::nullopt);
  EXPECT_EQ(f->params.at("allowed"), "business_license");
  app.organizer.certificate.type = "no_such_type";
  EXPECT_NE(Find(Check(app), "unknown_certificate_type", "organizer.certificate.type"),
            std::nullopt);
}

TEST(CrossChecksTest, CertificateNumberIsValidated) {
  Application app = Enterprise();
  app.organizer.certificate.number = "91110108MA01ABCD5A";
  EXPECT_NE(Find(Check(app), "checksum_mismatch", "organizer.certificate.number"), std::nullopt);
}

TEST(CrossChecksTest, UsccPrefixMismatchIsAWarning) {
  Application app = Enterprise();
  app.organizer.certificate.number = "11310000002460035U";  // a government USCC, Shanghai
  app.organizer.province = "";
  Findings fs = Check(app);
  const std::optional<Finding> f =
      Find(fs, "uscc_prefix_type_mismatch", "organizer.certificate.number");
  ASSERT_NE(f, std::nullopt) << Dump(fs);
  EXPECT_EQ(f->severity, Severity::kWarning);
}

TEST(CrossChecksTest, FilingProvinceComesFromTheUsccRegion) {
  Application app = Enterprise();
  app.organizer.province = "";
  ProvinceDerivation d = DeriveFilingProvince(app, R());
  EXPECT_EQ(d.province, "11");
  EXPECT_EQ(d.source, "certificate");
  app.organizer.certificate.number = "91440300MA5F12342Q";
  EXPECT_EQ(DeriveFilingProvince(app, R()).province, "44");
}

// RULES.md decision 17: USCC characters 3-4 against the organizer's province, a warning; none
// for a national registration (100000); individuals follow the cross-province rules instead.
TEST(CrossChecksTest, CertificateRegionAgainstTheProvince) {
  struct Case {
    const char* number;
    const char* province;
    bool warned;
  };
  const std::string national = "91100000" + std::string("MA01ABCD5");
  const Case cases[] = {
      {"91110108MA01ABCD5T", "11", false}, {"91110108MA01ABCD5T", "31", true},
      {"91110108MA01ABCD5T", "", false},   {"91440300MA5F12342Q", "44", false},
      {"91440300MA5F12342Q", "11", true},
  };
  for (const Case& c : cases) {
    Application app = Enterprise();
    app.organizer.certificate.number = c.number;
    app.organizer.province = c.province;
    const Findings fs = Check(app);
    const std::optional<Finding> f = Find(fs, "certificate_region_mismatch", "organizer.province");
    EXPECT_EQ(f.has_value(), c.warned) << c.number << " in " << c.province << "\n" << Dump(fs);
    if (f) {
      EXPECT_EQ(f->severity, Severity::kWarning);
      EXPECT_EQ(f->params.at("certificate_province"), std::string(c.number).substr(2, 2));
    }
  }
  Application app = Enterprise();
  app.organizer.certificate.number = national + *UsccCheckChar(national);
  app.organizer.province = "31";
  EXPECT_EQ(Find(Check(app), "certificate_region_mismatch", "organizer.province"), std::nullopt);
  // Individuals: the cross-province rules, never this warning.
  Application person = Individual("31");
  EXPECT_EQ(Find(Check(person), "certificate_region_mismatch", "organizer.province"), std::nullopt);
}

TEST(CrossChecksTest, GivenFilingProvinceMustMatchTheDerivedOne) {
  Application app = Enterprise();
  app.province = "44";
  const std::optional<Finding> f = Find(Check(app), "filing_province_mismatch", "province");
  ASSERT_NE(f, std::nullopt);
  EXPECT_EQ(f->params.at("expected"), "11");
  app.province = "11";
  EXPECT_EQ(Find(Check(app), "filing_province_mismatch", "province"), std::nullopt);
}

TEST(CrossChecksTest, UnknownProvinceCode) {
  Application app = Enterprise();
  app.organizer.province = "99";
  EXPECT_NE(Find(Check(app), "unknown_province", "organizer.province"), std::nullopt);
}

TEST(CrossChecksTest, ProvinceCannotBeDerived) {
  Application app = Enterprise();
  app.organizer.certificate = {"organization_code_certificate", "00246003-5"};
  app.organizer.province = "";
  EXPECT_NE(Find(Check(app), "filing_province_unknown", "organizer.province"), std::nullopt);
}

TEST(CrossChecksTest, IndividualProvinceIsTheResidenceElseTheIdCard) {
  EXPECT_EQ(DeriveFilingProvince(Individual("11"), R()).province, "11");
  EXPECT_EQ(DeriveFilingProvince(Individual("11"), R()).id_province, "44");
  ProvinceDerivation d = DeriveFilingProvince(Individual(""), R());
  EXPECT_EQ(d.province, "44");
  EXPECT_EQ(d.source, "resident_id");
}

TEST(CrossChecksTest, CrossProvinceIndividualPolicies) {
  // Beijing allows, Shanghai asks for a residence permit, Gansu refuses.
  EXPECT_EQ(Find(Check(Individual("11")), "cross_province_refused", "organizer.province"),
            std::nullopt);
  const std::optional<Finding> permit =
      Find(Check(Individual("31")), "cross_province_residence_permit", "organizer.province");
  ASSERT_NE(permit, std::nullopt);
  EXPECT_EQ(permit->severity, Severity::kWarning);
  const std::optional<Finding> refused =
      Find(Check(Individual("62")), "cross_province_refused", "organizer.province");
  ASSERT_NE(refused, std::nullopt);
  EXPECT_EQ(refused->params.at("id_province"), "44");
  // Living in the province that issued the card is never cross-province.
  EXPECT_TRUE(Check(Individual("44")).empty()) << Dump(Check(Individual("44")));
}

TEST(CrossChecksTest, IndividualIsTheirOwnPersonInCharge) {
  Application app = Individual();
  app.organizer.person_in_charge = Zhang();
  EXPECT_NE(Find(Check(app), "individual_person_mismatch", "organizer.person_in_charge.id_number"),
            std::nullopt);
  app = Individual();
  app.websites[0].person_in_charge = Zhang();
  EXPECT_NE(
      Find(Check(app), "individual_person_mismatch", "websites[0].person_in_charge.id_number"),
      std::nullopt);
}

TEST(CrossChecksTest, DistinctPersonsNeedDistinctMobilesAndEmails) {
  Application app = Enterprise();
  app.websites[0].person_in_charge.mobile = "+86 138-0013-8000";
  app.websites[0].person_in_charge.email = "ZHANG@example.com";
  Findings fs = Check(app);
  const std::optional<Finding> m =
      Find(fs, "duplicate_mobile", "websites[0].person_in_charge.mobile");
  ASSERT_NE(m, std::nullopt) << Dump(fs);
  EXPECT_EQ(m->params.at("other"), "organizer.person_in_charge");
  EXPECT_NE(Find(fs, "duplicate_email", "websites[0].person_in_charge.email"), std::nullopt);
}

TEST(CrossChecksTest, SamePersonKeepsOneNameAndOneContact) {
  Application app = Enterprise();
  app.websites[0].person_in_charge = Zhang();
  EXPECT_TRUE(Check(app).empty()) << Dump(Check(app));
  app.websites[0].person_in_charge.mobile = "13700137000";
  const std::optional<Finding> c =
      Find(Check(app), "same_person_different_contact", "websites[0].person_in_charge");
  ASSERT_NE(c, std::nullopt);
  EXPECT_EQ(c->severity, Severity::kWarning);
  app.websites[0].person_in_charge.name = "张叁";
  EXPECT_NE(Find(Check(app), "same_id_different_name", "websites[0].person_in_charge.name"),
            std::nullopt);
}

TEST(CrossChecksTest, PersonNeedsAnIdentityDocument) {
  Application app = Enterprise();
  app.websites[0].person_in_charge.id_type = "business_license";
  EXPECT_NE(Find(Check(app), "not_identity_document", "websites[0].person_in_charge.id_type"),
            std::nullopt);
  app = Enterprise();
  app.organizer.person_in_charge = {};
  EXPECT_NE(Find(Check(app), "required", "organizer.person_in_charge"), std::nullopt);
}

TEST(CrossChecksTest, PersonsMustBeOfAge) {
  Application app = Enterprise();
  app.websites[0].person_in_charge = {"王五", "resident_id_card", "51010720100101123X",
                                      "13700137000", "wang@example.com"};
  const std::optional<Finding> f =
      Find(Check(app), "under_age", "websites[0].person_in_charge.id_number");
  ASSERT_NE(f, std::nullopt);
  EXPECT_EQ(f->params.at("min"), "18");
}

TEST(CrossChecksTest, IndividualsServiceContentAndPreApprovals) {
  Application app = Individual();
  app.websites[0].service_content = "e_commerce";
  app.websites[0].pre_approvals = {"news"};
  Findings fs = Check(app);
  EXPECT_NE(Find(fs, "individual_service_content", "websites[0].service_content"), std::nullopt);
  EXPECT_NE(Find(fs, "individual_pre_approval", "websites[0].pre_approvals"), std::nullopt);
  app.websites[0].service_content = "other";
  app.websites[0].pre_approvals = {};
  EXPECT_TRUE(Check(app).empty()) << Dump(Check(app));
}

TEST(CrossChecksTest, IndividualWebsiteLimitCountsFiledWebsites) {
  Application app = Individual();
  for (int i = 1; i < 5; ++i) {
    app.websites.push_back(
        Site("李四的博客" + std::to_string(i), "lisi" + std::to_string(i) + ".cn", "blog"));
  }
  EXPECT_EQ(Find(Check(app), "individual_website_limit", "websites"), std::nullopt);
  const std::optional<Finding> f = Find(Check(app, 1), "individual_website_limit", "websites");
  ASSERT_NE(f, std::nullopt);
  EXPECT_EQ(f->params.at("count"), "6");
  EXPECT_EQ(f->params.at("max"), "5");
  // Organizations have no such limit.
  Application ent = Enterprise();
  EXPECT_EQ(Find(Check(ent, 10), "individual_website_limit", "websites"), std::nullopt);
}

TEST(CrossChecksTest, OneDomainPerWebsite) {
  Application app = Enterprise();
  app.websites[0].domains = {"example.com", "example.cn"};
  const std::optional<Finding> f =
      Find(Check(app), "one_domain_per_website", "websites[0].domains");
  ASSERT_NE(f, std::nullopt);
  EXPECT_EQ(f->params.at("count"), "2");
  app.websites[0].domains = {};
  EXPECT_NE(Find(Check(app), "required", "websites[0].domains"), std::nullopt);
}

TEST(CrossChecksTest, DuplicateRegistrableDomains) {
  Application app = Enterprise();
  app.websites.push_back(Site("示例第二站", "WWW.Example.com"));
  const std::optional<Finding> f = Find(Check(app), "duplicate_domain", "websites[1].domains[0]");
  ASSERT_NE(f, std::nullopt);
  EXPECT_EQ(f->params.at("other"), "websites[0].domains[0]");
  EXPECT_EQ(f->params.at("domain"), "example.com");
}

// RULES.md decision 13: domains are compared as registrable domains, across websites and within
// one; every repeat (not the first) gets duplicate_domain, naming the first.
TEST(CrossChecksTest, DuplicateDomainsAfterReduction) {
  struct Case {
    std::vector<std::vector<std::string>> websites;  // domains of each website
    std::vector<std::string> flagged;                // fields with duplicate_domain
  };
  const Case cases[] = {
      {{{"www.a.com"}, {"a.com"}}, {"websites[1].domains[0]"}},
      {{{"a.com"}, {"www.a.com"}}, {"websites[1].domains[0]"}},
      {{{"WWW.A.COM"}, {"shop.a.com"}, {"a.com"}},
       {"websites[1].domains[0]", "websites[2].domains[0]"}},
      {{{"www.a.com", "a.com"}}, {"websites[0].domains[1]"}},  // within one website
      {{{"a.com"}, {"a.cn"}}, {}},
      {{{"a.com.cn"}, {"b.com.cn"}}, {}},  // com.cn is a public suffix
      {{{"a.com.cn"}, {"www.a.com.cn"}}, {"websites[1].domains[0]"}},
      {{{"a.com"}, {"b.com"}, {"a.com"}}, {"websites[2].domains[0]"}},
  };
  for (const Case& c : cases) {
    Application app = Enterprise();
    app.websites.clear();
    for (std::size_t i = 0; i < c.websites.size(); ++i) {
      app.websites.push_back(Site("示例站点" + std::to_string(i), ""));
      app.websites.back().domains = c.websites[i];
    }
    std::vector<std::string> flagged;
    for (const Finding& f : Check(app)) {
      if (f.code != "duplicate_domain") continue;
      EXPECT_EQ(f.severity, Severity::kError);
      flagged.push_back(f.field);
    }
    EXPECT_EQ(flagged, c.flagged) << c.websites.size() << " websites, first " << c.websites[0][0];
  }
}

// RULES.md decision 16: individuals without a resident ID card. Passports, HK/Macao and Taiwan
// permits and the 2004 permanent resident card are never local; the residence permit takes its
// declared province; the 2017 permanent resident card is local where its digits 2–3 say; Hebei
// (13) refuses passports and permanent resident cards from individuals (data).
TEST(CrossChecksTest, IndividualsWithoutAResidentIdCard) {
  struct Case {
    const char* id_type;
    std::string number;
    const char* province;  // 11 allowed, 13 Hebei (allowed), 14 refused, 31 residence_permit
    std::vector<std::string> codes;
  };
  const std::string permit = "810000199408230" + std::string("02");
  const Case cases[] = {
      {"resident_id_card", "44030419920115452X", "44", {}},
      {"resident_id_card", "44030419920115452X", "11", {}},
      {"resident_id_card", "44030419920115452X", "14", {"cross_province_refused"}},
      {"resident_id_card", "44030419920115452X", "31", {"cross_province_residence_permit"}},
      {"passport", "E12345678", "11", {}},
      {"passport", "E12345678", "14", {"cross_province_refused"}},
      {"passport", "E12345678", "31", {"cross_province_residence_permit"}},
      {"passport", "E12345678", "13", {"id_type_not_accepted_in_province"}},
      {"hk_macao_permit", "H12345678", "14", {"cross_province_refused"}},
      {"hk_macao_permit", "H12345678", "13", {}},
      {"taiwan_permit", "12345678", "31", {"cross_province_residence_permit"}},
      {"foreign_permanent_resident_card", "USA110075031802", "11", {}},
      {"foreign_permanent_resident_card", "USA110075031802", "14", {"cross_province_refused"}},
      {"foreign_permanent_resident_card",
       "USA110075031802",
       "13",
       {"id_type_not_accepted_in_province"}},
      {"foreign_permanent_resident_card", "911840198001010013", "14", {"cross_province_refused"}},
      {"foreign_permanent_resident_card",
       "911840198001010013",
       "31",
       {"cross_province_residence_permit"}},
      {"foreign_permanent_resident_card",
       "911840198001010013",
       "13",
       {"id_type_not_accepted_in_province"}},
      {"hk_macao_taiwan_residence_permit", permit + *ResidentIdCheckChar(permit), "14", {}},
      {"hk_macao_taiwan_residence_permit", permit + *ResidentIdCheckChar(permit), "31", {}},
  };
  const std::set<std::string> watched = {"cross_province_refused",
                                         "cross_province_residence_permit",
                                         "id_type_not_accepted_in_province"};
  for (const Case& c : cases) {
    Application app = Individual(c.province);
    app.organizer.certificate = {c.id_type, c.number};
    app.organizer.person_in_charge.id_type = c.id_type;
    app.organizer.person_in_charge.id_number = c.number;
    std::vector<std::string> codes;
    for (const Finding& f : Check(app)) {
      if (watched.count(f.code)) codes.push_back(f.code);
    }
    EXPECT_EQ(codes, c.codes) << c.id_type << " " << c.number << " in " << c.province << "\n"
                              << Dump(Check(app));
  }
}

// The local (2017) permanent resident card is local where it was issued: Beijing's in Beijing.
TEST(CrossChecksTest, NewPermanentResidentCardIsLocalByItsDigits) {
  Application app = Individual("11");
  app.organizer.certificate = {"foreign_permanent_resident_card", "911840198001010013"};
  app.organizer.person_in_charge.id_type = "foreign_permanent_resident_card";
  app.organizer.person_in_charge.id_number = "911840198001010013";
  EXPECT_EQ(DeriveFilingProvince(app, R()).id_province, "11");
  app.organizer.certificate.number = "USA110075031802";
  EXPECT_EQ(DeriveFilingProvince(app, R()).id_province, "foreign_permanent_resident_card");
}

// RULES.md decision 7: the content decides. Each regulated service_content needs its
// pre_approvals entry (error pre_approval_required at websites[i].pre_approvals); a regulated
// keyword only in the name is a warning (pre_approval_keyword_in_name at websites[i].name),
// cleared by the approval; individuals keep their errors.
struct ContentCase {
  const char* name;
  const char* service_content;
  std::vector<std::string> pre_approvals;
  const char* organizer_type;
  std::vector<std::string> codes;  // the decision-7 codes found, in order
};

class Decision7 : public ::testing::TestWithParam<ContentCase> {};

TEST_P(Decision7, Table) {
  const ContentCase& c = GetParam();
  Application app = Enterprise();
  app.organizer.type = c.organizer_type;
  app.websites[0].name = c.name;
  app.websites[0].service_content = c.service_content;
  app.websites[0].pre_approvals = c.pre_approvals;
  std::vector<std::string> got;
  for (const Finding& f : Check(app)) {
    if (f.code == "pre_approval_required") {
      EXPECT_EQ(f.field, "websites[0].pre_approvals");
      EXPECT_EQ(f.severity, Severity::kError);
    } else if (f.code == "pre_approval_keyword_in_name") {
      EXPECT_EQ(f.field, "websites[0].name");
      EXPECT_EQ(f.severity, Severity::kWarning);
    } else if (f.code != "individual_regulated_word") {
      continue;
    }
    got.push_back(f.code);
  }
  EXPECT_EQ(got, c.codes) << c.name << " / " << c.service_content;
}

INSTANTIATE_TEST_SUITE_P(
    Table, Decision7,
    ::testing::Values(
        ContentCase{"示例科技官网", "news", {}, "enterprise", {"pre_approval_required"}},
        ContentCase{"示例科技官网", "news", {"news"}, "enterprise", {}},
        ContentCase{"示例科技官网", "education", {}, "enterprise", {"pre_approval_required"}},
        ContentCase{"示例科技官网", "healthcare", {}, "enterprise", {"pre_approval_required"}},
        ContentCase{"示例科技官网", "culture", {}, "enterprise", {"pre_approval_required"}},
        ContentCase{"示例科技官网", "games", {}, "enterprise", {"pre_approval_required"}},
        ContentCase{"示例科技官网", "games", {"online_games"}, "enterprise", {}},
        ContentCase{"示例科技官网", "finance", {}, "enterprise", {"pre_approval_required"}},
        ContentCase{"示例科技官网", "finance", {"internet_finance"}, "enterprise", {}},
        ContentCase{"示例科技官网", "forum", {}, "enterprise", {"pre_approval_required"}},
        ContentCase{"示例科技官网", "forum", {"e_bulletin"}, "enterprise", {}},
        ContentCase{"示例科技官网", "publishing", {}, "enterprise", {"pre_approval_required"}},
        ContentCase{"示例科技官网", "drugs_devices", {}, "enterprise", {"pre_approval_required"}},
        ContentCase{"示例科技官网", "radio_film_tv", {}, "enterprise", {"pre_approval_required"}},
        ContentCase{"示例科技官网", "ride_hailing", {}, "enterprise", {"pre_approval_required"}},
        // The name alone: a warning, cleared by the approval.
        ContentCase{
            "示例新闻网", "enterprise_portal", {}, "enterprise", {"pre_approval_keyword_in_name"}},
        ContentCase{"示例新闻网", "enterprise_portal", {"news"}, "enterprise", {}},
        ContentCase{"示例技术社区",
                    "enterprise_portal",
                    {},
                    "enterprise",
                    {"pre_approval_keyword_in_name"}},
        // Content and name: both.
        ContentCase{"示例新闻网",
                    "news",
                    {},
                    "enterprise",
                    {"pre_approval_keyword_in_name", "pre_approval_required"}},
        // Unregulated content and name: nothing.
        ContentCase{"示例科技官网", "enterprise_portal", {}, "enterprise", {}},
        // Individuals: the name rule stays an error.
        ContentCase{"张三的新闻博客", "blog", {}, "individual", {"individual_regulated_word"}}),
    [](const auto& p) { return "case" + std::to_string(p.index); });

TEST(CrossChecksTest, UnknownServiceContentAndPreApprovalKind) {
  Application app = Enterprise();
  app.websites[0].service_content = "gambling";
  app.websites[0].pre_approvals = {"lottery"};
  Findings fs = Check(app);
  EXPECT_NE(Find(fs, "unknown_service_content", "websites[0].service_content"), std::nullopt);
  EXPECT_NE(Find(fs, "unknown_pre_approval_kind", "websites[0].pre_approvals[0]"), std::nullopt);
}

TEST(CrossChecksTest, GovernmentNeedsGovCn) {
  Application app = Enterprise();
  app.organizer.type = "government";
  app.organizer.certificate = {"organization_code_certificate", "11310000002460035U"};
  app.organizer.name = "上海市示例管理局";
  app.organizer.province = "31";
  Findings fs = Check(app);
  EXPECT_NE(Find(fs, "suffix_required", "websites[0].domains[0]"), std::nullopt) << Dump(fs);
  app.websites[0].domains = {"example.gov.cn"};
  EXPECT_EQ(Find(Check(app), "suffix_required", "websites[0].domains[0]"), std::nullopt);
}

TEST(CrossChecksTest, HomepageShouldBeOnTheDomain) {
  Application app = Enterprise();
  app.websites[0].homepage = "https://www.example.com:443/index.html";
  EXPECT_TRUE(Check(app).empty()) << Dump(Check(app));
  app.websites[0].homepage = "https://www.other.com/";
  const std::optional<Finding> f =
      Find(Check(app), "homepage_not_on_domain", "websites[0].homepage");
  ASSERT_NE(f, std::nullopt);
  EXPECT_EQ(f->severity, Severity::kWarning);
}

TEST(CrossChecksTest, WebsitesAndLanguagesRequired) {
  Application app = Enterprise();
  app.websites[0].languages = {};
  EXPECT_NE(Find(Check(app), "required", "websites[0].languages"), std::nullopt);
  app.websites.clear();
  EXPECT_NE(Find(Check(app), "websites_required", "websites"), std::nullopt);
}

TEST(CrossChecksTest, DuplicateWebsiteNameIsAWarning) {
  Application app = Enterprise();
  app.websites.push_back(Site("示例科技官网", "example.cn"));
  const std::optional<Finding> f = Find(Check(app), "duplicate_website_name", "websites[1].name");
  ASSERT_NE(f, std::nullopt);
  EXPECT_EQ(f->severity, Severity::kWarning);
}

TEST(CrossChecksTest, ForbiddenPrefixUnlessNational) {
  Application app = Enterprise();
  app.websites[0].name = "中国示例网";
  EXPECT_NE(Find(Check(app), "forbidden_prefix", "websites[0].name"), std::nullopt);
}

}  // namespace
}  // namespace beian::domain
