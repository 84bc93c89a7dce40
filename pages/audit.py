"""Audit log (analysts): who looked at which child, downloads, loads and refused access."""

from __future__ import annotations

import pandas as pd
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
st.metric("Entries", f"{len(entries):,}")


def in_words(frame: pd.DataFrame, *, screen: bool) -> pd.DataFrame:
    """Entries said in words: when in the one date style, the action and role as a person
    says them; on screen, a long list of children shortened."""
    out = frame.assign(
        at=frame["at"].map(words.when_text),
        action=frame["action"].map(lambda a: words.AUDIT_ACTIONS.get(a, a)),
        role=frame["role"].map(lambda r: ROLES.get(r, "Aggregates only") if r else r),
    )
    if screen:  # an entry of a long list names thousands: the first few, then how many more
        out["person_ids"] = out["children_first"]
    return out.drop(columns=["children", "children_first"])


# Only the newest entries are drawn; every one is counted, and the download has every one, each
# with all its children.
limit = tables.list_rows()
tables.table(
    in_words(entries.head(limit), screen=True),
    "audit_entries",
    name="audit_log",
    labels={"at": "When", "person_ids": "Children", "filters": "Filters", "detail": "Detail"},
    longer=tables.Longer(len(entries), "newest first", lambda: in_words(entries, screen=False)),
)
