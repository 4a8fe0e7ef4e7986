-- Limit how many jobs of a type run at once across the cluster, make a type exclusive (at most
-- one running anywhere, for jobs that touch money), or clear its limit; then see every limit
-- against what runs and waits now. Every node follows the change at its next claim; a restart
-- never overwrites it (a limit declared in code only follows the code while nobody changed it).
-- Role: lamplighter_operator
--   psql "$DATABASE_URL" -v job_type=send_receipt -v max_running=3 -v exclusive=false -f sql/cookbook/job_type_limits.sql
--   psql "$DATABASE_URL" -v job_type=payout -v max_running=NULL -v exclusive=true -f sql/cookbook/job_type_limits.sql
--   psql "$DATABASE_URL" -v job_type=send_receipt -v max_running=NULL -v exclusive=false -f sql/cookbook/job_type_limits.sql   # no limit
-- max_running must be 1 or more (NULL: no limit); exclusive wins over max_running. Jobs already
-- running when the limit is lowered finish; no new one starts until the type is below its limit.
INSERT INTO lamplighter.job_types (job_type, max_running, exclusive)
VALUES (:'job_type', :max_running, :exclusive)
ON CONFLICT (job_type) DO UPDATE SET max_running = EXCLUDED.max_running, exclusive = EXCLUDED.exclusive;

-- effective_limit: 1 when exclusive, else max_running (NULL: none). running counts jobs claimed
-- into a node's prefetch buffer too.
SELECT job_type, effective_limit, running, queued, max_running, exclusive, declared_in_code, updated_at
FROM lamplighter.job_type_limits
ORDER BY job_type;
