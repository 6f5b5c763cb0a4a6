-- Platform: organisations (tenants), mamori's own users, sessions, API tokens, the audit trail.
-- Times are UTC milliseconds since the Unix epoch (BIGINT). See docs/formats/schema.md.

CREATE TABLE orgs (
  id {{ID}},
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'hospital',          -- hospital | clinic | maker | soc
  is_demo INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE users (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,                              -- admin | staff | vendor | inspector | auditor
  vendor_id BIGINT,                                -- for role vendor: the vendor organisation
  password_hash TEXT NOT NULL,                     -- Argon2id, libsodium crypto_pwhash_str format
  password_changed_at BIGINT NOT NULL,
  totp_secret TEXT,                                -- base32; set at enrolment
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_required INTEGER NOT NULL DEFAULT 0,
  totp_last_step BIGINT NOT NULL DEFAULT 0,        -- last accepted time step (no replay)
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  last_login_at BIGINT
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,                     -- SHA-256 of the cookie value
  user_id BIGINT NOT NULL REFERENCES users(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,                 -- SHA-256 of the secret
  prefix TEXT NOT NULL,                            -- first characters, to recognise a token
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  last_used_at BIGINT,
  revoked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE settings (
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (org_id, key)
);

-- Append-only: mamori never updates or deletes audit_log rows. Each row's hash covers the
-- previous row's hash (audit_chain holds the head), so edits outside mamori are detectable.
CREATE TABLE audit_log (
  id {{ID}},
  org_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL DEFAULT '',
  before_json TEXT NOT NULL DEFAULT '',
  after_json TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_org_at ON audit_log(org_id, at);
CREATE INDEX audit_log_entity ON audit_log(org_id, entity, entity_id);

CREATE TABLE audit_chain (
  id INTEGER PRIMARY KEY,
  last_hash TEXT NOT NULL
);
