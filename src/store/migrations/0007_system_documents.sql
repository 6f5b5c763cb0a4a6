-- MDS/SDS (製造業者/サービス事業者による医療情報セキュリティ開示書, JAHIS/JIRA) per medical
-- information system: checklist 2-(3) asks that each vendor system's be on file.
CREATE TABLE system_documents (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  system_id BIGINT NOT NULL REFERENCES systems(id),
  kind TEXT NOT NULL,                              -- mds | sds
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  content_base64 TEXT NOT NULL,
  jahis_version TEXT NOT NULL DEFAULT '',          -- e.g. "第2版"
  received_on TEXT NOT NULL DEFAULT '',            -- YYYY-MM-DD
  blank_answers INTEGER,                           -- unanswered items; NULL when not counted
  note TEXT NOT NULL DEFAULT '',
  uploaded_by TEXT NOT NULL,
  uploaded_at BIGINT NOT NULL
);
CREATE INDEX system_documents_system ON system_documents(org_id, system_id);
