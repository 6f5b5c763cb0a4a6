-- Devices seen on the network (nmap scans today; passive discovery later) that match no asset
-- of the ledger: 台帳未登録, for a person to accept into the ledger or to ignore.
CREATE TABLE discovered_hosts (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  ip TEXT NOT NULL DEFAULT '',
  mac TEXT NOT NULL DEFAULT '',
  mac_vendor TEXT NOT NULL DEFAULT '',
  hostnames TEXT NOT NULL DEFAULT '[]',          -- JSON array
  os_guess TEXT NOT NULL DEFAULT '',
  services TEXT NOT NULL DEFAULT '[]',           -- JSON array of {port, protocol, name, product, version, cpe}
  source TEXT NOT NULL,                          -- nmap | dhcp | dicom | hl7 …
  source_file TEXT NOT NULL DEFAULT '',
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',        -- pending | accepted | ignored
  asset_id BIGINT REFERENCES assets(id) ON DELETE SET NULL,
  note TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX discovered_org_status ON discovered_hosts(org_id, status);
