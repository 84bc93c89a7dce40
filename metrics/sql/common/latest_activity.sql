-- latest_activity: per child, the latest management oversight note, the latest note of any type
-- and the latest visit (seen or not), all dated on or before as-of. Children with none of these
-- have no row.
-- uses: notes, all_visits
SELECT
    person_id,
    max(event_date) FILTER (WHERE kind = 'note' AND note_type = 'management_oversight')
        AS last_oversight_date,
    max(event_date) FILTER (WHERE kind = 'note') AS last_note_date,
    max(event_date) FILTER (WHERE kind = 'visit') AS last_visit_date,
    max(event_date) AS last_activity_date
FROM (
    SELECT person_id, event_date, note_type, 'note' AS kind FROM notes
    UNION ALL
    SELECT person_id, visit_date, NULL, 'visit' FROM all_visits
) activity
GROUP BY person_id
