-- fact_cp_plan_team: the team and worker of every CP plan's start and end (cp_plans.sql's
-- 'started' and 'ended' rows; measures.md "Team of a plan or review"): the child's allocated
-- worker on the plan's start date ('started') and on its last day open, the day before its
-- recorded end date ('ended'; a plan ending on the day it started takes its start date). An
-- allocation holds a day when it started on or before it and ends after it (or has not ended);
-- with several, the earliest started (then the lowest involvement id). No allocation that day:
-- no row ("team not recorded"). No as-of date changes it: an event is only read at an as-of on
-- or after its day, when the plan's end is known, and fact_allocation holds every allocation
-- with its recorded end (cp_plans.sql's reasoning), so the look-up is made once here rather
-- than by a range join in every query.
WITH events AS (
    SELECT
        p.cppl_cp_plan_id AS cp_plan_id,
        p.cppl_person_id AS person_id,
        'started' AS event,
        p.cppl_cp_plan_start_date AS team_day
    FROM ssd_cp_plans p
    UNION ALL
    SELECT
        p.cppl_cp_plan_id,
        p.cppl_person_id,
        'ended',
        greatest(p.cppl_cp_plan_start_date, CAST(p.cppl_cp_plan_end_date - 1 AS DATE))
    FROM ssd_cp_plans p
    WHERE p.cppl_cp_plan_end_date IS NOT NULL
)
SELECT
    e.cp_plan_id,
    e.event,
    arg_min_null(a.team, (a.start_date, a.involvement_id)) AS team,
    arg_min_null(a.worker_id, (a.start_date, a.involvement_id)) AS worker_id
FROM events e
JOIN fact_allocation a
  ON a.person_id = e.person_id
 AND a.start_date <= e.team_day
 AND coalesce(a.end_date, DATE '9999-12-31') > e.team_day
GROUP BY e.cp_plan_id, e.event
