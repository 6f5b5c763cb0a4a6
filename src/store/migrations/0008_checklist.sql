-- The MHLW checklist: assessments (answers per fiscal year, form, vendor, item, device-class row
-- and round), evidence attached to them, official forms a hospital imported; the organisation's
-- records the checklist asks about (体制, 連絡体制, BCP, drills); and one store for evidence files.

-- Evidence files (minutes, BCP documents, drill reports, scans of signed forms). Content-addressed
-- within an organisation: the same bytes uploaded twice are one row.
CREATE TABLE evidence_files (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  sha256 TEXT NOT NULL,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL DEFAULT 'application/octet-stream',
  size BIGINT NOT NULL,
  content_base64 TEXT NOT NULL,
  vendor_id BIGINT REFERENCES vendors(id),         -- uploaded by that vendor's user (its own files)
  uploaded_by TEXT NOT NULL,
  uploaded_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX evidence_files_hash ON evidence_files(org_id, sha256, vendor_id);

-- 体制: 医療情報システム安全管理責任者, 企画管理者, システム運用担当者, a vendor's 管理責任者.
CREATE TABLE org_roles (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  role TEXT NOT NULL,              -- security_officer | planning_manager | operations | vendor_manager
  person TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',  -- 役職
  vendor_id BIGINT REFERENCES vendors(id),
  appointed_on TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
  ended_on TEXT NOT NULL DEFAULT '',
  approval TEXT NOT NULL DEFAULT '',      -- e.g. "経営会議 2026-04-10"
  approval_file_id BIGINT REFERENCES evidence_files(id),
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX org_roles_org ON org_roles(org_id);

-- 連絡体制: who to call, in which order.
CREATE TABLE contacts (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  category TEXT NOT NULL,          -- internal | vendor | mhlw | police | prefecture | health_center | mhlw_desk | security | other
  organisation TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  person TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  phone_after_hours TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  hours TEXT NOT NULL DEFAULT '',
  call_order INTEGER NOT NULL DEFAULT 0,
  vendor_id BIGINT REFERENCES vendors(id),
  system_id BIGINT REFERENCES systems(id),
  note TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);
CREATE INDEX contacts_org ON contacts(org_id, call_order);

CREATE TABLE bcp_documents (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  title TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  cyber INTEGER NOT NULL DEFAULT 1,       -- covers cyber attacks
  approved_on TEXT NOT NULL DEFAULT '',
  reviewed_on TEXT NOT NULL DEFAULT '',
  file_id BIGINT REFERENCES evidence_files(id),
  note TEXT NOT NULL DEFAULT ''
);

CREATE TABLE drills (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  held_on TEXT NOT NULL,
  scenario TEXT NOT NULL,
  participants TEXT NOT NULL DEFAULT '',
  findings TEXT NOT NULL DEFAULT '',
  file_id BIGINT REFERENCES evidence_files(id)
);

-- Forms a hospital loaded from the MHLW workbook; they take precedence over the bundled
-- definition of the same year and form.
CREATE TABLE checklist_forms (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  year TEXT NOT NULL,
  form TEXT NOT NULL,
  definition_json TEXT NOT NULL,
  source_file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  imported_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX checklist_forms_key ON checklist_forms(org_id, year, form);

-- One answer per (year, form, vendor, item, row, round); vendor_id 0 is the hospital's own form.
CREATE TABLE checklist_answers (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  year TEXT NOT NULL,
  form TEXT NOT NULL,
  vendor_id BIGINT NOT NULL DEFAULT 0,
  item_id TEXT NOT NULL,
  row_class TEXT NOT NULL,
  round INTEGER NOT NULL,
  answer TEXT NOT NULL,            -- yes | no | unknown | not_applicable
  checked_on TEXT NOT NULL DEFAULT '',
  target_on TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  suggested TEXT NOT NULL DEFAULT '',   -- the evaluator's suggestion when the answer was given
  answered_by TEXT NOT NULL,
  answered_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX checklist_answers_key
  ON checklist_answers(org_id, year, form, vendor_id, item_id, row_class, round);

CREATE TABLE checklist_evidence (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  year TEXT NOT NULL,
  form TEXT NOT NULL,
  vendor_id BIGINT NOT NULL DEFAULT 0,
  item_id TEXT NOT NULL,
  kind TEXT NOT NULL,              -- file | link
  file_id BIGINT REFERENCES evidence_files(id),
  link TEXT NOT NULL DEFAULT '',
  label TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at BIGINT NOT NULL
);
CREATE INDEX checklist_evidence_item ON checklist_evidence(org_id, year, form, vendor_id, item_id);
