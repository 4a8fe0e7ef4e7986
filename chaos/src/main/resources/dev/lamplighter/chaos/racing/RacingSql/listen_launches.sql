-- The program hears each transaction that launched race jobs (see create_instant_worker_function.sql).
LISTEN chaos_race_launched
