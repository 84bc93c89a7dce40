-- Time to see the child (flow, by referral date): the rows of seen_cohort, the shared fragment
-- that also gives the domestic abuse referrals their seeing timeliness (see it for the cohort,
-- the days and the team and worker of each referral).
-- uses: seen_cohort
SELECT * FROM seen_cohort
