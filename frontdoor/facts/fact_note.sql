-- fact_note: every case note with an event date (note_type trimmed and lower-cased), with what
-- case recording (recording.sql) would otherwise work out again for 3.5 million notes a year at
-- a million children: its team, and the working-day index (calendar.wd_index) of its event and
-- recorded dates, so a lag is one subtraction rather than two calendar look-ups a note.
-- team: the note's worker's own department, else the team on that worker's latest allocation
-- of the child started by the event date (ties by involvement id). Neither needs an as-of date:
-- a note is only read at an as-of on or after its event date, and an allocation started by then
-- is known at that as-of. recorded_date is the recorded date: readers hide one after their as-of
-- (the note is then outstanding). Not sorted: sorting by event date made the load's peak memory
-- larger and the year's headline no faster on the bench extracts (their notes are in date order
-- already); an extract in another order has its notes scanned whole, as case_notes was before.
-- The departments are trimmed once (930 professionals, not 2.8 M notes), the notes read once
-- as they stream to the table (not first gathered as a shared CTE), and the fallback looked for
-- only among the notes of workers who can need one: workers with an allocation (fact_allocation)
-- and no department (ssd_professionals is keyed by its id, so a worker's department is NULL
-- exactly when no professional with that id has one). With none, as in the bench extracts, that
-- part reads nothing: about 0.3 s of CPU less at 200,000 children (1.8 -> 1.5 s), and the
-- load's peak memory about a quarter lower (the gathered notes were held in memory).
WITH depts AS (
    SELECT prof_professional_id, nullif(trim(prof_professional_department), '') AS worker_team
    FROM ssd_professionals
),
teamless AS (
    SELECT DISTINCT a.worker_id
    FROM fact_allocation a
    WHERE NOT EXISTS (
        SELECT 1
        FROM depts d
        WHERE d.prof_professional_id = a.worker_id AND d.worker_team IS NOT NULL
    )
),
fallback AS (
    SELECT
        k.worker_id,
        k.person_id,
        k.event_date,
        arg_max(a.team, (a.start_date, a.involvement_id)) AS team
    FROM (
        SELECT DISTINCT n.worker_id, n.person_id, n.event_date
        FROM case_notes n
        JOIN teamless t ON t.worker_id = n.worker_id
        WHERE n.event_date IS NOT NULL
    ) k
    JOIN fact_allocation a
      ON a.worker_id = k.worker_id
     AND a.person_id = k.person_id
     AND a.start_date <= k.event_date
    GROUP BY k.worker_id, k.person_id, k.event_date
)
SELECT
    n.note_id,
    n.person_id,
    n.referral_id,
    lower(trim(n.note_type)) AS note_type,
    n.event_date,
    n.recorded_date,
    wd_index(n.event_date) AS event_wd,
    wd_index(n.recorded_date) AS recorded_wd,
    coalesce(p.worker_team, f.team) AS team,
    n.worker_id
FROM case_notes n
LEFT JOIN depts p ON p.prof_professional_id = n.worker_id
LEFT JOIN fallback f
  ON p.worker_team IS NULL
 AND f.worker_id = n.worker_id
 AND f.person_id = n.person_id
 AND f.event_date = n.event_date
WHERE n.event_date IS NOT NULL
