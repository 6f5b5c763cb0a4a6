SELECT a FROM t WHERE b = ? AND c = 'it''s ?' -- ?
AND d = "q?" AND e LIKE ? ESCAPE '\'