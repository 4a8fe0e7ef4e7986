-- Check and claim in one statement: if the epoch moved by at least the interval since the
-- schedule's last claim, claim the current epoch. Concurrent callers queue on the claim row and
-- re-read it, so one epoch is claimed once whatever triggered the checks.
-- Positional parameters: schedule name, epoch name, schedule name, epoch name, interval.
WITH current AS (
    SELECT c.claimed, coalesce(e.value, 0) AS epoch
    FROM lamplighter.epoch_claims c
    LEFT JOIN lamplighter.epochs e ON e.name = c.epoch_name
    WHERE c.schedule_name = CAST(? AS text)
      AND c.epoch_name = CAST(? AS text)
    FOR UPDATE OF c
), claim AS (
    UPDATE lamplighter.epoch_claims c
    SET claimed = current.epoch, claimed_at = now()
    FROM current
    WHERE c.schedule_name = CAST(? AS text)
      AND c.epoch_name = CAST(? AS text)
      AND current.epoch - current.claimed >= CAST(? AS bigint)
    RETURNING c.claimed
)
SELECT current.epoch, current.claimed AS previously_claimed, EXISTS (SELECT 1 FROM claim) AS claimed_now
FROM current
