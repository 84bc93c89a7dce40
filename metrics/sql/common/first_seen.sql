-- first_seen: per referral, the earliest seen visit of the child on or after the referral date
-- and on or before the referral's close date (if closed by as-of) and as-of. Referrals never seen
-- in that window have no row.
-- Only referrals not NFA and dated in the period or open at as-of have a row: those are the only
-- ones its users read (seen and seen_closed_unseen: not NFA, dated in the period; not_yet_seen:
-- not NFA, open at as-of), and each joins it by referral id, so leaving the others out changes
-- no figure and spares joining every visit to every referral in the history.
-- uses: referrals, seen_visits
SELECT
    r.referral_id,
    min(v.visit_date) AS first_seen_date
FROM referrals r
JOIN seen_visits v
  ON v.person_id = r.person_id
 AND v.visit_date >= r.referral_date
 AND v.visit_date <= coalesce(r.close_date, $as_of)
WHERE NOT r.nfa
  AND (r.referral_date BETWEEN $date_from AND $date_to OR r.close_date IS NULL)
GROUP BY r.referral_id
