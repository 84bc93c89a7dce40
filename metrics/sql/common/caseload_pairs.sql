-- caseload_pairs: one row per (worker, child) with an open allocation at as-of, with the child's
-- family (ssd_family; a child with no family row is a family of one, 'solo:<person id>') and
-- the worker's facts. Several open allocations of the same child to the same worker are one
-- pair: the earliest gives the allocation date and team. The loader works the pairs out once for
-- every span of dates in which a pair's open allocations do not change (fact_caseload_pair), so
-- at as-of they are one interval test on the spans.
-- uses: workers
SELECT
    p.person_id,
    p.worker_id,
    w.worker_name,
    p.team,
    coalesce(f.fami_family_id, 'solo:' || p.person_id) AS family_id,
    p.allocated_date,
    w.qualified,
    w.agency,
    w.fte
FROM fact_caseload_pair p
LEFT JOIN workers w ON w.worker_id = p.worker_id
LEFT JOIN ssd_family f
  ON f.fami_person_id = p.person_id AND nullif(trim(f.fami_family_id), '') IS NOT NULL
WHERE p.valid_from <= $as_of
  AND coalesce(p.valid_to, DATE '9999-12-31') > $as_of
