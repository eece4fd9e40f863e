-- Inventory: the server instances and domains this provider sells, each belonging to one
-- applicant account (SQLite). Expiry is a calendar date 'YYYY-MM-DD' (or NULL: none), not a
-- timestamp; created_at is unix milliseconds. Domain names are stored as their registrable
-- domain in punycode (the key every look-up uses) beside the Unicode form people read.
CREATE TABLE inventory_instances (
  id TEXT NOT NULL PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  product TEXT NOT NULL,
  region TEXT NOT NULL,
  mainland INTEGER NOT NULL CHECK (mainland IN (0, 1)),
  public_ip TEXT,
  billing TEXT NOT NULL CHECK (billing IN ('subscription', 'pay_as_you_go')),
  expires_at TEXT,
  service_codes_total INTEGER NOT NULL CHECK (service_codes_total >= 0),
  service_codes_used INTEGER NOT NULL DEFAULT 0
    CHECK (service_codes_used >= 0 AND service_codes_used <= service_codes_total),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX inventory_instances_owner ON inventory_instances (owner_id, created_at, id);

CREATE TABLE inventory_domains (
  name TEXT NOT NULL PRIMARY KEY,
  unicode_name TEXT NOT NULL,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  holder_name TEXT NOT NULL,
  real_name_verified INTEGER NOT NULL CHECK (real_name_verified IN (0, 1)),
  registrar TEXT NOT NULL DEFAULT '',
  expires_at TEXT,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX inventory_domains_owner ON inventory_domains (owner_id, created_at, name);
