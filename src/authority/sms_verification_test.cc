// SmsVerification against real databases (SQLite and PostgreSQL) with a manual clock: the codes
// sent on arrival (one per distinct mobile, nothing in clear at rest), right and wrong entries,
// the fifth wrong entry failing the submission, the deadline (at the entry and by the sweeper),
// resends and their limit, both persons needed before review, and the throttles. The codes are
// read from the outbox rows as the worker would open them.
#include "authority/sms_verification.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "core/crypto.h"
#include "domain/rules_test_support.h"
#include "notify/transport.h"
#include "store/notifications.h"
#include "store/providers.h"
#include "store/sms_codes.h"
#include "store/testing/backends.h"

namespace beian::authority {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;

constexpr int64_t kStart = 1'796'574'600'000;  // 2026-12-06 16:30 UTC
constexpr int64_t kDay = 24 * 3600 * 1000;

class SmsVerificationTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie("authority");
    auto p = db().Write([&](store::Tx& tx) {
      return store::ProviderRepo(tx).Create({.id = "isp",
                                             .name = "Provider",
                                             .callback_url = "http://127.0.0.1:1",
                                             .key_sealed = "sealed",
                                             .created_at_ms = 1});
    });
    ASSERT_TRUE(p.ok()) << p.error().message;
    sms_ = std::make_unique<SmsVerification>(db(), clock_, pii_, domain::testing::EmbeddedRules());
  }

  // A submission arriving now with `persons`, its codes started as the intake does.
  store::SubmissionRecord Arrive(const std::string& id, const std::vector<SmsPerson>& persons,
                                 const SmsVerification* via = nullptr) {
    store::SubmissionRecord r;
    r.id = id;
    r.provider_id = "isp";
    r.provider_submission_id = "app-" + id + ".1";
    r.application_id = "app-" + id;
    r.state = "sms_verification";
    r.filing_type = "first_filing";
    r.province = "11";
    r.organizer_type = "enterprise";
    r.organizer_name = "示例科技" + id;
    r.certificate_type = "uscc";
    r.certificate_hash = "hash-" + id;
    r.payload_sealed = "sealed";
    r.sms_deadline_ms = Now() + kDay;
    r.received_at_ms = Now();
    r.updated_at_ms = Now();
    auto s = db().Write([&](store::Tx& tx) -> core::Status {
      BEIAN_TRY(store::SubmissionRepo(tx).Insert(r));
      if (via) return via->Start(tx, r, persons);
      return StartSmsVerification(tx, r, persons, pii_, Now());
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return r;
  }

  // The latest code sent to `mobile` (opened as the outbox worker opens it).
  std::string CodeFor(const std::string& mobile) {
    auto page = db().Read(
        [&](store::Tx& tx) { return store::NotificationRepo(tx).ListByState("", 100, ""); });
    EXPECT_TRUE(page.ok());
    for (const auto& n : page->items) {  // newest first
      auto address = pii_.Open(n.address, notify::kSealedAddressColumn);
      if (!address || *address != mobile) continue;
      auto params = boost::json::parse(n.params_json).as_object();
      auto code = pii_.Open(params["code"].as_string(), notify::SealedParamColumn("code"));
      EXPECT_TRUE(code.ok());
      return code.ok() ? *code : "";
    }
    ADD_FAILURE() << "no code sent to " << mobile;
    return "";
  }

  std::string StateOf(const std::string& id) {
    auto s = db().Read([&](store::Tx& tx) { return store::SubmissionRepo(tx).Find(id); });
    EXPECT_TRUE(s.ok() && *s);
    return s.ok() && *s ? (*s)->state : "";
  }

  std::vector<std::string> ProviderEvents(const std::string& id) {
    auto events =
        db().Read([&](store::Tx& tx) { return store::ProviderEventRepo(tx).ForSubmission(id); });
    EXPECT_TRUE(events.ok());
    std::vector<std::string> types;
    for (const auto& e : *events) types.push_back(e.type);
    return types;
  }

  core::Result<SmsEntryResult> Enter(const std::string& mobile, const std::string& code,
                                     const std::string& last6,
                                     const std::string& address = "198.51.100.1") {
    return sms_->Verify({mobile, code, last6}, address);
  }

  // The attempts left that a wrong entry's error names (its detail "attempts_left").
  static int64_t AttemptsLeft(const core::Error& e) {
    for (const auto& d : e.details) {
      if (d.field == "attempts_left") return std::stoll(d.message);
    }
    ADD_FAILURE() << "no attempts_left detail";
    return -1;
  }

  static std::string Other(const std::string& code) {
    return code == "000000" ? "000001" : "000000";
  }

  int64_t Now() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
        .count();
  }

  const core::PiiCipher pii_{core::RandomBytes(core::kSecretKeyBytes)};
  core::ManualClock clock_{core::TimePoint(std::chrono::milliseconds(kStart))};
  std::unique_ptr<SmsVerification> sms_;
};

const SmsPerson kBoss{"organizer", "张三", "13800138000", "11010519491231002x"};
const SmsPerson kWebmaster{"website:0", "李四", "13900139000", "110105194912310029"};

TEST_P(SmsVerificationTest, OneCodePerDistinctMobileNothingInClearAtRest) {
  const SmsPerson same_mobile{"website:1", "张三", "138 0013 8000", "11010519491231002X"};
  Arrive("s1", {kBoss, kWebmaster, same_mobile});
  auto rows = db().Read([&](store::Tx& tx) { return store::SubmissionRepo(tx).SmsCodes("s1"); });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  auto notes = db().Read(
      [&](store::Tx& tx) { return store::NotificationRepo(tx).ListByState("", 100, ""); });
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->items.size(), 2u);
  const std::string boss_code = CodeFor("13800138000");
  const std::string web_code = CodeFor("13900139000");
  EXPECT_TRUE(IsWellFormedSmsCode(boss_code, 6));
  for (const auto& row : *rows) {
    for (const std::string& field :
         {row.mobile_hash, row.mobile_sealed, row.id_last6_hash, row.code_hash}) {
      EXPECT_EQ(field.find("13800138000"), std::string::npos);
      EXPECT_EQ(field.find("31002X"), std::string::npos);
      EXPECT_EQ(field.find(boss_code), std::string::npos);
    }
    EXPECT_EQ(row.expires_at_ms, kStart + kDay);
  }
  for (const auto& n : notes->items) {
    EXPECT_EQ(n.template_id, "authority_sms_code");
    EXPECT_EQ(n.channel, "sms");
    EXPECT_EQ(n.address.find("1380013"), std::string::npos);  // sealed
    EXPECT_EQ(n.params_json.find(boss_code), std::string::npos);
    EXPECT_EQ(n.params_json.find(web_code), std::string::npos);
    EXPECT_NE(n.params_json.find("2026-12-08 "), std::string::npos);  // the deadline, UTC+8
  }
}

TEST_P(SmsVerificationTest, UnderReviewOnlyAfterEveryCode) {
  Arrive("s1", {kBoss, kWebmaster});
  auto first = Enter("13800138000", CodeFor("13800138000"), "31002x");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->submission_state, "sms_verification");
  EXPECT_EQ(first->remaining, 1);
  EXPECT_EQ(StateOf("s1"), "sms_verification");
  EXPECT_TRUE(ProviderEvents("s1").empty());
  // The same code again: answered alike, nothing changes.
  auto again = Enter("+86 138 0013 8000", CodeFor("13800138000"), "31002X");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->remaining, 1);
  auto second = Enter("13900139000", CodeFor("13900139000"), "310029");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->submission_state, "under_review");
  EXPECT_EQ(second->remaining, 0);
  EXPECT_EQ(StateOf("s1"), "under_review");
  EXPECT_EQ(ProviderEvents("s1"), std::vector<std::string>{"under_review"});
  auto s = db().Read([&](store::Tx& tx) { return store::SubmissionRepo(tx).Find("s1"); });
  EXPECT_EQ((*s)->review_started_at_ms, kStart);
}

TEST_P(SmsVerificationTest, FiveWrongEntriesRejectTheSubmission) {
  Arrive("s1", {kBoss, kWebmaster});
  const std::string code = CodeFor("13800138000");
  std::vector<int64_t> lefts;
  for (int i = 0; i < 4; ++i) {
    auto r = Enter("13800138000", Other(code), "31002X");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kSmsCodeWrong);
    lefts.push_back(AttemptsLeft(r.error()));
  }
  EXPECT_EQ(lefts, (std::vector<int64_t>{4, 3, 2, 1}));
  EXPECT_EQ(StateOf("s1"), "sms_verification");
  auto fifth = Enter("13800138000", Other(code), "31002X");
  ASSERT_FALSE(fifth.ok());
  EXPECT_EQ(fifth.error().code, ErrorCode::kSmsCodeExpired);
  EXPECT_EQ(StateOf("s1"), "rejected");
  EXPECT_EQ(ProviderEvents("s1"), std::vector<std::string>{"rejected"});
  // Thereafter: expired, the right code too, and the other person's.
  for (const auto& [mobile, c, last6] :
       {std::tuple{"13800138000", code, "31002X"}, std::tuple{"13800138000", Other(code), "31002X"},
        std::tuple{"13900139000", CodeFor("13900139000"), "310029"}}) {
    auto r = Enter(mobile, c, last6);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kSmsCodeExpired);
  }
  auto events = db().Read([&](store::Tx& tx) { return store::SubmissionRepo(tx).Events("s1"); });
  ASSERT_TRUE(events.ok());
  ASSERT_FALSE(events->empty());
  EXPECT_EQ(events->back().event, "sms_failed");
  EXPECT_NE(events->back().reasons_json.find("\"sms_failed\""), std::string::npos);
}

TEST_P(SmsVerificationTest, ARightCodeAfterWrongOnesStillCounts) {
  Arrive("s1", {kBoss});
  const std::string code = CodeFor("13800138000");
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(Enter("13800138000", Other(code), "31002X").ok());
  auto r = Enter("13800138000", code, "31002X");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->submission_state, "under_review");
}

TEST_P(SmsVerificationTest, UnknownMobileOrIdTailIsNotFound) {
  Arrive("s1", {kBoss});
  const std::string code = CodeFor("13800138000");
  for (const auto& [mobile, last6] :
       {std::pair{"13700137000", "31002X"}, std::pair{"13800138000", "310029"}}) {
    auto r = Enter(mobile, code, last6);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kSmsCodeNotFound);
  }
  // Malformed input is refused before any look-up.
  auto bad = Enter("12345", "12345", "31002");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(bad.error().details.size(), 3u);
  EXPECT_EQ(StateOf("s1"), "sms_verification");
}

TEST_P(SmsVerificationTest, TheDeadlineExpiresAtTheEntryAndByTheSweeper) {
  Arrive("s1", {kBoss});
  Arrive("s2", {kWebmaster});
  const std::string code = CodeFor("13800138000");
  clock_.Advance(std::chrono::milliseconds(kDay - 1));
  EXPECT_EQ(*sms_->Sweep(), 0);
  clock_.Advance(1ms);  // the deadline itself
  auto r = Enter("13800138000", code, "31002X");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kSmsCodeExpired);
  EXPECT_EQ(StateOf("s1"), "expired");  // expired by the entry, before the sweeper came
  clock_.Advance(1ms);
  auto swept = sms_->Sweep();
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  EXPECT_EQ(*swept, 1);
  EXPECT_EQ(StateOf("s2"), "expired");
  EXPECT_EQ(ProviderEvents("s1"), std::vector<std::string>{"expired"});
  EXPECT_EQ(ProviderEvents("s2"), std::vector<std::string>{"expired"});
  EXPECT_EQ(*sms_->Sweep(), 0);
  auto resend = sms_->Resend({"13900139000", "310029"}, "198.51.100.1");
  ASSERT_FALSE(resend.ok());
  EXPECT_EQ(resend.error().code, ErrorCode::kSmsCodeExpired);
}

TEST_P(SmsVerificationTest, ResendsReplaceTheCodeUpToTheLimit) {
  Arrive("s1", {kBoss});
  std::string old_code = CodeFor("13800138000");
  for (int64_t expected_left : {2, 1, 0}) {
    clock_.Advance(1s);  // the newest message is the last resend's
    auto left = sms_->Resend({"13800138000", "31002X"}, "198.51.100.1");
    ASSERT_TRUE(left.ok()) << left.error().message;
    EXPECT_EQ(*left, expected_left);
  }
  auto limit = sms_->Resend({"13800138000", "31002X"}, "198.51.100.1");
  ASSERT_FALSE(limit.ok());
  EXPECT_EQ(limit.error().code, ErrorCode::kSmsResendLimit);
  auto notes = db().Read(
      [&](store::Tx& tx) { return store::NotificationRepo(tx).ListByState("", 100, ""); });
  EXPECT_EQ(notes->items.size(), 4u);  // the first code and three resends
  const std::string new_code = CodeFor("13800138000");
  if (new_code != old_code) {
    auto r = Enter("13800138000", old_code, "31002X");  // replaced: wrong now
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kSmsCodeWrong);
  }
  auto ok = Enter("13800138000", new_code, "31002X");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->submission_state, "under_review");
  auto events = db().Read([&](store::Tx& tx) { return store::SubmissionRepo(tx).Events("s1"); });
  int resends = 0;
  for (const auto& e : *events) resends += e.event == "resend_sms";
  EXPECT_EQ(resends, 3);
  // Nothing left to resend once entered.
  auto after = sms_->Resend({"13800138000", "31002X"}, "198.51.100.1");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, ErrorCode::kSmsCodeNotFound);
}

TEST_P(SmsVerificationTest, GuessesAreThrottledPerMobileAndPerAddress) {
  Arrive("s1", {kBoss});
  // One mobile from many addresses: 10 refused entries are free, the 11th sets a delay.
  for (int i = 0; i < 11; ++i) {
    auto r = Enter("13700137000", "123456", "31002X", "198.51.100." + std::to_string(i));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kSmsCodeNotFound) << i;
  }
  auto slowed = Enter("13700137000", "123456", "31002X", "198.51.100.99");
  ASSERT_FALSE(slowed.ok());
  EXPECT_EQ(slowed.error().code, ErrorCode::kTooManyRequests);
  // Another mobile is not slowed down by it; the person's own code still works.
  auto own = Enter("13800138000", CodeFor("13800138000"), "31002X", "198.51.100.99");
  ASSERT_TRUE(own.ok()) << own.error().message;
  // One address probing many mobiles: 50 free, then a delay.
  for (int i = 0; i < 51; ++i) {
    auto r = Enter("1360013" + std::to_string(1000 + i), "123456", "31002X", "203.0.113.7");
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.error().code, ErrorCode::kSmsCodeNotFound) << i;
  }
  int64_t retry_after = 0;
  auto refused = sms_->Verify({"13600139999", "123456", "31002X"}, "203.0.113.7", &retry_after);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kTooManyRequests);
  EXPECT_GT(retry_after, 0);
  clock_.Advance(std::chrono::seconds(retry_after));
  auto later = Enter("13600139999", "123456", "31002X", "203.0.113.7");
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.error().code, ErrorCode::kSmsCodeNotFound);
}

TEST_P(SmsVerificationTest, ATestValidityShortensTheDeadline) {
  SmsVerification short_lived(db(), clock_, pii_, domain::testing::EmbeddedRules(),
                              {.code_validity_ms = 2000});
  Arrive("s1", {kBoss}, &short_lived);
  EXPECT_EQ(CodeFor("13800138000").size(), 6u);
  auto s = db().Read([&](store::Tx& tx) { return store::SubmissionRepo(tx).Find("s1"); });
  EXPECT_EQ((*s)->sms_deadline_ms, kStart + 2000);
  clock_.Advance(2001ms);
  EXPECT_EQ(*short_lived.Sweep(), 1);
  EXPECT_EQ(StateOf("s1"), "expired");
}

// Concurrent entries on several connections: wrong entries are all counted (never more than the
// limit allows), the submission fails once with one provider event; two persons entering their
// codes at the same moment move it to review once.
TEST_P(SmsVerificationTest, ConcurrentEntriesCountOnceAndTransitionOnce) {
  Arrive("s1", {kBoss});
  const std::string code = CodeFor("13800138000");
  std::atomic<int> wrong{0};
  std::atomic<int> expired{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = Enter("13800138000", Other(code), "31002X");
      if (r.ok()) {
        ++other;
      } else if (r.error().code == ErrorCode::kSmsCodeWrong) {
        ++wrong;
      } else if (r.error().code == ErrorCode::kSmsCodeExpired) {
        ++expired;
      } else {
        ADD_FAILURE() << r.error().message;
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(wrong.load(), 4);  // the first four; the 5th fails the submission, the rest find it
  EXPECT_EQ(expired.load(), 4);
  EXPECT_EQ(StateOf("s1"), "rejected");
  EXPECT_EQ(ProviderEvents("s1"), std::vector<std::string>{"rejected"});

  clock_.Advance(1s);  // the newest code to the boss's mobile is s2's
  Arrive("s2", {kBoss, kWebmaster});
  const std::string boss = CodeFor("13800138000");
  const std::string web = CodeFor("13900139000");
  std::vector<core::Result<SmsEntryResult>> results(2, core::Error(ErrorCode::kInternal, ""));
  std::thread a([&] { results[0] = Enter("13800138000", boss, "31002X"); });
  std::thread b([&] { results[1] = Enter("13900139000", web, "310029"); });
  a.join();
  b.join();
  ASSERT_TRUE(results[0].ok()) << results[0].error().message;
  ASSERT_TRUE(results[1].ok()) << results[1].error().message;
  EXPECT_EQ(results[0]->remaining + results[1]->remaining, 1);  // one saw the other's code done
  EXPECT_EQ(StateOf("s2"), "under_review");
  EXPECT_EQ(ProviderEvents("s2"), std::vector<std::string>{"under_review"});
}

TEST(SmsVerificationFormatTest, DeadlinesAreBeijingMinutes) {
  EXPECT_EQ(BeijingMinute(kStart), "2026-12-07 00:30");  // 16:30 UTC
  EXPECT_EQ(BeijingMinute(0), "1970-01-01 08:00");
}

BEIAN_INSTANTIATE_STORE_SUITE(SmsVerificationTest);

}  // namespace
}  // namespace beian::authority
