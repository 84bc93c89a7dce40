"""The one place chart text is escaped: every figure drawn passes `safe_figure`.

Plotly reads a subset of HTML in every piece of text it draws (axis titles, category tick
labels, legend, hover, annotations, titles): `<a href>` becomes a live link, `<b>` bold, and
`$...$` is sent to MathJax when a page has it. Names and categories come from the data, so
`ui/charts.show()` and `ui/sparkline` draw `safe_spec(spec)` (a figure: `safe_figure(fig)`):
every string in the figure's spec escaped (`label`). The templates the code writes (hovertemplate, texttemplate) keep only
the markup the code uses (`<br>`, `<extra>`); never put data into a template: pass it as text
or custom_data and refer to it (`%{text}`). A line break in a value is shown as one.
"""

from __future__ import annotations

import html
import json

import plotly.graph_objects as go
from plotly.io.json import to_json_plotly

# Spec keys whose strings the code writes as Plotly templates (`%{y}<br>...<extra></extra>`).
TEMPLATE_KEYS = frozenset({"hovertemplate", "texttemplate", "hovertemplatefallback"})


# The markup a template may keep; everything else in it is escaped like data.
TEMPLATE_MARKUP = ("<br>", "<extra>", "</extra>")


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


def _safe(raw: str) -> go.Figure:
    """The figure whose JSON is `raw`, every string escaped."""
    spec = json.loads(raw)  # plain types: numbers travel as typed arrays, untouched
    # The spec is a validated figure's own, only its strings changed: validating it again
    # would cost more than everything else here.
    return go.Figure(_clean(spec, None), _validate=False)


def figure_spec(fig: go.Figure) -> dict:
    """The figure's spec as Plotly holds it, not copied: for a figure nothing else holds (such
    as `safe_figure`'s), where `to_dict`'s deep copy is most of the time it takes."""
    return {"data": fig._data, "layout": fig._layout}


def safe_spec(spec: dict) -> dict:
    """A plain spec (`{"data": [...], "layout": {...}}`, the values as Plotly takes them) with
    every string escaped as `safe_figure` escapes a figure's: for a figure written as a spec."""
    return _clean(json.loads(to_json_plotly(spec)), None)


def safe_figure(fig: go.Figure) -> go.Figure:
    """A copy of `fig` with every string of its spec escaped for Plotly's label syntax (titles,
    tick labels, categories, legend names, hover text, annotations, custom data, ...)."""
    # The spec straight to JSON: `fig.to_json()` would deep-copy it first (`to_dict`).
    return _safe(to_json_plotly(figure_spec(fig)))
