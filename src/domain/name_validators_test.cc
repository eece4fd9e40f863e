// Organizer and website names (RULES.md "Websites and domains").
#include "domain/name_validators.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

using testing::Codes;
using ::testing::ElementsAre;
using testing::EmbeddedRules;
using ::testing::IsEmpty;

struct NameCase {
  const char* name;
  const char* organizer_type;
  bool national;
  std::vector<std::string> pre_approvals;
  std::vector<std::string> codes;
};

class WebsiteName : public ::testing::TestWithParam<NameCase> {};
TEST_P(WebsiteName, Codes) {
  const NameCase& c = GetParam();
  WebsiteNameContext ctx{c.organizer_type, c.national, c.pre_approvals};
  EXPECT_EQ(Codes(ValidateWebsiteName(EmbeddedRules(), c.name, ctx, "websites[0].name")), c.codes)
      << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, WebsiteName,
    ::testing::Values(
        NameCase{"华为官网", "enterprise", false, {}, {}},
        NameCase{"深圳市某某科技有限公司门户网站", "enterprise", false, {}, {}},
        NameCase{"张三的个人博客", "individual", false, {}, {}},
        NameCase{"小明的摄影作品集", "individual", false, {}, {}},
        NameCase{"  张三的随笔  ", "individual", false, {}, {}},
        NameCase{"ABC科技", "enterprise", false, {}, {}},
        NameCase{"某某（深圳）官网", "enterprise", false, {}, {}},
        NameCase{"", "enterprise", false, {}, {"required"}},
        NameCase{"博客", "individual", false, {}, {"too_short"}},
        NameCase{"Blog", "individual", false, {}, {"only_digits_or_latin"}},
        NameCase{"12345", "enterprise", false, {}, {"only_digits_or_latin"}},
        NameCase{"ab", "enterprise", false, {}, {"too_short", "only_digits_or_latin"}},
        NameCase{"example.com", "enterprise", false, {}, {"name_is_domain"}},
        NameCase{"www.例子.中国", "enterprise", false, {}, {"name_is_domain"}},
        NameCase{"https://example.com", "enterprise", false, {}, {"name_is_domain"}},
        NameCase{"张三的博客!", "individual", false, {}, {"name_invalid_character"}},
        NameCase{"华为★官网", "enterprise", false, {}, {"name_invalid_character"}},
        NameCase{"中国移动官网", "enterprise", false, {}, {"forbidden_prefix"}},
        NameCase{"中国移动官网", "enterprise", true, {}, {}},
        NameCase{"国家图书馆", "public_institution", false, {}, {"forbidden_prefix"}},
        NameCase{"人民日报社", "enterprise", true, {}, {}},
        NameCase{"投诉处理中心", "enterprise", false, {}, {"forbidden_prefix"}},
        NameCase{"张三的工作室", "individual", false, {}, {"individual_forbidden_word"}},
        NameCase{"李四导航", "individual", false, {}, {"individual_forbidden_word"}},
        NameCase{"李四的网站", "individual", false, {}, {"individual_forbidden_word"}},
        NameCase{"王五技术论坛",
                 "individual",
                 false,
                 {},
                 {"individual_forbidden_word", "individual_regulated_word"}},
        NameCase{"某某新闻网", "enterprise", false, {}, {"pre_approval_keyword_in_name"}},
        NameCase{"某某新闻网", "enterprise", false, {"news"}, {}},
        NameCase{"某某新闻网", "individual", false, {}, {"individual_regulated_word"}},
        NameCase{"某某医疗器械商城", "enterprise", false, {"drugs_devices"}, {}},
        NameCase{"某某医疗器械商城", "enterprise", false, {}, {"pre_approval_keyword_in_name"}},
        NameCase{"某某医疗与医疗器械",
                 "enterprise",
                 false,
                 {"drugs_devices"},
                 {"pre_approval_keyword_in_name"}},
        NameCase{"某某科技论坛", "enterprise", false, {"e_bulletin"}, {}},
        NameCase{"中国新闻网",
                 "enterprise",
                 false,
                 {},
                 {"forbidden_prefix", "pre_approval_keyword_in_name"}}));

TEST(WebsiteName, RegulatedMatchesNameTheKind) {
  auto m = RegulatedWordsIn(EmbeddedRules(), "某某医疗器械与新闻，医疗器械");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0], (RegulatedMatch{"医疗器械", "drugs_devices"}));
  EXPECT_EQ(m[1], (RegulatedMatch{"新闻", "news"}));
  WebsiteNameContext ctx{"enterprise", false, {}};
  Findings f = ValidateWebsiteName(EmbeddedRules(), "某某新闻网", ctx, "websites[1].name");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].field, "websites[1].name");
  EXPECT_EQ(f[0].params.at("word"), "新闻");
  EXPECT_EQ(f[0].params.at("kind"), "news");
  Findings g = ValidateWebsiteName(EmbeddedRules(), "博客", {"individual", false, {}}, "n");
  EXPECT_EQ(g[0].params.at("min"), "3");
  EXPECT_EQ(g[0].params.at("actual"), "2");
}

struct OrgCase {
  const char* name;
  const char* type;
  std::vector<std::string> codes;
};

class OrganizerName : public ::testing::TestWithParam<OrgCase> {};
TEST_P(OrganizerName, Codes) {
  EXPECT_EQ(Codes(ValidateOrganizerName(EmbeddedRules(), GetParam().name, GetParam().type,
                                        "organizer.name")),
            GetParam().codes)
      << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, OrganizerName,
    ::testing::Values(OrgCase{"华为技术有限公司", "enterprise", {}},
                      OrgCase{"中国移动通信集团有限公司", "enterprise", {}},
                      OrgCase{"张三（个体工商户）", "enterprise", {}},
                      OrgCase{"王五", "individual", {}}, OrgCase{"阿卜杜·热合曼", "individual", {}},
                      OrgCase{"John SMITH", "individual", {}},
                      OrgCase{"", "enterprise", {"required"}},
                      OrgCase{"王", "individual", {"too_short"}},
                      OrgCase{"王五2", "individual", {"name_invalid_character"}},
                      OrgCase{"ACME Ltd", "enterprise", {"only_digits_or_latin"}},
                      OrgCase{"example.com", "enterprise", {"name_is_domain"}}));

}  // namespace
}  // namespace beian::domain
