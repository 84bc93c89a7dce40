-- cp_review_due: every review of the chain (fact_cp_review, whatever its date) with its due date
-- under the targets (see cp_review_held), whether it was held on time, and the due date of the
-- first review of its plan held late up to and including it (first_late_held_due). None of
-- this depends on the as-of date, so a trend over many month ends computes it once.
SELECT
    d.*,
    min(d.due_date) FILTER (WHERE NOT d.on_time) OVER (
        PARTITION BY d.cp_plan_id ORDER BY d.review_number
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS first_late_held_due
FROM (
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
) d
