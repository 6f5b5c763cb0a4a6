-- What kind of document a VEX source is (issue 5): a CSAF document's category — csaf_vex, or a
-- maker's csaf_security_advisory, whose product status mamori applies the same way — and its
-- title, so that a list of statements' sources tells an advisory ("RHSA-2025:23414: bind security
-- update") from a VEX. Empty for CycloneDX and OpenVEX, and for documents loaded before.
ALTER TABLE vuln_vex_documents ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE vuln_vex_documents ADD COLUMN title TEXT NOT NULL DEFAULT '';
