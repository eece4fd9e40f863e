-- Notifications (issue 9): the transactional outbox and the development mailbox (PostgreSQL).
-- A notification row is written in the same transaction as the event that causes it; workers
-- claim due rows with FOR UPDATE SKIP LOCKED and a lease (lease_owner, lease_until), deliver,
-- and mark them sent, schedule a retry (pending again, next_attempt_at later) or park them as
-- failed. dedupe_key makes the same event enqueue once per channel.
CREATE TABLE notifications (
  id TEXT NOT NULL CONSTRAINT "notifications.id" PRIMARY KEY,
  dedupe_key TEXT NOT NULL CONSTRAINT "notifications.dedupe_key" UNIQUE,
  recipient_id TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  address TEXT NOT NULL,
  template TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  locale TEXT NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  body_text TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX notifications_due ON notifications (state, next_attempt_at);
CREATE INDEX notifications_lease ON notifications (state, lease_until);
CREATE INDEX notifications_recipient ON notifications (recipient_id, created_at, id);

CREATE TABLE mailbox (
  id TEXT NOT NULL CONSTRAINT "mailbox.id" PRIMARY KEY,
  notification_id TEXT NOT NULL CONSTRAINT "mailbox.notification_id" UNIQUE,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  address TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL DEFAULT '',
  template TEXT NOT NULL,
  locale TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX mailbox_created_at ON mailbox (created_at, id);
