"""The Overview reads at a glance (issue 11), on a hand-built extract whose figures are worked
out below: a tile's RAG in word and colour against its goal, the goal, England "in line" within
its margin, the change on the previous period or "no earlier data", neighbours from a
comparators file (and a bad row's message), one "children behind" control per row of tiles
opening the list below them, and a trend with its goal and England lines, a 0-100 axis, "2 of
3" in the hover and a hollow month of 3 marked too few to judge.

The extract: 24 children, each referred on the day their assessment started (the referral date
is the start date); assessments authorised on these Fridays, with their working days from start
to authorisation (2025/26 calendar: bank holidays 25, 26 Dec and 1 Jan):

| authorised  | started               | working days                      | n  | within 45 |
|-------------|-----------------------|-----------------------------------|----|-----------|
| 19 Dec 2025 | Mon 24 Nov 2025       | 25 Nov..19 Dec = 4+5+5+5 = 19     | 4  | 4         |
| 30 Jan 2026 | Mon 5 Jan 2026        | 6 Jan..30 Jan = 4+5+5+5 = 19      | 2  | 2         |
| 30 Jan 2026 | Mon 6 Oct 2025        | about 80 (16 weeks less 3 holidays)| 1  | 0         |
| 27 Feb 2026 | Mon 2 Feb 2026        | 3 Feb..27 Feb = 19                | 10 | 10        |
| 27 Mar 2026 | Mon 2 Mar 2026        | 3 Mar..27 Mar = 19                | 5  | 5         |
| 27 Mar 2026 | Mon 1 Dec 2025        | about 80                          | 2  | 0         |

January to March 2026: 2 + 10 + 5 = 17 of 3 + 10 + 7 = 20 within 45 days = 85.0%.
October to December 2025 (the previous quarter): 4 of 4 = 100.0%; change -15.0 pp.
England 2024-25: 85.7% (computed from DfE's band counts): 0.7 points away, in line (2 points).
Default goal 90%, amber 5 points: 85.0% is 5.0 below, amber ("just below goal").
The data begins with the referral of 6 Oct 2025, so a period from October 2025 has no earlier
data. January 2026 has 3 assessments (2 within): drawn hollow, "2 of 3".
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from metrics.headlines import HEADLINES
from tests.conftest import REPO, build_db

D = dt.date
QUARTER = {"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}
HALF_YEAR = {"period": "custom", "from": "2025-10-01", "to": "2026-03-31"}
TILE = "Assessments in time"

# (authorised, started, how many)
BATCHES = [
    (D(2025, 12, 19), D(2025, 11, 24), 4),
    (D(2026, 1, 30), D(2026, 1, 5), 2),
    (D(2026, 1, 30), D(2025, 10, 6), 1),
    (D(2026, 2, 27), D(2026, 2, 2), 10),
    (D(2026, 3, 27), D(2026, 3, 2), 5),
    (D(2026, 3, 27), D(2025, 12, 1), 2),
]


def tables() -> dict[str, list[dict]]:
    people, referrals, assessments = [], [], []
    n = 0
    for authorised, started, count in BATCHES:
        for _ in range(count):
            n += 1
            person = f"P{n:02d}"
            people.append({"pers_person_id": person, "pers_dob": D(2015, 1, 1)})
            referrals.append(
                {
                    "cine_referral_id": f"R{n:02d}",
                    "cine_person_id": person,
                    "cine_referral_date": started,
                    "cine_referral_team": "T1",
                }
            )
            assessments.append(
                {
                    "cina_assessment_id": f"A{n:02d}",
                    "cina_person_id": person,
                    "cina_referral_id": f"R{n:02d}",
                    "cina_assessment_start_date": started,
                    "cina_assessment_auth_date": authorised,
                    "cina_assessment_team": "T1",
                }
            )
    return {
        "ssd_person": people,
        "ssd_cin_episodes": referrals,
        "ssd_cin_assessments": assessments,
        "ssd_department": [{"dept_team_id": "T1", "dept_team_name": "Assessment Team"}],
    }


@pytest.fixture
def tiny(tmp_path, monkeypatch) -> Path:
    db = tmp_path / "tiny.duckdb"
    con = build_db(db, tables())
    con.execute("CREATE TABLE load_meta (key VARCHAR, value VARCHAR)")
    con.execute(
        "INSERT INTO load_meta VALUES ('extract_date', '2026-03-31'), ('synthetic', 'true')"
    )
    con.close()
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    monkeypatch.setenv("FRONTDOOR_AUDIT", str(tmp_path / "audit.jsonl"))
    monkeypatch.delenv("FRONTDOOR_SETTINGS", raising=False)
    monkeypatch.chdir(REPO)
    return db


def overview(params: dict[str, str], settings: Path | None = None, monkeypatch=None) -> AppTest:
    if settings is not None:
        monkeypatch.setenv("FRONTDOOR_SETTINGS", str(settings))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [str(e.value) for e in at.exception]
    return at


def blocks(node):
    """Every block under `node` (a tile is a bordered container: a block of its own)."""
    for child in getattr(node, "children", {}).values():
        if getattr(child, "children", None) is not None:
            yield child
            yield from blocks(child)


def tile_text(at: AppTest, label: str) -> str:
    """Everything the tile titled `label` says: its figure, RAG and captions."""
    for block in blocks(at.main):
        inside = list(block.children.values())
        if any(getattr(e, "type", "") == "metric" and e.label == label for e in inside):
            metric = next(e for e in inside if getattr(e, "type", "") == "metric")
            words = [e.value for e in inside if getattr(e, "type", "") in ("markdown", "caption")]
            return " | ".join([metric.value, *words]).replace("\\", "")
    raise AssertionError(f"no tile {label!r}")


def tile_line(at: AppTest, label: str) -> list[float]:
    """The y values of the 12-month line drawn in the tile titled `label` (a static Plotly
    chart under the figure; st.metric's own chart had no text alternative)."""
    for block in blocks(at.main):
        inside = list(block.children.values())
        if any(getattr(e, "type", "") == "metric" and e.label == label for e in inside):
            chart = next(e for e in inside if getattr(e, "type", "") == "plotly_chart")
            return json.loads(chart.proto.spec)["data"][0]["y"]
    raise AssertionError(f"no tile {label!r}")


def metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def test_a_tile_says_its_rag_in_word_and_colour_with_goal_and_england(tiny):
    at = overview(QUARTER)
    said = tile_text(at, TILE)
    assert said.startswith("85.0%")
    assert ":orange-badge[:material/warning: Amber] just below goal" in said
    assert "17 of 20 assessments within 45 working days" in said
    assert "Goal: 90% or more" in said
    # 85.0% against England's 85.7%: inside 2 points, so in line (never "better" or "worse").
    assert (
        "England 85.7% (2024-25, computed from DfE's band counts): in line with England "
        "(within 2 percentage points)" in said
    )
    assert "Previous period 100.0%" in said
    assert metric(at, TILE).proto.delta == "-15.0 pp"
    # The line of the last 12 months: the months with 5 or more assessments (Feb, Mar; the 4
    # of December and 3 of January are too few): 10 of 10 = 100.0 and 5 of 7 = 71.4.
    assert [round(v, 1) for v in tile_line(at, TILE)] == [100.0, 71.4]
    assert "Line: the last 12 months, from 100.0% to 71.4%" in said


@pytest.mark.parametrize(
    ("goal", "badge", "words"),
    [
        (85, ":green-badge[:material/check_circle: Green]", "at or above goal"),
        (80, ":green-badge[:material/check_circle: Green]", "at or above goal"),
        (95, ":red-badge[:material/error: Red]", "below goal"),  # 85.0 is 10 below 95
    ],
)
def test_the_rag_follows_the_goal_in_the_settings(tiny, tmp_path, monkeypatch, goal, badge, words):
    settings = tmp_path / "settings.toml"
    settings.write_text(f"[goals.assessments]\nwithin_target_pct = {goal}\n")
    said = tile_text(overview(QUARTER, settings, monkeypatch), TILE)
    assert f"{badge} {words}" in said
    assert f"Goal: {goal}% or more" in said


def test_no_earlier_data_instead_of_a_rise_from_nothing(tiny):
    # October 2025 to March 2026: the previous six months are before the data begins.
    at = overview(HALF_YEAR)
    referrals = metric(at, "Referrals")
    assert referrals.value == "24"
    assert not referrals.proto.delta  # no "+24" against a previous period of nothing
    assert "No earlier data" in tile_text(at, "Referrals")
    assert "No earlier data" in tile_text(at, TILE)


def test_no_change_is_said_in_grey_without_an_arrow(tiny, tmp_path):
    # The quarter against itself shifted: Jan-Mar 2026 has 17 referrals, Oct-Dec 2025 has
    # 4 + 1 + 2 = 7 (the referrals of the December and the late assessments): a change.
    # A custom period of one day with no referral either side has no change to show.
    at = overview({"period": "custom", "from": "2026-01-10", "to": "2026-01-10"})
    tile = metric(at, "Referrals")
    assert tile.value == "0"
    assert tile.proto.delta == "No change"
    # Neutral: grey, with no arrow (never a red "+0").
    assert tile.proto.color == Metric.MetricColor.GRAY
    assert tile.proto.direction == Metric.MetricDirection.NONE
    assert "No change (previous period 0)" in tile_text(at, "Referrals")


def test_an_unavailable_tile_says_n_a_and_why(tiny):
    at = overview(QUARTER)
    said = tile_text(at, "Contacts decided in time")  # the extract has no contacts table
    assert said.startswith("n/a")
    assert "Not available" in said and "ssd_contacts" in said


def test_neighbours_and_region_from_the_comparators_file(tiny, tmp_path, monkeypatch):
    (tmp_path / "comparators.csv").write_text(
        "la_code,la_name,measure,year,value,group\n"
        "839,Bournemouth Christchurch and Poole,assessments_within_45wd_pct,2024-25,80.0,\n"
        "840,Dorset,assessments_within_45wd_pct,2024-25,90.0,neighbour\n"
        "E12000009,South West,assessments_within_45wd_pct,2024-25,79.0,region\n"
    )
    settings = tmp_path / "settings.toml"
    settings.write_text('comparators = "comparators.csv"\n')
    said = tile_text(overview(QUARTER, settings, monkeypatch), TILE)
    # Neighbours (80 + 90) / 2 = 85.0: in line. The region's 79.0 is 6 points below: better.
    assert "Neighbours (mean of 2) 85.0% (2024-25): in line with neighbours" in said
    assert "South West 79.0% (2024-25): better than South West" in said


def test_a_bad_comparator_row_stops_the_app_naming_file_line_and_field(tiny, tmp_path, monkeypatch):
    (tmp_path / "comparators.csv").write_text(
        "la_code,la_name,measure,year,value\n840,Dorset,assessments_within_45wd_pct,2025,high\n"
    )
    settings = tmp_path / "settings.toml"
    settings.write_text('comparators = "comparators.csv"\n')
    monkeypatch.setenv("FRONTDOOR_SETTINGS", str(settings))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    assert not at.exception
    said = " ".join(e.value for e in at.error).replace("\\", "")
    assert "The settings file cannot be used" in said
    assert "comparators.csv, line 2, field value: 'high' is not a number" in said
    assert not at.metric  # nothing is shown against figures that could not be read


def test_one_control_per_row_opens_the_children_below_the_tiles(tiny):
    at = overview(QUARTER)
    assert not at.button  # no "Children behind this" button on every tile
    rows = [p for p in at.pills if p.key.startswith("drill_row_")]
    assert len(rows) == -(-len(HEADLINES) // 4)
    second = at.pills(key="drill_row_1")
    index = next(i for i, h in enumerate(HEADLINES) if h.label == TILE)
    second.set_value(index).run()
    assert at.query_params["drill"] in ("assessments", ["assessments"])
    listed = [d.value for d in at.dataframe if d.key == "overview_rows_assessments"]
    assert listed and len(listed[0]) == 20  # the 20 assessments authorised in the quarter
    # Choosing in another row moves the list there and clears the first row's choice.
    first = next(i for i, h in enumerate(HEADLINES) if h.label == "Referrals")
    at.pills(key="drill_row_0").set_value(first).run()
    assert at.query_params["drill"] in ("referrals", ["referrals"])
    assert at.pills(key="drill_row_1").value is None
    assert [d for d in at.dataframe if d.key == "overview_rows_referrals"]
    # The list has the page's full width: it sits in no column of the grid of tiles.
    path = ancestors(at.main, "overview_rows_referrals")
    assert path is not None and "column" not in path


def ancestors(node, key: str, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The types of the blocks holding the element keyed `key` (None if it is not there)."""
    for child in getattr(node, "children", {}).values():
        if getattr(child, "key", None) == key:
            return path
        if getattr(child, "children", None) is not None:
            found = ancestors(child, key, (*path, child.type))
            if found is not None:
                return found
    return None


def values(array) -> list:
    """A spec's array as a list: Plotly sends numbers as typed arrays ({"dtype", "bdata"})."""
    if isinstance(array, dict) and "bdata" in array:
        import base64

        import numpy as np

        flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        return [None if v != v else float(v) for v in flat.tolist()]
    return list(array)


def trend_spec(at: AppTest, y_title: str) -> dict:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if spec["layout"].get("yaxis", {}).get("title", {}).get("text") == y_title:
            return spec
    raise AssertionError(f"no chart with y axis {y_title!r}")


def test_a_share_trend_has_goal_and_england_lines_a_0_100_axis_and_hollow_small_months(tiny):
    spec = trend_spec(overview(QUARTER), f"{TILE} (%)")
    layout = spec["layout"]
    assert layout["yaxis"]["range"] == [0, 100]
    notes = [a["text"] for a in layout["annotations"]]
    assert any(n.startswith("Goal 90%") for n in notes)
    assert any(n.startswith("England 85.7% (2024-25)") for n in notes)
    ys = sorted(shape["y0"] for shape in layout["shapes"])
    assert ys == [85.7, 90.0]  # the England and goal lines
    line, hollow = spec["data"][0], spec["data"][1]
    # January: 2 of 3, too few to judge: off the line, drawn hollow.
    assert values(line["y"])[0] is None
    assert hollow["name"] == "Fewer than 5 children: too few to judge"
    assert hollow["marker"]["symbol"] == "circle-open"
    assert hollow["x"][0].startswith("2026-01")
    assert values(hollow["y"])[0] == pytest.approx(66.667, abs=0.01)
    assert hollow["customdata"][0][1:] == [2, 3]
    assert "too few to judge" in hollow["hovertemplate"]
    # February: 10 of 10; March: 5 of 7 on the line, with "of" in the hover.
    assert line["customdata"][1][1:] == [10, 10]
    assert line["customdata"][2][1:] == [5, 7]
    assert "%{customdata[1]} of %{customdata[2]}" in line["hovertemplate"]
    # Month labels a person reads: "Jan 2026".
    assert layout["xaxis"]["tickformat"] == "%b %Y"


def test_a_detail_pages_share_trend_has_the_same_lines_and_axis(tiny):
    # The Assessments page's "% of assessments" by month: the goal (90%) and England (85.7%,
    # 2024-25) as labelled lines, 0-100, January's 2 of 3 hollow.
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    at.switch_page("pages/assessments.py").run()
    for key, value in QUARTER.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [str(e.value) for e in at.exception]
    spec = trend_spec(at, "% of assessments")
    assert spec["layout"]["yaxis"]["range"] == [0, 100]
    notes = [a["text"] for a in spec["layout"]["annotations"]]
    assert "Goal 90%" in notes and "England 85.7% (2024-25)" in notes
    assert spec["data"][1]["name"] == "Fewer than 5 children: too few to judge"
    assert spec["data"][1]["customdata"][0][1:] == [2, 3]
    # The median with its percentiles: no data line takes a labelled line's colour (the
    # 75th percentile was drawn green and dashed, like the goal).
    spread = trend_spec(at, "Working days")
    lines = {s["line"]["color"] for s in spread["layout"]["shapes"]}
    extras = [d for d in spread["data"] if d["name"] in ("25th percentile", "75th percentile")]
    assert len(extras) == 2
    assert spread["data"][0]["name"] == "Median"  # named for what it is, beside its percentiles
    assert not lines & {d["line"]["color"] for d in extras}


@pytest.fixture
def three_years(tmp_path, monkeypatch) -> Path:
    """One referral on the 10th of each month, April 2023 to March 2026: 36 months."""
    people, referrals = [], []
    for n in range(36):
        month = D(2023 + (n + 3) // 12, (n + 3) % 12 + 1, 10)
        people.append({"pers_person_id": f"P{n:02d}", "pers_dob": D(2015, 1, 1)})
        referrals.append(
            {
                "cine_referral_id": f"R{n:02d}",
                "cine_person_id": f"P{n:02d}",
                "cine_referral_date": month,
                "cine_referral_team": "T1",
            }
        )
    db = tmp_path / "years.duckdb"
    con = build_db(
        db,
        {
            "ssd_person": people,
            "ssd_cin_episodes": referrals,
            "ssd_department": [{"dept_team_id": "T1", "dept_team_name": "Assessment Team"}],
        },
    )
    con.execute("CREATE TABLE load_meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO load_meta VALUES ('extract_date', '2026-03-31')")
    con.close()
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    monkeypatch.setenv("FRONTDOOR_AUDIT", str(tmp_path / "audit.jsonl"))
    monkeypatch.delenv("FRONTDOOR_SETTINGS", raising=False)
    monkeypatch.chdir(REPO)
    return db


def test_month_labels_over_36_months_can_be_read(three_years):
    at = overview({"period": "custom", "from": "2023-04-01", "to": "2026-03-31"})
    spec = trend_spec(at, "Referrals (number)")
    assert len(spec["data"][0]["x"]) == 36
    axis = spec["layout"]["xaxis"]
    # "Apr 2023", "Oct 2023", ...: every 6th month from the first, level (not slanted).
    assert axis["tickformat"] == "%b %Y"
    assert axis["dtick"] == "M6"
    assert axis["tick0"].startswith("2023-04-01")
    assert axis["tickangle"] == 0
    assert metric(at, "Referrals").value == "36"


def click_month(at: AppTest, chart_key: str, month: str) -> AppTest:
    """A click on a trend's point: the selection Streamlit sends, the month in custom_data."""
    at.session_state[chart_key] = {
        "selection": {
            "points": [{"customdata": [month]}],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        }
    }
    return at.run()


@pytest.mark.parametrize(
    ("page", "chart_key"),
    [("app.py", "trend_assessments_within_target_pct"), ("pages/assessments.py", "assess_within")],
)
def test_a_clicked_months_children_are_listed_full_width_below_the_charts(tiny, page, chart_key):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    if page != "app.py":
        at.switch_page(page).run()
    for key, value in QUARTER.items():
        at.query_params[key] = value
    at.run()
    click_month(at, chart_key, "2026-02-01")
    assert not at.exception, [str(e.value) for e in at.exception]
    listed = [d.value for d in at.dataframe if d.key == f"{chart_key}_children"]
    assert listed and len(listed[0]) == 10  # February's 10 assessments
    # Under the row of charts, in no column: the list has the page's width.
    path = ancestors(at.main, f"{chart_key}_children")
    assert path is not None and "column" not in path


def test_a_rate_per_10000_is_read_against_england_over_a_year_only(tiny, tmp_path, monkeypatch):
    settings = tmp_path / "settings.toml"
    settings.write_text("population = 10000\n")
    # A year (1 Apr 2025 - 31 Mar 2026): all 24 referrals (6 Oct 2025 on) per 10,000 of
    # 10,000 children = 24. England's rate is set beside it with its year.
    year = {"period": "custom", "from": "2025-04-01", "to": "2026-03-31"}
    said = tile_text(overview(year, settings, monkeypatch), "Referrals per 10,000")
    assert said.startswith("24")
    assert "England 518.3" in said and "not comparable" not in said
    # A quarter's 17 referrals are about a quarter of a year's: England's yearly rate is not
    # set beside them (it would read as far below England).
    said = tile_text(overview(QUARTER, settings, monkeypatch), "Referrals per 10,000")
    assert said.startswith("17")
    assert "England 518.3" not in said
    assert "England: not comparable (England's rate counts a year" in said


def test_the_overview_lists_the_goals_and_englands_figures_for_three_years(tiny):
    at = overview(QUARTER)
    tables = [d.value for d in at.dataframe]
    goals = next(t for t in tables if "goal" in t.columns)
    assessments = goals[goals["figure"] == TILE]
    assert list(assessments["goal"]) == ["Goal: 90% or more"]
    england = next(t for t in tables if "source" in t.columns)
    # Re-referrals are published for each year; the assessments' bands for 2024-25 only (the
    # reference file, ../shared/docs/england.csv, holds no earlier year: none is invented).
    rereferrals = england[england["figure"] == "rereferral_12m_pct"]
    assert set(rereferrals["year"]) == {"2022-23", "2023-24", "2024-25"}
    assert rereferrals["source"].str.startswith("https://").all()
    shares = england[england["figure"] == "assessments_within_45wd_pct"]
    assert list(shares["year"]) == ["2024-25"] and list(shares["value"]) == [85.7]
