-- Case recording lag (measures.md): case notes with event_date in the period.
-- lag_wd = wd_between(event_date, recorded_date), for notes recorded by as-of (a recorded date
-- after as-of is not yet known: the note is outstanding). Within target follows "shares within
-- target": TRUE when recorded within $t_recording_wd; FALSE when recorded later, or still
-- outstanding at as-of and already past the target (wd_between(event_date, as-of) > target);
-- NULL (left out) when outstanding but not yet past the target. A note recorded before its event
-- (recorded_before_event) is a data issue: no lag, left out of the median and the share.
-- Team and worker: the note's worker_id; team = that worker's professional department, else the
-- team on that worker's latest allocation of the child started by the event date.
-- uses: notes, allocations, worker_teams
SELECT
    n.note_id,
    n.person_id,
    n.referral_id,
    n.note_type,
    n.event_date,
    n.recorded_date,
    n.recorded_date IS NULL AS outstanding,
    coalesce(n.recorded_date < n.event_date, FALSE) AS recorded_before_event,
    CASE WHEN n.recorded_date >= n.event_date
         THEN wd_between(n.event_date, n.recorded_date) END AS lag_wd,
    CASE WHEN n.recorded_date IS NULL THEN wd_between(n.event_date, $as_of) END AS age_wd,
    CASE
        WHEN n.recorded_date >= n.event_date
            THEN wd_between(n.event_date, n.recorded_date) <= $t_recording_wd
        WHEN n.recorded_date IS NULL AND wd_between(n.event_date, $as_of) > $t_recording_wd
            THEN FALSE
    END AS within_target,
    coalesce(
        wt.team,
        (
            SELECT arg_max(a.team, (a.start_date, a.involvement_id))
            FROM allocations a
            WHERE a.worker_id = n.worker_id
              AND a.person_id = n.person_id
              AND a.start_date <= n.event_date
        )
    ) AS team,
    n.worker_id
FROM notes n
LEFT JOIN worker_teams wt ON wt.worker_id = n.worker_id
WHERE n.event_date BETWEEN $date_from AND $date_to
