-- Providers and the registry (issue 10 items 1, 2 and the numbering of item 5) (SQLite).
-- providers: the access providers that may call the signed API; their HMAC key is sealed with
-- core::PiiCipher (column "providers.key"). request_nonces: nonces seen on signed requests,
-- kept until they fall out of the timestamp window (then a replay is refused by the clock).
-- The registry never deletes: subjects and websites carry a status, a website's domains and
-- providers a validity (valid_to NULL = current). Certificate numbers are stored sealed with a
-- keyed hash beside them for look-ups; the ICP password only as an Argon2id hash.
-- sn_counters holds the last subject sequence per province and year, updated in the approving
-- transaction; the UNIQUE constraints on the SNs are the final guard (never reused).
-- registry_changes is the change feed (GET /authority/v1/registry/changes): seq comes from the
-- one-row registry_change_counter, updated in the writing transaction, so seqs commit in order
-- and a reader that saw seq N never later finds a new row below N.
CREATE TABLE providers (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  callback_url TEXT NOT NULL,
  key_sealed TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE request_nonces (
  provider_id TEXT NOT NULL REFERENCES providers (id),
  nonce TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (provider_id, nonce)
) STRICT;
CREATE INDEX request_nonces_expires_at ON request_nonces (expires_at);

CREATE TABLE registry_subjects (
  id TEXT NOT NULL PRIMARY KEY,
  subject_sn TEXT NOT NULL UNIQUE,
  province TEXT NOT NULL,
  sn_year INTEGER NOT NULL,
  sn_sequence INTEGER NOT NULL,
  certificate_type TEXT NOT NULL,
  certificate_hash TEXT NOT NULL,
  certificate_sealed TEXT NOT NULL,
  organizer_type TEXT NOT NULL,
  organizer_name TEXT NOT NULL,
  person_sealed TEXT NOT NULL DEFAULT '',
  icp_password_hash TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
  last_website_index INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (province, sn_year, sn_sequence)
) STRICT;
CREATE UNIQUE INDEX "registry_subjects.certificate_type, certificate_hash"
  ON registry_subjects (certificate_type, certificate_hash) WHERE status = 'active';
CREATE INDEX registry_subjects_certificate_hash ON registry_subjects (certificate_hash);
CREATE INDEX registry_subjects_organizer_name ON registry_subjects (organizer_name, subject_sn);

CREATE TABLE registry_websites (
  id TEXT NOT NULL PRIMARY KEY,
  subject_id TEXT NOT NULL REFERENCES registry_subjects (id),
  website_sn TEXT NOT NULL UNIQUE,
  website_index INTEGER NOT NULL CHECK (website_index >= 1),
  name TEXT NOT NULL,
  person_sealed TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
  approved_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (subject_id, website_index)
) STRICT;

CREATE TABLE registry_domains (
  domain TEXT NOT NULL,
  website_id TEXT NOT NULL REFERENCES registry_websites (id),
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  PRIMARY KEY (domain, website_id, valid_from)
) STRICT;
CREATE UNIQUE INDEX "registry_domains.domain" ON registry_domains (domain) WHERE valid_to IS NULL;
CREATE INDEX registry_domains_website ON registry_domains (website_id);

CREATE TABLE registry_website_providers (
  website_id TEXT NOT NULL REFERENCES registry_websites (id),
  provider_id TEXT NOT NULL REFERENCES providers (id),
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  PRIMARY KEY (website_id, provider_id, valid_from)
) STRICT;

CREATE TABLE sn_counters (
  province TEXT NOT NULL,
  year INTEGER NOT NULL,
  last_sequence INTEGER NOT NULL CHECK (last_sequence >= 1 AND last_sequence <= 999999),
  PRIMARY KEY (province, year)
) STRICT;

CREATE TABLE registry_change_counter (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  last_seq INTEGER NOT NULL
) STRICT;
INSERT INTO registry_change_counter (id, last_seq) VALUES (1, 0);

CREATE TABLE registry_changes (
  seq INTEGER NOT NULL PRIMARY KEY,
  website_sn TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
