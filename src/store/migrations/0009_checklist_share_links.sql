-- Time-limited read-only links for an inspector (保健所) to see one fiscal year's filled forms
-- and their evidence without an account. Only the SHA-256 of the token is kept.
CREATE TABLE checklist_share_links (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,             -- first characters, to recognise a link in the list
  year TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',    -- e.g. "○○保健所 立入検査 2026-12-03"
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  last_used_at BIGINT
);
CREATE INDEX checklist_share_links_org ON checklist_share_links(org_id);
