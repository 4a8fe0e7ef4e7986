-- Wakes the poll loop of every node (they LISTEN on lamplighter_schedules).
SELECT pg_notify('lamplighter_schedules', 'race-tick')
