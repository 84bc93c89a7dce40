-- Contacts with their decision time: ssd_contacts dated in the period (contact_rows). Decision
-- within target when wd_between(contact date, outcome date) <= target; no outcome date = no
-- decision recorded; a decision after as-of has not happened yet. A decision dated before its
-- contact is left out of the decided-in-time share (its within_target is NULL) and listed
-- (decided_before_contact); it still counts among contacts.
-- uses: contact_rows
SELECT
    c.contact_id,
    c.person_id,
    c.contact_date,
    c.source,
    c.decision_date,
    c.decided_before_contact,
    c.decision_wd,
    c.due_date,
    c.within_target
FROM contact_rows c
