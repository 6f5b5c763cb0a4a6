-- OSV advisories (issue 5): per package ecosystem (PyPI, Maven, npm, Go, Debian, Ubuntu…),
-- shared by every organisation like the other feeds. affected: the record's affected packages
-- with their ranges, minified JSON, evaluated at match time (src/vuln/osv.cpp).
CREATE TABLE vuln_osv (
  osv_id TEXT PRIMARY KEY,
  finding_id TEXT NOT NULL,              -- the CVE it aliases, else osv_id
  modified TEXT NOT NULL,
  published TEXT NOT NULL DEFAULT '',
  withdrawn TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  cvss_vector TEXT NOT NULL DEFAULT '',
  affected TEXT NOT NULL DEFAULT '[]',
  loaded_at BIGINT NOT NULL
);
CREATE INDEX vuln_osv_finding ON vuln_osv(finding_id);

-- Which package keys (pkg type/namespace/name, as Purl::PackageKey) a record names: the
-- candidate index for matching components by their package URL.
CREATE TABLE vuln_osv_packages (
  package_key TEXT NOT NULL,
  osv_id TEXT NOT NULL,
  PRIMARY KEY (package_key, osv_id)
);
CREATE INDEX vuln_osv_packages_osv ON vuln_osv_packages(osv_id);
