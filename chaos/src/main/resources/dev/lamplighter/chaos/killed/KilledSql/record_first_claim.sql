-- A worker process claimed its first jobs after its start was recorded.
UPDATE public.chaos_worker_starts SET first_claim_at = :firstClaimAt WHERE node = :node AND first_claim_at IS NULL
