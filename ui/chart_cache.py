"""Figures built once per answer: every builder of ui/charts is `@built`.

Apart from the builders because it is the one rule of what a chart may keep between runs: a
figure is a function of its arguments (cached answers themselves), kept as its plain spec and
cleared with the answers; every caller gets a copy of its own to change (issue 15, "People at
once" in docs/performance.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from ui.data import fingerprint

# Building a figure costs 5-50 ms of Python (Plotly checks every property path it is given),
# and escaping, telling apart and describing it as much again; a page draws up to 20, for every
# person on every rerun, all in the server's one process. A figure is a function of its
# arguments (cached answers themselves), so each is built once and kept as its plain spec:
# a rerun gets a copy, rebuilt without Plotly's checks (the spec is a checked figure's own),
# which the page may still change (a height, a line) before `show`. Cleared with the answers.
CACHE = {"ttl": 600, "max_entries": 2000, "show_spinner": False}


def _spec(spec: dict) -> go.Figure:
    """A figure from the plain spec of a checked one (no second check)."""
    return go.Figure(spec, _validate=False)


def plain(fig: go.Figure) -> dict:
    """The figure's spec as Plotly holds it (numbers as arrays, dates as dates: what its text
    alternative reads), not as `to_dict` sends it (arrays as base64). st.cache_data keeps a
    pickled copy, so the figure's own dicts are not shared."""
    return {"data": fig._data, "layout": fig._layout}


def built(builder: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """`builder`, building each figure once per set of arguments (compared by value, frames
    included) and handing every caller a copy of its own."""

    def spec(digest: str, _args: tuple, _kwargs: dict) -> dict:
        return plain(builder(*_args, **_kwargs))

    # st.cache_data keeps one cache per function, known by qualified name and source.
    spec.__qualname__ = f"{builder.__qualname__}_spec"
    cached = st.cache_data(**CACHE)(spec)

    @functools.wraps(builder)
    def build(*args: object, **kwargs: object) -> go.Figure:
        return _spec(cached(fingerprint(args, kwargs), args, kwargs))

    return build


class Kept(go.Figure):
    """A figure drawn from its kept spec. st.plotly_chart asks a figure for its dict
    (`to_dict`), which would copy and encode the whole spec again on every run; this one hands
    over the spec `show` kept, already checked, escaped and encoded. Nothing else reads it."""

    def __init__(self, spec: dict) -> None:
        # No figure is built (go.Figure's own __init__, even empty, cost 0.3 ms a chart on
        # every run): st.plotly_chart only checks that this is a figure and asks for its dict.
        self._kept = spec

    def to_dict(self) -> dict:
        return self._kept
