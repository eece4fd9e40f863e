// The structured logger (see log.h): lines are built in a thread-local buffer and handed to an
// spdlog logger whose sink writes each line to fd 2 with one writev(), with no stdio buffer. One
// write of at most PIPE_BUF bytes is atomic on a pipe, and writes to a shared file description do
// not overlap, so short lines never interleave; they share a lock (one atomic operation when
// uncontended) that a longer line takes alone, so that nothing lands inside it either. Held lines
// (LogHeld) collect in a second thread-local buffer and leave in writes of whole lines of at most
// PIPE_BUF bytes each, for the same reason.
#include "core/log.h"

#include <limits.h>
#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <shared_mutex>

namespace beian::core {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
thread_local std::string_view t_request_id;

std::mutex g_writer_mu;
std::function<void(std::string_view)> g_test_writer;  // guarded by g_writer_mu
std::atomic<bool> g_has_test_writer{false};

// A write of at most PIPE_BUF bytes is atomic on a pipe, a longer one may be split, and another
// thread's short write may land in the gap. So short writes share this lock and a long one takes
// it alone: an uncontended shared lock is one atomic operation on the request path.
std::shared_mutex g_write_mu;

void WriteAll(iovec* iov, int count) {
  while (count > 0) {
    ssize_t n = ::writev(STDERR_FILENO, iov, count);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere to report a failure to log
    }
    auto written = static_cast<size_t>(n);
    while (count > 0 && written >= iov[0].iov_len) {
      written -= iov[0].iov_len;
      ++iov;
      --count;
    }
    if (count > 0) {
      iov[0].iov_base = static_cast<char*>(iov[0].iov_base) + written;
      iov[0].iov_len -= written;
    }
  }
}

// Writes `lines` (each ending in a newline) to fd 2; a write over PIPE_BUF bytes takes the lock
// alone.
void WriteLines(const char* data, size_t size) {
  iovec iov{const_cast<char*>(data), size};
  if (size <= PIPE_BUF) {
    std::shared_lock lock(g_write_mu);
    WriteAll(&iov, 1);
  } else {
    std::unique_lock lock(g_write_mu);
    WriteAll(&iov, 1);
  }
}

class StderrLineSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    iovec iov[2];
    iov[0].iov_base = const_cast<char*>(msg.payload.data());
    iov[0].iov_len = msg.payload.size();
    iov[1].iov_base = const_cast<char*>("\n");
    iov[1].iov_len = 1;
    if (msg.payload.size() + 1 <= PIPE_BUF) {
      std::shared_lock lock(g_write_mu);
      WriteAll(iov, 2);
    } else {
      std::unique_lock lock(g_write_mu);
      WriteAll(iov, 2);
    }
  }
  void flush_() override {}
};

spdlog::logger& Logger() {
  static spdlog::logger* logger = [] {
    auto sink = std::make_shared<StderrLineSink>();
    auto* l = new spdlog::logger("beian", std::move(sink));  // never destroyed: used at exit
    l->set_pattern("%v");
    l->set_level(spdlog::level::trace);
    l->flush_on(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kOff:
      return "off";
  }
  return "info";
}

spdlog::level::level_enum SpdLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
    case LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

// "2026-11-28T07:30:00.123Z"; the date part is cached per thread per second.
void AppendTime(std::string& out) {
  thread_local int64_t cached_second = -1;
  thread_local char cached[32];
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  int64_t sec = ms / 1000;
  if (sec != cached_second) {
    std::time_t t = static_cast<std::time_t>(sec);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second = sec;
  }
  out += cached;
  auto frac = static_cast<int>(ms % 1000);
  const char tail[] = {'.', static_cast<char>('0' + frac / 100),
                       static_cast<char>('0' + frac / 10 % 10), static_cast<char>('0' + frac % 10),
                       'Z'};
  out.append(tail, sizeof(tail));
}

void AppendValue(std::string& out, const LogValue& v) {
  switch (v.kind()) {
    case LogValue::Kind::kString:
      out += '"';
      AppendJsonEscaped(out, v.str());
      out += '"';
      return;
    case LogValue::Kind::kInt:
      out += std::to_string(v.int_value());
      return;
    case LogValue::Kind::kUint:
      out += std::to_string(v.uint_value());
      return;
    case LogValue::Kind::kBool:
      out += v.int_value() != 0 ? "true" : "false";
      return;
    case LogValue::Kind::kDouble: {
      double d = v.double_value();
      if (!std::isfinite(d)) {  // JSON has no NaN or infinity
        out += "null";
        return;
      }
      // Rounded to 6 significant digits' worth of use: microseconds of a millisecond figure.
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::general, 6);
      out.append(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
      return;
    }
  }
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  auto c1 = static_cast<unsigned char>(s[i + 1]);
  if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
  if (c == 0xED && c1 > 0x9F) return 0;  // surrogates
  if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
  if (c == 0xF4 && c1 > 0x8F) return 0;  // beyond U+10FFFF
  return len;
}

}  // namespace

void AppendJsonEscaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < s.size();) {
    // Most text needs no escaping: append runs of plain ASCII at once.
    size_t run = i;
    while (run < s.size()) {
      auto r = static_cast<unsigned char>(s[run]);
      if (r < 0x20 || r >= 0x7F || r == '"' || r == '\\') break;
      ++run;
    }
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      if (i == s.size()) break;
    }
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t len = Utf8SequenceLength(s, i);
      if (len == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(s.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
}

namespace {

thread_local std::string t_held;  // whole lines, each ending in '\n'
constexpr size_t kHeldLimit = 64 * 1024;

// The line Log() writes, without its newline, in a thread-local buffer.
std::string& BuildLine(LogLevel level, std::string_view event,
                       std::initializer_list<LogField> fields) {
  thread_local std::string line;
  line.clear();
  line += "{\"time\":\"";
  AppendTime(line);
  line += "\",\"level\":\"";
  line += LevelName(level);
  line += "\",\"event\":\"";
  AppendJsonEscaped(line, event);
  line += '"';
  if (!t_request_id.empty()) {
    line += ",\"request_id\":\"";
    AppendJsonEscaped(line, t_request_id);
    line += '"';
  }
  for (const LogField& f : fields) {
    line += ",\"";
    AppendJsonEscaped(line, f.key);
    line += "\":";
    AppendValue(line, f.value);
  }
  line += '}';
  return line;
}

// Hands the line to the test writer if one is set; false if there is none.
bool WroteToTestWriter(std::string_view line) {
  if (!g_has_test_writer.load(std::memory_order_acquire)) return false;
  std::lock_guard<std::mutex> lock(g_writer_mu);
  if (!g_test_writer) return false;
  g_test_writer(line);
  return true;
}

}  // namespace

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  if (!t_held.empty()) FlushHeldLogLines();
  std::string& line = BuildLine(level, event, fields);
  if (WroteToTestWriter(line)) return;
  Logger().log(SpdLevel(level), std::string_view(line));
}

void LogHeld(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  std::string& line = BuildLine(level, event, fields);
  if (WroteToTestWriter(line)) return;
  t_held += line;
  t_held += '\n';
  if (t_held.size() >= kHeldLimit) FlushHeldLogLines();
}

bool HasHeldLogLines() { return !t_held.empty(); }

void FlushHeldLogLines() {
  if (t_held.empty()) return;
  const char* data = t_held.data();
  size_t left = t_held.size();
  while (left > 0) {
    // The longest run of whole lines within PIPE_BUF bytes, or one longer line on its own.
    size_t take = left;
    if (take > PIPE_BUF) {
      std::string_view window(data, PIPE_BUF);
      size_t last_newline = window.rfind('\n');
      if (last_newline != std::string_view::npos) {
        take = last_newline + 1;
      } else {
        take = std::string_view(data, left).find('\n') + 1;
      }
    }
    WriteLines(data, take);
    data += take;
    left -= take;
  }
  t_held.clear();
}

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }

LogLevel GetLogLevel() { return static_cast<LogLevel>(g_level.load(std::memory_order_relaxed)); }

Result<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warn" || name == "warning") return LogLevel::kWarn;
  if (name == "error") return LogLevel::kError;
  if (name == "off") return LogLevel::kOff;
  return Error(ErrorCode::kBadRequest,
               "unknown log level '" + std::string(name) + "' (debug, info, warn, error, off)");
}

void SetLogWriterForTest(std::function<void(std::string_view line)> writer) {
  std::lock_guard<std::mutex> lock(g_writer_mu);
  g_has_test_writer.store(static_cast<bool>(writer), std::memory_order_release);
  g_test_writer = std::move(writer);
}

ScopedLogRequestId::ScopedLogRequestId(std::string_view request_id) : previous_(t_request_id) {
  t_request_id = request_id;
}

ScopedLogRequestId::~ScopedLogRequestId() { t_request_id = previous_; }

}  // namespace beian::core
