// Tests of the structured logger: one valid JSON object per line, levels, request ids, escaping.
#include "core/log.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace beian::core {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogWriterForTest([this](std::string_view line) { lines_.emplace_back(line); });
  }
  void TearDown() override {
    SetLogWriterForTest({});
    SetLogLevel(LogLevel::kInfo);
  }
  std::vector<std::string> lines_;
};

TEST_F(LogTest, WritesOneJsonObjectPerLine) {
  Log(LogLevel::kInfo, "user_registered",
      {{"user_id", std::string("u1")},
       {"attempts", 3},
       {"ratio", 0.5},
       {"ok", true},
       {"big", uint64_t{18446744073709551615ULL}},
       {"neg", int64_t{-7}}});
  ASSERT_EQ(lines_.size(), 1u);
  auto v = boost::json::parse(lines_[0]).as_object();
  EXPECT_EQ(v["level"], "info");
  EXPECT_EQ(v["event"], "user_registered");
  EXPECT_EQ(v["user_id"], "u1");
  EXPECT_EQ(v["attempts"], 3);
  EXPECT_EQ(v["ratio"], 0.5);
  EXPECT_EQ(v["ok"], true);
  EXPECT_EQ(v["big"].as_uint64(), 18446744073709551615ULL);
  EXPECT_EQ(v["neg"], -7);
  std::string time(v["time"].as_string());
  EXPECT_EQ(time.size(), 24u) << time;  // 2026-11-28T07:30:00.123Z
  EXPECT_EQ(time.back(), 'Z');
}

TEST_F(LogTest, DoublesAreValidJson) {
  Log(LogLevel::kInfo, "numbers",
      {{"ms", 1.23456789},
       {"nan", std::nan("")},
       {"inf", std::numeric_limits<double>::infinity()},
       {"tiny", 1e-9}});
  ASSERT_EQ(lines_.size(), 1u);
  auto v = boost::json::parse(lines_[0]).as_object();
  EXPECT_DOUBLE_EQ(v["ms"].as_double(), 1.23457);
  EXPECT_TRUE(v["nan"].is_null());
  EXPECT_TRUE(v["inf"].is_null());
  EXPECT_DOUBLE_EQ(v["tiny"].as_double(), 1e-9);
}

TEST_F(LogTest, LevelFilters) {
  SetLogLevel(LogLevel::kWarn);
  Log(LogLevel::kInfo, "hidden");
  Log(LogLevel::kError, "shown");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_NE(lines_[0].find("\"shown\""), std::string::npos);
  SetLogLevel(LogLevel::kOff);
  Log(LogLevel::kError, "hidden");
  EXPECT_EQ(lines_.size(), 1u);
}

TEST_F(LogTest, RequestIdOfTheThread) {
  {
    ScopedLogRequestId id("req-1");
    Log(LogLevel::kInfo, "inside");
    {
      ScopedLogRequestId inner("req-2");
      Log(LogLevel::kInfo, "nested");
    }
    Log(LogLevel::kInfo, "inside_again");
  }
  Log(LogLevel::kInfo, "outside");
  ASSERT_EQ(lines_.size(), 4u);
  EXPECT_EQ(boost::json::parse(lines_[0]).at("request_id"), "req-1");
  EXPECT_EQ(boost::json::parse(lines_[1]).at("request_id"), "req-2");
  EXPECT_EQ(boost::json::parse(lines_[2]).at("request_id"), "req-1");
  EXPECT_FALSE(boost::json::parse(lines_[3]).as_object().contains("request_id"));
}

TEST_F(LogTest, EscapesHostileStrings) {
  std::string nasty = "quote\" backslash\\ newline\n tab\t ctl\x01 bad\xff utf8 中文";
  Log(LogLevel::kWarn, "escape", {{"value", nasty}, {"key\"x", 1}});
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0].find('\n'), std::string::npos);
  auto v = boost::json::parse(lines_[0]).as_object();
  EXPECT_EQ(v["value"], "quote\" backslash\\ newline\n tab\t ctl\x01 bad\xEF\xBF\xBD utf8 中文");
  EXPECT_EQ(v["key\"x"], 1);
}

// The real sink (fd 2), from several threads at once: every line must stay whole.
TEST(LogSinkTest, ConcurrentLinesDoNotInterleave) {
  std::string path = ::testing::TempDir() + "/beian-log-" + std::to_string(::getpid());
  int file = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
  ASSERT_GE(file, 0);
  std::fflush(stderr);
  int saved = ::dup(STDERR_FILENO);
  ::dup2(file, STDERR_FILENO);
  const std::string long_value(6000, 'x');  // over PIPE_BUF
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &long_value] {
      for (int i = 0; i < 300; ++i) {
        Log(LogLevel::kWarn, "concurrent",
            {{"thread", t}, {"i", i}, {"pad", i % 50 == 0 ? long_value : std::string(40, 'p')}});
      }
    });
  }
  for (auto& th : threads) th.join();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(file);
  std::ifstream in(path);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line.substr(0, 200);
    EXPECT_EQ(v.at("event"), "concurrent");
    ++count;
  }
  EXPECT_EQ(count, 4 * 300);
  std::remove(path.c_str());
}

TEST(LogLevelTest, Parse) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("warning"), LogLevel::kWarn);
  EXPECT_EQ(*ParseLogLevel("off"), LogLevel::kOff);
  EXPECT_FALSE(ParseLogLevel("loud").ok());
}

}  // namespace
}  // namespace beian::core
