"""Drill-down helpers the manager pages share: a measure's availability checked once per
section, its rows grouped by any column (in SQL), and a chart whose selected bars list the
children behind them.

Nothing here defines a measure: grouping reads the measure's own rows and aggregates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from metrics import MEASURES, Filters, MeasureUnavailable, get
from metrics.benchmarks import benchmark
from metrics.measure import DENOMINATOR, NUMERATOR, SNAPSHOT
from ui import (
    charts,
    data,
    page_drawing,
    periods,
    tables,
    tile_facts,
    tiles,
)
from ui.drawn import Drawn, KeptTile, Note, draw_tile, drawn, kept_tile
from ui.page import PageContext

NONE_CHOSEN = "—"


def available(ctx: PageContext, key: str) -> bool:
    """Whether a measure can be shown; if not, say why (once) and let the page carry on."""
    if key not in MEASURES:
        st.info(f"Not available in this version: the measure {key!r} is not defined yet.")
        return False
    reason = ctx.kept(("available", key), lambda: ctx.engine.unavailable_reason(get(key)))
    if reason:
        st.info(f"Not available in this extract: {MEASURES[key].title}: {reason}")
        return False
    return True


@st.cache_data(ttl=600, max_entries=500, show_spinner=False, hash_funcs=data.HASH)
def _grouped(source: data.Source, key: str, filters: Filters, columns: tuple[str, ...]):
    return data.engine(source).grouped(get(key), filters, columns)


def grouped(ctx: PageContext, key: str, *columns: str) -> pd.DataFrame | None:
    """The measure's aggregates per value of `columns` of its rows (e.g. per source, agency,
    band or delay in days), computed in SQL; None (reason shown) when unavailable."""

    def make() -> pd.DataFrame | str:
        try:
            return _grouped(ctx.source, key, data.aggregate_filters(ctx.filters), tuple(columns))
        except MeasureUnavailable as exc:
            return str(exc)

    found = ctx.kept(("grouped", key, columns), make)
    if isinstance(found, str):
        st.info(f"Not available in this extract: {found}")
        return None
    return found


def rows_for(ctx: PageContext, key: str, **narrow: str | None) -> pd.DataFrame | None:
    """The measure's rows with the filters narrowed (e.g. team=..., worker=...), in SQL."""
    return ctx.rows(key, **narrow)


def all_rows(ctx: PageContext, key: str) -> pd.DataFrame | None:
    """Every row of a measure (no limit), for lists a chart selection narrows."""
    return ctx.rows(key, limit=None)


def chart(
    fig: charts.Figure | Callable[[], charts.Figure],
    key: str,
    *,
    frame: pd.DataFrame | None = None,
    name: str | None = None,
    selectable: bool = False,
) -> list[str]:
    """Draw a figure (charts.show: every label escaped) with the CSV download of the numbers
    behind it; with `selectable`, return the ids (custom_data) of the selected bars or points.
    `fig` may be a function building the figure: on a page that keeps its drawing
    (ui/page_drawing) it is built and drawn once per data and filters, not on every run."""
    drawing = page_drawing.current()
    if drawing is None:
        ids = charts.show(fig() if callable(fig) else fig, key, selectable=selectable)
    else:
        made = drawing.part(("chart", key), lambda: drawn(fig() if callable(fig) else fig))
        ids = charts.show_drawn(made.spec, made.said, key, selectable=selectable, table=made.table)
    if frame is not None:
        tables.download(frame, name or key, key)
    return ids


def choice(
    ids: list[str],
    options: Sequence[str],
    key: str,
    label: str,
    *,
    format_func=str,
) -> list[str]:
    """The chart's selection, or (for keyboard users, and when nothing is selected) a choice
    from a list; the chart wins when both are given."""
    picked = st.selectbox(
        label,
        [NONE_CHOSEN, *options],
        key=key,
        format_func=lambda v: v if v == NONE_CHOSEN else format_func(v),
    )
    if ids:
        return ids
    return [] if picked == NONE_CHOSEN else [str(picked)]


def children_of(
    rows: pd.DataFrame | None,
    column: str,
    ids: list[str],
    key: str,
    *,
    name: str,
    what: str,
    ctx: PageContext | None = None,
    measure: str | None = None,
) -> None:
    """The rows whose `column` is one of the selected ids, as a child table (row → Child page);
    given the page and the measure, it says how many the viewer's scope leaves out."""
    if not ids:  # before the rows: a page may read them only once something is chosen
        st.caption(f"Select a bar (click it, or drag a box) or choose {what} to list the children.")
        return
    if rows is None:
        return
    subset = rows[rows[column].astype(str).isin(ids)]
    st.text(f"Chosen {what}: {', '.join(ids)}")  # values from the extract: plain text only
    tables.child_table(
        subset,
        key,
        name=name,
        caption=f"{len(subset):,} rows. Choose a row to open the child.",
        hidden=ctx.hidden(measure, len(subset), column=column, values=ids)
        if ctx is not None and measure
        else 0,
    )


def picked_row(
    frame: pd.DataFrame,
    key: str,
    id_column: str,
    *,
    name: str,
    order: str = "in the list's order",
) -> str | None:
    """An aggregate table (e.g. workers) whose selected row's id drives a drill-down on the
    same page; with its download. Longer than the screen shows, as tables.child_table. Kept
    by its `key` on a page that keeps its drawing, as tables.table."""
    frame, longer = tables.capped(frame, order)
    if longer is not None:
        st.caption(tables.longer_note(len(frame), longer))
    made = tables.kept_shown((key,), frame, codes=False)
    frame = made.frame
    event = st.dataframe(
        made.shown,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        placeholder="",  # a missing value is blank, never "None"
        width="stretch",
        column_config=made.config,
    )
    if longer is None:
        tables.download(frame, name, key)
    else:
        tables.download_every(longer, name, key)
    rows = event.selection.rows if event and event.selection else []
    if rows and rows[0] < len(frame):
        return str(frame.iloc[rows[0]][id_column])
    return None


def long_list(
    ctx: PageContext,
    key: str,
    table_key: str,
    *,
    name: str,
    caption: str | Callable[[int], str] | None = None,
    where: data.Where = (),
    order: data.Order = (),
    order_words: str = "in the measure's order",
    columns: Sequence[str] | None = None,
    hidden: tuple[str, bool] | None = None,
    shape=None,
    labels: dict[str, str | None] | None = None,
    **narrow: object,
) -> None:
    """A list of a measure's rows, kept by its flag columns (`where`), in `order`: its first
    rows on screen, every row in its download (tables.child_table). A run reads the first
    rows only, and the flags are applied before the list is cut. `hidden`: the flag (column,
    value) whose rows the viewer's scope may leave out, said under the list (("", True): the
    whole measure). `shape`: a function giving the frame as shown (columns added or put in
    words), applied to the rows shown and to the download alike. `caption` may be a function
    of how many rows there are."""
    found = ctx.first_rows(key, tables.list_rows(), where, order, **narrow)
    if found is None:
        return
    first, total, filters = found
    source = ctx.source

    def shaped(frame: pd.DataFrame) -> pd.DataFrame:
        frame = shape(frame) if shape is not None else frame
        return frame[list(columns)] if columns is not None else frame

    longer = tables.Longer(
        total, order_words, lambda: shaped(data.kept_rows(source, key, filters, where, order))
    )
    scoped = 0
    if hidden is not None:
        column, value = hidden
        scoped = (
            ctx.hidden(key, total, column=column, values=[value], **narrow)
            if column
            else ctx.hidden(key, total, **narrow)
        )
    tables.child_table(
        (lambda: shaped(first)) if len(first) else shaped(first),  # shaped when first kept
        table_key,
        name=name,
        caption=caption(total) if callable(caption) else caption,
        hidden=scoped,
        labels=labels,
        longer=longer,
        kept=("list", table_key, key, where, order, tuple(narrow.items())),
    )


def flagged(frame: pd.DataFrame, column: str, yes: str, no: str) -> pd.Series:
    """A boolean column said in words (never colour or a tick alone)."""
    return frame[column].map(lambda v: yes if pd.notna(v) and bool(v) else no)


def waiting_list(
    ctx: PageContext,
    key: str,
    table_key: str,
    *,
    name: str,
    caption: str,
    flag: tuple[str, str, str, int],
    label: str = "timescale",
) -> None:
    """Outstanding work, oldest first (the measure's own order), with its flag column said in
    words: `flag` = (row column, words if true, words if false, where to insert the words)."""
    column, yes, no, position = flag

    def in_words(rows: pd.DataFrame) -> pd.DataFrame:
        if column in rows:
            rows = rows.copy()
            rows.insert(position, label, flagged(rows, column, yes, no))
        return rows

    long_list(
        ctx,
        key,
        table_key,
        name=name,
        caption=caption,
        hidden=("", True),
        shape=in_words,
        order_words="longest waiting first",
        labels={column: None},  # said in words in the inserted column
    )


@dataclass(frozen=True)
class Tile:
    """One headline tile of a measure: which aggregate, in what words and unit."""

    aggregate: str
    label: str
    unit: str = "count"  # "count", "%", "working days"
    target: str | None = None  # a settings target key, said as "within N working days"
    higher_is_better: bool | None = None


def previous_headline(ctx: PageContext, key: str) -> dict:
    """The measure's aggregates over the previous period of the same length ({} if none)."""
    return tile_facts.previous_headline(ctx, key)


def tile_row(ctx: PageContext, key: str, specs: Sequence[Tile]) -> dict | None:
    """A row of tiles for one measure, each against its previous period, target and England.
    Returns the headline aggregates (None, reason shown, when unavailable)."""

    def make() -> tuple[dict, list[KeptTile]] | str:
        try:
            now = data.headline(ctx.source, key, ctx.filters)
        except MeasureUnavailable as exc:
            return str(exc)
        before = previous_headline(ctx, key)
        return now, [kept_tile(ctx, key, spec, now, before) for spec in specs]

    found = ctx.kept(("tiles", key, tuple(specs)), make)
    if isinstance(found, str):
        st.info(f"Not available in this extract: {found}")
        return None
    now, made = found
    for column, tile in zip(st.columns(len(specs)), made, strict=True):
        with column:
            draw_tile(tile)
    return now


def trend_chart(
    ctx: PageContext,
    key: str,
    aggregate: str,
    y_title: str,
    chart_key: str,
    *,
    target: float | None = None,
    extra: Sequence[tuple[str, str]] = (),
    below=None,
) -> pd.DataFrame | None:
    """The monthly trend of one aggregate (plus `extra` (aggregate, label) lines), with its
    goal, the target and England's figure for the period's year as labelled lines, and its
    CSV. A share is drawn on 0-100 with "41 of 48" in the hover and its small months hollow.
    The children behind a clicked month are listed under the chart, or in `below` (a
    container under a row of charts, so the list has the page's full width)."""
    made = ctx.kept(
        ("trend", chart_key, key, aggregate, y_title, target, tuple(extra)),
        lambda: trend_drawn(ctx, key, aggregate, y_title, target=target, extra=extra),
    )
    draw_trend(ctx, key, made, chart_key, f"{key}_{aggregate}_monthly", below)
    return made.frame


def draw_trend(
    ctx: PageContext, key: str, made: Drawn, chart_key: str, name: str, below=None
) -> None:
    """A trend as `trend_chart` draws it: the chart (a clicked month lists its children under
    it, or in `below`), its text alternative and its CSV; or what it says instead."""
    if made.spec is None or made.said is None or made.frame is None:
        said_note(made.note)
        return
    months = charts.show_drawn(made.spec, made.said, chart_key, selectable=True, table=made.table)
    tables.download(made.frame, name, chart_key)
    trend_children(ctx, key, months, chart_key, below)


def said_note(note: Note | None) -> None:
    """What a trend says instead of its chart: ("info", text) or ("caption", text)."""
    if note is not None:
        kind, text = note
        (st.info if kind == "info" else st.caption)(text)


def trend_children(ctx: PageContext, key: str, months: list[str], chart_key: str, below) -> None:
    """The children behind a clicked month, under the chart or in `below`."""
    if below is None:
        month_children(ctx, key, months, f"{chart_key}_children")
    elif months:
        with below:
            month_children(ctx, key, months, f"{chart_key}_children")


def trend_drawn(
    ctx: PageContext,
    key: str,
    aggregate: str,
    y_title: str,
    *,
    target: float | None = None,
    extra: Sequence[tuple[str, str]] = (),
) -> Drawn:
    """A trend as `trend_chart` draws it (its monthly frame and figure, `drawn`), or, with no
    figure, what to say instead (the measure or the aggregate the extract cannot give, no
    months): nothing drawn here, so a page keeps it (ui/page_drawing, ui/overview_drawing)."""
    try:
        frame = data.monthly(ctx.source, key, ctx.filters)
    except MeasureUnavailable as exc:
        return Drawn(note=("info", f"Not available in this extract: {exc}"))
    reason = ctx.engine.unavailable_aggregates(MEASURES[key]).get(aggregate)
    if reason:
        return Drawn(frame=frame, note=("info", f"Not available: {reason}"))
    if frame.empty or aggregate not in frame:
        return Drawn(frame=frame, note=("caption", "No months with data for these filters."))
    percent = aggregate.endswith("_pct")
    unit = "%" if percent else "working days" if aggregate.endswith("_wd") else "count"
    goal = ctx.engine.settings.goal(key, aggregate)
    found = benchmark(key, aggregate, ctx.filters.date_to)
    if found is not None and found.timescale_wd is not None:
        measure_target = MEASURES[key].target
        if measure_target and ctx.target(measure_target) != found.timescale_wd:
            found = None  # England counts within another timescale: not comparable
    # Beside its percentiles a median's line is named for what it is, not for the axis.
    percentiles = bool(extra) and all("percentile" in label for _, label in extra)
    fig = charts.trend(
        frame,
        aggregate,
        y_title,
        name="Median" if percentiles and "median" in aggregate else y_title,
        target=target,
        target_label=f"Timescale {target:g} working days" if target is not None else None,
        england=found.value if found else None,
        england_label=f"England {tiles.short(found.value, unit)} ({found.year})" if found else None,
        england_note=found.basis if found else None,
        goal=goal.value if goal else None,
        goal_label=f"Goal {tiles.short(goal.value, unit)}" if goal else None,
        extra=extra,
        percent=percent,
        numerator=NUMERATOR.format(aggregate),
        denominator=DENOMINATOR.format(aggregate),
    )
    return replace(drawn(fig), frame=frame)


def month_children(ctx: PageContext, key: str, months: list[str], table_key: str) -> None:
    """The children behind a clicked month of a trend: a flow measure's rows dated in that
    month (within the period); a snapshot measure's rows at that month's end."""
    if not months:
        return
    window = periods.month_window(months[0], ctx.filters.date_from, ctx.filters.date_to)
    if window is None:
        return
    first, last = window
    narrow: dict = {"date_from": first, "date_to": last}
    if MEASURES[key].kind == SNAPSHOT:
        narrow["as_of"] = last
    long_list(
        ctx,
        key,
        table_key,
        name=f"{key}_{first:%Y_%m}",
        caption=lambda n: f"Behind {first:%B %Y}: {n:,} rows. Choose a row to open the child.",
        hidden=("", True),
        **narrow,
    )


def days_text(value: float | None) -> str:
    """A number of working days as a tile shows it ("–" when there is none)."""
    return tiles.fmt(value, "working days")
