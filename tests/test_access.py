"""Sign-in, roles, team scoping and the audit trail, end to end on the 5,000-child sample.

Sign-in is simulated as AppTest allows (streamlit-notes.md): `at.secrets["auth"]` makes the app
think [auth] is configured, `at.user` is what st.user reads (st.login itself never runs). The
roles file and the audit log are temporary files named by $FRONTDOOR_ROLES and $FRONTDOOR_AUDIT.

Deep links are opened the way a browser opens one: the query parameters are in the URL before
the page runs (set before `switch_page`, which keeps them in AppTest).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from frontdoor import audit
from frontdoor.access import (
    AGGREGATES_ONLY,
    ANALYST,
    CONFERENCE_CHAIR,
    SENIOR_MANAGER,
    TEAM_LEAD,
    RolesFile,
    Viewer,
)
from tests.conftest import build_db, small_family
from tests.test_pages_chairs import HOSTILE, hostile_db  # noqa: F401  (a fixture)
from ui.text import md

REPO = Path(__file__).resolve().parents[1]
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x",
    "client_id": "x",
    "client_secret": "x",
    "server_metadata_url": "https://example.invalid/.well-known/openid-configuration",
}
LEAD = "lead@council.gov.uk"
CHAIR = "chair@council.gov.uk"
SENIOR = "senior@council.gov.uk"
ANALYST_EMAIL = "analyst@council.gov.uk"
STRANGER = "stranger@council.gov.uk"
LEAD_TEAMS = ("T05",)
LEAD_TEAM_URL = {"team": "T05"}
LEAD_TWO = "lead2@council.gov.uk"
LEAD_TWO_TEAMS = ("T04", "T05")
ROLES_TOML = f"""
[users."{LEAD}"]
role = "team_lead"
teams = {list(LEAD_TEAMS)!r}

[users."{LEAD_TWO}"]
role = "team_lead"
teams = {list(LEAD_TWO_TEAMS)!r}

[users."{CHAIR}"]
role = "conference_chair"

[users."{SENIOR}"]
role = "senior_manager"

[users."{ANALYST_EMAIL}"]
role = "analyst"

[groups."Performance team"]
role = "analyst"
"""


def refused(person: str) -> str:
    """The one message for a child the viewer may not see or that does not exist (issue 10:
    a refusal must not tell who is in the extract)."""
    return f"Not found: no child with id {md(person)} among the records your role can see."


# -- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def audit_log(tmp_path, monkeypatch) -> Path:
    """A temporary audit log, a temporary roles file, and no unauthenticated override."""
    log = tmp_path / "audit" / "audit.jsonl"
    monkeypatch.setenv("FRONTDOOR_AUDIT", str(log))
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES_TOML, encoding="utf-8")
    monkeypatch.setenv("FRONTDOOR_ROLES", str(roles))
    monkeypatch.delenv("FRONTDOOR_ALLOW_UNAUTHENTICATED", raising=False)
    return log


@pytest.fixture
def env(app_env, audit_log) -> Path:
    """The sample database, with the temporary roles file and audit log."""
    return app_env


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """What every st.download_button of a run would hand the browser, by widget key (AppTest
    keeps the bytes in a media store it throws away after the run)."""
    seen: dict[str, bytes] = {}
    original = streamlit.download_button

    def capture(label, data, *args, **kwargs):
        seen[kwargs.get("key") or label] = data
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", capture)
    return seen


def open_as(
    email: str | None,
    page: str = "app.py",
    params: dict[str, str] | None = None,
    *,
    groups: list[str] | None = None,
    auth: bool = True,
) -> AppTest:
    """Open `page` (with `params` already in the URL) as a user signed in with `email`;
    `email=None`: with [auth] configured but nobody signed in; `auth=False`: no [auth]."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    if auth:
        at.secrets["auth"] = dict(AUTH)
        if email is None:
            at.user = {"is_logged_in": False}
        else:
            at.user = {"is_logged_in": True, "email": email, "name": "Test User"}
            if groups is not None:
                at.user["groups"] = groups
    at.run()
    if page != "app.py" or params:
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.switch_page(page).run()
    return at


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception]


def ok(at: AppTest) -> AppTest:
    assert not at.exception, errors(at)
    return at


# Columns that identify a table drawn without a selection (AppTest reports no key for those).
COLUMNS = {
    "child_facts": {"Child", "Sex", "Family", "Team"},
    "audit_entries": {"at", "user", "role", "action", "outcome", "person_ids"},
    "case_teams": {"team", "team_name", "children"},
    "child_siblings": {"person_id", "family_id", "dob"},
}


def table(at: AppTest, key: str) -> pd.DataFrame:
    """The table under `key` (a selectable one), else the one with the columns named above."""
    shown = [d.value for d in at.dataframe if d.key == key]
    if not shown and key in COLUMNS:
        shown = [d.value for d in at.dataframe if COLUMNS[key] <= set(d.value.columns)]
    assert shown, f"no table {key!r}: {[list(d.value.columns) for d in at.dataframe]}"
    return shown[0]


def csv(data: bytes | Callable[[], bytes]) -> pd.DataFrame:
    """A CSV download's rows; one made when its button is pressed (ui/downloads.csv) is made."""
    return pd.read_csv(io.BytesIO(data() if callable(data) else data), dtype=str)


def entries(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def walk(node):
    """Every element of an AppTest tree (main area and sidebar)."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def everything(at: AppTest) -> str:
    """All that a run sent to the browser, as text (table cells included: Arrow keeps strings
    as UTF-8)."""
    return "\n".join(str(n.proto) for n in walk(at._tree) if getattr(n, "proto", None))


def query(db: Path, sql: str, params: list | None = None) -> list:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


AS_OF = dt.date(2026, 3, 31)  # the sample's extract date: the default snapshot


def team_scope(db: Path, teams: tuple[str, ...] = LEAD_TEAMS) -> set[str]:
    """The children a lead of `teams` may see (as docs and scope_people.sql define it)."""
    rows = query(
        db,
        """
        SELECT invo_person_id FROM ssd_involvements
        WHERE lower(trim(invo_professional_role_id)) = 'allocated case worker'
          AND invo_involvement_start_date <= ? AND list_contains(?, invo_professional_team)
        UNION SELECT cina_person_id FROM ssd_cin_assessments
        WHERE list_contains(?, cina_assessment_team)
        UNION SELECT cine_person_id FROM ssd_cin_episodes
        WHERE cine_referral_date <= ? AND list_contains(?, cine_referral_team)
        """,
        [AS_OF, list(teams), list(teams), AS_OF, list(teams)],
    )
    return {r[0] for r in rows}


def cp_scope(db: Path) -> set[str]:
    rows = query(
        db,
        "SELECT cppl_person_id FROM ssd_cp_plans "
        "UNION SELECT icpc_person_id FROM ssd_initial_cp_conference",
    )
    return {r[0] for r in rows}


def in_team(db: Path) -> str:
    """A child now allocated in the lead's team (with an open allocation there)."""
    return query(
        db,
        """
        SELECT invo_person_id FROM ssd_involvements
        WHERE lower(trim(invo_professional_role_id)) = 'allocated case worker'
          AND invo_professional_team = ? AND invo_involvement_end_date IS NULL
        ORDER BY invo_person_id LIMIT 1
        """,
        [LEAD_TEAMS[0]],
    )[0][0]


def outside(db: Path, allowed: set[str]) -> str:
    """A child in ssd_person that `allowed` does not include."""
    everyone = sorted(r[0] for r in query(db, "SELECT pers_person_id FROM ssd_person"))
    return next(p for p in everyone if p not in allowed)


def assert_refused(at: AppTest, person: str) -> None:
    """The page says "not found" and shows nothing of the child: no table, no chart, no id in
    a heading, no link to their record."""
    ok(at)
    assert [e.value for e in at.error] == [refused(person)]
    assert not at.dataframe and not at.get("plotly_chart") and not at.metric
    assert not [h for h in (*at.header, *at.subheader) if person in h.value]
    assert not at.get("download_button")
    assert not [link for link in at.get("page_link") if person in str(link.proto)]


# -- the roles file ---------------------------------------------------------------------------


def test_roles_file_user_entry_beats_group(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text(
        """
        [users."Ann@Council.gov.uk"]
        role = "team_lead"
        teams = ["T01", "T02"]

        [groups."Chairs"]
        role = "conference_chair"

        [groups."Performance"]
        role = "analyst"
        """,
        encoding="utf-8",
    )
    roles = RolesFile.read(path)
    ann = roles.viewer("ann@council.gov.uk", ["Performance", "Chairs"])
    assert ann == Viewer("ann@council.gov.uk", TEAM_LEAD, ("T01", "T02"))
    assert ann.scope == "teams" and ann.scope_teams == ("T01", "T02")
    assert roles.viewer("bob@council.gov.uk", ["Chairs"]).role == CONFERENCE_CHAIR
    assert roles.viewer("bob@council.gov.uk", ["Performance"]).role == ANALYST
    assert roles.viewer("bob@council.gov.uk", ["Someone else"]).role == AGGREGATES_ONLY
    assert roles.viewer(None).role == AGGREGATES_ONLY
    # No file at all: everyone signed in sees aggregates only.
    assert RolesFile.read(tmp_path / "none.toml").viewer("ann@council.gov.uk").role == (
        AGGREGATES_ONLY
    )


def test_roles_file_unknown_role_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text('[users."a@b.gov.uk"]\nrole = "superuser"\n', encoding="utf-8")
    with pytest.raises(ValueError) as err:
        RolesFile.read(path)
    assert str(path) in str(err.value) and "superuser" in str(err.value)
    path.write_text('[groups."G"]\n', encoding="utf-8")  # no role at all
    with pytest.raises(ValueError, match=re.escape(str(path))):
        RolesFile.read(path)


def test_roles_file_team_lead_without_teams_is_an_error(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text('[users."a@b.gov.uk"]\nrole = "team_lead"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="needs teams") as err:
        RolesFile.read(path)
    assert str(path) in str(err.value)


def test_roles_example_file_is_valid():
    roles = RolesFile.read(REPO / "roles.example.toml")
    granted = {g.role for g in (*roles.users.values(), *roles.groups.values())}
    assert granted == {SENIOR_MANAGER, TEAM_LEAD, CONFERENCE_CHAIR, ANALYST}
    assert all(g.teams for g in roles.users.values() if g.role == TEAM_LEAD)


def test_what_each_role_may_do():
    assert Viewer("a", SENIOR_MANAGER).scope is None
    assert Viewer("a", ANALYST).scope is None and Viewer("a", ANALYST).can_read_audit
    assert Viewer("a", CONFERENCE_CHAIR).scope == "cp"
    assert Viewer("a", AGGREGATES_ONLY).scope == "none"
    assert not Viewer("a", SENIOR_MANAGER).can_manage_data
    assert not Viewer("a", TEAM_LEAD, ("T1",)).sees_names
    assert not Viewer("a", CONFERENCE_CHAIR).sees_names


# -- signed out, signed in but unknown ---------------------------------------------------------


def test_not_signed_in_shows_the_sign_in_prompt_and_no_figures(env, audit_log):
    person = in_team(env)
    for page, params in [("app.py", None), ("pages/child.py", {"person": person})]:
        at = ok(open_as(None, page, params))
        assert [b.label for b in at.button] == ["Sign in"]
        assert not at.metric and not at.dataframe and not at.get("plotly_chart")
        assert person not in everything(at)
    assert entries(audit_log) == []


def test_user_not_in_the_roles_file_sees_aggregates_only(env, audit_log):
    at = ok(open_as(STRANGER))
    assert at.metric, "the aggregate tiles are shown"
    assert any("aggregate figures only" in i.value for i in at.info)
    signed = [c.value for c in at.sidebar.caption if c.value.startswith("Signed in as")]
    assert signed and "stranger" in signed[0] and "aggregates only" in signed[0]
    at.pills(key="drill_row_0").set_value(0).run()
    ok(at)
    assert any(i.value.startswith("Not permitted") for i in at.info)
    assert not [d for d in at.dataframe if (d.key or "").startswith("overview_rows")]

    # The Caseloads page: the per-worker figures (aggregates), no list of children.
    at = ok(open_as(STRANGER, "pages/caseloads.py"))
    workers = table(at, "case_workers_table")
    assert not workers.empty and "person_id" not in workers.columns
    assert not [d for d in at.dataframe if "person_id" in d.value.columns]

    person = in_team(env)
    assert_refused(open_as(STRANGER, "pages/child.py", {"person": person}), person)
    refused = [e for e in entries(audit_log) if e["outcome"] == "refused"]
    assert refused and refused[-1]["user"] == STRANGER and refused[-1]["person_ids"] == [person]


def test_entra_sign_in_name_when_no_email_claim(env):
    """Entra ID sends `email` only for accounts with a mailbox: the sign-in name stands in."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": True, "preferred_username": LEAD.upper(), "name": "Lead"}
    ok(at.run())
    signed = [c.value for c in at.sidebar.caption if c.value.startswith("Signed in as")]
    assert signed and "Team lead" in signed[0]


def test_a_broken_roles_file_lets_nobody_in(env, tmp_path, monkeypatch):
    roles = tmp_path / "broken.toml"
    roles.write_text('[users."a@b.gov.uk"]\nrole = "superuser"\n', encoding="utf-8")
    monkeypatch.setenv("FRONTDOOR_ROLES", str(roles))
    at = ok(open_as(SENIOR))
    assert at.error and "roles file" in at.error[0].value and "superuser" in at.error[0].value
    assert not at.metric and not at.dataframe


# -- team lead ----------------------------------------------------------------------------------


def test_team_lead_deep_links_in_and_out_of_scope(env, audit_log):
    scope = team_scope(env)
    mine, other = in_team(env), outside(env, scope)

    at = ok(open_as(LEAD, "pages/child.py", {"person": mine}))
    assert f"Child {mine}" in [s.value for s in at.subheader]
    assert not table(at, "child_facts").empty

    at = open_as(LEAD, "pages/child.py", {"person": other})
    assert_refused(at, other)
    # An id that is nowhere in the extract is refused in the same words: a refusal does not
    # say whether the child exists.
    assert_refused(open_as(LEAD, "pages/child.py", {"person": "NO-SUCH-CHILD"}), "NO-SUCH-CHILD")

    # The review pack, by deep link.
    at = ok(open_as(LEAD, "pages/conference.py", {"person": mine}))
    assert f"Review pack: child {mine}" in [h.value for h in at.header]
    at = ok(open_as(LEAD, "pages/conference.py", {"person": other}))
    assert [e.value for e in at.error] == [refused(other)]
    assert not [h for h in at.header if other in h.value]
    assert not [d for d in at.dataframe if d.key == "conf_profile"]
    assert not [d for d in at.dataframe if "Open CP plan" in d.value.columns]

    log = entries(audit_log)
    by = {(e["action"], e["outcome"], tuple(e["person_ids"])) for e in log if e["user"] == LEAD}
    assert ("child_view", "allowed", (mine,)) in by
    assert ("child_view", "refused", (other,)) in by
    assert ("child_view", "refused", ("NO-SUCH-CHILD",)) in by
    assert ("review_pack", "allowed", (mine,)) in by
    assert ("review_pack", "refused", (other,)) in by
    assert all(e["role"] == TEAM_LEAD and e["at"] for e in log)


def test_team_lead_caseloads_list_only_their_teams_children(env, audit_log, downloads):
    scope = team_scope(env)
    at = ok(open_as(LEAD, "pages/caseloads.py", {"team": "all"}))  # widened to every team
    workers = table(at, "case_workers_table")
    # Every worker's figures are shown (aggregates), not only the lead's team's.
    assert set(workers["team"]) > set(LEAD_TEAMS)
    row = int(workers.index[workers["team"].isin(LEAD_TEAMS)][0])
    worker = str(workers.iloc[row]["worker_id"])
    at.session_state["case_workers_table"] = {"selection": {"rows": [row], "columns": []}}
    ok(at.run())
    children = table(at, f"case_children_{worker}")
    assert not children.empty
    assert set(children["team"]) <= set(LEAD_TEAMS)
    assert set(children["person_id"]) <= scope
    # The download holds exactly those children.
    data = csv(downloads[f"dl_case_children_{worker}"])
    assert set(data["person_id"]) == set(children["person_id"].astype(str))
    assert set(data["team"]) <= set(LEAD_TEAMS)
    shown = [e for e in entries(audit_log) if e["action"] == "rows_shown"]
    assert shown and set(shown[-1]["person_ids"]) == set(data["person_id"])

    # Another team's worker: only children the lead may see are listed (children their team
    # held or assessed before, by the scope's definition), never the rest of that caseload.
    other_row = int(workers.index[~workers["team"].isin(LEAD_TEAMS)][0])
    other = str(workers.iloc[other_row]["worker_id"])
    at.session_state["case_workers_table"] = {"selection": {"rows": [other_row], "columns": []}}
    ok(at.run())
    listed = [d.value for d in at.dataframe if d.key == f"case_children_{other}"]
    held = int(workers.iloc[other_row]["children"])
    if listed:
        assert set(listed[0]["person_id"]) <= scope
        assert listed[0]["person_id"].nunique() < held
    # The list says how many of the worker's children it leaves out, and why.
    shown = len(listed[0]) if listed else 0
    notes = [c.value for c in at.caption] + [i.value for i in at.info]
    said = f"{held - shown:,} of {held:,} are not shown here: those children are not allocated to"
    assert any(n.startswith(said) for n in notes), notes


def test_team_lead_choosing_a_worker_lists_their_children_at_once(env, audit_log):
    scope = team_scope(env)
    at = ok(open_as(LEAD, "pages/caseloads.py"))
    workers = table(at, "case_workers_table")
    worker = str(workers.iloc[0]["worker_id"])
    assert not [d for d in at.dataframe if d.key == f"case_children_{worker}"]
    at.sidebar.selectbox(key="f_worker").set_value(worker).run()
    ok(at)
    children = table(at, f"case_children_{worker}")  # no row to click first
    assert len(children) == int(workers.iloc[0]["children"])
    assert set(children["person_id"]) <= scope
    assert at.query_params["worker"] in (worker, [worker])


def test_team_lead_download_holds_only_their_teams_children(env, audit_log, downloads):
    scope = team_scope(env)
    at = ok(open_as(LEAD, "app.py", {"team": "all"}))  # widened to every team
    at.pills(key="drill_row_0").set_value(0).run()  # the children behind the first tile
    drilled = at.query_params["drill"]
    drilled = drilled if isinstance(drilled, str) else drilled[0]
    key = f"overview_rows_{drilled}"
    shown = table(at, key)
    data = csv(downloads[f"dl_{key}"])
    assert not data.empty and set(data["person_id"]) <= scope
    assert set(shown["person_id"].astype(str)) == set(data["person_id"])

    # Clicking the download is audited with the children in it.
    at.download_button(key=f"dl_{key}").click().run()
    ok(at)
    got = [e for e in entries(audit_log) if e["action"] == "download"]
    assert got and got[-1]["user"] == LEAD and set(got[-1]["person_ids"]) == set(data["person_id"])

    # An analyst's download of the same figure has children the lead's did not.
    at = ok(open_as(ANALYST_EMAIL))
    at.pills(key="drill_row_0").set_value(0).run()
    wider = csv(downloads[f"dl_{key}"])
    assert set(wider["person_id"]) > set(data["person_id"])


def test_team_lead_my_team_today(env, audit_log, downloads):
    """One worklist of the lead's team's work, most urgent first, each row opening the child,
    downloadable; the same list as the measures' pages give."""
    scope = team_scope(env)
    at = ok(open_as(LEAD, "pages/my_team.py"))
    listing = table(at, "team_worklist")
    assert not listing.empty and set(listing["person_id"]) <= scope
    assert set(listing["team_name"]) == {"Children in Need"}  # T05, by name
    # Most urgent first: working days overdue never rise down the list, work coming due last.
    urgency = listing["urgency"].tolist()
    overdue = [int(u.split()[0].replace(",", "")) for u in urgency if u.endswith("overdue")]
    assert overdue == sorted(overdue, reverse=True)
    assert urgency.index(next(u for u in urgency if u.endswith("overdue"))) == 0
    # The oversight rows are the Oversight page's list for the same team.
    over = ok(open_as(LEAD, "pages/oversight.py"))
    assert set(listing.loc[listing["work"] == "Record management oversight", "person_id"]) == set(
        table(over, "over_without")["person_id"]
    )
    # Downloadable: exactly the rows shown.
    data = csv(downloads["dl_team_worklist"])
    assert len(data) == len(listing) and set(data["person_id"]) == set(listing["person_id"])
    # A row opens the child.
    person = str(listing.iloc[0]["person_id"])
    at.session_state["team_worklist"] = {"selection": {"rows": [0], "columns": []}}
    ok(at.run())
    assert at.query_params["person"] in (person, [person])
    # Widened to every team: the other teams' work is counted, not listed, and the page says so.
    wide = ok(open_as(LEAD, "pages/my_team.py", {"team": "all"}))
    listed = table(wide, "team_worklist")
    assert set(listed["person_id"]) <= scope and len(listed) >= len(listing)
    said = re.compile(r"([\d,]+) of ([\d,]+) are not shown here: those children are not allocated")
    notes = [m for m in (said.match(c.value) for c in wide.caption) if m]
    assert notes, [c.value for c in wide.caption]
    hidden, total = (int(g.replace(",", "")) for g in notes[0].groups())
    assert hidden > 0 and total == hidden + len(listed)


def test_team_lead_sees_every_aggregate(env):
    """A lead's pages open on their team; widened to all teams, their tiles are the figures for
    everyone: scope limits child rows, not totals."""
    lead = {m.label: m.value for m in ok(open_as(LEAD)).metric}
    senior_team = {m.label: m.value for m in ok(open_as(SENIOR, "app.py", LEAD_TEAM_URL)).metric}
    assert lead and lead == senior_team
    wide = {m.label: m.value for m in ok(open_as(LEAD, "app.py", {"team": "all"})).metric}
    senior = {m.label: m.value for m in ok(open_as(SENIOR)).metric}
    assert wide == senior and wide != lead


def test_team_lead_pages_open_on_their_team(env):
    at = ok(open_as(LEAD, "pages/caseloads.py"))
    assert at.sidebar.selectbox(key="f_team").value == LEAD_TEAMS[0]
    assert "team" not in at.query_params  # the default: a link without a team opens on theirs
    workers = table(at, "case_workers_table")
    assert not workers.empty and set(workers["team"]) == set(LEAD_TEAMS)
    # Widening to every team: the URL says so, so the choice survives a link.
    at.sidebar.selectbox(key="f_team").set_value("").run()
    ok(at)
    assert at.query_params["team"] in ("all", ["all"])
    assert set(table(at, "case_workers_table")["team"]) > set(LEAD_TEAMS)
    # Everyone else opens on all teams.
    at = ok(open_as(SENIOR, "pages/caseloads.py"))
    assert at.sidebar.selectbox(key="f_team").value == ""


def test_team_lead_of_two_teams_opens_on_both(env):
    at = ok(open_as(LEAD_TWO, "pages/caseloads.py"))
    team = at.sidebar.selectbox(key="f_team")
    assert team.value == "mine" and team.format_func("mine").startswith("My teams (")
    workers = table(at, "case_workers_table")
    assert set(workers["team"]) == set(LEAD_TWO_TEAMS)
    # The workers offered are those of both teams.
    offered = at.sidebar.selectbox(key="f_worker").options
    assert len(offered) > 1
    children = {m.label: m.value for m in at.metric}["Children allocated"]
    one = {
        m.label: m.value
        for m in ok(open_as(LEAD_TWO, "pages/caseloads.py", {"team": "T04"})).metric
    }
    assert int(children.replace(",", "")) > int(one["Children allocated"].replace(",", ""))


# -- conference chair, senior manager, analyst ------------------------------------------------


def test_conference_chair_sees_children_with_cp_only(env, audit_log, downloads):
    cp = cp_scope(env)
    with_plan, without = sorted(cp)[0], outside(env, cp)
    at = ok(open_as(CHAIR, "pages/child.py", {"person": with_plan}))
    assert f"Child {with_plan}" in [s.value for s in at.subheader]
    assert_refused(open_as(CHAIR, "pages/child.py", {"person": without}), without)

    at = ok(open_as(CHAIR, "pages/conference.py"))
    due = table(at, "conf_due")
    assert not due.empty and set(due["person_id"]) <= cp
    assert set(csv(downloads["dl_conf_due"])["person_id"]) <= cp

    at = ok(open_as(CHAIR))
    at.pills(key="drill_row_0").set_value(0).run()
    drilled = at.query_params["drill"]
    drilled = drilled if isinstance(drilled, str) else drilled[0]
    assert set(csv(downloads[f"dl_overview_rows_{drilled}"])["person_id"]) <= cp
    refused = [e for e in entries(audit_log) if e["outcome"] == "refused"]
    assert [(e["user"], e["person_ids"]) for e in refused] == [(CHAIR, [without])]


def full_pack_child(db: Path, candidates: list[str]) -> str:
    """The first of `candidates` whose review pack has every part to show: an S47 enquiry,
    two conferences or more, visits and an agency request since the last one, and views."""
    from metrics import child as ch
    from metrics.engine import Engine

    con = duckdb.connect(str(db), read_only=True)
    try:
        engine = Engine(con)
        for person in candidates:
            pack = ch.review_pack(engine, person, AS_OF, scope="cp", scope_teams=None)
            if (
                not pack["enquiries"].empty
                and len(pack["conferences"]) >= 2
                and not pack["visits_since"].empty
                and not pack["agency_since"].empty
                and not pack["views"]["answers"].empty
            ):
                return person
    finally:
        con.close()
    raise AssertionError("no child due a review has every part of the pack in the sample")


def shown_with(at: AppTest, columns: set[str]) -> pd.DataFrame:
    """The first table on the page with these columns (AppTest reports no key for a table
    drawn without a selection)."""
    found = [d.value for d in at.dataframe if columns <= set(d.value.columns)]
    assert found, f"no table with {columns}: {[list(d.value.columns) for d in at.dataframe]}"
    return found[0]


def test_conference_chair_opens_a_pack_from_the_list(env, audit_log, downloads):
    """A chair chooses a child in "Or choose a child" (the control a keyboard user has): the
    pack opens with the S47 enquiries and what came of them, every conference's decision and
    category, the visits since the last conference (seen alone or not), the requests to
    partner agencies and their responses, and the child's views; HTML and PDF downloads."""
    at = ok(open_as(CHAIR, "pages/conference.py"))
    due = table(at, "conf_due")
    person = full_pack_child(env, list(dict.fromkeys(due["person_id"].astype(str))))
    at.selectbox(key="conf_person").set_value(person).run()
    ok(at)
    assert at.query_params["person"] in (person, [person])
    assert f"Review pack: child {person}" in [h.value for h in at.header]

    enquiries = shown_with(at, {"enquiry", "started", "ended", "outcome"})
    assert not enquiries.empty and all(enquiries["outcome"])  # what came of each, in words
    conferences = shown_with(at, {"date", "conference", "decision", "category"})
    assert conferences["conference"].iloc[0] == "Initial conference"
    assert len(conferences) >= 2 and all(conferences["decision"]) and all(conferences["category"])
    # Since the last conference: its visits, each seen alone or not, in words.
    since = [s.value for s in at.subheader if s.value.startswith("Since ")]
    assert since and "held on" in since[0]
    visits = shown_with(at, {"date", "visit_type", "seen", "seen_alone"})
    assert set(visits["seen_alone"]) <= {"yes", "no", ""}
    figures: dict[str, str] = {}
    for m in at.metric:  # the first figures are those since the last conference
        figures.setdefault(m.label, m.value)
    assert int(figures["Visits"]) == len(visits)
    assert int(figures["Seen alone"]) == int((visits["seen_alone"] == "yes").sum())
    agency = shown_with(at, {"agency", "requested", "response"})
    assert not agency.empty and all(agency["response"])
    views = shown_with(at, {"question", "answer"})
    assert not views.empty
    # Both files, and the pack's opening audited as the chair's.
    assert {"conf_pack_download", "conf_pack_pdf"} <= set(downloads)
    opened = [e for e in entries(audit_log) if e["action"] == "review_pack"]
    assert (opened[-1]["user"], opened[-1]["person_ids"]) == (CHAIR, [person])


def test_senior_manager_sees_every_child_but_not_the_data_pages(env, audit_log):
    scope = team_scope(env) | cp_scope(env)
    anyone = outside(env, scope)
    at = ok(open_as(SENIOR, "pages/child.py", {"person": anyone}))
    assert f"Child {anyone}" in [s.value for s in at.subheader]
    for page, title in [("pages/data.py", "Data and loading"), ("pages/audit.py", "Audit log")]:
        at = ok(open_as(SENIOR, page))
        assert any(e.value.startswith("Not permitted") for e in at.error)
        assert not at.dataframe and not at.text_input
        assert (title, "refused") in {(e["detail"], e["outcome"]) for e in entries(audit_log)}


def test_analyst_reads_and_filters_the_audit_log(env, audit_log):
    person = in_team(env)
    ok(open_as(LEAD, "pages/child.py", {"person": person}))
    ok(open_as(LEAD, "pages/child.py", {"person": "NO-SUCH-CHILD"}))
    # An analyst by group membership (the claim the identity provider sends).
    at = ok(open_as("someone@council.gov.uk", "pages/audit.py", groups=["Performance team"]))
    log = table(at, "audit_entries")
    assert {"at", "user", "role", "action", "outcome", "person_ids", "filters"} <= set(log.columns)
    assert {LEAD} <= set(log["user"])
    at.text_input(key="audit_person").input("NO-SUCH-CHILD").run()
    only = table(ok(at), "audit_entries")
    assert list(only["outcome"]) == ["refused"] and list(only["user"]) == [LEAD]
    at.text_input(key="audit_person").input("").run()
    at.text_input(key="audit_user").input(LEAD).run()
    assert set(table(ok(at), "audit_entries")["user"]) == {LEAD}
    # The data page is the analyst's too.
    ok(open_as("someone@council.gov.uk", "pages/data.py", groups=["Performance team"]))


# -- without sign-in ---------------------------------------------------------------------------


def test_demo_mode_on_the_synthetic_sample_shows_the_role_picker(env, audit_log):
    at = ok(open_as(None, auth=False))
    picker = at.selectbox(key="demo_role")
    assert picker.value == ANALYST
    assert any("Demo mode" in i.value for i in at.sidebar.info)
    assert any("Synthetic data" in w.value for w in at.warning)
    picker.set_value(TEAM_LEAD).run()
    ok(at)
    assert at.multiselect(key="demo_teams").value
    # A chosen role carries to a deep link in the same session.
    team = at.multiselect(key="demo_teams").value
    other = outside(env, team_scope(env, tuple(team)))
    at.query_params["person"] = other
    at.switch_page("pages/child.py").run()
    assert_refused(at, other)
    assert entries(audit_log)[-1]["user"] == f"demo:{TEAM_LEAD}"


@pytest.fixture
def real_db(app_env, tmp_path, monkeypatch) -> Path:
    """A copy of the sample marked as a real (non-synthetic) extract."""
    db = tmp_path / "real.duckdb"
    shutil.copy(app_env, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE load_meta SET value = 'false' WHERE key = 'synthetic'")
    con.close()
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    return db


def test_real_extract_without_sign_in_shows_aggregates_only(real_db, audit_log):
    at = ok(open_as(None, auth=False))
    assert at.metric
    assert not at.get("selectbox") or not [s for s in at.selectbox if s.key == "demo_role"]
    notice = [i.value for i in at.info if "aggregate figures only" in i.value]
    assert notice and "[auth]" in notice[0] and "secrets.toml" in notice[0]
    assert not any("Synthetic data" in w.value for w in at.warning)
    at.pills(key="drill_row_0").set_value(0).run()
    assert any(i.value.startswith("Not permitted") for i in ok(at).info)
    assert not [d for d in at.dataframe if (d.key or "").startswith("overview_rows")]
    person = in_team(real_db)
    assert_refused(open_as(None, "pages/child.py", {"person": person}, auth=False), person)


def test_real_extract_with_unauthenticated_use_switched_on(real_db, audit_log, monkeypatch):
    monkeypatch.setenv("FRONTDOOR_ALLOW_UNAUTHENTICATED", "1")
    at = ok(open_as(None, auth=False))
    assert any("Unauthenticated" in w.value for w in at.sidebar.warning)
    at.pills(key="drill_row_0").set_value(0).run()
    drilled = at.query_params["drill"]
    drilled = drilled if isinstance(drilled, str) else drilled[0]
    assert not table(ok(at), f"overview_rows_{drilled}").empty
    person = in_team(real_db)
    at = ok(open_as(None, "pages/child.py", {"person": person}, auth=False))
    assert f"Child {person}" in [s.value for s in at.subheader]
    assert entries(audit_log)[-1]["user"] == "local"


# -- the audit log outlives loads and restarts -------------------------------------------------


def test_audit_log_survives_a_reload_and_a_restart(app_env, audit_log, tmp_path, monkeypatch):
    from frontdoor.loader import load_extract

    db = tmp_path / "reloaded.duckdb"
    shutil.copy(app_env, db)
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    person = in_team(db)
    ok(open_as(SENIOR, "pages/child.py", {"person": person}))
    ok(open_as(LEAD, "pages/child.py", {"person": "NO-SUCH-CHILD"}))
    before = entries(audit_log)
    assert len(before) >= 2

    # A load onto the same database path (as `frontdoor load` or the Data page does).
    report = load_extract(app_env.parent / "extract", db, synthetic=True, extract_date=AS_OF)
    assert report.ok, report.render()
    assert entries(audit_log)[: len(before)] == before
    assert not query(db, "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%audit%'")

    # A load through the Data page is itself recorded, and erases nothing.
    at = open_as(ANALYST_EMAIL, "pages/data.py")
    at.text_input(key="data_folder").input(str(app_env.parent / "extract"))
    [b for b in at.button if b.label == "Load"][0].click().run()
    ok(at)
    after = entries(audit_log)
    assert after[: len(before)] == before
    assert after[-1]["action"] == "load" and after[-1]["user"] == ANALYST_EMAIL
    assert after[-1]["outcome"] == "allowed"

    # A restart: a new session (new AppTest) reads every entry back on the Audit log page.
    at = ok(open_as(ANALYST_EMAIL, "pages/audit.py"))
    log = table(at, "audit_entries")
    assert len(log) == len(after)
    assert person in set(log["person_ids"]) and "NO-SUCH-CHILD" in set(log["person_ids"])
    assert len(audit.read(audit_log)) == len(after)


# -- names, and hostile text ------------------------------------------------------------------

FORENAME, SURNAME = "Zebedee", "Quillfeather"


@pytest.fixture
def named_db(tmp_path, monkeypatch, audit_log) -> Path:
    """A tiny real extract whose ssd_person kept forename and surname columns."""
    path = tmp_path / "named.duckdb"
    con = build_db(
        path,
        small_family("N1", "N2", worker_name="Sam", team_name="Team One", category="Neglect"),
    )
    con.execute("ALTER TABLE ssd_person ADD COLUMN pers_forename VARCHAR")
    con.execute("ALTER TABLE ssd_person ADD COLUMN pers_surname VARCHAR")
    con.execute("UPDATE ssd_person SET pers_forename = ?, pers_surname = ?", [FORENAME, SURNAME])
    con.execute("CREATE TABLE load_meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO load_meta VALUES ('extract_date', '2025-12-19')")
    con.close()
    (tmp_path / "roles.toml").write_text(
        ROLES_TOML.replace(repr(list(LEAD_TEAMS)), '["T1"]'), encoding="utf-8"
    )
    monkeypatch.setenv("FRONTDOOR_DB", str(path))
    monkeypatch.chdir(REPO)
    return path


@pytest.mark.parametrize("email", [LEAD, CHAIR])
def test_child_names_are_not_shown_to_roles_without_names(named_db, downloads, email):
    at = ok(open_as(email, "pages/child.py", {"person": "N1"}))
    assert "Child N1" in [s.value for s in at.subheader]
    assert not table(at, "child_facts").empty
    for run in (
        at,
        ok(open_as(email, "pages/conference.py", {"person": "N1", "weeks": "26"})),
        ok(open_as(email, "pages/child.py")),
    ):
        text = everything(run)
        assert FORENAME not in text and SURNAME not in text
    for data in downloads.values():
        data = data() if callable(data) else data  # a PDF is made when its button is pressed
        assert FORENAME.encode() not in data and SURNAME.encode() not in data


def _no_raw_markup(texts: list[str]) -> None:
    for text in texts:
        assert not re.search(r"(?<!\\)<", text), text
        assert not re.search(r"(?<!\\)\]\(", text), text
        assert not re.search(r"(?<!\\)\*\*bold", text), text


def _texts(at: AppTest) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title",
                 "header", "subheader"):  # fmt: skip
        out += [str(e.value) for e in getattr(at, kind)]
    return out


def test_hostile_team_and_worker_names_in_the_sidebar_filters(hostile_db):  # noqa: F811
    for page in ("app.py", "pages/caseloads.py", "pages/front_door.py"):
        at = ok(open_as(None, page, {"team": "T1", "worker": "W1"}, auth=False))
        team = at.selectbox(key="f_team")
        worker = at.selectbox(key="f_worker")
        # The filter holds the ids; the options show the names as they are, as plain text.
        assert team.value == "T1" and worker.value == "W1"
        assert HOSTILE in team.options and f"{HOSTILE} (W1)" in worker.options
        assert at.query_params["team"] in ("T1", ["T1"])
        _no_raw_markup(_texts(at))
    # Choosing the team in the sidebar works the same way (the id goes into the URL).
    at = ok(open_as(None, "pages/caseloads.py", auth=False))
    at.selectbox(key="f_team").set_value("T1").run()
    assert at.query_params["team"] in ("T1", ["T1"])
    assert HOSTILE in set(table(ok(at), "case_workers_table")["worker_name"])
    _no_raw_markup(_texts(at))


def test_signed_in_name_is_shown_as_plain_text(env):
    email = "first_last_<b>x</b>@council.gov.uk"
    at = ok(open_as(email))
    caption = [c.value for c in at.sidebar.caption if "Signed in as" in c.value]
    assert caption
    _no_raw_markup(caption)
    assert not re.search(r"(?<!\\)_", caption[0].split("(")[0]), caption


def test_an_unexpected_error_shows_no_child_data(named_db, monkeypatch):
    """An error nobody foresaw, whose message quotes the child: the user sees its type only."""
    from metrics import child as ch

    def broken(engine, person_id, as_of=None):
        raise ValueError(f"cannot read {FORENAME} {SURNAME} ({person_id})")

    monkeypatch.setattr(ch, "profile", broken)
    at = open_as(SENIOR, "pages/child.py", {"person": "N1"})
    assert at.exception
    text = everything(at)
    assert FORENAME not in text and SURNAME not in text


def test_a_command_line_load_is_audited(app_env, audit_log, tmp_path):
    from frontdoor.cli import main

    db = tmp_path / "cli.duckdb"
    extract = app_env.parent / "extract"
    assert main(["load", "--extract", str(extract), "--db", str(db), "--synthetic"]) == 0
    last = entries(audit_log)[-1]
    assert last["action"] == "load" and last["outcome"] == "allowed" and last["user"]
    assert str(db) in last["detail"]


def test_refused_children_behind_a_figure_are_audited(env, audit_log):
    at = ok(open_as(STRANGER))
    at.pills(key="drill_row_0").set_value(0).run()
    ok(at)
    refused = [e for e in entries(audit_log) if e["action"] == "rows_shown"]
    assert refused and refused[-1]["outcome"] == "refused"
    assert refused[-1]["user"] == STRANGER and refused[-1]["person_ids"] == []


def test_siblings_outside_the_scope_are_shown_by_id_only(env, audit_log):
    scope = team_scope(env)
    # A child in the lead's scope with a sibling outside it (the sample has such families).
    pairs = query(
        env,
        "SELECT a.fami_person_id, b.fami_person_id FROM ssd_family a "
        "JOIN ssd_family b ON a.fami_family_id = b.fami_family_id "
        "AND a.fami_person_id <> b.fami_person_id ORDER BY 1, 2",
    )
    pair = next(((a, b) for a, b in pairs if a in scope and b not in scope), None)
    if pair is None:
        pytest.fail("the sample has no family split across the lead's scope")
    mine, theirs = pair
    at = ok(open_as(LEAD, "pages/child.py", {"person": mine}))
    sibs = table(at, "child_siblings")
    row = sibs[sibs["person_id"] == theirs].iloc[0]
    assert all(row[c] == "" or pd.isna(row[c]) for c in ("sex", "dob"))  # shown blank
    assert any("by id only" in c.value for c in at.caption)
