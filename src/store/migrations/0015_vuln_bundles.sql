-- The signed offline bundle and the feed downloader (issue 5). Feeds are shared by every
-- organisation of the installation, and so are the keys trusted to sign them.
CREATE TABLE vuln_bundle_keys (
  key_id TEXT PRIMARY KEY,          -- minisign key id, 16 hex digits as minisign prints it
  public_key TEXT NOT NULL,         -- the base64 line of the minisign public key
  comment TEXT NOT NULL DEFAULT '',
  added_at BIGINT NOT NULL,
  added_by TEXT NOT NULL
);

-- Bundles loaded: a delta is refused until its base is here.
CREATE TABLE vuln_bundles (
  bundle_id TEXT PRIMARY KEY,
  sequence BIGINT NOT NULL,
  base_id TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT '',
  producer TEXT NOT NULL DEFAULT '',
  key_id TEXT NOT NULL,
  files INTEGER NOT NULL,
  sha256 TEXT NOT NULL,             -- of the bundle file
  loaded_at BIGINT NOT NULL,
  loaded_by TEXT NOT NULL
);

-- What `mamori vuln feed update` last fetched from each source: the time a delta starts from
-- (NVD lastModStartDate) and the HTTP validators of whole-file sources.
CREATE TABLE vuln_feed_sources (
  source TEXT PRIMARY KEY,
  last_success BIGINT NOT NULL DEFAULT 0,
  last_attempt BIGINT NOT NULL DEFAULT 0,
  cursor TEXT NOT NULL DEFAULT '',
  etag TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT ''
);
