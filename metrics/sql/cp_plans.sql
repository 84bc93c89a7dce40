-- CP plans (DfE D7 and repeat plans): plans open at as-of, started in the period, or ended in
-- the period. An end after as-of is not yet known (end_date NULL, plan open).
-- is_repeat: started in the period, and the same person has a plan starting strictly earlier
-- (any time before; DfE "second or subsequent plan").
-- duration_days: end (or as-of for an open plan) minus start, in calendar days.
-- duration_band, for plans ended in the period (DfE D7), by calendar months from the start:
--   end < start + 3 months -> 'Under 3 months'; < + 6 months -> '3-6 months';
--   < + 12 months -> '6-12 months'; < + 24 months -> '1-2 years'; else '2 years or more'
-- (so a plan ending exactly 3 months after its start is in '3-6 months', as DfE's "3 months to
-- under 6 months").
-- Team and worker: the child's open allocation at as-of, else NULL.
-- uses: known_cp_plans
SELECT
    p.cp_plan_id,
    p.person_id,
    p.start_date,
    p.end_date,
    p.category,
    p.end_date IS NULL AS is_open,
    p.start_date BETWEEN $date_from AND $date_to AS started_in_period,
    coalesce(p.end_date BETWEEN $date_from AND $date_to, FALSE) AS ended_in_period,
    p.start_date BETWEEN $date_from AND $date_to
        AND EXISTS (
            SELECT 1 FROM ssd_cp_plans e
            WHERE e.cppl_person_id = p.person_id
              AND e.cppl_cp_plan_start_date < p.start_date
        ) AS is_repeat,
    coalesce(p.end_date, CAST($as_of AS DATE)) - p.start_date AS duration_days,
    CASE
        WHEN NOT coalesce(p.end_date BETWEEN $date_from AND $date_to, FALSE) THEN NULL
        WHEN p.end_date < p.start_date + INTERVAL 3 MONTH THEN 'Under 3 months'
        WHEN p.end_date < p.start_date + INTERVAL 6 MONTH THEN '3-6 months'
        WHEN p.end_date < p.start_date + INTERVAL 12 MONTH THEN '6-12 months'
        WHEN p.end_date < p.start_date + INTERVAL 24 MONTH THEN '1-2 years'
        ELSE '2 years or more'
    END AS duration_band,
    p.team,
    p.worker_id
FROM known_cp_plans p
WHERE p.end_date IS NULL
   OR p.start_date BETWEEN $date_from AND $date_to
   OR p.end_date BETWEEN $date_from AND $date_to
