// Mobile, landline and e-mail checks with the spellings people really type.
#include "domain/contact_validators.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

using testing::Codes;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Case {
  const char* input;
  std::optional<std::string> normalized;
};

class Mobile : public ::testing::TestWithParam<Case> {};
TEST_P(Mobile, Normalizes) {
  EXPECT_EQ(NormalizeMobile(GetParam().input), GetParam().normalized) << GetParam().input;
  EXPECT_EQ(ValidateMobile(GetParam().input, "f").empty(), GetParam().normalized.has_value());
}
INSTANTIATE_TEST_SUITE_P(
    Spellings, Mobile,
    ::testing::Values(
        Case{"13812345678", "13812345678"}, Case{"19912345678", "19912345678"},
        Case{" 138 1234 5678 ", "13812345678"}, Case{"138-1234-5678", "13812345678"},
        Case{"+8613812345678", "13812345678"}, Case{"+86 138 1234 5678", "13812345678"},
        Case{"8613812345678", "13812345678"}, Case{"１３８１２３４５６７８", "13812345678"},
        // RULES.md decision 11.
        Case{"+86 138-0013-8000", "13800138000"}, Case{"0086 138 0013 8000", "13800138000"},
        Case{"(+86) 138.0013.8000", "13800138000"}, Case{"86-138-0013-8000", "13800138000"},
        Case{"+86（138）00138000", "13800138000"},
        Case{"+８６ １３８ ００１３ ８０００", "13800138000"},
        Case{"+86 1380013800", std::nullopt},    // 10 digits after the code
        Case{"+86 138001380001", std::nullopt},  // 12
        Case{"86 1380013800", std::nullopt},     // 8613800138000 is 12 digits
        Case{"0086 0086 13800138000", std::nullopt}, Case{"+85 13800138000", std::nullopt},
        Case{"138_0013_8000", std::nullopt},
        Case{"+8612800138000", std::nullopt},  // second digit 2
        Case{"12812345678", std::nullopt}, Case{"1381234567", std::nullopt},
        Case{"138123456789", std::nullopt}, Case{"23812345678", std::nullopt},
        Case{"1381234567a", std::nullopt}, Case{"010-12345678", std::nullopt}));

class Landline : public ::testing::TestWithParam<Case> {};
TEST_P(Landline, Normalizes) {
  EXPECT_EQ(NormalizeLandline(GetParam().input), GetParam().normalized) << GetParam().input;
  EXPECT_EQ(ValidateLandline(GetParam().input, "f").empty(), GetParam().normalized.has_value());
}
INSTANTIATE_TEST_SUITE_P(
    Spellings, Landline,
    ::testing::Values(Case{"010-12345678", "010-12345678"}, Case{"01012345678", "010-12345678"},
                      Case{"(010)12345678", "010-12345678"},
                      Case{"（010）12345678", "010-12345678"}, Case{"0755-8765432", "0755-8765432"},
                      Case{"07558765432", "0755-8765432"}, Case{"021 6123 4567", "021-61234567"},
                      Case{"0571-87654321", "0571-87654321"}, Case{"12345678", std::nullopt},
                      Case{"010-123456", std::nullopt}, Case{"010-123456789", std::nullopt},
                      Case{"0010-12345678", std::nullopt}, Case{"010-02345678", std::nullopt},
                      Case{"13812345678", std::nullopt}, Case{"(010-12345678", std::nullopt}));

class Email : public ::testing::TestWithParam<Case> {};
TEST_P(Email, Normalizes) {
  EXPECT_EQ(NormalizeEmail(GetParam().input), GetParam().normalized) << GetParam().input;
  EXPECT_EQ(ValidateEmail(GetParam().input, "f").empty(), GetParam().normalized.has_value());
}
INSTANTIATE_TEST_SUITE_P(
    Spellings, Email,
    ::testing::Values(Case{"zhang.san@example.com", "zhang.san@example.com"},
                      Case{" Admin+beian@Example.COM.cn ", "Admin+beian@example.com.cn"},
                      Case{"a@例子.中国", "a@xn--fsqu00a.xn--fiqs8s"},
                      Case{"li＠qq.com", "li@qq.com"}, Case{"no-at.example.com", std::nullopt},
                      Case{"a@@example.com", std::nullopt}, Case{"a@b@example.com", std::nullopt},
                      Case{".a@example.com", std::nullopt}, Case{"a..b@example.com", std::nullopt},
                      Case{"a@localhost", std::nullopt}, Case{"a b@example.com", std::nullopt},
                      Case{"a@example..com", std::nullopt}, Case{"@example.com", std::nullopt},
                      Case{"张三@example.com", std::nullopt}));

TEST(Contact, EmptyIsRequiredAndBadIsInvalidFormat) {
  EXPECT_THAT(Codes(ValidateMobile(" ", "p.mobile")), ElementsAre("required"));
  Findings f = ValidateMobile("123", "p.mobile");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "mobile_invalid");  // decision 11's code
  EXPECT_EQ(f[0].field, "p.mobile");
  EXPECT_EQ(ValidateLandline("1", "f")[0].params.at("kind"), "landline");
  EXPECT_EQ(ValidateEmail("1", "f")[0].params.at("kind"), "email");
  EXPECT_THAT(Codes(ValidateEmail("", "f")), ElementsAre("required"));
  EXPECT_THAT(Codes(ValidateLandline("", "f")), ElementsAre("required"));
  EXPECT_THAT(Codes(ValidateLandline("010-12345678", "f")), IsEmpty());
}

}  // namespace
}  // namespace beian::domain
