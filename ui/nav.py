"""The menu, grouped by who uses each page. Links carry the filters, so they survive a move."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.filters import current_params

# (group, [(page file, label)]). The Child page is reached by drill-down or link only.
MENU: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Senior managers",
        [
            ("app.py", "Overview"),
            ("pages/findings.py", "Findings"),
            ("pages/front_door.py", "Front door"),
            ("pages/allocation.py", "Allocation"),
            ("pages/assessments.py", "Assessments"),
            ("pages/seeing.py", "Seeing children"),
        ],
    ),
    (
        "Team leads",
        [
            ("pages/my_team.py", "My team today"),
            ("pages/caseloads.py", "Caseloads"),
            ("pages/oversight.py", "Oversight and recording"),
            ("pages/agencies.py", "Partner agencies"),
        ],
    ),
    (
        "Conference chairs",
        [
            ("pages/child_protection.py", "Child protection"),
            ("pages/conference.py", "Conference preparation"),
        ],
    ),
    ("Data", [("pages/data.py", "Data and loading"), ("pages/audit.py", "Audit log")]),
]

CHILD_PAGE = "pages/child.py"
_ROOT = Path(__file__).resolve().parents[1]


def sidebar_menu() -> None:
    """Draw the grouped menu at the top of the sidebar."""
    params = current_params()
    with st.sidebar:
        st.markdown("**frontdoor**")
        for group, pages in MENU:
            st.caption(group)
            for path, label in pages:
                if not (_ROOT / path).exists():
                    continue  # a page not (yet) in this build: a link to it would fail the run
                st.page_link(path, label=label, query_params=params)
        st.divider()
