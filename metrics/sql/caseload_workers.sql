-- Caseloads per worker (measures.md "Caseloads, counted by child"): one row per worker with
-- allocations open at as-of. children = distinct children; families = distinct families (a child
-- with no family row is a family of one); sibling_groups = families with 2+ children on THIS
-- worker's caseload; children_per_fte = children / FTE, NULL when the FTE is blank or not
-- positive (never taken as 1).
-- team: the team named on most of the worker's open allocations (ties: the latest allocation's),
-- so the team filter keeps a worker's whole caseload together.
-- The per-family and per-team counts are windows over the worker's own pairs (a window's
-- partition groups a blank team as one, as IS NOT DISTINCT FROM would). A child is at most one
-- pair of a worker at as-of (caseload_pairs: one row per worker and child), so the children of
-- a family, or of the worker, are counted as the pairs naming one (no DISTINCT needed: a
-- distinct count in a window is what made a trend over month ends slow).
-- uses: caseload_pairs
SELECT
    w.worker_id,
    w.worker_name,
    w.team,
    w.children,
    w.families,
    w.sibling_groups,
    w.fte,
    CASE WHEN w.fte > 0 THEN w.children / w.fte END AS children_per_fte,
    w.qualified,
    w.agency,
    w.oldest_allocation_date
FROM (
    SELECT
        c.worker_id,
        any_value(c.worker_name) AS worker_name,
        arg_max(c.team, (c.team_pairs, c.allocated_date, c.team)) AS team,
        count(c.person_id) AS children,
        count(DISTINCT c.family_id) AS families,
        count(DISTINCT c.family_id) FILTER (WHERE c.family_children >= 2) AS sibling_groups,
        any_value(c.fte) AS fte,
        any_value(c.qualified) AS qualified,
        any_value(c.agency) AS agency,
        min(c.allocated_date) AS oldest_allocation_date
    FROM (
        SELECT
            p.*,
            count(p.person_id) OVER (PARTITION BY p.worker_id, p.family_id) AS family_children,
            count(*) OVER (PARTITION BY p.worker_id, p.team) AS team_pairs
        FROM caseload_pairs p
        WHERE p.worker_id IS NOT NULL
    ) c
    GROUP BY c.worker_id
) w
