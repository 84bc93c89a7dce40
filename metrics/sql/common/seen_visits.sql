-- seen_visits: every visit in which the child was seen (CIN and CP visits), dated on or before
-- as-of. The loader has already read the seen flags (Y, Yes, true, 1, any case) as booleans; a
-- blank flag is not a seen visit.
SELECT
    v.cinv_cin_visit_id AS visit_id,
    v.cinv_person_id AS person_id,
    v.cinv_cin_visit_date AS visit_date,
    'cin' AS visit_kind
FROM ssd_cin_visits v
WHERE v.cinv_cin_visit_seen IS TRUE
  AND v.cinv_cin_visit_date <= $as_of
UNION ALL
SELECT
    v.cppv_cp_visit_id AS visit_id,
    v.cppv_person_id AS person_id,
    v.cppv_cp_visit_date AS visit_date,
    'cp' AS visit_kind
FROM ssd_cp_visits v
WHERE v.cppv_cp_visit_seen IS TRUE
  AND v.cppv_cp_visit_date <= $as_of
