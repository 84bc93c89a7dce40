-- Caseloads, counted by child (measures.md): one row per (worker, child) allocation open at as-of.
-- family_id: ssd_family's, else 'solo:<person id>' (a child with no family row is a family of
-- one). The team and worker filters are applied here as well as by the engine, so that
-- family_children (children of the family among the rows shown) describes the filtered caseload.
-- The sibling_groups aggregate counts, in whatever group it is taken over (authority, team,
-- worker), the families with 2+ distinct children in that group, so a team total counts a child
-- once per team and a family split between two workers is a sibling group for the authority but
-- not for either worker.
-- uses: caseload_pairs
SELECT
    c.person_id,
    c.worker_id,
    c.worker_name,
    c.team,
    c.family_id,
    c.allocated_date,
    c.qualified,
    c.agency,
    c.fte,
    count(DISTINCT c.person_id) OVER (PARTITION BY c.family_id) AS family_children
FROM caseload_pairs c
WHERE ($team IS NULL OR c.team = $team)
  AND ($worker IS NULL OR c.worker_id = $worker)
  AND ($teams IS NULL OR list_contains($teams, c.team))
