-- Applications (DESIGN §5–§6): the filing applications of applicants, their append-only event
-- log, the keys that hold one open application per organizer certificate and per domain, and
-- the answers remembered for Idempotency-Key (SQLite).
-- `body` is the application JSON with identity and mobile numbers sealed by core::PiiCipher;
-- `certificate_hash` is the PiiCipher keyed hash of the canonical certificate number.
CREATE TABLE applications (
  id TEXT NOT NULL PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users (id),
  state TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  filing_type TEXT NOT NULL DEFAULT '',
  province TEXT NOT NULL DEFAULT '',
  organizer_type TEXT NOT NULL DEFAULT '',
  organizer_name TEXT NOT NULL DEFAULT '',
  certificate_hash TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  state_entered_at INTEGER NOT NULL,
  sla_deadline INTEGER
) STRICT;
CREATE INDEX applications_owner ON applications (owner_id, created_at, id);
CREATE INDEX applications_state ON applications (state, state_entered_at, id);

-- A row per open (not approved, not withdrawn) application: the primary keys are the
-- uniqueness. Rows are deleted when their application closes.
CREATE TABLE application_subject_keys (
  certificate_hash TEXT NOT NULL PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id)
) STRICT;
CREATE INDEX application_subject_keys_application ON application_subject_keys (application_id);

CREATE TABLE application_domain_keys (
  domain TEXT NOT NULL PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id)
) STRICT;
CREATE INDEX application_domain_keys_application ON application_domain_keys (application_id);

-- Every domain of every application, open or closed (the registry view of the provider's own
-- approved filings looks domains up here).
CREATE TABLE application_domains (
  application_id TEXT NOT NULL REFERENCES applications (id),
  domain TEXT NOT NULL,
  PRIMARY KEY (application_id, domain)
) STRICT;
CREATE INDEX application_domains_domain ON application_domains (domain);

-- The timeline: one row per transition (and one for the creation), never changed or deleted.
CREATE TABLE application_events (
  application_id TEXT NOT NULL REFERENCES applications (id),
  seq INTEGER NOT NULL,
  event TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  role TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  reasons TEXT NOT NULL DEFAULT '[]',
  sla TEXT,
  sla_deadline INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (application_id, seq)
) STRICT;
CREATE TRIGGER application_events_no_update BEFORE UPDATE ON application_events
BEGIN
  SELECT RAISE(ABORT, 'application_events is append-only');
END;
CREATE TRIGGER application_events_no_delete BEFORE DELETE ON application_events
BEGIN
  SELECT RAISE(ABORT, 'application_events is append-only');
END;

-- Idempotency-Key: the first successful answer per account and key, sealed (it may hold
-- personal data), with a hash of the request that produced it.
CREATE TABLE idempotency_keys (
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (owner_id, key)
) STRICT;
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
