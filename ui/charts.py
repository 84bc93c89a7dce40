"""Every chart of the dashboard is built and drawn here (reference lines: ui/chart_lines; series
told apart without colour: ui/chart_series): Plotly figures with units on the axes,
target and England lines, colour-blind-safe colours, the child or case id carried in custom_data
for drill-down, each series told apart without colour.

Pages build figures with `figure()`, `bars()`, `trend()`, `stacked()`, `grouped_bars()`,
`spread()`, `histogram()` and draw them with `show()` (ui/drill.chart adds the CSV); they never
import plotly or call st.plotly_chart themselves (tests/test_output_safety.py checks). `show`
draws every figure through the one escaping chokepoint, `ui/chart_escape.safe_spec`, with its
text alternative under it (ui/chart_picks); builders are `@built` once per answer
(ui/chart_cache); a tile's line is drawn by ui/sparkline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from _plotly_utils.basevalidators import copy_to_readonly_numpy_array, is_homogeneous_array

from ui.chart_alt import ChartText, chart_text
from ui.chart_cache import CACHE, Kept, built, plain
from ui.chart_escape import figure_spec, safe_spec
from ui.chart_lines import (
    ENGLAND_STYLE,
    GOAL_STYLE,
    TARGET_STYLE,
    _reference_pairs,
    reference_lines,
    vline,
)
from ui.chart_picks import alternative, selected_ids
from ui.chart_series import distinguish
from ui.data import fingerprint

Figure = go.Figure


# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


@st.cache_data(**CACHE)
def _drawn(key: str, digest: str, _fig: go.Figure) -> tuple[dict, ChartText]:
    """What `show` draws of `_fig` (not hashed: the digest of its spec and the chart's `key`
    stand for it): its spec escaped and its series told apart, as Streamlit sends it, and its
    words (from the figure as built, dates as dates)."""
    return drawing(_fig)


def show(fig: go.Figure, key: str, *, selectable: bool = False) -> list[str]:
    """Draw `fig` with every string escaped, its series told apart without colour
    (`distinguish`) and its text alternative under it (`alternative`); with `selectable`,
    return the ids (custom_data) of the selected bars or points, or of the row chosen in the
    chart's table (the same drill-down from the keyboard)."""
    spec, said = _drawn(key, fingerprint(plain(fig)), fig)
    return show_drawn(spec, said, key, selectable=selectable)


def drawing(fig: go.Figure) -> tuple[dict, ChartText]:
    """What `show` draws of `fig`: its spec escaped and its series told apart, and its words;
    for a page that keeps its whole drawing once per answer (ui/overview_drawing)."""
    return distinguish(safe_spec(figure_spec(fig))), chart_text(fig)


def show_drawn(
    spec: dict, said: ChartText, key: str, *, selectable: bool = False, table: object = None
) -> list[str]:
    """Draw a figure from what `drawing` made of it, as `show` draws it (`table`: the text
    alternative's table already converted for Streamlit, see `chart_picks.arrow_table`)."""
    safe = Kept(spec)
    ids: list[str] = []
    if selectable:
        event = st.plotly_chart(
            safe, key=key, on_select="rerun", selection_mode=("points", "box"), width="stretch"
        )
        ids = selected_ids(event)
    else:
        st.plotly_chart(safe, key=key, width="stretch")
    picked = alternative(said, key, selectable=selectable, table=table)
    return ids or picked


# Chart text at AA contrast on white (Streamlit's chart theme greys are under 4.5:1).
TEXT_COLOUR = "#0b0c0c"


TICK_COLOUR = "#505a5f"  # 7:1 on white


def layout(fig: go.Figure, x_title: str, y_title: str) -> go.Figure:
    """The house style. Set property by property, as update_layout would merge them: Plotly's
    update_layout and update_xaxes cost 12 ms a figure in path checks, these sets 2 ms."""
    spec = fig.layout
    spec.colorway = PALETTE
    spec.font.color = TEXT_COLOUR
    spec.margin.l, spec.margin.r, spec.margin.t, spec.margin.b = 10, 10, 30, 10
    spec.height = 340
    spec.legend.orientation, spec.legend.y = "h", -0.25
    spec.legend.font.color = TEXT_COLOUR
    for axis, title in ((spec.xaxis, x_title), (spec.yaxis, y_title)):
        axis.title.text = title
        axis.tickfont.color = TICK_COLOUR
        axis.title.font.color = TEXT_COLOUR
    return fig


def house_layout(x_title: str, y_title: str) -> dict:
    """The house style of `layout` as a plain layout spec, for figures written as specs."""
    axis = {"tickfont": {"color": TICK_COLOUR}}
    return {
        "colorway": list(PALETTE),
        "font": {"color": TEXT_COLOUR},
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "height": 340,
        "legend": {"orientation": "h", "y": -0.25, "font": {"color": TEXT_COLOUR}},
        "xaxis": {"title": {"text": x_title, "font": {"color": TEXT_COLOUR}}, **axis},
        "yaxis": {"title": {"text": y_title, "font": {"color": TEXT_COLOUR}}, **axis},
    }


def _array(values: object) -> object:
    """A column as Plotly's checks would keep it (a read-only numpy array), without them."""
    return copy_to_readonly_numpy_array(values) if is_homogeneous_array(values) else list(values)


def _unchecked(traces: list[dict], layout_spec: dict) -> go.Figure:
    """A figure from a spec written as Plotly's checks would leave it (tests/test_charts.py
    holds each such builder to the checked figure of the same spec): unchecked, it costs a
    tenth of building it property by property."""
    return go.Figure({"data": traces, "layout": layout_spec}, _validate=False)


@built
def figure(x_title: str = "", y_title: str = "") -> go.Figure:
    """An empty figure in the house style, for traces added with its add_* methods."""
    return layout(go.Figure(), x_title, y_title)


# A trend's extra lines (percentiles, another clock) never take a reference line's colour.
EXTRA_COLOURS = [
    c
    for c in PALETTE[1:]
    if c not in (GOAL_STYLE["color"], TARGET_STYLE["color"], ENGLAND_STYLE["color"])
]


# A share of fewer than this many children in a month is drawn hollow, off the line.
FEWEST = 5


TOO_FEW = f"Fewer than {FEWEST} children: too few to judge"


def month_ticks(fig: go.Figure, months: Sequence[object]) -> go.Figure:
    """Month labels that can be read ("Apr 2024"), from the first month shown, thinned as the
    months grow: every month up to 6, then every 2nd, 3rd or 6th."""
    axis = fig.layout.xaxis  # set one by one: update_xaxes costs 3 ms in path checks
    for key, value in _month_axis(months).items():
        axis[key] = value
    return fig


def _month_axis(months: Sequence[object]) -> dict:
    """The x axis settings of `month_ticks`."""
    count = len(months)
    step = 1 if count <= 6 else 2 if count <= 12 else 3 if count <= 24 else 6
    axis = {"dtick": f"M{step}", "tickformat": "%b %Y", "tickangle": 0}
    if count:
        axis["tick0"] = str(min(months))[:10]
    return axis


@built
def trend(
    frame: pd.DataFrame,
    y: str,
    y_title: str,
    *,
    name: str | None = None,
    target: float | None = None,
    england: float | None = None,
    extra: Sequence[tuple[str, str]] = (),
    goal: float | None = None,
    goal_label: str | None = None,
    england_label: str | None = None,
    england_note: str | None = None,
    target_label: str | None = None,
    percent: bool = False,
    numerator: str | None = None,
    denominator: str | None = None,
) -> go.Figure:
    """A monthly line with markers (x is the month; each point carries its month), plus dashed
    `extra` (column, label) lines and the goal, target and England lines.

    A share (`percent`) is drawn on 0-100; with its `numerator` and `denominator` columns the
    hover says "41 of 48 — 85.4%", and a month with fewer than 5 in the denominator is drawn
    hollow, off the line, marked "too few to judge"."""
    months = frame["month"]
    custom = [[str(m)] for m in months]
    parts = (
        numerator is not None
        and denominator is not None
        and numerator in frame
        and denominator in frame
    )
    if parts:
        counts = frame[denominator].fillna(0).astype(int)
        custom = [
            [str(m), int(n or 0), int(d)]
            for m, n, d in zip(months, frame[numerator].fillna(0), counts, strict=True)
        ]
        few = counts < FEWEST
    else:
        few = pd.Series(False, index=frame.index)
    value = "%{y:.1f}%" if percent else "%{y:.1f}"
    said = "%{customdata[1]} of %{customdata[2]} — " + value if parts else value
    judged = frame[y].where(~few)
    # Written as Plotly's own spec (as its checks would leave it, see `_unchecked`) rather than
    # built property by property: a trend is drawn up to 19 times on a page, and Plotly's checks
    # were most of a cold page's time (issue 15, people at once).
    traces = [
        {
            "type": "scatter",
            "x": _array(months),
            "y": _array(judged),
            "mode": "lines+markers",
            "name": name or y_title,
            "connectgaps": True,
            "customdata": custom,
            "hovertemplate": "%{x|%b %Y}: " + said + "<extra></extra>",
            "cliponaxis": False,
        }
    ]
    if parts and bool(few.any()):
        small = frame[few & frame[y].notna()]
        traces.append(
            {
                "type": "scatter",
                "x": _array(small["month"]),
                "y": _array(small[y]),
                "mode": "markers",
                "name": TOO_FEW,
                "marker": {
                    "symbol": "circle-open",
                    "size": 10,
                    "color": PALETTE[0],
                    "line": {"width": 2},
                },
                "customdata": [
                    c for c, f, v in zip(custom, few, frame[y].notna(), strict=True) if f and v
                ],
                "hovertemplate": "%{x|%b %Y}: " + said + " (too few to judge)<extra></extra>",
                "cliponaxis": False,
            }
        )
    for i, (column, line_label) in enumerate(extra):
        if column in frame:
            colour = EXTRA_COLOURS[i % len(EXTRA_COLOURS)]
            traces.append(
                {
                    "type": "scatter",
                    "x": _array(months),
                    "y": _array(frame[column]),
                    "mode": "lines+markers",
                    "name": line_label,
                    "line": {"color": colour, "dash": "dash"},
                    "marker": {"color": colour},
                }
            )
    spec = house_layout("Month", y_title)
    spec["xaxis"] |= _month_axis(list(months))
    if percent:
        spec["yaxis"] |= {"range": [0, 100], "ticksuffix": "%"}
    else:
        spec["yaxis"]["rangemode"] = "tozero"
    spec["showlegend"] = len(traces) > 1  # one line: its axis title names it
    lines = _reference_pairs(
        target,
        england,
        goal=goal,
        goal_label=goal_label,
        england_label=england_label,
        england_note=england_note,
        target_label=target_label,
    )
    if lines:
        spec["shapes"] = [shape for shape, _ in lines]
        spec["annotations"] = [note for _, note in lines]
    return _unchecked(traces, spec)


@built
def bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    *,
    ids: str | None = None,
    target: float | None = None,
    england: float | None = None,
    horizontal: bool = False,
) -> go.Figure:
    """Bars whose points carry `ids` (e.g. a band or team id) for drill-down."""
    custom = frame[[ids or x]].astype(str).to_numpy()
    if horizontal:
        trace = go.Bar(x=frame[y], y=frame[x], orientation="h", customdata=custom)
        fig = layout(go.Figure(trace), y_title, x_title)
        if target is not None:
            vline(fig, target, f"Target {target:g}")
        return fig
    fig = layout(
        go.Figure(go.Bar(x=frame[x].astype(str), y=frame[y], customdata=custom)), x_title, y_title
    )
    return reference_lines(fig, target, england)


@built
def stacked(
    frame: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    groups: Sequence[tuple[str, str]],
    x_title: str,
    y_title: str,
    *,
    target: float | None = None,
) -> go.Figure:
    """Bars stacked by `group` (value, label in words) over a numeric x such as working days;
    each bar carries its x value in custom_data; the target as a vertical line."""
    fig = go.Figure()
    for i, (value, group_label) in enumerate(groups):
        part = frame[frame[group] == value]
        if part.empty:
            continue
        fig.add_bar(
            x=part[x],
            y=part[y],
            name=group_label,
            marker_color=PALETTE[i % len(PALETTE)],
            customdata=part[[x]].astype(str).to_numpy(),
        )
    fig.update_layout(barmode="stack")
    fig = layout(fig, x_title, y_title)
    if target is not None:
        vline(fig, target + 0.5, f"Target {target:g}")
    return fig


@built
def grouped_bars(
    labels: Sequence[str],
    series: Sequence[tuple[Sequence[float], str]],
    ids: Sequence[str],
    x_title: str,
    y_title: str,
) -> go.Figure:
    """Side-by-side bars per label (e.g. a worker): one (values, name) series per bar colour;
    every bar carries its label's id."""
    fig = go.Figure()
    custom = [[str(i)] for i in ids]
    for i, (values, series_name) in enumerate(series):
        fig.add_bar(
            x=list(labels),
            y=values,
            name=series_name,
            marker_color=PALETTE[i % len(PALETTE)],
            customdata=custom,
        )
    fig.update_layout(barmode="group")
    fig = layout(fig, x_title, y_title)
    fig.update_xaxes(tickangle=-45)
    # Slanted names run below the plot, where the legend usually sits: the legend goes on top.
    fig.update_layout(legend={"y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"})
    return fig


@built
def spread(
    values: Sequence[float],
    labels: Sequence[str],
    ids: Sequence[str],
    x_title: str,
    *,
    name: str,
    unit: str,
    england: float | None = None,
) -> go.Figure:
    """A box with every point shown (e.g. children per FTE across workers); a point's hover
    names it (`labels`), and it carries its id."""
    fig = go.Figure(
        go.Box(
            x=values,
            name=name,
            boxpoints="all",
            jitter=0.5,
            pointpos=0,
            marker_color=PALETTE[0],
            customdata=[[str(i)] for i in ids],
            text=list(labels),
            hovertemplate="%{text}: %{x:.1f} " + unit + "<extra></extra>",
        )
    )
    fig = layout(fig, x_title, "")
    if england is not None:
        vline(fig, england, f"England {england:g}", ENGLAND_STYLE)
    return fig


@built
def histogram(
    values: Iterable[float], x_title: str, *, target: float | None = None, bin_size: int = 5
) -> go.Figure:
    fig = layout(
        go.Figure(go.Histogram(x=list(values), xbins={"size": bin_size})), x_title, "Children"
    )
    if target is not None:
        vline(fig, target + 0.5, f"Target {target:g}")
    return fig
