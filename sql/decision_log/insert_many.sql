-- Arrays are bound as text[] and cast here.
-- Record a chunk of checks in one statement (the batched form of insert.sql): one element per
-- check in each array, same order.
INSERT INTO lamplighter.decision_log
    (schedule_name, slot, decided_at, outcome, reason, figures, job_id, trigger_source, node_id, duration_ms)
SELECT d.name, d.slot, d.decided_at, d.outcome, d.reason, d.figures, d.job_id, d.trigger_source, :nodeId, d.duration_ms
FROM unnest(CAST(:names AS text[]), CAST(CAST(:slots AS text[]) AS timestamptz[]), CAST(CAST(:decidedAts AS text[]) AS timestamptz[]),
            CAST(:outcomes AS text[]), CAST(:reasons AS text[]), CAST(CAST(:figures AS text[]) AS jsonb[]),
            CAST(CAST(:jobIds AS text[]) AS bigint[]), CAST(:triggerSources AS text[]), CAST(CAST(:durationMs AS text[]) AS double precision[]))
     AS d(name, slot, decided_at, outcome, reason, figures, job_id, trigger_source, duration_ms)
