// Contract tests of LoginThrottleRepo on both backends.
#include "store/login_throttle.h"

#include <thread>

#include "store/testing/backends.h"

namespace beian::store {
namespace {

using core::Result;

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kMinute = 60'000;

class LoginThrottleTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateOrDie();
  }

  Result<ThrottleState> Fail(const std::string& key, int64_t now, Database* d = nullptr) {
    return (d ? *d : db()).Write([&](Tx& tx) {
      return LoginThrottleRepo(tx).RecordFailure(key, now, policy_);
    });
  }
  Result<std::optional<ThrottleState>> Get(const std::string& key) {
    return db().Read([&](Tx& tx) { return LoginThrottleRepo(tx).Get(key); });
  }

  ThrottlePolicy policy_{3, 10 * kMinute, 5 * kMinute};
};

TEST_P(LoginThrottleTest, UnknownKeyHasNoState) {
  auto s = Get("account:nobody@example.com");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(s->has_value());
}

TEST_P(LoginThrottleTest, FailuresCountThenLock) {
  const std::string key = "account:a@example.com";
  auto s1 = Fail(key, kNow);
  ASSERT_TRUE(s1.ok()) << s1.error().message;
  EXPECT_EQ(s1->key, key);
  EXPECT_EQ(s1->failures, 1);
  EXPECT_EQ(s1->window_start_ms, kNow);
  EXPECT_EQ(s1->locked_until_ms, 0);
  EXPECT_FALSE(s1->IsLocked(kNow));

  auto s2 = Fail(key, kNow + kMinute);
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(s2->failures, 2);
  EXPECT_EQ(s2->window_start_ms, kNow);
  EXPECT_FALSE(s2->IsLocked(kNow + kMinute));

  auto s3 = Fail(key, kNow + 2 * kMinute);
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->failures, 3);
  EXPECT_EQ(s3->locked_until_ms, kNow + 7 * kMinute);
  EXPECT_TRUE(s3->IsLocked(kNow + 6 * kMinute));
  EXPECT_FALSE(s3->IsLocked(kNow + 7 * kMinute));

  auto stored = Get(key);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->failures, 3);
  EXPECT_EQ((*stored)->locked_until_ms, kNow + 7 * kMinute);
}

TEST_P(LoginThrottleTest, OldWindowStartsOver) {
  const std::string key = "ip:192.0.2.1";
  ASSERT_TRUE(Fail(key, kNow).ok());
  ASSERT_TRUE(Fail(key, kNow + kMinute).ok());
  auto s = Fail(key, kNow + 10 * kMinute);  // window is [kNow, kNow + 10 min)
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->failures, 1);
  EXPECT_EQ(s->window_start_ms, kNow + 10 * kMinute);
  EXPECT_EQ(s->locked_until_ms, 0);
}

TEST_P(LoginThrottleTest, ALimitOfOneLocksAtTheFirstFailure) {
  policy_.max_failures = 1;
  auto s = Fail("k", kNow);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->locked_until_ms, kNow + 5 * kMinute);
}

TEST_P(LoginThrottleTest, ResetForgetsTheKeyOnly) {
  ASSERT_TRUE(Fail("a", kNow).ok());
  ASSERT_TRUE(Fail("b", kNow).ok());
  ASSERT_TRUE(db().Write([&](Tx& tx) { return LoginThrottleRepo(tx).Reset("a"); }).ok());
  EXPECT_FALSE(Get("a").value().has_value());
  EXPECT_TRUE(Get("b").value().has_value());
  auto again = Fail("a", kNow + 1);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->failures, 1);
}

// Failures recorded at once from several connection sets are all counted.
TEST_P(LoginThrottleTest, ConcurrentFailuresAreNotLost) {
  policy_.max_failures = 1000;
  constexpr int kThreads = 4;
  constexpr int kEach = 10;
  std::vector<std::unique_ptr<Database>> dbs;
  for (int i = 0; i < kThreads; ++i) {
    DatabaseOptions o;
    o.pool_size = 1;
    o.busy_timeout = std::chrono::milliseconds(5);
    o.max_attempts = 50;
    auto d = Open(o);
    ASSERT_TRUE(d.ok());
    dbs.push_back(std::move(*d));
  }
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!Fail("account:x", kNow + i, dbs[static_cast<size_t>(t)].get()).ok()) errors++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  auto s = Get("account:x");
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->failures, kThreads * kEach);
}

TEST_P(LoginThrottleTest, LockUntilOnlyMovesForward) {
  ASSERT_TRUE(Fail("pair:x", kNow).ok());
  auto lock = [&](int64_t until) {
    return db().Write([&](Tx& tx) { return LoginThrottleRepo(tx).LockUntil("pair:x", until); });
  };
  ASSERT_TRUE(lock(kNow + 10 * kMinute).ok());
  EXPECT_EQ(Get("pair:x").value()->locked_until_ms, kNow + 10 * kMinute);
  ASSERT_TRUE(lock(kNow + kMinute).ok());
  EXPECT_EQ(Get("pair:x").value()->locked_until_ms, kNow + 10 * kMinute);
  ASSERT_TRUE(lock(kNow + 20 * kMinute).ok());
  EXPECT_EQ(Get("pair:x").value()->locked_until_ms, kNow + 20 * kMinute);
  EXPECT_EQ(Get("pair:x").value()->failures, 1);
}

TEST_P(LoginThrottleTest, DeleteStaleKeepsRecentAndLockedKeys) {
  ASSERT_TRUE(Fail("old", kNow).ok());
  ASSERT_TRUE(Fail("recent", kNow + 30 * kMinute).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Fail("old-locked", kNow).ok());  // locked 5 minutes
  auto n = db().Write([&](Tx& tx) {
    return LoginThrottleRepo(tx).DeleteStale(kNow + kMinute, kNow + 4 * kMinute);
  });
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 1);
  EXPECT_FALSE(Get("old").value().has_value());
  EXPECT_TRUE(Get("recent").value().has_value());
  EXPECT_TRUE(Get("old-locked").value().has_value());
}

BEIAN_INSTANTIATE_STORE_SUITE(LoginThrottleTest);

}  // namespace
}  // namespace beian::store
