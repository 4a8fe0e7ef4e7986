-- Delete by hand what the retention cleaner would delete, in one batch of at most 10,000 rows of
-- each kind (run it again until it deletes nothing), with the default windows: completed jobs
-- after 7 days, failed, cancelled and rejected jobs after 30 days, decision-log rows after 30
-- days. Change the intervals to your LAMPLIGHTER_RETAIN_* settings. Jobs still waiting or running
-- are never touched, and rows another transaction holds are skipped. The nodes do this on their
-- own (LAMPLIGHTER_RETENTION, on by default); this file is for a backlog or for nodes that run
-- with retention off. See retention.sql for what it would delete.
-- Role: the node's role (owner of schema lamplighter), or a superuser
--   psql "$DATABASE_URL" -f sql/cookbook/retention_delete.sql
DELETE FROM lamplighter.jobs
WHERE job_id IN (SELECT job_id
                 FROM lamplighter.jobs
                 WHERE status = 'completed'
                   AND completed_at < now() - interval '7 days'
                 ORDER BY completed_at
                 LIMIT 10000
                 FOR UPDATE SKIP LOCKED);

DELETE FROM lamplighter.jobs
WHERE job_id IN (SELECT job_id
                 FROM lamplighter.jobs
                 WHERE status IN ('failed', 'cancelled', 'rejected')
                   AND completed_at < now() - interval '30 days'
                 ORDER BY completed_at
                 LIMIT 10000
                 FOR UPDATE SKIP LOCKED);

DELETE FROM lamplighter.decision_log
WHERE decision_id IN (SELECT decision_id
                      FROM lamplighter.decision_log
                      WHERE decided_at < now() - interval '30 days'
                      ORDER BY decided_at
                      LIMIT 10000
                      FOR UPDATE SKIP LOCKED);
