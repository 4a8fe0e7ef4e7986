-- Whether this PostgreSQL server knows a time zone by exactly this name (its tzdata may differ
-- from the JVM's). Asked once per zone and node.
SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = :zone)
