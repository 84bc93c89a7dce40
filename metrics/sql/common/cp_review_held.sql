-- cp_review_held: one row per CP review held, for every CP plan started on or before as-of (open
-- or ended), with the date it was due (measures.md "CP review timeliness"). Reviews are
-- ssd_cp_reviews rows of the plan (cppr_cp_plan_id) held on or before as-of and not before the
-- plan start; several on one day are one review, numbered 1, 2, ... by date. The k-th review
-- held is due:
--   k = 1: plan start + $t_first_cp_review_months calendar months;
--   k > 1: the (k-1)-th review's date + $t_later_cp_review_months calendar months
-- (a late review restarts the clock from the day it was held). Calendar months as DuckDB:
-- 31 Jan + 3 months = 30 Apr. on_time: held on or before its due date.
-- The extract's own cppr_cp_review_due is not used: the chain above is the definition
-- (cp_review_chain reads these rows for each open plan's next due date).
-- uses: known_cp_plans
SELECT
    h.cp_plan_id,
    h.start_date,
    h.review_number,
    h.review_date,
    h.due_date,
    h.review_date <= h.due_date AS on_time
FROM (
    SELECT
        d.cp_plan_id,
        d.start_date,
        d.review_date,
        d.review_number,
        CASE WHEN d.previous_review IS NULL
             THEN CAST(d.start_date + INTERVAL ($t_first_cp_review_months) MONTH AS DATE)
             ELSE CAST(d.previous_review + INTERVAL ($t_later_cp_review_months) MONTH AS DATE)
        END AS due_date
    FROM (
        SELECT
            r.cp_plan_id,
            r.start_date,
            r.review_date,
            row_number() OVER w AS review_number,
            lag(r.review_date) OVER w AS previous_review
        FROM (
            SELECT DISTINCT kp.cp_plan_id, kp.start_date, rv.cppr_cp_review_date AS review_date
            FROM known_cp_plans kp
            JOIN ssd_cp_reviews rv ON rv.cppr_cp_plan_id = kp.cp_plan_id
            WHERE rv.cppr_cp_review_date <= $as_of
              AND rv.cppr_cp_review_date >= kp.start_date
        ) r
        WINDOW w AS (PARTITION BY r.cp_plan_id ORDER BY r.review_date)
    ) d
) h
