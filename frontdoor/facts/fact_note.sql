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
WITH notes AS (
    SELECT
        n.note_id,
        n.person_id,
        n.referral_id,
        lower(trim(n.note_type)) AS note_type,
        n.event_date,
        n.recorded_date,
        n.worker_id,
        nullif(trim(p.prof_professional_department), '') AS worker_team
    FROM case_notes n
    LEFT JOIN ssd_professionals p ON p.prof_professional_id = n.worker_id
    WHERE n.event_date IS NOT NULL
),
fallback AS (
    SELECT
        k.worker_id,
        k.person_id,
        k.event_date,
        arg_max(a.team, (a.start_date, a.involvement_id)) AS team
    FROM (SELECT DISTINCT worker_id, person_id, event_date FROM notes WHERE worker_team IS NULL) k
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
    n.note_type,
    n.event_date,
    n.recorded_date,
    wd_index(n.event_date) AS event_wd,
    wd_index(n.recorded_date) AS recorded_wd,
    coalesce(n.worker_team, f.team) AS team,
    n.worker_id
FROM notes n
LEFT JOIN fallback f
  ON n.worker_team IS NULL
 AND f.worker_id = n.worker_id
 AND f.person_id = n.person_id
 AND f.event_date = n.event_date
