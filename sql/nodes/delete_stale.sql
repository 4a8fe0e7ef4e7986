-- Forget nodes not seen for a while (they died without leaving).
DELETE FROM lamplighter.nodes
WHERE last_seen_at < coalesce(CAST(:now AS timestamptz), now()) - CAST(:staleAfterMs AS bigint) * interval '1 millisecond'
