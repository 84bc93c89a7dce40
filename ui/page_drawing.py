"""A page's drawing kept once per version of the data, filters and viewer's scope: what its
tiles, charts, breakdowns and lists are made of, read by a run in one cached call.

Why: one Streamlit process serves every session, and a page's Python holds the interpreter.
Twenty people opening the detail pages in the same second queue for it: a warm run of one made
about 90 cached calls (each hashing its arguments and unpickling its answer: every tile's
headline, previous period and 12-month line; every trend's frame, figure and drawn spec; every
breakdown, list and count) and rebuilt each figure from its kept spec. The Overview keeps all
it draws in one cached value (ui/overview_drawing); this is the same for any page, without
splitting the page into a half that works things out and a half that draws them.

How: a page that keeps its drawing (`setup(..., keep=True)`) asks for each part it draws by a
key naming it (ui/drill: a row of tiles by its measure and tiles, a chart by its Streamlit key,
a breakdown by its measure and columns, a list by its measure, flags, order and narrowing).
Every part of one page for one data version and one set of filters is kept together as one
cached value (`_kept`): a run reads it with one cached call and makes only the parts it lacks
(on the page's first run, or a part a selection brings in). The parts a run made are kept at
the session's next page run (`setup`), so a run stopped early (a row chosen opens the Child
page) keeps what it made too. Each part is kept pickled and unpickled when a run asks for it,
so a page changing what it is given (a frame's column filled in) changes its own copy only, as
with st.cache_data.

What a part may hold: only what its key, the data and the filters decide, never what a widget
chose, so it is right for every later run with the same key. The filters carry the viewer's
scope and the key holds them whole: a list of children is kept for that scope only, and a
viewer never gets another's. Cleared with the answers (st.cache_data).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from metrics import Filters
from ui import data

T = TypeVar("T")

# The session's drawing of its latest page run (the parts it made are kept at the next run).
SESSION_KEY = "_page_drawing"


@st.cache_data(ttl=data.LIST_TTL, max_entries=100, show_spinner=False)
def _kept(digest: str, _parts: dict | None) -> dict | None:
    """The parts kept for `digest` (page, data, filters), each pickled; None when none are.
    Called with the parts to keep them (after clearing the entry): the cache is the store.
    Lists of children may be among them (the first 5,000 rows of each list, as shown and as
    read), so they expire as lists do (ui/data.LIST_TTL) and fewer are kept
    than of the answers (one per page, set of filters and scope)."""
    return _parts


class Drawing:
    """The parts of one page's drawing for one version of the data and one set of filters."""

    def __init__(self, page: str, source: data.Source, filters: Filters) -> None:
        self.digest = data.fingerprint(page, source, filters)
        found = _kept(self.digest, None)
        self.parts: dict[tuple, bytes] = dict(found) if found else {}
        self.new = False

    def part(self, key: tuple, make: Callable[[], T]) -> T:
        """The part named `key`: kept, or made now (and kept at the session's next run)."""
        blob = self.parts.get(key)
        if blob is not None:
            return pickle.loads(blob)
        value = make()
        self.parts[key] = pickle.dumps(value, protocol=5)
        self.new = True
        return value

    def keep(self) -> None:
        """Keep the parts made by this run with those kept before (nothing when none are new)."""
        if not self.new:
            return
        _kept.clear(self.digest, None)
        _kept(self.digest, dict(self.parts))
        self.new = False


def begin() -> None:
    """At the start of a page run: keep what the session's previous run made (a run stopped
    early included), and keep nothing for this one until `start`."""
    previous = st.session_state.get(SESSION_KEY)
    if previous is not None:
        previous.keep()
    st.session_state[SESSION_KEY] = None


def start(page: str, source: data.Source, filters: Filters, keep: bool) -> Drawing | None:
    """This page's drawing (None for a page that does not keep one: what it draws depends on
    more than the filters, such as the child its link names)."""
    drawing = Drawing(page, source, filters) if keep else None
    st.session_state[SESSION_KEY] = drawing
    return drawing


def current() -> Drawing | None:
    """The drawing of the page being run (None: the page keeps none)."""
    return st.session_state.get(SESSION_KEY)


def part(drawing: Drawing | None, key: tuple, make: Callable[[], T]) -> T:
    """`make()`, kept in `drawing` under `key` when the page keeps its drawing."""
    return make() if drawing is None else drawing.part(key, make)
