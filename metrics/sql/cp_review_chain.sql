-- CP review history (measures.md "CP review timeliness", review by review): one row per review of
-- a CP plan held in the period (held_date in [date_from, date_to]; plans open or ended, as
-- cp_review_held), with the date it was due and whether it was held on time; and one row per plan
-- open at as-of for its next review, not yet held (cp_review_chain's next_due):
--   * status 'held on time' / 'held late': on_time = held_date <= due_date; days_late_wd =
--     wd_between(due_date, held_date) for a late one.
--   * status 'overdue': the next review was due on or before as-of (a review due ON the as-of
--     date and not held by then is overdue, as cp_reviews): on_time FALSE.
--   * status 'due': due after as-of; on_time NULL; days_until_due = calendar days from as-of.
-- So a plan is out of timescale in cp_reviews exactly when it has a 'held late' or 'overdue' row
-- here (with the period reaching back to its start).
-- Team and worker: the child's open allocation at as-of, else NULL.
-- uses: known_cp_plans, cp_review_held, cp_review_chain
SELECT
    p.cp_plan_id,
    p.person_id,
    p.start_date AS plan_start_date,
    p.end_date AS plan_end_date,
    h.review_number,
    h.due_date,
    h.review_date AS held_date,
    CASE WHEN h.on_time THEN 'held on time' ELSE 'held late' END AS status,
    h.on_time,
    CASE WHEN NOT h.on_time THEN wd_between(h.due_date, h.review_date) END AS days_late_wd,
    CAST(NULL AS BIGINT) AS days_until_due,
    p.team,
    p.worker_id
FROM cp_review_held h
JOIN known_cp_plans p ON p.cp_plan_id = h.cp_plan_id AND p.start_date = h.start_date
WHERE h.review_date BETWEEN $date_from AND $date_to
UNION ALL
SELECT
    c.cp_plan_id,
    c.person_id,
    c.start_date AS plan_start_date,
    CAST(NULL AS DATE) AS plan_end_date,
    c.reviews_held + 1 AS review_number,
    c.next_due AS due_date,
    CAST(NULL AS DATE) AS held_date,
    CASE WHEN c.next_due <= $as_of THEN 'overdue' ELSE 'due' END AS status,
    CASE WHEN c.next_due <= $as_of THEN FALSE END AS on_time,
    CAST(NULL AS BIGINT) AS days_late_wd,
    c.next_due - CAST($as_of AS DATE) AS days_until_due,
    c.team,
    c.worker_id
FROM cp_review_chain c
