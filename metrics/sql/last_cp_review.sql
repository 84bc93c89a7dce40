-- Time since the last CP review (Annex A style snapshot): for each CP plan open at as-of, the
-- latest review on or before as-of from annex_a_last_cp_review (else none), and whether the
-- next one is overdue: the first review is due plan start + 3 months, later ones 6 months after
-- the last (calendar months, as docs/measures.md).
-- uses: known_cp_plans
WITH reviews AS (
    SELECT cp_plan_id, person_id, max(TRY_CAST(last_review_date AS DATE)) AS last_review_date
    FROM annex_a_last_cp_review
    WHERE TRY_CAST(last_review_date AS DATE) <= $as_of
    GROUP BY ALL
)
SELECT
    p.cp_plan_id,
    p.person_id,
    p.start_date,
    r.last_review_date,
    CAST((CAST($as_of AS DATE) - coalesce(r.last_review_date, p.start_date)) AS INTEGER)
        AS days_since,
    CASE
        WHEN r.last_review_date IS NULL
            THEN CAST(p.start_date + to_months($t_first_cp_review_months) AS DATE)
        ELSE CAST(r.last_review_date + to_months($t_later_cp_review_months) AS DATE)
    END AS next_due,
    CASE
        WHEN r.last_review_date IS NULL
            THEN CAST(p.start_date + to_months($t_first_cp_review_months) AS DATE) < $as_of
        ELSE CAST(r.last_review_date + to_months($t_later_cp_review_months) AS DATE) < $as_of
    END AS overdue,
    p.team,
    p.worker_id
FROM known_cp_plans p
LEFT JOIN reviews r
  ON r.cp_plan_id = p.cp_plan_id OR (r.cp_plan_id IS NULL AND r.person_id = p.person_id)
WHERE p.end_date IS NULL
