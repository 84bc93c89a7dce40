-- Closed without being seen (flow, by referral date; a data-issue list): referrals dated in the
-- period, not NFA, closed on or before as-of with no seen visit between the referral date and the
-- close date (first_seen). These are left out of the time-to-see cohort.
-- Team and worker: the worker allocated first, else the referral's own.
-- uses: referrals, seen_visits, first_seen, referral_owners
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    r.close_date,
    wd_between(r.referral_date, r.close_date) AS days_open,
    o.team,
    o.worker_id
FROM referrals r
LEFT JOIN first_seen fs USING (referral_id)
JOIN referral_owners o USING (referral_id)
WHERE r.referral_date BETWEEN $date_from AND $date_to
  AND NOT r.nfa
  AND r.close_date IS NOT NULL
  AND fs.referral_id IS NULL
