-- Make sure a schedule has a claim row for an epoch (claimed 0 at first).
-- Positional parameters: schedule name, epoch name.
INSERT INTO lamplighter.epoch_claims (schedule_name, epoch_name)
VALUES (CAST(? AS text), CAST(? AS text))
ON CONFLICT (schedule_name, epoch_name) DO NOTHING
