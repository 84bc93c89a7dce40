"""What every page does first: page config, menu, data check, synthetic banner, filters.

A page calls `setup(title)` and gets a PageContext with the filters and cached metric calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TypeVar

import pandas as pd
import streamlit as st

from frontdoor.access import TEAM_LEAD, Viewer
from frontdoor.private import private_umask
from metrics import Filters, MeasureUnavailable, NotPermitted
from ui import auth, data, filters, nav, page_drawing
from ui.text import md

T = TypeVar("T")

# What a list could not give: ("unavailable" | "refused", why).
Unlisted = tuple[str, str]


@dataclass
class PageContext:
    source: data.Source
    filters: Filters  # carries the viewer's scope: child-level rows are limited by role
    viewer: Viewer
    drawing: page_drawing.Drawing | None = None  # the page's kept parts (ui/page_drawing)

    def kept(self, key: tuple, make: Callable[[], T]) -> T:
        """`make()`, kept in the page's drawing under `key` when the page keeps one: `key`
        names everything the part depends on beyond the data and the filters."""
        return page_drawing.part(self.drawing, key, make)

    @cached_property
    def engine(self):
        """The data's Engine, looked up once per page run (a page asks for it dozens of times,
        and each st.cache_resource lookup hashes its arguments)."""
        return data.engine(self.source)

    def _aggregate(self, key: tuple, answer: Callable[[], T]) -> T | None:
        """A cached aggregate answer, kept under `key`; None (the reason shown) when the
        measure is unavailable."""

        def make() -> T | MeasureUnavailable:
            try:
                return answer()
            except MeasureUnavailable as exc:
                return exc

        found = self.kept(key, make)
        if isinstance(found, MeasureUnavailable):
            st.info(f"Not available in this extract: {found}")
            return None
        return found

    def headline(self, key: str, filters: Filters | None = None) -> dict | None:
        """Aggregates of a measure, or None (with the reason shown) when unavailable."""
        chosen = filters or self.filters
        return self._aggregate(
            ("headline", key, filters), lambda: data.headline(self.source, key, chosen)
        )

    def monthly(self, key: str) -> pd.DataFrame | None:
        return self._aggregate(
            ("monthly", key), lambda: data.monthly(self.source, key, self.filters)
        )

    def breakdown(self, key: str, by: str = "team") -> pd.DataFrame | None:
        return self._aggregate(
            ("breakdown", key, by), lambda: data.breakdown(self.source, key, self.filters, by)
        )

    def rows(self, key: str, limit: int | None = 5000, **narrow: str | None) -> pd.DataFrame | None:
        """The children behind a measure (within the viewer's scope), optionally with the
        filters narrowed (e.g. team=..., worker=...); None with the reason shown otherwise."""
        filters = replace(self.filters, **narrow) if narrow else self.filters
        try:
            return data.rows(self.source, key, filters, limit)
        except MeasureUnavailable as exc:
            st.info(f"Not available in this extract: {exc}")
            return None
        except NotPermitted as exc:
            auth.record("rows_shown", detail=key, outcome="refused", once=True)
            st.info(f"Not permitted: {exc}.")
            return None

    def first_rows(
        self,
        key: str,
        limit: int,
        where: data.Where = (),
        order: data.Order = (),
        **narrow: object,
    ) -> tuple[pd.DataFrame, int, data.Filters] | None:
        """The first `limit` rows of a measure kept by `where` (flag columns) in `order`, how
        many there are in all, and the filters asked (for the download of every row); None
        with the reason shown, as `rows`."""
        filters = replace(self.filters, **narrow) if narrow else self.filters

        def make() -> tuple[pd.DataFrame, int] | Unlisted:
            try:
                return data.first_rows(self.source, key, filters, where, order, limit)
            except MeasureUnavailable as exc:
                return ("unavailable", str(exc))
            except NotPermitted as exc:
                return ("refused", str(exc))

        found = self.kept(("first_rows", key, limit, where, order, tuple(narrow.items())), make)
        if isinstance(found[0], str):
            if found[0] == "unavailable":
                st.info(f"Not available in this extract: {found[1]}")
            else:  # audited on every run, as before: the refusal is the viewer's
                auth.record("rows_shown", detail=key, outcome="refused", once=True)
                st.info(f"Not permitted: {found[1]}.")
            return None
        first, total = found
        return first, total, filters

    def hidden(
        self,
        key: str,
        shown: int,
        *,
        column: str | None = None,
        values: Sequence[object] = (),
        **narrow: object,
    ) -> int:
        """How many rows of a list of `shown` rows the viewer's scope leaves out: the measure's
        rows (filters narrowed as for `rows`; with `column`, only rows whose value of it is one
        of `values`) counted whatever the scope, less those shown. 0 for an unscoped viewer."""
        if self.filters.scope is None:
            return 0
        filters = replace(self.filters, **narrow) if narrow else self.filters

        def make() -> int:
            try:
                counts = data.count(self.source, key, filters, (column,) if column else ())
            except MeasureUnavailable:
                return 0
            if column:
                wanted = {str(v) for v in values}
                counts = counts[counts[column].astype(str).isin(wanted)]
            return int(counts["n"].sum())

        every = self.kept(("count", key, column, tuple(values), tuple(narrow.items())), make)
        return max(every - shown, 0)

    def target(self, name: str) -> int:
        return self.engine.settings.target(name)


def setup(
    title: str,
    intro: str | None = None,
    *,
    filters_on: bool = True,
    analyst_only: bool = False,
    reads_figures: bool = True,
    keep: bool = False,
) -> PageContext:
    """Configure the page and return its context; stops the page when there is no data, the
    viewer may not see it, or (for a page that `reads_figures`) an older version loaded it.
    `keep`: the page keeps its drawing once per data and filters (ui/page_drawing), for a
    page whose parts depend on nothing else (not a child's page, named by its link)."""
    st.set_page_config(page_title=f"{title} · frontdoor", layout="wide")
    page_drawing.begin()
    private_umask()  # anything the app writes (uploads, loads, the audit log) is the owner's
    nav.sidebar_menu()
    source = data.current_source()
    if source is None:
        st.title(title)
        st.error(
            f"No database found at {md(data.db_path())}. Run `make run` to build the synthetic "
            "sample, or load your extract with `frontdoor load --extract DIR --db FILE` and "
            "start the app with FRONTDOOR_DB=FILE."
        )
        st.stop()
    problem = data.settings_problem(source)
    if problem:
        st.title(title)
        st.error(
            f"The settings file cannot be used: {md(problem)}. Fix it (settings.example.toml "
            "and the README show the format), or start the app without FRONTDOOR_SETTINGS to "
            "use the defaults."
        )
        st.stop()
    meta, end, teams = data.facts(source)
    viewer = auth.current_viewer(meta.get("synthetic") == "true", teams)
    st.session_state["_viewer"] = viewer
    if analyst_only and not viewer.can_manage_data:
        auth.record("page", detail=title, outcome="refused")
        st.title(title)
        st.error("Not permitted: this page is for analysts. Ask your performance team for access.")
        st.stop()
    notes: list[str] = []
    if filters_on:
        own = viewer.teams if viewer.role == TEAM_LEAD else ()
        chosen, notes = filters.sidebar_filters(
            data.data_start(source),
            end,
            teams,
            lambda team: data.workers(source, team),
            own_teams=tuple(own),
        )
    else:
        chosen = Filters(end, end)
    chosen = replace(chosen, scope=viewer.scope, scope_teams=viewer.scope_teams)
    st.title(title)
    for note in notes:  # what a link asked for that could not be used (never its own text)
        st.warning(note)
    if viewer.role == "aggregates_only":
        st.info(
            "You see aggregate figures only. To see the children behind them, sign in: the "
            "operator configures [auth] in .streamlit/secrets.toml and your role in "
            ".streamlit/roles.toml (see README)."
        )
    if meta.get("synthetic") == "true":
        st.warning(
            "Synthetic data: this is the built-in made-up authority, not real children.", icon="ℹ️"
        )
    stale = data.engine(source).stale_reason()
    if stale:  # every figure would say "not available"; say why once, above them all
        st.error(  # the reason is one of frontdoor.facts' own sentences, never data
            f"This database cannot be read as it is: {stale}. Until it is loaded again, the "
            "pages show no figures, lists or chronologies. If you cannot load it, ask your "
            "performance team."
        )
        if reads_figures:  # half a page (a chronology without its timescales) would mislead
            st.stop()
    if filters_on:
        st.caption(f"Figures for {md(filters.describe(chosen, dict(teams)))}.")
    if intro:
        st.caption(intro)
    drawing = page_drawing.start(title, source, chosen, keep)
    return PageContext(source, chosen, viewer, drawing)


def child_not_found(person: str) -> None:
    """Say that a child id from a link or a form cannot be shown, in the same words whether
    no such child exists or the child is outside the viewer's scope: a refusal must not tell
    who is in the extract."""
    st.error(f"Not found: no child with id {md(person)} among the records your role can see.")
    st.caption("Check the id, or open a child from one of the tables on the other pages.")
