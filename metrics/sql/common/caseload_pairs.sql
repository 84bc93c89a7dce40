-- caseload_pairs: one row per (worker, child) with an open allocation at as-of, with the child's
-- family (ssd_family; a child with no family row is a family of one, 'solo:<person id>') and
-- the worker's facts. Several open allocations of the same child to the same worker are one
-- pair: the earliest gives the allocation date and team. The loader works the pairs out once for
-- every span of dates in which a pair's open allocations do not change (fact_caseload_pair), so
-- at as-of they are one interval test on the spans; it holds the child's family too.
-- uses: workers
SELECT
    p.person_id,
    p.worker_id,
    w.worker_name,
    p.team,
    p.family_id,
    p.allocated_date,
    w.qualified,
    w.agency,
    w.fte
FROM fact_caseload_pair p
LEFT JOIN workers w ON w.worker_id = p.worker_id
WHERE p.valid_from <= $as_of
  AND coalesce(p.valid_to, DATE '9999-12-31') > $as_of
