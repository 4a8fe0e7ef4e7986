SELECT
    (SELECT count(*) FROM lamplighter.decision_log WHERE schedule_name = :name AND outcome = 'launched') AS launched,
    (SELECT count(*) FROM lamplighter.decision_log WHERE schedule_name = :name AND outcome = 'failed') AS failed,
    (SELECT count(*) FROM lamplighter.jobs WHERE schedule_name = :name) AS jobs,
    s.retry_count, s.last_error, s.next_run > now() AS advanced
FROM lamplighter.scheduled_jobs s WHERE s.name = :name
