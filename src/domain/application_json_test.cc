// Strict JSON mapping of the Application: round trip, unknown fields, wrong types, nulls.
#include "domain/application_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace beian::domain {
namespace {

Application Sample() {
  Application app;
  app.id = "app_1";
  app.version = 3;
  app.state = "draft";
  app.filing_type = "first_filing";
  app.province = "11";
  app.organizer = {
      "enterprise",
      "北京示例科技有限公司",
      {"business_license", "91110108MA01ABCD5T"},
      "11",
      "北京市海淀区",
      {"张三", "resident_id_card", "110105199003071239", "13800138000", "z@example.com"},
      {"王五", "resident_id_card", "11010519491231002X"}};
  Website w;
  w.name = "示例";
  w.domains = {"example.com"};
  w.homepage = "https://example.com";
  w.service_content = "blog";
  w.languages = {"zh-CN", "en"};
  w.pre_approvals = {"news"};
  w.instance_id = "i-1";
  app.websites = {w, w};
  app.websites[1].person_in_charge = {"李四", "passport", "E123456", "13900139000",
                                      "l@example.com"};
  app.beian = {"京ICP备2020000001号", {{"example.com", "京ICP备2020000001号-1"}}};
  return app;
}

core::Result<Application> Parse(std::string_view text) { return ApplicationFromJsonText(text); }

TEST(ApplicationJsonTest, RoundTrip) {
  Application app = Sample();
  auto back = ApplicationFromJson(ToJson(app));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, app);
  EXPECT_EQ(ToJson(*back), ToJson(app));
}

TEST(ApplicationJsonTest, EmptyObjectIsAnEmptyApplication) {
  auto a = Parse("{}");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, Application{});
}

TEST(ApplicationJsonTest, NullMeansNotGiven) {
  auto a = Parse(R"({"id": null, "organizer": {"name": null, "person_in_charge": null,
                                               "legal_representative": null},
                     "websites": [{"domains": null, "person_in_charge": {"email": null}}],
                     "beian": null})");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_TRUE(a->websites[0].person_in_charge.Empty());
  EXPECT_TRUE(a->organizer.legal_representative.Empty());
}

// RULES.md decision 10: the optional legal representative round-trips.
TEST(ApplicationJsonTest, LegalRepresentative) {
  auto a = Parse(R"({"organizer": {"legal_representative":
                     {"name": "张三", "id_type": "resident_id_card", "id_number": "11010519491231002x"}}})");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->organizer.legal_representative,
            (LegalRepresentative{"张三", "resident_id_card", "11010519491231002X"}));
  auto back = ApplicationFromJson(ToJson(*a));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *a);
  EXPECT_FALSE(ToJson(Application{}).at("organizer").as_object().contains("legal_representative"));
}

// Normalisation happens where the application is read: the stored value is the normalised one.
TEST(ApplicationJsonTest, ReadValuesAreNormalised) {
  auto a = Parse(R"({"organizer": {"name": " 某某（北京）有限公司 ",
                     "certificate": {"type": "business_license", "number": "９１１１ 0000mA"}},
                     "websites": [{"name": "某某网 ", "domains": ["WWW.Example.COM."]}]})");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->organizer.name, "某某(北京)有限公司");
  EXPECT_EQ(a->organizer.certificate.number, "91110000MA");
  EXPECT_EQ(a->websites[0].name, "某某网");
  EXPECT_EQ(a->websites[0].domains[0], "example.com");
}

struct BadCase {
  const char* json;
  core::ErrorCode code;
  const char* path;
};

class ApplicationJsonBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ApplicationJsonBadTest, NamesThePath) {
  auto a = Parse(GetParam().json);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, GetParam().code);
  ASSERT_EQ(a.error().details.size(), 1u);
  EXPECT_EQ(a.error().details[0].field, GetParam().path);
  EXPECT_NE(a.error().message.find(GetParam().path), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ApplicationJsonBadTest,
    ::testing::Values(
        BadCase{R"({"extra": 1})", core::ErrorCode::kUnknownField, "extra"},
        BadCase{R"({"organizer": {"nickname": "x"}})", core::ErrorCode::kUnknownField,
                "organizer.nickname"},
        BadCase{R"({"organizer": {"certificate": {"type": "x", "issuer": "y"}}})",
                core::ErrorCode::kUnknownField, "organizer.certificate.issuer"},
        BadCase{R"({"websites": [{}, {"person_in_charge": {"phone": "1"}}]})",
                core::ErrorCode::kUnknownField, "websites[1].person_in_charge.phone"},
        BadCase{R"({"beian": {"password": "x"}})", core::ErrorCode::kUnknownField,
                "beian.password"},
        BadCase{R"({"version": "3"})", core::ErrorCode::kValidationFailed, "version"},
        BadCase{R"({"version": 1.5})", core::ErrorCode::kValidationFailed, "version"},
        BadCase{R"({"organizer": []})", core::ErrorCode::kValidationFailed, "organizer"},
        BadCase{R"({"organizer": {"name": 7}})", core::ErrorCode::kValidationFailed,
                "organizer.name"},
        BadCase{R"({"websites": {}})", core::ErrorCode::kValidationFailed, "websites"},
        BadCase{R"({"websites": [1]})", core::ErrorCode::kValidationFailed, "websites[0]"},
        BadCase{R"({"websites": [{"domains": "example.com"}]})", core::ErrorCode::kValidationFailed,
                "websites[0].domains"},
        BadCase{R"({"websites": [{"domains": ["a.com", 2]}]})", core::ErrorCode::kValidationFailed,
                "websites[0].domains[1]"},
        BadCase{R"({"websites": [{"person_in_charge": {"legal_representative": true}}]})",
                core::ErrorCode::kUnknownField,
                "websites[0].person_in_charge.legal_representative"},
        BadCase{R"({"organizer": {"legal_representative": {"name": 1}}})",
                core::ErrorCode::kValidationFailed, "organizer.legal_representative.name"},
        BadCase{R"({"organizer": {"legal_representative": {"mobile": "1"}}})",
                core::ErrorCode::kUnknownField, "organizer.legal_representative.mobile"},
        BadCase{R"({"organizer": {"legal_representative": "x"}})",
                core::ErrorCode::kValidationFailed, "organizer.legal_representative"},
        BadCase{R"({"beian": {"website_sns": {"a.com": 1}}})", core::ErrorCode::kValidationFailed,
                "beian.website_sns.a.com"},
        BadCase{R"([])", core::ErrorCode::kValidationFailed, ""}));

// One reader for the API and the files: every problem of the application is named, not only the
// first (the HTTP answer lists them all), and unknown members come before wrong types.
TEST(ApplicationJsonTest, NamesEveryProblem) {
  auto a = Parse(R"({"version": "3", "organizer": {"name": 7},
                     "websites": [{"domains": ["a.com", 2]}, 5]})");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, core::ErrorCode::kValidationFailed);
  std::vector<std::string> fields;
  for (const auto& d : a.error().details) fields.push_back(d.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"version", "organizer.name", "websites[1]",
                                              "websites[0].domains[1]"}));
  EXPECT_EQ(a.error().message, "version must be an integer (and 3 more problems)");

  auto u = Parse(R"({"version": "3", "x": 1, "organizer": {"y": 2}})");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().code, core::ErrorCode::kUnknownField);
  ASSERT_EQ(u.error().details.size(), 2u);
  EXPECT_EQ(u.error().details[1].field, "organizer.y");
}

// RULES.md decision 11: mobiles are normalised where the application is read; what does not
// normalise is kept as typed (the precheck says mobile_invalid), and reading never fails on it.
TEST(ApplicationJsonTest, MobilesAreNormalisedOnce) {
  struct Case {
    const char* typed;
    const char* stored;
  };
  for (const Case& c :
       {Case{"+86 138-0013-8000", "13800138000"}, Case{"0086 (138) 0013.8000", "13800138000"},
        Case{"13800138000", "13800138000"}, Case{"", ""},
        Case{"+86 12800138000", "+86 12800138000"}, Case{"138 0013 800", "138 0013 800"}}) {
    boost::json::object person{{"mobile", c.typed}};
    auto a = ApplicationFromJson(boost::json::object{
        {"organizer", {{"person_in_charge", person}}},
        {"websites", boost::json::array{boost::json::object{{"person_in_charge", person}}}}});
    ASSERT_TRUE(a.ok()) << c.typed;
    EXPECT_EQ(a->organizer.person_in_charge.mobile, c.stored) << c.typed;
    EXPECT_EQ(a->websites[0].person_in_charge.mobile, c.stored) << c.typed;
    // Idempotent: what was stored reads back the same.
    auto again = ApplicationFromJson(ToJson(*a));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *a);
  }
}

TEST(ApplicationJsonTest, MalformedText) {
  auto a = Parse(R"({"organizer": )");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, core::ErrorCode::kInvalidJson);
}

}  // namespace
}  // namespace beian::domain
