-- JVN iPedia's products as match candidates (issue 5). NVD has not analysed every CVE (its
-- backlog since 2024 leaves many without configurations), and a product of a Japanese maker is
-- often listed only in JVN: the vendor:product pairs of a JVN entry's CPEs let `vuln match` find
-- those CVEs on the ledger — as 要確認 (no version range: JVN states versions in words), never
-- as affected. loaded_at: when the entry was last written, for incremental re-matching.
-- Entries loaded before this migration have no rows here until their file is loaded again.
ALTER TABLE vuln_jvn ADD COLUMN loaded_at BIGINT NOT NULL DEFAULT 0;
CREATE TABLE vuln_jvn_products (
  vendor TEXT NOT NULL,
  product TEXT NOT NULL,
  jvndb_id TEXT NOT NULL,
  PRIMARY KEY (vendor, product, jvndb_id)
);
CREATE INDEX vuln_jvn_products_id ON vuln_jvn_products(jvndb_id);
