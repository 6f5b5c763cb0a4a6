-- The versions JVN iPedia states for each product of an entry (issue 5): HND's VersionNumber
-- words and OKA's version fields, as JSON [{"cpe", "versions": [{"text", "version", "lessThan",
-- "lessThanOrEqual", "status"}]}]. They are read at match time (vuln::ReadJvnVersion), so that a
-- better reading needs no reload. '' where the entry was loaded from an overview list, which
-- states no versions: a later overview then keeps what a detail document gave.
ALTER TABLE vuln_jvn ADD COLUMN affected TEXT NOT NULL DEFAULT '';
