#include "accounts/account_rules.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace beian::accounts {
namespace {

bool HasDetail(const std::vector<core::ErrorDetail>& d, std::string_view field,
               std::string_view code) {
  for (const auto& x : d) {
    if (x.field == field && x.code == code) return true;
  }
  return false;
}

TEST(AccountRulesTest, AcceptsAGoodRegistration) {
  EXPECT_TRUE(
      ValidateRegistration(" Li.Wei@Example.COM ", "13812345678", "a-long-passphrase", "李伟")
          .empty());
  EXPECT_EQ(NormalizeEmail(" Li.Wei@Example.COM "), "li.wei@example.com");
  EXPECT_EQ(NormalizeMobile(" 13812345678\t"), "13812345678");
}

// Issue 6 item 19: the API accepts what the console accepts, normalised in one place.
TEST(AccountRulesTest, MobileSpellingsNormaliseToElevenDigits) {
  for (const char* spelling : {"+86 138 0013 8000", "+86-138-0013-8000", "8613800138000",
                               "+8613800138000", "138 0013 8000", "１３８００１３８０００"}) {
    EXPECT_EQ(NormalizeMobile(spelling), "13800138000") << spelling;
    EXPECT_TRUE(ValidateRegistration("a@x.cn", spelling, "a-long-passphrase", "n").empty())
        << spelling;
  }
  for (const char* bad : {"+87 138 0013 8000", "86 138 0013 800", "12800138000", "+86", ""}) {
    EXPECT_FALSE(NormalizeMobile(bad)) << bad;
  }
}

struct FieldCase {
  const char* email;
  const char* phone;
  const char* password;
  const char* name;
  const char* field;
  const char* code;
};

class RegistrationFieldTest : public ::testing::TestWithParam<FieldCase> {};

TEST_P(RegistrationFieldTest, ReportsTheField) {
  const auto& c = GetParam();
  auto d = ValidateRegistration(c.email, c.phone, c.password, c.name);
  EXPECT_TRUE(HasDetail(d, c.field, c.code)) << c.field << " " << c.code;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RegistrationFieldTest,
    ::testing::Values(
        FieldCase{"", "13812345678", "long-enough-pw", "n", "email", "required"},
        FieldCase{"no-at-sign", "13812345678", "long-enough-pw", "n", "email", "invalid_email"},
        FieldCase{"a@nodot", "13812345678", "long-enough-pw", "n", "email", "invalid_email"},
        FieldCase{"a..b@x.cn", "13812345678", "long-enough-pw", "n", "email", "invalid_email"},
        FieldCase{"a@-x.cn", "13812345678", "long-enough-pw", "n", "email", "invalid_email"},
        FieldCase{"a@x.cn", "", "long-enough-pw", "n", "phone", "required"},
        FieldCase{"a@x.cn", "12812345678", "long-enough-pw", "n", "phone", "invalid_mobile"},
        FieldCase{"a@x.cn", "1381234567", "long-enough-pw", "n", "phone", "invalid_mobile"},
        FieldCase{"a@x.cn", "1381234567a", "long-enough-pw", "n", "phone", "invalid_mobile"},
        FieldCase{"a@x.cn", "13812345678", "", "n", "password", "required"},
        FieldCase{"a@x.cn", "13812345678", "short", "n", "password", "password_too_short"},
        FieldCase{"a@x.cn", "13812345678", "密码密码密码密码密", "n", "password",
                  "password_too_short"},
        FieldCase{"a@x.cn", "13812345678", "1234567890", "n", "password", "password_too_simple"},
        FieldCase{"a@x.cn", "13812345678", "aaaaaaaaaa", "n", "password", "password_too_simple"},
        FieldCase{"a@x.cn", "13812345678", "password123", "n", "password", "password_too_common"},
        FieldCase{"longname@x.cn", "13812345678", "LongName@X.cn", "n", "password",
                  "password_equals_email"},
        FieldCase{"longname01@x.cn", "13812345678", "longname01", "n", "password",
                  "password_equals_email"},
        FieldCase{"a@x.cn", "13812345678", "long-enough-pw", "  ", "display_name", "required"},
        FieldCase{"a@x.cn", "13812345678", "long-enough-pw", "a\tb", "display_name",
                  "invalid_characters"}));

TEST(AccountRulesTest, NulInDisplayNameIsRefused) {
  EXPECT_TRUE(HasDetail(ValidateRegistration("a@x.cn", "13812345678", "long-enough-pw",
                                             std::string("Before\0After", 12)),
                        "display_name", "invalid_characters"));
  EXPECT_FALSE(IsValidEmail(std::string("a@x.cn\0b", 8)));
}

// Guard: DEL (0x7f) and the C1 controls are control characters too; their neighbours are not.
TEST(AccountRulesTest, ControlCharacterBoundariesInDisplayNames) {
  auto refused = [](std::string name) {
    return HasDetail(ValidateRegistration("a@x.cn", "13812345678", "a-long-passphrase", name),
                     "display_name", "invalid_characters");
  };
  EXPECT_TRUE(
      refused("a\x1f"
              "b"));
  EXPECT_FALSE(refused("a b"));  // 0x20
  EXPECT_FALSE(refused("a~b"));  // 0x7e
  EXPECT_TRUE(
      refused("a\x7f"
              "b"));
  EXPECT_TRUE(
      refused("a\xc2\x80"
              "b"));  // U+0080
  EXPECT_TRUE(
      refused("a\xc2\x9f"
              "b"));  // U+009F
  EXPECT_FALSE(
      refused("a\xc2\xa0"
              "b"));                      // U+00A0 (no-break space)
  EXPECT_FALSE(refused("张\xc2\xb7三"));  // U+00B7 (middle dot in transcribed names)
}

TEST(AccountRulesTest, PasswordLengthCountsCharactersNotBytes) {
  EXPECT_TRUE(ValidatePassword("我的密码是长江黄河啊", "a@x.cn").empty());
  EXPECT_TRUE(HasDetail(ValidatePassword(std::string(257, 'x'), "a@x.cn"), "password",
                        "password_too_long"));
}

// Issue 6 item 6: common and trivially repetitive passwords are refused, whatever their length.
TEST(AccountRulesTest, CommonAndSimplePasswordsAreRefused) {
  EXPECT_EQ(CheckPasswordStrength("password123"), "password_too_common");
  EXPECT_EQ(CheckPasswordStrength("iloveyou123"), "password_too_common");
  EXPECT_EQ(CheckPasswordStrength("qwertyuiop"), "password_too_common");
  EXPECT_EQ(CheckPasswordStrength("1234567890"), "password_too_simple");
  EXPECT_EQ(CheckPasswordStrength("aaaaaaaaaa"), "password_too_simple");
  EXPECT_EQ(CheckPasswordStrength("abcabcabcabc"), "password_too_simple");
  EXPECT_EQ(CheckPasswordStrength("密码密码密码密码密码"), "password_too_simple");
  EXPECT_EQ(CheckPasswordStrength("1122112211"), "password_too_simple");
  EXPECT_EQ(CheckPasswordStrength(std::string(256, 'p')), "password_too_simple");
  for (const char* good : {"a-long-passphrase", "correct-horse-battery", "zhang1988san!",
                           "我的密码是长江黄河啊", "demo-password-1", "Tr0ub4dor&3xx"}) {
    EXPECT_EQ(CheckPasswordStrength(good), std::nullopt) << good;
  }
}

// cracklib alone refused "password123" but let "password1234" through.
TEST(AccountRulesTest, DictionaryWordsDecoratedWithDigitsAreCommon) {
  EXPECT_EQ(CheckPasswordStrength("password1234"), "password_too_common");
  EXPECT_EQ(CheckPasswordStrength("Password2024!"), "password_too_common");
  EXPECT_EQ(CheckPasswordStrength("1998sunshine"), "password_too_common");
  EXPECT_EQ(CheckPasswordStrength("Tq8#zL0pWm"), std::nullopt);
  EXPECT_EQ(CheckPasswordStrength("zhu-ren-gong-9x"), std::nullopt);
}

TEST(AccountRulesTest, PhoneOptionalOnlyWhenSaidSo) {
  EXPECT_TRUE(
      HasDetail(ValidateRegistration("a@x.cn", "", "long-enough-pw", "n"), "phone", "required"));
  EXPECT_TRUE(ValidateRegistration("a@x.cn", "", "long-enough-pw", "n", false).empty());
  EXPECT_TRUE(HasDetail(ValidateRegistration("a@x.cn", "123", "long-enough-pw", "n", false),
                        "phone", "invalid_mobile"));
}

TEST(AccountRulesTest, DisplayNameTooLong) {
  EXPECT_TRUE(HasDetail(
      ValidateRegistration("a@x.cn", "13812345678", "long-enough-pw", std::string(65, 'n')),
      "display_name", "too_long"));
}

TEST(AccountRulesTest, RolesAreClosed) {
  EXPECT_TRUE(IsKnownRole("applicant"));
  EXPECT_TRUE(IsKnownRole("authority_reviewer"));
  EXPECT_FALSE(IsKnownRole("root"));
}

TEST(ThrottleTest, DelaysDoubleUpToTheMaximum) {
  const auto p = PairThrottlePolicy();
  using std::chrono::milliseconds;
  EXPECT_EQ(DelayAfter(p, 0), milliseconds(0));
  EXPECT_EQ(DelayAfter(p, p.free_failures), milliseconds(0));
  EXPECT_EQ(DelayAfter(p, p.free_failures + 1), p.first_delay);
  EXPECT_EQ(DelayAfter(p, p.free_failures + 2), 2 * p.first_delay);
  EXPECT_EQ(DelayAfter(p, p.free_failures + 3), 4 * p.first_delay);
  EXPECT_EQ(DelayAfter(p, 1000), p.max_delay);
  EXPECT_EQ(DelayAfter(p, INT64_MAX), p.max_delay);
  EXPECT_GT(AddressThrottlePolicy().free_failures, p.free_failures);
  EXPECT_GT(AccountThrottlePolicy().free_failures, p.free_failures);
}

TEST(ThrottleTest, AnyDelayedScopeRefusesWithTooManyRequests) {
  int64_t retry = 0;
  EXPECT_FALSE(RefuseAttempt({}, 1000, &retry));
  auto by_pair = RefuseAttempt({.pair = {4, 6000}}, 1000, &retry);
  ASSERT_TRUE(by_pair);
  EXPECT_EQ(by_pair->code, core::ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry, 5);
  auto by_address = RefuseAttempt({.address = {21, 901'000}}, 1000, &retry);
  ASSERT_TRUE(by_address);
  EXPECT_EQ(by_address->code, core::ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry, 900);
  // The longest wait wins.
  ASSERT_TRUE(RefuseAttempt({.address = {21, 3000}, .pair = {5, 11'000}}, 1000, &retry));
  EXPECT_EQ(retry, 10);
}

// The account-wide delay never reaches an address that has not been failing on the account.
TEST(ThrottleTest, AccountDelaySlowsOnlyFailingAddresses) {
  int64_t retry = 0;
  const CounterState account_delayed{50, 901'000};
  EXPECT_FALSE(RefuseAttempt({.account = account_delayed}, 1000, &retry));
  EXPECT_FALSE(RefuseAttempt({.address = {3, 0}, .account = account_delayed}, 1000, &retry));
  auto failing = RefuseAttempt({.pair = {1, 0}, .account = account_delayed}, 1000, &retry);
  ASSERT_TRUE(failing);
  EXPECT_EQ(failing->code, core::ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry, 900);
}

// Boundary: a delay ends exactly at its time, not a second (or a millisecond) early, and the
// Retry-After it announces is rounded up.
TEST(ThrottleTest, DelayIsReleasedExactlyAtItsTime) {
  int64_t retry = 0;
  const AttemptCounters c{.pair = {4, 10'000}};
  ASSERT_TRUE(RefuseAttempt(c, 9'000, &retry));
  EXPECT_EQ(retry, 1);
  ASSERT_TRUE(RefuseAttempt(c, 9'999, &retry));
  EXPECT_EQ(retry, 1);
  ASSERT_TRUE(RefuseAttempt(c, 8'999, &retry));
  EXPECT_EQ(retry, 2);
  EXPECT_FALSE(RefuseAttempt(c, 10'000, &retry));
}

}  // namespace
}  // namespace beian::accounts
