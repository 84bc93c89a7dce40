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
-- The latest notes and visit on or before as-of are the largest of the child's own dates
-- (fact_activity, built at load) not after it, read beside the child's allocation (a child with
-- no note or visit at all has none), so a trend over month ends reads each allocation once.
-- uses: child_allocation
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
            l.person_id,
            l.allocated_date,
            l.open_allocations,
            l.last_oversight_date,
            greatest(coalesce(l.last_oversight_date, l.allocated_date), l.allocated_date)
                AS oversight_from,
            l.last_visit_date,
            l.last_note_date,
            coalesce(l.last_activity_date, l.allocated_date) AS last_activity_date,
            greatest(coalesce(l.last_activity_date, l.allocated_date), l.allocated_date)
                AS activity_from,
            l.team,
            l.worker_id
        FROM (
            SELECT
                n.*,
                greatest(n.last_note_date, n.last_visit_date) AS last_activity_date
            FROM (
                SELECT
                    a.*,
                    list_max(list_filter(f.oversight_dates, lambda d: d <= $as_of))
                        AS last_oversight_date,
                    list_max(list_filter(f.note_dates, lambda d: d <= $as_of)) AS last_note_date,
                    list_max(list_filter(f.visit_dates, lambda d: d <= $as_of))
                        AS last_visit_date
                FROM child_allocation a
                LEFT JOIN fact_activity f ON f.person_id = a.person_id
            ) n
        ) l
    ) s
) c
