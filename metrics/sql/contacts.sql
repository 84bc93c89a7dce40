-- Contacts with their decision time: ssd_contacts dated in the period. Decision within target
-- when wd_between(contact date, outcome date) <= target; no outcome date = no decision recorded.
-- A decision dated after as-of has not happened yet.
SELECT
    c.cont_contact_id AS contact_id,
    c.cont_person_id AS person_id,
    c.cont_contact_date AS contact_date,
    coalesce(c.cont_contact_source_desc, c.cont_contact_source_code, 'Not recorded') AS source,
    CASE WHEN c.cont_outcome_date <= $as_of THEN c.cont_outcome_date END AS decision_date,
    CASE WHEN c.cont_outcome_date <= $as_of AND c.cont_outcome_date >= c.cont_contact_date
         THEN wd_between(c.cont_contact_date, c.cont_outcome_date) END AS decision_wd,
    wd_add(c.cont_contact_date, $t_contact_decision_wd) AS due_date,
    CASE WHEN c.cont_outcome_date <= $as_of AND c.cont_outcome_date >= c.cont_contact_date
         THEN wd_between(c.cont_contact_date, c.cont_outcome_date) <= $t_contact_decision_wd
    END AS within_target
FROM ssd_contacts c
WHERE c.cont_contact_date BETWEEN $date_from AND $date_to
