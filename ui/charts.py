"""Plotly figures with units on the axes, target and England lines, colour-blind-safe colours,
and the child or case id carried in custom_data for drill-down."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
TARGET_STYLE = {"color": "#D55E00", "dash": "dash", "width": 2}
ENGLAND_STYLE = {"color": "#000000", "dash": "dot", "width": 2}


# Chart text at AA contrast on white (Streamlit's chart theme greys are under 4.5:1).
TEXT_COLOUR = "#0b0c0c"
TICK_COLOUR = "#505a5f"  # 7:1 on white


def layout(fig: go.Figure, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        colorway=PALETTE,
        font={"color": TEXT_COLOUR},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        height=340,
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={"orientation": "h", "y": -0.25, "font": {"color": TEXT_COLOUR}},
    )
    for axis in (fig.update_xaxes, fig.update_yaxes):
        axis(tickfont={"color": TICK_COLOUR}, title_font={"color": TEXT_COLOUR})
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
) -> go.Figure:
    """A monthly line with markers; x is the month."""
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
            fig.add_vline(x=target, line=TARGET_STYLE, annotation_text=f"Target {target:g}")
        return fig
    fig = layout(
        go.Figure(go.Bar(x=frame[x].astype(str), y=frame[y], customdata=custom)), x_title, y_title
    )
    return reference_lines(fig, target, england)


def histogram(
    values: Iterable[float], x_title: str, *, target: float | None = None, bin_size: int = 5
) -> go.Figure:
    fig = layout(
        go.Figure(go.Histogram(x=list(values), xbins={"size": bin_size})), x_title, "Children"
    )
    if target is not None:
        fig.add_vline(x=target + 0.5, line=TARGET_STYLE, annotation_text=f"Target {target:g}")
    return fig


def selected_ids(event: object) -> list[str]:
    """The ids carried in custom_data of the selected points.

    Point indices restart in each trace, so only custom_data identifies a point; Streamlit
    sends it as a list or as a dict like {"0": "id"}.
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
        if value is not None and str(value) not in ids:
            ids.append(str(value))
    return ids


# Series told apart without colour (WCAG 1.4.1): hatching for bars, marker shapes and dashes for
# lines, in legend order. The first series keeps a plain fill and a solid line.
PATTERNS = ["", "/", ".", "x", "-", "|", "+", "\\"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
OUTLINE = "#0b0c0c"  # a dark edge: every bar meets 3:1 against white, whatever its fill


def distinguish(fig: go.Figure) -> go.Figure:
    """Make every series tell itself apart by more than colour: bars get a dark outline and,
    when there are several series, a hatching each; lines and points a marker shape each and,
    for lines, a dash each (where the code did not set them)."""
    bars = [t for t in fig.data if t.type in ("bar", "histogram")]
    lines = [t for t in fig.data if t.type == "scatter"]
    for i, trace in enumerate(bars):
        trace.marker.line.color = OUTLINE
        trace.marker.line.width = 1
        if len(bars) > 1 and trace.marker.pattern.shape is None:
            trace.marker.pattern.shape = PATTERNS[i % len(PATTERNS)]
    if len(lines) > 1:
        for i, trace in enumerate(lines):
            if trace.marker.symbol is None:
                trace.marker.symbol = SYMBOLS[i % len(SYMBOLS)]
            if "lines" in (trace.mode or "") and trace.line.dash is None:
                trace.line.dash = DASHES[i % len(DASHES)]
    return fig
