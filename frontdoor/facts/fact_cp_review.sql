-- fact_cp_review: the review chain of every CP plan: one row per distinct review date of the
-- plan (ssd_cp_reviews rows naming it by cppr_cp_plan_id) on or after the plan's start,
-- numbered 1, 2, ... by date, with the previous and next review dates; person_id is the plan's.
-- At an as-of date the reviews held are the rows dated on or before it: a prefix of the chain,
-- so their numbers and previous dates do not change. Due dates depend on the targets, so
-- readers compute them (cp_review_due).
SELECT
    r.cp_plan_id,
    r.person_id,
    r.start_date,
    r.review_date,
    row_number() OVER w AS review_number,
    lag(r.review_date) OVER w AS previous_review,
    lead(r.review_date) OVER w AS next_review
FROM (
    SELECT DISTINCT
        p.cppl_cp_plan_id AS cp_plan_id,
        p.cppl_person_id AS person_id,
        p.cppl_cp_plan_start_date AS start_date,
        rv.cppr_cp_review_date AS review_date
    FROM ssd_cp_plans p
    JOIN ssd_cp_reviews rv ON rv.cppr_cp_plan_id = p.cppl_cp_plan_id
    WHERE rv.cppr_cp_review_date >= p.cppl_cp_plan_start_date
) r
WINDOW w AS (PARTITION BY r.cp_plan_id ORDER BY r.review_date)
ORDER BY r.cp_plan_id, r.review_date
