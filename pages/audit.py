"""Audit log (analysts): who looked at which child, downloads, loads and refused access."""

from __future__ import annotations

import streamlit as st

from frontdoor import audit
from ui import tables
from ui.page import setup
from ui.text import md

ctx = setup("Audit log", filters_on=False, analyst_only=True)
st.caption(f"Append-only log kept apart from the extract database: {md(audit.audit_path())}")

left, middle, right, far = st.columns(4)
user = left.text_input("User", key="audit_user").strip() or None
action = middle.selectbox(
    "Action",
    [None, "child_view", "rows_shown", "download", "review_pack", "load", "page"],
    format_func=lambda a: "Any" if a is None else a,
    key="audit_action",
)
person = right.text_input("Child id", key="audit_person").strip() or None
since = far.date_input("Since", value=None, key="audit_since", format="DD/MM/YYYY")

entries = audit.read(user=user, action=action, person_id=person, since=since)
st.metric("Entries", len(entries))
tables.table(entries, "audit_entries", name="audit_log")
