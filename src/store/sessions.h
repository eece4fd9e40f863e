// Browser sessions: the server keeps only a hash of each session token (computed by the caller,
// e.g. core::HashToken), so a leaked database does not leak live sessions. Sessions die with
// their user (ON DELETE CASCADE). Timestamps are unix milliseconds (UTC). Use inside a
// transaction, like UserRepo.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/database.h"
#include "store/users.h"

namespace beian::store {

struct NewSession {
  std::string id;          // empty: a random 128-bit hex id is assigned
  std::string token_hash;  // unique
  std::string user_id;
  std::string csrf_token;
  int64_t created_at_ms = 0;  // also the first last_seen_at
  int64_t expires_at_ms = 0;
  std::string client_address;
};

struct Session {
  std::string id;
  std::string token_hash;
  std::string user_id;
  std::string csrf_token;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  int64_t last_seen_at_ms = 0;
  std::string client_address;
};

struct SessionWithUser {
  Session session;
  User user;
};

class SessionRepo {
 public:
  explicit SessionRepo(Tx& tx) : tx_(tx) {}

  // kConflict when the token hash or id exists; kDatabase when the user does not.
  core::Result<Session> Create(const NewSession& s);
  // The session with this token hash if it expires after `now_ms`, with its user.
  core::Result<std::optional<SessionWithUser>> FindValidByTokenHash(std::string_view token_hash,
                                                                    int64_t now_ms);
  // True when a session was deleted.
  core::Result<bool> Delete(std::string_view id);
  // Number of sessions deleted.
  core::Result<int64_t> DeleteForUser(std::string_view user_id);
  // Keeps the user's `keep` newest sessions (by creation time) and deletes the rest; returns
  // how many were deleted.
  core::Result<int64_t> DeleteOldestBeyond(std::string_view user_id, int64_t keep);
  // Sets last_seen_at (only forward in time). One primary-key update; callers that already
  // hold the session may skip it when last_seen_at is recent, to save a write per request.
  // True when the session exists and was moved forward.
  core::Result<bool> Touch(std::string_view id, int64_t now_ms);
  // Deletes sessions that expired at or before `now_ms`; returns how many.
  core::Result<int64_t> DeleteExpired(int64_t now_ms);

 private:
  Tx& tx_;
};

}  // namespace beian::store
