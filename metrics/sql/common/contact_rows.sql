-- contact_rows: ssd_contacts dated in the period, with their decision time (measures.md "Contact
-- decisions within timescale"). A decision dated after as-of has not happened yet (decision_date
-- NULL: "no decision recorded"). A decision dated before its contact (decided_before_contact) is
-- a data issue: it keeps its decision date but has no decision_wd and within_target NULL, so it
-- is left out of the decided-in-time share (ruling: not counted as late) and still counted among
-- contacts. within_target: wd_between(contact date, decision date) <= the target.
-- source: the description, else the code, else 'Not recorded'. source_code is the CIN census
-- code as given (trimmed).
-- (Each decision time is counted once, in the inner select, and judged from that count.)
SELECT
    x.contact_id,
    x.person_id,
    x.contact_date,
    x.source,
    x.source_code,
    x.source_desc,
    x.decision_date,
    x.decided_before_contact,
    x.decision_wd,
    x.due_date,
    x.decision_wd <= $t_contact_decision_wd AS within_target
FROM (
    SELECT
        c.cont_contact_id AS contact_id,
        c.cont_person_id AS person_id,
        c.cont_contact_date AS contact_date,
        coalesce(c.cont_contact_source_desc, c.cont_contact_source_code, 'Not recorded') AS source,
        nullif(trim(c.cont_contact_source_code), '') AS source_code,
        c.cont_contact_source_desc AS source_desc,
        CASE WHEN c.cont_outcome_date <= $as_of THEN c.cont_outcome_date END AS decision_date,
        coalesce(
            c.cont_outcome_date <= $as_of AND c.cont_outcome_date < c.cont_contact_date, FALSE
        ) AS decided_before_contact,
        CASE WHEN c.cont_outcome_date <= $as_of AND c.cont_outcome_date >= c.cont_contact_date
             THEN wd_between(c.cont_contact_date, c.cont_outcome_date) END AS decision_wd,
        wd_add(c.cont_contact_date, $t_contact_decision_wd) AS due_date
    FROM ssd_contacts c
    WHERE c.cont_contact_date BETWEEN $date_from AND $date_to
) x
