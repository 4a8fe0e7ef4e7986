-- Whether the node's database exists yet, and whether the postgres database holds a lamplighter
-- schema from a build that connected as the superuser.
SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'lamplighter') AS node_database,
       EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'lamplighter') AS superuser_schema
