// AccountsService against real databases (SQLite file and PostgreSQL), with a manual clock.
#include "accounts/accounts_service.h"

#include <gtest/gtest.h>

#include "accounts/account_rules.h"
#include "store/testing/backends.h"
#include "store/users.h"

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

// The error code of a login, nullopt (kSignedIn) when it succeeded.
constexpr std::optional<ErrorCode> kSignedIn;
std::optional<ErrorCode> LoginCode(AccountsService& s, std::string_view email,
                                   std::string_view password, std::string_view address,
                                   int64_t* retry = nullptr) {
  auto r = s.Login(email, password, address, retry);
  if (r) return std::nullopt;
  return r.error().code;
}

// Issue 6 item 3: failing on purpose from one address must not keep the owner out.
TEST_P(AccountsServiceTest, AttackerFailingFiftyTimesCannotLockOutTheOwner) {
  ASSERT_TRUE(service_->Register(Reg("owner@example.cn"), "10.0.0.1"));
  int64_t retry = 0;
  int failures = 0;
  int refused = 0;
  while (failures < 50) {
    const std::optional<ErrorCode> code =
        LoginCode(*service_, "owner@example.cn", "wrong-password", "203.0.113.9", &retry);
    if (code == ErrorCode::kTooManyRequests) {
      ++refused;
      clock_.Advance(std::chrono::seconds(retry));  // the attacker waits out every delay
      continue;
    }
    ASSERT_EQ(code, ErrorCode::kInvalidCredentials) << "failure " << failures;
    ++failures;
  }
  EXPECT_GT(refused, 0);
  // The attacker's address is slowed down, also for the right password, and never told
  // account_locked.
  EXPECT_EQ(LoginCode(*service_, "owner@example.cn", "a-long-passphrase", "203.0.113.9", &retry),
            ErrorCode::kTooManyRequests);
  EXPECT_GT(retry, 60);
  // The owner, from an address that has not been failing, logs in at once.
  EXPECT_EQ(LoginCode(*service_, "owner@example.cn", "a-long-passphrase", "10.0.0.1"), kSignedIn);
  EXPECT_EQ(LoginCode(*service_, "owner@example.cn", "a-long-passphrase", "198.51.100.7"),
            kSignedIn);
  // ...and the owner's success does not wash the attacker's address clean.
  EXPECT_EQ(LoginCode(*service_, "owner@example.cn", "wrong-password", "203.0.113.9"),
            ErrorCode::kTooManyRequests);
}

TEST_P(AccountsServiceTest, FailuresFromOneAddressSlowDownWithGrowingDelays) {
  ASSERT_TRUE(service_->Register(Reg("t@example.cn"), "10.0.0.2"));
  int64_t retry = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(LoginCode(*service_, "t@example.cn", "wrong-password", "10.0.0.2"),
              ErrorCode::kInvalidCredentials);
  }
  // The fourth failure starts the slow-down: even the right password must wait.
  EXPECT_EQ(LoginCode(*service_, "t@example.cn", "wrong-password", "10.0.0.2"),
            ErrorCode::kInvalidCredentials);
  EXPECT_EQ(LoginCode(*service_, "t@example.cn", "a-long-passphrase", "10.0.0.2", &retry),
            ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry, 5);
  clock_.Advance(5s);
  EXPECT_EQ(LoginCode(*service_, "t@example.cn", "wrong-password", "10.0.0.2"),
            ErrorCode::kInvalidCredentials);
  EXPECT_EQ(LoginCode(*service_, "t@example.cn", "wrong-password", "10.0.0.2", &retry),
            ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry, 10);
  clock_.Advance(10s);
  EXPECT_EQ(LoginCode(*service_, "t@example.cn", "a-long-passphrase", "10.0.0.2"), kSignedIn);
  // Success forgot the pair's failures: three are free again.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(LoginCode(*service_, "t@example.cn", "wrong-password", "10.0.0.2"),
              ErrorCode::kInvalidCredentials);
  }
  EXPECT_EQ(LoginCode(*service_, "t@example.cn", "a-long-passphrase", "10.0.0.2"), kSignedIn);
}

// Boundary (issue 6 guards): a delay is released exactly at its time, not one second early.
TEST_P(AccountsServiceTest, DelayEndsExactlyOnTime) {
  ASSERT_TRUE(service_->Register(Reg("b@example.cn"), "10.0.0.3"));
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(LoginCode(*service_, "b@example.cn", "wrong-password", "10.0.0.3"),
              ErrorCode::kInvalidCredentials);
  }
  int64_t retry = 0;
  clock_.Advance(4s);
  EXPECT_EQ(LoginCode(*service_, "b@example.cn", "a-long-passphrase", "10.0.0.3", &retry),
            ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry, 1);
  clock_.Advance(999ms);
  EXPECT_EQ(LoginCode(*service_, "b@example.cn", "a-long-passphrase", "10.0.0.3", &retry),
            ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry, 1);
  clock_.Advance(1ms);
  EXPECT_EQ(LoginCode(*service_, "b@example.cn", "a-long-passphrase", "10.0.0.3"), kSignedIn);
}

TEST_P(AccountsServiceTest, AnAddressSprayingManyAccountsIsSlowedForAll) {
  ASSERT_TRUE(service_->Register(Reg("victim@example.cn"), "10.0.0.4"));
  for (int i = 0; i < 21; ++i) {
    ASSERT_EQ(LoginCode(*service_, "spray" + std::to_string(i) + "@example.cn", "wrong-password",
                        "10.0.0.5"),
              ErrorCode::kInvalidCredentials);
  }
  int64_t retry = 0;
  EXPECT_EQ(LoginCode(*service_, "victim@example.cn", "a-long-passphrase", "10.0.0.5", &retry),
            ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry, 2);
  EXPECT_EQ(LoginCode(*service_, "victim@example.cn", "a-long-passphrase", "10.0.0.4"), kSignedIn);
}

// Issue 6 item 10: the user and its first session commit together.
TEST_P(AccountsServiceTest, RegistrationCommitsUserAndSessionTogether) {
  ASSERT_TRUE(db().Write([](store::Tx& tx) { return tx.ExecScript("DROP TABLE sessions"); }));
  auto failed = service_->Register(Reg("half@example.cn"), "127.0.0.1");
  ASSERT_FALSE(failed);
  auto user =
      db().Read([](store::Tx& tx) { return store::UserRepo(tx).FindByEmail("half@example.cn"); });
  ASSERT_TRUE(user);
  EXPECT_FALSE(user->has_value()) << "the user was committed without its session";
}

TEST_P(AccountsServiceTest, MobileSpellingsAreStoredNormalised) {
  auto r = Reg("m@example.cn");
  r.phone = "+86 139-1234 5678";
  auto grant = service_->Register(r, "127.0.0.1");
  ASSERT_TRUE(grant) << grant.error().message;
  EXPECT_EQ(grant->user.phone, "13912345678");
  EXPECT_EQ(service_->GetUser(grant->user.id)->phone, "13912345678");
}

TEST_P(AccountsServiceTest, RegistrationsPerAddressAreThrottled) {
  const int free = RegistrationThrottlePolicy().free_failures;
  for (int i = 0; i <= free; ++i) {
    ASSERT_TRUE(service_->Register(Reg("r" + std::to_string(i) + "@example.cn"), "10.0.0.6")) << i;
  }
  int64_t retry = 0;
  auto refused = service_->Register(Reg("one-more@example.cn"), "10.0.0.6", &retry);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry, RegistrationThrottlePolicy().first_delay.count());
  EXPECT_TRUE(service_->Register(Reg("elsewhere@example.cn"), "10.0.0.7"));
  clock_.Advance(RegistrationThrottlePolicy().first_delay);
  EXPECT_TRUE(service_->Register(Reg("one-more@example.cn"), "10.0.0.6"));
}

TEST_P(AccountsServiceTest, LogoutAllEndsEverySessionOfTheAccountOnly) {
  auto first = service_->Register(Reg("all@example.cn"), "127.0.0.1");
  auto other = service_->Register(Reg("other@example.cn"), "127.0.0.1");
  ASSERT_TRUE(first && other);
  auto second = service_->Login("all@example.cn", "a-long-passphrase", "10.0.0.8");
  ASSERT_TRUE(second);
  auto ended = service_->LogoutAll(first->user.id);
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 2);
  EXPECT_FALSE(service_->Authenticate(first->session_token)->has_value());
  EXPECT_FALSE(service_->Authenticate(second->session_token)->has_value());
  EXPECT_TRUE(service_->Authenticate(other->session_token)->has_value());
}

TEST_P(AccountsServiceTest, SessionsPerAccountAreCappedOldestFirst) {
  auto first = service_->Register(Reg("cap@example.cn"), "127.0.0.1");
  ASSERT_TRUE(first);
  std::vector<SessionGrant> later;
  const int cap = service_->options().max_sessions_per_account;
  for (int i = 1; i < cap; ++i) {
    clock_.Advance(1ms);
    auto g = service_->Login("cap@example.cn", "a-long-passphrase", "127.0.0.1");
    ASSERT_TRUE(g);
    later.push_back(*g);
  }
  EXPECT_TRUE(service_->Authenticate(first->session_token)->has_value());  // exactly at the cap
  clock_.Advance(1ms);
  ASSERT_TRUE(service_->Login("cap@example.cn", "a-long-passphrase", "127.0.0.1"));
  EXPECT_FALSE(service_->Authenticate(first->session_token)->has_value());
  for (const auto& g : later) EXPECT_TRUE(service_->Authenticate(g.session_token)->has_value());
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
