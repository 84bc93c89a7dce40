"""Conference preparation (chairs): the children whose CP review conference is due in the coming
weeks; choose one (a row, or by keyboard in the list) to read their review pack and download it
as HTML that prints on A4, or as a PDF.

The number of weeks and the chosen child are in the URL (`?weeks=8&person=ID`), so a view can be
bookmarked or sent. The downloaded pack is plain HTML with every value escaped (ui/downloads);
the PDF is Chromium's print of it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pandas as pd
import streamlit as st

from metrics import Filters, MeasureUnavailable, NotPermitted, words
from metrics import child as ch
from metrics.words import date_text
from ui import auth, data, downloads, tables
from ui.filters import current_params
from ui.page import child_not_found, setup
from ui.text import md

DEFAULT_WEEKS = 8
MAX_WEEKS = 26
NONE_CHOSEN = "—"


@st.cache_data(ttl=600, max_entries=100, show_spinner=False)
def _pack(
    source: data.Source,
    person_id: str,
    as_of: dt.date,
    scope: str | None,
    scope_teams: tuple[str, ...] | None,
) -> dict:
    return ch.review_pack(
        data.engine(source), person_id, as_of, scope=scope, scope_teams=scope_teams
    )


def _names(source: data.Source) -> tuple[dict, dict]:
    return dict(data.facts(source)[2]), dict(data.workers(source, None))


def show(frame: pd.DataFrame, key: str, name: str, empty: str) -> None:
    """One table of the pack: flags said in words, with its download; `empty` when it has none."""
    if frame.empty:
        st.caption(empty)
        return
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column].dropna()
        if not values.empty and values.map(lambda v: isinstance(v, bool)).all():
            shown[column] = shown[column].map(lambda v: words.yes_no(v))
    tables.table(shown, key, name=name)


def weeks_from_url() -> int:
    """The weeks ahead a link asks for; anything else than 1 to MAX_WEEKS is said and replaced."""
    raw = st.query_params.get("weeks")
    if raw is None:
        return DEFAULT_WEEKS
    if re.fullmatch("[0-9]{1,2}", raw) and 1 <= int(raw) <= MAX_WEEKS:
        return int(raw)
    st.warning(
        f"The weeks ahead in the link are not a number from 1 to {MAX_WEEKS}: "
        f"showing {DEFAULT_WEEKS} weeks."
    )
    return DEFAULT_WEEKS


def due_rows(ctx, weeks: int) -> pd.DataFrame | None:
    filters: Filters = replace(ctx.filters, horizon_weeks=weeks)
    try:
        return data.rows(ctx.source, "cp_reviews_due", filters, None)
    except (MeasureUnavailable, NotPermitted, KeyError) as exc:
        st.info(f"Not available: {exc}")
        return None


ctx = setup(
    "Conference preparation",
    "Children whose next child protection review conference is due in the coming weeks, from "
    "the snapshot date. Choose a child to read their review pack, then download it to print.",
)
as_of = ctx.filters.effective_as_of

state = st.session_state
url_weeks = weeks_from_url()
if state.get("_conf_weeks_synced") != url_weeks:
    state["conf_weeks"] = url_weeks
weeks = st.slider("Weeks ahead", 1, MAX_WEEKS, key="conf_weeks")
state["_conf_weeks_synced"] = weeks
if weeks != DEFAULT_WEEKS:
    if st.query_params.get("weeks") != str(weeks):
        st.query_params["weeks"] = str(weeks)
elif "weeks" in st.query_params:
    del st.query_params["weeks"]

due = due_rows(ctx, weeks)
person = (st.query_params.get("person") or "").strip() or None
if due is not None:
    teams, workers = _names(ctx.source)
    due = due.sort_values(["next_due", "cp_plan_id"]).reset_index(drop=True)
    listing = pd.DataFrame(
        {
            "person_id": due["person_id"].astype(str),
            "cp_plan_id": due["cp_plan_id"],
            "review due": due["next_due"],
            "days until due": due["days_until_due"],
            "reviews held": due["reviews_held"],
            "last review": due["last_review_date"],
            "plan started": due["start_date"],
            "team": [teams.get(t, t) if pd.notna(t) else None for t in due["team"]],
            "worker": [workers.get(w, w) if pd.notna(w) else None for w in due["worker_id"]],
        }
    )
    end = as_of + dt.timedelta(weeks=weeks)
    st.subheader(f"Reviews due {as_of:%d %b %Y} to {end:%d %b %Y}: {len(listing)}")
    if listing.empty:
        st.info("No CP review is due in these weeks.")
    else:
        auth.record(
            "rows_shown",
            person_ids=list(listing["person_id"]),
            filters=current_params(),
            detail="conference_due",
            once=True,
        )
        shown = tables.readable(listing)
        event = st.dataframe(
            shown,
            key="conf_due",
            on_select="rerun",
            selection_mode="single-row",
            hide_index=True,
            width="stretch",
            column_config=tables.column_config(shown),
        )
        tables.download(listing, "reviews_due", "conf_due", id_column="person_id")
        # The row selection and the select box each open a child when *they* change: a row
        # still selected from before must not pull the pack back from a child chosen in the
        # box, and the box must not snap back to the URL's child when someone picks another.
        rows = event.selection.rows if event and event.selection else []
        selected = listing.iloc[rows[0]]["person_id"] if rows and rows[0] < len(listing) else None
        if selected != state.get("_conf_row_seen"):
            state["_conf_row_seen"] = selected
            if selected is not None:
                person = selected
        options = list(dict.fromkeys(listing["person_id"]))
        if person not in options and person is not None:
            options.append(person)
        if state.get("_conf_person_synced") != person or "conf_person" not in state:
            state["conf_person"] = person or NONE_CHOSEN  # the URL (or a row) chose: follow it
        due_on = dict(zip(listing["person_id"], listing["review due"], strict=True))
        chosen = st.selectbox(
            "Or choose a child",
            [NONE_CHOSEN, *options],
            key="conf_person",
            format_func=lambda p: (
                p
                if p == NONE_CHOSEN or p not in due_on
                else f"{p} · review due {words.date_text(due_on[p])}"
            ),
        )
        person = None if chosen == NONE_CHOSEN else chosen
        state["_conf_person_synced"] = person
        if person is None:
            if "person" in st.query_params:
                del st.query_params["person"]
        elif st.query_params.get("person") != person:
            st.query_params["person"] = person

if not person:
    st.caption("Choose a row (or a child in the list) to see their review pack.")
    st.stop()

if not ctx.engine.permits(person, ctx.filters):
    auth.record("review_pack", person_ids=[person], outcome="refused", once=True)
    child_not_found(person)
    st.stop()

pack = _pack(ctx.source, person, as_of, ctx.filters.scope, ctx.filters.scope_teams)
if pack["profile"] is None:
    child_not_found(person)
    st.stop()
auth.record("review_pack", person_ids=[person], filters=current_params(), once=True)

st.header(f"Review pack: child {md(person)}")
st.caption(f"As at {date_text(as_of)}. Every figure comes from the case extract.")
stem = f"review_pack_{person}_{as_of:%Y%m%d}"
document = ch.review_pack_html(pack)
left, middle, right = st.columns([2, 2, 3], vertical_alignment="center")
with left:
    downloads.html(
        document,
        stem,
        "conf_pack_download",
        label="Download the pack (HTML, prints on A4)",
        person_ids=[person],
        detail="review_pack",
    )
with middle:
    why_not = downloads.printed_pdf(
        document,
        stem,
        "conf_pack_pdf",
        label="Download the pack (PDF)",
        person_ids=[person],
        detail="review_pack_pdf",
    )
    if why_not:
        st.caption(why_not)
with right:
    st.page_link(
        "pages/child.py",
        label="Open the full chronology",
        query_params={**current_params(), "person": person},
    )

prof = pack["profile"]
nxt = pack["next_review"]
facts = {
    "Child": prof["person_id"],
    "Sex": words.decode("sex", prof["sex"]) or "",
    "Date of birth": date_text(prof["dob"]),
    "Age": "" if prof["age"] is None else str(prof["age"]),
    "Allocated worker": prof["allocated_worker"] or "No allocated worker",
    "Team": prof["allocated_team"] or "",
    "Open CP plan": prof["open_cp_plan_id"] or "No open plan",
    "Category": words.decode("cp_category", prof["open_cp_plan_category"]) or "",
}
st.dataframe(pd.DataFrame([facts]), hide_index=True, width="stretch", key="conf_profile")
if nxt:
    due = f"Review {nxt['review']} of plan {nxt['plan_id']}: due {date_text(nxt['due_date'])}"
    if nxt["overdue"]:
        st.error(f"{md(due)}, overdue.")
    else:
        days = nxt["days_until_due"]
        st.info(md(f"{due}, in {days} day{'s' if days != 1 else ''}."))

st.subheader("Open actions")
if pack["actions"]:
    for action in pack["actions"]:
        st.warning(md(action["text"]))
else:
    st.success("No open actions found in this extract.")

st.subheader("Section 47 enquiries")
show(pack["enquiries"], "conf_enquiries", "s47_enquiries", "No section 47 enquiry recorded.")

st.subheader("Conferences: decisions and categories")
show(pack["conferences"], "conf_conferences", "conferences", "No conference recorded.")
st.caption(
    "The extract records a plan's first and latest category, not the category decided at each "
    "review: a review shows the plan's latest. A decision the extract does not record is read "
    "from the plan's dates, and says so."
)

since = pack["since"]
st.subheader(md(f"Since {since['what']}"))
summary = pack["since_summary"]
c1, c2, c3 = st.columns(3)
c1.metric("Visits", summary["visits"])
c2.metric("Child seen", summary["seen"])
c3.metric("Seen alone", summary["seen_alone"])
left, right = st.columns(2)
with left:
    st.markdown("**Visits**")
    show(pack["visits_since"], "conf_visits_since", "visits_since", "No visits since then.")
with right:
    st.markdown("**Requests to partner agencies and their responses**")
    show(
        pack["agency_since"],
        "conf_agency_since",
        "agency_requests_since",
        "No request made, answered or outstanding since then.",
    )

st.subheader("The child's views")
views = pack["views"]
if not views["table"]:
    st.info("Not recorded in this extract: it has no table of the child's views.")
elif views["answers"].empty:
    st.info("No views recorded for this child in this extract.")
else:
    show(views["answers"], "conf_views", "childs_views", "")

left, right = st.columns(2)
with left:
    st.subheader("Child protection plans")
    show(pack["plans"], "conf_plans", "cp_plans", "No CP plans.")
with right:
    st.subheader("Reviews: due and held")
    show(pack["reviews"], "conf_reviews", "cp_reviews", "No reviews.")

st.subheader("Visits during the current plan")
summary = pack["visit_summary"]
c1, c2, c3, c4 = st.columns(4)
c1.metric("Visits", summary["visits"])
c2.metric("Child seen", summary["seen"])
c3.metric("Seen alone", summary["seen_alone"])
c4.metric(
    "Gaps over the local standard",
    summary["gaps_over_standard"],
    help=f"Working days between visits where the child was seen, over {summary['standard_wd']}.",
)
since_plan = summary["from"]
st.caption(
    f"Visits since {date_text(since_plan)} (the start of the latest plan or referral); local "
    f"standard: the child seen at least every {summary['standard_wd']} working days."
    if since_plan
    else "All visits recorded."
)
show(pack["visits"], "conf_visits", "visits", "No visits recorded.")

left, right = st.columns(2)
with left:
    st.subheader("Timeliness")
    show(pack["timeliness"], "conf_timeliness", "timeliness", "No timescales to judge.")
with right:
    st.subheader("Siblings")
    show(pack["siblings"], "conf_siblings", "siblings", "No siblings recorded.")
st.subheader("Workers")
show(pack["workers"], "conf_workers", "workers", "No workers recorded.")
