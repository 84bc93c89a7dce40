-- first_seen: per referral, the earliest seen visit of the child on or after the referral date
-- and on or before the referral's close date (if closed by as-of) and as-of. Referrals never seen
-- in that window have no row.
-- uses: referrals, seen_visits
SELECT
    r.referral_id,
    min(v.visit_date) AS first_seen_date
FROM referrals r
JOIN seen_visits v
  ON v.person_id = r.person_id
 AND v.visit_date >= r.referral_date
 AND v.visit_date <= coalesce(r.close_date, $as_of)
GROUP BY r.referral_id
