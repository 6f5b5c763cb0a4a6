-- Vulnerability intelligence (issue 5). The feed tables are shared by every organisation on the
-- installation (public data: NVD, JVN, KEV, EPSS, endoflife.date); findings and their triage are
-- per organisation.

-- One row per file loaded: what it was, when, what it held (the offline bundle's manifest too).
CREATE TABLE vuln_feed_files (
  id {{ID}},
  kind TEXT NOT NULL,                    -- nvd | kev | epss | eol | jvn
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT '',      -- the feed's own version/date (KEV catalogVersion…)
  records INTEGER NOT NULL DEFAULT 0,
  loaded_at BIGINT NOT NULL,
  loaded_by TEXT NOT NULL
);

-- A CVE as NVD describes it. configurations: the NVD API 2.0 "configurations" array, minified,
-- evaluated at match time (src/vuln/nvd.cpp).
CREATE TABLE vuln_cves (
  cve_id TEXT PRIMARY KEY,
  published TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  description_en TEXT NOT NULL DEFAULT '',
  cvss_version TEXT NOT NULL DEFAULT '',
  cvss_vector TEXT NOT NULL DEFAULT '',
  cvss_score DOUBLE PRECISION NOT NULL DEFAULT 0,
  severity TEXT NOT NULL DEFAULT '',     -- NONE | LOW | MEDIUM | HIGH | CRITICAL
  configurations TEXT NOT NULL DEFAULT '[]',
  loaded_at BIGINT NOT NULL
);

-- Which vendor:product pairs a CVE's criteria name: the candidate index for matching.
CREATE TABLE vuln_cve_products (
  vendor TEXT NOT NULL,
  product TEXT NOT NULL,
  cve_id TEXT NOT NULL,
  PRIMARY KEY (vendor, product, cve_id)
);
CREATE INDEX vuln_cve_products_cve ON vuln_cve_products(cve_id);

-- JVN iPedia (MyJVN): Japanese titles and the JVNDB ↔ CVE aliases.
CREATE TABLE vuln_jvn (
  jvndb_id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  overview TEXT NOT NULL DEFAULT '',
  published TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  cvss_vector TEXT NOT NULL DEFAULT '',
  cpes TEXT NOT NULL DEFAULT '[]',       -- CPE 2.3 formatted names (converted from 2.2)
  url TEXT NOT NULL DEFAULT ''
);
CREATE TABLE vuln_aliases (
  cve_id TEXT NOT NULL,
  alias TEXT NOT NULL,                   -- JVNDB-2022-000097, JVN#96321933, GHSA-…
  PRIMARY KEY (cve_id, alias)
);
CREATE INDEX vuln_aliases_alias ON vuln_aliases(alias);

CREATE TABLE vuln_kev (
  cve_id TEXT PRIMARY KEY,
  vendor_project TEXT NOT NULL DEFAULT '',
  product TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  date_added TEXT NOT NULL DEFAULT '',
  due_date TEXT NOT NULL DEFAULT '',
  ransomware INTEGER NOT NULL DEFAULT 0,
  required_action TEXT NOT NULL DEFAULT ''
);

CREATE TABLE vuln_epss (
  cve_id TEXT PRIMARY KEY,
  epss DOUBLE PRECISION NOT NULL,
  percentile DOUBLE PRECISION NOT NULL,
  score_date TEXT NOT NULL DEFAULT ''
);

-- endoflife.date: one row per release cycle of a product.
CREATE TABLE vuln_eol (
  product TEXT NOT NULL,                 -- endoflife.date id: windows, fortios, mssqlserver…
  cycle TEXT NOT NULL,                   -- releaseCycle: "10-22h2-e", "7.0", "2019"
  label TEXT NOT NULL DEFAULT '',        -- the product's title
  release_date TEXT NOT NULL DEFAULT '',
  eol TEXT NOT NULL DEFAULT '',          -- YYYY-MM-DD, or "" when not announced
  eol_bool INTEGER NOT NULL DEFAULT 0,   -- eol: true without a date
  latest TEXT NOT NULL DEFAULT '',
  cpes TEXT NOT NULL DEFAULT '[]',       -- the product's CPE identifiers (vendor:product)
  PRIMARY KEY (product, cycle)
);

-- A finding: one component of an asset (or of a product model) × one CVE. Its verdict comes from
-- matching and is recomputed; its state is a person's (or a maker's VEX) decision and is kept.
CREATE TABLE vuln_findings (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  target TEXT NOT NULL,                  -- "asset:<id>" or "product:<maker\tmodel>"
  asset_id BIGINT REFERENCES assets(id) ON DELETE CASCADE,
  component_key TEXT NOT NULL,           -- the component's CPE (or name@version)
  component_name TEXT NOT NULL DEFAULT '',
  component_version TEXT NOT NULL DEFAULT '',
  cve_id TEXT NOT NULL,
  verdict TEXT NOT NULL,                 -- affected | review
  evidence TEXT NOT NULL DEFAULT '[]',
  state TEXT NOT NULL DEFAULT 'new',     -- new | affected | not_affected | fixed | accepted
  justification TEXT NOT NULL DEFAULT '',-- VEX justification for not_affected
  state_note TEXT NOT NULL DEFAULT '',   -- the reason given (リスク受容の理由…)
  state_source TEXT NOT NULL DEFAULT '', -- who said it: a user name or the VEX document
  approver TEXT NOT NULL DEFAULT '',
  review_date TEXT NOT NULL DEFAULT '',  -- accepted risks are reviewed again by this date
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  gone_at BIGINT,                        -- no longer matched (component updated or removed)
  updated_at BIGINT NOT NULL,
  UNIQUE (org_id, target, component_key, cve_id)
);
CREATE INDEX vuln_findings_cve ON vuln_findings(org_id, cve_id);
