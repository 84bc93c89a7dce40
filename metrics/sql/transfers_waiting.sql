-- Waiting for transfer (snapshot at as-of; measures.md "More of the letter"): children with a
-- CIN or CP plan open at as-of whose open allocations (at least one) are all in the team that
-- assessed them. The assessment: the child's latest authorised by as-of (ties: the higher id)
-- among those whose episode is open at as-of (assessed: its referral not closed by then,
-- or not in the extract); the open plan must have followed it (started on or after its
-- authorisation), so a child re-assessed by the team already holding their plan, or a plan of a
-- later referral the child was not assessed in, is not taken to be waiting. Age =
-- wd_between(authorisation, as-of); past_target: age > $t_transfer_wd.
-- Team: the assessing team (= the team of every open allocation); worker: the child's allocated
-- worker now (the earliest open allocation, as child_allocation); plan: the earliest open plan
-- that followed the assessment (by start, kind, id).
-- These rules are applied once, at load, to every date: fact_transfer_wait holds the spans of
-- dates in which a child is waiting with the same row (frontdoor/facts/fact_transfer_wait.sql
-- says how), so a child waiting at as-of is one interval test, as the trend reads the same
-- spans at every month end (trend/transfers_waiting.sql). The age is counted once, from the
-- authorisation's working-day index (auth_wd: wd_between without a look-up per row).
SELECT
    w.person_id,
    w.assessment_id,
    w.auth_date,
    w.plan_kind,
    w.plan_start_date,
    w.age_wd,
    wd_add(w.auth_date, $t_transfer_wd) AS due_date,
    w.age_wd > $t_transfer_wd AS past_target,
    w.open_allocations,
    w.team,
    w.worker_id
FROM (
    SELECT f.*, wd_index($as_of) - f.auth_wd AS age_wd
    FROM fact_transfer_wait f
    WHERE f.valid_from <= $as_of
      AND coalesce(f.valid_to, DATE '9999-12-31') > $as_of
) w
