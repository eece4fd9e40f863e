// The filing-type table of RULES.md, one test per row, plus the refusals and mixed cases.
#include "domain/filing_type.h"

#include <gtest/gtest.h>

#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

constexpr char kUscc[] = "91110108MA01ABCD1X";

Application App(std::vector<std::string> domains) {
  Application app;
  app.organizer.type = "enterprise";
  app.organizer.name = "北京示例科技有限公司";
  app.organizer.certificate = {"business_license", kUscc};
  app.organizer.person_in_charge = {"张三", "resident_id_card", "110101199003071234", "13800138000",
                                    "zhang@example.com"};
  for (std::size_t i = 0; i < domains.size(); ++i) {
    Website w;
    w.name = "示例网站" + std::to_string(i);
    w.domains = {domains[i]};
    w.person_in_charge = {"李四", "resident_id_card", "11010119920101234X", "13900139000",
                          "li@example.com"};
    app.websites.push_back(w);
  }
  return app;
}

InMemoryRegistry WithSubject() {
  InMemoryRegistry reg;
  reg.AddSubject({"business_license", kUscc, "北京示例科技有限公司", "11", "京ICP备2020000001号"});
  return reg;
}

const Finding* Find(const Findings& fs, std::string_view code) {
  for (const Finding& f : fs) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

TEST(FilingTypeTest, Row1_NoSubjectNoDomain_FirstFiling) {
  InMemoryRegistry reg;
  FilingJudgement j = JudgeFilingType(App({"example.com"}), reg, "beian");
  ASSERT_TRUE(j.type);
  EXPECT_EQ(*j.type, FilingType::kFirstFiling);
  EXPECT_EQ(j.row, "first_filing");
  EXPECT_EQ(j.explanation.code, "explanation_first_filing");
  EXPECT_EQ(j.explanation.params.at("domain"), "example.com");
  EXPECT_FALSE(j.needs_beian_credentials);
  EXPECT_TRUE(j.findings.empty());
  EXPECT_EQ(j.sms_persons, (std::vector<std::string>{"organizer.person_in_charge",
                                                     "websites[0].person_in_charge"}));
}

TEST(FilingTypeTest, Row2_SubjectDomainNotFiled_NewWebsite) {
  InMemoryRegistry reg = WithSubject();
  FilingJudgement j = JudgeFilingType(App({"www.example.com"}), reg, "beian");
  ASSERT_TRUE(j.type);
  EXPECT_EQ(*j.type, FilingType::kNewWebsite);
  EXPECT_EQ(j.row, "new_website");
  EXPECT_TRUE(j.needs_beian_credentials);
  EXPECT_EQ(j.explanation.code, "explanation_new_website");
  EXPECT_EQ(j.explanation.params.at("subject_sn"), "京ICP备2020000001号");
  EXPECT_EQ(j.sms_persons.size(), 2u);
}

TEST(FilingTypeTest, Row3_DomainOfThisSubjectElsewhere_NewIsp) {
  InMemoryRegistry reg = WithSubject();
  reg.AddWebsite({"example.com", "京ICP备2020000001号-1", "京ICP备2020000001号", {"aliyun"}});
  FilingJudgement j = JudgeFilingType(App({"EXAMPLE.com"}), reg, "beian");
  ASSERT_TRUE(j.type);
  EXPECT_EQ(*j.type, FilingType::kNewIsp);
  EXPECT_EQ(j.row, "new_isp");
  EXPECT_TRUE(j.needs_beian_credentials);
  ASSERT_EQ(j.websites.size(), 1u);
  EXPECT_EQ(j.websites[0].website_sn, "京ICP备2020000001号-1");
  // Access filing: only the website's person verifies by SMS.
  EXPECT_EQ(j.sms_persons, (std::vector<std::string>{"websites[0].person_in_charge"}));
}

TEST(FilingTypeTest, Row4_DomainOfThisSubjectHere_Modify) {
  InMemoryRegistry reg = WithSubject();
  reg.AddWebsite(
      {"example.com", "京ICP备2020000001号-1", "京ICP备2020000001号", {"aliyun", "beian"}});
  FilingJudgement j = JudgeFilingType(App({"example.com"}), reg, "beian");
  ASSERT_TRUE(j.type);
  EXPECT_EQ(*j.type, FilingType::kModify);
  EXPECT_EQ(j.row, "modify");
  EXPECT_FALSE(j.needs_beian_credentials);
  EXPECT_EQ(j.sms_persons.size(), 2u);
  // The same registry seen by another provider is an access filing.
  EXPECT_EQ(*JudgeFilingType(App({"example.com"}), reg, "tencent").type, FilingType::kNewIsp);
}

TEST(FilingTypeTest, Row5_DomainOfAnotherSubject_Refused) {
  InMemoryRegistry reg = WithSubject();
  reg.AddWebsite({"example.com", "沪ICP备2019000002号-3", "沪ICP备2019000002号", {"beian"}});
  FilingJudgement j = JudgeFilingType(App({"example.com"}), reg, "beian");
  EXPECT_FALSE(j.type);
  EXPECT_EQ(j.row, "domain_filed_by_other_subject");
  const Finding* f = Find(j.findings, "domain_filed_by_other_subject");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kError);
  EXPECT_EQ(f->field, "websites[0].domains[0]");
  EXPECT_EQ(f->params.at("website_sn"), "沪ICP备2019000002号-3");
  EXPECT_FALSE(j.needs_beian_credentials);
  EXPECT_TRUE(j.sms_persons.empty());
}

TEST(FilingTypeTest, Row6_NoSubjectButDomainFiled_Refused) {
  InMemoryRegistry reg;
  reg.AddWebsite({"example.com", "沪ICP备2019000002号-3", "沪ICP备2019000002号", {"beian"}});
  FilingJudgement j = JudgeFilingType(App({"example.com"}), reg, "beian");
  EXPECT_FALSE(j.type);
  EXPECT_EQ(j.row, "domain_filed_by_other_subject");
  EXPECT_NE(Find(j.findings, "domain_filed_by_other_subject"), nullptr);
}

TEST(FilingTypeTest, SubjectConflict) {
  InMemoryRegistry reg;
  reg.AddOpenOrderForCertificate(std::string(" ") + "91110108ma01abcd1x");
  FilingJudgement j = JudgeFilingType(App({"example.com"}), reg, "beian");
  EXPECT_FALSE(j.type);
  EXPECT_EQ(j.row, "subject_conflict");
  const Finding* f = Find(j.findings, "subject_conflict");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->field, "organizer.certificate.number");
}

TEST(FilingTypeTest, DomainConflictOnTheRegistrableDomain) {
  InMemoryRegistry reg;
  reg.AddOpenOrderForDomain("example.com.cn");
  FilingJudgement j = JudgeFilingType(App({"a.example.com", "www.example.com.cn"}), reg, "beian");
  EXPECT_FALSE(j.type);
  EXPECT_EQ(j.row, "domain_conflict");
  const Finding* f = Find(j.findings, "domain_conflict");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->field, "websites[1].domains[0]");
  EXPECT_EQ(f->params.at("domain"), "example.com.cn");
}

TEST(FilingTypeTest, MixedTypesAreRefusedNamingTheFirstToFile) {
  InMemoryRegistry reg = WithSubject();
  reg.AddWebsite({"old.com", "京ICP备2020000001号-1", "京ICP备2020000001号", {"beian"}});
  FilingJudgement j = JudgeFilingType(App({"old.com", "new.com"}), reg, "beian");
  EXPECT_FALSE(j.type);
  EXPECT_EQ(j.row, "mixed_filing_types");
  std::vector<const Finding*> mixed;
  for (const Finding& f : j.findings) {
    if (f.code == "mixed_filing_types") mixed.push_back(&f);
  }
  ASSERT_EQ(mixed.size(), 2u);  // decision 14: on each website, naming its row
  EXPECT_EQ(mixed[0]->field, "websites[0]");
  EXPECT_EQ(mixed[0]->severity, Severity::kError);
  EXPECT_EQ(mixed[0]->params.at("type"), "modify");
  EXPECT_EQ(mixed[0]->params.at("row"), j.websites[0].row);
  EXPECT_EQ(mixed[0]->params.at("order"), "modify → new_website");
  EXPECT_EQ(mixed[1]->field, "websites[1]");
  EXPECT_EQ(mixed[1]->params.at("type"), "new_website");
  EXPECT_EQ(mixed[1]->params.at("row"), j.websites[1].row);
  EXPECT_EQ(j.explanation.params.at("first"), "modify");
  ASSERT_EQ(j.websites.size(), 2u);
  EXPECT_EQ(j.websites[0].type, FilingType::kModify);
  EXPECT_EQ(j.websites[1].type, FilingType::kNewWebsite);
}

TEST(FilingTypeTest, AccessBeforeNewWebsite) {
  InMemoryRegistry reg = WithSubject();
  reg.AddWebsite({"old.com", "京ICP备2020000001号-1", "京ICP备2020000001号", {"other"}});
  FilingJudgement j = JudgeFilingType(App({"new.com", "old.com"}), reg, "beian");
  ASSERT_NE(Find(j.findings, "mixed_filing_types"), nullptr);
  // new_isp first, then new_website, whatever order the websites come in.
  EXPECT_EQ(Find(j.findings, "mixed_filing_types")->params.at("order"), "new_isp → new_website");
  EXPECT_EQ(Find(j.findings, "mixed_filing_types")->params.at("type"), "new_website");
  EXPECT_EQ(j.explanation.params.at("first"), "new_isp");
}

// Decision 14 with three websites, two of one type: one finding per website, none at "websites".
TEST(FilingTypeTest, MixedTypesOnEveryWebsite) {
  InMemoryRegistry reg = WithSubject();
  reg.AddWebsite({"old.com", "京ICP备2020000001号-1", "京ICP备2020000001号", {"other"}});
  reg.AddWebsite({"old.cn", "京ICP备2020000001号-2", "京ICP备2020000001号", {"other"}});
  FilingJudgement j = JudgeFilingType(App({"old.com", "new.com", "old.cn"}), reg, "beian");
  EXPECT_FALSE(j.type);
  std::vector<std::string> fields, types;
  for (const Finding& f : j.findings) {
    if (f.code != "mixed_filing_types") continue;
    fields.push_back(f.field);
    types.push_back(f.params.at("type"));
    EXPECT_EQ(f.params.at("order"), "new_isp → new_website");
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"websites[0]", "websites[1]", "websites[2]"}));
  EXPECT_EQ(types, (std::vector<std::string>{"new_isp", "new_website", "new_isp"}));
}

TEST(FilingTypeTest, SameTypeForEveryWebsite) {
  InMemoryRegistry reg = WithSubject();
  FilingJudgement j = JudgeFilingType(App({"a.com", "b.cn"}), reg, "beian");
  ASSERT_TRUE(j.type);
  EXPECT_EQ(*j.type, FilingType::kNewWebsite);
  EXPECT_EQ(j.explanation.code, "explanation_new_website_and_others");
  EXPECT_EQ(j.explanation.params.at("others"), "1");
  EXPECT_EQ(j.sms_persons.size(), 2u);  // the two websites share one person
}

TEST(FilingTypeTest, NoWebsites) {
  InMemoryRegistry reg;
  FilingJudgement j = JudgeFilingType(App({}), reg, "beian");
  EXPECT_FALSE(j.type);
  EXPECT_EQ(j.row, "no_websites");
}

TEST(FilingTypeTest, RegistryRecordDiffersFromTheApplication) {
  InMemoryRegistry reg;
  reg.AddSubject({"business_license", kUscc, "北京另一家公司", "11", "京ICP备2020000001号"});
  FilingJudgement j = JudgeFilingType(App({"example.com"}), reg, "beian");
  ASSERT_TRUE(j.subject);
  const Finding* name = Find(j.findings, "registry_name_mismatch");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->severity, Severity::kWarning);
  EXPECT_EQ(name->params.at("registered"), "北京另一家公司");
}

// RULES.md decision 12: the registry match key is (certificate type, normalised number).
TEST(FilingTypeTest, RegistryMatchKeyIsTypeAndNumber) {
  struct Case {
    RegistrySubject registered;
    const char* app_type;
    bool same_subject;
    bool warned;  // subject_registered_under_other_certificate
  };
  const std::string org = std::string(kUscc).substr(8, 9);  // characters 9-17
  const Case cases[] = {
      {{"business_license", kUscc, "", "11", "京ICP备2020000001号"},
       "business_license",
       true,
       false},
      {{"business_license", " " + std::string(kUscc) + " ", "", "11", "京ICP备2020000001号"},
       "business_license",
       true,
       false},
      {{"", kUscc, "", "11", "京ICP备2020000001号"}, "business_license", true, false},
      {{"business_license", kUscc, "", "11", "京ICP备2020000001号"}, "", true, false},
      // The same number under another type: not this subject; modify that one first.
      {{"organization_code_certificate", kUscc, "", "11", "京ICP备2020000001号"},
       "business_license",
       false,
       true},
      // A registered organization code equal to the USCC's characters 9-17, with or without '-'.
      {{"organization_code_certificate", org, "", "11", "京ICP备2020000001号"},
       "business_license",
       false,
       true},
      {{"organization_code_certificate", org.substr(0, 8) + "-" + org.substr(8), "", "11",
        "京ICP备2020000001号"},
       "business_license",
       false,
       true},
      // The same characters registered under another type do not count.
      {{"business_license", org, "", "11", "京ICP备2020000001号"},
       "business_license",
       false,
       false},
      {{"business_license", "91110108MA01ABCE7Y", "", "11", "京ICP备2020000001号"},
       "business_license",
       false,
       false},
  };
  for (const Case& c : cases) {
    InMemoryRegistry reg;
    reg.AddSubject(c.registered);
    Application app = App({"example.com"});
    app.organizer.certificate.type = c.app_type;
    FilingJudgement j = JudgeFilingType(app, reg, "beian");
    const std::string label =
        c.registered.certificate_type + " " + c.registered.certificate_number + " vs " + c.app_type;
    EXPECT_EQ(j.subject.has_value(), c.same_subject) << label;
    const Finding* w = Find(j.findings, "subject_registered_under_other_certificate");
    EXPECT_EQ(w != nullptr, c.warned) << label;
    if (w != nullptr) {
      EXPECT_EQ(w->severity, Severity::kWarning);
      EXPECT_EQ(w->field, "organizer.certificate.number");
      EXPECT_EQ(w->params.at("subject_sn"), "京ICP备2020000001号");
      EXPECT_EQ(j.type, FilingType::kFirstFiling) << label;
    }
  }
}

TEST(FilingTypeTest, SmsPersonsAreDeduplicated) {
  Application app = App({"a.com", "b.com"});
  app.websites[0].person_in_charge = {};  // same as the organizer's
  app.websites[1].person_in_charge = app.organizer.person_in_charge;
  EXPECT_EQ(SmsPersons(app, FilingType::kFirstFiling),
            (std::vector<std::string>{"organizer.person_in_charge"}));
  EXPECT_EQ(SmsPersons(app, FilingType::kNewIsp),
            (std::vector<std::string>{"organizer.person_in_charge"}));
}

TEST(FilingTypeTest, NamesRoundTrip) {
  for (FilingType t : {FilingType::kFirstFiling, FilingType::kNewIsp, FilingType::kNewWebsite,
                       FilingType::kModify}) {
    EXPECT_EQ(ParseFilingType(FilingTypeName(t)), t);
  }
  EXPECT_FALSE(ParseFilingType("cancel"));
  EXPECT_TRUE(NeedsBeianCredentials(FilingType::kNewIsp));
  EXPECT_TRUE(NeedsBeianCredentials(FilingType::kNewWebsite));
  EXPECT_FALSE(NeedsBeianCredentials(FilingType::kFirstFiling));
  EXPECT_FALSE(NeedsBeianCredentials(FilingType::kModify));
}

}  // namespace
}  // namespace beian::domain

namespace beian::domain {
namespace {

// Every explanation renders completely in both languages (no placeholder left unfilled).
TEST(FilingTypeExplanationTest, RendersInBothLanguages) {
  const Rules& rules = testing::EmbeddedRules();
  InMemoryRegistry reg;
  FilingJudgement j = JudgeFilingType(App({"example.com", "example.cn"}), reg, "beian");
  const std::string zh = ExplanationText(rules, j, "zh-CN");
  const std::string en = ExplanationText(rules, j, "en");
  EXPECT_NE(zh.find("首次备案"), std::string::npos) << zh;
  EXPECT_NE(en.find("This is a first filing"), std::string::npos) << en;
  EXPECT_NE(en.find("other 1 domains"), std::string::npos) << en;
  for (const std::string& text : {zh, en}) EXPECT_EQ(text.find('{'), std::string::npos) << text;
}

}  // namespace
}  // namespace beian::domain

namespace beian::domain {
namespace {

// RULES.md decision 9: who receives the SMS codes, one per distinct (id_type, id_number).
RegistryPerson Recorded(const Person& p) {
  return {p.name, p.id_type, p.id_number, p.mobile, p.email};
}

TEST(Decision9, FirstFilingAndNewWebsiteAskOrganizerAndEveryWebsite) {
  Application app = App({"a.com", "b.com"});
  app.websites[1].person_in_charge = {"王五", "resident_id_card", "11010519491231002X",
                                      "13700137000", "wang@example.com"};
  const std::vector<std::string> all = {
      "organizer.person_in_charge", "websites[0].person_in_charge", "websites[1].person_in_charge"};
  EXPECT_EQ(SmsPersons(app, FilingType::kFirstFiling), all);
  EXPECT_EQ(SmsPersons(app, FilingType::kNewWebsite), all);
  EXPECT_EQ(
      SmsPersons(app, FilingType::kNewIsp),
      (std::vector<std::string>{"websites[0].person_in_charge", "websites[1].person_in_charge"}));
}

TEST(Decision9, OneCodePerDistinctIdTypeAndNumber) {
  Application app = App({"a.com", "b.com"});
  app.websites[0].person_in_charge = app.organizer.person_in_charge;  // same person
  app.websites[1].person_in_charge = {};                              // the organizer's person
  EXPECT_EQ(SmsPersons(app, FilingType::kFirstFiling),
            std::vector<std::string>{"organizer.person_in_charge"});
  // new_isp: websites only; the first naming of the person is the one listed.
  EXPECT_EQ(SmsPersons(app, FilingType::kNewIsp),
            std::vector<std::string>{"websites[0].person_in_charge"});
  // The same number under another document type is another person's document.
  app.websites[0].person_in_charge.id_type = "passport";
  EXPECT_EQ(
      SmsPersons(app, FilingType::kFirstFiling),
      (std::vector<std::string>{"organizer.person_in_charge", "websites[0].person_in_charge"}));
}

TEST(Decision9, ModifyAsksThePersonsWhoseSectionChanged) {
  Application app = App({"example.com"});
  InMemoryRegistry reg;
  RegistrySubject subject{"business_license", kUscc, "北京示例科技有限公司", "",
                          "京ICP备2020000001号"};
  subject.person_in_charge = Recorded(app.organizer.person_in_charge);
  reg.AddSubject(subject);
  RegistryWebsite site{
      "example.com", "京ICP备2020000001号-1", "京ICP备2020000001号", {"beian"}, "示例网站0"};
  site.person_in_charge = Recorded(app.websites[0].person_in_charge);
  reg.AddWebsite(site);

  auto judge = [&](const Application& a) { return JudgeFilingType(a, reg, "beian"); };
  FilingJudgement j = judge(app);
  ASSERT_EQ(j.type, FilingType::kModify);
  EXPECT_TRUE(j.sms_persons.empty());  // nothing changed

  Application website_changed = app;
  website_changed.websites[0].name = "示例新站名";
  EXPECT_EQ(judge(website_changed).sms_persons,
            std::vector<std::string>{"websites[0].person_in_charge"});

  Application organizer_changed = app;
  organizer_changed.organizer.person_in_charge.mobile = "13600136000";
  EXPECT_EQ(judge(organizer_changed).sms_persons,
            std::vector<std::string>{"organizer.person_in_charge"});

  Application both = website_changed;
  both.organizer.name = "北京示例科技股份有限公司";
  EXPECT_EQ(judge(both).sms_persons, (std::vector<std::string>{"organizer.person_in_charge",
                                                               "websites[0].person_in_charge"}));

  // A record without the person cannot show that nothing changed: both are asked.
  InMemoryRegistry bare = WithSubject();
  bare.AddWebsite({"example.com", "京ICP备2020000001号-1", "京ICP备2020000001号", {"beian"}});
  EXPECT_EQ(
      JudgeFilingType(app, bare, "beian").sms_persons,
      (std::vector<std::string>{"organizer.person_in_charge", "websites[0].person_in_charge"}));
}

TEST(Decision9, RegistryJsonCarriesThePersons) {
  auto reg = InMemoryRegistry::FromJson(boost::json::parse(R"({
    "subjects": [{"certificate_type": "business_license", "certificate_number": "91110108MA01ABCD1X",
                  "subject_sn": "京ICP备2020000001号",
                  "person_in_charge": {"name": "张三", "id_type": "resident_id_card",
                                       "id_number": "110101199003071234"}}],
    "websites": [{"domain": "example.com", "website_sn": "京ICP备2020000001号-1",
                  "subject_sn": "京ICP备2020000001号", "name": "示例网站0",
                  "person_in_charge": {"name": "李四", "mobile": "13900139000"}}]})"));
  ASSERT_TRUE(reg.ok()) << reg.error().message;
  std::optional<RegistryWebsite> w = reg->FindWebsite("example.com");
  ASSERT_TRUE(w && w->person_in_charge);
  EXPECT_EQ(w->person_in_charge->mobile, "13900139000");
  EXPECT_EQ(w->name, "示例网站0");
  auto bad = InMemoryRegistry::FromJson(boost::json::parse(
      R"({"websites": [{"domain": "a.com", "subject_sn": "x", "person_in_charge": {"age": 1}}]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().details.at(0).field, "websites[0].person_in_charge.age");
}

// Issue 7: the explanation is shown in lists and logs, so it never carries a full identity
// number, and its English is a sentence rather than the name of a table row.
TEST(FilingTypeExplanationTest, MasksTheCertificateNumberAndReadsAsASentence) {
  const Rules& rules = testing::EmbeddedRules();
  InMemoryRegistry reg;
  Application app = App({"example.com"});
  app.organizer.type = "individual";
  app.organizer.certificate = {"resident_id_card", "110105199003071239"};
  FilingJudgement j = JudgeFilingType(app, reg, "beian");
  for (const char* lang : {"zh-CN", "en"}) {
    const std::string text = ExplanationText(rules, j, lang);
    EXPECT_EQ(text.find("110105199003071239"), std::string::npos) << text;
    EXPECT_NE(text.find("1101**********1239"), std::string::npos) << text;
  }
  const std::string en = ExplanationText(rules, j, "en");
  EXPECT_EQ(en.find("row "), std::string::npos) << en;
  EXPECT_EQ(en.find("first_filing"), std::string::npos) << en;
  EXPECT_TRUE(en.ends_with(".")) << en;
}

}  // namespace
}  // namespace beian::domain
