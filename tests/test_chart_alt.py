"""A chart's text alternative, read from the figure: its numbers as a table in words, each row's
drill-down id, and one summary sentence (hand-worked from the small frames below)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from ui import chart_escape, chart_series, charts
from ui.chart_alt import chart_text


def test_a_trend_in_words():
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-04-01", "2025-05-01", "2025-06-01"]),
            "within_target_pct": [80.04, 72.5, 91.25],
            "median_wd": [3.0, 4.5, 2.0],
        }
    )
    fig = charts.trend(frame, "within_target_pct", "% of referrals", target=75, england=85.7)
    said = chart_text(fig)
    assert list(said.table.columns) == ["Month", "% of referrals"]
    assert said.table.values.tolist() == [
        ["Apr 2025", "80.0%"],
        ["May 2025", "72.5%"],
        ["Jun 2025", "91.2%"],  # 91.25 to one decimal (round half to even in format)
    ]
    # Each row carries the month its point carries, for the drill-down.
    assert [i[:10] for i in said.ids] == ["2025-04-01", "2025-05-01", "2025-06-01"]
    assert said.summary == (
        "Chart of % of referrals by month, Apr 2025 to Jun 2025: latest 91.2% "
        "(Jun 2025), highest 91.2% (Jun 2025), lowest 72.5% (May 2025). "
        "Lines: Target 75, England 85.7."
    )


def test_two_series_side_by_side_and_sorted_by_working_days():
    # Stacked bars over working days: "Allocated" at 0, 2, 7 and "Still waiting" at 1 and 7.
    fig = charts.layout(go.Figure(), "Working days", "Referrals")
    fig.add_bar(x=[0, 2, 7], y=[5, 3, 1], name="Allocated", customdata=[["0"], ["2"], ["7"]])
    fig.add_bar(x=[1, 7], y=[2, 4], name="Still waiting", customdata=[["1"], ["7"]])
    said = chart_text(fig)
    assert list(said.table.columns) == ["Working days", "Allocated", "Still waiting"]
    assert said.table.values.tolist() == [
        ["0", "5", ""],
        ["1", "", "2"],
        ["2", "3", ""],
        ["7", "1", "4"],
    ]
    assert said.ids == ["0", "1", "2", "7"]
    # Working days have an order (a range) but no "latest"; the first series' values: 5 at 0,
    # 3 at 2, 1 at 7.
    assert said.summary == (
        "Chart of Referrals by working days, 0 to 7 (Allocated, Still waiting): Allocated "
        "highest 5 (0), lowest 1 (7)."
    )


def test_horizontal_bars_by_team_name_carry_the_team_id():
    frame = pd.DataFrame(
        {"team": ["T01", "T02"], "team_name": ["North", "South"], "pct": [66.666, 90.0]}
    )
    fig = charts.bars(frame, "team_name", "pct", "Team", "% allocated", ids="team", horizontal=True)
    said = chart_text(fig)
    assert said.table.values.tolist() == [["North", "66.7%"], ["South", "90.0%"]]
    assert list(said.table.columns) == ["Team", "% allocated"]
    assert said.ids == ["T01", "T02"]
    # Teams have no order: how many, not "North to South".
    assert said.summary == (
        "Chart of % allocated by team (2 shown): highest 90.0% (South), lowest 66.7% (North)."
    )


def test_a_timeline_lists_events_in_date_order():
    fig = charts.layout(go.Figure(), "Date", "")
    fig.add_scatter(
        x=[dt.date(2026, 2, 3), dt.date(2025, 12, 1)],
        y=["Visit", "Referral"],
        mode="markers",
        name="Within timescale",
        customdata=[["V1"], ["R1"]],
    )
    said = chart_text(fig)
    assert said.table.values.tolist() == [
        ["1 Dec 2025", "Referral", "Within timescale"],
        ["3 Feb 2026", "Visit", "Within timescale"],
    ]
    assert said.ids == ["R1", "V1"]
    assert said.summary == "Timeline of 2 events, 1 Dec 2025 to 3 Feb 2026."


def test_series_told_apart_without_colour():
    fig = charts.layout(go.Figure(), "Working days", "Referrals")
    fig.add_bar(x=[0, 1], y=[5, 3], name="Allocated")
    fig.add_bar(x=[0, 1], y=[2, 4], name="Still waiting")
    fig.add_scatter(x=[0, 1], y=[1, 2], mode="lines+markers", name="Median")
    fig.add_scatter(x=[0, 1], y=[3, 4], mode="lines+markers", name="75th", line={"dash": "dash"})
    spec = charts.distinguish(chart_escape.safe_spec(chart_escape.figure_spec(fig)))
    first, second, median, p75 = spec["data"]
    assert (first["marker"]["pattern"]["shape"], second["marker"]["pattern"]["shape"]) == ("", "/")
    assert (
        first["marker"]["line"]["color"]
        == second["marker"]["line"]["color"]
        == chart_series.OUTLINE
    )
    assert (median["marker"]["symbol"], p75["marker"]["symbol"]) == ("circle", "square")
    assert median["line"]["dash"] == "solid" and p75["line"]["dash"] == "dash"  # the code's: kept


def test_every_chart_has_its_text_alternative_and_keyboard_drill_down(app_env):
    """On a real page (AppTest, the sample): each chart is followed by its summary sentence and
    'Show as table'; choosing a row of a trend's table (what the arrow keys and Space do) lists
    the children of that month, as a click on its point does."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../app.py", default_timeout=300)
    at.run()
    at.switch_page("pages/front_door.py").run()
    assert not at.exception, [e.stack_trace for e in at.exception]
    # Every chart but a tile's 12-month line (the tile's caption says it in words).
    charts_drawn = [c for c in at.get("plotly_chart") if "spark_" not in c.proto.id]
    summaries = [c.value for c in at.caption if c.value.startswith(("Chart of", "Timeline of"))]
    tables = [e for e in at.expander if e.label.startswith("Show as table")]
    assert charts_drawn and len(summaries) == len(charts_drawn) == len(tables)
    assert not [d for d in at.dataframe if d.key == "fd_referrals_children"]
    at.session_state["fd_referrals_table"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert not at.exception
    children = [d.value for d in at.dataframe if d.key == "fd_referrals_children"]
    assert children and not children[0].empty
    assert any(c.value.startswith("Behind ") for c in at.caption)
