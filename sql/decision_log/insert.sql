-- Record one check: what was decided, why, and the figures looked at.
INSERT INTO lamplighter.decision_log
    (schedule_name, slot, decided_at, outcome, reason, figures, job_id, trigger_source, node_id, duration_ms)
VALUES
    (:name, :slot, :decidedAt, :outcome, :reason, CAST(:figures AS jsonb), :jobId, :triggerSource, :nodeId, :durationMs)
