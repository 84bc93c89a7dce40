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
-- Each child's windows are gathered once as one sorted list (`child_windows`: by start, then
-- worker) joined to each of its spans by child: the untils inside a span are read off it (most
-- spans have none and are a piece as they are; the others are cut there by unnesting), and each
-- piece's workers are a filter of it. That replaced a range join of the windows to the spans
-- (the cuts), a window over every span's days, and a range join of every piece to every window
-- of its child grouped again by piece (2.35 M joined rows grouped into 1.28 M pieces at
-- 1,000,000 children, each with a list of structs): about 1.4-1.6 s of CPU less at
-- 1,000,000 children (one thread; docs/performance.md, s12-alloc).
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
child_windows AS (
    -- each child's windows in order of start, then worker (u: the until, open-ended: never)
    SELECT
        person_id,
        list_sort(
            list({'s': start_date, 'w': worker_id, 'u': coalesce(until, DATE '9999-12-31')})
        ) AS windows
    FROM windows
    GROUP BY person_id
),
spans AS (
    -- each span of the child's allocation with its child's windows and the untils inside it
    -- (in order, two on one day once): where its number of workers changes
    SELECT
        c.person_id,
        c.valid_from,
        c.valid_to,
        c.allocated_date,
        c.team,
        c.worker_id,
        w.windows,
        list_sort(list_distinct(list_filter(
            list_transform(w.windows, lambda x: x.u),
            lambda u: u > c.valid_from AND u < coalesce(c.valid_to, DATE '9999-12-31')
        ))) AS cuts
    FROM fact_child_allocation c
    LEFT JOIN child_windows w ON w.person_id = c.person_id
),
pieces AS (
    -- every span cut at them: a span with none as it is, the others from each cut to the next
    SELECT person_id, valid_from, valid_to, allocated_date, team, worker_id, windows
    FROM spans
    WHERE cuts IS NULL OR len(cuts) = 0
    UNION ALL
    SELECT
        person_id,
        unnest([valid_from] || cuts) AS valid_from,
        unnest(cuts || [valid_to]) AS valid_to,
        allocated_date,
        team,
        worker_id,
        windows
    FROM spans
    WHERE len(cuts) > 0
),
ordered AS (
    -- each piece's workers' ids in order of their allocations' starts (then id), a worker once
    -- for each of its allocations counted there (NULL: none); listed keeps each worker's first:
    -- so by the start of their first allocation counted, then id
    SELECT
        * EXCLUDE (windows),
        nullif(
            list_transform(
                list_filter(windows, lambda x: x.s <= valid_from AND x.u > valid_from),
                lambda x: x.w
            ),
            []
        ) AS counted
    FROM pieces
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
