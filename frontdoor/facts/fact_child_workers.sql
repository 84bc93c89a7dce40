-- fact_child_workers: each child's allocation (fact_child_allocation's team and worker) with how
-- many allocated workers the child has had in the 12 months to each date (changes of worker,
-- worker_changes.sql), as intervals: one row per child and span [valid_from, valid_to) in which
-- neither changes, for the spans in which the child has an open allocation. A worker counts at t
-- when one of their allocations of the child (fact_allocation, a worker id) started on or before
-- t and had not ended by the day 12 months before t: t in [start, until), until the first day
-- whose 12 months before is on or after the end (the end's day a year on, or the day after that
-- when the end is 29 February: a year after 29 February 2024 is 28 February 2025, whose 12
-- months before is 28 February 2024), open-ended with no end. So the count changes only on a
-- start, an end (the child's allocation) or an until: the spans run from each such date of the
-- child to the next, each counting the distinct workers whose [start, until) holds its first
-- day. A changes-of-worker trend then reads one row per span, as caseload's reads
-- fact_child_allocation, instead of every allocation of the 12 months before the period.
WITH windows AS (
    SELECT
        person_id,
        worker_id,
        start_date,
        CASE
            WHEN end_date IS NULL THEN NULL
            WHEN CAST(CAST(end_date + INTERVAL 12 MONTH AS DATE) - INTERVAL 12 MONTH AS DATE)
                >= end_date THEN CAST(end_date + INTERVAL 12 MONTH AS DATE)
            ELSE CAST(end_date + INTERVAL 12 MONTH AS DATE) + 1
        END AS until
    FROM fact_allocation
    WHERE worker_id IS NOT NULL AND start_date IS NOT NULL AND person_id IS NOT NULL
),
bounds AS (
    SELECT person_id, valid_from AS day FROM fact_child_allocation
    UNION
    SELECT person_id, until FROM windows WHERE until IS NOT NULL
),
pieces AS (
    -- every span of the child's allocation cut at the untils inside it
    SELECT
        c.person_id,
        b.day AS valid_from,
        least(
            coalesce(lead(b.day) OVER (PARTITION BY b.person_id ORDER BY b.day), c.valid_to),
            c.valid_to
        ) AS valid_to,
        c.team,
        c.worker_id
    FROM bounds b
    JOIN fact_child_allocation c
      ON c.person_id IS NOT DISTINCT FROM b.person_id
     AND c.valid_from <= b.day
     AND coalesce(c.valid_to, DATE '9999-12-31') > b.day
)
SELECT
    p.person_id,
    p.valid_from,
    p.valid_to,
    p.team,
    p.worker_id,
    count(DISTINCT w.worker_id) AS workers_12m
FROM pieces p
LEFT JOIN windows w
  ON w.person_id = p.person_id
 AND w.start_date <= p.valid_from
 AND coalesce(w.until, DATE '9999-12-31') > p.valid_from
GROUP BY ALL
ORDER BY p.valid_from, p.person_id
