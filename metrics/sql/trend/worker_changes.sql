-- Changes of worker month by month (Engine.monthly): each month end's figures as
-- worker_changes.sql's rows would give them at that date, from the same spans, each read once
-- rather than once a month (month_grid: a span as the bits of the month ends it covers).
-- A child counts at a month end when its allocation then (fact_child_allocation's span, with
-- its team and worker for the filters) covers it. A worker counts among the child's workers of
-- the 12 months to a month end when one of their allocations (fact_allocation) started by it and
-- had not ended by the day 12 months before it: from the first month end on or after the start
-- to the last whose day 12 months before is before the end (those days are month ends too, but
-- for the last: the same arithmetic on $grid moved back 12 months). A worker's allocations of a
-- child are OR'd, so each worker counts once a month.
-- Three or more: each month's count of the child's workers is carried in a 7-bit field of one
-- integer (field k for month k; the sum over the child's workers of each worker's months
-- spread into fields: a run of months [lo, hi) is (2^(7 hi) - 2^(7 lo)) / 127), so 18 months at
-- most (Measure.month_bits) and 63 workers a child (a child with more is counted month by
-- month instead); adding 61 to every field carries into its top bit exactly when it holds 3 or
-- more (63 + 61 < 128: no field carries into the next).
-- uses: month_grid
WITH present AS (
    SELECT
        c.person_id,
        bit_or(
            month_bits(c.valid_from, c.valid_to, $grid)
        ) AS months
    FROM fact_child_allocation c
    WHERE c.valid_from <= $grid[-1]
      AND coalesce(c.valid_to, DATE '9999-12-31') > $grid[1]
      AND ($team IS NULL OR c.team = $team)
      AND ($worker IS NULL OR c.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, c.team))
      AND ($person IS NULL OR c.person_id = $person)
    GROUP BY c.person_id
),
allocations AS (
    SELECT
        a.person_id,
        a.worker_id,
        greatest(0, month_number(a.start_date, $grid)) AS lo,
        CASE
            WHEN coalesce(a.end_date, DATE '9999-12-31')
                > CAST(CAST($grid[-1] AS DATE) - INTERVAL 12 MONTH AS DATE) THEN len($grid)
            -- months from the first month end moved back 12 months: 12 more than from it
            ELSE greatest(0, 12 + month_number(a.end_date, $grid))
        END AS hi
    FROM fact_allocation a
    WHERE a.worker_id IS NOT NULL
      AND a.start_date <= $grid[-1]
      AND coalesce(a.end_date, DATE '9999-12-31')
          > CAST(CAST($grid[1] AS DATE) - INTERVAL 12 MONTH AS DATE)
),
worked AS (
    -- each worker of a child counted in some month: the months they count (their allocations'
    -- OR'd), those months when the child counts too, and their months spread into fields
    SELECT
        w.person_id,
        w.months & p.months AS counted,
        CASE
            WHEN w.months = (CAST(1 AS BIGINT) << w.hi) - (CAST(1 AS BIGINT) << w.lo)
                THEN f.runs[w.hi + 1] - f.runs[w.lo + 1]
            ELSE list_sum(list_transform(
                range(len($grid)),
                lambda k: ((w.months >> k) & 1) * (CAST(1 AS HUGEINT) << (7 * k))
            ))
        END AS fields
    FROM (
        SELECT
            a.person_id,
            min(a.lo) AS lo,
            max(a.hi) AS hi,
            bit_or((CAST(1 AS BIGINT) << a.hi) - (CAST(1 AS BIGINT) << a.lo)) AS months
        FROM allocations a
        WHERE a.hi > a.lo
        GROUP BY a.person_id, a.worker_id
    ) w
    JOIN present p ON p.person_id = w.person_id
    -- runs[i + 1]: months [0, i) spread into fields, (2^(7 i) - 1) / 127
    CROSS JOIN (
        SELECT list_transform(
            range(len($grid) + 1), lambda i: ((CAST(1 AS HUGEINT) << (7 * i)) - 1) // 127
        ) AS runs
    ) f
),
children AS (
    -- each child's months with three or more workers, as the top bits of their fields (bit
    -- 7k + 6 for month k); a child with more than 63 workers (fields too narrow) has none here
    -- and is counted month by month (many)
    SELECT
        w.person_id,
        count(*) AS workers,
        CASE WHEN count(*) BETWEEN 3 AND 63 THEN
            (sum(w.fields) + 61 * (((CAST(1 AS HUGEINT) << (7 * len($grid))) - 1) // 127))
            & (64 * (((CAST(1 AS HUGEINT) << (7 * len($grid))) - 1) // 127))
        END AS three_plus
    FROM worked w
    GROUP BY w.person_id
),
many AS (
    SELECT w.person_id, g.k
    FROM worked w
    JOIN month_grid g ON (w.counted >> g.k) & 1 = 1
    WHERE w.person_id IN (SELECT person_id FROM children WHERE workers > 63)
    GROUP BY w.person_id, g.k
    HAVING count(*) >= 3
),
patterns AS (
    SELECT 'children' AS figure, months, NULL AS three_plus, count(*) AS n
    FROM present GROUP BY months
    UNION ALL
    SELECT 'workers', counted, NULL, count(*) FROM worked GROUP BY counted
    UNION ALL
    SELECT 'three_plus', p.months, c.three_plus, count(*)
    FROM children c JOIN present p ON p.person_id = c.person_id
    WHERE c.three_plus IS NOT NULL AND c.three_plus <> 0
    GROUP BY p.months, c.three_plus
),
counts AS (
    SELECT
        g.k,
        coalesce(sum(p.n) FILTER (WHERE p.figure = 'children'), 0) AS children,
        coalesce(sum(p.n) FILTER (WHERE p.figure = 'workers'), 0) AS workers,
        coalesce(sum(p.n) FILTER (
            WHERE p.figure = 'three_plus' AND (p.three_plus >> (7 * g.k + 6)) & 1 = 1
        ), 0) AS three_plus
    FROM month_grid g
    LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
    GROUP BY g.k
)
SELECT
    c.k,
    c.children,
    c.three_plus + coalesce(m.n, 0) AS three_plus,
    100.0 * (c.three_plus + coalesce(m.n, 0)) / nullif(c.children, 0) AS three_plus_pct,
    c.workers / nullif(c.children, 0) AS mean_workers,
    c.three_plus + coalesce(m.n, 0) AS three_plus_pct_numerator,
    c.children AS three_plus_pct_denominator
FROM counts c
LEFT JOIN (SELECT k, count(*) AS n FROM many GROUP BY k) m ON m.k = c.k
