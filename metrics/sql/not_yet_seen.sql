-- Not yet seen (snapshot at as-of): referrals open at as-of, not NFA, with no seen visit between
-- the referral date and as-of (first_seen). Age = wd_between(referral date, as_of); at_risk when
-- the age is over the target. Team and worker: the worker allocated first (if allocated by
-- as-of), else the referral's own (referral_owners, which also gives each referral's close and
-- first seen visit as known at as-of, from fact_referral).
-- Read as one interval test on fact_referral (known at as-of, not closed by it, not seen by it),
-- so a trend over month ends reads each referral once.
-- uses: referral_owners
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    wd_between(r.referral_date, $as_of) AS age_wd,
    wd_add(r.referral_date, $t_seen_wd) AS due_date,
    wd_between(r.referral_date, $as_of) > $t_seen_wd AS at_risk,
    r.team,
    r.worker_id
FROM referral_owners r
WHERE r.close_date IS NULL
  AND r.first_seen_date IS NULL
  AND NOT r.nfa
