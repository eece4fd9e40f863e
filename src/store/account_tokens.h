// Account confirmation and password reset (issue 9 item 8): which self-registered accounts have
// confirmed their e-mail address and mobile (account_confirmations; an account without a row —
// made by `beian admin create-user`, the demo data, or before migration 0008 — counts as
// confirmed), and the one-time e-mail links and mobile codes (account_tokens), stored only as
// hashes. Use inside a caller's transaction, like UserRepo. Timestamps are unix milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

// The purposes of a token; the database refuses any other value.
inline constexpr std::string_view kTokenConfirmEmail = "confirm_email";
inline constexpr std::string_view kTokenConfirmMobile = "confirm_mobile";
inline constexpr std::string_view kTokenPasswordReset = "password_reset";

struct Confirmation {
  bool email_confirmed = true;
  bool mobile_confirmed = true;
};

struct AccountToken {
  std::string token_hash;
  std::string user_id;
  std::string purpose;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  std::optional<int64_t> used_at_ms = std::nullopt;
  int64_t attempts = 0;
};

class AccountTokenRepo {
 public:
  explicit AccountTokenRepo(Tx& tx) : tx_(tx) {}

  // Marks a new self-registered account as unconfirmed on both counts.
  core::Status StartConfirmation(std::string_view user_id);
  // The account's state; both true when it has no row.
  core::Result<Confirmation> GetConfirmation(std::string_view user_id);
  core::Status ConfirmEmail(std::string_view user_id, int64_t now_ms);
  core::Status ConfirmMobile(std::string_view user_id, int64_t now_ms);

  // Stores a token; any earlier unused token of the same user and purpose is voided (used_at
  // set), so only the newest link or code works.
  core::Status Issue(const AccountToken& t);
  core::Result<std::optional<AccountToken>> FindByHash(std::string_view token_hash);
  // The newest unused token of the user for `purpose`.
  core::Result<std::optional<AccountToken>> FindLatestUnused(std::string_view user_id,
                                                             std::string_view purpose);
  // Marks the token used, once: false when it was used already (a concurrent use won).
  core::Result<bool> MarkUsed(std::string_view token_hash, int64_t now_ms);
  // Counts a wrong guess at a mobile code; returns the attempts after it.
  core::Result<int64_t> CountAttempt(std::string_view token_hash);
  // Housekeeping: deletes tokens that expired before `before_ms`; returns how many.
  core::Result<int64_t> DeleteExpired(int64_t before_ms);

 private:
  Tx& tx_;
};

}  // namespace beian::store
