-- caseload_pairs: one row per (worker, child) with an open allocation at as-of, with the child's
-- family (ssd_family; a child with no family row is a family of one, 'solo:<person id>') and
-- the worker's facts. Several open allocations of the same child to the same worker are one
-- pair: the earliest gives the allocation date and team.
-- uses: open_allocations, workers
SELECT
    a.person_id,
    a.worker_id,
    w.worker_name,
    arg_min(a.team, (a.start_date, a.involvement_id)) AS team,
    coalesce(any_value(f.fami_family_id), 'solo:' || a.person_id) AS family_id,
    min(a.start_date) AS allocated_date,
    any_value(w.qualified) AS qualified,
    any_value(w.agency) AS agency,
    any_value(w.fte) AS fte
FROM open_allocations a
LEFT JOIN workers w ON w.worker_id = a.worker_id
LEFT JOIN ssd_family f ON f.fami_person_id = a.person_id AND nullif(trim(f.fami_family_id), '') IS NOT NULL
GROUP BY a.person_id, a.worker_id, w.worker_name
