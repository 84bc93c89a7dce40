-- ICPC to plan conversion (flow, by conference date; measures.md "More of the letter"): initial
-- child protection conferences in the period, transfer-ins left out (as the ICPC measure, DfE
-- C4), and whether a CP plan started on or before as-of names the conference through
-- cppl_icpc_id. Of several, the earliest is shown. outcome_cp: the conference's own outcome flag,
-- shown beside it (not used for the share).
-- Team and worker: icpc_icpc_team / _worker_id (as icpc).
SELECT
    c.icpc_icpc_id AS icpc_id,
    c.icpc_person_id AS person_id,
    c.icpc_icpc_date AS icpc_date,
    p.cp_plan_id,
    p.plan_start_date,
    p.cp_plan_id IS NOT NULL AS led_to_plan,
    c.icpc_icpc_outcome_cp_flag AS outcome_cp,
    c.icpc_icpc_team AS team,
    c.icpc_icpc_worker_id AS worker_id
FROM ssd_initial_cp_conference c
LEFT JOIN (
    SELECT
        x.cppl_icpc_id AS icpc_id,
        arg_min(x.cppl_cp_plan_id, (x.cppl_cp_plan_start_date, x.cppl_cp_plan_id)) AS cp_plan_id,
        min(x.cppl_cp_plan_start_date) AS plan_start_date
    FROM ssd_cp_plans x
    WHERE x.cppl_cp_plan_start_date <= $as_of AND x.cppl_icpc_id IS NOT NULL
      -- only the plans of the period's conferences, not every one's earliest (the same rows)
      AND x.cppl_icpc_id IN (
          SELECT k.icpc_icpc_id
          FROM ssd_initial_cp_conference k
          WHERE k.icpc_icpc_date BETWEEN $date_from AND $date_to
      )
    GROUP BY x.cppl_icpc_id
) p ON p.icpc_id = c.icpc_icpc_id
WHERE c.icpc_icpc_date BETWEEN $date_from AND $date_to
  AND coalesce(c.icpc_icpc_transfer_in, FALSE) = FALSE
