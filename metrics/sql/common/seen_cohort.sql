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
-- uses: referrals, seen_visits, first_seen, referral_owners
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    fs.first_seen_date,
    CASE WHEN fs.first_seen_date IS NOT NULL
         THEN wd_between(r.referral_date, fs.first_seen_date)
         ELSE wd_between(r.referral_date, $as_of) END AS days,
    CASE WHEN fs.first_seen_date IS NOT NULL THEN 'seen' ELSE 'waiting' END AS status,
    wd_add(r.referral_date, $t_seen_wd) AS due_date,
    fs.first_seen_date IS NOT NULL
        AND wd_between(r.referral_date, fs.first_seen_date) <= $t_seen_wd AS within_target,
    o.team,
    o.worker_id
FROM referrals r
LEFT JOIN first_seen fs USING (referral_id)
JOIN referral_owners o USING (referral_id)
WHERE r.referral_date BETWEEN $date_from AND $date_to
  AND NOT r.nfa
  AND (
      fs.first_seen_date IS NOT NULL
      OR (r.close_date IS NULL AND wd_between(r.referral_date, $as_of) > $t_seen_wd)
  )
