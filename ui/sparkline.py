"""A tile's 12-month line (ui/tiles): a small static chart, escaped like every other.

Apart from ui/charts because it is drawn without `show`: no text alternative under it (the
tile's caption says in words what the line shows) and no drill-down.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from ui.chart_cache import CACHE, Kept
from ui.chart_escape import safe_spec
from ui.charts import PALETTE


def sparkline(values: Sequence[float], key: str, *, spec: dict | None = None) -> None:
    """A tile's 12-month line: small, static, no axes. Drawn by Plotly rather than st.metric's
    own chart, whose SVG has an image role without alternative text (axe: svg-img-alt,
    serious). The tile's caption says in words what the line shows, so no table under it.
    `spec`: the line's `sparkline_spec`, kept by the caller."""
    st.plotly_chart(
        Kept(spec if spec is not None else sparkline_spec(values)),
        key=key,
        width="stretch",
        config={"staticPlot": True, "displayModeBar": False},
    )


def sparkline_spec(values: Sequence[float]) -> dict:
    """A sparkline's spec, escaped, as `sparkline` draws it."""
    return _sparkline(tuple(float(v) for v in values))


@st.cache_data(**CACHE)
def _sparkline(values: tuple[float, ...]) -> dict:
    """A sparkline's spec, escaped (once per line). Written as a spec, not built by Plotly's
    checked figure: a page draws a dozen, and the checks cost ten times the rest."""
    spec = {
        "data": [
            {
                "type": "scatter",
                "y": list(values),
                "mode": "lines",
                "line": {"color": PALETTE[0], "width": 2},
                "hoverinfo": "skip",
            }
        ],
        "layout": {
            "height": 44,
            "margin": {"l": 2, "r": 2, "t": 2, "b": 2},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "showlegend": False,
            "plot_bgcolor": "rgba(0,0,0,0)",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "template": _template(),
        },
    }
    return safe_spec(spec)


@functools.cache
def _template() -> dict:
    """The template a Plotly figure starts with (Streamlit's, which its theme fills in)."""
    return go.Figure().layout.template.to_plotly_json()
