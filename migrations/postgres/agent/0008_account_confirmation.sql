-- Account confirmation and password reset (issue 9 item 8) (PostgreSQL).
-- account_confirmations holds a row only for self-registered accounts: a user without one
-- (created by `beian admin create-user`, the demo data, or registered before this migration)
-- counts as confirmed. account_tokens holds the one-time e-mail links and mobile codes, hashed:
-- the link token or code itself is only ever in the message sent.
CREATE TABLE account_confirmations (
  user_id TEXT NOT NULL CONSTRAINT "account_confirmations.user_id" PRIMARY KEY
    REFERENCES users (id) ON DELETE CASCADE,
  email_confirmed_at BIGINT,
  mobile_confirmed_at BIGINT
);

CREATE TABLE account_tokens (
  token_hash TEXT NOT NULL CONSTRAINT "account_tokens.token_hash" PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'confirm_mobile', 'password_reset')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  attempts BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose, created_at);
CREATE INDEX account_tokens_expires_at ON account_tokens (expires_at);
