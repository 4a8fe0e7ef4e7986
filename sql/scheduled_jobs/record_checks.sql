-- Store the outcomes of a chunk of checks (the batched form of record_check.sql): one element per
-- schedule in each array, same order; arrays are bound as text[] and cast here.
UPDATE lamplighter.scheduled_jobs AS s
SET last_run     = c.now,
    last_success = CASE WHEN c.outcome = 'launched' THEN c.now ELSE s.last_success END,
    last_outcome = c.outcome,
    last_error   = c.error,
    retry_count  = c.retry_count,
    enabled      = c.enabled,
    next_run     = c.next_run,
    pending_trigger = NULL,
    timetable_changed = false
FROM unnest(CAST(:names AS text[]), CAST(CAST(:nows AS text[]) AS timestamptz[]), CAST(:outcomes AS text[]),
            CAST(:errors AS text[]), CAST(CAST(:retryCounts AS text[]) AS integer[]), CAST(CAST(:enableds AS text[]) AS boolean[]),
            CAST(CAST(:nextRuns AS text[]) AS timestamptz[]))
     AS c(name, now, outcome, error, retry_count, enabled, next_run)
WHERE s.name = c.name
