-- Preliminary review and authenticity check (issue 7 items 5–6, 8) (PostgreSQL): reviewers'
-- claims, backdrop requests, what each rejection saw (for flagged_fields and
-- changes_since_rejection), and the hash-chained audit log of reviewers' views of full personal
-- numbers.

-- One claim per application: the primary key is the "one reviewer at a time". A claim is taken
-- with one conditional upsert (a live claim of another reviewer is never overwritten), so two
-- concurrent claims cannot both win, also from different processes. Rows are deleted when the
-- reviewer decides or releases.
CREATE TABLE review_claims (
  application_id TEXT NOT NULL CONSTRAINT "review_claims.application_id" PRIMARY KEY
    REFERENCES applications (id),
  reviewer_id TEXT NOT NULL REFERENCES users (id),
  claimed_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX review_claims_reviewer ON review_claims (reviewer_id);

-- The backdrop (幕布) an applicant asked for, one per application (a new request replaces an
-- earlier one). `mobile` is sealed by core::PiiCipher; `mobile_masked` is what lists show.
CREATE TABLE backdrop_requests (
  application_id TEXT NOT NULL CONSTRAINT "backdrop_requests.application_id" PRIMARY KEY
    REFERENCES applications (id),
  recipient TEXT NOT NULL,
  mobile TEXT NOT NULL,
  mobile_masked TEXT NOT NULL,
  address TEXT NOT NULL,
  requested_at BIGINT NOT NULL,
  carrier TEXT,
  tracking_number TEXT,
  shipped_at BIGINT
);
CREATE INDEX backdrop_requests_requested_at ON backdrop_requests (requested_at, application_id);

-- Each rejection (reject, reject_photo, later the authority's) with what it judged: the sealed
-- application body and the documents ({"kind:subject": [{"sha256", "name"}]}) at that moment,
-- beside the event row of the timeline. Never changed.
CREATE TABLE application_rejections (
  application_id TEXT NOT NULL REFERENCES applications (id),
  event_seq BIGINT NOT NULL,
  event TEXT NOT NULL,
  reasons TEXT NOT NULL,
  body TEXT NOT NULL,
  documents TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT "application_rejections.application_id, event_seq"
    PRIMARY KEY (application_id, event_seq)
);
CREATE FUNCTION application_rejections_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'application_rejections is append-only';
END;
$$;
CREATE TRIGGER application_rejections_no_update BEFORE UPDATE ON application_rejections
  FOR EACH ROW EXECUTE FUNCTION application_rejections_append_only();

-- The audit trail (DESIGN §7): append-only and hash-chained. `hash` is the hex SHA-256 of
-- `prev_hash` and this row's content (agent/audit.h says exactly how); `beian audit verify`
-- walks the chain.
CREATE TABLE audit_log (
  seq BIGINT NOT NULL CONSTRAINT "audit_log.seq" PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  application_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
