// AccountsService against real databases (SQLite file and PostgreSQL), with a manual clock.
#include "accounts/accounts_service.h"

#include <gtest/gtest.h>

#include "store/testing/backends.h"

namespace beian::accounts {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;

class AccountsServiceTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie("agent");
    service_ = std::make_unique<AccountsService>(
        db(), clock_, pii_,
        AccountsOptions{.login_roles = {"applicant", "reviewer", "admin"},
                        .self_registration = true,
                        .password_cost = core::PasswordCost::kMinimum});
  }

  Registration Reg(std::string email) {
    return {.email = std::move(email),
            .phone = "13912345678",
            .password = "a-long-passphrase",
            .display_name = "张三"};
  }

  core::PiiCipher pii_{core::RandomBytes(core::kSecretKeyBytes)};
  core::ManualClock clock_{core::TimePoint(std::chrono::hours(24 * 365 * 56))};
  std::unique_ptr<AccountsService> service_;
};

TEST_P(AccountsServiceTest, RegisterSignsInAndAuthenticates) {
  auto grant = service_->Register(Reg(" New.User@Example.CN "), "127.0.0.1");
  ASSERT_TRUE(grant) << grant.error().message;
  EXPECT_EQ(grant->user.email, "new.user@example.cn");
  EXPECT_EQ(grant->user.role, "applicant");
  EXPECT_EQ(grant->session_token.size(), 43u);
  auto principal = service_->Authenticate(grant->session_token);
  ASSERT_TRUE(principal);
  ASSERT_TRUE(principal->has_value());
  EXPECT_EQ((*principal)->user_id, grant->user.id);
  EXPECT_EQ((*principal)->csrf_token, grant->csrf_token);
  // A token that differs in one character is no session.
  std::string other = grant->session_token;
  other[0] = other[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(service_->Authenticate(other)->has_value());
  EXPECT_FALSE(service_->Authenticate("short")->has_value());
}

TEST_P(AccountsServiceTest, MobileNumbersAreSealedAtRest) {
  auto grant = service_->Register(Reg("p@example.cn"), "127.0.0.1");
  ASSERT_TRUE(grant);
  EXPECT_EQ(grant->user.phone, "13912345678");
  auto stored =
      db().Read([](store::Tx& tx) { return store::UserRepo(tx).FindByEmail("p@example.cn"); });
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_TRUE((*stored)->phone.starts_with("enc1:"));
  EXPECT_EQ((*stored)->phone.find("13912345678"), std::string::npos);
  EXPECT_EQ(service_->GetUser(grant->user.id)->phone, "13912345678");
}

TEST_P(AccountsServiceTest, RefusedRegistrationLeavesNothingBehind) {
  Registration bad = Reg("x@example.cn");
  bad.password = "short";
  auto refused = service_->Register(bad, "127.0.0.1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kValidationFailed);
  ASSERT_EQ(refused.error().details.size(), 1u);
  EXPECT_EQ(refused.error().details[0].field, "password");
  EXPECT_TRUE(service_->Register(Reg("x@example.cn"), "127.0.0.1"));
  auto again = service_->Register(Reg("X@example.cn"), "127.0.0.1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kEmailTaken);
  EXPECT_EQ(again.error().details.at(0).field, "email");
}

TEST_P(AccountsServiceTest, WrongPasswordAndUnknownEmailLookTheSame) {
  ASSERT_TRUE(service_->Register(Reg("a@example.cn"), "10.0.0.1"));
  auto wrong = service_->Login("a@example.cn", "not-the-password", "10.0.0.1");
  auto unknown = service_->Login("nobody@example.cn", "not-the-password", "10.0.0.1");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidCredentials);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidCredentials);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_TRUE(service_->Login("A@Example.cn", "a-long-passphrase", "10.0.0.1"));
}

TEST_P(AccountsServiceTest, FailuresSlowDownThenLockThenExpire) {
  ASSERT_TRUE(service_->Register(Reg("t@example.cn"), "10.0.0.2"));
  int64_t retry = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(service_->Login("t@example.cn", "wrong-password", "10.0.0.2").error().code,
              ErrorCode::kInvalidCredentials);
  }
  // The fourth failure starts the slow-down: even the right password must wait.
  EXPECT_EQ(service_->Login("t@example.cn", "wrong-password", "10.0.0.2").error().code,
            ErrorCode::kInvalidCredentials);
  auto slowed = service_->Login("t@example.cn", "a-long-passphrase", "10.0.0.2", &retry);
  ASSERT_FALSE(slowed);
  EXPECT_EQ(slowed.error().code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry, 5);
  for (int failures = 4; failures < 10; ++failures) {
    clock_.Advance(5s);
    EXPECT_EQ(service_->Login("t@example.cn", "wrong-password", "10.0.0.2").error().code,
              ErrorCode::kInvalidCredentials);
  }
  clock_.Advance(5s);
  auto locked = service_->Login("t@example.cn", "a-long-passphrase", "10.0.0.2", &retry);
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kAccountLocked);
  EXPECT_GT(retry, 800);
  clock_.Advance(16min);
  EXPECT_TRUE(service_->Login("t@example.cn", "a-long-passphrase", "10.0.0.2"));
  // Success reset the account: three failures are free again.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(service_->Login("t@example.cn", "wrong-password", "10.0.0.2").error().code,
              ErrorCode::kInvalidCredentials);
  }
  EXPECT_TRUE(service_->Login("t@example.cn", "a-long-passphrase", "10.0.0.2"));
}

TEST_P(AccountsServiceTest, SessionsExpireAndArePurged) {
  auto grant = service_->Register(Reg("s@example.cn"), "127.0.0.1");
  ASSERT_TRUE(grant);
  clock_.Advance(11h);
  EXPECT_TRUE(service_->Authenticate(grant->session_token)->has_value());
  clock_.Advance(2h);
  EXPECT_FALSE(service_->Authenticate(grant->session_token)->has_value());
  auto purged = service_->PurgeExpiredSessions();
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1);
}

TEST_P(AccountsServiceTest, LogoutEndsTheSession) {
  auto grant = service_->Register(Reg("l@example.cn"), "127.0.0.1");
  ASSERT_TRUE(grant);
  auto principal = service_->Authenticate(grant->session_token);
  ASSERT_TRUE(principal && principal->has_value());
  ASSERT_TRUE(service_->Logout((*principal)->session_id));
  EXPECT_FALSE(service_->Authenticate(grant->session_token)->has_value());
}

TEST_P(AccountsServiceTest, EveryLoginHasItsOwnCsrfToken) {
  ASSERT_TRUE(service_->Register(Reg("c@example.cn"), "127.0.0.1"));
  auto a = service_->Login("c@example.cn", "a-long-passphrase", "127.0.0.1");
  auto b = service_->Login("c@example.cn", "a-long-passphrase", "127.0.0.1");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->csrf_token, b->csrf_token);
  EXPECT_NE(a->session_token, b->session_token);
}

TEST_P(AccountsServiceTest, RolesOutsideTheServiceCannotSignIn) {
  ASSERT_TRUE(service_->CreateUser(Reg("gov@example.cn"), "authority_reviewer"));
  EXPECT_EQ(service_->Login("gov@example.cn", "a-long-passphrase", "127.0.0.1").error().code,
            ErrorCode::kInvalidCredentials);
  auto unknown_role = service_->CreateUser(Reg("r@example.cn"), "root");
  ASSERT_FALSE(unknown_role);
  EXPECT_EQ(unknown_role.error().details.at(0).field, "role");
  auto created = service_->EnsureUser(Reg("rev@example.cn"), "reviewer");
  ASSERT_TRUE(created);
  EXPECT_TRUE(*created);
  EXPECT_FALSE(*service_->EnsureUser(Reg("rev@example.cn"), "reviewer"));
  auto login = service_->Login("rev@example.cn", "a-long-passphrase", "127.0.0.1");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->user.role, "reviewer");
}

BEIAN_INSTANTIATE_STORE_SUITE(AccountsServiceTest);

}  // namespace
}  // namespace beian::accounts
