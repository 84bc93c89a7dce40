-- fact_note: every case note with an event date (note_type trimmed and lower-cased), with what
-- case recording (recording.sql) reads beside it: its team, and the working-day index
-- (calendar.wd_index) of its event and recorded dates, so a lag is one subtraction.
-- A view (VIEWS), not a table: storing the notes again cost the load more than anything else
-- it built (8.9 s of CPU for 13.9 M notes at 1,000,000 children, almost all of it writing
-- six columns case_notes already holds), and each query now reads case_notes' notes of its
-- period instead (docs/performance.md, s12-note).
-- The working-day indexes: the calendar (one row a day from its first, as create_calendar
-- makes it) as one list, looked up by the day's offset, once a query: no join a note. A day
-- before the calendar gives index 0 (NULL, as wd_index gives outside the calendar; a negative
-- index would count from the list's end), one after it an index past the end (NULL too); a
-- calendar with a day missing gives no list (every index NULL, never a wrong one).
-- team: the note's worker's own department, else fact_note_team's (the worker's latest
-- allocation of the child by the event date). recorded_date is the recorded date: readers hide
-- one after their as-of (the note is then outstanding).
-- The lines marked "with fact_note_team" are kept only when it has rows, those marked "without
-- fact_note_team" only when it has none (facts.view_sql): DuckDB keeps a left join whose
-- columns are not read (in a view), and an empty one still cost the year's within-target share
-- 0.025-0.029 against 0.019-0.021 s of CPU at 200,000 children; with no teamless worker the
-- fallback's team is NULL anyway.
SELECT
    n.note_id,
    n.person_id,
    n.referral_id,
    lower(trim(n.note_type)) AS note_type,
    n.event_date,
    n.recorded_date,
    c.wd[greatest(n.event_date - c.first_day + 1, 0)] AS event_wd,
    c.wd[greatest(n.recorded_date - c.first_day + 1, 0)] AS recorded_wd,
    p.worker_team AS team, -- without fact_note_team
    coalesce(p.worker_team, f.team) AS team, -- with fact_note_team
    n.worker_id
FROM case_notes n
CROSS JOIN (
    SELECT
        min(date) AS first_day,
        CASE
            WHEN count(*) = max(date) - min(date) + 1 THEN list(wd_index ORDER BY date)
        END AS wd
    FROM calendar
) c
LEFT JOIN (
    SELECT prof_professional_id, nullif(trim(prof_professional_department), '') AS worker_team
    FROM ssd_professionals
) p ON p.prof_professional_id = n.worker_id
LEFT JOIN fact_note_team f -- with fact_note_team
  ON p.worker_team IS NULL -- with fact_note_team
 AND f.worker_id = n.worker_id -- with fact_note_team
 AND f.person_id = n.person_id -- with fact_note_team
 AND f.event_date = n.event_date -- with fact_note_team
WHERE n.event_date IS NOT NULL
