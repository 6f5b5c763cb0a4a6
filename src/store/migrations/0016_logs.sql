-- Access logs (issue 6). The events themselves live in the log directory (append-only segments
-- with a Merkle tree, src/logs/log_store.cpp); the organisation's database holds what people
-- decide about them: the registry of expected log sources (ログリスト), the reviews with their
-- sign-off, and the results of verification runs.

-- ログリスト: each system or device expected to send logs, how, and how often.
CREATE TABLE log_sources (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,                      -- the name events are recorded under
  description TEXT NOT NULL DEFAULT '',    -- what it sends (認証ログ, 操作ログ…)
  kind TEXT NOT NULL DEFAULT 'syslog',     -- syslog | atna | fhir | evtx | csv | jsonl
  transport TEXT NOT NULL DEFAULT 'udp',   -- udp | tcp | tls | http | file
  hosts TEXT NOT NULL DEFAULT '[]',        -- JSON: host names, addresses, networks it sends from
  system_id BIGINT REFERENCES systems(id),
  asset_id BIGINT REFERENCES assets(id),
  expected_interval_minutes INTEGER NOT NULL DEFAULT 60,  -- silent when nothing came for longer
  skew_tolerance_seconds INTEGER NOT NULL DEFAULT 300,    -- event time vs receive time
  retention_years INTEGER NOT NULL DEFAULT 5,
  utc_offset_minutes INTEGER NOT NULL DEFAULT 540,        -- devices sending local time without zone
  csv_mapping TEXT NOT NULL DEFAULT '',                   -- JSON: columns of an EHR audit CSV
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX log_sources_name ON log_sources(org_id, name);

-- A periodic review (定期的な確認) of a period: the computed summary, the report file and the
-- state of the log store it read (checkpoint size and root), then the reviewer's sign-off.
CREATE TABLE log_reviews (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  period_from TEXT NOT NULL,               -- YYYY-MM-DD (JST), inclusive
  period_to TEXT NOT NULL,                 -- YYYY-MM-DD (JST), inclusive
  summary TEXT NOT NULL,                   -- JSON: the counts and findings of the report
  report_file_id BIGINT REFERENCES evidence_files(id),
  report_sha256 TEXT NOT NULL,
  store_size BIGINT NOT NULL,
  store_root TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  signed_by TEXT NOT NULL DEFAULT '',
  signed_at BIGINT,
  signoff_comment TEXT NOT NULL DEFAULT '',
  signature TEXT NOT NULL DEFAULT ''       -- minisign signature by the log node key of the sign-off
);
CREATE INDEX log_reviews_org ON log_reviews(org_id, period_to);

-- `mamori logs verify` runs, for the checklist (verification clean and recent).
CREATE TABLE log_verifications (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  verified_at BIGINT NOT NULL,
  ok INTEGER NOT NULL,            -- 1: clean
  events BIGINT NOT NULL,
  checkpoints BIGINT NOT NULL,
  problems INTEGER NOT NULL,
  verified_by TEXT NOT NULL
);
CREATE INDEX log_verifications_org ON log_verifications(org_id, verified_at);
