-- first_allocation: per referral, the earliest allocation starting on or after the referral
-- date (and by as-of), with its worker and team: the referral's "worker allocated first"
-- (involvement_id: that allocation's, for the child's chronology).
-- Ruling (measures.md "Allocation delay"): an allocation linked to the referral by
-- invo_referral_id but starting BEFORE the referral date counts as allocated on the referral
-- date (0 working days) and is a data issue (linked_before_referral; the loader lists it too).
-- So allocated_date = the earliest greatest(start, referral date) over the referral's linked
-- allocations and its allocations starting on or after the referral date; ties go to the
-- earlier start, then the involvement id. An allocation tied by the open-referral look-up can
-- never start before its referral (the referral was open on its start date).
-- Only referrals dated in the period or open at as-of have a row: those are the only ones its
-- users read (referrals, allocation, and through referral_owners seen and seen_closed_unseen:
-- dated in the period; unallocated, and through referral_owners not_yet_seen: open at as-of),
-- each joining it by referral id, so leaving the others out changes no figure and spares
-- resolving the allocations of every referral in the history.
-- uses: referrals, allocations
SELECT
    r.referral_id,
    min(greatest(a.start_date, r.referral_date)) AS allocated_date,
    arg_min(a.worker_id, (greatest(a.start_date, r.referral_date), a.start_date, a.involvement_id))
        AS worker_id,
    arg_min(a.team, (greatest(a.start_date, r.referral_date), a.start_date, a.involvement_id))
        AS team,
    arg_min(
        a.involvement_id, (greatest(a.start_date, r.referral_date), a.start_date, a.involvement_id)
    ) AS involvement_id,
    arg_min(
        a.start_date < r.referral_date,
        (greatest(a.start_date, r.referral_date), a.start_date, a.involvement_id)
    ) AS linked_before_referral
FROM referrals r
JOIN allocations a
  ON a.referral_id = r.referral_id AND (a.start_date >= r.referral_date OR a.linked)
WHERE r.referral_date BETWEEN $date_from AND $date_to OR r.close_date IS NULL
GROUP BY r.referral_id
