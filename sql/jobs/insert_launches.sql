-- The poll tick's launches of one chunk, in one statement (ChunkRecords), inside the chunk's
-- transaction. Every parameter but the last is an array with one element per launch:
-- job_type, status ('queued' or 'awaiting_approval'), payload (a JSON object as text), consumes
-- (JSON as text; a null element: none), schedule_name, priority, max_attempts and dedup_key
-- (schedule@slot, unique within a chunk: a schedule appears once per chunk); then now
-- (null: the database's now()). A launch whose key is already taken inserts nothing, the others
-- are inserted. Returns the dedup key and the new job id of each job inserted.
INSERT INTO lamplighter.jobs
    (job_type, status, payload, schedule_name, is_system_job, job_source, priority, run_at,
     max_attempts, dedup_key, consumes)
SELECT l.job_type, l.status, CAST(l.payload AS jsonb), l.schedule_name, true, 'scheduled_task', l.priority,
       coalesce(CAST(:now AS timestamptz), now()), l.max_attempts, l.dedup_key, CAST(l.consumes AS jsonb)
FROM unnest(CAST(:jobTypes AS text[]), CAST(:statuses AS text[]), CAST(:payloads AS text[]),
            CAST(:consumes AS text[]), CAST(:scheduleNames AS text[]), CAST(:priorities AS integer[]),
            CAST(:maxAttempts AS integer[]), CAST(:dedupKeys AS text[]))
         WITH ORDINALITY AS l(job_type, status, payload, consumes, schedule_name, priority, max_attempts,
                              dedup_key, ord)
ORDER BY l.ord
ON CONFLICT (dedup_key) WHERE dedup_key IS NOT NULL DO NOTHING
RETURNING dedup_key, job_id
