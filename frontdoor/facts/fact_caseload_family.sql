-- fact_caseload_family: fact_caseload_pair's spans of the named workers' pairs, cut where the
-- worker's open children of the pair's family change, with how many they are (family_children)
-- and whether the pair is the one that counts the family (family_first: the family's least
-- person id among them). At any as-of date a worker's families are then the open rows with
-- family_first, and their sibling groups those with family_children >= 2, so the caseload per
-- worker (caseload_workers.sql) counts rows of one grouping by worker and team instead of
-- grouping every open pair by family as well (that grouping was most of its time at 200,000
-- children). The cuts: a (worker, family)'s spans run from each start or end of its pairs' spans
-- to the next (as fact_caseload_pair's per pair), and each pair span open at a span's start is
-- one row for that span. A pair without a family (no child id) is kept as it is, counting no
-- family (family_first FALSE, family_children NULL). Rows in order of their end, the open ones
-- (no end) last: at the extract date, the dashboard's as-of unless one is chosen, the rows open
-- are the last row groups, which DuckDB's zone maps let it reach without reading the others.
WITH pairs AS (
    SELECT person_id, worker_id, valid_from, valid_to, allocated_date, team, family_id
    FROM fact_caseload_pair
    WHERE worker_id IS NOT NULL
),
-- Each worker and family's dates gathered as one sorted list of distinct days and the spans
-- read off it (a day and the next: unnest pads the shorter list with NULL, the open-ended last
-- span), not by a window over every day: the same spans without sorting them all (about 0.045 s
-- of CPU less at 200,000 children).
bounds AS (
    SELECT worker_id, family_id, list_sort(list(DISTINCT day)) AS days
    FROM (
        SELECT worker_id, family_id, valid_from AS day
        FROM pairs
        WHERE family_id IS NOT NULL
        UNION ALL
        SELECT worker_id, family_id, valid_to
        FROM pairs
        WHERE family_id IS NOT NULL AND valid_to IS NOT NULL
    )
    GROUP BY worker_id, family_id
),
spans AS (
    SELECT worker_id, family_id, unnest(days) AS valid_from, unnest(days[2:]) AS valid_to
    FROM bounds
),
pieces AS (
    SELECT p.person_id, p.worker_id, s.family_id, s.valid_from, s.valid_to, p.allocated_date, p.team
    FROM spans s
    JOIN pairs p
      ON p.worker_id = s.worker_id
     AND p.family_id = s.family_id
     AND p.valid_from <= s.valid_from
     AND coalesce(p.valid_to, DATE '9999-12-31') > s.valid_from
),
families AS (
    SELECT
        worker_id,
        family_id,
        valid_from,
        count(person_id) AS family_children,
        min(person_id) AS first_child
    FROM pieces
    GROUP BY worker_id, family_id, valid_from
)
SELECT
    p.person_id,
    p.worker_id,
    p.valid_from,
    p.valid_to,
    p.allocated_date,
    p.team,
    p.person_id = f.first_child AS family_first,
    f.family_children
FROM pieces p
JOIN families f
  ON f.worker_id = p.worker_id AND f.family_id = p.family_id AND f.valid_from = p.valid_from
UNION ALL
SELECT person_id, worker_id, valid_from, valid_to, allocated_date, team, FALSE, NULL
FROM pairs
WHERE family_id IS NULL
ORDER BY valid_to NULLS LAST, valid_from, worker_id, person_id
