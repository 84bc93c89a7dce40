-- Police notifications (flow, by contact date; measures.md "More of the letter"): contacts
-- whose source is the police: CIN census referral source code 6 (trimmed), or a source
-- description containing "police" (any case). Decision timeliness as for every contact
-- (contact_rows: a decision after as-of not yet made; one dated before its contact left out of
-- the share). contact_day / day_order: the day of the week the contact was made (Monday = 1), and
-- weekend: made on a Saturday or Sunday, so the page can show when notifications wait.
-- Contacts carry no team or worker.
-- uses: contact_rows
SELECT
    c.contact_id,
    c.person_id,
    c.contact_date,
    dayname(c.contact_date) AS contact_day,
    isodow(c.contact_date) AS day_order,
    isodow(c.contact_date) >= 6 AS weekend,
    c.source,
    c.decision_date,
    c.decided_before_contact,
    c.decision_wd,
    c.due_date,
    c.within_target
FROM contact_rows c
WHERE c.source_code = '6'
   OR lower(c.source_desc) LIKE '%police%'
