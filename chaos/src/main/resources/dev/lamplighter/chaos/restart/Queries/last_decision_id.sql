SELECT coalesce(max(decision_id), 0) FROM lamplighter.decision_log
