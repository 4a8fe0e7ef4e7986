-- Which of :nodes have claimed jobs since they started.
SELECT node FROM public.chaos_worker_starts
WHERE node = ANY (CAST(:nodes AS text[])) AND first_claim_at IS NOT NULL
