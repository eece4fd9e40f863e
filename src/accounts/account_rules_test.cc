#include "accounts/account_rules.h"

#include <gtest/gtest.h>

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

TEST(AccountRulesTest, PasswordLengthCountsCharactersNotBytes) {
  EXPECT_TRUE(ValidatePassword("密码密码密码密码密码", "a@x.cn").empty());
  EXPECT_TRUE(HasDetail(ValidatePassword(std::string(257, 'x'), "a@x.cn"), "password",
                        "password_too_long"));
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

TEST(ThrottleTest, LimitsFollowThePolicy) {
  const auto p = AccountThrottlePolicy();
  EXPECT_EQ(SlowDownLimit(p).max_failures, p.free_failures + 1);
  EXPECT_EQ(SlowDownLimit(p).lock_ms, 5000);
  EXPECT_EQ(LockLimit(p).max_failures, 10);
  EXPECT_EQ(LockLimit(p).lock_ms, 15 * 60 * 1000);
  EXPECT_GT(AddressThrottlePolicy().lock_after, p.lock_after);
}

TEST(ThrottleTest, LockWinsOverSlowDown) {
  int64_t retry = 0;
  EXPECT_FALSE(RefuseAttempt({3, 0}, {3, 0}, 1000, &retry));
  auto slow = RefuseAttempt({4, 0}, {4, 6000}, 1000, &retry);
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->code, core::ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry, 5);
  auto locked = RefuseAttempt({10, 1000 + 900'000}, {10, 6000}, 1000, &retry);
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->code, core::ErrorCode::kAccountLocked);
  EXPECT_EQ(retry, 900);
  EXPECT_FALSE(RefuseAttempt({10, 1000}, {10, 1000}, 1000, &retry));  // expired exactly now
}

}  // namespace
}  // namespace beian::accounts
