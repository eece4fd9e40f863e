#include "core/periodic_task.h"

#include <gtest/gtest.h>

#include <atomic>

namespace beian::core {
namespace {

TEST(PeriodicTaskTest, RunsRepeatedlyUntilStopped) {
  std::atomic<int> count{0};
  PeriodicTask task("count", std::chrono::milliseconds(1), [&] { ++count; });
  task.Start();
  while (count.load() < 3) std::this_thread::yield();
  task.Stop();
  const int after = count.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(count.load(), after);
  EXPECT_GE(task.runs(), 3);
}

TEST(PeriodicTaskTest, StopWakesALongWait) {
  std::atomic<int> count{0};
  PeriodicTask task("slow", std::chrono::hours(1), [&] { ++count; });
  task.Start();
  while (count.load() < 1) std::this_thread::yield();
  const auto start = std::chrono::steady_clock::now();
  task.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_EQ(count.load(), 1);
}

TEST(PeriodicTaskTest, SurvivesAThrowingRun) {
  std::atomic<int> count{0};
  PeriodicTask task("throws", std::chrono::milliseconds(1), [&] {
    if (++count == 1) throw std::runtime_error("boom");
  });
  task.Start();
  while (count.load() < 2) std::this_thread::yield();
  task.Stop();
  SUCCEED();
}

TEST(PeriodicTaskTest, SurvivesANonStdException) {
  std::atomic<int> count{0};
  PeriodicTask task("throws_int", std::chrono::milliseconds(1), [&] {
    if (++count == 1) throw 42;  // not a std::exception
  });
  task.Start();
  while (count.load() < 2) std::this_thread::yield();
  task.Stop();
  EXPECT_GE(task.runs(), 2);
}

}  // namespace
}  // namespace beian::core
