-- seen_cohort: the seen measure's rows, time to see the child (flow, by referral date):
-- referrals dated in the period, not NFA, with the working days from referral to the first seen
-- visit (first_seen: on or after the referral date, on or before its close date if closed, and
-- by as-of). Cohort, per "shares within target":
--   * 'seen': days = wd_between(referral date, first seen visit); within target when <= target.
--   * 'waiting': open at as-of, not seen, and already past target (age at as-of > target); in the
--     denominator, never within target; days = age so far (drill-down only; medians read seen
--     rows alone).
--   * left out: open, unseen and not yet past target; closed without a seen visit (those are the
--     data-issue list, seen_closed_unseen.sql).
-- Team and worker: the worker allocated first, else the referral's own (referral_owners).
-- Read from fact_referral alone (each referral with its first seen visit up to its recorded
-- close, and its first allocation, found at load) with the as-of rules of the referrals,
-- first_seen and referral_owners fragments: a visit, a close or an allocation is known when it is
-- dated on or before as-of.
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    r.first_seen_date,
    CASE WHEN r.first_seen_date IS NOT NULL
         THEN wd_between(r.referral_date, r.first_seen_date)
         ELSE wd_between(r.referral_date, $as_of) END AS days,
    CASE WHEN r.first_seen_date IS NOT NULL THEN 'seen' ELSE 'waiting' END AS status,
    wd_add(r.referral_date, $t_seen_wd) AS due_date,
    r.first_seen_date IS NOT NULL
        AND wd_between(r.referral_date, r.first_seen_date) <= $t_seen_wd AS within_target,
    r.team,
    r.worker_id
FROM (
    SELECT
        f.referral_id,
        f.person_id,
        f.referral_date,
        CASE WHEN f.close_date <= $as_of THEN f.close_date END AS close_date,
        CASE WHEN f.first_seen_date <= $as_of THEN f.first_seen_date END AS first_seen_date,
        referral_owner(f.allocated_date, f.allocated_team, f.referral_team, $as_of) AS team,
        referral_owner(f.allocated_date, f.allocated_worker_id, f.referral_worker_id, $as_of)
            AS worker_id
    FROM fact_referral f
    WHERE f.referral_date BETWEEN $date_from AND $date_to
      AND f.referral_date <= $as_of
      AND NOT f.nfa
) r
WHERE r.first_seen_date IS NOT NULL
   OR (r.close_date IS NULL AND wd_between(r.referral_date, $as_of) > $t_seen_wd)
