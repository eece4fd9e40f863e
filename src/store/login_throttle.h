// Login throttling state per key ("account:<email>", "ip:<address>", …): failures counted in a
// window, and a lock once they reach the caller's limit. RecordFailure is one atomic upsert, so
// concurrent failed logins on many nodes never lose a count. Timestamps are unix milliseconds.
// Use inside a transaction, like UserRepo.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

struct ThrottlePolicy {
  int64_t max_failures = 5;            // the failure that reaches this count sets the lock
  int64_t window_ms = 15 * 60 * 1000;  // failures older than this window are forgotten
  int64_t lock_ms = 15 * 60 * 1000;    // how long the lock lasts from the failure that set it
};

struct ThrottleState {
  std::string key;
  int64_t failures = 0;         // in the current window
  int64_t window_start_ms = 0;  // first failure of the current window
  int64_t locked_until_ms = 0;  // 0: never locked
  bool IsLocked(int64_t now_ms) const { return locked_until_ms > now_ms; }
};

class LoginThrottleRepo {
 public:
  explicit LoginThrottleRepo(Tx& tx) : tx_(tx) {}

  core::Result<std::optional<ThrottleState>> Get(std::string_view key);
  // Counts one failure at `now_ms`: a window older than policy.window_ms starts over at 1;
  // reaching policy.max_failures (again, while locked, too) sets locked_until = now + lock_ms.
  // Returns the state after the failure.
  core::Result<ThrottleState> RecordFailure(std::string_view key, int64_t now_ms,
                                            const ThrottlePolicy& policy);
  // Moves the key's lock forward to `until_ms` (never back): longer delays for repeated
  // failures than RecordFailure's fixed lock_ms.
  core::Status LockUntil(std::string_view key, int64_t until_ms);
  // Forgets the key (after a successful login).
  core::Status Reset(std::string_view key);
  // Deletes keys whose window began before `window_started_before_ms` and that are not locked
  // at `now_ms` (housekeeping); returns how many.
  core::Result<int64_t> DeleteStale(int64_t window_started_before_ms, int64_t now_ms);

 private:
  Tx& tx_;
};

}  // namespace beian::store
