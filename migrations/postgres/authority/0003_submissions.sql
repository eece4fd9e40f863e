-- Submissions handed over by providers, SMS verification, the authority's review and the
-- results outbox back to the providers (issue 10 items 3–6; contract §2) (PostgreSQL).
-- submissions: one row per (provider, provider_submission_id); `payload_sealed` is the received
-- JSON without the documents, sealed with core::PiiCipher; `certificate_hash` the PiiCipher
-- keyed hash of the canonical certificate number; `domains` the registrable punycode domains
-- (JSON array) for lists; claimed_by/claim_until the reviewer's claim (taken with one
-- conditional UPDATE); review_deadline = review_started_at + 20 working days (rules' calendar,
-- computed by the service); `approval` the approval JSON once approved ({subject_sn, new_subject,
-- websites:[{name, domains, website_sn}]}); `version` grows by one at every transition.
CREATE TABLE submissions (
  id TEXT NOT NULL CONSTRAINT "submissions.id" PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers (id),
  provider_submission_id TEXT NOT NULL,
  application_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('sms_verification', 'under_review', 'approved',
                                       'rejected', 'expired')),
  filing_type TEXT NOT NULL,
  province TEXT NOT NULL,
  organizer_type TEXT NOT NULL,
  organizer_name TEXT NOT NULL,
  certificate_type TEXT NOT NULL,
  certificate_hash TEXT NOT NULL,
  payload_sealed TEXT NOT NULL,
  domains TEXT NOT NULL DEFAULT '[]',
  beian_sn TEXT,
  sms_deadline BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  review_started_at BIGINT,
  review_deadline BIGINT,
  decided_at BIGINT,
  decided_by TEXT,
  claimed_by TEXT,
  claim_until BIGINT,
  subject_sn TEXT,
  approval TEXT,
  version BIGINT NOT NULL CHECK (version >= 1),
  updated_at BIGINT NOT NULL,
  CONSTRAINT "submissions.provider_id, provider_submission_id" UNIQUE (provider_id, provider_submission_id)
);
CREATE INDEX submissions_state ON submissions (state, received_at, id);
CREATE INDEX submissions_received ON submissions (received_at, id);
CREATE INDEX submissions_sms_deadline ON submissions (state, sms_deadline);

-- The documents of a submission; the bytes are in the authority's FileBlobStore under blob_key.
CREATE TABLE submission_documents (
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  doc_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL CHECK (size >= 0),
  sha256 TEXT NOT NULL,
  blob_key TEXT NOT NULL,
  CONSTRAINT "submission_documents.submission_id, doc_id" PRIMARY KEY (submission_id, doc_id)
);

-- The timeline of a submission: one row per transition (and one for the arrival), never
-- changed or deleted.
CREATE TABLE submission_events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY CONSTRAINT "submission_events.seq" PRIMARY KEY,
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  event TEXT NOT NULL,
  actor TEXT NOT NULL,
  reasons TEXT NOT NULL DEFAULT '[]',
  at BIGINT NOT NULL
);
CREATE INDEX submission_events_submission ON submission_events (submission_id, seq);
CREATE FUNCTION submission_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'submission_events is append-only';
END;
$$;
CREATE TRIGGER submission_events_no_change BEFORE UPDATE OR DELETE ON submission_events
  FOR EACH ROW EXECUTE FUNCTION submission_events_append_only();

-- One row per key of an OPEN submission (sms_verification, under_review), across providers:
-- 'cert:<certificate_type>:<certificate_hash>' and 'domain:<punycode>'. The primary key is the
-- conflict check; rows are deleted when their submission leaves the open states.
CREATE TABLE submission_open_keys (
  key TEXT NOT NULL CONSTRAINT "submission_open_keys.key" PRIMARY KEY,
  submission_id TEXT NOT NULL REFERENCES submissions (id)
);
CREATE INDEX submission_open_keys_submission ON submission_open_keys (submission_id);

-- SMS verification codes: one row per distinct mobile among a submission's sms_persons (person =
-- the first person with that mobile). Only hashes of the code, mobile and ID tail are kept; the
-- mobile itself sealed (to resend).
CREATE TABLE sms_codes (
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  person TEXT NOT NULL,
  mobile_hash TEXT NOT NULL,
  mobile_sealed TEXT NOT NULL,
  id_last6_hash TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  attempts_wrong BIGINT NOT NULL DEFAULT 0,
  resends BIGINT NOT NULL DEFAULT 0,
  sent_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  verified_at BIGINT,
  CONSTRAINT "sms_codes.submission_id, person" PRIMARY KEY (submission_id, person)
);
CREATE INDEX sms_codes_mobile ON sms_codes (mobile_hash, expires_at);

-- The results outbox to the providers (POST <callback_url>/api/v1/authority/events), written
-- in the transaction of the transition; a worker leases due rows, delivers and marks them.
CREATE TABLE provider_events (
  event_id TEXT NOT NULL CONSTRAINT "provider_events.event_id" PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers (id),
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  type TEXT NOT NULL CHECK (type IN ('under_review', 'approved', 'rejected', 'expired')),
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'delivered')),
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX provider_events_due ON provider_events (state, next_attempt_at);
CREATE INDEX provider_events_lease ON provider_events (state, lease_until);
CREATE INDEX provider_events_submission ON provider_events (submission_id, created_at);

-- Notifications on the authority database: the same tables as the agent's migration 0006, so
-- notify::Outbox and the development mailbox work here unchanged.
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
