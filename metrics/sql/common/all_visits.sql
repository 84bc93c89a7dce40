-- all_visits: every CIN and CP visit dated on or before as-of, seen or not (drift counts any
-- visit as activity). `seen` is the loader's boolean (blank = not known to be seen); seen_alone:
-- seen, and the seen-alone flag true (the child's views during assessment).
SELECT
    v.cinv_cin_visit_id AS visit_id,
    v.cinv_person_id AS person_id,
    v.cinv_cin_visit_date AS visit_date,
    coalesce(v.cinv_cin_visit_seen, FALSE) AS seen,
    coalesce(v.cinv_cin_visit_seen AND v.cinv_cin_visit_seen_alone, FALSE) AS seen_alone,
    'cin' AS visit_kind
FROM ssd_cin_visits v
WHERE v.cinv_cin_visit_date <= $as_of
UNION ALL
SELECT
    v.cppv_cp_visit_id AS visit_id,
    v.cppv_person_id AS person_id,
    v.cppv_cp_visit_date AS visit_date,
    coalesce(v.cppv_cp_visit_seen, FALSE) AS seen,
    coalesce(v.cppv_cp_visit_seen AND v.cppv_cp_visit_seen_alone, FALSE) AS seen_alone,
    'cp' AS visit_kind
FROM ssd_cp_visits v
WHERE v.cppv_cp_visit_date <= $as_of
