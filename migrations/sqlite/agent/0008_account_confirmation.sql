-- Account confirmation and password reset (issue 9 item 8) (SQLite).
-- account_confirmations holds a row only for self-registered accounts: a user without one
-- (created by `beian admin create-user`, the demo data, or registered before this migration)
-- counts as confirmed. account_tokens holds the one-time e-mail links and mobile codes, hashed:
-- the link token or code itself is only ever in the message sent.
CREATE TABLE account_confirmations (
  user_id TEXT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  email_confirmed_at INTEGER,
  mobile_confirmed_at INTEGER
) STRICT;

CREATE TABLE account_tokens (
  token_hash TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'confirm_mobile', 'password_reset')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose, created_at);
CREATE INDEX account_tokens_expires_at ON account_tokens (expires_at);
