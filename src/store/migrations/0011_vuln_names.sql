-- Name resolution (issue 5): the NVD CPE dictionary reduced to its products (with a title,
-- Japanese where JVN gave one), and the names each organisation confirmed by hand.

CREATE TABLE vuln_cpe_dictionary (
  vendor TEXT NOT NULL,
  product TEXT NOT NULL,
  part TEXT NOT NULL DEFAULT 'a',
  title TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (vendor, product)
);
CREATE INDEX vuln_cpe_dictionary_product ON vuln_cpe_dictionary(product);

-- "ウイルスバスター corp. xg 14.0" → the CPE a person chose for it.
CREATE TABLE vuln_name_map (
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  normalised TEXT NOT NULL,
  cpe TEXT NOT NULL,
  confirmed_by TEXT NOT NULL,
  confirmed_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, normalised)
);
