-- Management oversight and drift (measures.md): one row per open allocated case = child with an
-- allocation open at as-of (so the count equals caseload's children when each child has one
-- worker). A child with two open allocations is ONE case, owned by its earliest still-open
-- allocation: its start is the allocation date, its worker and team are the row's.
-- last_oversight_date: latest management_oversight note with event date on or before as-of.
-- last_activity_date: latest visit (seen or not) or note of any type on or before as-of, else the
-- allocation date.
-- Decision: both clocks start no earlier than the allocation date (a note or visit from before
-- the current allocation belongs to earlier work and does not make a new case overdue), so
--   days_since_oversight = wd_between(greatest(last oversight, allocation date), as-of),
--   days_since_activity  = wd_between(greatest(last activity, allocation date), as-of);
-- a case never overseen counts from its allocation date.
-- without_oversight: days_since_oversight > $t_oversight_wd; drift: days_since_activity > $t_drift_wd.
-- oversight_due_date: when the next oversight note is (or was) due: wd_add(the same start, target).
-- Each clock's start is worked out once and counted once (wd_between), its flag and due date read
-- from that count, so a row looks its dates up in the working-day calendar twice, not six times.
-- uses: child_allocation, latest_activity
SELECT
    c.person_id,
    c.allocated_date,
    c.open_allocations,
    c.last_oversight_date,
    c.days_since_oversight,
    c.days_since_oversight > $t_oversight_wd AS without_oversight,
    wd_add(c.oversight_from, $t_oversight_wd) AS oversight_due_date,
    c.last_visit_date,
    c.last_note_date,
    c.last_activity_date,
    c.days_since_activity,
    c.days_since_activity > $t_drift_wd AS drift,
    c.team,
    c.worker_id
FROM (
    SELECT
        s.*,
        wd_between(s.oversight_from, $as_of) AS days_since_oversight,
        wd_between(s.activity_from, $as_of) AS days_since_activity
    FROM (
        SELECT
            a.person_id,
            a.allocated_date,
            a.open_allocations,
            l.last_oversight_date,
            greatest(coalesce(l.last_oversight_date, a.allocated_date), a.allocated_date)
                AS oversight_from,
            l.last_visit_date,
            l.last_note_date,
            coalesce(l.last_activity_date, a.allocated_date) AS last_activity_date,
            greatest(coalesce(l.last_activity_date, a.allocated_date), a.allocated_date)
                AS activity_from,
            a.team,
            a.worker_id
        FROM child_allocation a
        LEFT JOIN latest_activity l ON l.person_id = a.person_id
    ) s
) c
