-- Caseloads per worker (measures.md "Caseloads, counted by child"): one row per worker with
-- allocations open at as-of. children = distinct children; families = distinct families (a child
-- with no family row is a family of one); sibling_groups = families with 2+ children on THIS
-- worker's caseload; children_per_fte = children / FTE, NULL when the FTE is blank or not
-- positive (never taken as 1).
-- team: the team named on most of the worker's open allocations (ties: the latest allocation's),
-- so the team filter keeps a worker's whole caseload together.
-- A child is at most one pair of a worker at as-of (caseload_pairs: one row per worker and
-- child), so a worker's pairs are counted once per family and once per team (one pass over the
-- pairs, two groupings), and the worker's row is read off those counts: children = the pairs
-- naming a child, summed over the families; families = the family groups; sibling groups = those
-- of 2+ children; team = the team of the most pairs (ties: the latest allocation date, then the
-- greater team, as the maximum of (pairs, latest date, team) over the pairs would be). No
-- window and no distinct count: those were most of a trend's time over month ends.
-- uses: caseload_pairs
WITH counted AS (
    SELECT
        p.worker_id,
        p.family_id,
        p.team,
        grouping(p.family_id) = 0 AS by_family,
        count(p.person_id) AS children,
        count(*) AS pairs,
        max(p.allocated_date) AS latest_allocation_date,
        min(p.allocated_date) AS oldest_allocation_date,
        any_value(p.worker_name) AS worker_name,
        any_value(p.fte) AS fte,
        any_value(p.qualified) AS qualified,
        any_value(p.agency) AS agency
    FROM caseload_pairs p
    WHERE p.worker_id IS NOT NULL
    GROUP BY GROUPING SETS ((p.worker_id, p.family_id), (p.worker_id, p.team))
)
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
        arg_max(c.team, (c.pairs, c.latest_allocation_date, c.team)) FILTER (WHERE NOT c.by_family)
            AS team,
        CAST(sum(c.children) FILTER (WHERE c.by_family) AS BIGINT) AS children,
        count(c.family_id) FILTER (WHERE c.by_family) AS families,
        count(c.family_id) FILTER (WHERE c.by_family AND c.children >= 2) AS sibling_groups,
        any_value(c.fte) AS fte,
        any_value(c.qualified) AS qualified,
        any_value(c.agency) AS agency,
        min(c.oldest_allocation_date) AS oldest_allocation_date
    FROM counted c
    GROUP BY c.worker_id
) w
