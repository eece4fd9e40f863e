-- Accounts: users, browser sessions and login throttling (PostgreSQL).
-- Timestamps are BIGINT unix milliseconds (UTC) in both dialects. Unique constraints are named
-- "<table>.<columns>", the form SQLite reports, so callers see one name on both backends.
CREATE TABLE users (
  id TEXT NOT NULL CONSTRAINT "users.id" PRIMARY KEY,
  email TEXT NOT NULL CONSTRAINT "users.email" UNIQUE,
  phone TEXT NOT NULL DEFAULT '',
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('applicant', 'reviewer', 'admin', 'authority_reviewer')),
  password_hash TEXT NOT NULL,
  locale TEXT NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  created_at BIGINT NOT NULL
);
CREATE INDEX users_created_at ON users (created_at, id);

CREATE TABLE sessions (
  id TEXT NOT NULL CONSTRAINT "sessions.id" PRIMARY KEY,
  token_hash TEXT NOT NULL CONSTRAINT "sessions.token_hash" UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  client_address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE login_throttle (
  key TEXT NOT NULL CONSTRAINT "login_throttle.key" PRIMARY KEY,
  failures BIGINT NOT NULL,
  window_start BIGINT NOT NULL,
  locked_until BIGINT NOT NULL DEFAULT 0
);
