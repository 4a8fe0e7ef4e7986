-- Register a job type's limit declared in code if no row has the type yet. An existing row is
-- left alone here; the registrar then merges a changed declaration column by column.
INSERT INTO lamplighter.job_types (job_type, max_running, exclusive, declared)
VALUES (:jobType, :maxRunning, :exclusive, CAST(:declared AS jsonb))
ON CONFLICT (job_type) DO NOTHING
