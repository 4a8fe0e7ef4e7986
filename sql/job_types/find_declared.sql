-- A job type's current limit and what code declared last time, locked for the registrar's merge.
SELECT job_type, max_running, exclusive, CAST(declared AS text) AS declared
FROM lamplighter.job_types
WHERE job_type = :jobType
FOR UPDATE
