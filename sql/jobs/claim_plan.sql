-- Run first in each claim's transaction: no sort for the rest of it (SET LOCAL). The claim reads
-- each job type's runnable rows in claim order from an index and stops at its limit; a plan that
-- sorts instead reads every due row of the type on each claim. The planner picks that plan when
-- its statistics say few rows are queued: a table analysed while the queue was empty, or a long
-- history of finished jobs that autovacuum re-analyses only after a tenth of it changed, and then
-- a burst of due jobs (docs/design.md, "Workers"). Only the claim's own transaction is changed;
-- the small sort of the per-type heads across types is still done (no plan avoids it).
-- JIT off as well: before PostgreSQL 18 a disabled sort adds a huge cost to the plan, which
-- would make PostgreSQL compile every claim (over 100 ms each) for a query that takes one.
SELECT set_config('enable_sort', 'off', true), set_config('jit', 'off', true)
