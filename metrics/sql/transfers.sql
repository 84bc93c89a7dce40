-- Transfer after assessment (flow, by the receiving allocation's start date; measures.md "More
-- of the letter"): for an assessment authorised by as-of after which the child started a CIN or
-- CP plan (assessed_plans: a plan starting on or after the authorisation, within the
-- assessment's episode), days = wd_between(authorisation, start of the first allocation of the
-- child on or after it, within the episode, in a team other than the assessment's team).
-- within_target: days <= $t_transfer_wd (local, default 10). Only transfers made (the receiving
-- allocation started by as-of) are counted: the children still waiting are transfers_waiting.
-- Decisions (docs/measure-decisions.md):
--   * an assessment or allocation with no team recorded cannot show a change of team: left out;
--   * the episode bounds the plan and the move (a referral closed, a later referral's plan and
--     allocation are not this assessment's);
--   * a child already held in another team on the authorisation date (an allocation there that
--     started before it and is still open, e.g. a CP team allocated at the conference before the
--     assessment was signed off) was transferred before the assessment ended: not a transfer
--     after assessment, so left out (else a later change of worker there would be timed as one);
--   * two assessments followed by the same receiving allocation: it is the later assessment's.
-- plan_kind: the plan that followed (CIN plan or CP plan).
-- Team and worker: the assessment's (cina_assessment_team / _worker_id), so a team lead sees the
-- transfers out of their team; receiving_team / receiving_worker_id: the allocation's.
-- What follows each assessment (its first plan, its first allocation in another team, within its
-- episode and unbounded) and whether the child was already held elsewhere are found once at load
-- (fact_transfer); here they are read with the as-of rules of assessed and assessed_plans: an
-- episode closed by as-of bounds the window by its close, else it runs to as-of. The working days
-- are the fact's indexes of the authorisation and the move (wd_between(a, b) is wd_index(b) -
-- wd_index(a)).
WITH assessed AS (
    SELECT
        f.*,
        coalesce(f.referral_date <= $as_of AND f.close_date <= $as_of, FALSE) AS closed
    FROM fact_transfer f
    WHERE f.start_date <= $as_of
      AND f.auth_date <= $as_of
      AND NOT f.held_elsewhere
      -- Only a move in the period can be counted, and a transfer's date is one of the two moves'
      -- (the episode's never before the unbounded one's): the rows that cannot be are left here,
      -- before their columns are read.
      AND f.move_date_any <= $date_to
      AND (f.move_date_episode >= $date_from OR f.move_date_any >= $date_from)
),
moves AS (
    SELECT
        a.assessment_id,
        a.person_id,
        a.referral_id,
        a.auth_date,
        a.team,
        a.worker_id,
        CASE WHEN a.closed THEN a.plan_kind_episode
             WHEN a.plan_date_any <= $as_of THEN a.plan_kind_any END AS plan_kind,
        CASE WHEN a.closed THEN a.move_date_episode
             WHEN a.move_date_any <= $as_of THEN a.move_date_any END AS transfer_date,
        a.auth_wd,
        CASE WHEN a.closed THEN a.move_wd_episode
             WHEN a.move_date_any <= $as_of THEN a.move_wd_any END AS transfer_wd,
        CASE WHEN a.closed THEN a.move_involvement_episode
             WHEN a.move_date_any <= $as_of THEN a.move_involvement_any END AS involvement_id,
        CASE WHEN a.closed THEN a.move_team_episode
             WHEN a.move_date_any <= $as_of THEN a.move_team_any END AS receiving_team,
        CASE WHEN a.closed THEN a.move_worker_episode
             WHEN a.move_date_any <= $as_of THEN a.move_worker_any END AS receiving_worker_id
    FROM assessed a
)
SELECT
    m.assessment_id,
    m.person_id,
    m.referral_id,
    m.auth_date,
    m.plan_kind,
    m.transfer_date,
    m.transfer_wd - m.auth_wd AS days,
    wd_add(m.auth_date, $t_transfer_wd) AS due_date,
    m.transfer_wd - m.auth_wd <= $t_transfer_wd AS within_target,
    m.receiving_team,
    m.receiving_worker_id,
    m.involvement_id,
    m.team,
    m.worker_id
FROM (
    SELECT *,
        row_number() OVER (
            PARTITION BY involvement_id ORDER BY auth_date DESC, assessment_id DESC
        ) AS nth
    FROM moves
    WHERE plan_kind IS NOT NULL
      -- The period is tested before the later assessment is chosen: a receiving allocation's
      -- transfer date is its start date, the same on every row it follows, so an allocation's
      -- rows are all in the period or all out of it (and the choice is over fewer rows).
      AND transfer_date BETWEEN $date_from AND $date_to
) m
WHERE m.nth = 1
