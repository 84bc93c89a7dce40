"""Figures written as Plotly specs (ui/charts.trend, ui/sparkline) rather than built through
Plotly's checked objects, for speed: each must be exactly what Plotly's checks make of the same
spec, or a browser would draw something else than the code says."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from ui import charts, sparkline

MONTHS = [dt.date(2025, m, 1) for m in range(4, 13)] + [dt.date(2026, m, 1) for m in (1, 2, 3)]
SHARES = pd.DataFrame(
    {
        "month": MONTHS,
        "share": [50.0, None, 70, 80, 90, 100, 1, 2, 3, 4, 5, 6],
        "seen": list(range(12)),
        "due": [2, 10, 10, 3, 10, 10, 10, 10, 10, 10, 10, 10],  # two months under 5: hollow
        "p90": [float(i) for i in range(12)],
    }
)
COUNTS = pd.DataFrame({"month": pd.to_datetime(MONTHS[:3]), "count": [3, 4, 5]})

TRENDS = {
    "a share with too few months, an extra line and every reference line": lambda: charts.trend(
        SHARES,
        "share",
        "Share (%)",
        target=80,
        england=70,
        goal=85,
        percent=True,
        numerator="seen",
        denominator="due",
        extra=[("p90", "90th percentile")],
    ),
    "a count over three months, named": lambda: charts.trend(
        COUNTS, "count", "Children", name="Children & young people"
    ),
    "no months at all": lambda: charts.trend(SHARES.iloc[:0], "share", "Share (%)", percent=True),
    "England with a note, a target in words": lambda: charts.trend(
        SHARES, "share", "Days", england=20, england_note="2024-25", target_label="Target 15"
    ),
}


def as_plotly_checks_it(fig: go.Figure) -> dict:
    return json.loads(go.Figure(fig.to_dict()).to_json())


@pytest.mark.parametrize("case", TRENDS)
def test_a_trend_is_what_plotlys_checks_make_of_it(case):
    fig = TRENDS[case]()
    assert json.loads(fig.to_json()) == as_plotly_checks_it(fig)


def test_a_trend_says_what_the_page_asked():
    fig = TRENDS["a share with too few months, an extra line and every reference line"]()
    line, hollow, extra = fig.data
    assert list(line.y[:2]) == [pytest.approx(float("nan"), nan_ok=True)] * 2  # under 5: off
    assert list(hollow.x) == MONTHS[:1] + MONTHS[3:4]  # April (2 due) and July (3 due)
    assert extra.name == "90th percentile"
    assert fig.layout.yaxis.range == (0, 100) and fig.layout.yaxis.ticksuffix == "%"
    assert [a.text for a in fig.layout.annotations] == ["Goal 85", "Target 80", "England 70"]
    assert fig.layout.xaxis.dtick == "M2" and fig.layout.xaxis.tick0 == "2025-04-01"


def test_a_sparkline_is_what_plotlys_checks_make_of_it():
    spec = sparkline.sparkline_spec([1.0, 2.0, 4.0])
    checked = json.loads(go.Figure(spec).to_json())
    assert checked["data"][0]["y"] == [1.0, 2.0, 4.0] or "bdata" in checked["data"][0]["y"]
    assert json.loads(go.Figure(spec, _validate=False).to_json()) == checked
    assert spec["layout"]["template"] == go.Figure().layout.template.to_plotly_json()
