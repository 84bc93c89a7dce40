-- first_seen: per referral (not NFA), the earliest seen visit of the child on or after the
-- referral date and on or before the referral's close date (if closed by as-of) and as-of.
-- Referrals never seen in that window have no row. The loader finds each referral's first seen
-- visit up to its recorded close once (fact_referral); at as-of that visit is the first seen
-- exactly when it is dated on or before as-of. Users join it by referral id.
SELECT r.referral_id, r.first_seen_date
FROM fact_referral r
WHERE r.first_seen_date <= $as_of
  AND NOT r.nfa
