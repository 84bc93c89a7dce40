-- Allocation delay (flow, by referral date): the rows of allocation_cohort, the shared fragment
-- that also gives the domestic abuse referrals their allocation timeliness (see it for the
-- cohort, the days and the team and worker of each referral).
-- uses: allocation_cohort
SELECT * FROM allocation_cohort
