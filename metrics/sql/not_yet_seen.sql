-- Not yet seen (snapshot at as-of): referrals open at as-of, not NFA, with no seen visit between
-- the referral date and as-of (first_seen). Age = wd_between(referral date, as_of); at_risk when
-- the age is over the target. Team and worker: the worker allocated first (if allocated by
-- as-of), else the referral's own (the referral_owner macro, as referral_owners).
-- Read from fact_referral (first allocation and first seen visit found at load) as one interval
-- test: known at as-of, not closed by it, not seen by it; so a trend over month ends reads each
-- referral once; its age is counted once.
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    r.age_wd,
    wd_add(r.referral_date, $t_seen_wd) AS due_date,
    r.age_wd > $t_seen_wd AS at_risk,
    referral_owner(r.allocated_date, r.allocated_team, r.referral_team, $as_of) AS team,
    referral_owner(r.allocated_date, r.allocated_worker_id, r.referral_worker_id, $as_of)
        AS worker_id
FROM (
    SELECT f.*, wd_between(f.referral_date, $as_of) AS age_wd
    FROM fact_referral f
    WHERE f.referral_date <= $as_of
      AND coalesce(f.close_date, DATE '9999-12-31') > $as_of
      AND coalesce(f.first_seen_date, DATE '9999-12-31') > $as_of
      AND NOT f.nfa
) r
