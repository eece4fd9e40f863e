// NotificationRepo and MailboxRepo: named statements for the outbox and the development mailbox.
#include "store/notifications.h"

#include <algorithm>
#include <charconv>

#include "core/crypto.h"

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;

#define BEIAN_NOTIFICATION_COLUMNS                                                        \
  "id, dedupe_key, recipient_id, channel, address, template, params, locale, state, "     \
  "attempts, next_attempt_at, lease_owner, lease_until, last_error, subject, body_text, " \
  "created_at, updated_at, sent_at"

constexpr Statement kEnqueue{
    "notifications.enqueue",
    "INSERT INTO notifications (id, dedupe_key, recipient_id, channel, address, template, params,"
    " locale, state, attempts, next_attempt_at, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9, $9)"
    " ON CONFLICT (dedupe_key) DO NOTHING RETURNING " BEIAN_NOTIFICATION_COLUMNS};

// The due rows: pending and due, or sending with an expired lease; under the attempt limit.
#define BEIAN_DUE_ROWS                                                                          \
  "SELECT id FROM notifications WHERE ((state = 'pending' AND next_attempt_at <= $3)"           \
  " OR (state = 'sending' AND lease_until <= $3)) AND attempts < $5 ORDER BY next_attempt_at, " \
  "id LIMIT $4"

constexpr Statement kClaim{
    "notifications.claim",
    "UPDATE notifications SET state = 'sending', lease_owner = $1, lease_until = $2,"
    " attempts = attempts + 1, updated_at = $3 WHERE id IN (" BEIAN_DUE_ROWS
    ") RETURNING " BEIAN_NOTIFICATION_COLUMNS,
    "UPDATE notifications SET state = 'sending', lease_owner = $1, lease_until = $2,"
    " attempts = attempts + 1, updated_at = $3 WHERE id IN (" BEIAN_DUE_ROWS
    " FOR UPDATE SKIP LOCKED) RETURNING " BEIAN_NOTIFICATION_COLUMNS};

#undef BEIAN_DUE_ROWS

constexpr Statement kParkExhausted{
    "notifications.park_exhausted",
    "UPDATE notifications SET state = 'failed', lease_owner = NULL, lease_until = NULL,"
    " updated_at = $1, last_error = 'the lease of the last allowed attempt expired (the worker"
    " stopped or died while delivering)' WHERE state = 'sending' AND lease_until <= $1"
    " AND attempts >= $2"};

constexpr Statement kMarkSent{
    "notifications.mark_sent",
    "UPDATE notifications SET state = 'sent', lease_owner = NULL, lease_until = NULL,"
    " sent_at = $3, updated_at = $3, subject = $4, body_text = $5, last_error = ''"
    " WHERE id = $1 AND lease_owner = $2 AND state = 'sending'"};
// The same, replacing the parameters: a message with secrets keeps none once sent.
constexpr Statement kMarkSentReplacingParams{
    "notifications.mark_sent_replacing_params",
    "UPDATE notifications SET state = 'sent', lease_owner = NULL, lease_until = NULL,"
    " sent_at = $3, updated_at = $3, subject = $4, body_text = $5, last_error = '', params = $6"
    " WHERE id = $1 AND lease_owner = $2 AND state = 'sending'"};
constexpr Statement kMarkRetry{
    "notifications.mark_retry",
    "UPDATE notifications SET state = 'pending', lease_owner = NULL, lease_until = NULL,"
    " updated_at = $3, next_attempt_at = $4, last_error = $5"
    " WHERE id = $1 AND lease_owner = $2 AND state = 'sending'"};
constexpr Statement kMarkFailed{
    "notifications.mark_failed",
    "UPDATE notifications SET state = 'failed', lease_owner = NULL, lease_until = NULL,"
    " updated_at = $3, last_error = $4 WHERE id = $1 AND lease_owner = $2 AND state = 'sending'"};
constexpr Statement kRelease{
    "notifications.release",
    "UPDATE notifications SET state = 'pending', lease_owner = NULL, lease_until = NULL,"
    " updated_at = $3, attempts = attempts - 1"
    " WHERE id = $1 AND lease_owner = $2 AND state = 'sending'"};

constexpr Statement kFind{"notifications.find",
                          "SELECT " BEIAN_NOTIFICATION_COLUMNS " FROM notifications WHERE id = $1"};
constexpr Statement kRecipientFirst{"notifications.recipient_first",
                                    "SELECT " BEIAN_NOTIFICATION_COLUMNS
                                    " FROM notifications WHERE recipient_id = $1"
                                    " ORDER BY created_at DESC, id DESC LIMIT $2"};
constexpr Statement kRecipientNext{"notifications.recipient_next",
                                   "SELECT " BEIAN_NOTIFICATION_COLUMNS
                                   " FROM notifications WHERE recipient_id = $1"
                                   " AND (created_at < $3 OR (created_at = $3 AND id < $4))"
                                   " ORDER BY created_at DESC, id DESC LIMIT $2"};
constexpr Statement kStats{
    "notifications.stats",
    "SELECT CAST(COALESCE(SUM(CASE WHEN state IN ('pending', 'sending') THEN 1 ELSE 0 END), 0)"
    " AS BIGINT), CAST(COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT),"
    " MIN(CASE WHEN state IN ('pending', 'sending') THEN created_at END) FROM notifications"};

constexpr Statement kStateFirst{"notifications.state_first",
                                "SELECT " BEIAN_NOTIFICATION_COLUMNS
                                " FROM notifications WHERE (CAST($1 AS TEXT) = '' OR state = $1)"
                                " ORDER BY created_at DESC, id DESC LIMIT $2"};
constexpr Statement kStateNext{"notifications.state_next",
                               "SELECT " BEIAN_NOTIFICATION_COLUMNS
                               " FROM notifications WHERE (CAST($1 AS TEXT) = '' OR state = $1)"
                               " AND (created_at < $3 OR (created_at = $3 AND id < $4))"
                               " ORDER BY created_at DESC, id DESC LIMIT $2"};
constexpr Statement kRetryNow{
    "notifications.retry_now",
    "UPDATE notifications SET state = 'pending', attempts = 0, next_attempt_at = $2,"
    " updated_at = $2 WHERE id = $1 AND state IN ('failed', 'cancelled')"};
constexpr Statement kCancel{"notifications.cancel",
                            "UPDATE notifications SET state = 'cancelled', updated_at = $2"
                            " WHERE id = $1 AND state IN ('pending', 'failed')"};

#undef BEIAN_NOTIFICATION_COLUMNS

#define BEIAN_MAILBOX_COLUMNS                                                                \
  "id, notification_id, channel, address, subject, body_text, body_html, template, locale, " \
  "created_at"
constexpr Statement kMailboxInsert{"mailbox.insert",
                                   "INSERT INTO mailbox (" BEIAN_MAILBOX_COLUMNS
                                   ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                                   " ON CONFLICT (notification_id) DO NOTHING"};
constexpr Statement kMailboxFirst{"mailbox.first",
                                  "SELECT " BEIAN_MAILBOX_COLUMNS
                                  " FROM mailbox ORDER BY created_at DESC, id DESC LIMIT $1"};
constexpr Statement kMailboxNext{"mailbox.next",
                                 "SELECT " BEIAN_MAILBOX_COLUMNS
                                 " FROM mailbox WHERE created_at < $2 OR (created_at = $2 AND "
                                 "id < $3) ORDER BY created_at DESC, id DESC LIMIT $1"};
constexpr Statement kMailboxCount{"mailbox.count_for",
                                  "SELECT count(*) FROM mailbox WHERE notification_id = $1"};
#undef BEIAN_MAILBOX_COLUMNS

Error Invalid(std::string field, std::string message) {
  return Error(ErrorCode::kValidationFailed, message, {{std::move(field), "invalid", message}});
}

Result<int> CheckLimit(int limit) {
  if (limit < 1 || limit > 100) return Invalid("limit", "limit must be between 1 and 100");
  return limit;
}

// Cursor "<created_at_ms>.<id>" of the last item of the previous page.
struct Cursor {
  int64_t created_at_ms = 0;
  std::string id;
};

Result<Cursor> ParseCursor(std::string_view cursor) {
  const auto dot = cursor.find('.');
  Cursor c;
  bool ok = dot != std::string_view::npos && dot > 0 && dot + 1 < cursor.size();
  if (ok) {
    auto [ptr, ec] = std::from_chars(cursor.data(), cursor.data() + dot, c.created_at_ms);
    ok = ec == std::errc() && ptr == cursor.data() + dot;
  }
  if (!ok) return Invalid("cursor", "malformed cursor");
  c.id = std::string(cursor.substr(dot + 1));
  return c;
}

Result<Notification> NotificationFromRow(const Row& row) {
  Notification n;
  BEIAN_ASSIGN_OR_RETURN(n.id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(n.dedupe_key, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(n.recipient_id, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(n.channel, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(n.address, row.GetText(4));
  BEIAN_ASSIGN_OR_RETURN(n.template_id, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(n.params_json, row.GetText(6));
  BEIAN_ASSIGN_OR_RETURN(n.locale, row.GetText(7));
  BEIAN_ASSIGN_OR_RETURN(n.state, row.GetText(8));
  BEIAN_ASSIGN_OR_RETURN(n.attempts, row.GetInt(9));
  BEIAN_ASSIGN_OR_RETURN(n.next_attempt_at_ms, row.GetInt(10));
  BEIAN_ASSIGN_OR_RETURN(n.lease_owner, row.GetOptionalText(11));
  BEIAN_ASSIGN_OR_RETURN(n.lease_until_ms, row.GetOptionalInt(12));
  BEIAN_ASSIGN_OR_RETURN(n.last_error, row.GetText(13));
  BEIAN_ASSIGN_OR_RETURN(n.subject, row.GetText(14));
  BEIAN_ASSIGN_OR_RETURN(n.body_text, row.GetText(15));
  BEIAN_ASSIGN_OR_RETURN(n.created_at_ms, row.GetInt(16));
  BEIAN_ASSIGN_OR_RETURN(n.updated_at_ms, row.GetInt(17));
  BEIAN_ASSIGN_OR_RETURN(n.sent_at_ms, row.GetOptionalInt(18));
  return n;
}

Result<MailboxMessage> MailboxFromRow(const Row& row) {
  MailboxMessage m;
  BEIAN_ASSIGN_OR_RETURN(m.id, row.GetText(0));
  BEIAN_ASSIGN_OR_RETURN(m.notification_id, row.GetText(1));
  BEIAN_ASSIGN_OR_RETURN(m.channel, row.GetText(2));
  BEIAN_ASSIGN_OR_RETURN(m.address, row.GetText(3));
  BEIAN_ASSIGN_OR_RETURN(m.subject, row.GetText(4));
  BEIAN_ASSIGN_OR_RETURN(m.body_text, row.GetText(5));
  BEIAN_ASSIGN_OR_RETURN(m.body_html, row.GetText(6));
  BEIAN_ASSIGN_OR_RETURN(m.template_id, row.GetText(7));
  BEIAN_ASSIGN_OR_RETURN(m.locale, row.GetText(8));
  BEIAN_ASSIGN_OR_RETURN(m.created_at_ms, row.GetInt(9));
  return m;
}

}  // namespace

Result<std::optional<Notification>> NotificationRepo::Enqueue(const NewNotification& n) {
  if (n.channel != "email" && n.channel != "sms") {
    return Invalid("channel", "unknown channel: " + n.channel);
  }
  if (n.locale != "zh-CN" && n.locale != "en") {
    return Invalid("locale", "unknown locale: " + n.locale);
  }
  BEIAN_ASSIGN_OR_RETURN(
      auto row,
      tx_.QueryOne(kEnqueue, {core::RandomId(), n.dedupe_key, n.recipient_id, n.channel, n.address,
                              n.template_id, n.params_json, n.locale, n.created_at_ms}));
  if (!row) return std::optional<Notification>();
  BEIAN_ASSIGN_OR_RETURN(Notification stored, NotificationFromRow(*row));
  return std::optional<Notification>(std::move(stored));
}

Result<std::vector<Notification>> NotificationRepo::Claim(std::string_view owner, int64_t now_ms,
                                                          int64_t lease_ms, int limit,
                                                          int64_t max_attempts) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kClaim, {owner, now_ms + lease_ms, now_ms,
                                                       int64_t{limit}, max_attempts}));
  std::vector<Notification> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    BEIAN_ASSIGN_OR_RETURN(Notification n, NotificationFromRow(row));
    out.push_back(std::move(n));
  }
  std::sort(out.begin(), out.end(), [](const Notification& a, const Notification& b) {
    return a.next_attempt_at_ms != b.next_attempt_at_ms
               ? a.next_attempt_at_ms < b.next_attempt_at_ms
               : a.id < b.id;
  });
  return out;
}

Result<int64_t> NotificationRepo::ParkExhausted(int64_t now_ms, int64_t max_attempts) {
  return tx_.Exec(kParkExhausted, {now_ms, max_attempts});
}

Result<bool> NotificationRepo::MarkSent(std::string_view id, std::string_view owner, int64_t now_ms,
                                        std::string_view subject, std::string_view body_text,
                                        std::optional<std::string_view> params_json) {
  if (params_json) {
    BEIAN_ASSIGN_OR_RETURN(
        int64_t n,
        tx_.Exec(kMarkSentReplacingParams, {id, owner, now_ms, subject, body_text, *params_json}));
    return n == 1;
  }
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kMarkSent, {id, owner, now_ms, subject, body_text}));
  return n == 1;
}

Result<bool> NotificationRepo::MarkRetry(std::string_view id, std::string_view owner,
                                         int64_t now_ms, int64_t next_attempt_at_ms,
                                         std::string_view error) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n,
                         tx_.Exec(kMarkRetry, {id, owner, now_ms, next_attempt_at_ms, error}));
  return n == 1;
}

Result<bool> NotificationRepo::MarkFailed(std::string_view id, std::string_view owner,
                                          int64_t now_ms, std::string_view error) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kMarkFailed, {id, owner, now_ms, error}));
  return n == 1;
}

Result<bool> NotificationRepo::Release(std::string_view id, std::string_view owner,
                                       int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kRelease, {id, owner, now_ms}));
  return n == 1;
}

Result<std::optional<Notification>> NotificationRepo::Find(std::string_view id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kFind, {id}));
  if (!row) return std::optional<Notification>();
  BEIAN_ASSIGN_OR_RETURN(Notification n, NotificationFromRow(*row));
  return std::optional<Notification>(std::move(n));
}

Result<NotificationPage> NotificationRepo::ListForRecipient(std::string_view recipient_id,
                                                            int limit, std::string_view cursor) {
  BEIAN_TRY(CheckLimit(limit));
  const int64_t fetch = int64_t{limit} + 1;  // one more tells whether a page follows
  std::vector<Row> rows;
  if (cursor.empty()) {
    BEIAN_ASSIGN_OR_RETURN(rows, tx_.Query(kRecipientFirst, {recipient_id, fetch}));
  } else {
    BEIAN_ASSIGN_OR_RETURN(Cursor c, ParseCursor(cursor));
    BEIAN_ASSIGN_OR_RETURN(rows,
                           tx_.Query(kRecipientNext, {recipient_id, fetch, c.created_at_ms, c.id}));
  }
  NotificationPage page;
  for (const Row& row : rows) {
    if (page.items.size() == static_cast<size_t>(limit)) {
      page.next_cursor =
          std::to_string(page.items.back().created_at_ms) + "." + page.items.back().id;
      break;
    }
    BEIAN_ASSIGN_OR_RETURN(Notification n, NotificationFromRow(row));
    page.items.push_back(std::move(n));
  }
  return page;
}

Result<OutboxStats> NotificationRepo::Stats() {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kStats));
  OutboxStats s;
  BEIAN_ASSIGN_OR_RETURN(s.pending, row->GetInt(0));
  BEIAN_ASSIGN_OR_RETURN(s.failed, row->GetInt(1));
  BEIAN_ASSIGN_OR_RETURN(s.oldest_pending_created_at_ms, row->GetOptionalInt(2));
  return s;
}

Result<NotificationPage> NotificationRepo::ListByState(std::string_view state, int limit,
                                                       std::string_view cursor) {
  BEIAN_TRY(CheckLimit(limit));
  if (!state.empty() && state != kNotificationPending && state != kNotificationSending &&
      state != kNotificationSent && state != kNotificationFailed &&
      state != kNotificationCancelled) {
    return Invalid("state", "unknown state: " + std::string(state));
  }
  const int64_t fetch = int64_t{limit} + 1;
  std::vector<Row> rows;
  if (cursor.empty()) {
    BEIAN_ASSIGN_OR_RETURN(rows, tx_.Query(kStateFirst, {state, fetch}));
  } else {
    BEIAN_ASSIGN_OR_RETURN(Cursor c, ParseCursor(cursor));
    BEIAN_ASSIGN_OR_RETURN(rows, tx_.Query(kStateNext, {state, fetch, c.created_at_ms, c.id}));
  }
  NotificationPage page;
  for (const Row& row : rows) {
    if (page.items.size() == static_cast<size_t>(limit)) {
      page.next_cursor =
          std::to_string(page.items.back().created_at_ms) + "." + page.items.back().id;
      break;
    }
    BEIAN_ASSIGN_OR_RETURN(Notification n, NotificationFromRow(row));
    page.items.push_back(std::move(n));
  }
  return page;
}

Result<bool> NotificationRepo::RetryNow(std::string_view id, int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kRetryNow, {id, now_ms}));
  return n == 1;
}

Result<bool> NotificationRepo::Cancel(std::string_view id, int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kCancel, {id, now_ms}));
  return n == 1;
}

Result<bool> MailboxRepo::Insert(const MailboxMessage& m) {
  BEIAN_ASSIGN_OR_RETURN(
      int64_t n,
      tx_.Exec(kMailboxInsert,
               {m.id.empty() ? core::RandomId() : m.id, m.notification_id, m.channel, m.address,
                m.subject, m.body_text, m.body_html, m.template_id, m.locale, m.created_at_ms}));
  return n == 1;
}

Result<MailboxPage> MailboxRepo::List(int limit, std::string_view cursor) {
  BEIAN_TRY(CheckLimit(limit));
  const int64_t fetch = int64_t{limit} + 1;
  std::vector<Row> rows;
  if (cursor.empty()) {
    BEIAN_ASSIGN_OR_RETURN(rows, tx_.Query(kMailboxFirst, {fetch}));
  } else {
    BEIAN_ASSIGN_OR_RETURN(Cursor c, ParseCursor(cursor));
    BEIAN_ASSIGN_OR_RETURN(rows, tx_.Query(kMailboxNext, {fetch, c.created_at_ms, c.id}));
  }
  MailboxPage page;
  for (const Row& row : rows) {
    if (page.items.size() == static_cast<size_t>(limit)) {
      page.next_cursor =
          std::to_string(page.items.back().created_at_ms) + "." + page.items.back().id;
      break;
    }
    BEIAN_ASSIGN_OR_RETURN(MailboxMessage m, MailboxFromRow(row));
    page.items.push_back(std::move(m));
  }
  return page;
}

Result<int64_t> MailboxRepo::CountFor(std::string_view notification_id) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kMailboxCount, {notification_id}));
  return row->GetInt(0);
}

}  // namespace beian::store
