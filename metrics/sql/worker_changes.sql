-- Changes of worker (snapshot at as-of; measures.md "More of the letter"): one row per child with
-- an open allocation at as-of (child_allocation), with the number of distinct allocated case
-- workers whose allocations overlap the 12 months to as-of: started on or before as-of and not
-- ended by the day 12 calendar months before it (an allocation ending ON that day was closed
-- then, as "open at t" reads everywhere). A blank worker id is not a worker. three_plus: 3 or
-- more. workers: the worker ids, in the order the child had them (text: 'W1, W2, W3'; none:
-- NULL).
-- Team and worker: the child's allocated worker now (the earliest open allocation), so a team
-- lead sees the children their team holds.
-- The one definition is fact_child_workers' (built at load): each child's allocation spans
-- (fact_child_allocation's, so a child is here at as-of exactly when child_allocation has it)
-- cut wherever the workers of the 12 months to a date change, with those workers and their
-- number. At as-of a child's row is the span holding it: one interval test, as the monthly trend
-- (trend/worker_changes.sql) reads the same spans at each month end.
SELECT
    c.person_id,
    c.allocated_date,
    c.workers_12m,
    c.workers_12m >= 3 AS three_plus,
    array_to_string(c.workers, ', ') AS workers,
    c.team,
    c.worker_id
FROM fact_child_workers c
WHERE c.valid_from <= $as_of
  AND coalesce(c.valid_to, DATE '9999-12-31') > $as_of
