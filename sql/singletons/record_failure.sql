-- The service of a singleton threw: keeps the error (cut to 1,000 characters) and counts it, on
-- the row this node holds under this token.
UPDATE lamplighter.singletons
SET failures      = CASE WHEN failures < 2147483647 THEN failures + 1 ELSE failures END,
    last_error    = left(:error, 1000),
    last_error_at = coalesce(CAST(:now AS timestamptz), now())
WHERE name = :name
  AND owner = :nodeId
  AND token = :token
