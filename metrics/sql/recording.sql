-- Case recording lag (measures.md): case notes with event_date in the period.
-- lag_wd = wd_between(event_date, recorded_date), for notes recorded by as-of (a recorded date
-- after as-of is not yet known: the note is outstanding). Within target follows "shares within
-- target": TRUE when recorded within $t_recording_wd; FALSE when recorded later, or still
-- outstanding at as-of and already past the target (wd_between(event_date, as-of) > target);
-- NULL (left out) when outstanding but not yet past the target. A note recorded before its event
-- (recorded_before_event) is a data issue: no lag, left out of the median and the share.
-- Team and worker: the note's worker_id; team = that worker's professional department, else the
-- team on that worker's latest allocation of the child started by the event date.
-- Speed: that latest allocation is looked up only for the notes whose worker has no department
-- (`fallback`, once per worker, child and event date, which is all it depends on), and joined
-- back to those notes alone; a note whose worker has a department never needs it. A note with
-- no such allocation (or no worker) has no `fallback` row, so its team is NULL, as before.
-- uses: notes, allocation_rows, worker_teams
WITH period_notes AS (
    SELECT n.*, wt.team AS worker_team, coalesce(n.recorded_date, $as_of) AS span_end
    FROM notes n
    LEFT JOIN worker_teams wt ON wt.worker_id = n.worker_id
    WHERE n.event_date BETWEEN $date_from AND $date_to
),
fallback AS (
    SELECT
        k.worker_id,
        k.person_id,
        k.event_date,
        arg_max(a.team, (a.start_date, a.involvement_id)) AS team
    FROM (
        SELECT DISTINCT worker_id, person_id, event_date
        FROM period_notes
        WHERE worker_team IS NULL
    ) k
    JOIN allocation_rows a
      ON a.worker_id = k.worker_id
     AND a.person_id = k.person_id
     AND a.start_date <= k.event_date
    GROUP BY k.worker_id, k.person_id, k.event_date
)
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
        CASE WHEN n.recorded_date >= n.event_date THEN n.span_wd END AS lag_wd,
        CASE WHEN n.recorded_date IS NULL THEN n.span_wd END AS age_wd,
        coalesce(n.worker_team, f.team) AS team,
        n.worker_id
    FROM (
        -- A note has a lag (recorded) or an age (not yet recorded), never both: one count of
        -- working days from the event to its recording, else to as-of, gives either.
        SELECT p.*, wd_between(p.event_date, p.span_end) AS span_wd
        FROM period_notes p
    ) n
    LEFT JOIN fallback f
      ON n.worker_team IS NULL
     AND f.worker_id = n.worker_id
     AND f.person_id = n.person_id
     AND f.event_date = n.event_date
) w
