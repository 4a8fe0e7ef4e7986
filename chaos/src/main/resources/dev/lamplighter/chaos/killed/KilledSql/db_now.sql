-- The database's clock, now (not the transaction's start).
SELECT clock_timestamp()
