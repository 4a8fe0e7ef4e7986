SELECT pg_terminate_backend(CAST(:pid AS integer))
