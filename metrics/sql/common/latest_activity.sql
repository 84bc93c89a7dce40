-- latest_activity: per child with an open allocation at as-of (child_allocation: its only users,
-- oversight and drift, read no other child), the latest management oversight note, the latest
-- note of any type and the latest visit (seen or not), all dated on or before as-of (NULL where
-- there is none); children with no note or visit at all have no row. The loader keeps each
-- child's note and visit dates (fact_activity), so the latest is the largest of the child's own
-- dates not after as-of.
-- uses: child_allocation
SELECT
    l.person_id,
    l.last_oversight_date,
    l.last_note_date,
    l.last_visit_date,
    greatest(l.last_note_date, l.last_visit_date) AS last_activity_date
FROM (
    SELECT
        c.person_id,
        list_max(list_filter(a.oversight_dates, lambda d: d <= $as_of)) AS last_oversight_date,
        list_max(list_filter(a.note_dates, lambda d: d <= $as_of)) AS last_note_date,
        list_max(list_filter(a.visit_dates, lambda d: d <= $as_of)) AS last_visit_date
    FROM child_allocation c
    JOIN fact_activity a ON a.person_id = c.person_id
) l
