-- Caseloads per worker (measures.md "Caseloads, counted by child"): one row per worker with
-- allocations open at as-of. children = distinct children; families = distinct families (a child
-- with no family row is a family of one); sibling_groups = families with 2+ children on THIS
-- worker's caseload; children_per_fte = children / FTE, NULL when the FTE is blank or not
-- positive (never taken as 1).
-- team: the team named on most of the worker's open allocations (ties: the latest allocation's),
-- so the team filter keeps a worker's whole caseload together.
-- A child is at most one pair of a worker at as-of (fact_caseload_family: caseload_pairs' pairs
-- of named workers, each span cut where the worker's children of its family change), and each
-- family the worker holds is counted by exactly one of its open pairs (family_first), with how
-- many children it has there (family_children). So a worker's pairs are counted once, by team,
-- and the worker's row is read off those counts: children = the pairs naming a child; families =
-- the pairs counting a family; sibling groups = those of 2+ children; team = the team of the
-- most pairs (ties: the latest allocation date, then the greater team, as the maximum of (pairs,
-- latest date, team) over the pairs would be). The worker's own facts are joined to the ~1,000
-- rows, not to every pair. No window, no distinct count and no grouping by family: those were
-- most of the query's time (a trend's over month ends, and pandas' figure (c) at 200,000).
-- uses: workers
WITH by_team AS (
    SELECT
        p.worker_id,
        p.team,
        count(*) AS pairs,
        count(p.person_id) AS children,
        count(*) FILTER (WHERE p.family_first) AS families,
        count(*) FILTER (WHERE p.family_first AND p.family_children >= 2) AS sibling_groups,
        max(p.allocated_date) AS latest_allocation_date,
        min(p.allocated_date) AS oldest_allocation_date
    FROM fact_caseload_family p
    WHERE p.valid_from <= $as_of
      AND coalesce(p.valid_to, DATE '9999-12-31') > $as_of
    GROUP BY p.worker_id, p.team
),
by_worker AS (
    SELECT
        t.worker_id,
        arg_max(t.team, (t.pairs, t.latest_allocation_date, t.team)) AS team,
        CAST(sum(t.children) AS BIGINT) AS children,
        CAST(sum(t.families) AS BIGINT) AS families,
        CAST(sum(t.sibling_groups) AS BIGINT) AS sibling_groups,
        min(t.oldest_allocation_date) AS oldest_allocation_date
    FROM by_team t
    GROUP BY t.worker_id
)
SELECT
    b.worker_id,
    w.worker_name,
    b.team,
    b.children,
    b.families,
    b.sibling_groups,
    w.fte,
    CASE WHEN w.fte > 0 THEN b.children / w.fte END AS children_per_fte,
    w.qualified,
    w.agency,
    b.oldest_allocation_date
FROM by_worker b
LEFT JOIN workers w ON w.worker_id = b.worker_id
