SELECT count(*) FROM (
    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE application_name = :application AND pid <> pg_backend_pid()
) terminated
