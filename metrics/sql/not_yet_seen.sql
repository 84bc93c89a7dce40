-- Not yet seen (snapshot at as-of): referrals open at as-of, not NFA, with no seen visit between
-- the referral date and as-of (first_seen). Age = wd_between(referral date, as_of); at_risk when
-- the age is over the target. Team and worker: the worker allocated first, else the referral's own.
-- uses: referrals, seen_visits, first_seen, referral_owners
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    wd_between(r.referral_date, $as_of) AS age_wd,
    wd_add(r.referral_date, $t_seen_wd) AS due_date,
    wd_between(r.referral_date, $as_of) > $t_seen_wd AS at_risk,
    o.team,
    o.worker_id
FROM referrals r
LEFT JOIN first_seen fs USING (referral_id)
JOIN referral_owners o USING (referral_id)
WHERE r.close_date IS NULL
  AND NOT r.nfa
  AND fs.referral_id IS NULL
