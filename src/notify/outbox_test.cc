// Tests of the outbox workers on both backends, with a scripted transport: delivery and marks,
// retries with backoff, parking after the attempt limit or a permanent refusal, a lost worker's
// lease, the drain, and RetryDelay's bounds.
#include "notify/outbox.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <deque>
#include <functional>
#include <mutex>

#include "core/crypto.h"
#include "notify/enqueue.h"
#include "notify/mailbox_transport.h"
#include "store/testing/backends.h"
#include "store/users.h"

namespace beian::notify {
namespace {

using namespace std::chrono_literals;

// Answers with the scripted outcomes in order (then Delivered), recording every message.
class ScriptedTransport : public Transport {
 public:
  DeliveryResult Deliver(const OutgoingMessage& m) override {
    std::lock_guard lock(mu_);
    delivered.push_back(m);
    if (on_deliver) on_deliver();
    if (script.empty()) return DeliveryResult::Delivered();
    DeliveryResult r = script.front();
    script.pop_front();
    return r;
  }
  std::string Describe() const override { return "scripted"; }

  std::mutex mu_;
  std::function<void()> on_deliver;  // e.g. time passing during the delivery
  std::deque<DeliveryResult> script;
  std::vector<OutgoingMessage> delivered;
};

class OutboxTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
    auto t = TemplateSet::LoadEmbedded({.provider_name = "示例云"});
    ASSERT_TRUE(t.ok()) << t.error().message;
    templates_ = std::move(*t);
    auto user = db().Write([&](store::Tx& tx) {
      return store::UserRepo(tx).Create({.id = "owner1",
                                         .email = "owner@example.com",
                                         .phone = "13900000001",
                                         .display_name = "张三",
                                         .role = "applicant",
                                         .password_hash = "x",
                                         .locale = "zh-CN",
                                         .created_at_ms = kStart});
    });
    ASSERT_TRUE(user.ok()) << user.error().message;
  }

  int Notice(std::string_view event, int64_t seq, std::vector<NoticeReason> reasons = {}) {
    auto r = db().Write([&](store::Tx& tx) {
      return EnqueueForApplicationEvent(tx, {.application_id = "app0123456789",
                                             .owner_id = "owner1",
                                             .event = std::string(event),
                                             .event_seq = seq,
                                             .organizer_name = "北京示例科技有限公司",
                                             .reasons = std::move(reasons),
                                             .extra = {},
                                             .now_ms = kStart});
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : -1;
  }

  store::Notification Only(std::string_view channel) {
    auto page = db().Read([&](store::Tx& tx) {
      return store::NotificationRepo(tx).ListForRecipient("owner1", 100, "");
    });
    EXPECT_TRUE(page.ok());
    for (const auto& n : page->items) {
      if (n.channel == channel) return n;
    }
    ADD_FAILURE() << "no " << channel << " notification";
    return {};
  }

  void Advance(std::chrono::milliseconds d) { clock_.Advance(d); }

  static constexpr int64_t kStart = 1'796'574'600'000;
  core::ManualClock clock_{core::TimePoint(std::chrono::milliseconds(kStart))};
  std::unique_ptr<TemplateSet> templates_;
  ScriptedTransport email_;
  ScriptedTransport sms_;
  OutboxOptions options_{.workers = 1,
                         .batch = 8,
                         .lease = 60s,
                         .max_attempts = 3,
                         .retry_base = 1000ms,
                         .retry_max = 10000ms,
                         .poll_interval = 10ms};
};

TEST_P(OutboxTest, AnApplicantEventEnqueuesAnEmailAndAnSmsOnce) {
  EXPECT_EQ(Notice("submit", 2), 2);
  EXPECT_EQ(Notice("submit", 2), 0);  // the same event again: deduplicated
  EXPECT_EQ(Notice("create", 1), 0);  // not an applicant-facing event
  store::Notification email = Only("email");
  EXPECT_EQ(email.address, "owner@example.com");
  EXPECT_EQ(email.template_id, "application_submitted");
  EXPECT_EQ(email.locale, "zh-CN");
  EXPECT_EQ(Only("sms").address, "13900000001");
}

TEST_P(OutboxTest, ARolledBackTransitionLeavesNothingToSend) {
  // The transition's transaction enqueues, then fails (a later write of the same transition):
  // its messages go with it.
  auto r = db().Write([&](store::Tx& tx) -> core::Result<int> {
    auto queued = EnqueueForApplicationEvent(tx, {.application_id = "app0123456789",
                                                  .owner_id = "owner1",
                                                  .event = "approve",
                                                  .event_seq = 4,
                                                  .organizer_name = "北京示例科技有限公司",
                                                  .reasons = {},
                                                  .extra = {},
                                                  .now_ms = kStart});
    EXPECT_TRUE(queued.ok());
    EXPECT_EQ(queued.ok() ? *queued : -1, 2);
    return core::Error(core::ErrorCode::kInternal, "the transition failed after enqueueing");
  });
  ASSERT_FALSE(r.ok());
  auto page = db().Read([&](store::Tx& tx) {
    return store::NotificationRepo(tx).ListForRecipient("owner1", 100, "");
  });
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
  // The same event enqueued again later is not taken for a duplicate of the rolled-back one.
  EXPECT_EQ(Notice("approve", 4), 2);
}

TEST_P(OutboxTest, DeliversRendersAndMarksSent) {
  Notice("reject", 3, {{"organizer.name", "name_unrelated", "名称与网站内容不符"}});
  Outbox outbox(db(), *templates_, {.email = &email_, .sms = &sms_}, clock_, options_);
  auto n = outbox.RunOnce("w1");
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 2);
  ASSERT_EQ(email_.delivered.size(), 1u);
  ASSERT_EQ(sms_.delivered.size(), 1u);
  EXPECT_NE(email_.delivered[0].rendered.text.find("名称与网站内容不符"), std::string::npos);
  EXPECT_NE(email_.delivered[0].rendered.subject.find("北京示例科技有限公司"), std::string::npos);
  EXPECT_TRUE(sms_.delivered[0].rendered.text.starts_with("【示例云】"));
  store::Notification e = Only("email");
  EXPECT_EQ(e.state, "sent");
  EXPECT_EQ(e.attempts, 1);
  EXPECT_EQ(e.subject, email_.delivered[0].rendered.subject);
  EXPECT_EQ(outbox.counters("email").sent.load(), 1);
  EXPECT_EQ(*outbox.RunOnce("w1"), 0);
}

TEST_P(OutboxTest, RetriesWithBackoffThenParksAfterTheLastAttempt) {
  Notice("approve", 2);
  sms_.script = {DeliveryResult::Retry("451 later"), DeliveryResult::Retry("451 later"),
                 DeliveryResult::Retry("451 still")};
  Outbox outbox(db(), *templates_, {.email = &email_, .sms = &sms_}, clock_, options_);
  ASSERT_EQ(*outbox.RunOnce("w1"), 2);
  store::Notification s = Only("sms");
  EXPECT_EQ(s.state, "pending");
  EXPECT_EQ(s.last_error, "451 later");
  EXPECT_GE(s.next_attempt_at_ms, kStart + 500);  // attempt 1: between base/2 and base
  EXPECT_LE(s.next_attempt_at_ms, kStart + 1000);
  EXPECT_EQ(*outbox.RunOnce("w1"), 0);  // not due yet
  Advance(1000ms);
  ASSERT_EQ(*outbox.RunOnce("w1"), 1);
  s = Only("sms");
  EXPECT_GE(s.next_attempt_at_ms, kStart + 1000 + 1000);  // attempt 2: between base and 2·base
  EXPECT_LE(s.next_attempt_at_ms, kStart + 1000 + 2000);
  Advance(2000ms);
  ASSERT_EQ(*outbox.RunOnce("w1"), 1);
  s = Only("sms");
  EXPECT_EQ(s.state, "failed");
  EXPECT_EQ(s.attempts, 3);
  EXPECT_EQ(s.last_error, "451 still (gave up after 3 attempts)");
  EXPECT_EQ(sms_.delivered.size(), 3u);
  EXPECT_EQ(outbox.counters("sms").retried.load(), 2);
  EXPECT_EQ(outbox.counters("sms").failed.load(), 1);
  Advance(100000ms);
  EXPECT_EQ(*outbox.RunOnce("w1"), 0);
}

TEST_P(OutboxTest, APermanentRefusalIsParkedAtOnce) {
  Notice("approve", 2);
  email_.script = {DeliveryResult::Permanent("550 no such user")};
  Outbox outbox(db(), *templates_, {.email = &email_, .sms = &sms_}, clock_, options_);
  ASSERT_EQ(*outbox.RunOnce("w1"), 2);
  store::Notification e = Only("email");
  EXPECT_EQ(e.state, "failed");
  EXPECT_EQ(e.last_error, "550 no such user");
  EXPECT_EQ(Only("sms").state, "sent");
}

TEST_P(OutboxTest, ARowLeftByADeadWorkerIsDeliveredAfterItsLease) {
  Notice("approve", 2);
  // A worker claims and dies (never marks).
  auto claimed = db().Write([&](store::Tx& tx) {
    return store::NotificationRepo(tx).Claim("dead", kStart, 60000, 10, 3);
  });
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 2u);
  Outbox outbox(db(), *templates_, {.email = &email_, .sms = &sms_}, clock_, options_);
  EXPECT_EQ(*outbox.RunOnce("w1"), 0);
  Advance(60000ms);
  EXPECT_EQ(*outbox.RunOnce("w1"), 2);
  EXPECT_EQ(email_.delivered.size(), 1u);
  EXPECT_EQ(Only("email").state, "sent");
  EXPECT_EQ(Only("email").attempts, 2);
}

TEST_P(OutboxTest, RowsWhoseLeaseRunsShortWhileWaitingGoBackUndelivered) {
  Notice("approve", 2);  // an e-mail and an SMS, in one claim
  // The first delivery is slow: over half the 60 s lease.
  bool first = true;
  auto slow_once = [&] {
    if (first) Advance(31s);
    first = false;
  };
  email_.on_deliver = slow_once;
  sms_.on_deliver = slow_once;
  Outbox outbox(db(), *templates_, {.email = &email_, .sms = &sms_}, clock_, options_);
  ASSERT_EQ(*outbox.RunOnce("w1"), 2);
  EXPECT_EQ(email_.delivered.size() + sms_.delivered.size(), 1u);
  const std::string waiting = email_.delivered.empty() ? "email" : "sms";
  store::Notification w = Only(waiting);
  EXPECT_EQ(w.state, "pending");
  EXPECT_EQ(w.attempts, 0);
  ASSERT_EQ(*outbox.RunOnce("w1"), 1);
  EXPECT_EQ(email_.delivered.size(), 1u);
  EXPECT_EQ(sms_.delivered.size(), 1u);
  EXPECT_EQ(Only(waiting).state, "sent");
}

TEST_P(OutboxTest, TheMailboxTransportStoresEachMessageOnce) {
  Notice("ship_backdrop", 5);
  MailboxTransport mailbox(db(), clock_);
  Outbox outbox(db(), *templates_, {.email = &mailbox, .sms = &mailbox}, clock_, options_);
  ASSERT_EQ(*outbox.RunOnce("w1"), 2);
  auto page = db().Read([&](store::Tx& tx) { return store::MailboxRepo(tx).List(10, ""); });
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  const store::Notification e = Only("email");
  OutgoingMessage again{.id = e.id,
                        .channel = "email",
                        .address = "x",
                        .template_id = "t",
                        .locale = "en",
                        .params = {},
                        .rendered = {}};
  EXPECT_EQ(mailbox.Deliver(again).outcome, DeliveryResult::Outcome::kDelivered);
  page = db().Read([&](store::Tx& tx) { return store::MailboxRepo(tx).List(10, ""); });
  EXPECT_EQ(page->items.size(), 2u);
}

TEST_P(OutboxTest, WorkersDeliverInTheBackgroundAndStopCleanly) {
  for (int i = 0; i < 10; ++i) Notice("approve", 10 + i);
  core::SystemClock clock;
  options_.workers = 3;
  options_.batch = 2;
  Outbox outbox(db(), *templates_, {.email = &email_, .sms = &sms_}, clock, options_);
  outbox.Start();
  for (int i = 0; i < 500 && outbox.counters("email").sent + outbox.counters("sms").sent < 20;
       ++i) {
    std::this_thread::sleep_for(10ms);
  }
  outbox.Stop();
  EXPECT_EQ(email_.delivered.size(), 10u);
  EXPECT_EQ(sms_.delivered.size(), 10u);
  outbox.Stop();  // idempotent
}

TEST_P(OutboxTest, ASealedMobileStaysSealedInTheOutboxAndIsOpenedForDelivery) {
  const core::PiiCipher pii(core::RandomBytes(core::kSecretKeyBytes));
  const std::string sealed = pii.Seal("13800000002", kSealedAddressColumn);
  auto user = db().Write([&](store::Tx& tx) {
    return store::UserRepo(tx).Create({.id = "owner2",
                                       .email = "two@example.com",
                                       .phone = sealed,
                                       .display_name = "李四",
                                       .role = "applicant",
                                       .password_hash = "x",
                                       .locale = "en",
                                       .created_at_ms = kStart});
  });
  ASSERT_TRUE(user.ok());
  auto n = db().Write([&](store::Tx& tx) {
    return EnqueueForApplicationEvent(tx, {.application_id = "app2",
                                           .owner_id = "owner2",
                                           .event = "accept_photo",
                                           .event_seq = 9,
                                           .organizer_name = "Org",
                                           .reasons = {},
                                           .extra = {},
                                           .now_ms = kStart});
  });
  ASSERT_TRUE(n.ok() && *n == 2);
  auto page = db().Read([&](store::Tx& tx) {
    return store::NotificationRepo(tx).ListForRecipient("owner2", 10, "");
  });
  ASSERT_TRUE(page.ok());
  for (const auto& row : page->items) {
    EXPECT_EQ(row.address.find("13800000002"), std::string::npos);
    EXPECT_EQ(row.locale, "en");
  }
  options_.open_address = SealedAddressOpener(pii);
  MailboxTransport mailbox(db(), clock_);
  Outbox outbox(db(), *templates_, {.email = &email_, .sms = &mailbox}, clock_, options_);
  ASSERT_EQ(*outbox.RunOnce("w1"), 2);
  ASSERT_EQ(email_.delivered.size(), 1u);
  EXPECT_EQ(email_.delivered[0].address, "two@example.com");
  EXPECT_EQ(email_.delivered[0].rendered.subject, "Verification photo accepted: Org");
  auto box = db().Read([&](store::Tx& tx) { return store::MailboxRepo(tx).List(10, ""); });
  ASSERT_TRUE(box.ok());
  ASSERT_EQ(box->items.size(), 1u);
  EXPECT_EQ(box->items[0].address, "138****0002");  // the mailbox is not sealed: masked
  EXPECT_TRUE(box->items[0].body_text.starts_with("【示例云】Photo for application"));
}

// A secret parameter (the ICP password) is stored sealed, opened only to render, and once sent the
// row keeps the text with it masked and its value blank; a secret in clear is never sent.
TEST_P(OutboxTest, SecretParamsAreOpenedToRenderAndBlankedOnceSent) {
  const core::PiiCipher pii(core::RandomBytes(core::kSecretKeyBytes));
  const std::string password = "Kx7pQ2mZ9rT4wB6n";
  auto enqueue = [&](std::string key, std::string channel, std::string address,
                     std::string secret) {
    boost::json::object params{{"organizer_name", "示例科技"},
                               {"subject_sn", "京ICP备2026000001号"},
                               {"icp_password", secret}};
    auto r = db().Write([&](store::Tx& tx) {
      return store::NotificationRepo(tx).Enqueue({.dedupe_key = key,
                                                  .recipient_id = "",
                                                  .channel = channel,
                                                  .address = address,
                                                  .template_id = "authority_icp_password",
                                                  .params_json = boost::json::serialize(params),
                                                  .locale = "zh-CN",
                                                  .created_at_ms = kStart});
    });
    ASSERT_TRUE(r.ok() && *r) << (r.ok() ? "duplicate" : r.error().message);
  };
  enqueue("pw:email", "email", "boss@example.com", SealParam(pii, "icp_password", password));
  enqueue("pw:sms", "sms", "13900000009", SealParam(pii, "icp_password", password));
  enqueue("clear:email", "email", "clear@example.com", password);  // a bug: never sent
  auto rows = [&] {
    auto page = db().Read(
        [&](store::Tx& tx) { return store::NotificationRepo(tx).ListByState("", 100, ""); });
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<store::Notification>{};
  };
  for (const auto& n : rows()) {
    if (n.dedupe_key != "clear:email") {
      EXPECT_EQ(n.params_json.find(password), std::string::npos) << n.params_json;
    }
  }
  options_.open_param = SealedParamOpener(pii);
  Outbox outbox(db(), *templates_, {.email = &email_, .sms = &sms_}, clock_, options_);
  ASSERT_EQ(*outbox.RunOnce("w1"), 3);
  ASSERT_EQ(email_.delivered.size(), 1u);  // the one in clear was not sent
  ASSERT_EQ(sms_.delivered.size(), 1u);
  EXPECT_NE(email_.delivered[0].rendered.text.find(password), std::string::npos);
  EXPECT_NE(email_.delivered[0].rendered.html.find(password), std::string::npos);
  EXPECT_NE(sms_.delivered[0].rendered.text.find(password), std::string::npos);
  for (const auto& n : rows()) {
    SCOPED_TRACE(n.dedupe_key);
    if (n.dedupe_key == "clear:email") {
      EXPECT_EQ(n.state, "failed");
      EXPECT_NE(n.last_error.find("icp_password"), std::string::npos);
      continue;
    }
    EXPECT_EQ(n.state, "sent");
    EXPECT_EQ(n.body_text.find(password), std::string::npos);
    EXPECT_NE(n.body_text.find(kMaskedSecret), std::string::npos) << n.body_text;
    EXPECT_NE(n.body_text.find("京ICP备2026000001号"), std::string::npos);
    auto params = boost::json::parse(n.params_json).as_object();
    EXPECT_EQ(params["icp_password"].as_string(), "");
    EXPECT_EQ(params["subject_sn"].as_string(), "京ICP备2026000001号");
  }
  // Without the key a sealed secret cannot be sent either.
  enqueue("pw2:email", "email", "boss@example.com", SealParam(pii, "icp_password", password));
  options_.open_param = nullptr;
  Outbox keyless(db(), *templates_, {.email = &email_, .sms = &sms_}, clock_, options_);
  ASSERT_EQ(*keyless.RunOnce("w1"), 1);
  EXPECT_EQ(email_.delivered.size(), 1u);
}

BEIAN_INSTANTIATE_STORE_SUITE(OutboxTest);

TEST(RetryDelayTest, DoublesWithinJitterAndStaysUnderTheCap) {
  using std::chrono::milliseconds;
  EXPECT_EQ(RetryDelay(1, milliseconds(1000), milliseconds(60000), 0.0), milliseconds(500));
  EXPECT_EQ(RetryDelay(1, milliseconds(1000), milliseconds(60000), 0.999), milliseconds(999));
  EXPECT_EQ(RetryDelay(3, milliseconds(1000), milliseconds(60000), 0.0), milliseconds(2000));
  EXPECT_EQ(RetryDelay(30, milliseconds(1000), milliseconds(60000), 0.0), milliseconds(30000));
  EXPECT_LE(RetryDelay(30, milliseconds(1000), milliseconds(60000), 0.9999), milliseconds(60000));
}

}  // namespace
}  // namespace beian::notify

namespace beian::notify {
namespace {

TEST(FormatReasonsTest, ListsTheCatalogueTextTheNoteAndTheFieldInTheAccountsLanguage) {
  const std::vector<NoticeReason> reasons = {
      {"organizer.name", "name_unrelated", "", "名称与网站内容不符", "Name unrelated"},
      {"websites[0].name", "other", "请补充说明", "其他", "Other"},
      {"photo", "mystery", "", "", ""}};
  EXPECT_EQ(FormatReasons(reasons, "zh-CN"),
            "1. 名称与网站内容不符（字段：organizer.name）\n"
            "2. 其他：请补充说明（字段：websites[0].name）\n"
            "3. mystery（字段：photo）");
  EXPECT_EQ(FormatReasons(reasons, "en"),
            "1. Name unrelated (field: organizer.name)\n"
            "2. Other: 请补充说明 (field: websites[0].name)\n"
            "3. mystery (field: photo)");
}

}  // namespace
}  // namespace beian::notify
