-- cp_review_due: every review of the chain (fact_cp_review, whatever its date) with its due date
-- under the targets (see cp_review_held) and whether it was held on time. None of this depends
-- on the as-of date, so a trend over many month ends computes it once. The due date of the
-- first review of a plan held late is its readers' (cp_review_chain: at one as-of date, the
-- least due date of the late ones held by then; trend/cp_reviews: the least of the late ones'
-- and the next due after the last review, for the plans of its months only), not a window over
-- every review of every plan here.
SELECT
    f.cp_plan_id,
    f.start_date,
    f.review_number,
    f.review_date,
    f.next_review,
    f.due_date,
    f.review_date <= f.due_date AS on_time
FROM (
    SELECT
        r.*,
        CASE WHEN r.previous_review IS NULL
             THEN CAST(r.start_date + INTERVAL ($t_first_cp_review_months) MONTH AS DATE)
             ELSE CAST(r.previous_review + INTERVAL ($t_later_cp_review_months) MONTH AS DATE)
        END AS due_date
    FROM fact_cp_review r
) f
