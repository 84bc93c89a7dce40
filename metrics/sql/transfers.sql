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
-- uses: referrals, workers, assessment_rows, child_plans, assessed_plans, allocation_rows
WITH moves AS (
    SELECT
        s.assessment_id,
        any_value(s.person_id) AS person_id,
        any_value(s.referral_id) AS referral_id,
        any_value(s.auth_date) AS auth_date,
        any_value(s.team) AS team,
        any_value(s.worker_id) AS worker_id,
        any_value(s.plan_kind) AS plan_kind,
        min(x.start_date) AS transfer_date,
        arg_min(x.involvement_id, (x.start_date, x.involvement_id)) AS involvement_id,
        arg_min(x.team, (x.start_date, x.involvement_id)) AS receiving_team,
        arg_min(x.worker_id, (x.start_date, x.involvement_id)) AS receiving_worker_id
    FROM assessed_plans s
    JOIN allocation_rows x
      ON x.person_id = s.person_id
     AND x.start_date >= s.auth_date
     AND x.start_date <= coalesce(s.episode_end, CAST($as_of AS DATE))
     AND x.team <> s.team
    WHERE s.plan_kind IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM allocation_rows o
          WHERE o.person_id = s.person_id
            AND o.start_date < s.auth_date
            AND (o.end_date IS NULL OR o.end_date > s.auth_date)
            AND o.team <> s.team
      )
    GROUP BY s.assessment_id
)
SELECT
    m.assessment_id,
    m.person_id,
    m.referral_id,
    m.auth_date,
    m.plan_kind,
    m.transfer_date,
    wd_between(m.auth_date, m.transfer_date) AS days,
    wd_add(m.auth_date, $t_transfer_wd) AS due_date,
    wd_between(m.auth_date, m.transfer_date) <= $t_transfer_wd AS within_target,
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
) m
WHERE m.nth = 1
  AND m.transfer_date BETWEEN $date_from AND $date_to
