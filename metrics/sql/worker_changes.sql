-- Changes of worker (snapshot at as-of; measures.md "More of the letter"): one row per child with
-- an open allocation at as-of (child_allocation), with the number of distinct allocated case
-- workers whose allocations overlap the 12 months to as-of: started on or before as-of and not
-- ended by the day 12 calendar months before it (an allocation ending ON that day was closed
-- then, as "open at t" reads everywhere). A blank worker id is not a worker. three_plus: 3 or
-- more. workers: the worker ids, in the order the child had them (text: 'W1, W2, W3').
-- Team and worker: the child's allocated worker now (the earliest open allocation), so a team
-- lead sees the children their team holds.
-- The allocations overlapping the 12 months are read from fact_allocation as one interval test
-- (started by as-of, recorded end after the day 12 months before; an end after as-of, not yet
-- known then, is after that day too), for the children allocated at as-of alone (the only rows
-- kept), so a trend over month ends reads each allocation once.
-- uses: child_allocation
SELECT
    c.person_id,
    c.allocated_date,
    coalesce(w.workers_12m, 0) AS workers_12m,
    coalesce(w.workers_12m >= 3, FALSE) AS three_plus,
    w.workers,
    c.team,
    c.worker_id
FROM child_allocation c
LEFT JOIN (
    SELECT
        person_id,
        count(*) AS workers_12m,
        string_agg(worker_id, ', ' ORDER BY first_start, worker_id) AS workers
    FROM (
        SELECT a.person_id, a.worker_id, min(a.start_date) AS first_start
        FROM child_allocation h
        JOIN fact_allocation a
          ON a.person_id = h.person_id
         AND a.start_date <= $as_of
         AND coalesce(a.end_date, DATE '9999-12-31')
             > CAST(CAST($as_of AS DATE) - INTERVAL 12 MONTH AS DATE)
        WHERE a.worker_id IS NOT NULL
        GROUP BY a.person_id, a.worker_id
    ) pw
    GROUP BY person_id
) w ON w.person_id = c.person_id
