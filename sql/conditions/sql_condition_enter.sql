-- Enters a SQL condition's sandbox, for the rest of its savepoint (SET LOCAL): read-only, a
-- statement timeout, and the condition role. Rolling back to the savepoint undoes all three.
-- Positional parameters: statement timeout in milliseconds (text), the condition role's name.
SELECT set_config('transaction_read_only', 'on', true),
       set_config('statement_timeout', CAST(? AS text), true),
       set_config('role', CAST(? AS text), true)
