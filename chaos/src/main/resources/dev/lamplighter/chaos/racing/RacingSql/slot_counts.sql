-- Every due slot of the race, and what the decision log says happened to it. The slots are the
-- timetable's (:ticks slots of :stepMs from :firstSlot, per schedule) when :firstSlot is given,
-- else the slots found in the decision log (a run on the database's own clock).
--   due             slots that were due
--   missed          due slots with no 'launched' decision
--   extra_launches  'launched' decisions beyond the first of their slot
--   checked_twice   slots checked more than once (a second check finds the slot launched)
--   off_timetable   slots in the log that are not on the timetable
--   held_back       slots skipped because the schedule's previous job was still active
--   failed          slots whose check failed
WITH expected AS (
    SELECT s.name AS schedule_name,
           CAST(:firstSlot AS timestamptz) + k * CAST(:stepMs AS bigint) * interval '1 millisecond' AS slot
    FROM lamplighter.scheduled_jobs s
    CROSS JOIN generate_series(0, CAST(:ticks AS int) - 1) AS k
    WHERE s.name LIKE 'race-%'
      AND CAST(:firstSlot AS timestamptz) IS NOT NULL
), checked AS (
    SELECT schedule_name, slot,
           count(*) FILTER (WHERE outcome = 'launched') AS launched,
           count(*) AS checks,
           count(*) FILTER (WHERE outcome = 'skipped' AND reason LIKE 'previous job %') AS held_back,
           count(*) FILTER (WHERE outcome = 'failed') AS failed
    FROM lamplighter.decision_log
    WHERE schedule_name LIKE 'race-%'
    GROUP BY schedule_name, slot
), slots AS (
    SELECT schedule_name, slot FROM expected
    UNION
    SELECT schedule_name, slot FROM checked
)
SELECT count(*) FILTER (WHERE s.on_timetable)                             AS due,
       count(*) FILTER (WHERE s.on_timetable AND coalesce(c.launched, 0) = 0) AS missed,
       coalesce(sum(greatest(c.launched - 1, 0)), 0)                       AS extra_launches,
       count(*) FILTER (WHERE c.checks > 1)                                AS checked_twice,
       count(*) FILTER (WHERE NOT s.on_timetable)                          AS off_timetable,
       count(*) FILTER (WHERE c.held_back > 0)                             AS held_back,
       count(*) FILTER (WHERE c.failed > 0)                                AS failed
FROM (SELECT u.schedule_name, u.slot,
             CAST(:firstSlot AS timestamptz) IS NULL OR e.slot IS NOT NULL AS on_timetable
      FROM slots u
      LEFT JOIN expected e USING (schedule_name, slot)) AS s
LEFT JOIN checked c USING (schedule_name, slot)
