"""What each Annex A list selects: one bound-parameter query per list ($start and $end are the
list window, $as_of the date the data is seen at), and how its columns are filled.

The windows are the Annex A guidance's (the 2019 template's Guidance sheet): "in the six months
before the date of inspection", the window ending on $end; "at the point of inspection" is $end.
Nothing dated after $as_of is shown (an authorisation, closure or end after it has not happened).
"""

from __future__ import annotations

from dataclasses import dataclass

# The allocated case workers seen at $as_of, with team and worker names where the extract has them.
ALLOC = """
    alloc AS (
        SELECT i.invo_person_id AS person_id, i.invo_referral_id AS referral_id,
               i.invo_involvement_start_date AS start_date,
               coalesce(d.dept_team_name, i.invo_professional_team) AS team,
               coalesce(p.prof_professional_name, i.invo_professional_id) AS worker
        FROM ssd_involvements i
        LEFT JOIN ssd_department d ON d.dept_team_id = i.invo_professional_team
        LEFT JOIN ssd_professionals p ON p.prof_professional_id = i.invo_professional_id
        WHERE lower(trim(i.invo_professional_role_id)) = 'allocated case worker'
          AND i.invo_involvement_start_date <= $as_of
    )"""

PERSONS_SQL = """
    SELECT pers_person_id AS person_id, pers_sex AS sex, pers_ethnicity AS ethnicity,
           pers_dob AS dob, pers_expected_dob AS expected_dob, {disability} AS disability
    FROM ssd_person
"""

CONTACTS_SQL = """
    SELECT cont_person_id AS person_id, cont_contact_date AS contact_date,
           cont_contact_source_code AS source_code, cont_contact_source_desc AS source_desc
    FROM ssd_contacts
    WHERE cont_contact_date BETWEEN $start AND $end
    ORDER BY contact_date, person_id, cont_contact_id
"""

EARLY_HELP_SQL = """
    WITH eh AS (
        SELECT earl_episode_id AS id, earl_person_id AS person_id,
               TRY_CAST(earl_episode_start_date AS DATE) AS start_date,
               TRY_CAST(earl_episode_end_date AS DATE) AS end_date,
               earl_episode_organisation AS organisation
        FROM ssd_early_help_episodes
    )
    SELECT person_id, start_date,
           CASE WHEN end_date <= $as_of THEN end_date END AS end_date, organisation
    FROM eh
    WHERE start_date <= $end AND (end_date IS NULL OR end_date >= $start)
    ORDER BY start_date, person_id, id
"""

REFERRALS_SQL = """
    WITH {alloc},
    ref AS (SELECT * FROM ssd_cin_episodes WHERE cine_referral_date <= $as_of),
    listed AS (SELECT * FROM ref WHERE cine_referral_date BETWEEN $start AND $end),
    latest AS (
        SELECT cine_person_id AS person_id, max(cine_referral_date) AS latest
        FROM listed GROUP BY 1
    ),
    prior AS (
        SELECT l.person_id, count(r.cine_referral_id) AS n
        FROM latest l
        LEFT JOIN ref r ON r.cine_person_id = l.person_id
         AND r.cine_referral_date >= CAST(l.latest - INTERVAL 12 MONTH AS DATE)
         AND r.cine_referral_date < l.latest
        GROUP BY 1
    ),
    first_alloc AS (
        SELECT referral_id, arg_min({{'team': team, 'worker': worker}}, start_date) AS a
        FROM alloc WHERE referral_id IS NOT NULL GROUP BY 1
    )
    SELECT e.cine_referral_id AS id, e.cine_person_id AS person_id,
           e.cine_referral_date AS referral_date, e.cine_referral_source_code AS source_code,
           e.cine_referral_source_desc AS source_desc, e.cine_referral_nfa AS nfa,
           coalesce({carried_12m}, prior.n) AS referrals_12m,
           CASE WHEN fa.a IS NOT NULL THEN fa.a.team
                ELSE coalesce(d.dept_team_name, e.cine_referral_team) END AS team,
           CASE WHEN fa.a IS NOT NULL THEN fa.a.worker
                ELSE coalesce(p.prof_professional_name, e.cine_referral_worker_id) END AS worker
    FROM listed e
    JOIN prior ON prior.person_id = e.cine_person_id
    LEFT JOIN first_alloc fa ON fa.referral_id = e.cine_referral_id
    LEFT JOIN ssd_department d ON d.dept_team_id = e.cine_referral_team
    LEFT JOIN ssd_professionals p ON p.prof_professional_id = e.cine_referral_worker_id
    ORDER BY referral_date, person_id, id
"""

ASSESSMENTS_SQL = """
    SELECT a.cina_assessment_id AS id, a.cina_person_id AS person_id,
           a.cina_assessment_start_date AS start_date, a.cina_assessment_child_seen AS seen,
           CASE WHEN a.cina_assessment_auth_date <= $as_of THEN a.cina_assessment_auth_date END
               AS auth_date,
           CASE WHEN e.cine_close_date <= $as_of THEN e.cine_close_reason END AS close_reason,
           {carried_outcome} AS outcome_carried,
           coalesce(d.dept_team_name, a.cina_assessment_team) AS team,
           coalesce(p.prof_professional_name, a.cina_assessment_worker_id) AS worker
    FROM ssd_cin_assessments a
    LEFT JOIN ssd_cin_episodes e ON e.cine_referral_id = a.cina_referral_id
    LEFT JOIN ssd_department d ON d.dept_team_id = a.cina_assessment_team
    LEFT JOIN ssd_professionals p ON p.prof_professional_id = a.cina_assessment_worker_id
    WHERE a.cina_assessment_start_date <= $end
      AND (a.cina_assessment_auth_date IS NULL OR a.cina_assessment_auth_date >= $start)
    ORDER BY start_date, person_id, id
"""

S47_SQL = """
    WITH s AS (SELECT * FROM ssd_s47_enquiry WHERE s47e_s47_start_date <= $as_of),
    listed AS (SELECT * FROM s WHERE s47e_s47_start_date BETWEEN $start AND $end),
    ic AS (SELECT * FROM ssd_initial_cp_conference WHERE icpc_icpc_date <= $as_of),
    first_icpc AS (
        SELECT icpc_s47_enquiry_id AS s47_id, min(icpc_icpc_date) AS date,
               arg_min(icpc_icpc_id, icpc_icpc_date) AS icpc_id,
               arg_min(icpc_icpc_outcome_cp_flag, icpc_icpc_date) AS outcome,
               arg_min(icpc_cp_plan_id, icpc_icpc_date) AS plan_id
        FROM ic WHERE icpc_s47_enquiry_id IS NOT NULL GROUP BY 1
    ),
    latest AS (
        SELECT s47e_person_id AS person_id, max(s47e_s47_start_date) AS latest
        FROM listed GROUP BY 1
    ),
    counts AS (
        SELECT l.person_id,
               (SELECT count(*) FROM s x WHERE x.s47e_person_id = l.person_id
                  AND x.s47e_s47_start_date >= CAST(l.latest - INTERVAL 12 MONTH AS DATE)
                  AND x.s47e_s47_start_date < l.latest) AS s47_12m,
               (SELECT count(*) FROM ic WHERE ic.icpc_person_id = l.person_id
                  AND ic.icpc_icpc_date >= CAST(l.latest - INTERVAL 12 MONTH AS DATE)
                  AND ic.icpc_icpc_date < l.latest) AS icpc_12m
        FROM latest l
    )
    SELECT x.s47e_s47_enquiry_id AS id, x.s47e_person_id AS person_id,
           x.s47e_s47_start_date AS start_date, x.s47e_s47_nfa AS nfa,
           {carried_not_required} AS not_required_carried,
           f.date AS icpc_date, f.outcome AS icpc_outcome,
           (f.plan_id IS NOT NULL OR EXISTS (
               SELECT 1 FROM ssd_cp_plans p
               WHERE p.cppl_icpc_id = f.icpc_id AND p.cppl_cp_plan_start_date <= $as_of))
               AS plan_linked,
           coalesce({carried_s47_12m}, c.s47_12m) AS s47_12m,
           coalesce({carried_icpc_12m}, c.icpc_12m) AS icpc_12m,
           coalesce(d.dept_team_name, x.s47e_s47_completed_by_team) AS team,
           coalesce(p.prof_professional_name, x.s47e_s47_completed_by_worker_id) AS worker
    FROM listed x
    JOIN counts c ON c.person_id = x.s47e_person_id
    LEFT JOIN first_icpc f ON f.s47_id = x.s47e_s47_enquiry_id
    LEFT JOIN ssd_department d ON d.dept_team_id = x.s47e_s47_completed_by_team
    LEFT JOIN ssd_professionals p ON p.prof_professional_id = x.s47e_s47_completed_by_worker_id
    ORDER BY start_date, person_id, id
"""

CHILDREN_IN_NEED_SQL = """
    WITH {alloc},
    ep AS (
        SELECT * FROM ssd_cin_episodes
        WHERE cine_referral_date <= $end
          AND (cine_close_date IS NULL OR cine_close_date >= $start)
          AND NOT coalesce(cine_referral_nfa, FALSE)
    ),
    pick AS (
        SELECT * FROM ep
        QUALIFY row_number() OVER (
            PARTITION BY cine_person_id ORDER BY cine_referral_date DESC, cine_referral_id DESC
        ) = 1
    ),
    seen AS (
        SELECT person_id, max(d) AS last_seen FROM (
            SELECT cinv_person_id AS person_id, cinv_cin_visit_date AS d FROM ssd_cin_visits
            WHERE cinv_cin_visit_seen AND cinv_cin_visit_date <= $as_of
            UNION ALL
            SELECT cppv_person_id, cppv_cp_visit_date FROM ssd_cp_visits
            WHERE cppv_cp_visit_seen AND cppv_cp_visit_date <= $as_of
        ) GROUP BY 1
    )
    SELECT e.cine_referral_id AS id, e.cine_person_id AS person_id,
           e.cine_referral_date AS cin_start, e.cine_cin_primary_need_code AS need,
           seen.last_seen,
           CASE WHEN e.cine_close_date <= $as_of THEN e.cine_close_date END AS close_date,
           CASE WHEN e.cine_close_date <= $as_of THEN e.cine_close_reason END AS close_reason,
           CASE
               WHEN e.cine_close_date <= $end THEN 'closed'
               WHEN EXISTS (SELECT 1 FROM ssd_cp_plans p WHERE p.cppl_person_id = e.cine_person_id
                            AND p.cppl_cp_plan_start_date <= $end
                            AND (p.cppl_cp_plan_end_date IS NULL OR p.cppl_cp_plan_end_date > $end))
                   THEN 'cp'
               WHEN EXISTS (SELECT 1 FROM ssd_cin_plans p WHERE p.cinp_person_id = e.cine_person_id
                            AND p.cinp_cin_plan_start_date <= $end
                            AND (p.cinp_cin_plan_end_date IS NULL OR p.cinp_cin_plan_end_date > $end))
                   THEN 'cin'
               WHEN EXISTS (SELECT 1 FROM ssd_cin_assessments a
                            WHERE a.cina_person_id = e.cine_person_id
                              AND a.cina_assessment_start_date <= $end
                              AND (a.cina_assessment_auth_date IS NULL
                                   OR a.cina_assessment_auth_date > $end))
                   THEN 'assessment'
           END AS status,
           (SELECT arg_max({{'team': team, 'worker': worker}}, start_date) FROM alloc a
            WHERE a.person_id = e.cine_person_id
              AND a.start_date <= least($end, coalesce(e.cine_close_date, $end))) AS alloc,
           {carried_team} AS team_carried, {carried_worker} AS worker_carried
    FROM pick e LEFT JOIN seen ON seen.person_id = e.cine_person_id
    ORDER BY cin_start, person_id, id
"""

CHILD_PROTECTION_SQL = """
    WITH {alloc},
    pl AS (
        SELECT * FROM ssd_cp_plans
        WHERE cppl_cp_plan_start_date <= $end
          AND (cppl_cp_plan_end_date IS NULL OR cppl_cp_plan_end_date >= $start)
    ),
    pick AS (
        SELECT * FROM pl
        QUALIFY row_number() OVER (
            PARTITION BY cppl_person_id ORDER BY cppl_cp_plan_start_date DESC, cppl_cp_plan_id DESC
        ) = 1
    )
    SELECT p.cppl_cp_plan_id AS id, p.cppl_person_id AS person_id,
           p.cppl_cp_plan_start_date AS start_date,
           p.cppl_cp_plan_initial_category AS initial_category,
           coalesce(p.cppl_cp_plan_latest_category, p.cppl_cp_plan_initial_category)
               AS latest_category,
           (SELECT arg_max({{'d': v.cppv_cp_visit_date, 'alone': v.cppv_cp_visit_seen_alone}},
                           v.cppv_cp_visit_date)
            FROM ssd_cp_visits v
            WHERE v.cppv_person_id = p.cppl_person_id
              AND v.cppv_cp_visit_date >= p.cppl_cp_plan_start_date
              AND v.cppv_cp_visit_date <= least($as_of, coalesce(p.cppl_cp_plan_end_date, $as_of)))
               AS visit,
           (SELECT max(r.cppr_cp_review_date) FROM ssd_cp_reviews r
            WHERE r.cppr_cp_plan_id = p.cppl_cp_plan_id AND r.cppr_cp_review_date <= $as_of)
               AS last_review,
           CASE WHEN p.cppl_cp_plan_end_date <= $as_of THEN p.cppl_cp_plan_end_date END AS end_date,
           {carried_epo} AS epo,
           coalesce({carried_previous},
                    (SELECT count(*) FROM ssd_cp_plans q WHERE q.cppl_person_id = p.cppl_person_id
                       AND q.cppl_cp_plan_start_date < p.cppl_cp_plan_start_date)) AS previous,
           (SELECT arg_max({{'team': team, 'worker': worker}}, start_date) FROM alloc a
            WHERE a.person_id = p.cppl_person_id
              AND a.start_date <= least($end, coalesce(p.cppl_cp_plan_end_date, $end))) AS alloc,
           {carried_team} AS team_carried, {carried_worker} AS worker_carried
    FROM pick p
    ORDER BY start_date, person_id, id
"""


@dataclass(frozen=True)
class ListSpec:
    """One Annex A list: its number, title, the table it needs, and its columns (field keys)."""

    number: int
    title: str  # as in the template's title row ("List 3: Referral")
    short: str  # in reports and notes
    needs: str
    fields: tuple[str, ...]
    window: str  # which rows, in words (docs and the workbook's notes)


PERSON = ("child_id", "gender", "ethnicity", "dob", "age")
PERSON_D = (*PERSON, "disability")

LISTS: dict[int, ListSpec] = {
    s.number: s
    for s in (
        ListSpec(
            1,
            "Contacts",
            "contacts",
            "ssd_contacts",
            (*PERSON, "contact_date", "contact_source"),
            "contacts received in the six months to the end date",
        ),
        ListSpec(
            2,
            "Early Help",
            "early help",
            "ssd_early_help_episodes",
            (*PERSON, "eh_start", "eh_end", "eh_org"),
            "early help assessments started in the six months, or still open at the end date",
        ),
        ListSpec(
            3,
            "Referral",
            "referrals",
            "ssd_cin_episodes",
            (
                *PERSON,
                "referral_date",
                "referral_source",
                "referral_nfa",
                "referrals_12m",
                "team",
                "worker",
            ),
            "referrals received in the six months to the end date",
        ),  # fmt: skip
        ListSpec(
            4,
            "Assessments",
            "assessments",
            "ssd_cin_assessments",
            (*PERSON_D, "asmt_start", "asmt_seen", "asmt_auth", "asmt_outcome", "team", "worker"),
            "assessments authorised in the six months, or open at the end date",
        ),
        ListSpec(
            5,
            "Section 47 enquiries and Initial Child Protection Conferences",
            "S47 enquiries and ICPCs",
            "ssd_s47_enquiry",
            (
                *PERSON_D,
                "s47_start",
                "icpc_unnecessary",
                "icpc_date",
                "icpc_plan",
                "s47_12m",
                "icpc_12m",
                "team",
                "worker",
            ),
            "section 47 enquiries started in the six months to the end date",
        ),  # fmt: skip
        ListSpec(
            6,
            "Children in Need",
            "children in need",
            "ssd_cin_episodes",
            (
                *PERSON_D,
                "cin_start",
                "primary_need",
                "last_seen",
                "cin_close",
                "close_reason",
                "case_status",
                "team",
                "worker",
            ),
            "each child's latest episode of need (not a referral with no further action) open "
            "at any time in the six months to the end date",
        ),  # fmt: skip
        ListSpec(
            7,
            "Child protection",
            "child protection",
            "ssd_cp_plans",
            (
                *PERSON_D,
                "cpp_start",
                "initial_cat",
                "latest_cat",
                "last_visit",
                "seen_alone",
                "last_review",
                "cpp_end",
                "epo",
                "previous_cpp",
                "team",
                "worker",
            ),
            "each child's latest child protection plan open at the end date or ended in the six "
            "months before it",
        ),  # fmt: skip
    )
}

# field -> (heading in the 2019 template, heading in the later layout of Annex_A.xlsx)
HEADINGS: dict[str, tuple[str, str]] = {
    "child_id": ("Child Unique ID", "Child Unique ID"),
    "gender": ("Gender", "Gender"),
    "ethnicity": ("Ethnicity", "Ethnicity"),
    "dob": ("Date of Birth", "Date of Birth"),
    "age": ("Age of Child (Years)", "Age"),
    "disability": ("Does the Child have a Disability", "Does the Child have a Disability"),
    "contact_date": ("Date of Contact", "Date of Contact"),
    "contact_source": ("Contact Source", "Contact Source"),
    "eh_start": ("Assessment start date", "Assessment start date"),
    "eh_end": ("Assessment completion date", "Assessment completion date"),
    "eh_org": ("Organisation completing assessment", "Organisation completing assessment"),
    "referral_date": ("Date of referral", "Date of Referral"),
    "referral_source": ("Referral Source", "Referral Source"),
    "referral_nfa": ("Referral NFA?", "Referral NFA?"),
    "referrals_12m": (
        "Number of Referrals in Last 12 Months",
        "Number of Referrals in Last 12 Months",
    ),
    "team": ("Allocated Team", "Allocated Team"),
    "worker": ("Allocated Worker", "Allocated Worker"),
    "asmt_start": ("Continuous Assessment Start Date", "Continuous Assessment Start Date"),
    "asmt_seen": (
        "Child Seen During Continuous Assessment",
        "Child Seen During Continuous Assessment",
    ),
    "asmt_auth": (
        "Continuous Assessment Date of Authorisation",
        "Continuous Assessment Date of Authorisation",
    ),
    "asmt_outcome": (
        "Was the child assessed as requiring LA children’s social care support",
        "Was the child assessed as requiring LA children's social care support?",
    ),
    "s47_start": (
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Strategy discussion initiating Section 47 Enquiry Start Date",
    ),
    "icpc_unnecessary": (
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Was an Initial Child Protection Conference deemed unnecessary?",
    ),
    "icpc_date": (
        "Date of Initial Child Protection Conference",
        "Date of Initial Child Protection Conference",
    ),
    "icpc_plan": (
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    ),
    "s47_12m": (
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of Section 47 Enquiries in the last 12 months",
    ),
    "icpc_12m": ("Number of ICPCs in the last 12 months", "Number of ICPCs in the last 12 months"),
    "cin_start": ("CIN Start Date", "CIN Start Date"),
    "primary_need": ("Primary Need Code", "Primary Need Code"),
    "last_seen": ("Date Child Was Last Seen", "Date Child Was Last Seen"),
    "cin_close": ("CIN Closure Date", "CIN Closure Date"),
    "close_reason": ("Reason for Closure", "Reason for Closure"),
    "case_status": ("Case status", "Case Status"),
    "cpp_start": ("Child Protection Plan Start Date", "Child Protection Plan Start Date"),
    "initial_cat": ("Initial Category of Abuse", "Initial Category of Abuse"),
    "latest_cat": ("Latest Category of Abuse", "Latest Category of Abuse"),
    "last_visit": ("Date of the Last Statutory Visit", "Date of the Last Statutory Visit"),
    "seen_alone": ("Was the Child Seen Alone?", "Was the Child Seen Alone?"),
    "last_review": ("Date of latest review conference", "Date of latest review conference"),
    "cpp_end": ("Child Protection Plan End Date", "Child Protection Plan End Date"),
    "epo": (
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)",
    ),
    "previous_cpp": (
        "Number of Previous Child Protection Plans",
        "Number of Previous Child Protection Plans",
    ),
}
