-- Slots of the first schedule (every :stepMs) checked so far: how far a run on the database's
-- clock has got, in ticks.
SELECT count(DISTINCT slot)
FROM lamplighter.decision_log
WHERE schedule_name = 'race-00002'
