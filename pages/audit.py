"""Audit log (analysts): who looked at which child, downloads, loads and refused access."""

from __future__ import annotations

import streamlit as st

from frontdoor import audit
from frontdoor.access import ROLES
from metrics import words
from ui import tables
from ui.page import setup
from ui.text import md

ctx = setup("Audit log", filters_on=False, analyst_only=True, reads_figures=False)
st.caption(f"Append-only log kept apart from the extract database: {md(audit.audit_path())}")

left, middle, right, far = st.columns(4)
user = left.text_input("User", key="audit_user").strip() or None
action = middle.selectbox(
    "Action",
    [None, *words.AUDIT_ACTIONS],
    format_func=lambda a: "Any" if a is None else words.AUDIT_ACTIONS[a],
    key="audit_action",
)
person = right.text_input("Child id", key="audit_person").strip() or None
since = far.date_input("Since", value=None, key="audit_since", format="DD/MM/YYYY")

entries = audit.read(user=user, action=action, person_id=person, since=since)
st.metric("Entries", len(entries))
# Said in words: when in the one date style, the action and role as a person says them.
shown = entries.assign(
    at=entries["at"].map(words.when_text),
    action=entries["action"].map(lambda a: words.AUDIT_ACTIONS.get(a, a)),
    role=entries["role"].map(lambda r: ROLES.get(r, "Aggregates only") if r else r),
)
tables.table(
    shown,
    "audit_entries",
    name="audit_log",
    labels={"at": "When", "person_ids": "Children", "filters": "Filters", "detail": "Detail"},
)
