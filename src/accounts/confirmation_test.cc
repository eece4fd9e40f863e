// Account confirmation and password reset (issue 9 item 8): the pure rules, and AccountsService
// against real databases (SQLite and PostgreSQL) with a manual clock, reading the link tokens and
// codes from the outbox rows as a worker would render them.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "accounts/accounts_service.h"
#include "accounts/confirmation_rules.h"
#include "store/notifications.h"
#include "store/testing/backends.h"
#include "store/users.h"

namespace beian::accounts {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;

TEST(ConfirmationRulesTest, CodesAreSixDigitsAndVary) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string code = DrawMobileCode();
    EXPECT_TRUE(IsWellFormedCode(code)) << code;
    seen.insert(code);
  }
  EXPECT_GT(seen.size(), 190u);
  EXPECT_FALSE(IsWellFormedCode("12345"));
  EXPECT_FALSE(IsWellFormedCode("12345a"));
  EXPECT_FALSE(IsWellFormedCode("1234567"));
}

TEST(ConfirmationRulesTest, CodeHashesAreBoundToTheAccount) {
  EXPECT_EQ(HashMobileCode("u1", "123456"), HashMobileCode("u1", "123456"));
  EXPECT_NE(HashMobileCode("u1", "123456"), HashMobileCode("u2", "123456"));
  EXPECT_NE(HashMobileCode("u1", "123456"), HashMobileCode("u1", "123457"));
}

TEST(ConfirmationRulesTest, TokensExpireAreOneTimeAndLimitGuesses) {
  const TokenFacts fresh{.expires_at_ms = 1000, .used = false, .attempts = 0};
  EXPECT_FALSE(RefuseToken(fresh, 999).has_value());
  ASSERT_TRUE(RefuseToken(fresh, 1000).has_value());
  EXPECT_EQ(RefuseToken(fresh, 1000)->code, ErrorCode::kTokenInvalid);
  EXPECT_TRUE(RefuseToken({.expires_at_ms = 1000, .used = true, .attempts = 0}, 0).has_value());
  EXPECT_FALSE(
      RefuseToken({.expires_at_ms = 1000, .used = false, .attempts = kMaxCodeAttempts - 1}, 0));
  EXPECT_TRUE(RefuseToken({.expires_at_ms = 1000, .used = false, .attempts = kMaxCodeAttempts}, 0));
}

class ConfirmationTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie("agent");
    service_ = std::make_unique<AccountsService>(
        db(), clock_, pii_,
        AccountsOptions{.login_roles = {"applicant", "reviewer", "admin"},
                        .self_registration = true,
                        .password_cost = core::PasswordCost::kMinimum,
                        .confirm_accounts = true});
  }

  Registration Reg(std::string email) {
    return {.email = std::move(email),
            .phone = "13912345678",
            .password = "zh-lantern-river-7",
            .display_name = "张三"};
  }

  std::string UserId(const std::string& email) {
    auto u = db().Read([&](store::Tx& tx) { return store::UserRepo(tx).FindByEmail(email); });
    EXPECT_TRUE(u && u->has_value());
    return u && *u ? (*u)->id : "";
  }

  // The newest outbox row of `user` for `template_id` and its parameter `param` ("" if none).
  std::string Param(const std::string& user, std::string_view template_id, std::string_view param) {
    auto page = db().Read(
        [&](store::Tx& tx) { return store::NotificationRepo(tx).ListForRecipient(user, 100, ""); });
    EXPECT_TRUE(page);
    if (!page) return "";
    for (const store::Notification& n : page->items) {
      if (n.template_id != template_id) continue;
      auto params = boost::json::parse(n.params_json).as_object();
      if (auto* v = params.if_contains(param)) return std::string(v->as_string());
      return "";
    }
    return "";
  }

  int Count(const std::string& user, std::string_view template_id) {
    auto page = db().Read(
        [&](store::Tx& tx) { return store::NotificationRepo(tx).ListForRecipient(user, 100, ""); });
    int n = 0;
    for (const auto& item : page->items) n += item.template_id == template_id;
    return n;
  }

  core::PiiCipher pii_{core::RandomBytes(core::kSecretKeyBytes)};
  core::ManualClock clock_{core::TimePoint(std::chrono::hours(24 * 365 * 56))};
  std::unique_ptr<AccountsService> service_;
};

TEST_P(ConfirmationTest, RegistrationIsUnconfirmedUntilLinkAndCode) {
  ASSERT_TRUE(service_->RegisterUnconfirmed(Reg("a@example.cn"), "127.0.0.1"));
  const std::string id = UserId("a@example.cn");
  auto view = service_->GetUser(id);
  ASSERT_TRUE(view);
  EXPECT_FALSE(view->email_confirmed);
  EXPECT_FALSE(view->mobile_confirmed);
  EXPECT_EQ(service_->RequireConfirmed(id).error().code, ErrorCode::kAccountUnconfirmed);

  const std::string token = Param(id, "account_confirm_email", "token");
  ASSERT_EQ(token.size(), 43u);
  EXPECT_EQ(service_->ConfirmEmail(token + "x").error().code, ErrorCode::kTokenInvalid);
  ASSERT_TRUE(service_->ConfirmEmail(token));
  EXPECT_EQ(service_->ConfirmEmail(token).error().code, ErrorCode::kTokenInvalid);  // once

  const std::string code = Param(id, "account_confirm_mobile", "code");
  ASSERT_TRUE(IsWellFormedCode(code));
  const std::string wrong = code == "000000" ? "000001" : "000000";
  EXPECT_EQ(service_->ConfirmMobile(id, wrong).error().code, ErrorCode::kTokenInvalid);
  EXPECT_EQ(service_->RequireConfirmed(id).error().code, ErrorCode::kAccountUnconfirmed);
  ASSERT_TRUE(service_->ConfirmMobile(id, code));
  EXPECT_TRUE(service_->RequireConfirmed(id));
  view = service_->GetUser(id);
  EXPECT_TRUE(view->email_confirmed);
  EXPECT_TRUE(view->mobile_confirmed);
}

TEST_P(ConfirmationTest, LinksAndCodesExpire) {
  ASSERT_TRUE(service_->RegisterUnconfirmed(Reg("b@example.cn"), "127.0.0.1"));
  const std::string id = UserId("b@example.cn");
  const std::string code = Param(id, "account_confirm_mobile", "code");
  const std::string token = Param(id, "account_confirm_email", "token");
  clock_.Advance(kMobileCodeLifetime);
  EXPECT_EQ(service_->ConfirmMobile(id, code).error().code, ErrorCode::kTokenInvalid);
  clock_.Advance(kEmailLinkLifetime);
  EXPECT_EQ(service_->ConfirmEmail(token).error().code, ErrorCode::kTokenInvalid);
  // A new code works; the old one stays void.
  ASSERT_TRUE(service_->ResendConfirmation(id));
  const std::string fresh = Param(id, "account_confirm_mobile", "code");
  ASSERT_TRUE(service_->ConfirmMobile(id, fresh));
}

TEST_P(ConfirmationTest, FiveWrongCodesVoidTheCode) {
  ASSERT_TRUE(service_->RegisterUnconfirmed(Reg("c@example.cn"), "127.0.0.1"));
  const std::string id = UserId("c@example.cn");
  const std::string code = Param(id, "account_confirm_mobile", "code");
  const std::string wrong = code == "000000" ? "000001" : "000000";
  for (int i = 0; i < kMaxCodeAttempts; ++i) EXPECT_FALSE(service_->ConfirmMobile(id, wrong));
  EXPECT_EQ(service_->ConfirmMobile(id, code).error().code, ErrorCode::kTokenInvalid);
}

TEST_P(ConfirmationTest, ResendIsThrottledPerAccount) {
  ASSERT_TRUE(service_->RegisterUnconfirmed(Reg("d@example.cn"), "127.0.0.1"));
  const std::string id = UserId("d@example.cn");
  const int free = SendThrottlePolicy().free_failures;
  for (int i = 0; i < free; ++i) ASSERT_TRUE(service_->ResendConfirmation(id)) << i;
  int64_t retry_after = 0;
  EXPECT_TRUE(service_->ResendConfirmation(id, &retry_after));  // the first delay starts here
  auto refused = service_->ResendConfirmation(id, &retry_after);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kTooManyRequests);
  EXPECT_GT(retry_after, 0);
  clock_.Advance(std::chrono::seconds(retry_after));
  EXPECT_TRUE(service_->ResendConfirmation(id));
}

TEST_P(ConfirmationTest, DuplicateRegistrationMailsTheOwnerAndChangesNothing) {
  ASSERT_TRUE(service_->RegisterUnconfirmed(Reg("e@example.cn"), "127.0.0.1"));
  const std::string id = UserId("e@example.cn");
  Registration again = Reg("E@Example.CN");
  again.password = "zh-other-kite-9";
  ASSERT_TRUE(service_->RegisterUnconfirmed(again, "127.0.0.2"));
  EXPECT_EQ(Count(id, "account_exists"), 1);
  EXPECT_EQ(Count(id, "account_confirm_email"), 1);
  EXPECT_TRUE(service_->Login("e@example.cn", "zh-lantern-river-7", "127.0.0.1"));
  EXPECT_FALSE(service_->Login("e@example.cn", "zh-other-kite-9", "127.0.0.3"));
}

TEST_P(ConfirmationTest, CreatedAccountsCountAsConfirmed) {
  auto created = service_->CreateUser(Reg("f@example.cn"), "applicant");
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->email_confirmed);
  EXPECT_TRUE(created->mobile_confirmed);
  EXPECT_TRUE(service_->RequireConfirmed(created->id));
}

TEST_P(ConfirmationTest, PasswordResetEndsSessionsAndIsOneTime) {
  ASSERT_TRUE(service_->CreateUser(Reg("g@example.cn"), "applicant"));
  auto s1 = service_->Login("g@example.cn", "zh-lantern-river-7", "127.0.0.1");
  auto s2 = service_->Login("g@example.cn", "zh-lantern-river-7", "127.0.0.1");
  ASSERT_TRUE(s1 && s2);
  ASSERT_TRUE(service_->RequestPasswordReset("nobody@example.cn", "127.0.0.1"));  // same answer
  ASSERT_TRUE(service_->RequestPasswordReset("G@example.cn", "127.0.0.1"));
  const std::string id = s1->user.id;
  const std::string token = Param(id, "password_reset", "token");
  ASSERT_EQ(token.size(), 43u);
  EXPECT_EQ(service_->ResetPassword(token, "short").error().code, ErrorCode::kValidationFailed);
  ASSERT_TRUE(service_->ResetPassword(token, "zh-harbour-lamp-42"));
  EXPECT_FALSE(service_->Authenticate(s1->session_token)->has_value());
  EXPECT_FALSE(service_->Authenticate(s2->session_token)->has_value());
  EXPECT_TRUE(service_->Login("g@example.cn", "zh-harbour-lamp-42", "127.0.0.1"));
  EXPECT_EQ(service_->ResetPassword(token, "zh-other-kite-9").error().code,
            ErrorCode::kTokenInvalid);
}

TEST_P(ConfirmationTest, ResetLinksExpireAfterThirtyMinutes) {
  ASSERT_TRUE(service_->CreateUser(Reg("h@example.cn"), "applicant"));
  const std::string id = UserId("h@example.cn");
  ASSERT_TRUE(service_->RequestPasswordReset("h@example.cn", "127.0.0.1"));
  const std::string token = Param(id, "password_reset", "token");
  clock_.Advance(30min);
  EXPECT_EQ(service_->ResetPassword(token, "zh-harbour-lamp-42").error().code,
            ErrorCode::kTokenInvalid);
}

TEST_P(ConfirmationTest, ResetRequestsAreThrottledPerAddress) {
  const int free = ResetEmailThrottlePolicy().free_failures;
  for (int i = 0; i <= free; ++i) {
    ASSERT_TRUE(service_->RequestPasswordReset("i@example.cn", "127.0.0.1")) << i;
  }
  int64_t retry_after = 0;
  auto refused = service_->RequestPasswordReset("i@example.cn", "127.0.0.9", &retry_after);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kTooManyRequests);
  EXPECT_GT(retry_after, 0);
}

BEIAN_INSTANTIATE_STORE_SUITE(ConfirmationTest);

}  // namespace
}  // namespace beian::accounts
