// In-memory registry and inventory: canonical keys and the precheck's JSON file formats.
#include "domain/registry_view.h"

#include <gtest/gtest.h>

#include "domain/domain_name.h"
#include "domain/inventory_view.h"
#include "domain/validators_util.h"

namespace beian::domain {
namespace {

namespace json = boost::json;

TEST(RegistryViewTest, KeysAreCanonical) {
  InMemoryRegistry reg;
  reg.AddSubject({"business_license", " 91110108ma01abcd5t ", "n", "11", "京ICP备2020000001号"});
  reg.AddWebsite({"WWW.Example.COM.", "sn-1", "京ICP备2020000001号", {"beian"}});
  reg.AddWebsite({"例子.中国", "sn-2", "京ICP备2020000001号", {}});
  EXPECT_TRUE(reg.FindSubject("business_license", "91110108MA01ABCD5T"));
  EXPECT_TRUE(reg.FindSubject("", "９１１１０１０８ＭＡ０１ＡＢＣＤ５Ｔ"));
  // Decision 12: the match key is (type, number); an empty type matches any.
  EXPECT_FALSE(reg.FindSubject("organization_code_certificate", "91110108MA01ABCD5T"));
  EXPECT_EQ(reg.SubjectsWithNumber("91110108ma01abcd5t").size(), 1u);
  reg.AddSubject({"organization_code_certificate", "91110108MA01ABCD5T", "", "11", "x"});
  EXPECT_EQ(reg.SubjectsWithNumber("91110108MA01ABCD5T").size(), 2u);
  EXPECT_EQ(reg.FindSubject("organization_code_certificate", "91110108MA01ABCD5T")->subject_sn,
            "x");
  EXPECT_EQ(CanonicalCertificateKey(" ma01abcd-5 "), "MA01ABCD5");
  EXPECT_TRUE(reg.FindWebsite("example.com"));
  EXPECT_TRUE(reg.FindWebsite("blog.example.com"));
  EXPECT_TRUE(reg.FindWebsite("xn--fsqu00a.xn--fiqs8s"));
  EXPECT_FALSE(reg.FindWebsite("example.cn"));
  EXPECT_EQ(reg.WebsitesOfSubject("京ICP备2020000001号").size(), 2u);
  EXPECT_EQ(CanonicalDomainKey("Www.Example.com.cn"), "example.com.cn");
}

TEST(RegistryViewTest, OpenOrders) {
  InMemoryRegistry reg;
  reg.AddOpenOrderForCertificate("91110108MA01ABCD5T");
  reg.AddOpenOrderForDomain("www.example.com");
  EXPECT_TRUE(reg.HasOpenOrderForCertificate("91110108ma01abcd5t"));
  EXPECT_TRUE(reg.HasOpenOrderForDomain("example.com"));
  EXPECT_FALSE(reg.HasOpenOrderForDomain("example.cn"));
}

TEST(RegistryViewTest, FromJson) {
  auto reg = InMemoryRegistry::FromJson(json::parse(R"({
    "subjects": [{"certificate_type": "business_license", "certificate_number": "X1",
                  "name": "n", "province": "11", "subject_sn": "京ICP备2020000001号"}],
    "websites": [{"domain": "example.com", "website_sn": "京ICP备2020000001号-1",
                  "subject_sn": "京ICP备2020000001号", "providers": ["a", "b"]}],
    "open_orders": [{"certificate_number": "Y2"}, {"domain": "busy.cn"}]})"));
  ASSERT_TRUE(reg.ok()) << reg.error().message;
  EXPECT_EQ(reg->FindWebsite("example.com")->providers.size(), 2u);
  EXPECT_EQ(reg->FindSubject("", "x1")->subject_sn, "京ICP备2020000001号");
  EXPECT_TRUE(reg->HasOpenOrderForCertificate("Y2"));
  EXPECT_TRUE(reg->HasOpenOrderForDomain("busy.cn"));
  EXPECT_TRUE(InMemoryRegistry::FromJson(json::parse("{}")).ok());
}

TEST(RegistryViewTest, FromJsonRejectsBadShapes) {
  struct Case {
    const char* json;
    const char* path;
  } cases[] = {
      {R"({"subject": []})", "subject"},
      {R"({"subjects": [{"certificate_number": 1, "subject_sn": "s"}]})",
       "subjects[0].certificate_number"},
      {R"({"subjects": [{"certificate_number": "X"}]})", "subjects[0].subject_sn"},
      {R"({"websites": [{"domain": "a.com", "subject_sn": "s", "providers": "p"}]})",
       "websites[0].providers"},
      {R"({"websites": ["a.com"]})", "websites[0]"},
      {R"({"open_orders": [{}]})", "open_orders[0]"},
      {R"({"open_orders": [{"domain": "a.com", "certificate_number": "X"}]})", "open_orders[0]"},
      {R"({"open_orders": [{"id": 1}]})", "open_orders[0].id"},
  };
  for (const Case& c : cases) {
    auto reg = InMemoryRegistry::FromJson(json::parse(c.json));
    ASSERT_FALSE(reg.ok()) << c.json;
    ASSERT_EQ(reg.error().details.size(), 1u) << c.json;
    EXPECT_EQ(reg.error().details[0].field, c.path) << c.json;
  }
}

// The reader collects every problem of the file, not only the first.
TEST(RegistryViewTest, FromJsonNamesEveryProblem) {
  auto reg = InMemoryRegistry::FromJson(json::parse(R"({
    "subjects": [{"certificate_number": 1}],
    "websites": [{"domain": "a.com", "subject_sn": "s", "providers": "p"}]})"));
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.error().code, core::ErrorCode::kValidationFailed);
  ASSERT_EQ(reg.error().details.size(), 3u);
  EXPECT_EQ(reg.error().details[0].field, "subjects[0].certificate_number");
  EXPECT_EQ(reg.error().details[0].code, "wrong_type");
  EXPECT_EQ(reg.error().details[1].field, "subjects[0].subject_sn");
  EXPECT_EQ(reg.error().details[1].code, "required");
  EXPECT_EQ(reg.error().details[2].field, "websites[0].providers");
  EXPECT_EQ(reg.error().message,
            "subjects[0].certificate_number must be a string (and 2 more problems)");
}

TEST(InventoryViewTest, FromJson) {
  auto inv = InMemoryInventory::FromJson(json::parse(R"({
    "instances": [{"id": "i-1", "region": "cn-beijing", "mainland": true, "public_ip": true,
                   "billing": "subscription", "expires_at": "2026-01-31T00:00:00Z",
                   "service_codes_total": 5, "service_codes_used": 2}],
    "domains": [{"name": "WWW.example.com", "holder_name": "h", "real_name_verified": true,
                 "expires_at": "2027-01-01"}]})"));
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  auto in = inv->FindInstance("i-1");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->service_codes_used, 2);
  EXPECT_EQ(FormatDate(*in->expires_at), "2026-01-31");
  EXPECT_TRUE(inv->FindDomain("example.com"));
  EXPECT_FALSE(inv->FindInstance("i-2"));
}

TEST(InventoryViewTest, FromJsonRejectsBadShapes) {
  struct Case {
    const char* json;
    const char* path;
  } cases[] = {
      {R"({"instances": [{"id": "i", "mainland": "yes"}]})", "instances[0].mainland"},
      {R"({"instances": [{"id": "i", "expires_at": "2026-02-30"}]})", "instances[0].expires_at"},
      {R"({"instances": [{"id": "i", "service_codes_total": 1e99}]})",
       "instances[0].service_codes_total"},
      {R"({"instances": [{"id": "i", "service_codes_used": 3000000000}]})",
       "instances[0].service_codes_used"},
      {R"({"instances": [{"region": "x"}]})", "instances[0].id"},
      {R"({"domains": [{"name": "a.com", "owner": "x"}]})", "domains[0].owner"},
      {R"({"servers": []})", "servers"},
  };
  for (const Case& c : cases) {
    auto inv = InMemoryInventory::FromJson(json::parse(c.json));
    ASSERT_FALSE(inv.ok()) << c.json;
    ASSERT_EQ(inv.error().details.size(), 1u);
    EXPECT_EQ(inv.error().details[0].field, c.path) << c.json;
  }
}

}  // namespace
}  // namespace beian::domain

namespace beian::domain {
namespace {

// The ASCII fast path of CanonicalDomainKey agrees with the full IDNA + suffix-list analysis.
TEST(RegistryViewTest, CanonicalKeyFastPathAgreesWithAnalyzeDomain) {
  for (const char* d :
       {"example.com", "www.example.com", "a.b.example.com.cn", "example.gov.cn", "x.example.co.uk",
        "foo.github.io", "example.unknowntld", "a-b.example.net", "xn--fsqu00a.xn--fiqs8s",
        "例子.中国", "Example.COM", " example.com ", "www.example.com.", "com.cn"}) {
    auto info = AnalyzeDomain(d);
    ASSERT_TRUE(info) << d;
    std::string expected =
        info->registrable.ascii.empty() ? text::AsciiLower(text::Trim(d)) : info->registrable.ascii;
    EXPECT_EQ(CanonicalDomainKey(d), expected) << d;
  }
  EXPECT_EQ(CanonicalDomainKey("-bad-.com"), "-bad-.com");
}

}  // namespace
}  // namespace beian::domain
