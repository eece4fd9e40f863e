-- Preliminary review and authenticity check (issue 7 items 5–6, 8) (SQLite): reviewers' claims,
-- backdrop requests, what each rejection saw (for flagged_fields and changes_since_rejection),
-- and the hash-chained audit log of reviewers' views of full personal numbers.

-- One claim per application: the primary key is the "one reviewer at a time". A claim is taken
-- with one conditional upsert (a live claim of another reviewer is never overwritten), so two
-- concurrent claims cannot both win. Rows are deleted when the reviewer decides or releases.
CREATE TABLE review_claims (
  application_id TEXT NOT NULL PRIMARY KEY REFERENCES applications (id),
  reviewer_id TEXT NOT NULL REFERENCES users (id),
  claimed_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX review_claims_reviewer ON review_claims (reviewer_id);

-- The backdrop (幕布) an applicant asked for, one per application (a new request replaces an
-- earlier one). `mobile` is sealed by core::PiiCipher; `mobile_masked` is what lists show.
CREATE TABLE backdrop_requests (
  application_id TEXT NOT NULL PRIMARY KEY REFERENCES applications (id),
  recipient TEXT NOT NULL,
  mobile TEXT NOT NULL,
  mobile_masked TEXT NOT NULL,
  address TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  carrier TEXT,
  tracking_number TEXT,
  shipped_at INTEGER
) STRICT;
CREATE INDEX backdrop_requests_requested_at ON backdrop_requests (requested_at, application_id);

-- Each rejection (reject, reject_photo, later the authority's) with what it judged: the sealed
-- application body and the documents ({"kind:subject": [{"sha256", "name"}]}) at that moment,
-- beside the event row of the timeline. Never changed.
CREATE TABLE application_rejections (
  application_id TEXT NOT NULL REFERENCES applications (id),
  event_seq INTEGER NOT NULL,
  event TEXT NOT NULL,
  reasons TEXT NOT NULL,
  body TEXT NOT NULL,
  documents TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (application_id, event_seq)
) STRICT;
CREATE TRIGGER application_rejections_no_update BEFORE UPDATE ON application_rejections
BEGIN
  SELECT RAISE(ABORT, 'application_rejections is append-only');
END;

-- The audit trail (DESIGN §7): append-only and hash-chained. `hash` is the hex SHA-256 of
-- `prev_hash` and this row's content (agent/audit.h says exactly how); `beian audit verify`
-- walks the chain.
CREATE TABLE audit_log (
  seq INTEGER NOT NULL PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  application_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
