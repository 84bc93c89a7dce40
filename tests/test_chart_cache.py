"""Figures built once per answer (ui/chart_cache.built, ui/charts.show's _drawn): a page run gets the figure it
would have built, its own copy to change, and a new figure when any argument changes."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st
from streamlit.testing.v1 import AppTest

from ui import chart_series, charts
from ui.chart_alt import chart_text
from ui.data import fingerprint


def _frame(last: float = 91.25) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-04-01", "2025-05-01", "2025-06-01"]).date,
            "within_pct": [80.04, 72.5, last],
            "within_num": [4, 29, 73],
            "within_den": [5, 40, 80],
        }
    )


def _spec(fig) -> dict:
    """What Plotly is sent (the order of a figure's keys aside)."""
    return json.loads(fig.to_json())


def _trend(frame: pd.DataFrame, build=charts.trend):
    return build(
        frame,
        "within_pct",
        "% of referrals",
        target=75,
        england=85.7,
        percent=True,
        numerator="within_num",
        denominator="within_den",
    )


def test_a_kept_figure_is_the_figure_built_afresh_and_a_copy_of_its_own():
    st.cache_data.clear()
    fresh = _trend(_frame(), build=charts.trend.__wrapped__)  # the builder itself, no cache
    first, again = _trend(_frame()), _trend(_frame())
    assert first is not again
    assert _spec(first) == _spec(again) == _spec(fresh)
    # The text alternative reads the kept figure as it reads a fresh one (dates as dates).
    assert chart_text(again).table.values.tolist() == chart_text(fresh).table.values.tolist()
    assert chart_text(again).summary == chart_text(fresh).summary
    assert chart_text(again).table.values.tolist()[0] == ["Apr 2025", "80.0%"]
    # A page changing its copy (a height, a line) changes nobody else's.
    first.update_layout(height=220)
    charts.vline(first, 3, "Target 3")
    later = _trend(_frame())
    assert later.layout.height == 340
    assert _spec(later) == _spec(fresh) != _spec(first)


def test_another_value_is_another_figure():
    st.cache_data.clear()
    before = _trend(_frame())
    after = _trend(_frame(last=12.5))
    assert list(after.data[0].y) == [80.04, 72.5, 12.5]
    assert list(before.data[0].y) == [80.04, 72.5, 91.25]
    assert fingerprint(_frame()) != fingerprint(_frame(last=12.5))
    assert fingerprint(_frame()) == fingerprint(_frame())


def _drawn_script():
    import pandas as pd
    import streamlit as st

    from ui import charts

    frame = pd.DataFrame({"team": ["<b>Team</b> $x$", "North"], "n": [3, 5]})
    st.session_state.setdefault("runs", 0)
    st.session_state["runs"] += 1
    if st.session_state["runs"] > 1:  # the same chart with another figure under the same key
        frame = pd.DataFrame({"team": ["South", "North"], "n": [3, 5]})
    charts.show(charts.bars(frame, "team", "n", "Team", "Children"), "bars")


def test_a_kept_drawing_is_escaped_and_follows_the_figure():
    st.cache_data.clear()
    at = AppTest.from_function(_drawn_script, default_timeout=60)
    at.run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["x"] == ["&lt;b&gt;Team&lt;/b&gt; &#36;x&#36;", "North"]
    assert spec["data"][0]["marker"]["line"]["color"] == chart_series.OUTLINE  # told apart
    assert "Team" in at.caption[0].value
    at.run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["x"] == ["South", "North"]
    assert "South" in " ".join(c.value for c in at.caption)


def test_equal_values_are_one_key_however_they_are_held():
    """A frame as a query returns it shares objects (strings met twice) that its copy read back
    from st.cache_data holds apart: an ordinary pickle told the two apart, so a page's second
    run missed every figure its first had built."""
    import pickle

    shared = "North team " * 3
    held_once = pd.DataFrame({"team": pd.Series([shared, shared], dtype=object), "n": [1, 2]})
    apart = "".join(["North team "] * 3)
    held_twice = pd.DataFrame({"team": pd.Series([shared, apart], dtype=object), "n": [1, 2]})
    assert held_once.equals(held_twice)
    assert pickle.dumps(held_once) != pickle.dumps(held_twice)  # what made the keys differ
    assert fingerprint(held_once) == fingerprint(held_twice)
    assert fingerprint({"a": shared, "b": shared}) == fingerprint({"a": shared, "b": apart})
    assert fingerprint(held_once) != fingerprint(held_once.assign(n=[1, 3]))
