SELECT count(*) FROM lamplighter.decision_log
WHERE outcome = 'failed' AND schedule_name LIKE :prefix || '%' AND decision_id > :after
