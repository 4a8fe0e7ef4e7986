SELECT count(*) FROM (
    SELECT schedule_name, slot FROM lamplighter.decision_log
    WHERE outcome = 'launched' AND schedule_name LIKE :prefix || '%'
    GROUP BY schedule_name, slot HAVING count(*) > 1
) twice
