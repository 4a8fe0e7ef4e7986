-- Whether the lamplighter schema is there, for a node started with migrate off: its tables, and
-- whether Flyway's history table records what was applied (not when a team applied migrations/
-- with Liquibase or by hand; then only the tables are checked).
SELECT to_regclass('lamplighter.nodes') IS NOT NULL AS present,
       to_regclass('lamplighter.lamplighter_schema_history') IS NOT NULL AS flyway_history
