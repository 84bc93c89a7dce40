-- Caseloads month by month (Engine.monthly): each month end's figures as caseload.sql's rows
-- would give them at that date, from the same pairs (fact_caseload_pair: a pair is on a caseload
-- at a date when valid_from <= date < valid_to), each pair read once rather than once a month.
-- $grid: the month ends in order (the last may be the as-of date); month_grid says how each span
-- is read as the month ends it covers (bit k for $grid[k + 1]). A child, worker or family counts
-- at a month end when any of its pairs covers it, so the OR of its pairs' bits are its months;
-- a family is a sibling group in a month when two of its children count then (the OR, over its
-- pairs of children, of the AND of their bits). Each figure of month k is then how many
-- children (workers, families, groups) have bit k, counted by distinct bits (a few hundred
-- patterns) rather than by month. The team, worker and person filters are applied to the
-- pairs here, as caseload.sql and the engine apply them to its rows.
-- uses: month_grid
WITH s AS (
    SELECT
        p.person_id,
        p.worker_id,
        p.family_id,
        month_bits(p.valid_from, p.valid_to, $grid)
            AS months
    FROM fact_caseload_pair p
    WHERE p.valid_from <= $grid[-1]
      AND coalesce(p.valid_to, DATE '9999-12-31') > $grid[1]
      AND ($team IS NULL OR p.team = $team)
      AND ($worker IS NULL OR p.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, p.team))
      AND ($person IS NULL OR p.person_id = $person)
),
children AS (
    SELECT person_id, family_id, bit_or(months) AS months
    FROM s
    WHERE person_id IS NOT NULL
    GROUP BY person_id, family_id
),
patterns AS (
    SELECT 'workers' AS figure, months, count(*) AS n
    FROM (SELECT bit_or(months) AS months FROM s WHERE worker_id IS NOT NULL GROUP BY worker_id)
    GROUP BY months
    UNION ALL
    SELECT 'children', months, count(*) FROM children GROUP BY months
    UNION ALL
    SELECT 'families', months, count(*)
    FROM (SELECT bit_or(months) AS months FROM children GROUP BY family_id)
    GROUP BY months
    UNION ALL
    SELECT 'sibling_groups', months, count(*)
    FROM (
        SELECT bit_or(a.months & b.months) AS months
        FROM children a
        JOIN children b ON b.family_id = a.family_id AND b.person_id > a.person_id
        GROUP BY a.family_id
    )
    GROUP BY months
)
SELECT
    g.k,
    coalesce(sum(p.n) FILTER (WHERE p.figure = 'workers'), 0) AS workers,
    coalesce(sum(p.n) FILTER (WHERE p.figure = 'children'), 0) AS children,
    coalesce(sum(p.n) FILTER (WHERE p.figure = 'families'), 0) AS families,
    coalesce(sum(p.n) FILTER (WHERE p.figure = 'sibling_groups'), 0) AS sibling_groups
FROM month_grid g
LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
GROUP BY g.k
