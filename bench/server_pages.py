"""Every menu page as the server runs it: the page's script under Streamlit's AppTest."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bench.common import PAGE_TIMEOUT, REPO, timed

# -- pages, as the server runs them -----------------------------------------------------------


@dataclass
class PageTime:
    """Server-side time of one page: its script run by Streamlit's AppTest on the database."""

    path: str
    label: str
    cold: float | None  # query cache cleared first (the first visitor to the page)
    warm: float | None  # run again at once (answers from st.cache_data)
    error: str = ""


def menu_pages() -> list[tuple[str, str]]:
    """(page file, label) of every page in the menu that exists in this build, in menu order."""
    from ui.nav import MENU

    return [(path, label) for _, items in MENU for path, label in items if (REPO / path).exists()]


def time_pages(db_path: Path, audit_path: Path) -> list[PageTime]:
    """Run every menu page's script on `db_path` with AppTest: once cold, once warm.

    After one untimed run of the entry page (modules imported, connection open, as in a server
    that is up), each page is timed cold: `st.cache_data` is cleared just before the page's run,
    so it pays for all its own queries. Warm: the same
    page run again, its answers coming from the cache. Times are the script runs alone (no
    browser, no network). Pages record their audit entries in `audit_path`, not the app's log.
    """
    if not (REPO / "app.py").exists():
        return []
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    saved = {k: os.environ.get(k) for k in ("FRONTDOOR_DB", "FRONTDOOR_AUDIT")}
    os.environ["FRONTDOOR_DB"] = str(db_path)
    os.environ["FRONTDOOR_AUDIT"] = str(audit_path)
    out: list[PageTime] = []
    try:
        st.cache_data.clear()
        st.cache_resource.clear()
        # One untimed run first, so the modules are imported and the connection open, as in a
        # server that is already up.
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=PAGE_TIMEOUT)
        at.run()
        for path, label in menu_pages():
            st.cache_data.clear()
            at.switch_page(path)
            try:
                _, cold = timed(at.run)
                errors = [f"{type(e.value).__name__}" for e in at.exception]
                _, warm = timed(at.run)
            except Exception as exc:  # a page that times out or fails: say so, keep going
                out.append(PageTime(path, label, None, None, type(exc).__name__))
                continue
            errors += [f"{type(e.value).__name__}" for e in at.exception]
            out.append(PageTime(path, label, cold, warm, ", ".join(dict.fromkeys(errors))))
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()  # closes nothing the caller holds; frees the connection
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return out
