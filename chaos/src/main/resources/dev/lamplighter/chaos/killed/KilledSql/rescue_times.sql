-- When the jobs a killed node held were rescued: first, last, and how many of them.
SELECT min(rescued_at) AS first_rescue, max(rescued_at) AS last_rescue, count(DISTINCT job_id) AS rescued
FROM public.chaos_rescues
WHERE from_node = :node
  AND job_id = ANY (CAST(:jobIds AS bigint[]))
