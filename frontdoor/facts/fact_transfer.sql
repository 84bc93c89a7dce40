-- fact_transfer: every assessment authorised with a team recorded (transfer after assessment,
-- measures.md "More of the letter"), with what follows it, each found once at load both within
-- its episode and unbounded, so a query at any as-of date picks one with one test:
-- * plan_*_episode: the first CIN or CP plan of the child starting on or after the
--   authorisation and on or before the referral's recorded close date (NULL when the referral
--   has no close date or is not in the extract);
-- * plan_*_any: the first such plan with no end to the window;
-- * move_*_episode / move_*_any: the same for the first allocation of the child in a team other
--   than the assessment's (ties: the earlier start, then the involvement id);
-- * held_elsewhere: the child was already held in another team on the authorisation date (an
--   allocation there started before it and not ended by it). At an as-of date on or after the
--   authorisation this is the same whatever the as-of (an end after as-of is unknown then, and
--   later than the authorisation anyway).
-- At as-of, an episode closed by then (referral and close dated on or before as-of) bounds the
-- window by its close: the _episode columns (all dated on or before the close, so known). Else the
-- window runs to as-of: the _any columns, known when dated on or before as-of, which are then
-- the first in the window. transfers.sql reads it with those rules.
-- A move within the episode is one of the unbounded ones, so move_date_episode is never before
-- move_date_any. auth_wd, move_wd_*: the working-day index (calendar) of the authorisation and of
-- each move's date (NULL where the calendar does not reach), so the days to a transfer are a
-- subtraction, not two calendar look-ups an assessment per query.
WITH assessed AS (
    SELECT a.*
    FROM fact_assessment a
    WHERE a.auth_date IS NOT NULL
      AND a.team IS NOT NULL
),
plans AS (
    SELECT cinp_cin_plan_id AS plan_id, cinp_person_id AS person_id, 'CIN plan' AS plan_kind,
           cinp_cin_plan_start_date AS start_date
    FROM ssd_cin_plans
    UNION ALL
    SELECT cppl_cp_plan_id, cppl_person_id, 'CP plan', cppl_cp_plan_start_date
    FROM ssd_cp_plans
),
first_plan AS (
    SELECT
        a.assessment_id,
        min(q.start_date) FILTER (WHERE q.start_date <= a.close_date) AS plan_date_episode,
        arg_min(q.plan_kind, (q.start_date, q.plan_kind, q.plan_id))
            FILTER (WHERE q.start_date <= a.close_date) AS plan_kind_episode,
        min(q.start_date) AS plan_date_any,
        arg_min(q.plan_kind, (q.start_date, q.plan_kind, q.plan_id)) AS plan_kind_any
    FROM assessed a
    JOIN plans q ON q.person_id = a.person_id AND q.start_date >= a.auth_date
    GROUP BY a.assessment_id
),
other_team AS (
    -- Each assessment's allocations of the child in another team that are a move (starting on
    -- or after the authorisation) or hold the child elsewhere on the authorisation date (started
    -- before it, not ended by it), found by one join and grouped once, held_elsewhere among
    -- them (not a second join of the assessments to the allocations for it, made distinct and
    -- joined back: 2.32 -> 2.05 s of CPU for the fact at 1,000,000 children, best of five
    -- interleaved on a shared machine). Each first move's involvement id, team and worker
    -- together as one struct (one ordering of the moves within the episode and one unbounded,
    -- not three of each): the earliest row's values, a NULL team or worker included
    -- (arg_min_null); the involvement id is ssd_involvements' key, never NULL in a loaded
    -- extract.
    SELECT
        a.assessment_id,
        min(x.start_date)
            FILTER (WHERE x.start_date >= a.auth_date AND x.start_date <= a.close_date)
            AS move_date_episode,
        arg_min_null(
            {'involvement_id': x.involvement_id, 'team': x.team, 'worker_id': x.worker_id},
            (x.start_date, x.involvement_id)
        ) FILTER (WHERE x.start_date >= a.auth_date AND x.start_date <= a.close_date)
            AS move_episode,
        min(x.start_date) FILTER (WHERE x.start_date >= a.auth_date) AS move_date_any,
        arg_min_null(
            {'involvement_id': x.involvement_id, 'team': x.team, 'worker_id': x.worker_id},
            (x.start_date, x.involvement_id)
        ) FILTER (WHERE x.start_date >= a.auth_date) AS move_any,
        bool_or(x.start_date < a.auth_date) AS held_elsewhere
    FROM assessed a
    JOIN fact_allocation x
      ON x.person_id = a.person_id
     AND x.team <> a.team
     AND (
        x.start_date >= a.auth_date
        OR (x.end_date IS NULL OR x.end_date > a.auth_date)
     )
    GROUP BY a.assessment_id
)
SELECT
    a.assessment_id,
    a.person_id,
    a.referral_id,
    a.start_date,
    a.auth_date,
    a.team,
    a.worker_id,
    a.referral_date,
    a.close_date,
    coalesce(m.held_elsewhere, FALSE) AS held_elsewhere,
    p.* EXCLUDE (assessment_id),
    m.move_date_episode,
    m.move_episode.involvement_id AS move_involvement_episode,
    m.move_episode.team AS move_team_episode,
    m.move_episode.worker_id AS move_worker_episode,
    m.move_date_any,
    m.move_any.involvement_id AS move_involvement_any,
    m.move_any.team AS move_team_any,
    m.move_any.worker_id AS move_worker_any,
    a.auth_wd,
    ce.wd_index AS move_wd_episode,
    cy.wd_index AS move_wd_any
FROM assessed a
LEFT JOIN first_plan p ON p.assessment_id = a.assessment_id
LEFT JOIN other_team m ON m.assessment_id = a.assessment_id
LEFT JOIN calendar ce ON ce.date = m.move_date_episode
LEFT JOIN calendar cy ON cy.date = m.move_date_any
ORDER BY a.auth_date, a.assessment_id
