// Tests of the structured logger: one valid JSON object per line, levels, request ids, escaping.
#include "core/log.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
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

// Sends fd 2 to a file for the life of the object; Text() reads what has been written so far.
class StderrToFile {
 public:
  StderrToFile() : path_(::testing::TempDir() + "/beian-held-" + std::to_string(::getpid())) {
    int file = ::open(path_.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    ::dup2(file, STDERR_FILENO);
    ::close(file);
  }
  ~StderrToFile() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    std::remove(path_.c_str());
  }
  std::vector<std::string> Lines() const {
    std::ifstream in(path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

 private:
  std::string path_;
  int saved_ = -1;
};

std::string EventOf(const std::string& line) {
  return std::string(boost::json::parse(line).at("event").as_string());
}

TEST(LogHeldTest, HeldLinesWaitForTheFlushAndKeepTheThreadsOrder) {
  StderrToFile err;
  LogHeld(LogLevel::kInfo, "held_1");
  LogHeld(LogLevel::kInfo, "held_2");
  LogHeld(LogLevel::kDebug, "below_the_level");
  EXPECT_TRUE(HasHeldLogLines());
  EXPECT_TRUE(err.Lines().empty());
  // A direct line writes the held ones first.
  Log(LogLevel::kWarn, "direct");
  EXPECT_FALSE(HasHeldLogLines());
  LogHeld(LogLevel::kInfo, "held_3");
  EXPECT_EQ(err.Lines().size(), 3u);
  FlushHeldLogLines();
  FlushHeldLogLines();  // nothing held: nothing written
  auto lines = err.Lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(EventOf(lines[0]), "held_1");
  EXPECT_EQ(EventOf(lines[1]), "held_2");
  EXPECT_EQ(EventOf(lines[2]), "direct");
  EXPECT_EQ(EventOf(lines[3]), "held_3");
}

TEST(LogHeldTest, AFullBufferIsWrittenWithoutWaitingForTheFlush) {
  StderrToFile err;
  const std::string pad(1000, 'p');
  int held = 0;
  while (err.Lines().empty() && held < 1000) {
    LogHeld(LogLevel::kInfo, "filler", {{"pad", pad}});
    ++held;
  }
  // About 64 KiB of lines of about 1 KiB each.
  EXPECT_GT(held, 50);
  EXPECT_LT(held, 80);
  FlushHeldLogLines();
  EXPECT_EQ(err.Lines().size(), static_cast<size_t>(held));
}

// Held lines leave in writes of whole lines of at most PIPE_BUF bytes, so that on a pipe, where
// a longer write may be split, they never interleave with other threads' lines, long or short.
TEST(LogHeldTest, ConcurrentHeldAndDirectLinesStayWholeOnAPipe) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::fflush(stderr);
  int saved = ::dup(STDERR_FILENO);
  ::dup2(fds[1], STDERR_FILENO);
  ::close(fds[1]);
  std::string text;
  std::thread reader([&] {
    char buf[65536];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof(buf))) > 0;) text.append(buf, n);
  });
  const std::string long_value(6000, 'x');  // over PIPE_BUF
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &long_value] {
      for (int i = 0; i < 400; ++i) {
        const std::string& pad = i % 97 == 0 ? long_value : std::string(40 + i % 200, 'p');
        if (t % 2 == 0 && i % 5 == 0) {
          Log(LogLevel::kWarn, "concurrent", {{"thread", t}, {"i", i}, {"pad", pad}});
        } else {
          LogHeld(LogLevel::kInfo, "concurrent", {{"thread", t}, {"i", i}, {"pad", pad}});
        }
        if (i % 37 == 0) FlushHeldLogLines();
      }
      FlushHeldLogLines();
    });
  }
  for (auto& th : threads) th.join();
  ::dup2(saved, STDERR_FILENO);  // closes the pipe's last write end: the reader sees its end
  ::close(saved);
  reader.join();
  ::close(fds[0]);
  std::vector<std::vector<bool>> seen(4, std::vector<bool>(400, false));
  size_t start = 0;
  int count = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string line = text.substr(start, end - start);
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line.substr(0, 200);
    auto& o = v.as_object();
    seen[o.at("thread").as_int64()][o.at("i").as_int64()] = true;
    ++count;
  }
  EXPECT_EQ(start, text.size());
  EXPECT_EQ(count, 4 * 400);
  for (const auto& thread_seen : seen) {
    EXPECT_EQ(std::count(thread_seen.begin(), thread_seen.end(), true), 400);
  }
}

TEST(LogLevelTest, Parse) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("warning"), LogLevel::kWarn);
  EXPECT_EQ(*ParseLogLevel("off"), LogLevel::kOff);
  EXPECT_FALSE(ParseLogLevel("loud").ok());
}

}  // namespace
}  // namespace beian::core
