DELETE FROM lamplighter.decision_log WHERE schedule_name LIKE :prefix || '%'
