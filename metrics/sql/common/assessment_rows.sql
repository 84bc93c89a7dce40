-- assessment_rows: every assessment started by as-of, with its target in working days and its
-- worker's facts. An authorisation dated after as-of has not happened yet (auth_date NULL).
--
-- Target (measures.md, "2010 regime"): cina_assessment_type, trimmed and compared
-- case-insensitively, 'initial' (or 'initial assessment') -> initial assessment target, 'core' (or
-- 'core assessment') -> core assessment target; 'single', anything else, or blank -> the single
-- assessment target (45). Decisions:
--   * Working Together 2010 (10 working days for an initial assessment) is taken to apply to
--     assessments STARTED on or after 2010-04-01; an initial assessment started before then has
--     the earlier 7-working-day target (WT 2006 / Assessment Framework 2000).
--   * When the regime setting is '2010', a blank type counts as an initial assessment (under that
--     regime every assessment was initial or core, and an unlabelled one is almost always the
--     initial one). Under the default regime ('2023') a blank type is a single assessment.
-- Worker: NULL worker_name/qualified and worker_known false when cina_assessment_worker_id is not
-- in ssd_professionals (or is blank): counted as "worker unknown", never as qualified.
-- Read from fact_assessment, which carries each date's working-day index (start_wd, auth_wd:
-- NULL while the authorisation is after as-of) and the named referral's date (referral_date,
-- as recorded: a reader compares it with its own dates) and index.
-- uses: workers
SELECT
    a.assessment_id,
    a.person_id,
    a.referral_id,
    a.start_date,
    CASE WHEN a.auth_date <= $as_of THEN a.auth_date END AS auth_date,
    nullif(lower(trim(a.recorded_type)), '') AS assessment_type,
    CASE
        WHEN lower(trim(a.recorded_type)) IN ('initial', 'initial assessment')
          OR ($regime = '2010' AND nullif(trim(a.recorded_type), '') IS NULL)
            THEN CASE WHEN a.start_date < DATE '2010-04-01'
                      THEN $t_initial_assessment_pre2010_wd
                      ELSE $t_initial_assessment_wd END
        WHEN lower(trim(a.recorded_type)) IN ('core', 'core assessment')
            THEN $t_core_assessment_wd
        ELSE $t_assessment_wd
    END AS target,
    a.child_seen,
    a.team,
    a.worker_id,
    w.worker_name,
    w.qualified,
    w.worker_id IS NOT NULL AS worker_known,
    a.start_wd,
    CASE WHEN a.auth_date <= $as_of THEN a.auth_wd END AS auth_wd,
    a.referral_date,
    a.referral_wd
FROM fact_assessment a
LEFT JOIN workers w ON w.worker_id = a.worker_id
WHERE a.start_date <= $as_of
