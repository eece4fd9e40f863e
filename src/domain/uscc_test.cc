// USCC and organization code: table-driven cases from real certificates, plus property tests
// (random valid codes pass; every single-character change fails).
#include "domain/uscc.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

using testing::Codes;
using ::testing::ElementsAre;
using testing::EmbeddedRules;

struct UsccCase {
  const char* input;
  std::vector<std::string> codes;
};

class UsccTable : public ::testing::TestWithParam<UsccCase> {};

TEST_P(UsccTable, Codes) {
  EXPECT_EQ(Codes(ValidateUscc(GetParam().input, "organizer.certificate.number")), GetParam().codes)
      << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    RealWorld, UsccTable,
    ::testing::Values(
        UsccCase{"914403001922038216", {}},                    // Huawei Technologies
        UsccCase{"9144030071526726XG", {}},                    // Tencent, X inside
        UsccCase{"91330100799655058B", {}},                    // Alibaba (China)
        UsccCase{"12100000400000624D", {}},                    // a public institution
        UsccCase{"9144030071526726xg", {}},                    // lower case
        UsccCase{"  91350100M000100Y43 ", {}},                 // surrounding spaces
        UsccCase{"9135 0100 M000 100Y 43", {}},                // grouped as printed
        UsccCase{"９１３５０１００Ｍ０００１００Ｙ４３", {}},  // full-width
        UsccCase{"", {"required"}}, UsccCase{"   ", {"required"}},
        UsccCase{"91350100M000100Y4", {"invalid_length"}},
        UsccCase{"91350100M000100Y433", {"invalid_length"}},
        UsccCase{"91350100M000100I43", {"invalid_character"}},  // I is not in the charset
        UsccCase{"91350100M00010OY43", {"invalid_character"}},  // O either
        UsccCase{"91350100M000100Y4中", {"invalid_character"}},
        UsccCase{"91A50100M000100Y43", {"invalid_format"}},  // division code not digits
        UsccCase{"91350100M000100Y44", {"checksum_mismatch"}},
        UsccCase{"11100000000013127G", {"checksum_mismatch"}},
        UsccCase{"52110000500000000P", {"checksum_mismatch"}}));

TEST(Uscc, ParamsNameExpectedCheckCharacter) {
  Findings f = ValidateUscc("91350100M000100Y44", "x");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].field, "x");
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].params.at("expected"), "3");
  EXPECT_EQ(f[0].params.at("actual"), "4");
  Findings g = ValidateUscc("91350100M000100I43", "x");
  EXPECT_EQ(g[0].params.at("position"), "16");
  EXPECT_EQ(g[0].params.at("char"), "I");
}

TEST(Uscc, EmbeddedOrganizationCodeIsChecked) {
  // Valid USCC check character computed over a body whose organization code is wrong.
  std::string body = "91350100M000100Y5";  // org check char '5' instead of '4'
  std::string code = body + *UsccCheckChar(body);
  EXPECT_THAT(Codes(ValidateUscc(code, "f")), ElementsAre("organization_code_checksum_mismatch"));
}

TEST(Uscc, ParseNormalises) {
  EXPECT_EQ(ParseUscc(" 9144030071526726xg "), "9144030071526726XG");
  EXPECT_EQ(ParseUscc("9144030071526726XX"), std::nullopt);
}

std::string RandomValidUscc(std::mt19937& rng) {
  std::uniform_int_distribution<std::size_t> any(0, kUsccCharset.size() - 1);
  std::uniform_int_distribution<int> digit(0, 9);
  std::string s;
  s += kUsccCharset[any(rng)];
  s += kUsccCharset[any(rng)];
  for (int i = 0; i < 6; ++i) s += static_cast<char>('0' + digit(rng));
  std::string org;
  constexpr std::string_view kOrgChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::uniform_int_distribution<std::size_t> orgc(0, kOrgChars.size() - 1);
  for (int i = 0; i < 8; ++i) org += kOrgChars[orgc(rng)];
  s += org;
  s += *OrganizationCodeCheckChar(org);
  s += *UsccCheckChar(s);
  return s;
}

TEST(UsccProperty, GeneratedCodesPassAndEverySingleChangeFails) {
  std::mt19937 rng(20261128);
  for (int n = 0; n < 300; ++n) {
    std::string code = RandomValidUscc(rng);
    ASSERT_TRUE(ValidateUscc(code, "f").empty()) << code;
    for (std::size_t i = 0; i < code.size(); ++i) {
      for (char c : kUsccCharset) {
        if (c == code[i]) continue;
        std::string changed = code;
        changed[i] = c;
        ASSERT_FALSE(ValidateUscc(changed, "f").empty()) << code << " -> " << changed;
      }
    }
  }
}

TEST(OrganizationCode, Table) {
  EXPECT_TRUE(ValidateOrganizationCode("19220382-1", "f").empty());
  EXPECT_TRUE(ValidateOrganizationCode("192203821", "f").empty());
  EXPECT_TRUE(ValidateOrganizationCode("71526726-x", "f").empty());
  EXPECT_THAT(Codes(ValidateOrganizationCode("19220382-2", "f")), ElementsAre("checksum_mismatch"));
  EXPECT_THAT(Codes(ValidateOrganizationCode("1922038", "f")), ElementsAre("invalid_length"));
  EXPECT_THAT(Codes(ValidateOrganizationCode("1922038*1", "f")), ElementsAre("invalid_character"));
  EXPECT_THAT(Codes(ValidateOrganizationCode("19220382A", "f")), ElementsAre("invalid_character"));
  EXPECT_THAT(Codes(ValidateOrganizationCode("", "f")), ElementsAre("required"));
  EXPECT_EQ(ParseOrganizationCode("19220382-1"), "192203821");
}

TEST(OrganizationCode, EverySingleDigitChangeFails) {
  const std::string code = "192203821";
  for (std::size_t i = 0; i < code.size(); ++i) {
    for (char c : std::string_view("0123456789X")) {
      if (c == code[i] || (i < 8 && c == 'X')) continue;
      std::string changed = code;
      changed[i] = c;
      EXPECT_FALSE(ValidateOrganizationCode(changed, "f").empty()) << changed;
    }
  }
}

TEST(UsccPrefix, WarnsWhenTypeDoesNotFit) {
  const Rules& r = EmbeddedRules();
  EXPECT_TRUE(CheckUsccPrefix(r, "enterprise", "914403001922038216", "f").empty());
  Findings f = CheckUsccPrefix(r, "government", "914403001922038216", "f");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "uscc_prefix_type_mismatch");
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].params.at("prefix"), "91");
  EXPECT_EQ(f[0].params.at("expected"), "11, 13");
  EXPECT_EQ(Codes(CheckUsccPrefix(r, "public_institution", "12100000400000624D", "f")).size(), 0u);
  EXPECT_TRUE(CheckUsccPrefix(r, "military", "914403001922038216", "f").empty());
  EXPECT_TRUE(CheckUsccPrefix(r, "nope", "914403001922038216", "f").empty());
  EXPECT_TRUE(CheckUsccPrefix(r, "enterprise", "short", "f").empty());
}

}  // namespace
}  // namespace beian::domain

namespace beian::domain {
namespace {

// Found by uscc_fuzz: stray UTF-8 continuation bytes after 18 valid characters were not counted,
// so the code validated and ParseUscc returned 20 bytes.
TEST(UsccRegressionTest, StrayContinuationBytesAreBadCharacters) {
  const std::string valid = "91110108MA01ABCD5T";
  ASSERT_TRUE(ValidateUscc(valid, "f").empty());
  const std::string garbled = valid + "\x8d\x85";
  Findings f = ValidateUscc(garbled, "f");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "invalid_character");
  EXPECT_EQ(f[0].params.at("char"), "\uFFFD");
  EXPECT_FALSE(ParseUscc(garbled).has_value());
}

}  // namespace
}  // namespace beian::domain
