"""Plotly figures with units on the axes, target and England lines, colour-blind-safe colours,
and the child or case id carried in custom_data for drill-down."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
TARGET_STYLE = {"color": "#D55E00", "dash": "dash", "width": 2}
ENGLAND_STYLE = {"color": "#000000", "dash": "dot", "width": 2}


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


GOAL_STYLE = {"color": "#009E73", "dash": "dash", "width": 2}
# A share of fewer than this many children in a month is drawn hollow, off the line.
FEWEST = 5
TOO_FEW = f"Fewer than {FEWEST} children: too few to judge"


def reference_lines(
    fig: go.Figure,
    target: float | None,
    england: float | None,
    *,
    goal: float | None = None,
    goal_label: str | None = None,
    england_label: str | None = None,
    england_note: str | None = None,
    target_label: str | None = None,
) -> go.Figure:
    """Horizontal goal, target and England lines, each labelled in words (not by colour
    alone). Of the goal and England, the higher line's label sits above it and the lower's
    below, so close lines keep their labels apart; the target's label is at the top right."""
    goal_above = england is None or goal is None or goal >= england
    if goal is not None:
        fig.add_hline(
            y=goal,
            line=GOAL_STYLE,
            annotation_text=goal_label or f"Goal {goal:g}",
            annotation_position="top left" if goal_above else "bottom left",
        )
    if target is not None:
        fig.add_hline(
            y=target,
            line=TARGET_STYLE,
            annotation_text=target_label or f"Target {target:g}",
            annotation_position="top right",
        )
    if england is not None:
        fig.add_hline(
            y=england,
            line=ENGLAND_STYLE,
            annotation_text=england_label or f"England {england:g}",
            annotation_position="bottom right" if goal_above else "top right",
            annotation_hovertext=england_note,
        )
    return fig


def month_ticks(fig: go.Figure, months: Sequence[object]) -> go.Figure:
    """Month labels that can be read ("Apr 2024"), from the first month shown, thinned as the
    months grow: every month up to 6, then every 2nd, 3rd or 6th."""
    count = len(months)
    step = 1 if count <= 6 else 2 if count <= 12 else 3 if count <= 24 else 6
    first = str(min(months))[:10] if count else None
    fig.update_xaxes(dtick=f"M{step}", tick0=first, tickformat="%b %Y", tickangle=0)
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
    fig = go.Figure(
        go.Scatter(
            x=months,
            y=judged,
            mode="lines+markers",
            name=name or y_title,
            connectgaps=True,
            customdata=custom,
            hovertemplate="%{x|%b %Y}: " + said + "<extra></extra>",
            cliponaxis=False,
        )
    )
    if parts and bool(few.any()):
        small = frame[few & frame[y].notna()]
        fig.add_scatter(
            x=small["month"],
            y=small[y],
            mode="markers",
            name=TOO_FEW,
            marker={
                "symbol": "circle-open",
                "size": 10,
                "color": PALETTE[0],
                "line": {"width": 2},
            },
            customdata=[
                c for c, f, v in zip(custom, few, frame[y].notna(), strict=True) if f and v
            ],
            hovertemplate="%{x|%b %Y}: " + said + " (too few to judge)<extra></extra>",
            cliponaxis=False,
        )
    for i, (column, line_label) in enumerate(extra):
        if column in frame:
            fig.add_scatter(
                x=months,
                y=frame[column],
                mode="lines+markers",
                name=line_label,
                line={"color": PALETTE[(i + 1) % len(PALETTE)], "dash": "dash"},
            )
    month_ticks(fig, list(months))
    fig = layout(fig, "Month", y_title)
    if percent:
        fig.update_yaxes(range=[0, 100], ticksuffix="%")
    else:
        fig.update_yaxes(rangemode="tozero")
    fig.update_layout(showlegend=len(fig.data) > 1)  # one line: its axis title names it
    return reference_lines(
        fig,
        target,
        england,
        goal=goal,
        goal_label=goal_label,
        england_label=england_label,
        england_note=england_note,
        target_label=target_label,
    )


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
