-- Ledger core: vendors (事業者), medical information systems, assets. The ledger issue extends
-- these (software components, MDS/SDS documents, discovery) in later migrations.

CREATE TABLE vendors (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  contact TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  contract_state TEXT NOT NULL DEFAULT 'active',   -- active | ended | none
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (org_id, name)
);

CREATE TABLE systems (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  vendor_id BIGINT REFERENCES vendors(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT '',                   -- 電子カルテ, PACS, RIS, 検査, 医事会計, 部門
  recovery_priority INTEGER NOT NULL DEFAULT 3,    -- 1 (first) … 5
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (org_id, name)
);
CREATE INDEX systems_vendor ON systems(org_id, vendor_id);

CREATE TABLE assets (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  category TEXT NOT NULL,                          -- server | pc | network | medical | cloud | other
  name TEXT NOT NULL,
  computer_name TEXT NOT NULL DEFAULT '',
  maker TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL DEFAULT '',
  serial TEXT NOT NULL DEFAULT '',
  os TEXT NOT NULL DEFAULT '',
  os_version TEXT NOT NULL DEFAULT '',
  ips TEXT NOT NULL DEFAULT '[]',                  -- JSON array of strings
  macs TEXT NOT NULL DEFAULT '[]',                 -- JSON array of strings
  location TEXT NOT NULL DEFAULT '',
  user_dept TEXT NOT NULL DEFAULT '',
  system_id BIGINT REFERENCES systems(id),
  vendor_id BIGINT REFERENCES vendors(id),
  remote_maintenance TEXT NOT NULL DEFAULT 'unknown', -- yes | no | unknown
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX assets_org_name ON assets(org_id, name);
CREATE INDEX assets_vendor ON assets(org_id, vendor_id);
