SELECT count(*) FROM lamplighter.decision_log
WHERE outcome = 'launched' AND schedule_name LIKE :prefix || '%' AND decision_id > :after
