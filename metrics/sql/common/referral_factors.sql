-- referral_factors: the referrals dated in the period whose assessment recorded domestic abuse,
-- one row each, with the codes found (text: '3A, 3B'). Referrals, allocation and seeing the
-- child join it to count their domestic abuse referrals apart; domestic_abuse lists them (each
-- reads referrals dated in the period only, joining by referral id).
-- Only an assessment of the same child (person_id here is the assessment's), naming the
-- referral and authorised on or before as-of, counts (factors are known once it is signed
-- off). The codes (3A, 3B or 3C, however the SSD gives them) are read from each assessment
-- factor record once, at load (fact_referral_factor: see it for the rules), so this reads only
-- the records of referrals dated in the period.
SELECT
    f.referral_id,
    f.person_id,
    array_to_string(list_sort(list_distinct(flatten(list(f.codes)))), ', ') AS factors
FROM fact_referral_factor f
WHERE f.auth_date <= $as_of
  AND f.referral_date BETWEEN $date_from AND $date_to
GROUP BY f.referral_id, f.person_id
