-- Case recording lag (measures.md): case notes with event_date in the period.
-- lag_wd = wd_between(event_date, recorded_date), for notes recorded by as-of (a recorded date
-- after as-of is not yet known: the note is outstanding). Within target follows "shares within
-- target": TRUE when recorded within $t_recording_wd; FALSE when recorded later, or still
-- outstanding at as-of and already past the target (wd_between(event_date, as-of) > target);
-- NULL (left out) when outstanding but not yet past the target. A note recorded before its event
-- (recorded_before_event) is a data issue: no lag, left out of the median and the share.
-- Team and worker: the note's worker_id; team = that worker's professional department, else the
-- team on that worker's latest allocation of the child started by the event date.
-- Speed: the loader works out each note's team and the working-day index of its event and
-- recorded dates once (fact_note), so a lag is recorded_wd - event_wd and an age is the as-of
-- date's index (looked up once) - event_wd: wd_between without two calendar look-ups a note.
SELECT
    w.note_id,
    w.person_id,
    w.referral_id,
    w.note_type,
    w.event_date,
    w.recorded_date,
    w.outstanding,
    w.recorded_before_event,
    w.lag_wd,
    w.age_wd,
    CASE
        WHEN w.recorded_date >= w.event_date THEN w.lag_wd <= $t_recording_wd
        WHEN w.outstanding AND w.age_wd > $t_recording_wd THEN FALSE
    END AS within_target,
    w.team,
    w.worker_id
FROM (
    SELECT
        n.note_id,
        n.person_id,
        n.referral_id,
        n.note_type,
        n.event_date,
        n.recorded_date,
        n.recorded_date IS NULL AS outstanding,
        coalesce(n.recorded_date < n.event_date, FALSE) AS recorded_before_event,
        CASE WHEN n.recorded_date >= n.event_date THEN n.recorded_wd - n.event_wd END AS lag_wd,
        CASE WHEN n.recorded_date IS NULL THEN wd_index($as_of) - n.event_wd END AS age_wd,
        n.team,
        n.worker_id
    FROM (
        -- A recorded date after as-of is not yet known: NULL then (the note is outstanding).
        SELECT
            f.note_id,
            f.person_id,
            f.referral_id,
            f.note_type,
            f.event_date,
            CASE WHEN f.recorded_date <= $as_of THEN f.recorded_date END AS recorded_date,
            f.event_wd,
            f.recorded_wd,
            f.team,
            f.worker_id
        FROM fact_note f
        WHERE f.event_date BETWEEN $date_from AND $date_to
          AND f.event_date <= $as_of
    ) n
) w
