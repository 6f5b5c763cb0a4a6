-- Management reports on the ledger (経営層への報告, checklist 2-(1)): each generated PDF is kept as
-- evidence with its date, who generated it and the figures it showed.
CREATE TABLE ledger_reports (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  generated_at BIGINT NOT NULL,
  generated_by TEXT NOT NULL,
  since BIGINT NOT NULL DEFAULT 0,                 -- the previous report's time (0: first report)
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  summary TEXT NOT NULL,                           -- JSON: the figures in the report
  pdf_base64 TEXT NOT NULL                         -- base64: one text type on both backends
);
CREATE INDEX ledger_reports_org ON ledger_reports(org_id, generated_at);
