-- The ledger in full (issue 3): dates and remote-maintenance details on assets, software
-- components (from the ledger's 主なソフトウェア cell, SBOMs and scans), the SBOM documents they
-- came from, saved import mapping profiles.

ALTER TABLE assets ADD COLUMN purchase_date TEXT NOT NULL DEFAULT '';        -- YYYY-MM-DD
ALTER TABLE assets ADD COLUMN support_end TEXT NOT NULL DEFAULT '';          -- YYYY-MM-DD
ALTER TABLE assets ADD COLUMN notes TEXT NOT NULL DEFAULT '';
-- Remote maintenance (2-(2)): how, from where, when someone last confirmed it, on what evidence.
ALTER TABLE assets ADD COLUMN remote_method TEXT NOT NULL DEFAULT '';
ALTER TABLE assets ADD COLUMN remote_source_restricted TEXT NOT NULL DEFAULT 'unknown'; -- yes|no|unknown
ALTER TABLE assets ADD COLUMN remote_allowed_sources TEXT NOT NULL DEFAULT '[]';      -- JSON array
ALTER TABLE assets ADD COLUMN remote_confirmed_on TEXT NOT NULL DEFAULT '';           -- YYYY-MM-DD
ALTER TABLE assets ADD COLUMN remote_evidence TEXT NOT NULL DEFAULT '';
-- Where the asset was seen: "ledger", "nmap", "sbom", "dhcp"… and when last (ms, 0 = never).
ALTER TABLE assets ADD COLUMN discovery_sources TEXT NOT NULL DEFAULT '[]';
ALTER TABLE assets ADD COLUMN last_seen BIGINT NOT NULL DEFAULT 0;

-- An imported SBOM: the CISA minimum elements that belong to the document (author, timestamp)
-- are kept here; the components refer to it.
CREATE TABLE sbom_documents (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  asset_id BIGINT REFERENCES assets(id) ON DELETE CASCADE,
  product_key TEXT NOT NULL DEFAULT '',            -- "maker\tmodel" when it describes a model
  format TEXT NOT NULL,                            -- cyclonedx | spdx
  spec_version TEXT NOT NULL DEFAULT '',
  serial_number TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',                -- the described product: name version
  author TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT '',                -- the document's own timestamp, as written
  file_name TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL,
  component_count INTEGER NOT NULL DEFAULT 0,
  imported_at BIGINT NOT NULL
);
CREATE INDEX sbom_documents_target ON sbom_documents(org_id, asset_id, product_key);

CREATE TABLE software_components (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  asset_id BIGINT REFERENCES assets(id) ON DELETE CASCADE,
  product_key TEXT NOT NULL DEFAULT '',            -- "maker\tmodel"; '' when on an asset
  sbom_id BIGINT REFERENCES sbom_documents(id) ON DELETE CASCADE,
  source TEXT NOT NULL,                            -- ledger | sbom | nmap | manual
  name TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  supplier TEXT NOT NULL DEFAULT '',
  cpe TEXT NOT NULL DEFAULT '',
  purl TEXT NOT NULL DEFAULT '',
  hashes TEXT NOT NULL DEFAULT '[]',               -- JSON array of "ALG:hex"
  bom_ref TEXT NOT NULL DEFAULT '',
  depends_on TEXT NOT NULL DEFAULT '[]',           -- JSON array of bom_ref
  raw TEXT NOT NULL DEFAULT '',                    -- the text it was read from (ledger cell entry)
  created_at BIGINT NOT NULL
);
CREATE INDEX software_asset ON software_components(org_id, asset_id);
CREATE INDEX software_product ON software_components(org_id, product_key);

-- Saved header mappings for imports: a hospital's own column names → ledger fields.
CREATE TABLE import_profiles (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  mapping TEXT NOT NULL,                           -- JSON object: header text → field ("" = skip)
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (org_id, name)
);
