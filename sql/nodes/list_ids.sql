-- The ids of the nodes seen within :liveMs, for a message that names the node ids that exist.
SELECT node_id
FROM lamplighter.nodes
WHERE last_seen_at > coalesce(CAST(:now AS timestamptz), now()) - CAST(:liveMs AS bigint) * interval '1 millisecond'
ORDER BY node_id
