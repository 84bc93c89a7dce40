"""A chart's reference lines: the goal, target and England lines, each labelled in words (not
by colour alone), drawn as Plotly shapes with their annotations (what add_hline and add_vline
add, written out: those cost 7 ms each in Plotly's path checks). Apart from ui/charts because
every builder shares them, and a trend written as a spec takes them as pairs."""

from __future__ import annotations

import plotly.graph_objects as go

TARGET_STYLE = {"color": "#D55E00", "dash": "dash", "width": 2}

ENGLAND_STYLE = {"color": "#000000", "dash": "dot", "width": 2}

GOAL_STYLE = {"color": "#009E73", "dash": "dash", "width": 2}

# A reference line's label stays readable where a data line crosses it.
LABEL_BACKGROUND = "rgba(255,255,255,0.8)"


def _lines(fig: go.Figure, lines: list[tuple[dict, dict]]) -> go.Figure:
    """Add (shape, annotation) pairs in one layout update: what add_hline and add_vline add,
    written out (each of those costs 7 ms of Plotly's path checks; this 1 ms for all)."""
    if lines:
        fig.update_layout(
            shapes=[*fig.layout.shapes, *(shape for shape, _ in lines)],
            annotations=[*fig.layout.annotations, *(note for _, note in lines)],
        )
    return fig


def _hline(
    y: float,
    line: dict,
    text: str,
    position: str,
    bgcolor: str | None = None,
    hovertext: str | None = None,
) -> tuple[dict, dict]:
    """A horizontal line across the plot at `y`, its label at `position` ("top right", ...),
    as add_hline(annotation_position=...) makes them."""
    vertical, horizontal = position.split()
    shape = {"type": "line", "line": line, "xref": "x domain", "x0": 0, "x1": 1}
    shape |= {"yref": "y", "y0": y, "y1": y}
    note = {"text": text, "showarrow": False, "xref": "x domain", "yref": "y", "y": y}
    note |= {"x": 1 if horizontal == "right" else 0, "xanchor": horizontal}
    note["yanchor"] = "bottom" if vertical == "top" else "top"
    if bgcolor is not None:
        note["bgcolor"] = bgcolor
    if hovertext is not None:
        note["hovertext"] = hovertext
    return shape, note


def vline(fig: go.Figure, x: float, text: str, style: dict = TARGET_STYLE) -> go.Figure:
    """A vertical reference line (a target or England), labelled in words (top right, as
    add_vline puts it)."""
    shape = {"type": "line", "line": style, "xref": "x", "x0": x, "x1": x}
    shape |= {"yref": "y domain", "y0": 0, "y1": 1}
    note = {"text": text, "showarrow": False, "xref": "x", "x": x, "xanchor": "left"}
    note |= {"yref": "y domain", "y": 1, "yanchor": "top"}
    return _lines(fig, [(shape, note)])


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
    lines = _reference_pairs(
        target,
        england,
        goal=goal,
        goal_label=goal_label,
        england_label=england_label,
        england_note=england_note,
        target_label=target_label,
    )
    _lines(fig, lines)
    return fig


def _reference_pairs(
    target: float | None,
    england: float | None,
    *,
    goal: float | None = None,
    goal_label: str | None = None,
    england_label: str | None = None,
    england_note: str | None = None,
    target_label: str | None = None,
) -> list[tuple[dict, dict]]:
    """The (shape, annotation) pairs of `reference_lines`."""
    goal_above = england is None or goal is None or goal >= england
    lines = []
    if goal is not None:
        lines.append(
            _hline(
                goal,
                GOAL_STYLE,
                goal_label or f"Goal {goal:g}",
                "top left" if goal_above else "bottom left",
                LABEL_BACKGROUND,
            )
        )
    if target is not None:
        lines.append(
            _hline(
                target,
                TARGET_STYLE,
                target_label or f"Target {target:g}",
                "top right",
                LABEL_BACKGROUND,
            )
        )
    if england is not None:
        lines.append(
            _hline(
                england,
                ENGLAND_STYLE,
                england_label or f"England {england:g}",
                "bottom right" if goal_above else "top right",
                LABEL_BACKGROUND,
                england_note,
            )
        )
    return lines
