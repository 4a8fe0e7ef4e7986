-- Singleton services: which node runs each, until when (its lease, by the database's clock), its
-- fencing token, and how often its service failed since it was acquired.
-- Role: lamplighter_reader
--   psql "$DATABASE_URL" -f sql/cookbook/singletons.sql
-- state: held (a live lease), expired (the holder stopped renewing: the next node to try takes it),
-- released (its holder stopped cleanly). A node holding one renews it every lease/3.
--
-- To move a singleton to another node, stop its holder (it releases the lease at once), or, as the
-- schema's owner, end the lease: the holder finds it lost at its next renewal and interrupts its
-- service, and verifyLeadership() fails there at once:
--   UPDATE lamplighter.singletons SET lease_until = now() WHERE name = 'feed_consumer';
SELECT s.name,
       s.owner,
       CASE WHEN s.owner IS NULL THEN 'released'
            WHEN s.lease_until > now() THEN 'held'
            ELSE 'expired' END AS state,
       s.token,
       s.lease_until,
       s.acquired_at,
       s.renewed_at,
       n.last_seen_at AS owner_last_seen_at,
       s.failures,
       s.last_error,
       s.last_error_at
FROM lamplighter.singletons s
LEFT JOIN lamplighter.nodes n ON n.node_id = s.owner
ORDER BY s.name;
