-- Waiting for transfer (snapshot at as-of; measures.md "More of the letter"): children with a
-- CIN or CP plan open at as-of whose open allocations (at least one) are all in the team that
-- assessed them. The assessment: the child's latest authorised by as-of (ties: the higher id)
-- among those whose episode is open at as-of (assessed: its referral not closed by then,
-- or not in the extract); the open plan must have followed it (started on or after its
-- authorisation), so a child re-assessed by the team already holding their plan, or a plan of a
-- later referral the child was not assessed in, is not taken to be waiting. Age =
-- wd_between(authorisation, as-of); past_target: age > $t_transfer_wd.
-- Team: the assessing team (= the team of every open allocation); worker: the child's allocated
-- worker now (the earliest open allocation, as child_allocation).
-- The child's open allocations and their team are child_allocation's (open_allocations; sole_team:
-- the one team all of them are in).
-- uses: assessed, child_plans, child_allocation
WITH latest AS (
    SELECT
        a.person_id,
        arg_max(a.assessment_id, (a.auth_date, a.assessment_id)) AS assessment_id,
        max(a.auth_date) AS auth_date,
        arg_max(a.team, (a.auth_date, a.assessment_id)) AS team
    FROM assessed a
    WHERE a.episode_end IS NULL
    GROUP BY a.person_id
),
plans AS (
    SELECT
        l.person_id,
        arg_min(q.plan_kind, (q.start_date, q.plan_kind, q.plan_id)) AS plan_kind,
        min(q.start_date) AS plan_start_date
    FROM latest l
    JOIN child_plans q
      ON q.person_id = l.person_id AND q.end_date IS NULL AND q.start_date >= l.auth_date
    GROUP BY l.person_id
)
SELECT
    l.person_id,
    l.assessment_id,
    l.auth_date,
    p.plan_kind,
    p.plan_start_date,
    wd_between(l.auth_date, $as_of) AS age_wd,
    wd_add(l.auth_date, $t_transfer_wd) AS due_date,
    wd_between(l.auth_date, $as_of) > $t_transfer_wd AS past_target,
    c.open_allocations,
    l.team,
    c.worker_id
FROM latest l
JOIN child_allocation c ON c.person_id = l.person_id AND c.sole_team = l.team
JOIN plans p ON p.person_id = l.person_id
