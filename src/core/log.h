// The shared structured logger: one JSON object per line on stderr (through spdlog), e.g.
//   core::Log(core::LogLevel::kInfo, "user_registered", {{"user_id", id}, {"attempts", 3}});
// writes {"time":"2026-11-28T07:30:00.123Z","level":"info","event":"user_registered",
// "request_id":"…","user_id":"…","attempts":3}. The request id is the one set for the calling
// thread by ScopedLogRequestId (the HTTP server sets it around each handler), so every log
// line written while serving a request carries it. Thread-safe; lines are never interleaved.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/result.h"

namespace beian::core {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

// One value in a log line: a string, an integer, a floating-point number or a boolean.
class LogValue {
 public:
  enum class Kind { kString, kInt, kUint, kDouble, kBool };
  LogValue(const char* s) : kind_(Kind::kString), str_(s) {}         // NOLINT: implicit by design
  LogValue(std::string_view s) : kind_(Kind::kString), str_(s) {}    // NOLINT
  LogValue(const std::string& s) : kind_(Kind::kString), str_(s) {}  // NOLINT
  LogValue(bool b) : kind_(Kind::kBool), int_(b ? 1 : 0) {}          // NOLINT
  LogValue(double d) : kind_(Kind::kDouble), double_(d) {}           // NOLINT
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && std::is_signed_v<T>) LogValue(T i)
      : kind_(Kind::kInt), int_(i) {}  // NOLINT
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && std::is_unsigned_v<T>) LogValue(T u)
      : kind_(Kind::kUint), uint_(u) {}  // NOLINT

  Kind kind() const { return kind_; }
  std::string_view str() const { return str_; }
  int64_t int_value() const { return int_; }
  uint64_t uint_value() const { return uint_; }
  double double_value() const { return double_; }

 private:
  Kind kind_;
  std::string_view str_;
  int64_t int_ = 0;
  uint64_t uint_ = 0;
  double double_ = 0;
};

struct LogField {
  std::string_view key;
  LogValue value;
};

// Writes one line if `level` is enabled. Keys should be snake_case; values are JSON-escaped.
void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

// Builds the line as Log() does but keeps it in the calling thread's buffer until
// FlushHeldLogLines() (or until the buffer passes 64 KiB). An event loop logs a request this way
// and flushes once per turn, so that a turn's lines leave in a few writes rather than one each.
// A Log() call on the same thread writes the held lines first, so a thread's lines keep their
// order. With a test writer set, this is Log().
void LogHeld(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

// Writes the calling thread's held lines, whole lines in writes of at most PIPE_BUF bytes (so
// that they never interleave with other threads' lines, even on a pipe). Cheap when none are held.
void FlushHeldLogLines();
bool HasHeldLogLines();

// The minimum level written (default kInfo).
void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
inline bool LogEnabled(LogLevel level) { return level >= GetLogLevel() && level != LogLevel::kOff; }

// "debug", "info", "warn"/"warning", "error", "off" → the level; anything else → kBadRequest.
Result<LogLevel> ParseLogLevel(std::string_view name);

// Routes lines to `writer` instead of stderr (tests); an empty function restores stderr.
void SetLogWriterForTest(std::function<void(std::string_view line)> writer);

// Sets the calling thread's request id for the lifetime of this object (restoring the previous
// one after). The id must outlive the guard.
class ScopedLogRequestId {
 public:
  explicit ScopedLogRequestId(std::string_view request_id);
  ~ScopedLogRequestId();
  ScopedLogRequestId(const ScopedLogRequestId&) = delete;
  ScopedLogRequestId& operator=(const ScopedLogRequestId&) = delete;

 private:
  std::string_view previous_;
};

// Appends `s` to `out` as the inside of a JSON string (quotes not included); invalid UTF-8 bytes
// become U+FFFD so that every line stays valid JSON.
void AppendJsonEscaped(std::string& out, std::string_view s);

}  // namespace beian::core
