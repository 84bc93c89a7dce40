-- fact_note_team: the team of the case notes whose worker has no department of their own, for
-- case recording's team (read through fact_note, a view): the team on that worker's latest
-- allocation of the child started by the note's event date (ties by involvement id), one row
-- per worker, child and event date with such an allocation. Neither needs an as-of date: a note
-- is only read at an as-of on or after its event date, and an allocation started by then is
-- known at that as-of. Looked for only among the notes of workers who can need one: workers with
-- an allocation (fact_allocation) and no department (ssd_professionals is keyed by its id, so a
-- worker's department is NULL exactly when no professional with that id has one). With none, as
-- in the bench extracts, it reads no note and is empty, and fact_note is made without its join.
WITH depts AS (
    SELECT prof_professional_id, nullif(trim(prof_professional_department), '') AS worker_team
    FROM ssd_professionals
),
-- The allocations of workers with no department: the only ones a fallback can come from (read
-- first, so that with none the notes and the other allocations are not joined at all: 0.03
-- against 0.14 s at 1,000,000 children, where every worker has a department).
teamless_allocations AS (
    SELECT a.worker_id, a.person_id, a.start_date, a.involvement_id, a.team
    FROM fact_allocation a
    WHERE NOT EXISTS (
        SELECT 1
        FROM depts d
        WHERE d.prof_professional_id = a.worker_id AND d.worker_team IS NOT NULL
    )
)
SELECT
    k.worker_id,
    k.person_id,
    k.event_date,
    arg_max(a.team, (a.start_date, a.involvement_id)) AS team
FROM (
    SELECT DISTINCT n.worker_id, n.person_id, n.event_date
    FROM case_notes n
    WHERE n.event_date IS NOT NULL
      AND n.worker_id IN (SELECT worker_id FROM teamless_allocations)
) k
JOIN teamless_allocations a
  ON a.worker_id = k.worker_id
 AND a.person_id = k.person_id
 AND a.start_date <= k.event_date
GROUP BY k.worker_id, k.person_id, k.event_date
