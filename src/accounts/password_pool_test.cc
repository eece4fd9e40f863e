// PasswordPool: jobs run off the caller's thread, the queue is bounded, late jobs are refused.
#include "accounts/password_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

namespace beian::accounts {
namespace {

using namespace std::chrono_literals;

TEST(PasswordPoolTest, RunsJobsOnItsOwnThreads) {
  PasswordPool pool({.threads = 2, .max_queue = 8, .max_wait = 10s});
  std::promise<std::thread::id> ran_on;
  ASSERT_TRUE(pool.Submit([&](bool run) {
    EXPECT_TRUE(run);
    ran_on.set_value(std::this_thread::get_id());
  }));
  auto f = ran_on.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_NE(f.get(), std::this_thread::get_id());
}

TEST(PasswordPoolTest, AFullQueueRefusesAtOnce) {
  PasswordPool pool({.threads = 1, .max_queue = 2, .max_wait = 10s});
  std::promise<void> busy_entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(pool.Submit([&](bool) {
    busy_entered.set_value();
    released.wait();
  }));
  ASSERT_EQ(busy_entered.get_future().wait_for(10s), std::future_status::ready);
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.Submit([&](bool run) { ran += run ? 1 : 100; }));
  ASSERT_TRUE(pool.Submit([&](bool run) { ran += run ? 1 : 100; }));
  EXPECT_FALSE(pool.Submit([&](bool) { ADD_FAILURE() << "a refused job must not be kept"; }));
  release.set_value();
  for (int i = 0; i < 1000 && ran.load() < 2; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(ran.load(), 2);
  EXPECT_TRUE(pool.Submit([](bool) {}));  // room again
}

TEST(PasswordPoolTest, AJobThatWaitedTooLongIsRefused) {
  PasswordPool pool({.threads = 1, .max_queue = 8, .max_wait = 50ms});
  std::promise<void> busy_entered;
  std::promise<void> release;
  ASSERT_TRUE(pool.Submit([&](bool) {
    busy_entered.set_value();
    release.get_future().wait();
  }));
  ASSERT_EQ(busy_entered.get_future().wait_for(10s), std::future_status::ready);
  std::promise<bool> late;
  ASSERT_TRUE(pool.Submit([&](bool run) { late.set_value(run); }));
  std::this_thread::sleep_for(120ms);
  release.set_value();
  auto f = late.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(f.get());
  EXPECT_GE(pool.RetryAfterSeconds(), 1);
}

TEST(PasswordPoolTest, StoppingAnswersEveryQueuedJob) {
  std::atomic<int> refused{0};
  std::atomic<int> ran{0};
  {
    PasswordPool pool({.threads = 1, .max_queue = 16, .max_wait = 10s});
    std::promise<void> busy_entered;
    ASSERT_TRUE(pool.Submit([&](bool) {
      busy_entered.set_value();
      std::this_thread::sleep_for(100ms);
    }));
    ASSERT_EQ(busy_entered.get_future().wait_for(10s), std::future_status::ready);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(pool.Submit([&](bool run) { (run ? ran : refused) += 1; }));
    }
  }  // the destructor refuses what is still queued and joins
  EXPECT_EQ(refused.load() + ran.load(), 5);
  EXPECT_EQ(refused.load(), 5);
}

}  // namespace
}  // namespace beian::accounts
