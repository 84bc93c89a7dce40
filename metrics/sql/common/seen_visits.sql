-- seen_visits: every visit in which the child was seen (CIN and CP visits), dated on or before
-- as-of: the all_visits rows with seen true. The loader has already read the seen flags (Y, Yes,
-- true, 1, any case) as booleans; a blank flag is not a seen visit.
-- uses: all_visits
SELECT v.visit_id, v.person_id, v.visit_date, v.visit_kind
FROM all_visits v
WHERE v.seen
