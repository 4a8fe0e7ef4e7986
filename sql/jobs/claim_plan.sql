-- Run first in each claim's transaction: plans for the rest of it that do not depend on the
-- statistics (SET LOCAL: only this transaction is changed).
-- No sort: the claim reads each job type's runnable rows in claim order from an index and stops at
-- its limit; a plan that sorts instead reads every due row of the type on each claim. The planner
-- picks that plan when its statistics say few rows are queued: a table analysed while the queue
-- was empty, or a long history of finished jobs that autovacuum re-analyses only after a tenth of
-- it changed, and then a burst of due jobs (docs/design.md, "Workers"). The small sort of the
-- per-type heads across types is still done (no plan avoids it).
-- No hash join, merge join or sequential scan: the claimed rows are updated through the primary
-- key, one probe each. For a claim of 1,000 over a table of tens of thousands of rows the planner
-- preferred reading the whole table into a hash, and with some statistics it scanned the table
-- once per claimed row: a second per claim (ClaimPlanTest, docs/figures.md "A claim that read
-- the whole table").
-- JIT off as well: before PostgreSQL 18 a disabled plan node adds a huge cost to the plan, which
-- would make PostgreSQL compile every claim (over 100 ms each) for a query that takes one.
SELECT set_config('enable_sort', 'off', true), set_config('enable_hashjoin', 'off', true),
       set_config('enable_mergejoin', 'off', true), set_config('enable_seqscan', 'off', true),
       set_config('jit', 'off', true)
