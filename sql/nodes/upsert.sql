-- A node announces itself at start-up with what it can run and the schedules it declares in code.
-- A node that starts (again) under an id starts undrained.
INSERT INTO lamplighter.nodes (node_id, hostname, pid, version, started_at, last_seen_at, launchers, job_types,
                               capabilities, declared_schedules)
VALUES (:nodeId, :hostname, :pid, :version, coalesce(CAST(:now AS timestamptz), now()),
        coalesce(CAST(:now AS timestamptz), now()), CAST(:launchers AS text[]), CAST(:jobTypes AS text[]),
        CAST(:capabilities AS text[]), CAST(:declaredSchedules AS text[]))
ON CONFLICT (node_id) DO UPDATE
SET hostname = EXCLUDED.hostname, pid = EXCLUDED.pid, version = EXCLUDED.version,
    started_at = EXCLUDED.started_at, last_seen_at = EXCLUDED.last_seen_at,
    launchers = EXCLUDED.launchers, job_types = EXCLUDED.job_types, capabilities = EXCLUDED.capabilities,
    declared_schedules = EXCLUDED.declared_schedules,
    drain_requested_at = NULL, drain_requested_by = NULL, drained_at = NULL
