-- Inventory: the server instances and domains this provider sells, each belonging to one
-- applicant account (PostgreSQL). Expiry is a calendar date 'YYYY-MM-DD' (or NULL: none), kept
-- as text like SQLite's; created_at is unix milliseconds. Domain names are stored as their
-- registrable domain in punycode (the key every look-up uses) beside the Unicode form people read.
CREATE TABLE inventory_instances (
  id TEXT NOT NULL CONSTRAINT "inventory_instances.id" PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  product TEXT NOT NULL,
  region TEXT NOT NULL,
  mainland BOOLEAN NOT NULL,
  public_ip TEXT,
  billing TEXT NOT NULL CHECK (billing IN ('subscription', 'pay_as_you_go')),
  expires_at TEXT,
  service_codes_total BIGINT NOT NULL CHECK (service_codes_total >= 0),
  service_codes_used BIGINT NOT NULL DEFAULT 0
    CHECK (service_codes_used >= 0 AND service_codes_used <= service_codes_total),
  created_at BIGINT NOT NULL
);
CREATE INDEX inventory_instances_owner ON inventory_instances (owner_id, created_at, id);

CREATE TABLE inventory_domains (
  name TEXT NOT NULL CONSTRAINT "inventory_domains.name" PRIMARY KEY,
  unicode_name TEXT NOT NULL,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  holder_name TEXT NOT NULL,
  real_name_verified BOOLEAN NOT NULL,
  registrar TEXT NOT NULL DEFAULT '',
  expires_at TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX inventory_domains_owner ON inventory_domains (owner_id, created_at, name);
