// Contract tests of NotificationRepo and MailboxRepo on both backends: enqueue with a dedupe key,
// the leased claim (never the same row to two concurrent claimers), retries, parking, paging.
#include "store/notifications.h"

#include <mutex>
#include <set>
#include <thread>

#include "store/testing/backends.h"

namespace beian::store {
namespace {

using core::Result;

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kLease = 60'000;

class NotificationsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
  }

  std::optional<Notification> Enqueue(const std::string& key, int64_t at = kNow,
                                      const std::string& recipient = "u1") {
    auto r = db().Write([&](Tx& tx) {
      return NotificationRepo(tx).Enqueue({.dedupe_key = key,
                                           .recipient_id = recipient,
                                           .channel = "email",
                                           .address = "a@example.com",
                                           .template_id = "application_submitted",
                                           .params_json = R"({"x":"1"})",
                                           .locale = "en",
                                           .created_at_ms = at});
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::nullopt;
  }

  std::vector<Notification> Claim(const std::string& owner, int64_t now, int limit = 10,
                                  int64_t max_attempts = 5, Database* d = nullptr) {
    auto r = (d ? *d : db())
                 .Write(
                     [&](Tx& tx) {
                       return NotificationRepo(tx).Claim(owner, now, kLease, limit, max_attempts);
                     },
                     {.isolation = Isolation::kReadCommitted});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::vector<Notification>{};
  }

  Notification Get(const std::string& id) {
    auto r = db().Read([&](Tx& tx) { return NotificationRepo(tx).Find(id); });
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? **r : Notification{};
  }
};

TEST_P(NotificationsTest, EnqueueIsPendingAndDedupedByKey) {
  auto n = Enqueue("app:1:2:email");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->state, "pending");
  EXPECT_EQ(n->attempts, 0);
  EXPECT_EQ(n->next_attempt_at_ms, kNow);
  EXPECT_EQ(n->params_json, R"({"x":"1"})");
  EXPECT_FALSE(Enqueue("app:1:2:email").has_value());
  auto stats = db().Read([](Tx& tx) { return NotificationRepo(tx).Stats(); });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, 1);
  EXPECT_EQ(stats->oldest_pending_created_at_ms, kNow);
}

TEST_P(NotificationsTest, UnknownChannelIsRefused) {
  auto r = db().Write([&](Tx& tx) {
    return NotificationRepo(tx).Enqueue(
        {.dedupe_key = "k", .channel = "fax", .address = "1", .template_id = "t"});
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kValidationFailed);
}

TEST_P(NotificationsTest, ClaimLeasesDueRowsOnce) {
  auto a = Enqueue("a");
  auto b = Enqueue("b", kNow + 5000);  // due later
  auto first = Claim("w1", kNow);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, a->id);
  EXPECT_EQ(first[0].state, "sending");
  EXPECT_EQ(first[0].attempts, 1);
  EXPECT_EQ(first[0].lease_owner, "w1");
  EXPECT_EQ(first[0].lease_until_ms, kNow + kLease);
  EXPECT_TRUE(Claim("w2", kNow + 1000).empty());  // a is leased, b not yet due
  auto second = Claim("w2", kNow + 5000);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].id, b->id);
}

TEST_P(NotificationsTest, ExpiredLeaseIsClaimedAgainAndTheOldOwnerCannotMark) {
  auto a = Enqueue("a");
  ASSERT_EQ(Claim("w1", kNow).size(), 1u);
  auto again = Claim("w2", kNow + kLease);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
  auto stale = db().Write(
      [&](Tx& tx) { return NotificationRepo(tx).MarkSent(a->id, "w1", kNow + kLease, "s", "t"); });
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE(*stale);
  auto fresh = db().Write([&](Tx& tx) {
    return NotificationRepo(tx).MarkSent(a->id, "w2", kNow + kLease + 1, "Subject", "Text");
  });
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(*fresh);
  Notification n = Get(a->id);
  EXPECT_EQ(n.state, "sent");
  EXPECT_EQ(n.sent_at_ms, kNow + kLease + 1);
  EXPECT_EQ(n.subject, "Subject");
  EXPECT_EQ(n.body_text, "Text");
  EXPECT_FALSE(n.lease_owner.has_value());
  EXPECT_TRUE(Claim("w3", kNow + 10 * kLease).empty());
}

TEST_P(NotificationsTest, RetryComesBackWhenDueAndFailedIsParked) {
  auto a = Enqueue("a");
  ASSERT_EQ(Claim("w1", kNow).size(), 1u);
  auto retry = db().Write([&](Tx& tx) {
    return NotificationRepo(tx).MarkRetry(a->id, "w1", kNow, kNow + 2000, "451 try later");
  });
  ASSERT_TRUE(retry.ok() && *retry);
  EXPECT_EQ(Get(a->id).state, "pending");
  EXPECT_EQ(Get(a->id).last_error, "451 try later");
  EXPECT_TRUE(Claim("w1", kNow + 1999).empty());
  ASSERT_EQ(Claim("w1", kNow + 2000).size(), 1u);
  auto failed = db().Write(
      [&](Tx& tx) { return NotificationRepo(tx).MarkFailed(a->id, "w1", kNow + 2001, "550 no"); });
  ASSERT_TRUE(failed.ok() && *failed);
  EXPECT_EQ(Get(a->id).state, "failed");
  EXPECT_TRUE(Claim("w1", kNow + 100 * kLease).empty());
  auto stats = db().Read([](Tx& tx) { return NotificationRepo(tx).Stats(); });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->failed, 1);
  EXPECT_EQ(stats->pending, 0);
  EXPECT_FALSE(stats->oldest_pending_created_at_ms.has_value());
}

TEST_P(NotificationsTest, AttemptLimitStopsClaimsAndExhaustedLeasesAreParked) {
  auto a = Enqueue("a");
  ASSERT_EQ(Claim("w1", kNow, 10, 2).size(), 1u);
  ASSERT_EQ(Claim("w2", kNow + kLease, 10, 2).size(), 1u);  // attempt 2 of 2
  EXPECT_TRUE(Claim("w3", kNow + 2 * kLease, 10, 2).empty());
  auto parked =
      db().Write([&](Tx& tx) { return NotificationRepo(tx).ParkExhausted(kNow + 2 * kLease, 2); });
  ASSERT_TRUE(parked.ok());
  EXPECT_EQ(*parked, 1);
  EXPECT_EQ(Get(a->id).state, "failed");
  EXPECT_NE(Get(a->id).last_error, "");
}

TEST_P(NotificationsTest, ReleaseGivesTheRowBackWithoutCountingTheAttempt) {
  auto a = Enqueue("a");
  ASSERT_EQ(Claim("w1", kNow).size(), 1u);
  auto released =
      db().Write([&](Tx& tx) { return NotificationRepo(tx).Release(a->id, "w1", kNow); });
  ASSERT_TRUE(released.ok() && *released);
  Notification n = Get(a->id);
  EXPECT_EQ(n.state, "pending");
  EXPECT_EQ(n.attempts, 0);
  EXPECT_EQ(Claim("w2", kNow).size(), 1u);
}

TEST_P(NotificationsTest, ConcurrentClaimersNeverShareARow) {
  constexpr int kRows = 60;
  for (int i = 0; i < kRows; ++i) Enqueue("k" + std::to_string(i));
  std::mutex mu;
  std::multiset<std::string> claimed;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto other = Open({.pool_size = 1});
      ASSERT_TRUE(other.ok()) << other.error().message;
      for (;;) {
        auto rows = Claim("w" + std::to_string(t), kNow, 3, 5, other->get());
        if (rows.empty()) break;
        std::lock_guard lock(mu);
        for (const auto& r : rows) claimed.insert(r.id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(),
            static_cast<size_t>(kRows));
}

TEST_P(NotificationsTest, HistoryIsPerRecipientNewestFirstWithCursor) {
  for (int i = 0; i < 5; ++i) Enqueue("m" + std::to_string(i), kNow + i, "me");
  Enqueue("other", kNow, "someone-else");
  std::vector<std::string> keys;
  std::string cursor;
  do {
    auto page =
        db().Read([&](Tx& tx) { return NotificationRepo(tx).ListForRecipient("me", 2, cursor); });
    ASSERT_TRUE(page.ok()) << page.error().message;
    for (const auto& n : page->items) keys.push_back(n.dedupe_key);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(keys, (std::vector<std::string>{"m4", "m3", "m2", "m1", "m0"}));
  auto bad =
      db().Read([&](Tx& tx) { return NotificationRepo(tx).ListForRecipient("me", 2, "nope"); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kValidationFailed);
}

TEST_P(NotificationsTest, OperatorsListByStateRetryAndCancel) {
  auto a = Enqueue("a", kNow);
  auto b = Enqueue("b", kNow + 1);
  ASSERT_EQ(Claim("w1", kNow + 1).size(), 2u);
  ASSERT_TRUE(
      db().Write([&](Tx& tx) { return NotificationRepo(tx).MarkFailed(a->id, "w1", kNow, "550"); })
          .ok());
  auto failed =
      db().Read([&](Tx& tx) { return NotificationRepo(tx).ListByState("failed", 10, ""); });
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->items.size(), 1u);
  EXPECT_EQ(failed->items[0].last_error, "550");
  auto all = db().Read([&](Tx& tx) { return NotificationRepo(tx).ListByState("", 1, ""); });
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items[0].id, b->id);
  EXPECT_FALSE(all->next_cursor.empty());
  auto bad = db().Read([&](Tx& tx) { return NotificationRepo(tx).ListByState("lost", 1, ""); });
  ASSERT_FALSE(bad.ok());
  // b is being delivered: neither retried nor cancelled.
  auto busy = db().Write([&](Tx& tx) { return NotificationRepo(tx).Cancel(b->id, kNow); });
  ASSERT_TRUE(busy.ok());
  EXPECT_FALSE(*busy);
  auto retried =
      db().Write([&](Tx& tx) { return NotificationRepo(tx).RetryNow(a->id, kNow + 10); });
  ASSERT_TRUE(retried.ok() && *retried);
  EXPECT_EQ(Get(a->id).state, "pending");
  EXPECT_EQ(Get(a->id).attempts, 0);
  auto cancelled = db().Write([&](Tx& tx) { return NotificationRepo(tx).Cancel(a->id, kNow); });
  ASSERT_TRUE(cancelled.ok() && *cancelled);
  EXPECT_EQ(Get(a->id).state, "cancelled");
  EXPECT_TRUE(Claim("w2", kNow + 100).empty());
}

TEST_P(NotificationsTest, MailboxStoresEachNotificationOnceAndPages) {
  for (int i = 0; i < 3; ++i) {
    MailboxMessage m{.notification_id = "n" + std::to_string(i),
                     .channel = i == 0 ? "sms" : "email",
                     .address = "a@example.com",
                     .subject = "S" + std::to_string(i),
                     .body_text = "T",
                     .body_html = "<p>T</p>",
                     .template_id = "t",
                     .locale = "zh-CN",
                     .created_at_ms = kNow + i};
    auto r = db().Write([&](Tx& tx) { return MailboxRepo(tx).Insert(m); });
    ASSERT_TRUE(r.ok() && *r);
  }
  auto dup = db().Write([&](Tx& tx) {
    return MailboxRepo(tx).Insert({.notification_id = "n1",
                                   .channel = "email",
                                   .address = "x",
                                   .body_text = "again",
                                   .template_id = "t",
                                   .locale = "en",
                                   .created_at_ms = kNow});
  });
  ASSERT_TRUE(dup.ok());
  EXPECT_FALSE(*dup);
  auto p1 = db().Read([&](Tx& tx) { return MailboxRepo(tx).List(2, ""); });
  ASSERT_TRUE(p1.ok());
  ASSERT_EQ(p1->items.size(), 2u);
  EXPECT_EQ(p1->items[0].subject, "S2");
  EXPECT_EQ(p1->items[0].body_html, "<p>T</p>");
  ASSERT_FALSE(p1->next_cursor.empty());
  auto p2 = db().Read([&](Tx& tx) { return MailboxRepo(tx).List(2, p1->next_cursor); });
  ASSERT_TRUE(p2.ok());
  ASSERT_EQ(p2->items.size(), 1u);
  EXPECT_EQ(p2->items[0].channel, "sms");
  EXPECT_TRUE(p2->next_cursor.empty());
}

BEIAN_INSTANTIATE_STORE_SUITE(NotificationsTest);

}  // namespace
}  // namespace beian::store
