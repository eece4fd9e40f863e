-- Notifications (issue 9): the transactional outbox and the development mailbox (SQLite).
-- A notification row is written in the same transaction as the event that causes it; workers
-- claim due rows with a lease (lease_owner, lease_until), deliver, and mark them sent, schedule
-- a retry (pending again, next_attempt_at later) or park them as failed. dedupe_key makes the
-- same event enqueue once per channel however often its transaction is retried.
CREATE TABLE notifications (
  id TEXT NOT NULL PRIMARY KEY,
  dedupe_key TEXT NOT NULL UNIQUE,
  recipient_id TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  address TEXT NOT NULL,
  template TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  locale TEXT NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  body_text TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER
) STRICT;
-- The workers' claim: due pending rows, and rows whose lease ran out.
CREATE INDEX notifications_due ON notifications (state, next_attempt_at);
CREATE INDEX notifications_lease ON notifications (state, lease_until);
-- An account's history, newest first.
CREATE INDEX notifications_recipient ON notifications (recipient_id, created_at, id);

-- Development mailbox: where messages go when no SMTP server and no SMS gateway is configured.
CREATE TABLE mailbox (
  id TEXT NOT NULL PRIMARY KEY,
  notification_id TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  address TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL DEFAULT '',
  template TEXT NOT NULL,
  locale TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX mailbox_created_at ON mailbox (created_at, id);
