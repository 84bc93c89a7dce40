-- CP plans (DfE D7 and repeat plans): one row per plan and event, the event being 'open' (open
-- at as-of), 'started' (started in the period) or 'ended' (ended in the period); a plan started
-- and ended in the period has two rows, one started in the period and still open two. An end
-- after as-of is not yet known (end_date NULL, plan open).
-- is_repeat (on the 'started' row): the same person has a plan starting strictly earlier (any
-- time before; DfE "second or subsequent plan"), or the source states one or more previous plans
-- for it (census NumberOfPreviousCPP, Annex A "Number of Previous Child Protection Plans":
-- earlier plans the extract's history may not hold).
-- duration_days: end (or as-of for an open plan) minus start, in calendar days.
-- duration_band (on the 'ended' row; DfE D7), by calendar months from the start:
--   end < start + 3 months -> 'Under 3 months'; < + 6 months -> '3-6 months';
--   < + 12 months -> '6-12 months'; < + 24 months -> '1-2 years'; else '2 years or more'
-- (so a plan ending exactly 3 months after its start is in '3-6 months', as DfE's "3 months to
-- under 6 months").
-- Team and worker (ruling, measures.md "Team of a plan or review"): the child's allocated worker
-- on the event's day: the plan's start date for 'started'; its last day open, the day before
-- its end date, for 'ended' (so an allocation ending with the plan still holds it; a plan ending
-- on the day it started takes its start date); as-of for 'open' (known_cp_plans). An allocation
-- holds a day when it started on or before it and ends after it (or has not ended); with
-- several, the earliest started (then the lowest involvement id), as child_allocation. No
-- allocation that day: NULL, "team not recorded".
-- The holders of 'started' and 'ended' are fact_cp_plan_team's (the look-up on fact_allocation,
-- every allocation with its recorded end, made at load): the event's day is never after as-of,
-- so an allocation started by then has started by as-of, and one ending after it is open on it
-- whether or not its end is known at as-of.
-- uses: known_cp_plans
WITH events AS (
    SELECT p.*, 'open' AS event, CAST($as_of AS DATE) AS team_day
    FROM known_cp_plans p
    WHERE p.end_date IS NULL
    UNION ALL
    SELECT p.*, 'started' AS event, p.start_date AS team_day
    FROM known_cp_plans p
    WHERE p.start_date BETWEEN $date_from AND $date_to
    UNION ALL
    SELECT p.*, 'ended' AS event, greatest(p.start_date, CAST(p.end_date - 1 AS DATE)) AS team_day
    FROM known_cp_plans p
    WHERE p.end_date BETWEEN $date_from AND $date_to
)
SELECT
    e.cp_plan_id,
    e.person_id,
    e.event,
    e.start_date,
    e.end_date,
    e.category,
    e.end_date IS NULL AS is_open,
    e.event = 'started' AS started_in_period,
    e.event = 'ended' AS ended_in_period,
    e.event = 'started'
        AND (
            EXISTS (
                SELECT 1 FROM ssd_cp_plans x
                WHERE x.cppl_person_id = e.person_id
                  AND x.cppl_cp_plan_start_date < e.start_date
            )
            OR coalesce(e.stated_previous_plans, 0) >= 1
        ) AS is_repeat,
    e.stated_previous_plans,
    coalesce(e.end_date, CAST($as_of AS DATE)) - e.start_date AS duration_days,
    CASE
        WHEN e.event <> 'ended' THEN NULL
        WHEN e.end_date < e.start_date + INTERVAL 3 MONTH THEN 'Under 3 months'
        WHEN e.end_date < e.start_date + INTERVAL 6 MONTH THEN '3-6 months'
        WHEN e.end_date < e.start_date + INTERVAL 12 MONTH THEN '6-12 months'
        WHEN e.end_date < e.start_date + INTERVAL 24 MONTH THEN '1-2 years'
        ELSE '2 years or more'
    END AS duration_band,
    e.team_day,
    CASE WHEN e.event = 'open' THEN e.team ELSE h.team END AS team,
    CASE WHEN e.event = 'open' THEN e.worker_id ELSE h.worker_id END AS worker_id
FROM events e
LEFT JOIN fact_cp_plan_team h ON h.cp_plan_id = e.cp_plan_id AND h.event = e.event
