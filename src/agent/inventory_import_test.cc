// Import file readers and the pure inventory checks: lines of JSON elements, CSV quoting and
// cell counts, row-level rejections, domain and IP normalisation.
#include "agent/inventory_import.h"

#include <gtest/gtest.h>

namespace beian::agent {
namespace {

TEST(GuessImportFormat, ByExtensionThenContent) {
  EXPECT_EQ(GuessImportFormat("a.JSON", "x"), ImportFormat::kJson);
  EXPECT_EQ(GuessImportFormat("a.csv", "{"), ImportFormat::kCsv);
  EXPECT_EQ(GuessImportFormat("a.txt", "\xEF\xBB\xBF  {\"domains\":[]}"), ImportFormat::kJson);
  EXPECT_EQ(GuessImportFormat("a", "owner_email,name"), ImportFormat::kCsv);
}

TEST(ParseInventoryFile, JsonRowsKeepTheLineTheyStartOn) {
  const char* text = R"({
  "domains": [
    {"owner_email": "a@example.com", "name": "example.com", "holder_name": "某公司",
     "real_name_verified": true},
    "not an object",
    {"owner_email": "a@example.com", "name": "example.cn", "holder_name": "某公司",
     "real_name_verified": "yes", "colour": 1}
  ],
  "instances": [
    {"owner_email": "a@example.com", "id": "i-1", "product": "ecs", "region": "cn-beijing",
     "mainland": true, "public_ip": null, "billing": "subscription", "expires_at": null,
     "service_codes_total": 5}
  ]
})";
  auto parsed = ParseInventoryFile(text, ImportFormat::kJson);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->rows.size(), 2u);
  EXPECT_EQ(parsed->rows[0].line, 10);  // instances are read first
  EXPECT_EQ(parsed->rows[0].location, "instances[0]");
  EXPECT_EQ(std::get<InstanceInput>(parsed->rows[0].input).id, "i-1");
  EXPECT_FALSE(std::get<InstanceInput>(parsed->rows[0].input).public_ip.has_value());
  EXPECT_EQ(parsed->rows[1].line, 3);
  ASSERT_EQ(parsed->rejected.size(), 2u);
  EXPECT_EQ(parsed->rejected[0].line, 5);
  EXPECT_EQ(parsed->rejected[0].location, "domains[1]");
  EXPECT_EQ(parsed->rejected[1].line, 6);
  EXPECT_EQ(parsed->rejected[1].reason,
            "real_name_verified must be true or false; colour is not a known field");
}

TEST(ParseInventoryFile, MalformedJsonOrUnknownTopMemberIsAFileError) {
  EXPECT_FALSE(ParseInventoryFile("{\"domains\": [", ImportFormat::kJson).ok());
  EXPECT_FALSE(ParseInventoryFile("[]", ImportFormat::kJson).ok());
  EXPECT_FALSE(ParseInventoryFile("{\"servers\": []}", ImportFormat::kJson).ok());
  EXPECT_FALSE(ParseInventoryFile("{\"domains\": {}}", ImportFormat::kJson).ok());
}

TEST(ParseInventoryFile, CsvQuotingLineBreaksAndCellCounts) {
  const char* text =
      "owner_email,name,holder_name,real_name_verified\r\n"
      "a@example.com,example.com,\"某\"\"公司\"\", 北京\",TRUE\r\n"
      "\r\n"
      "a@example.com,example.cn,\"two\nlines\",0\n"
      "a@example.com,example.net\n"
      "a@example.com,example.org,x,maybe\n";
  auto parsed = ParseInventoryFile(text, ImportFormat::kCsv);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->rows.size(), 2u);
  const auto& first = std::get<DomainInput>(parsed->rows[0].input);
  EXPECT_EQ(first.holder_name, "某\"公司\", 北京");
  EXPECT_TRUE(first.real_name_verified);
  EXPECT_EQ(parsed->rows[0].line, 2);
  EXPECT_EQ(std::get<DomainInput>(parsed->rows[1].input).holder_name, "two\nlines");
  EXPECT_EQ(parsed->rows[1].line, 4);
  ASSERT_EQ(parsed->rejected.size(), 2u);
  EXPECT_EQ(parsed->rejected[0].line, 6);
  EXPECT_EQ(parsed->rejected[0].reason, "has 2 cells; the header has 4");
  EXPECT_EQ(parsed->rejected[1].line, 7);
}

TEST(ParseInventoryFile, CsvHeaderProblemsAreFileErrors) {
  EXPECT_FALSE(ParseInventoryFile("", ImportFormat::kCsv).ok());
  EXPECT_FALSE(ParseInventoryFile("owner_email,name\n", ImportFormat::kCsv).ok());  // lacks columns
  EXPECT_FALSE(
      ParseInventoryFile("owner_email,name,holder_name,real_name_verified,x\n", ImportFormat::kCsv)
          .ok());
  EXPECT_FALSE(ParseInventoryFile("owner_email,name,name,holder_name,real_name_verified\n",
                                  ImportFormat::kCsv)
                   .ok());
  EXPECT_FALSE(ParseInventoryFile("owner_email,name\n\"open", ImportFormat::kCsv).ok());
}

TEST(NormalizeDomain, LowerCasesPunycodesAndRefusesSubdomains) {
  store::DomainRow row;
  DomainInput in{.owner_email = "a@example.com",
                 .name = " Example.COM. ",
                 .holder_name = "某公司",
                 .real_name_verified = true,
                 .registrar = "",
                 .expires_at = "2030-01-31T10:00:00+08:00"};
  EXPECT_TRUE(NormalizeDomain(in, row).empty());
  EXPECT_EQ(row.name, "example.com");
  EXPECT_EQ(row.expires_at, "2030-01-31");
  in.name = "中国互联网络信息中心.中国";
  EXPECT_TRUE(NormalizeDomain(in, row).empty());
  EXPECT_TRUE(row.name.starts_with("xn--"));
  EXPECT_EQ(row.unicode_name, "中国互联网络信息中心.中国");
  for (const char* bad : {"www.example.com", "com.cn", "a b.com", "1.2.3.4"}) {
    in.name = bad;
    auto problems = NormalizeDomain(in, row);
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_EQ(problems[0].field, "name") << bad;
  }
}

TEST(NormalizeInstance, CanonicalIpAndBounds) {
  store::InstanceRow row;
  InstanceInput in{.owner_email = "a@example.com",
                   .id = "i-1",
                   .product = "ecs",
                   .region = "cn-beijing",
                   .mainland = true,
                   .public_ip = "2001:DB8::0:1",
                   .billing = "subscription",
                   .expires_at = std::nullopt,
                   .service_codes_total = 5,
                   .service_codes_used = 6};
  auto problems = NormalizeInstance(in, row);
  EXPECT_EQ(row.public_ip, "2001:db8::1");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "service_codes_used");
  in.service_codes_used = 5;
  in.public_ip = "1.2.3";
  in.id = "../etc";
  problems = NormalizeInstance(in, row);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "id");
  EXPECT_EQ(problems[1].field, "public_ip");
  in.public_ip = "";
  in.id = "i-1";
  EXPECT_TRUE(NormalizeInstance(in, row).empty());
  EXPECT_FALSE(row.public_ip.has_value());
}

}  // namespace
}  // namespace beian::agent
