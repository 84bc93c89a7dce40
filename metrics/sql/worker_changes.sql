-- Changes of worker (snapshot at as-of; measures.md "More of the letter"): one row per child with
-- an open allocation at as-of (child_allocation), with the number of distinct allocated case
-- workers whose allocations overlap the 12 months to as-of: started on or before as-of and not
-- ended by the day 12 calendar months before it (an allocation ending ON that day was closed
-- then, as "open at t" reads everywhere). A blank worker id is not a worker. three_plus: 3 or
-- more. workers: the worker ids, in the order the child had them (text: 'W1, W2, W3').
-- Team and worker: the child's allocated worker now (the earliest open allocation), so a team
-- lead sees the children their team holds.
-- uses: allocation_rows, open_allocations, child_allocation
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
        FROM allocation_rows a
        WHERE a.worker_id IS NOT NULL
          AND (
              a.end_date IS NULL
              OR a.end_date > CAST(CAST($as_of AS DATE) - INTERVAL 12 MONTH AS DATE)
          )
        GROUP BY a.person_id, a.worker_id
    ) pw
    GROUP BY person_id
) w ON w.person_id = c.person_id
