// The notification outbox and the development mailbox (issue 9). A notification is written by
// the transaction of the event that causes it (Enqueue, with a dedupe key, so a retried or
// repeated transaction enqueues once); workers (src/notify/) claim due rows with a lease, deliver
// them, and mark them sent, pending again later (retry), or failed (parked). A worker that dies
// leaves its lease behind; once it runs out another worker claims the row again.
//
// The claim is one statement: on PostgreSQL the candidate rows are locked FOR UPDATE SKIP LOCKED
// (run it READ COMMITTED), so concurrent workers in any number of processes never claim the same
// row; on SQLite the single writer serialises the conditional UPDATE. Every later mark is
// conditional on the lease still being the caller's.
// Timestamps are unix milliseconds (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

// States of a notification (the words of the API and the database).
inline constexpr std::string_view kNotificationPending = "pending";
inline constexpr std::string_view kNotificationSending = "sending";
inline constexpr std::string_view kNotificationSent = "sent";
inline constexpr std::string_view kNotificationFailed = "failed";
inline constexpr std::string_view kNotificationCancelled = "cancelled";

struct NewNotification {
  std::string dedupe_key = {};    // unique: a second Enqueue with the same key is a no-op
  std::string recipient_id = {};  // the account it concerns ("" when none)
  std::string channel = {};       // "email" | "sms"
  std::string address = {};       // e-mail address or mobile number
  std::string template_id = {};
  std::string params_json = "{}";
  std::string locale = "zh-CN";
  int64_t created_at_ms = 0;
};

struct Notification {
  std::string id;
  std::string dedupe_key;
  std::string recipient_id;
  std::string channel;
  std::string address;
  std::string template_id;
  std::string params_json;
  std::string locale;
  std::string state;
  int64_t attempts = 0;
  int64_t next_attempt_at_ms = 0;
  std::optional<std::string> lease_owner;
  std::optional<int64_t> lease_until_ms;
  std::string last_error;
  std::string subject;    // as rendered when sent
  std::string body_text;  // as rendered when sent
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::optional<int64_t> sent_at_ms;
};

struct NotificationPage {
  std::vector<Notification> items;
  std::string next_cursor;  // empty on the last page
};

// One message in the development mailbox.
struct MailboxMessage {
  std::string id = {};
  std::string notification_id = {};
  std::string channel = {};
  std::string address = {};
  std::string subject = {};
  std::string body_text = {};
  std::string body_html = {};
  std::string template_id = {};
  std::string locale = {};
  int64_t created_at_ms = 0;
};

struct MailboxPage {
  std::vector<MailboxMessage> items;
  std::string next_cursor;  // empty on the last page
};

// Counts for /metrics.
struct OutboxStats {
  int64_t pending = 0;  // pending or sending
  int64_t failed = 0;
  std::optional<int64_t> oldest_pending_created_at_ms;
};

class NotificationRepo {
 public:
  explicit NotificationRepo(Tx& tx) : tx_(tx) {}

  // Inserts a pending row due at once. Returns the stored row, or nullopt when a row with the
  // same dedupe key exists (nothing written). kValidationFailed for an unknown channel/locale.
  core::Result<std::optional<Notification>> Enqueue(const NewNotification& n);

  // Claims up to `limit` rows that are due (pending with next_attempt_at <= now, or sending
  // with an expired lease) and have had fewer than `max_attempts` attempts: they become
  // `sending`, leased to `owner` until now + lease_ms, attempts + 1. Oldest due first.
  core::Result<std::vector<Notification>> Claim(std::string_view owner, int64_t now_ms,
                                                int64_t lease_ms, int limit, int64_t max_attempts);
  // Parks rows whose lease expired after their last allowed attempt (a worker died delivering
  // them max_attempts times). Returns how many.
  core::Result<int64_t> ParkExhausted(int64_t now_ms, int64_t max_attempts);

  // The marks below change the row only while `owner` holds its lease; false otherwise (the
  // lease expired and another worker took the row). MarkSent keeps the text as sent and, when
  // `params_json` is given, replaces the parameters (secrets blanked).
  core::Result<bool> MarkSent(std::string_view id, std::string_view owner, int64_t now_ms,
                              std::string_view subject, std::string_view body_text,
                              std::optional<std::string_view> params_json = std::nullopt);
  core::Result<bool> MarkRetry(std::string_view id, std::string_view owner, int64_t now_ms,
                               int64_t next_attempt_at_ms, std::string_view error);
  core::Result<bool> MarkFailed(std::string_view id, std::string_view owner, int64_t now_ms,
                                std::string_view error);
  // Gives a claimed row back without counting the attempt (a worker stopping before it began).
  core::Result<bool> Release(std::string_view id, std::string_view owner, int64_t now_ms);

  core::Result<std::optional<Notification>> Find(std::string_view id);
  // One account's notifications, newest first, `limit` (1…100) per page after `cursor`.
  core::Result<NotificationPage> ListForRecipient(std::string_view recipient_id, int limit,
                                                  std::string_view cursor);
  core::Result<OutboxStats> Stats();

  // Operators' view: notifications in `state` (any state when ""), newest first, `limit`
  // (1…100) per page after `cursor`. kValidationFailed for an unknown state or a bad cursor.
  core::Result<NotificationPage> ListByState(std::string_view state, int limit,
                                             std::string_view cursor);
  // An operator's retry: a failed or cancelled row becomes pending, due now, with a fresh
  // attempt count (its last_error stays until the next attempt). False when the row is in
  // another state (pending, sending, sent) or missing.
  core::Result<bool> RetryNow(std::string_view id, int64_t now_ms);
  // An operator's cancel: a pending or failed row becomes cancelled and is never sent. False
  // when the row is being delivered, already sent or cancelled, or missing.
  core::Result<bool> Cancel(std::string_view id, int64_t now_ms);

 private:
  Tx& tx_;
};

class MailboxRepo {
 public:
  explicit MailboxRepo(Tx& tx) : tx_(tx) {}

  // Stores a delivered message; a second delivery of the same notification is a no-op
  // (returns false).
  core::Result<bool> Insert(const MailboxMessage& m);
  // Newest first, `limit` (1…100) per page after `cursor`.
  core::Result<MailboxPage> List(int limit, std::string_view cursor);
  core::Result<int64_t> CountFor(std::string_view notification_id);

 private:
  Tx& tx_;
};

}  // namespace beian::store
