"""Who is looking: sign-in through st.login when `[auth]` is configured, a demo role picker on
the synthetic sample, aggregates only otherwise. Also records child-level access in the audit."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from frontdoor import audit
from frontdoor.access import AGGREGATES_ONLY, ANALYST, ROLES, TEAM_LEAD, RolesFile, Viewer
from ui.text import md

ALLOW_ENV = "FRONTDOOR_ALLOW_UNAUTHENTICATED"
ROLES_ENV = "FRONTDOOR_ROLES"
DEMO_ROLE_PARAM = "demo_role"
DEMO_TEAMS_PARAM = "demo_teams"
REPO = Path(__file__).resolve().parents[1]


def _auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def roles_path() -> Path:
    return Path(os.environ.get(ROLES_ENV, REPO / ".streamlit" / "roles.toml"))


@st.cache_resource(ttl=60, show_spinner=False)
def _roles(path: str, mtime: float) -> RolesFile:
    return RolesFile.read(path)


def current_viewer(synthetic: bool, teams: list[tuple[str, str]]) -> Viewer:
    """The viewer for this run; may stop the page to ask for sign-in."""
    if _auth_configured():
        if not st.user.is_logged_in:
            st.title("frontdoor")
            st.write("Sign in with your council account to see the dashboard.")
            st.button("Sign in", on_click=st.login, type="primary")
            st.stop()
        path = roles_path()
        try:
            roles = _roles(str(path), path.stat().st_mtime if path.exists() else 0.0)
        except (ValueError, OSError) as exc:  # tomllib's errors are ValueErrors too
            st.title("frontdoor")
            st.error(f"The roles file cannot be used, so nobody is let in: {md(exc)}")
            st.stop()
        groups = st.user.get("groups") or []
        # Microsoft Entra ID sends `email` only for accounts with a mailbox (or when the app
        # asks for it); `preferred_username` (the sign-in name) is there for every account.
        email = st.user.get("email") or st.user.get("preferred_username")
        viewer = roles.viewer(email, list(groups))
        with st.sidebar:
            who = md(viewer.user)  # from the identity provider: shown as plain text
            st.caption(f"Signed in as {who} ({ROLES.get(viewer.role, 'aggregates only')})")
            st.button("Sign out", on_click=st.logout)
        return viewer
    if os.environ.get(ALLOW_ENV) == "1":
        st.sidebar.warning("Unauthenticated local use is switched on: everyone is an analyst.")
        return Viewer("local", ANALYST)
    if synthetic:
        return _demo_viewer(teams)
    return Viewer("anonymous", AGGREGATES_ONLY)


def _keep(key: str) -> None:
    """Copy a demo widget's value to a key of its own: Streamlit treats a widget with the same
    key on another page as a new widget, so the choice would not follow the user otherwise."""
    st.session_state[f"_{key}_kept"] = st.session_state[key]


def _demo_viewer(teams: list[tuple[str, str]]) -> Viewer:
    """Demo mode (synthetic data only): pick a role to see what it allows. The role chosen
    holds on every page of the session."""
    state = st.session_state
    # A demo link may name the role (`?demo_role=team_lead&demo_teams=T01,T02`): read when the
    # link changes, so the picker can still change it; synthetic data only, so it opens nothing
    # the picker would not.
    url_role = st.query_params.get(DEMO_ROLE_PARAM)
    url_teams = st.query_params.get(DEMO_TEAMS_PARAM)
    if url_role in ROLES and state.get("_demo_url") != (url_role, url_teams):
        state["_demo_url"] = (url_role, url_teams)
        state["_demo_role_kept"] = url_role
        if url_teams:
            state["_demo_teams_kept"] = [t for t in url_teams.split(",") if t]
    with st.sidebar:
        st.info("Demo mode: synthetic data, no sign-in. Pick a role to see what it allows.")
        state["demo_role"] = state.get("_demo_role_kept", ANALYST)
        role = st.selectbox(
            "Demo role",
            list(ROLES),
            format_func=ROLES.get,
            key="demo_role",
            on_change=_keep,
            args=("demo_role",),
        )
        chosen: tuple[str, ...] = ()
        if role == TEAM_LEAD and teams:
            names = dict(teams)
            ids = [t for t, _ in teams]
            kept = [t for t in state.get("_demo_teams_kept", [ids[0]]) if t in names]
            state["demo_teams"] = kept
            picked = st.multiselect(
                "Demo team lead's teams",
                ids,
                format_func=lambda t: names.get(t, t),
                key="demo_teams",
                on_change=_keep,
                args=("demo_teams",),
            )
            chosen = tuple(picked)
    return Viewer(f"demo:{role}", role, chosen, demo=True)


def viewer() -> Viewer:
    """The viewer set by the page's setup (aggregates only if none was)."""
    return st.session_state.get("_viewer") or Viewer("anonymous", AGGREGATES_ONLY)


def record(
    action: str,
    *,
    person_ids=(),
    filters: dict | None = None,
    detail: str = "",
    outcome: str = "allowed",
    once: bool = False,
) -> None:
    """Audit an access by the current viewer. `once`: only the first time in this session
    for the same action, children and filters (a table redrawn on every rerun is one view)."""
    who = viewer()
    if once:
        seen = st.session_state.setdefault("_audited", set())
        token = (action, tuple(person_ids), tuple(sorted((filters or {}).items())), detail)
        if token in seen:
            return
        seen.add(token)
    audit.record(
        who.user,
        who.role,
        action,
        person_ids=list(person_ids),
        filters=filters,
        detail=detail,
        outcome=outcome,
    )
