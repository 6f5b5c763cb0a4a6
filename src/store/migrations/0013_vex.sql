-- VEX (issue 5): statements of makers and PSIRTs that a product is or is not affected by a
-- vulnerability, per organisation (a hospital keeps its vendors' statements; a maker its own).
-- Each statement is applied to the matching findings that no person has triaged, and again
-- to new findings at every match; the finding keeps who said it (state_source "vex:…").
CREATE TABLE vuln_vex_documents (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  format TEXT NOT NULL,                  -- cyclonedx | csaf | openvex
  doc_id TEXT NOT NULL DEFAULT '',       -- serial number / tracking id / @id
  author TEXT NOT NULL DEFAULT '',
  issued TEXT NOT NULL DEFAULT '',       -- the document's own timestamp
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  statements INTEGER NOT NULL DEFAULT 0,
  loaded_at BIGINT NOT NULL,
  loaded_by TEXT NOT NULL
);

-- One row per (statement, product).
CREATE TABLE vuln_vex_statements (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  document_id BIGINT NOT NULL REFERENCES vuln_vex_documents(id) ON DELETE CASCADE,
  vulnerability TEXT NOT NULL,
  aliases TEXT NOT NULL DEFAULT '[]',
  product TEXT NOT NULL,                 -- JSON: purl, cpe, name, version, product_name…
  status TEXT NOT NULL,                  -- not_affected | affected | fixed | under_investigation
  justification TEXT NOT NULL DEFAULT '',
  original_justification TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL DEFAULT '',
  issued TEXT NOT NULL DEFAULT ''
);
CREATE INDEX vuln_vex_statements_org ON vuln_vex_statements(org_id, vulnerability);

-- The component's package URL on a finding (VEX statements name components by purl).
ALTER TABLE vuln_findings ADD COLUMN component_purl TEXT NOT NULL DEFAULT '';
