// The precheck end to end over the shipped rules data: a clean two-website application, then one
// test per cross-field rule, eligibility rule and document rule.
#include "domain/precheck.h"

#include <gtest/gtest.h>

#include <set>

#include "domain/application_json.h"
#include "domain/cross_checks.h"
#include "domain/eligibility.h"
#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

using namespace std::chrono;

constexpr Date kToday = 2025y / June / 2;

const Rules& TheRules() { return testing::EmbeddedRules(); }

Person Zhang() {
  return {"张三", "resident_id_card", "110105199003071239", "13800138000", "zhang@example.com"};
}
Person Li() {
  return {"李四", "resident_id_card", "44030419920115452X", "13900139000", "li@example.com"};
}

// A typical enterprise application: two websites on one instance.
Application Enterprise() {
  Application app;
  app.organizer.type = "enterprise";
  app.organizer.name = "北京示例科技有限公司";
  app.organizer.certificate = {"business_license", "91110108MA01ABCD5T"};
  app.organizer.province = "11";
  app.organizer.address = "北京市海淀区中关村大街1号";
  app.organizer.person_in_charge = Zhang();
  Website a;
  a.name = "示例科技官网";
  a.domains = {"example.com"};
  a.homepage = "https://www.example.com";
  a.service_content = "enterprise_portal";
  a.languages = {"zh-CN"};
  a.instance_id = "i-bj-001";
  a.person_in_charge = Li();
  Website b = a;
  b.name = "示例商城";
  b.domains = {"example-shop.cn"};
  b.homepage = "www.example-shop.cn";
  b.service_content = "e_commerce";
  app.websites = {a, b};
  return app;
}

Application Individual() {
  Application app;
  app.organizer.type = "individual";
  app.organizer.name = "张三";
  app.organizer.certificate = {"resident_id_card", "110105199003071239"};
  app.organizer.province = "11";
  app.organizer.address = "北京市朝阳区建国路1号";
  app.organizer.person_in_charge = Zhang();
  Website w;
  w.name = "张三的博客";
  w.domains = {"zhangsan.cn"};
  w.service_content = "blog";
  w.languages = {"zh-CN"};
  w.instance_id = "i-bj-001";
  app.websites = {w};
  return app;
}

InMemoryInventory Inventory() {
  InMemoryInventory inv;
  inv.AddInstance({"i-bj-001", "cn-beijing", true, true, "subscription", 2026y / June / 1, 5, 1});
  inv.AddDomain({"example.com", "北京示例科技有限公司", true, 2027y / January / 1});
  inv.AddDomain({"example-shop.cn", "北京示例科技有限公司", true, 2027y / January / 1});
  inv.AddDomain({"zhangsan.cn", "张三", true, 2027y / January / 1});
  return inv;
}

std::string Dump(const Findings& fs) {
  std::string s;
  for (const Finding& f : fs) {
    s += std::string(SeverityName(f.severity)) + " " + f.field + " " + f.code + "\n";
  }
  return s;
}

const Finding* Find(const Findings& fs, std::string_view code, std::string_view field = "") {
  for (const Finding& f : fs) {
    if (f.code == code && (field.empty() || f.field == field)) return &f;
  }
  return nullptr;
}

bool HasDoc(const PrecheckResult& r, std::string_view kind, std::string_view subject) {
  for (const RequiredDocument& d : r.required_documents) {
    if (d.kind == kind && d.subject == subject) return true;
  }
  return false;
}

PrecheckResult RunPrecheck(const Application& app, const InventoryView* inv = nullptr,
                           const RegistryView* reg = nullptr) {
  static const InMemoryRegistry empty;
  return Precheck(app, reg ? *reg : empty, inv, TheRules(), kToday, "beian");
}

TEST(PrecheckTest, RulesLoad) { ASSERT_FALSE(TheRules().provinces.empty()); }

TEST(PrecheckTest, CleanEnterpriseApplication) {
  InMemoryInventory inv = Inventory();
  PrecheckResult r = RunPrecheck(Enterprise(), &inv);
  EXPECT_TRUE(r.findings.empty()) << Dump(r.findings);
  ASSERT_TRUE(r.filing_type);
  EXPECT_EQ(*r.filing_type, FilingType::kFirstFiling);
  EXPECT_EQ(r.province, "11");
  EXPECT_FALSE(r.needs_beian_credentials);
  EXPECT_TRUE(HasDoc(r, "organizer_certificate", "organizer"));
  EXPECT_TRUE(HasDoc(r, "id_front", "organizer.person_in_charge"));
  EXPECT_TRUE(HasDoc(r, "id_back", "organizer.person_in_charge"));
  EXPECT_TRUE(HasDoc(r, "id_front", "websites[0].person_in_charge"));
  // The second website's person is the first's: asked once.
  EXPECT_FALSE(HasDoc(r, "id_front", "websites[1].person_in_charge"));
  // Beijing asks for domain certificates and a commitment letter.
  EXPECT_TRUE(HasDoc(r, "domain_certificate", "websites[0]"));
  EXPECT_TRUE(HasDoc(r, "domain_certificate", "websites[1]"));
  EXPECT_TRUE(HasDoc(r, "commitment_letter", "organizer"));
  EXPECT_FALSE(HasDoc(r, "residence_permit", "organizer.person_in_charge"));
}

TEST(PrecheckTest, WithoutInventoryInstanceAndDomainChecksAreWarnings) {
  PrecheckResult r = RunPrecheck(Enterprise());
  EXPECT_FALSE(r.HasErrors()) << Dump(r.findings);
  EXPECT_NE(Find(r.findings, "instance_not_verified", "websites[0].instance_id"), nullptr);
  EXPECT_NE(Find(r.findings, "domain_not_verified", "websites[1].domains[0]"), nullptr);
}

TEST(PrecheckTest, CleanIndividualApplication) {
  InMemoryInventory inv = Inventory();
  PrecheckResult r = RunPrecheck(Individual(), &inv);
  EXPECT_TRUE(r.findings.empty()) << Dump(r.findings);
  EXPECT_FALSE(HasDoc(r, "organizer_certificate", "organizer"));
  EXPECT_TRUE(HasDoc(r, "id_front", "organizer.person_in_charge"));
}

TEST(PrecheckTest, JsonShape) {
  PrecheckResult r = RunPrecheck(Enterprise());
  boost::json::object o = ToJson(r, TheRules());
  EXPECT_EQ(o.at("filing_type"), "first_filing");
  const auto& f = o.at("findings").as_array().at(0).as_object();
  EXPECT_EQ(f.at("severity"), "warning");
  EXPECT_TRUE(f.at("message").as_object().contains("zh-CN"));
  EXPECT_NE(f.at("message").at("en").as_string(), f.at("code").as_string());
}

TEST(PrecheckTest, BeianCredentialsMustMatchTheRegistry) {
  InMemoryRegistry reg;
  reg.AddSubject({"business_license", "91110108MA01ABCD5T", "北京示例科技有限公司", "11",
                  "京ICP备2020000001号"});
  reg.AddWebsite({"example.com", "京ICP备2020000001号-1", "京ICP备2020000001号", {"aliyun"}});
  reg.AddWebsite({"example-shop.cn", "京ICP备2020000001号-2", "京ICP备2020000001号", {"aliyun"}});
  Application app = Enterprise();
  PrecheckResult r = RunPrecheck(app, nullptr, &reg);
  ASSERT_TRUE(r.filing_type);
  EXPECT_EQ(*r.filing_type, FilingType::kNewIsp);
  EXPECT_TRUE(r.needs_beian_credentials);
  EXPECT_NE(Find(r.findings, "beian_sn_required", "beian.subject_sn"), nullptr);
  app.beian.subject_sn = "京ICP备2020000009号";
  app.beian.website_sns = {{"www.example.com", "京ICP备2020000001号-9"}};
  r = RunPrecheck(app, nullptr, &reg);
  EXPECT_NE(Find(r.findings, "beian_sn_mismatch", "beian.subject_sn"), nullptr);
  EXPECT_NE(Find(r.findings, "beian_sn_mismatch", "beian.website_sns.www.example.com"), nullptr);
  app.beian.subject_sn = "京ICP备2020000001号";
  app.beian.website_sns = {{"example.com", "京ICP备2020000001号-1"}};
  r = RunPrecheck(app, nullptr, &reg);
  EXPECT_FALSE(r.HasErrors()) << Dump(r.findings);
  // A new_isp filing verifies only the websites' persons by SMS.
  EXPECT_EQ(r.sms_persons, std::vector<std::string>{"websites[0].person_in_charge"});
}

// RULES.md decision 18: SNs as people type them are compared on their canonical form (蜀 ≡ 川,
// missing 号); a website SN given as the subject SN is compared on its subject part with a
// warning; text that is no SN is beian_sn_invalid.
TEST(PrecheckTest, TypedSnsAgainstTheRegistry) {
  InMemoryRegistry reg;
  reg.AddSubject({"business_license", "91110108MA01ABCD5T", "北京示例科技有限公司", "11",
                  "蜀ICP备09150084号"});
  reg.AddWebsite({"example.com", "蜀ICP备09150084号-1", "蜀ICP备09150084号", {"aliyun"}});
  reg.AddWebsite({"example-shop.cn", "蜀ICP备09150084号-2", "蜀ICP备09150084号", {"aliyun"}});
  struct Case {
    const char* subject_sn;
    const char* website_sn;  // for example.com
    std::vector<std::string> codes;
  };
  const Case cases[] = {
      {"蜀ICP备09150084号", "蜀ICP备09150084号-1", {}},
      {"川ICP备09150084号", "川ICP备09150084号-1", {}},
      {"川 icp 备 09150084", "川ICP备09150084-1", {}},
      {"川ICP备09150084号-3", "蜀ICP备09150084号-1", {"website_sn_given_for_subject"}},
      {"川ICP备09150085号", "蜀ICP备09150084号-1", {"beian_sn_mismatch"}},
      {"蜀ICP备09150084号", "蜀ICP备09150084号-2", {"beian_sn_mismatch"}},
      {"备案号09150084", "蜀ICP备09150084号-1", {"beian_sn_invalid"}},
      {"蜀ICP备09150084号", "09150084-1", {"beian_sn_invalid"}},
  };
  for (const Case& c : cases) {
    auto app = ApplicationFromJson(boost::json::object{
        {"organizer", ToJson(Enterprise()).at("organizer")},
        {"websites", ToJson(Enterprise()).at("websites")},
        {"beian",
         {{"subject_sn", c.subject_sn}, {"website_sns", {{"example.com", c.website_sn}}}}}});
    ASSERT_TRUE(app.ok()) << app.error().message;
    PrecheckResult r = RunPrecheck(*app, nullptr, &reg);
    std::vector<std::string> codes;
    for (const Finding& f : r.findings) {
      if (f.field.starts_with("beian.")) codes.push_back(f.code);
    }
    EXPECT_EQ(codes, c.codes) << c.subject_sn << " / " << c.website_sn;
  }
}

TEST(PrecheckTest, ModifyKeepsTheServiceCodeAndTheDomainCertificate) {
  InMemoryRegistry reg;
  reg.AddSubject({"business_license", "91110108MA01ABCD5T", "北京示例科技有限公司", "11",
                  "京ICP备2020000001号"});
  reg.AddWebsite({"example.com", "京ICP备2020000001号-1", "京ICP备2020000001号", {"beian"}});
  reg.AddWebsite({"example-shop.cn", "京ICP备2020000001号-2", "京ICP备2020000001号", {"beian"}});
  InMemoryInventory inv;
  inv.AddInstance({"i-bj-001", "cn-beijing", true, true, "subscription", 2026y / June / 1, 5, 5});
  inv.AddDomain({"example.com", "北京示例科技有限公司", true, 2027y / January / 1});
  inv.AddDomain({"example-shop.cn", "北京示例科技有限公司", true, 2027y / January / 1});
  PrecheckResult r = RunPrecheck(Enterprise(), &inv, &reg);
  ASSERT_TRUE(r.filing_type);
  EXPECT_EQ(*r.filing_type, FilingType::kModify);
  EXPECT_TRUE(r.findings.empty()) << Dump(r.findings);
  EXPECT_FALSE(HasDoc(r, "domain_certificate", "websites[0]"));
}

TEST(PrecheckTest, IndividualLimitCountsRegistryWebsites) {
  InMemoryRegistry reg;
  reg.AddSubject({"resident_id_card", "110105199003071239", "张三", "11", "京ICP备2021000005号"});
  for (int i = 0; i < 5; ++i) {
    reg.AddWebsite({"zs" + std::to_string(i) + ".cn",
                    "京ICP备2021000005号-" + std::to_string(i + 1),
                    "京ICP备2021000005号",
                    {"beian"}});
  }
  PrecheckResult r = RunPrecheck(Individual(), nullptr, &reg);
  EXPECT_NE(Find(r.findings, "individual_website_limit", "websites"), nullptr);
}

// Every code the precheck can emit has both messages in the shipped catalogue, with the same
// placeholders.
TEST(PrecheckTest, EveryCodeHasMessages) {
  for (std::string_view code : PrecheckCodes()) {
    const Message* m = TheRules().FindMessage(code);
    ASSERT_NE(m, nullptr) << code;
    EXPECT_FALSE(m->zh.empty()) << code;
    EXPECT_FALSE(m->en.empty()) << code;
    EXPECT_EQ(TemplatePlaceholders(m->zh), TemplatePlaceholders(m->en)) << code;
  }
}

}  // namespace
}  // namespace beian::domain
