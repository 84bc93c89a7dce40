-- fact_activity: per child, the event dates of their management oversight notes, of all their
-- notes (note_type trimmed, any case; by event date) and of their CIN and CP visits (seen or
-- not), each as a list in date order (a date may repeat). The latest event on or before an
-- as-of date is the largest date of the list not after it (oversight.sql): found among the
-- child's own dates for the children who need it, instead of among every note and visit of the
-- extract. Beside them, each calendar month's latest management oversight note
-- (oversight_latest) and latest note or visit (activity_latest), in date order (month_latest):
-- the latest event on or before a month end is the latest of these up to that month, so a trend
-- over month ends reads a child's months, not all its events (trend/oversight.sql).
WITH notes AS (
    SELECT
        person_id,
        list(event_date ORDER BY event_date)
            FILTER (WHERE lower(trim(note_type)) = 'management_oversight') AS oversight_dates,
        list(event_date ORDER BY event_date) AS note_dates
    FROM case_notes
    WHERE person_id IS NOT NULL AND event_date IS NOT NULL
    GROUP BY person_id
),
visits AS (
    SELECT person_id, list(visit_date ORDER BY visit_date) AS visit_dates
    FROM (
        SELECT cinv_person_id AS person_id, cinv_cin_visit_date AS visit_date FROM ssd_cin_visits
        UNION ALL
        SELECT cppv_person_id, cppv_cp_visit_date FROM ssd_cp_visits
    )
    WHERE person_id IS NOT NULL AND visit_date IS NOT NULL
    GROUP BY person_id
)
SELECT
    l.person_id,
    l.oversight_dates,
    l.note_dates,
    l.visit_dates,
    l.oversight_latest,
    month_latest(list_sort(coalesce(l.note_latest, []) || coalesce(l.visit_latest, [])))
        AS activity_latest
FROM (
    SELECT
        a.*,
        month_latest(a.oversight_dates) AS oversight_latest,
        month_latest(a.note_dates) AS note_latest,
        month_latest(a.visit_dates) AS visit_latest
    FROM (
        SELECT
            coalesce(n.person_id, v.person_id) AS person_id,
            n.oversight_dates,
            n.note_dates,
            v.visit_dates
        FROM notes n
        FULL JOIN visits v ON v.person_id = n.person_id
    ) a
) l
