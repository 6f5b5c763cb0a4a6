-- The ledger list is ordered by category, name, id within an organisation: an index in that
-- order lets both backends page without sorting all assets on every request.
CREATE INDEX assets_org_list ON assets(org_id, category, name, id);
