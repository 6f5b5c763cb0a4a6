-- Incremental re-matching (issue 5): what each target looked like when it was last matched (a
-- fingerprint of its resolved components). A target whose fingerprint is unchanged is matched
-- again only against the CVEs and OSV records loaded since; a changed one in full.
CREATE TABLE vuln_match_state (
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  target TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  matched_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, target)
);
