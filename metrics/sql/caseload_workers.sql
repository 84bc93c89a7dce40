-- Caseloads per worker (measures.md "Caseloads, counted by child"): one row per worker with
-- allocations open at as-of. children = distinct children; families = distinct families (a child
-- with no family row is a family of one); sibling_groups = families with 2+ children on THIS
-- worker's caseload; children_per_fte = children / FTE, NULL when the FTE is blank or not
-- positive (never taken as 1).
-- team: the team named on most of the worker's open allocations (ties: the latest allocation's),
-- so the team filter keeps a worker's whole caseload together.
-- The worker's row at as-of is fact_caseload_worker's span covering it: that fact holds each
-- worker's children, families, sibling groups, team, children per FTE and oldest allocation date
-- for every span of dates in which they do not change, counted from fact_caseload_pair's pairs
-- (a child is at most one pair of a worker at any date, a family counted while any of its
-- children is a pair of the worker), so this query and the monthly trend
-- (trend/caseload_workers.sql) read the same rows, one per worker at a date, and the measure is
-- defined once, in the fact. The worker's own facts
-- (name, FTE, qualified, agency) are joined to those rows (832 at 200,000 children).
-- uses: workers
SELECT
    c.worker_id,
    w.worker_name,
    c.team,
    c.children,
    c.families,
    c.sibling_groups,
    w.fte,
    c.children_per_fte,
    w.qualified,
    w.agency,
    c.oldest_allocation_date
FROM fact_caseload_worker c
LEFT JOIN workers w ON w.worker_id = c.worker_id
WHERE c.valid_from <= $as_of
  AND coalesce(c.valid_to, DATE '9999-12-31') > $as_of
