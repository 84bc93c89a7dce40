"""Every chart of the dashboard is built and drawn here: Plotly figures with units on the axes,
target and England lines, colour-blind-safe colours, the child or case id carried in custom_data
for drill-down, and the one chokepoint for chart text.

Plotly reads a subset of HTML in every piece of text it draws (axis titles, category tick
labels, legend, hover, annotations, titles): `<a href>` becomes a live link, `<b>` bold, and
`$...$` is sent to MathJax when a page has it. Names and categories come from the data, so
`show()` (the only call of st.plotly_chart) draws `safe_figure(fig)`: every string in the
figure's spec escaped (`label`). The templates the code writes (hovertemplate, texttemplate)
keep only the markup the code uses (`<br>`, `<extra>`); never put data into a template: pass it
as text or custom_data and refer to it (`%{text}`). A line break in a value is shown as one.

Pages build figures with `figure()`, `bars()`, `trend()`, `stacked()`, `grouped_bars()`,
`spread()`, `histogram()` and draw them with `show()` (ui/drill.chart adds the CSV); they never
import plotly or call st.plotly_chart themselves (tests/test_output_safety.py checks).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

Figure = go.Figure

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
TARGET_STYLE = {"color": "#D55E00", "dash": "dash", "width": 2}
ENGLAND_STYLE = {"color": "#000000", "dash": "dot", "width": 2}

# Spec keys whose strings the code writes as Plotly templates (`%{y}<br>...<extra></extra>`).
TEMPLATE_KEYS = frozenset({"hovertemplate", "texttemplate", "hovertemplatefallback"})
# The markup a template may keep; everything else in it is escaped like data.
TEMPLATE_MARKUP = ("<br>", "<extra>", "</extra>")


# -------------------------------------------------------------------------------- escaping


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("$", "&#36;")


def label(text: object) -> str:
    """A value as Plotly text that shows exactly itself: `&`, `<`, `>` as entities, `$` as a
    numeric entity (no LaTeX), a line break as `<br>`."""
    value = _escape(str(text))
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _template(text: str) -> str:
    escaped = html.escape(text, quote=False)
    for tag in TEMPLATE_MARKUP:
        escaped = escaped.replace(html.escape(tag, quote=False), tag)
    return escaped


def _clean(node: object, key: str | None) -> object:
    if isinstance(node, str):
        if key in TEMPLATE_KEYS:
            return _template(node)
        if key == "customdata":  # ids for drill-down: escaped, kept as they are otherwise
            return _escape(node)
        return label(node)
    if isinstance(node, dict):
        return {k: _clean(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_clean(v, key) for v in node]
    return node


def safe_figure(fig: go.Figure) -> go.Figure:
    """A copy of `fig` with every string of its spec escaped for Plotly's label syntax (titles,
    tick labels, categories, legend names, hover text, annotations, custom data, ...)."""
    spec = json.loads(fig.to_json())  # plain types: numbers travel as typed arrays, untouched
    # The spec is a validated figure's own, only its strings changed: validating it again
    # would cost more than everything else here.
    return go.Figure(_clean(spec, None), _validate=False)


def show(fig: go.Figure, key: str, *, selectable: bool = False) -> list[str]:
    """Draw `fig` with every string escaped; with `selectable`, return the ids (custom_data)
    of the selected bars or points."""
    safe = safe_figure(fig)
    if selectable:
        event = st.plotly_chart(
            safe, key=key, on_select="rerun", selection_mode=("points", "box"), width="stretch"
        )
        return selected_ids(event)
    st.plotly_chart(safe, key=key, width="stretch")
    return []


def selected_ids(event: object) -> list[str]:
    """The ids carried in custom_data of the selected points, as the data has them.

    Point indices restart in each trace, so only custom_data identifies a point; Streamlit
    sends it as a list or as a dict like {"0": "id"}; `show` escaped it for drawing.
    """
    if not event:
        return []
    selection = (
        event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    )
    points = (
        selection.get("points", [])
        if isinstance(selection, dict)
        else getattr(selection, "points", [])
    )
    ids: list[str] = []
    for point in points or []:
        custom = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(custom, dict):
            custom = [custom[k] for k in sorted(custom, key=lambda k: int(k))]
        if isinstance(custom, (list, tuple)) and custom:
            value = custom[0]
        else:
            value = custom
        if value is not None:
            value = html.unescape(str(value))
            if value not in ids:
                ids.append(value)
    return ids


# -------------------------------------------------------------------------------- building


def layout(fig: go.Figure, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        colorway=PALETTE,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        height=340,
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def figure(x_title: str = "", y_title: str = "") -> go.Figure:
    """An empty figure in the house style, for traces added with its add_* methods."""
    return layout(go.Figure(), x_title, y_title)


def vline(fig: go.Figure, x: float, text: str, style: dict = TARGET_STYLE) -> go.Figure:
    """A vertical reference line (a target or England), labelled in words."""
    fig.add_vline(x=x, line=style, annotation_text=text)
    return fig


def reference_lines(fig: go.Figure, target: float | None, england: float | None) -> go.Figure:
    """Horizontal target and England lines, labelled in words (not by colour alone)."""
    if target is not None:
        fig.add_hline(
            y=target,
            line=TARGET_STYLE,
            annotation_text=f"Target {target:g}",
            annotation_position="top left",
        )
    if england is not None:
        fig.add_hline(
            y=england,
            line=ENGLAND_STYLE,
            annotation_text=f"England {england:g}",
            annotation_position="bottom left",
        )
    return fig


def trend(
    frame: pd.DataFrame,
    y: str,
    y_title: str,
    *,
    name: str | None = None,
    target: float | None = None,
    england: float | None = None,
    extra: Sequence[tuple[str, str]] = (),
) -> go.Figure:
    """A monthly line with markers (x is the month; each point carries its month), plus dashed
    `extra` (column, label) lines."""
    fig = go.Figure(
        go.Scatter(
            x=frame["month"],
            y=frame[y],
            mode="lines+markers",
            name=name or y_title,
            customdata=frame[["month"]].astype(str).to_numpy(),
            hovertemplate="%{x|%b %Y}: %{y:.1f}<extra></extra>",
        )
    )
    for i, (column, line_label) in enumerate(extra):
        if column in frame:
            fig.add_scatter(
                x=frame["month"],
                y=frame[column],
                mode="lines+markers",
                name=line_label,
                line={"color": PALETTE[(i + 1) % len(PALETTE)], "dash": "dash"},
            )
    fig.update_xaxes(dtick="M1", tickformat="%b %y")
    return reference_lines(layout(fig, "Month", y_title), target, england)


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
    return fig


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


def histogram(
    values: Iterable[float], x_title: str, *, target: float | None = None, bin_size: int = 5
) -> go.Figure:
    fig = layout(
        go.Figure(go.Histogram(x=list(values), xbins={"size": bin_size})), x_title, "Children"
    )
    if target is not None:
        vline(fig, target + 0.5, f"Target {target:g}")
    return fig
