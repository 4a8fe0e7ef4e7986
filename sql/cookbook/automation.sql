-- Switch a schedule between human approval (hitl: launched jobs wait as awaiting_approval) and
-- autonomous (launched jobs are queued at once).
-- Role: lamplighter_operator
--   psql "$DATABASE_URL" -v name=ontology_annealing -v mode=hitl -f sql/cookbook/automation.sql
UPDATE lamplighter.scheduled_jobs
SET automation = :'mode'
WHERE name = :'name';
