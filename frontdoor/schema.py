"""The tables the dashboard reads, as the loader types them.

One place says which columns are identifiers, dates, flags and numbers, which column is each
table's key and which is its defining date, so the loader, the generator, the census and Annex A
readers and the tests all agree on the shape of a loaded extract.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ID, TEXT, DATE, FLAG, NUMBER = "id", "text", "date", "flag", "number"

SQL_TYPES = {ID: "VARCHAR", TEXT: "VARCHAR", DATE: "DATE", FLAG: "BOOLEAN", NUMBER: "DOUBLE"}


@dataclass(frozen=True)
class Table:
    """One table of the extract: its typed columns, key, defining date and date-order checks."""

    name: str
    columns: dict[str, str]
    key: str
    defining_date: str | None = None
    person: str | None = None
    required: bool = False
    # (start, end) pairs: an end before its start is loaded but reported as a data issue.
    ordered_dates: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Columns without which no row of the table can be used: the load stops if one is missing."""
        cols = [self.key]
        if self.person and self.person != self.key:
            cols.append(self.person)
        if self.defining_date:
            cols.append(self.defining_date)
        return tuple(cols)


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "ssd_person",
            {
                "pers_person_id": ID,
                "pers_sex": TEXT,
                "pers_ethnicity": TEXT,
                "pers_dob": DATE,
                "pers_expected_dob": DATE,
                "pers_death_date": DATE,
            },
            key="pers_person_id",
            required=True,
            ordered_dates=(("pers_dob", "pers_death_date"),),
        ),
        Table(
            "ssd_family",
            {"fami_table_id": ID, "fami_family_id": ID, "fami_person_id": ID},
            key="fami_person_id",
            person="fami_person_id",
        ),
        Table(
            "ssd_contacts",
            {
                "cont_contact_id": ID,
                "cont_person_id": ID,
                "cont_contact_date": DATE,
                "cont_contact_source_code": TEXT,
                "cont_contact_source_desc": TEXT,
                "cont_outcome_date": DATE,
            },
            key="cont_contact_id",
            defining_date="cont_contact_date",
            person="cont_person_id",
            ordered_dates=(("cont_contact_date", "cont_outcome_date"),),
        ),
        Table(
            "ssd_cin_episodes",
            {
                "cine_referral_id": ID,
                "cine_person_id": ID,
                "cine_referral_date": DATE,
                "cine_referral_source_code": TEXT,
                "cine_referral_source_desc": TEXT,
                "cine_cin_primary_need_code": TEXT,
                "cine_referral_nfa": FLAG,
                "cine_close_date": DATE,
                "cine_close_reason": TEXT,
                "cine_referral_team": ID,
                "cine_referral_worker_id": ID,
                # Annex A list 3: referrals in the 12 months before the child's latest referral
                "cine_referrals_last_12_months": NUMBER,
            },
            key="cine_referral_id",
            defining_date="cine_referral_date",
            person="cine_person_id",
            required=True,
            ordered_dates=(("cine_referral_date", "cine_close_date"),),
        ),
        Table(
            "ssd_cin_assessments",
            {
                "cina_assessment_id": ID,
                "cina_person_id": ID,
                "cina_referral_id": ID,
                "cina_assessment_start_date": DATE,
                "cina_assessment_child_seen": FLAG,
                "cina_assessment_auth_date": DATE,
                "cina_assessment_team": ID,
                "cina_assessment_worker_id": ID,
                "cina_assessment_type": TEXT,
            },
            key="cina_assessment_id",
            defining_date="cina_assessment_start_date",
            person="cina_person_id",
            ordered_dates=(("cina_assessment_start_date", "cina_assessment_auth_date"),),
        ),
        # Second round (extract-format.md "Optional tables added in the second round"): the
        # CIN census factors recorded at the end of an assessment, as the SSD gives them. Keyed
        # by the assessment (the SSD spec: required and unique); cinf_table_id, the SSD's row
        # id, is kept when present but not required (the format document names only the two).
        Table(
            "ssd_assessment_factors",
            {
                "cinf_table_id": ID,
                "cinf_assessment_id": ID,
                "cinf_assessment_factors_json": TEXT,
            },
            key="cinf_assessment_id",
        ),
        Table(
            "ssd_cin_plans",
            {
                "cinp_cin_plan_id": ID,
                "cinp_referral_id": ID,
                "cinp_person_id": ID,
                "cinp_cin_plan_start_date": DATE,
                "cinp_cin_plan_end_date": DATE,
                "cinp_cin_plan_team": ID,
                "cinp_cin_plan_worker_id": ID,
            },
            key="cinp_cin_plan_id",
            defining_date="cinp_cin_plan_start_date",
            person="cinp_person_id",
            ordered_dates=(("cinp_cin_plan_start_date", "cinp_cin_plan_end_date"),),
        ),
        Table(
            "ssd_cin_visits",
            {
                "cinv_cin_visit_id": ID,
                "cinv_person_id": ID,
                "cinv_cin_visit_date": DATE,
                "cinv_cin_visit_seen": FLAG,
                "cinv_cin_visit_seen_alone": FLAG,
            },
            key="cinv_cin_visit_id",
            defining_date="cinv_cin_visit_date",
            person="cinv_person_id",
        ),
        Table(
            "ssd_cp_visits",
            {
                "cppv_cp_visit_id": ID,
                "cppv_person_id": ID,
                "cppv_cp_plan_id": ID,
                "cppv_cp_visit_date": DATE,
                "cppv_cp_visit_seen": FLAG,
                "cppv_cp_visit_seen_alone": FLAG,
            },
            key="cppv_cp_visit_id",
            defining_date="cppv_cp_visit_date",
            person="cppv_person_id",
        ),
        Table(
            "ssd_s47_enquiry",
            {
                "s47e_s47_enquiry_id": ID,
                "s47e_referral_id": ID,
                "s47e_person_id": ID,
                "s47e_s47_start_date": DATE,
                "s47e_s47_end_date": DATE,
                "s47e_s47_nfa": FLAG,
                "s47e_s47_completed_by_team": ID,
                "s47e_s47_completed_by_worker_id": ID,
            },
            key="s47e_s47_enquiry_id",
            defining_date="s47e_s47_start_date",
            person="s47e_person_id",
            ordered_dates=(("s47e_s47_start_date", "s47e_s47_end_date"),),
        ),
        Table(
            "ssd_initial_cp_conference",
            {
                "icpc_icpc_id": ID,
                "icpc_s47_enquiry_id": ID,
                "icpc_person_id": ID,
                "icpc_cp_plan_id": ID,
                "icpc_referral_id": ID,
                "icpc_icpc_transfer_in": FLAG,
                "icpc_icpc_target_date": DATE,
                "icpc_icpc_date": DATE,
                "icpc_icpc_outcome_cp_flag": FLAG,
                "icpc_icpc_team": ID,
                "icpc_icpc_worker_id": ID,
            },
            key="icpc_icpc_id",
            defining_date="icpc_icpc_date",
            person="icpc_person_id",
        ),
        Table(
            "ssd_cp_plans",
            {
                "cppl_cp_plan_id": ID,
                "cppl_referral_id": ID,
                "cppl_icpc_id": ID,
                "cppl_person_id": ID,
                "cppl_cp_plan_start_date": DATE,
                "cppl_cp_plan_end_date": DATE,
                "cppl_cp_plan_initial_category": TEXT,
                "cppl_cp_plan_latest_category": TEXT,
                # CIN census NumberOfPreviousCPP, Annex A list 7: earlier plans of the child
                "cppl_number_of_previous_cpp": NUMBER,
            },
            key="cppl_cp_plan_id",
            defining_date="cppl_cp_plan_start_date",
            person="cppl_person_id",
            ordered_dates=(("cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),),
        ),
        Table(
            "ssd_cp_reviews",
            {
                "cppr_cp_review_id": ID,
                "cppr_person_id": ID,
                "cppr_cp_plan_id": ID,
                "cppr_cp_review_due": DATE,
                "cppr_cp_review_date": DATE,
                # Optional (SSD): the review's decision and how the child took part; the review
                # pack shows them where the extract has them.
                "cppr_cp_review_outcome_continue_cp": FLAG,
                "cppr_cp_review_participation": TEXT,
            },
            key="cppr_cp_review_id",
            defining_date="cppr_cp_review_date",
            person="cppr_person_id",
        ),
        Table(
            "ssd_involvements",
            {
                "invo_involvements_id": ID,
                "invo_professional_id": ID,
                "invo_professional_role_id": TEXT,
                "invo_professional_team": ID,
                "invo_involvement_start_date": DATE,
                "invo_involvement_end_date": DATE,
                "invo_person_id": ID,
                "invo_referral_id": ID,
            },
            key="invo_involvements_id",
            defining_date="invo_involvement_start_date",
            person="invo_person_id",
            ordered_dates=(("invo_involvement_start_date", "invo_involvement_end_date"),),
        ),
        Table(
            "ssd_professionals",
            {
                "prof_professional_id": ID,
                "prof_professional_name": TEXT,
                "prof_social_worker_registration_no": TEXT,
                "prof_professional_job_title": TEXT,
                "prof_professional_department": ID,
                "prof_full_time_equivalency": NUMBER,
                "prof_agency_worker_flag": FLAG,
            },
            key="prof_professional_id",
        ),
        Table(
            "ssd_department",
            {
                "dept_team_id": ID,
                "dept_team_name": TEXT,
                "dept_team_parent_id": ID,
                "dept_team_parent_name": TEXT,
            },
            key="dept_team_id",
        ),
        # The child's answers (SSD ssd_voice_of_child). Keyed by the child: the format document
        # names voch_person_id and the answers, and the SSD's own row id is still placeholder
        # data; a second record of one child is rejected as a duplicate and listed.
        Table(
            "ssd_voice_of_child",
            {
                "voch_table_id": ID,
                "voch_person_id": ID,
                "voch_explained_worries": TEXT,
                "voch_story_help_understand": TEXT,
                "voch_agree_worker": TEXT,
                "voch_plan_safe": TEXT,
                "voch_tablet_help_explain": TEXT,
            },
            key="voch_person_id",
            person="voch_person_id",
        ),
        Table(
            "case_notes",
            {
                "note_id": ID,
                "person_id": ID,
                "referral_id": ID,
                "note_type": TEXT,
                "event_date": DATE,
                "recorded_date": DATE,
                "worker_id": ID,
            },
            key="note_id",
            defining_date="event_date",
            person="person_id",
            ordered_dates=(("event_date", "recorded_date"),),
        ),
        Table(
            "info_requests",
            {
                "request_id": ID,
                "person_id": ID,
                "referral_id": ID,
                "agency": TEXT,
                "requested_date": DATE,
                "responded_date": DATE,
            },
            key="request_id",
            defining_date="requested_date",
            person="person_id",
            ordered_dates=(("requested_date", "responded_date"),),
        ),
    ]
}

REQUIRED_TABLES = tuple(t.name for t in TABLES.values() if t.required)

# Tables the loader writes about the load itself, beside the extract's own.
REPORT_TABLES = ("load_report", "rejected_rows", "data_issues", "load_meta")
