-- fact_transfer_wait: the spans of dates [valid_from, valid_to) (valid_to NULL: no end) in which
-- a child is waiting for transfer (transfers_waiting.sql) with the same row: the same latest
-- assessment, allocation and earliest open plan. Waiting for transfer reads it with one interval
-- test at an as-of date (its rows) and as month bits over a trend's month ends
-- (trend/transfers_waiting.sql), instead of finding the child's latest assessment, plans and
-- allocations again at every date (the trend's window over the child's assessments and its joins
-- to every allocation span and plan were most of its cost, the same joins most of the
-- headline's).
-- The rules, at a date d (as transfers_waiting.sql read them at as-of before this fact):
-- * latest: the child's latest assessment, by authorisation then id, among those with a team
--   that count at d (assessed: started and authorised on or before d, and the episode open: the
--   referral not in the extract, or without a close, or its date or close after d), so an
--   assessment counts from the later of its start and authorisation to the later of its
--   referral's date and close (no end without both);
-- * held: the child's open allocations at d (fact_child_allocation's span) all in that
--   assessment's team (sole_team), with the span's worker and count of open allocations;
-- * planned: a CIN or CP plan open at d (started on or before d, no end or an end after d)
--   started on or after the authorisation; the row's plan is the earliest of them (by start,
--   kind, id: plan_kind and its start).
-- Each child's time is cut where any of these changes: the assessments' counting, the
-- allocation spans, the plans' starts and ends; each piece that is latest, held and planned is
-- a row (consecutive rows may repeat one another: a reader needs only that one row covers a
-- date). auth_wd: the authorisation's working-day index (fact_assessment's), so an age is a
-- subtraction.
WITH counted AS (
    SELECT
        a.assessment_id,
        a.person_id,
        a.auth_date,
        a.auth_wd,
        a.team,
        greatest(a.start_date, a.auth_date) AS counted_from,
        CASE
            WHEN a.referral_date IS NOT NULL AND a.close_date IS NOT NULL
                THEN greatest(a.referral_date, a.close_date)
            ELSE DATE '9999-12-31'
        END AS counted_to
    FROM fact_assessment a
    WHERE a.team IS NOT NULL
      AND a.person_id IS NOT NULL
      AND a.start_date IS NOT NULL
      AND a.auth_date IS NOT NULL
),
spans AS (
    SELECT * FROM counted WHERE counted_to > counted_from
),
-- Each child's dates gathered as one sorted list of distinct days and the spans read off it
-- (a day and the next: unnest pads the shorter list with NULL, the open-ended last span), not
-- by a window over every day: the same spans without sorting them all (about 0.02 s of CPU
-- less at 200,000 children).
cuts AS (
    SELECT person_id, list_sort(list(DISTINCT d)) AS days
    FROM (
        SELECT person_id, counted_from AS d FROM spans
        UNION ALL
        SELECT person_id, counted_to FROM spans
    )
    GROUP BY person_id
),
pieces AS (
    SELECT person_id, unnest(days) AS piece_from, unnest(days[2:]) AS piece_to
    FROM cuts
),
latest AS (
    -- each piece of the child's time with its latest counting assessment
    SELECT
        p.person_id,
        p.piece_from,
        p.piece_to,
        -- the latest assessment's id, authorisation, its working-day index and team as one
        -- struct (one ordering, not four): the same row's values, a NULL index included
        -- (arg_max_null: arg_max would skip a NULL index and take an earlier assessment's; the
        -- id is the key, the authorisation and team never NULL here)
        arg_max_null(
            {'assessment_id': s.assessment_id, 'auth_date': s.auth_date, 'auth_wd': s.auth_wd,
             'team': s.team},
            (s.auth_date, s.assessment_id)
        ) AS latest
    FROM pieces p
    JOIN spans s
      ON s.person_id = p.person_id
     AND s.counted_from <= p.piece_from
     AND s.counted_to > p.piece_from
    WHERE p.piece_to IS NOT NULL
    GROUP BY p.person_id, p.piece_from, p.piece_to
),
held AS (
    SELECT
        l.person_id,
        l.latest.assessment_id AS assessment_id,
        l.latest.auth_date AS auth_date,
        l.latest.auth_wd AS auth_wd,
        l.latest.team AS team,
        c.worker_id,
        c.open_allocations,
        greatest(l.piece_from, c.valid_from) AS held_from,
        least(l.piece_to, coalesce(c.valid_to, DATE '9999-12-31')) AS held_to
    FROM latest l
    JOIN fact_child_allocation c
      ON c.person_id = l.person_id
     AND c.sole_team = l.latest.team
     AND c.valid_from < l.piece_to
     AND coalesce(c.valid_to, DATE '9999-12-31') > l.piece_from
),
plans AS (
    SELECT
        cinp_cin_plan_id AS plan_id,
        cinp_person_id AS person_id,
        'CIN plan' AS plan_kind,
        cinp_cin_plan_start_date AS start_date,
        coalesce(cinp_cin_plan_end_date, DATE '9999-12-31') AS end_date
    FROM ssd_cin_plans
    WHERE cinp_person_id IS NOT NULL AND cinp_cin_plan_start_date IS NOT NULL
    UNION ALL
    SELECT
        cppl_cp_plan_id,
        cppl_person_id,
        'CP plan',
        cppl_cp_plan_start_date,
        coalesce(cppl_cp_plan_end_date, DATE '9999-12-31')
    FROM ssd_cp_plans
    WHERE cppl_person_id IS NOT NULL AND cppl_cp_plan_start_date IS NOT NULL
),
-- Each held span cut where a plan following the assessment starts or ends in it: its cuts as a
-- sorted list of distinct days (its start, and those plan dates: 1,125 plan starts and no end
-- fall inside the 422,710 spans at 1,000,000 children, so nearly every list is of one), read off
-- as a day and the next (the last up to the span's end), not every span's days numbered by a
-- window over the child and span and joined back to the span (1.64 -> 1.39 s of CPU for the fact
-- at 1,000,000 children, best of five interleaved on a shared machine). A child's held
-- spans do not overlap (each is a piece of the child's time within one allocation span of
-- fact_child_allocation), so a child and held_from name one span.
plan_cuts AS (
    -- where a plan following the assessment starts or ends within a held span
    SELECT person_id, held_from, list(d) AS ds
    FROM (
        SELECT h.person_id, h.held_from, p.start_date AS d
        FROM held h
        JOIN plans p
          ON p.person_id = h.person_id
         AND p.start_date >= h.auth_date
         AND p.start_date > h.held_from
         AND p.start_date < h.held_to
        UNION ALL
        SELECT h.person_id, h.held_from, p.end_date
        FROM held h
        JOIN plans p
          ON p.person_id = h.person_id
         AND p.start_date >= h.auth_date
         AND p.end_date > h.held_from
         AND p.end_date < h.held_to
    )
    GROUP BY person_id, held_from
),
held_cuts AS (
    -- each held span's cuts: where it starts and its plans' starts and ends, sorted
    SELECT
        h.*,
        CASE
            WHEN c.ds IS NULL THEN [h.held_from]
            ELSE list_sort(list_distinct([h.held_from] || c.ds))
        END AS ds
    FROM held h
    LEFT JOIN plan_cuts c ON c.person_id = h.person_id AND c.held_from = h.held_from
),
held_pieces AS (
    SELECT
        h.* EXCLUDE (ds),
        unnest(h.ds) AS piece_from,
        unnest(h.ds[2:] || [h.held_to]) AS piece_to
    FROM held_cuts h
)
SELECT
    h.person_id,
    h.assessment_id,
    h.auth_date,
    h.auth_wd,
    h.team,
    h.worker_id,
    h.open_allocations,
    arg_min(p.plan_kind, (p.start_date, p.plan_kind, p.plan_id)) AS plan_kind,
    min(p.start_date) AS plan_start_date,
    h.piece_from AS valid_from,
    nullif(h.piece_to, DATE '9999-12-31') AS valid_to
FROM held_pieces h
JOIN plans p
  ON p.person_id = h.person_id
 AND p.start_date >= h.auth_date
 AND p.start_date <= h.piece_from
 AND p.end_date > h.piece_from
GROUP BY ALL
ORDER BY h.person_id, valid_from
