"""Demo mode opened by a link: `?demo_role=` names the role (synthetic data only)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[1]


def open_as(role: str, page: str, params: dict[str, str] | None = None) -> AppTest:
    """`page` opened in demo mode as `role` (the URL names the role), `params` in its URL."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.query_params["demo_role"] = role
    at.run()
    if page != "app.py" or params:
        at.query_params["demo_role"] = role
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.switch_page(page).run()
    return at


def test_a_demo_link_opens_the_role_it_names(app_env):
    """`?demo_role=` (synthetic data only) opens the role; the picker shows it and can change
    it; an unknown role is ignored (the picker's default)."""
    at = open_as("conference_chair", "pages/child_protection.py")
    assert not at.exception
    assert at.selectbox(key="demo_role").value == "conference_chair"
    at.selectbox(key="demo_role").set_value("team_lead").run()
    assert at.selectbox(key="demo_role").value == "team_lead"
    odd = open_as("superuser", "app.py")
    assert odd.selectbox(key="demo_role").value == "analyst"
