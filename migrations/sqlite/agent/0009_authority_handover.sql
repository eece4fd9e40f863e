-- Hand-over to the authority and results back (issue 10 items 3 and 6; the authority contract
-- §1 and §4) (SQLite).
--
-- authority_handovers is the hand-over outbox: accept_photo inserts a row in its own
-- transaction; a worker claims due rows with a lease (lease_owner, lease_until), POSTs the
-- submission, and in one transaction marks the row delivered (or refused) and moves the
-- application on. The authority is idempotent on submission_id, so a row sent twice (a worker
-- killed after the POST) is still one submission. submission_id is "<application id>.<n>", n =
-- 1 + the application's earlier hand-overs. authority_state is what the agent knows of the
-- submission at the authority (the application JSON's `authority.state`): handing_over until
-- delivered, then sms_verification, under_review, approved, rejected, expired (from the events),
-- or refused (409/422 on the hand-over).
CREATE TABLE authority_handovers (
  submission_id TEXT NOT NULL PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id),
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'sending', 'delivered', 'refused')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  authority_submission_id TEXT,
  authority_state TEXT NOT NULL DEFAULT 'handing_over'
    CHECK (authority_state IN ('handing_over', 'sms_verification', 'under_review', 'approved',
                               'rejected', 'expired', 'refused')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  delivered_at INTEGER
) STRICT;
CREATE INDEX authority_handovers_due ON authority_handovers (state, next_attempt_at);
CREATE INDEX authority_handovers_lease ON authority_handovers (state, lease_until);
CREATE INDEX authority_handovers_application
  ON authority_handovers (application_id, created_at, submission_id);

-- The authority's events received on POST /api/v1/authority/events, one row per event id
-- (the primary key makes a repeat a no-op), written in the transaction that applied it.
CREATE TABLE authority_events (
  event_id TEXT NOT NULL PRIMARY KEY,
  submission_id TEXT NOT NULL,
  application_id TEXT NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX authority_events_submission ON authority_events (submission_id, received_at);

-- Nonces of the signed requests the agent received from the authority, kept until they leave
-- the timestamp window (a replay is refused by the clock after that).
CREATE TABLE authority_nonces (
  provider_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (provider_id, nonce)
) STRICT;
CREATE INDEX authority_nonces_expires_at ON authority_nonces (expires_at);
