-- fact_child_workers: each child's allocation (fact_child_allocation's allocation date, team and
-- worker) with the allocated workers the child has had in the 12 months to each date and how many
-- (changes of worker: its headline, rows and trend read only this), as intervals: one row per child
-- and span [valid_from, valid_to) in which neither changes, for the spans in which the child has an
-- open allocation. A worker counts at t when one of their allocations of the child
-- (fact_allocation, a worker id) started on or before t and had not ended by the day 12 months
-- before t: t in [start, until), until the first day whose 12 months before is on or after the end
-- (the end's day a year on, or the day after that when the end is 29 February: a year after 29
-- February 2024 is 28 February 2025, whose 12 months before is 28 February 2024), open-ended with
-- no end. So the count changes only on a start, an end (where fact_child_allocation's spans change)
-- or an until: each of the child's allocation spans is cut at the untils inside it, and each piece
-- counts the distinct workers whose [start, until) holds its first day; workers lists them by the
-- start of their first allocation counted there, then id (NULL: none). Within a piece the
-- allocations counted do not change (each start is a span's start, each until a cut), so its first
-- day's list is every day's. (Cutting the spans at the untils inside them, not every span at every
-- date of the child, is about 0.5 s of CPU less at 1,000,000 children.) A changes-of-worker trend
-- then reads one row per span, as caseload's reads fact_child_allocation, instead of every
-- allocation of the 12 months before the period. A child without an id keeps its spans, with no
-- workers (the allocations are joined by id).
-- Each piece reads its workers from its child's windows gathered once as one sorted list
-- (`child_windows`: by start, then worker) joined to it by child, not by a range join of every
-- piece to every window of its child grouped again by piece (2.35 M joined rows grouped into
-- 1.28 M pieces at 1,000,000 children, each with a list of structs); and only the spans with
-- an until inside them are cut by a window over their days, the others (about 85%) kept as they
-- are: about 0.8 s of CPU less at 1,000,000 children (3.9 -> 3.1 s, one thread;
-- docs/performance.md, s12-alloc).
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
cuts AS (
    -- the untils inside a span of the child's allocation: where its number of workers changes
    SELECT
        c.person_id,
        c.valid_from AS span_from,
        w.until AS day,
        c.valid_to,
        c.allocated_date,
        c.team,
        c.worker_id
    FROM windows w
    JOIN fact_child_allocation c
      ON c.person_id = w.person_id
     AND c.valid_from < w.until
     AND coalesce(c.valid_to, DATE '9999-12-31') > w.until
),
cut_spans AS (
    SELECT DISTINCT person_id, span_from, valid_to, allocated_date, team, worker_id FROM cuts
),
pieces AS (
    -- the spans with no until inside them as they are; the others cut at their untils (two
    -- untils on one day: one piece, the other left empty)
    SELECT person_id, valid_from, valid_to, allocated_date, team, worker_id
    FROM fact_child_allocation c
    ANTI JOIN cut_spans s ON s.person_id = c.person_id AND s.span_from = c.valid_from
    UNION ALL
    SELECT
        person_id,
        day AS valid_from,
        least(
            coalesce(lead(day) OVER (PARTITION BY person_id, span_from ORDER BY day), valid_to),
            valid_to
        ) AS valid_to,
        allocated_date,
        team,
        worker_id
    FROM (
        SELECT person_id, span_from, span_from AS day, valid_to, allocated_date, team, worker_id
        FROM cut_spans
        UNION ALL
        SELECT person_id, span_from, day, valid_to, allocated_date, team, worker_id
        FROM cuts
    ) b
),
child_windows AS (
    -- each child's windows in order of start, then worker (each piece's list is a filter of it)
    SELECT
        person_id,
        list_sort(
            list({'s': start_date, 'w': worker_id, 'u': coalesce(until, DATE '9999-12-31')})
        ) AS windows
    FROM windows
    GROUP BY person_id
),
ordered AS (
    -- each piece's workers' ids in order of their allocations' starts (then id), a worker once
    -- for each of its allocations counted there (NULL: none); listed keeps each worker's first:
    -- so by the start of their first allocation counted, then id
    SELECT
        p.*,
        nullif(
            list_transform(
                list_filter(w.windows, lambda x: x.s <= p.valid_from AND x.u > p.valid_from),
                lambda x: x.w
            ),
            []
        ) AS counted
    FROM pieces p
    LEFT JOIN child_windows w ON w.person_id = p.person_id
    WHERE p.valid_to IS NULL OR p.valid_to > p.valid_from
),
listed AS (
    SELECT * EXCLUDE (counted),
        list_filter(counted, lambda x, i: list_position(counted, x) = i) AS workers
    FROM ordered
)
SELECT
    person_id,
    valid_from,
    valid_to,
    allocated_date,
    team,
    worker_id,
    coalesce(len(workers), 0) AS workers_12m,
    workers
FROM listed
ORDER BY valid_from, person_id
