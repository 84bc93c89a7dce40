-- notes: case_notes with an event date on or before as-of (a note about a later event is not
-- seen). note_type is trimmed and lower-cased. A recorded date after as-of is not yet known:
-- recorded_date is NULL then (the note is "not yet recorded" at as-of).
SELECT
    n.note_id,
    n.person_id,
    n.referral_id,
    lower(trim(n.note_type)) AS note_type,
    n.event_date,
    CASE WHEN n.recorded_date <= $as_of THEN n.recorded_date END AS recorded_date,
    n.worker_id
FROM case_notes n
WHERE n.event_date <= $as_of
