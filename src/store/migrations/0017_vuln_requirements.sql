-- Security requirements per asset (issue 5): how much the hospital needs the confidentiality,
-- integrity and availability of what the asset holds or does — CVSS's CR, IR and AR (L, M, H).
-- A finding's CVSS is scored again with them (v3.x environmental, v4.0 CVSS-BE), and its due
-- date follows that severity: the same CVE is more urgent on the EMR database than on a kiosk.
CREATE TABLE vuln_asset_requirements (
  org_id BIGINT NOT NULL,
  asset_id BIGINT NOT NULL,
  cr TEXT NOT NULL,                 -- L | M | H | X (not defined)
  ir TEXT NOT NULL,
  ar TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',    -- why (e.g. 「電子カルテの原本」)
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (org_id, asset_id)
);

-- A VEX document a vendor's account loaded: its statements speak only for that vendor's assets
-- (NULL: loaded by the hospital, for all of its assets).
ALTER TABLE vuln_vex_documents ADD COLUMN vendor_id BIGINT;
